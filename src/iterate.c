/*
 * NAME
 *	iterate 3
 * SUMMARY
 *	iterator mode: -l, -x, -p
 * SYNOPSIS
 *	#include "iterate.h"
 *
 *	int	iterate_list(tab, it)
 *	int	iterate_command(tab, it, argv)
 *	int	iterate_postfix(tab, it, argv)
 *	struct insttab *tab;
 *	const struct iteration *it;
 *	char	**argv;
 * DESCRIPTION
 *	Each function walks the selected instances in order (reversed
 *	with it->reverse) and returns the exit status for the program.
 *
 *	iterate_list() prints one line per instance: name, group,
 *	enabled (y/n) and config directory, or with it->json one JSON
 *	object per line with those members in that order. With
 *	it->status it adds the instance's health and identity: whether
 *	its master runs and its pid (master.c), the messages in each
 *	queue (queue.c), its queue and data directories and the
 *	syslog_name it logs with, each read without running a Postfix
 *	program. The text form of -s has its own columns, narrower, so
 *	that a line fits in 100 columns with the config directory last;
 *	it leaves out the queue and data directories, which only JSON
 *	has. What cannot be read is "unknown" (null in JSON), with one
 *	warning per instance and kind of failure, and makes the exit
 *	status 1. No match prints nothing and is not an error.
 *
 *	iterate_command() runs argv for each instance, with
 *	MAIL_CONFIG, the instance's directories, name, group and
 *	enable status in the environment and $command_directory first
 *	in PATH. Disabled instances are not skipped.
 *
 *	iterate_postfix() runs "$command_directory/postfix -- argv"
 *	for each instance with MAIL_CONFIG set, as the
 *	postfix-wrapper(5) interface asks: a start command
 *	(postmulti_start_commands) becomes "check" for a disabled
 *	instance; a stop command (postmulti_stop_commands) runs in
 *	reverse order and skips disabled instances, as does a control
 *	command (postmulti_control_commands); anything else runs for
 *	every instance.
 *
 *	Commands run for every instance even when one fails; the
 *	status is then 1. When no instance matches, -x and -p are
 *	fatal.
 *
 *	A damaged instance that the selection may cover is reported
 *	with a warning, skipped, and makes the status 1; the others
 *	are served as usual.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iterate.h"
#include "command.h"
#include "master.h"
#include "msg.h"
#include "queue.h"
#include "util.h"

/* walk_init - prepare to visit the selected instances */

void    walk_init(struct walk *w, struct insttab *tab, const struct iteration *it)
{
    w->tab = tab;
    w->it = it;
    w->next = 0;
    w->matches = w->failed = 0;
    w->damaged = 0;
    /* A damaged instance can hide a name only if no healthy one has it. */
    w->healthy_match = it->sel.kind == SELECT_NAME && insttab_find(tab, &it->sel) >= 0;
}

/* walk_next - the next selected healthy instance, or NULL */

struct instance *walk_next(struct walk *w, int reverse)
{
    while (w->next < w->tab->n) {
	size_t  i = w->next++;
	struct instance *inst = w->tab->v + (reverse ? w->tab->n - 1 - i : i);

	switch (instance_match(inst, &w->it->sel)) {
	case MATCH_NO:
	    continue;
	case MATCH_UNKNOWN:
	    if (w->healthy_match)
		continue;
	    /* FALLTHROUGH */
	case MATCH_YES:
	    if (inst->damage) {
		msg_warn("skipping instance %s: %s", inst->config_dir, inst->damage);
		w->failed = 1;
		w->damaged++;
		continue;
	    }
	    return (inst);
	}
    }
    return (0);
}

/* json_string - print a JSON string, "-" for an empty value as -l does */

static void json_string(const char *s)
{
    strbuf  sb = STRBUF_INIT;

    sb_json(&sb, *s ? s : "-");
    fputs(sb.s, stdout);
    sb_free(&sb);
}

 /*
  * What -s adds to the listing of one instance.
  */
struct health {
    struct master_state ms;
    struct queue_counts qc;
    int     queues_known;
};

/* health_warn - one warning for an instance, whatever is unknown */

void    health_warn(const struct instance *inst, const struct master_state *ms,
		            const char *queue_why)
{
    if (ms->run == MASTER_UNKNOWN && queue_why)
	msg_warn("%s: %s; queue counts unknown: %s", inst->config_dir, ms->why, queue_why);
    else if (ms->run == MASTER_UNKNOWN)
	msg_warn("%s: %s", inst->config_dir, ms->why);
    else if (queue_why)
	msg_warn("%s: queue counts unknown: %s", inst->config_dir, queue_why);
}

/* health_read - the state of one instance; warn about what is unknown */

static int health_read(const struct instance *inst, struct health *h)
{
    int     failed = 0;

    master_state(inst->queue_dir, &h->ms);
    h->queues_known = queue_count(inst->queue_dir, &h->qc) == 0;
    health_warn(inst, &h->ms, h->queues_known ? 0 : h->qc.why);
    failed = h->ms.run == MASTER_UNKNOWN || !h->queues_known;
    return (failed);
}

/* health_json - the members that -s adds to a JSON object */

static void health_json(const struct instance *inst, const struct health *h)
{
    printf(",\"master\": \"%s\",\"pid\": ", master_state_name(&h->ms));
    if (h->ms.pid > 0)
	printf("%ld", (long) h->ms.pid);
    else
	fputs("null", stdout);
    fputs(",\"queue_directory\": ", stdout);
    json_string(inst->queue_dir);
    fputs(",\"data_directory\": ", stdout);
    json_string(inst->data_dir);
    fputs(",\"syslog_name\": ", stdout);
    json_string(inst->syslog_name);
    fputs(",\"queues\": ", stdout);
    if (!h->queues_known) {
	fputs("null", stdout);
	return;
    }
    for (int k = 0; k < QUEUE_KINDS; k++) {
	printf("%s\"%s\": %ld", k ? "," : "{", queue_names[k], h->qc.n[k]);
    }
    putchar('}');
}

/*
 * The -l -s text columns: a header line (unless -H), then one line per
 * instance, each column as wide as its widest value or header, the
 * config directory last and unpadded.
 */
#define HEALTH_COLS	8

static const char *const health_head[HEALTH_COLS] = {
    "NAME", "GROUP", "EN", "STATE", "PID", "M/I/A/D/H/C", "SYSLOG_NAME", "CONFIG_DIRECTORY",
};

struct health_rows {
    strlist cells;			/* HEALTH_COLS per row */
};

/* health_row - the text columns of one instance, kept for later */

static void health_row(struct health_rows *rows, const struct instance *inst,
		               const struct health *h)
{
    strbuf  queues = STRBUF_INIT;

    sl_add(&rows->cells, *inst->name ? inst->name : "-");
    sl_add(&rows->cells, *inst->group ? inst->group : "-");
    sl_add(&rows->cells, inst->enabled ? "y" : "n");
    sl_add(&rows->cells, master_state_name(&h->ms));
    if (h->ms.pid > 0)
	sl_add_owned(&rows->cells, xasprintf("%ld", (long) h->ms.pid));
    else
	sl_add(&rows->cells, "-");
    if (!h->queues_known)
	sb_puts(&queues, "unknown");
    else
	for (int k = 0; k < QUEUE_KINDS; k++)
	    sb_printf(&queues, "%s%ld", k ? "/" : "", h->qc.n[k]);
    sl_add(&rows->cells, queues.s);
    sl_add(&rows->cells, *inst->syslog_name ? inst->syslog_name : "-");
    sl_add(&rows->cells, inst->config_dir);
    sb_free(&queues);
}

/* health_print - the kept rows, in columns sized by the data */

static void health_print(const struct health_rows *rows, int header)
{
    size_t  width[HEALTH_COLS];
    size_t  n = rows->cells.n / HEALTH_COLS;

    if (n == 0)
	return;
    for (size_t c = 0; c < HEALTH_COLS; c++) {
	width[c] = strlen(health_head[c]);	/* with or without the header line */
	for (size_t r = 0; r < n; r++) {
	    size_t  len = strlen(rows->cells.v[r * HEALTH_COLS + c]);

	    if (len > width[c])
		width[c] = len;
	}
    }
    for (size_t r = header ? 0 : 1; r <= n; r++) {
	for (size_t c = 0; c < HEALTH_COLS; c++) {
	    const char *cell = r == 0 ? health_head[c] : rows->cells.v[(r - 1) * HEALTH_COLS + c];

	    if (c == HEALTH_COLS - 1)
		printf("%s\n", cell);
	    else
		printf("%-*s ", (int) width[c], cell);
	}
    }
}

/* iterate_list - the -l listing */

int     iterate_list(struct insttab *tab, const struct iteration *it)
{
    struct walk w;
    struct instance *inst;
    struct health_rows rows = {STRLIST_INIT};

    walk_init(&w, tab, it);
    while ((inst = walk_next(&w, it->reverse)) != 0) {
	struct health h;

	if (it->status && health_read(inst, &h))
	    w.failed = 1;
	if (it->json) {
	    /* Postfix 3.11's four members, byte for byte, then ours. */
	    fputs("{\"name\": ", stdout);
	    json_string(inst->name);
	    fputs(",\"group\": ", stdout);
	    json_string(inst->group);
	    printf(",\"enabled\": \"%c\",\"config_directory\": ", inst->enabled ? 'y' : 'n');
	    json_string(inst->config_dir);
	    if (it->status)
		health_json(inst, &h);
	    fputs("}\n", stdout);
	} else if (it->status) {
	    health_row(&rows, inst, &h);
	} else {
	    printf("%-15s %-15s %-9s %s\n", *inst->name ? inst->name : "-",
		   *inst->group ? inst->group : "-", inst->enabled ? "y" : "n",
		   inst->config_dir);
	}
	if (it->status)
	    queue_counts_free(&h.qc);
    }
    health_print(&rows, !it->no_header);
    sl_free(&rows.cells);
    if (fflush(stdout) != 0 || ferror(stdout))
	msg_fatal("write standard output: %s", strerror(errno));
    return (w.failed);
}

/* command_env - the environment of "-x" for one instance */

/* command_path - the PATH of "-x": $command_directory first */

static char *command_path(const struct insttab *tab)
{
    const char *path = getenv("PATH");

    return (xasprintf("%s:%s", tab->conf.command_dir,
		      path && *path ? path : COMMAND_ROOT_PATH));
}

static void command_env(strlist *env, const struct insttab *tab,
			        const struct instance *inst, const char *path)
{
    env_inherit(env);
    env_set(env, "MAIL_CONFIG", inst->config_dir);
    env_set(env, "command_directory", tab->conf.command_dir);
    env_set(env, "daemon_directory", tab->conf.daemon_dir);
    env_set(env, "config_directory", inst->config_dir);
    env_set(env, "queue_directory", inst->queue_dir);
    env_set(env, "data_directory", inst->data_dir);
    env_set(env, "multi_instance_name", inst->name);
    env_set(env, "multi_instance_group", inst->group);
    env_set(env, "multi_instance_enable", inst->enabled ? "yes" : "no");
    env_set(env, "PATH", path);
    if (msg_verbose)
	env_set(env, "MAIL_VERBOSE", "");
}

/* report - note a command that failed */

static void report(struct walk *w, const struct instance *inst, const char *cmd, int status)
{
    if (status == 0)
	return;
    w->failed = 1;
    /* A command's own failure speaks for itself, as upstream has it. */
    if (status > 128 && status != 255)
	msg_warn("%s: %s killed by signal %d", inst->config_dir, cmd, status - 128);
}

/* walk_no_match - say that the selection matches nothing, and what there is */

void    walk_no_match(const struct walk *w, const char *skipped, const char *command)
{
    const struct insttab *tab = w->tab;
    const struct selection *sel = &w->it->sel;
    strlist names = STRLIST_INIT, groups = STRLIST_INIT;
    char   *what;

    /* Matched, but a disabled instance: -p stop and reload skip it. */
    if (skipped)
	msg_fatal("%s is disabled: -p %s skips it", skipped, command);
    for (size_t i = 0; i < tab->n; i++) {
	const struct instance *inst = tab->v + i;

	if (inst->damage)
	    continue;
	sl_add(&names, inst->primary ? "- (the primary)" : *inst->name ? inst->name : inst->config_dir);
	if (*inst->group && sl_find(&groups, inst->group) < 0)
	    sl_add(&groups, inst->group);
    }
    what = sel->kind == SELECT_GROUP ? xasprintf("-g %s", sel->arg)
	: sel->kind == SELECT_NAME ? xasprintf("-i %s", sel->arg) : xstrdup("-a");
    msg_fatal("no instance matches \"%s\"; the instances: %s; the groups: %s", what,
	      sl_join(&names, ", "), groups.n ? sl_join(&groups, ", ") : "none");
}

/* iterate_command - the -x command mode */

int     iterate_command(struct insttab *tab, const struct iteration *it, char **argv)
{
    struct walk w;
    struct instance *inst;
    char   *path = command_path(tab);
    char   *file;

    /*
     * Every instance gets the same PATH, in which the command is looked
     * up (not in ours: that is the PATH the command is promised), once.
     */
    file = strchr(argv[0], '/') ? xstrdup(argv[0]) : command_search(argv[0], path);
    walk_init(&w, tab, it);
    while ((inst = walk_next(&w, it->reverse)) != 0) {
	strlist env = STRLIST_INIT;

	w.matches++;
	if (file == 0) {
	    msg_warn("%s: command not found", argv[0]);
	    report(&w, inst, argv[0], 127);
	    continue;
	}
	command_env(&env, tab, inst, path);
	if (msg_verbose)
	    msg_info("%s: running %s", inst->config_dir, file);
	report(&w, inst, argv[0], command_run(file, argv, &env, 0));
	sl_free(&env);
    }
    free(file);
    free(path);
    if (w.matches == 0 && !w.failed)
	walk_no_match(&w, 0, 0);
    return (w.failed);
}

/* iterate_postfix - the -p postfix-wrapper mode */

int     iterate_postfix(struct insttab *tab, const struct iteration *it, char **argv)
{
    const MAINCF *cf = tab->conf.cf;
    char   *start, *stop, *control;
    int     is_start, is_stop, is_control;
    char   *postfix = xasprintf("%s/postfix", tab->conf.command_dir);
    struct walk w;
    struct instance *inst;
    strlist args = STRLIST_INIT;
    char   *check[] = {postfix, "--", "check", 0};

    start = maincf_eval_or_die(cf, "postmulti_start_commands", 0);
    stop = maincf_eval_or_die(cf, "postmulti_stop_commands", 0);
    control = maincf_eval_or_die(cf, "postmulti_control_commands", 0);
    is_start = list_member(start, argv[0]);
    is_stop = list_member(stop, argv[0]);
    is_control = list_member(control, argv[0]);
    free(start);
    free(stop);
    free(control);

    char   *skipped = 0;

    sl_add(&args, postfix);
    sl_add(&args, "--");
    for (char **cpp = argv; *cpp; cpp++)
	sl_add(&args, *cpp);

    walk_init(&w, tab, it);
    while ((inst = walk_next(&w, is_stop)) != 0) {
	strlist env = STRLIST_INIT;
	char  **run = args.v;

	if (!inst->enabled) {
	    if ((is_stop || is_control) && skipped == 0)
		skipped = xstrdup(*inst->name ? inst->name : inst->config_dir);
	    if (is_stop || is_control)
		continue;
	    if (is_start)
		run = check;
	}
	w.matches++;
	env_inherit(&env);
	env_set(&env, "MAIL_CONFIG", inst->config_dir);
	if (msg_verbose)
	    env_set(&env, "MAIL_VERBOSE", "");
	report(&w, inst, run[2], command_run(run[0], run, &env, 0));
	sl_free(&env);
    }
    sl_free(&args);
    free(postfix);
    if (w.matches == 0 && !w.failed)
	walk_no_match(&w, skipped, argv[0]);
    free(skipped);
    return (w.failed);
}
