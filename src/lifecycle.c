/*
 * NAME
 *	lifecycle 3
 * SUMMARY
 *	life-cycle mode: -e init, create, import, ...
 * SYNOPSIS
 *	#include "lifecycle.h"
 *
 *	int	lifecycle_valid_action(action)
 *	const char *action;
 *
 *	int	lifecycle_run(lc)
 *	const struct lifecycle *lc;
 * DESCRIPTION
 *	lifecycle_run() carries out one -e action and returns the exit
 *	status. Every action goes the same way:
 *
 *	1. Take the multi-instance configuration lock (the primary's
 *	   config directory, see cfwrite.c) and read the instance table
 *	   under it, so that concurrent runs see each other's changes.
 *
 *	2. Check everything and make a plan: the directories to create,
 *	   the files to write (new text computed in memory with the
 *	   postconf-compatible editor), the files to remove, the
 *	   commands to run. Any problem is fatal here, before anything
 *	   has changed. With -n (dry run) the plan is printed (unified
 *	   diffs of the files) and nothing else happens.
 *
 *	3. Carry out the plan. Each file is replaced atomically. When a
 *	   step fails, the steps done so far are undone (files get their
 *	   old text back, new directories go) and the action is fatal:
 *	   all or nothing. The registration in the primary's main.cf is
 *	   the last change, even when the program is killed: a new
 *	   instance is registered only once it is whole, and one being
 *	   destroyed stays registered until its files are gone, so that
 *	   the same command, run again, finds it and finishes the job.
 *	   Temporary files that a killed run left beside a file are
 *	   removed before the file is written again.
 *
 *	4. Release the lock, then run "postfix set-permissions" if the
 *	   action needs it (holding the lock would serialize concurrent
 *	   creates for nothing). The postfix processes get a clean
 *	   environment built from import_environment and are run by
 *	   absolute path. Postfix will not trust a main.cf modified in
 *	   the last two seconds: it reads it again and again until the
 *	   file is older, a guard against editors that write in place.
 *	   Our writes are atomic renames, so no reader can see half a
 *	   file; before running postfix, the main.cf files this action
 *	   wrote are dated DATE_BACK seconds back, which takes "create"
 *	   from over two seconds to a few hundred milliseconds.
 *
 *	Diagnostics follow msg(3).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lifecycle.h"
#include "cfwrite.h"
#include "command.h"
#include "diff.h"
#include "edit.h"
#include "fault.h"
#include "instance.h"
#include "sweep.h"
#include "msg.h"
#include "util.h"

#define DATE_BACK	2		/* seconds; see run_commands() */
#define NAME_CHARS	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
			"0123456789!@%-_=+:."
#define GROUP_CHARS	NAME_CHARS "/"

 /*
  * Shared installation parameters: a new instance's main.cf gets the
  * primary's value where the primary sets one, else the line is
  * commented out so that the compiled-in default applies.
  */
static const char *shared_params[] = {
    "command_directory", "daemon_directory", "meta_directory", "mail_owner",
    "setgid_group", "sendmail_path", "mailq_path", "newaliases_path",
    "html_directory", "manpage_directory", "sample_directory",
    "readme_directory", "shlib_directory",
};

/*
 * The plan.
 */
enum step_kind {
    STEP_MKDIR,				/* create a directory */
    STEP_WRITE,				/* install or replace a file */
    STEP_UNLINK,			/* remove a file */
    STEP_SWEEP,				/* clear and remove a directory */
    STEP_RMDIR,				/* remove a directory if empty */
    STEP_RUN,				/* run a command, after unlocking */
};

struct step {
    enum step_kind kind;
    char   *path;
    mode_t  mode;			/* MKDIR */
    strbuf  text;			/* WRITE: the new text */
    strbuf  old;			/* WRITE: the text it replaces */
    int     existed;			/* WRITE: was there a file? */
    char   *base_label;			/* WRITE: show a new file against */
    strbuf  base;			/* WRITE: ... this text */
    strlist argv;			/* RUN */
    int     role;			/* SWEEP */
    int     done;			/* for undo */
};

struct plan {
    struct step *v;
    size_t  n;
    strlist leftovers;			/* what destroy leaves in place */
};

struct context {
    const struct lifecycle *lc;
    struct insttab tab;
    int     lock_fd;
    struct plan plan;
    char   *main_cf;			/* the primary's main.cf */
    const char *doomed;			/* destroy: its config directory */
};

/* lifecycle_valid_action - is this an action we know? */

int     lifecycle_valid_action(const char *action)
{
    static const char *actions[] = {
	"init", "create", "import", "destroy", "deport", "enable", "disable", "assign",
    };

    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
	if (strcmp(action, actions[i]) == 0)
	    return (1);
    return (0);
}

/* add_step - append an empty step */

static struct step *add_step(struct plan *plan, enum step_kind kind, const char *path)
{
    struct step *s;

    plan->v = xrealloc(plan->v, (plan->n + 1) * sizeof(*plan->v));
    s = plan->v + plan->n++;
    memset(s, 0, sizeof(*s));
    s->kind = kind;
    s->path = path ? xstrdup(path) : 0;
    return (s);
}

/* plan_free - release a plan */

static void plan_free(struct plan *plan)
{
    for (size_t i = 0; i < plan->n; i++) {
	struct step *s = plan->v + i;

	free(s->path);
	sb_free(&s->text);
	sb_free(&s->old);
	free(s->base_label);
	sb_free(&s->base);
	sl_free(&s->argv);
    }
    free(plan->v);
    sl_free(&plan->leftovers);
}

/* find_write - the pending write of a file, or NULL */

static struct step *find_write(struct plan *plan, const char *path)
{
    for (size_t i = 0; i < plan->n; i++)
	if (plan->v[i].kind == STEP_WRITE && strcmp(plan->v[i].path, path) == 0)
	    return (plan->v + i);
    return (0);
}

/* final_newline - a text that ends with a newline, unless it is empty */

static void final_newline(strbuf *text)
{
    /*
     * postconf appends a new parameter right after the last byte, so a
     * main.cf without its final newline would have its last parameter
     * and the new one joined into one line.
     */
    if (text->len > 0 && text->s[text->len - 1] != '\n')
	sb_addc(text, '\n');
}

/* plan_edit - plan edits of an existing file; no step if nothing changes */

static void plan_edit(struct plan *plan, const char *path,
		              const struct edit_op *ops, size_t nops)
{
    struct step *s = find_write(plan, path);
    strbuf  cur = STRBUF_INIT, base = STRBUF_INIT, out = STRBUF_INIT;
    const char *why;

    for (size_t i = 0; i < nops; i++)
	if ((why = edit_check(ops + i)) != 0)
	    msg_fatal("cannot set %s in %s: %s", ops[i].name, path, why);
    if (s) {
	/* Several edits of one file are one write. */
	edit_apply(s->text.s, s->text.len, ops, nops, &out);
	sb_free(&s->text);
	s->text = out;
	return;
    }
    if (read_file(path, &cur, MAINCF_SIZE_LIMIT) < 0)
	msg_fatal("read %s: %s", path, strerror(errno));
    sb_add(&base, cur.s ? cur.s : "", cur.len);
    final_newline(&base);
    edit_apply(base.s ? base.s : "", base.len, ops, nops, &out);
    /* A missing final newline alone is no reason to write. */
    if (out.len == base.len && (base.len == 0 || memcmp(out.s, base.s, base.len) == 0)) {
	sb_free(&cur);
	sb_free(&base);
	sb_free(&out);
	return;
    }
    sb_free(&base);
    s = add_step(plan, STEP_WRITE, path);
    s->old = cur;
    s->existed = 1;
    s->text = out;
}

/* plan_set - plan "postconf -e name=value" on a file */

static void plan_set(struct plan *plan, const char *path, const char *name, const char *value)
{
    struct edit_op op = {EDIT_SET, name, value};

    plan_edit(plan, path, &op, 1);
}

/* plan_run - plan a postfix command for after the lock */

static void plan_run(struct context *ctx, const char *config_dir, const char *cmd)
{
    struct step *s = add_step(&ctx->plan, STEP_RUN, 0);

    sl_add_owned(&s->argv, xasprintf("%s/postfix", ctx->tab.conf.command_dir));
    sl_add(&s->argv, "-c");
    sl_add(&s->argv, config_dir);
    sl_add(&s->argv, cmd);
}

/* postfix_env - the clean environment of the postfix commands we run */

static void postfix_env(const struct context *ctx, strlist *env)
{
    char   *err, *imports = maincf_eval(ctx->tab.conf.cf, "import_environment", &err);

    if (imports == 0)
	msg_fatal("%s", err);
    env_import(env, imports);
    free(imports);
}

/* postfix_status - is the instance running? ("postfix status" succeeds) */

static int postfix_status(const struct context *ctx, const char *config_dir)
{
    strlist env = STRLIST_INIT;
    char   *postfix = xasprintf("%s/postfix", ctx->tab.conf.command_dir);
    char   *argv[] = {postfix, "-c", (char *) config_dir, "status", 0};
    int     status;

    postfix_env(ctx, &env);
    status = command_run(argv, &env, COMMAND_QUIET);
    sl_free(&env);
    free(postfix);
    return (status == 0);
}

 /*
  * Validation of what the user typed.
  */

/* visible - a refused value as a message shows it: control bytes as \ooo */

static char *visible(const char *value, size_t max)
{
    strbuf  out = STRBUF_INIT;

    /* The byte that got it refused must show, and no escape sequence run. */
    for (const char *cp = value; *cp && out.len < max; cp++) {
	if ((unsigned char) *cp < ' ' || *cp == 0x7f)
	    sb_printf(&out, "\\%03o", (unsigned char) *cp);
	else
	    sb_addc(&out, *cp);
    }
    if (out.len >= max)
	sb_puts(&out, "...");
    return (sb_take(&out));
}

/* check_name - an instance name (-I) or group (-G) */

static void check_name(const char *opt, const char *value, int is_name)
{
    size_t  plen = strlen(INSTANCE_NAME_PREFIX);

    if (strcmp(value, "-") == 0)
	return;
    if (*value == 0)
	msg_fatal("-%s: empty value; use \"-\" for none", opt);
    if (strspn(value, is_name ? NAME_CHARS : GROUP_CHARS) != strlen(value))
	msg_fatal("-%s \"%s\": only letters, digits and %s are allowed",
		  opt, visible(value, 80), is_name ? "!@%-_=+:." : "!@%-_=+:./");
    /* "postfix-" alone is a name, as upstream has it. */
    if (is_name && strncmp(value, INSTANCE_NAME_PREFIX, plen) != 0)
	msg_fatal("-I \"%s\": an instance name must start with \"%s\"",
		  value, INSTANCE_NAME_PREFIX);
}

/* check_dir_param - a directory given as name=value */

static char *check_dir_param(const char *param, const char *value)
{
    char   *dir = xstrdup(value), *clean;
    size_t  len = strlen(dir);

    if (dir[0] != '/')
	msg_fatal("%s=%s: not an absolute path", param, visible(value, 100));
    while (len > 1 && dir[len - 1] == '/')
	dir[--len] = 0;
    if (strcmp(dir, "/") == 0)
	msg_fatal("%s=%s: the root directory cannot be an instance directory", param, value);
    for (const char *cp = dir; *cp; cp++)
	if ((unsigned char) *cp <= ' ' || *cp == ',' || *cp == '$' || *cp == 0x7f)
	    msg_fatal("%s=%s: white space, control characters, \",\" and"
		      " \"$\" are not allowed in a directory name", param,
		      visible(value, 100));
    clean = path_clean(dir);
    if (strcmp(clean, dir) != 0)
	msg_fatal("%s=%s: not in canonical form (\"//\", \".\" or \"..\"); did you mean %s?",
		  param, value, clean);
    free(clean);
    return (dir);
}

/* sibling - the primary's directory with its last component replaced */

static char *sibling(const char *primary_dir, const char *name)
{
    const char *slash = strrchr(primary_dir, '/');

    return (xasprintf("%.*s/%s", (int) (slash - primary_dir), primary_dir, name));
}

/* check_init - life-cycle actions need "postmulti -e init" first */

static void check_init(struct context *ctx)
{
    char   *err, *wrapper;
    int     enabled;

    if ((wrapper = maincf_eval(ctx->tab.conf.cf, "multi_instance_wrapper", &err)) == 0)
	msg_fatal("%s", err);
    if (*wrapper == 0)
	msg_fatal("multi_instance_wrapper is empty in %s: run \"postmulti -e init\" first",
		  ctx->main_cf);
    free(wrapper);
    if (maincf_bool(ctx->tab.conf.cf, "multi_instance_enable", &enabled, &err) < 0)
	msg_fatal("%s", err);
    if (!enabled)
	msg_fatal("multi_instance_enable is not \"yes\" in %s: run \"postmulti -e init\" first",
		  ctx->main_cf);
}

/* target - the existing instance that -i names */

static struct instance *target(struct context *ctx)
{
    const struct lifecycle *lc = ctx->lc;
    ssize_t i;

    if (lc->sel.kind != SELECT_NAME)
	msg_fatal("-e %s: select the instance with -i name", lc->action);
    if ((i = insttab_find(&ctx->tab, &lc->sel)) < 0) {
	strlist maybe = STRLIST_INIT;

	/*
	 * A damaged instance has no name we can know; an interrupted
	 * destroy leaves one behind, and the same command must say how to
	 * finish it.
	 */
	for (size_t j = 0; j < ctx->tab.n; j++)
	    if (instance_match(ctx->tab.v + j, &lc->sel) == MATCH_UNKNOWN)
		sl_add(&maybe, ctx->tab.v[j].config_dir);
	if (maybe.n > 0)
	    msg_fatal("-e %s: no instance matches \"-i %s\"; a damaged instance"
		      " can be selected only by its config directory: -i %s",
		      lc->action, lc->sel.arg, sl_join(&maybe, " or -i "));
	msg_fatal("-e %s: no instance matches \"-i %s\"", lc->action, lc->sel.arg);
    }
    return (ctx->tab.v + i);
}

/* healthy_target - the target, which must have a usable main.cf */

static struct instance *healthy_target(struct context *ctx)
{
    struct instance *inst = target(ctx);

    if (inst->damage)
	msg_fatal("-e %s: instance %s is damaged: %s", ctx->lc->action,
		  inst->config_dir, inst->damage);
    return (inst);
}

/* instance_main_cf - path of an instance's main.cf */

static char *instance_main_cf(const struct instance *inst)
{
    return (xasprintf("%s/main.cf", inst->config_dir));
}

 /*
  * The registration list edits: multi_instance_directories and
  * alternate_config_directories in the primary's main.cf.
  */

/* list_without - a list value minus one directory, compared canonically */

static char *list_without(const strlist *list, const char *dir, int *found)
{
    strlist keep = STRLIST_INIT;
    char   *joined;

    *found = 0;
    for (size_t i = 0; i < list->n; i++) {
	if (path_same(list->v[i], dir))
	    *found = 1;
	else
	    sl_add(&keep, list->v[i]);
    }
    joined = sl_join(&keep, " ");
    sl_free(&keep);
    return (joined);
}

/* alternate_list - the primary's alternate_config_directories */

static void alternate_list(struct context *ctx, strlist *list)
{
    char   *err, *value = maincf_eval(ctx->tab.conf.cf, "alternate_config_directories", &err);

    if (value == 0)
	msg_fatal("%s", err);
    sl_split(list, value, " \t\r\n,");
    free(value);
}

/* plan_register - add a directory to multi_instance_directories at pos */

static void plan_register(struct context *ctx, const char *dir, size_t pos)
{
    strlist dirs = STRLIST_INIT, alt = STRLIST_INIT;
    char   *joined;
    int     found;

    for (size_t i = 0; i < ctx->tab.conf.instance_dirs.n; i++)
	sl_add(&dirs, ctx->tab.conf.instance_dirs.v[i]);
    sl_insert(&dirs, pos, dir);
    joined = sl_join(&dirs, " ");
    plan_set(&ctx->plan, ctx->main_cf, "multi_instance_directories", joined);
    free(joined);
    alternate_list(ctx, &alt);
    joined = list_without(&alt, dir, &found);
    if (found)
	plan_set(&ctx->plan, ctx->main_cf, "alternate_config_directories", joined);
    free(joined);
    sl_free(&dirs);
    sl_free(&alt);
}

/* plan_unregister - drop a directory from the lists; maybe list it as alternate */

static void plan_unregister(struct context *ctx, const char *dir, int make_alternate)
{
    strlist alt = STRLIST_INIT;
    char   *joined;
    int     found;

    joined = list_without(&ctx->tab.conf.instance_dirs, dir, &found);
    plan_set(&ctx->plan, ctx->main_cf, "multi_instance_directories", joined);
    free(joined);
    alternate_list(ctx, &alt);
    joined = list_without(&alt, dir, &found);
    if (make_alternate && !found) {
	char   *more = *joined ? xasprintf("%s %s", joined, dir) : xstrdup(dir);

	plan_set(&ctx->plan, ctx->main_cf, "alternate_config_directories", more);
	free(more);
    } else if (!make_alternate && found) {
	plan_set(&ctx->plan, ctx->main_cf, "alternate_config_directories", joined);
    }
    free(joined);
    sl_free(&alt);
}

/* placement - where -a, -g or -i put a new instance in the list */

static size_t placement(struct context *ctx)
{
    const struct selection *sel = &ctx->lc->sel;
    struct insttab *tab = &ctx->tab;

    if (!ctx->lc->sel_given)
	return (tab->conf.instance_dirs.n);
    if (sel->kind == SELECT_ALL)
	return (0);
    for (size_t i = 1; i < tab->n; i++)
	if (instance_match(tab->v + i, sel) == MATCH_YES)
	    return (i - 1);
    if (sel->kind == SELECT_GROUP)
	msg_fatal("-g %s: no secondary instance is a member of that group", sel->arg);
    msg_fatal("-i %s: no secondary instance matches; a new instance is placed"
	      " before a secondary instance", sel->arg);
}

 /*
  * init
  */

/* own_wrapper - the wrapper command that runs this program */

static char *own_wrapper(struct context *ctx)
{
    char   *standard = xasprintf("%s/postmulti", ctx->tab.conf.command_dir);
    char    self[4096];
    ssize_t len;
    struct stat st_self, st_std;

    /* The usual case: we are $command_directory/postmulti. */
    if (stat("/proc/self/exe", &st_self) < 0
	|| (stat(standard, &st_std) == 0 && st_std.st_dev == st_self.st_dev
	    && st_std.st_ino == st_self.st_ino)
	|| (len = readlink("/proc/self/exe", self, sizeof(self) - 1)) < 0) {
	free(standard);
	return (xstrdup("${command_directory}/postmulti -p --"));
    }
    free(standard);
    self[len] = 0;
    for (const char *cp = self; *cp; cp++)
	if ((unsigned char) *cp <= ' ' || *cp == '$' || *cp == ',')
	    msg_fatal("cannot name %s in multi_instance_wrapper (white space, \"$\" or"
		      " \",\"): install postmulti as %s/postmulti",
		      self, ctx->tab.conf.command_dir);
    return (xasprintf("%s -p --", self));
}

/* plan_init - set the wrapper and enable the primary */

static void plan_init(struct context *ctx)
{
    char   *wrapper = own_wrapper(ctx);
    struct edit_op ops[] = {
	{EDIT_SET, "multi_instance_wrapper", wrapper},
	{EDIT_SET, "multi_instance_enable", "yes"},
    };
    const char *cur = maincf_get(ctx->tab.conf.cf, "multi_instance_wrapper");
    const char *en = maincf_get(ctx->tab.conf.cf, "multi_instance_enable");

    /* Leave an equivalent setting alone: nothing to write. */
    if (cur && strcmp(cur, wrapper) == 0 && en && strcmp(en, "yes") == 0) {
	free(wrapper);
	return;
    }
    plan_edit(&ctx->plan, ctx->main_cf, ops, 2);
    free(wrapper);
}

 /*
  * create and import
  */

struct newinst {
    char   *config_dir;
    char   *queue_dir;
    char   *data_dir;
    const char *name;			/* -I: NULL, "-" or a name */
    const char *group;			/* -G: NULL, "-" or a group */
};

/* parse_params - config_directory=, queue_directory=, data_directory= */

static void parse_params(struct context *ctx, struct newinst *ni, int import)
{
    for (char **cpp = ctx->lc->params; *cpp; cpp++) {
	char   *eq = strchr(*cpp, '=');
	char  **slot;
	char   *param;

	if (eq == 0)
	    msg_fatal("-e %s: \"%s\": expected name=value", ctx->lc->action, *cpp);
	param = xstrndup(*cpp, (size_t) (eq - *cpp));
	if (strcmp(param, "config_directory") == 0)
	    slot = &ni->config_dir;
	else if (!import && strcmp(param, "queue_directory") == 0)
	    slot = &ni->queue_dir;
	else if (!import && strcmp(param, "data_directory") == 0)
	    slot = &ni->data_dir;
	else
	    msg_fatal("-e %s: \"%s\": only %s can be given", ctx->lc->action, *cpp,
		      import ? "config_directory=" :
		      "config_directory=, queue_directory= and data_directory=");
	if (*slot)
	    msg_fatal("-e %s: %s given twice", ctx->lc->action, param);
	*slot = check_dir_param(param, eq + 1);
	free(param);
    }
}

/* default_dir - a private directory named after the new instance */

static char *default_dir(struct context *ctx, const char *param, const char *primary_dir)
{
    const char *name = ctx->lc->new_name;

    if (name == 0 || strcmp(name, "-") == 0)
	msg_fatal("-e %s: give the instance a name with -I, or give %s=",
		  ctx->lc->action, param);
    /* Upstream fails in mkdir; say why, in a message of sensible length. */
    if (strlen(name) > NAME_MAX)
	msg_fatal("-e %s: -I %s: longer than %d bytes, too long for the default"
		  " %s; give %s=", ctx->lc->action, visible(name, 40), NAME_MAX,
		  param, param);
    return (sibling(primary_dir, name));
}

/* check_new_claims - the new instance must not collide with any other */

static void check_new_claims(struct context *ctx, struct instance *cand)
{
    const char *what[] = {"config_directory", "queue_directory", "data_directory"};
    const char *dirs[] = {cand->config_dir, cand->queue_dir, cand->data_dir};
    char   *err;

    /*
     * The claim table holds only registered instances, so it can't see
     * the new one's directories collide with each other.
     */
    for (size_t i = 0; i < 3; i++) {
	for (size_t j = i + 1; j < 3; j++) {
	    if (path_same(dirs[i], dirs[j]))
		msg_fatal("%s %s of %s is also its %s: an instance needs three"
			  " directories of its own", what[j], dirs[j], cand->config_dir,
			  what[i]);
	}
    }

    for (size_t i = 0; i < ctx->tab.n; i++) {
	int     same = path_same(ctx->tab.v[i].config_dir, cand->config_dir);

	if (same && ctx->tab.v[i].primary)
	    msg_fatal("%s is already the primary instance", cand->config_dir);
	/* Registration comes before set-permissions: say how to finish. */
	if (same)
	    msg_fatal("%s is already a registered instance (see postmulti -l); if"
		      " its create or import was interrupted, finish it with"
		      " \"postfix -c %s set-permissions\"", cand->config_dir,
		      cand->config_dir);
    }
    if ((err = claims_check(ctx->tab.claims, cand)) != 0)
	msg_fatal("%s", err);
}

/* final_value - what -I/-G make of a current value */

static const char *final_value(const char *given, const char *current)
{
    if (given == 0)
	return (current);
    return (strcmp(given, "-") == 0 ? "" : given);
}

/* plan_names - set name and group in an instance's main.cf text */

static void plan_names(struct context *ctx, const char *path, const struct newinst *ni)
{
    if (ni->name)
	plan_set(&ctx->plan, path, "multi_instance_name", final_value(ni->name, ""));
    if (ni->group)
	plan_set(&ctx->plan, path, "multi_instance_group", final_value(ni->group, ""));
}

/* plan_one_mkdir - plan one missing directory, once */

static void plan_one_mkdir(struct context *ctx, const char *path, mode_t mode)
{
    struct stat st;

    if (stat(path, &st) == 0) {
	if (!S_ISDIR(st.st_mode))
	    msg_fatal("%s: not a directory", path);
	return;
    }
    if (errno != ENOENT)
	msg_fatal("%s: %s", path, strerror(errno));
    for (size_t i = 0; i < ctx->plan.n; i++)
	if (ctx->plan.v[i].kind == STEP_MKDIR && strcmp(ctx->plan.v[i].path, path) == 0)
	    return;
    add_step(&ctx->plan, STEP_MKDIR, path)->mode = mode;
}

/* plan_mkdir - plan "mkdir -p": parents 0755, the directory itself mode */

static void plan_mkdir(struct context *ctx, const char *dir, mode_t mode)
{
    char   *path = xstrdup(dir);

    for (char *cp = path + 1; *cp; cp++) {
	if (*cp == '/') {
	    *cp = 0;
	    plan_one_mkdir(ctx, path, 0755);
	    *cp = '/';
	}
    }
    plan_one_mkdir(ctx, path, mode);
    free(path);
}

/* read_proto - a prototype file from $meta_directory */

static void read_proto(struct context *ctx, const char *file, strbuf *out)
{
    char   *path = xasprintf("%s/%s", ctx->tab.conf.meta_dir, file);

    if (read_file(path, out, MAINCF_SIZE_LIMIT) < 0)
	msg_fatal("read prototype %s: %s", path, strerror(errno));
    free(path);
}

/* plan_install - install a new file, unless the same text is there */

static void plan_install(struct context *ctx, const char *path, strbuf *text,
			         const char *base_label, const strbuf *base)
{
    strbuf  cur = STRBUF_INIT;
    struct step *s;

    if (read_file(path, &cur, MAINCF_SIZE_LIMIT) == 0) {
	int     same = cur.len == text->len && memcmp(cur.s, text->s, cur.len) == 0;

	sb_free(&cur);
	/* Ours from an interrupted run: keep it. Anyone else's: refuse. */
	if (same) {
	    sb_free(text);
	    return;
	}
	msg_fatal("%s exists and is not the file postmulti would install: move it"
		  " away, or import the instance once both main.cf and master.cf exist",
		  path);
    }
    if (errno != ENOENT)
	msg_fatal("%s: %s", path, strerror(errno));
    sb_free(&cur);
    s = add_step(&ctx->plan, STEP_WRITE, path);
    s->text = *text;
    memset(text, 0, sizeof(*text));
    s->base_label = xstrdup(base_label);
    sb_add(&s->base, base->s ? base->s : "", base->len);
}

/* name_op - set a new instance's name or group; "-" removes it */

static struct edit_op name_op(const char *param, const char *given)
{
    if (strcmp(given, "-") == 0)
	return ((struct edit_op) {EDIT_REMOVE, param, 0});
    return ((struct edit_op) {EDIT_SET, param, given});
}

/* new_main_cf - the stock main.cf made into the new instance's */

static void new_main_cf(struct context *ctx, const struct newinst *ni,
			        strbuf *proto, strbuf *out)
{
    struct edit_op ops[64];
    size_t  n = 0, nshared = sizeof(shared_params) / sizeof(shared_params[0]);

    for (size_t i = 0; i < nshared; i++) {
	const char *v = maincf_get(ctx->tab.conf.cf, shared_params[i]);

	if (v == 0 || *v == 0)
	    ops[n++] = (struct edit_op) {EDIT_COMMENT, shared_params[i], 0};
    }
    ops[n++] = (struct edit_op) {EDIT_SET, "queue_directory", ni->queue_dir};
    ops[n++] = (struct edit_op) {EDIT_SET, "data_directory", ni->data_dir};
    ops[n++] = (struct edit_op) {EDIT_SET, "authorized_submit_users", ""};
    ops[n++] = (struct edit_op) {EDIT_SET, "master_service_disable", "inet"};
    for (size_t i = 0; i < nshared; i++) {
	const char *v = maincf_get(ctx->tab.conf.cf, shared_params[i]);

	if (v && *v)
	    ops[n++] = (struct edit_op) {EDIT_SET, shared_params[i], v};
    }
    /* "-" on a new instance: no definition at all, as upstream writes. */
    if (ni->name)
	ops[n++] = name_op("multi_instance_name", ni->name);
    if (ni->group)
	ops[n++] = name_op("multi_instance_group", ni->group);
    for (size_t i = 0; i < n; i++) {
	const char *why = edit_check(ops + i);

	if (why)
	    msg_fatal("cannot set %s: %s", ops[i].name, why);
    }
    final_newline(proto);
    edit_apply(proto->s ? proto->s : "", proto->len, ops, n, out);
}

/* has_instance_files - does a directory hold both main.cf and master.cf? */

static int has_instance_files(const char *dir)
{
    char   *m = xasprintf("%s/main.cf", dir), *s = xasprintf("%s/master.cf", dir);
    struct stat st;
    int     yes = stat(m, &st) == 0 && S_ISREG(st.st_mode)
    && stat(s, &st) == 0 && S_ISREG(st.st_mode);

    free(m);
    free(s);
    return (yes);
}

/* check_postfix_can_run - what "postfix set-permissions" needs of main.cf */

static void check_postfix_can_run(struct context *ctx, const char *config_dir)
{
    static const char *dir_params[] = {"command_directory", "daemon_directory"};
    MAINCF *cf;
    char   *err, *value;
    struct passwd *pw;
    struct group *gr;
    struct stat st;

    /*
     * set-permissions runs once the instance is registered, after the
     * lock is released: what would make it fail must stop the action
     * here, before anything has changed. These are the checks that
     * Postfix makes of a main.cf that create did not write.
     */
    if ((cf = maincf_load(config_dir, &err)) == 0)
	msg_fatal("-e %s: %s", ctx->lc->action, err);
    for (size_t i = 0; i < sizeof(dir_params) / sizeof(dir_params[0]); i++) {
	if ((value = maincf_eval(cf, dir_params[i], &err)) == 0)
	    msg_fatal("-e %s: %s", ctx->lc->action, err);
	if (stat(value, &st) < 0 || !S_ISDIR(st.st_mode))
	    msg_fatal("-e %s: %s/main.cf: %s = %s is not a directory: postfix could"
		      " not run for this instance; nothing was changed",
		      ctx->lc->action, config_dir, dir_params[i], value);
	free(value);
    }
    if ((value = maincf_eval(cf, "mail_owner", &err)) == 0)
	msg_fatal("-e %s: %s", ctx->lc->action, err);
    if ((pw = getpwnam(value)) == 0 || pw->pw_uid == 0)
	msg_fatal("-e %s: %s/main.cf: mail_owner = %s is %s: postfix could not run"
		  " for this instance; nothing was changed", ctx->lc->action,
		  config_dir, value, pw ? "the super-user" : "an unknown user");
    free(value);
    if ((value = maincf_eval(cf, "setgid_group", &err)) == 0)
	msg_fatal("-e %s: %s", ctx->lc->action, err);
    if ((gr = getgrnam(value)) == 0 || gr->gr_gid == 0)
	msg_fatal("-e %s: %s/main.cf: setgid_group = %s is %s: postfix could not run"
		  " for this instance; nothing was changed", ctx->lc->action,
		  config_dir, value, gr ? "the super-user's group" : "an unknown group");
    free(value);
    maincf_free(cf);
}

/* plan_import - register an existing instance */

static void plan_import(struct context *ctx, struct newinst *ni)
{
    struct instance cand;
    char   *path;

    if (!has_instance_files(ni->config_dir))
	msg_fatal("-e %s: %s must hold both main.cf and master.cf", ctx->lc->action,
		  ni->config_dir);
    if (load_secondary(&cand, ni->config_dir) < 0)
	msg_fatal("-e %s: %s", ctx->lc->action, cand.damage);
    if ((ni->queue_dir && strcmp(ni->queue_dir, cand.queue_dir) != 0)
	|| (ni->data_dir && strcmp(ni->data_dir, cand.data_dir) != 0))
	msg_fatal("%s is an existing instance with queue_directory %s and data_directory"
		  " %s: leave out queue_directory= and data_directory=",
		  ni->config_dir, cand.queue_dir, cand.data_dir);
    if (ni->name) {
	free(cand.name);
	cand.name = xstrdup(final_value(ni->name, ""));
    }
    check_new_claims(ctx, &cand);
    check_postfix_can_run(ctx, ni->config_dir);

    /*
     * All or nothing: set-permissions cannot work in a queue directory
     * that is not there. Make what is missing as create would; undo
     * removes it again if a later step fails.
     */
    plan_mkdir(ctx, cand.queue_dir, 0755);
    plan_mkdir(ctx, cand.data_dir, 0700);
    path = instance_main_cf(&cand);
    plan_names(ctx, path, ni);
    plan_register(ctx, ni->config_dir, placement(ctx));
    plan_run(ctx, ni->config_dir, "set-permissions");
    free(path);
    instance_free(&cand);
}

/* plan_create - a new instance from the prototype files */

static void plan_create(struct context *ctx, int import)
{
    struct newinst ni = {0};
    struct instance *primary = ctx->tab.v;
    struct instance cand = {0};
    strbuf  proto = STRBUF_INIT, master = STRBUF_INIT, text = STRBUF_INIT;
    char   *main_path, *master_path, *proto_label;

    if (ctx->lc->new_name)
	check_name("I", ctx->lc->new_name, 1);
    if (ctx->lc->new_group)
	check_name("G", ctx->lc->new_group, 0);
    ni.name = ctx->lc->new_name;
    ni.group = ctx->lc->new_group;
    parse_params(ctx, &ni, import);
    if (ni.config_dir == 0)
	ni.config_dir = default_dir(ctx, "config_directory", primary->config_dir);

    /* Create over a complete instance is import, as upstream does. */
    if (import || has_instance_files(ni.config_dir)) {
	plan_import(ctx, &ni);
	goto done;
    }
    if (ni.queue_dir == 0)
	ni.queue_dir = default_dir(ctx, "queue_directory", primary->queue_dir);
    if (ni.data_dir == 0)
	ni.data_dir = default_dir(ctx, "data_directory", primary->data_dir);

    cand.config_dir = ni.config_dir;
    cand.queue_dir = ni.queue_dir;
    cand.data_dir = ni.data_dir;
    cand.name = (char *) final_value(ni.name, "");
    cand.group = (char *) final_value(ni.group, "");
    check_new_claims(ctx, &cand);

    read_proto(ctx, "main.cf.proto", &proto);
    read_proto(ctx, "master.cf.proto", &master);
    new_main_cf(ctx, &ni, &proto, &text);

    plan_mkdir(ctx, ni.config_dir, 0755);
    plan_mkdir(ctx, ni.queue_dir, 0755);
    plan_mkdir(ctx, ni.data_dir, 0700);
    main_path = xasprintf("%s/main.cf", ni.config_dir);
    master_path = xasprintf("%s/master.cf", ni.config_dir);
    proto_label = xasprintf("%s/main.cf.proto", ctx->tab.conf.meta_dir);
    /* main.cf first, master.cf last: its presence marks a complete instance. */
    plan_install(ctx, main_path, &text, proto_label, &proto);
    free(proto_label);
    proto_label = xasprintf("%s/master.cf.proto", ctx->tab.conf.meta_dir);
    {
	strbuf  copy = STRBUF_INIT;

	sb_add(&copy, master.s ? master.s : "", master.len);
	plan_install(ctx, master_path, &copy, proto_label, &master);
    }
    plan_register(ctx, ni.config_dir, placement(ctx));
    plan_run(ctx, ni.config_dir, "set-permissions");
    free(proto_label);
    free(main_path);
    free(master_path);
    sb_free(&proto);
    sb_free(&master);
    sb_free(&text);

done:
    free(ni.config_dir);
    free(ni.queue_dir);
    free(ni.data_dir);
}

 /*
  * enable, disable, assign
  */

/* plan_enable - set multi_instance_enable */

static void plan_enable(struct context *ctx, int enable)
{
    struct instance *inst = healthy_target(ctx);
    char   *path = instance_main_cf(inst);

    /*
     * Always "postconf -e", as upstream: the parameter is written even
     * where its value is the default; a file that already says so in
     * the same words is left alone.
     */
    plan_set(&ctx->plan, path, "multi_instance_enable", enable ? "yes" : "no");
    free(path);
}

/* plan_assign - new name and/or group */

static void plan_assign(struct context *ctx)
{
    const struct lifecycle *lc = ctx->lc;
    struct instance *inst = healthy_target(ctx);
    struct newinst ni = {0};
    char   *path, *old_name, *err;

    if (lc->new_name == 0 && lc->new_group == 0)
	msg_fatal("-e assign: give a new name with -I and/or a new group with -G");
    if (lc->new_name)
	check_name("I", lc->new_name, 1);
    if (lc->new_group)
	check_name("G", lc->new_group, 0);
    if (lc->new_name && strcmp(final_value(lc->new_name, ""), inst->name) != 0)
	ni.name = lc->new_name;
    if (lc->new_group && strcmp(final_value(lc->new_group, ""), inst->group) != 0)
	ni.group = lc->new_group;
    if (ni.name == 0 && ni.group == 0) {
	if (msg_verbose)
	    msg_info("%s: nothing to change", inst->config_dir);
	return;
    }
    if (ni.name) {
	/* The same instance, claiming its new name. */
	old_name = inst->name;
	inst->name = (char *) final_value(ni.name, "");
	err = claims_check(ctx->tab.claims, inst);
	inst->name = old_name;
	if (err)
	    msg_fatal("%s", err);
    }
    path = instance_main_cf(inst);
    plan_names(ctx, path, &ni);
    free(path);
}

 /*
  * deport and destroy
  */

/* check_removable - deport and destroy: a stopped, disabled secondary */

static void check_removable(struct context *ctx, struct instance *inst)
{
    const char *how = ctx->lc->action;

    if (inst->primary)
	msg_fatal("-e %s: the primary instance cannot be %s", how,
		  strcmp(how, "deport") == 0 ? "deported" : "destroyed");
    if (inst->enabled)
	msg_fatal("-e %s: instance %s is enabled: first run \"postmulti -i %s -e disable\"",
		  how, inst->config_dir, *inst->name ? inst->name : inst->config_dir);
    if (postfix_status(ctx, inst->config_dir))
	msg_fatal("-e %s: instance %s is running: first run \"postfix -c %s stop\"",
		  how, inst->config_dir, inst->config_dir);
}

/* main_cf_gone - is a damaged instance's main.cf simply not there? */

static int main_cf_gone(const struct instance *inst)
{
    char   *path = instance_main_cf(inst);
    struct stat st;
    int     gone = lstat(path, &st) < 0 && errno == ENOENT;

    free(path);
    return (gone);
}

/* plan_deport - unregister, keep the files */

static void plan_deport(struct context *ctx)
{
    struct instance *inst = target(ctx);

    if (inst->damage) {
	if (inst->primary || !main_cf_gone(inst))
	    msg_fatal("-e deport: instance %s is damaged: %s", inst->config_dir, inst->damage);
	/* Already deleted: nothing to keep track of. */
	plan_unregister(ctx, inst->config_dir, 0);
	return;
    }
    check_removable(ctx, inst);
    plan_unregister(ctx, inst->config_dir, 1);
}

/* check_writable - destroy must be able to remove what is in a directory */

static void check_writable(const char *dir)
{
    if (access(dir, W_OK) < 0)
	msg_fatal("-e destroy: cannot remove files in %s: %s; nothing was changed",
		  dir, strerror(errno));
}

/* check_parent_writable - ... and to remove the directory itself */

static void check_parent_writable(const char *dir)
{
    char   *clean = path_clean(dir), *slash = strrchr(clean, '/');

    if (slash != 0) {
	/* The parent of "/x" is "/". */
	slash[slash == clean ? 1 : 0] = 0;
	check_writable(clean);
    }
    free(clean);
}

/* plan_destroy - check everything, then plan the removal */

static void plan_destroy(struct context *ctx)
{
    struct instance *inst = target(ctx);
    struct sweep look = {0};
    strlist seen = STRLIST_INIT;
    struct stat st;
    struct step *s;

    ctx->doomed = inst->config_dir;

    if (inst->damage) {
	if (inst->primary || !main_cf_gone(inst))
	    msg_fatal("-e destroy: instance %s is damaged: %s", inst->config_dir, inst->damage);
	/* An earlier destroy got as far as main.cf: finish it. */
	msg_warn("%s/main.cf is gone: unregistering %s; its queue and data directories,"
		 " if any, are unknown and left alone", inst->config_dir, inst->config_dir);
	add_step(&ctx->plan, STEP_RMDIR, inst->config_dir);
	plan_unregister(ctx, inst->config_dir, 0);
	return;
    }
    check_removable(ctx, inst);

    /* Directories must be directories, not symbolic links. */
    if (lstat(inst->config_dir, &st) < 0 || !S_ISDIR(st.st_mode))
	msg_fatal("-e destroy: %s is not a directory", inst->config_dir);
    /* What stays is reported once, by the sweep that acts. */
    look.left = &seen;
    sweep(&look, inst->queue_dir, ROLE_QUEUE);
    sweep(&look, inst->data_dir, ROLE_DATA);
    if (look.refuse)
	msg_fatal("-e destroy: %s; nothing was changed", look.refuse);

    /*
     * Removed files can't come back: a read-only or immutable directory
     * must stop destroy before it starts, not half way.
     */
    check_writable(inst->config_dir);
    check_parent_writable(inst->config_dir);
    check_parent_writable(inst->queue_dir);
    check_parent_writable(inst->data_dir);
    check_writable(ctx->tab.v[0].config_dir);
    if (look.messages)
	msg_fatal("-e destroy: the queue of %s holds %zu message file%s: deliver or"
		  " delete them first (postqueue -c %s -p)", inst->config_dir,
		  look.messages, look.messages == 1 ? "" : "s", inst->config_dir);
    sl_free(&look.removed);
    sl_free(&seen);

    /* master.cf first: without it the instance is incomplete, not live. */
    s = add_step(&ctx->plan, STEP_UNLINK, 0);
    s->path = xasprintf("%s/master.cf", inst->config_dir);
    add_step(&ctx->plan, STEP_SWEEP, inst->queue_dir)->role = ROLE_QUEUE;
    add_step(&ctx->plan, STEP_SWEEP, inst->data_dir)->role = ROLE_DATA;
    s = add_step(&ctx->plan, STEP_UNLINK, 0);
    s->path = xasprintf("%s/main.cf", inst->config_dir);
    add_step(&ctx->plan, STEP_RMDIR, inst->config_dir);
    plan_unregister(ctx, inst->config_dir, 0);
}

 /*
  * Dry run and execution.
  */

/* print_plan - what the plan would do, on stdout */

static void print_plan(struct context *ctx)
{
    strbuf  out = STRBUF_INIT;

    sb_printf(&out, "postmulti: dry run of -e %s: nothing is changed\n", ctx->lc->action);
    for (size_t i = 0; i < ctx->plan.n; i++) {
	struct step *s = ctx->plan.v + i;

	switch (s->kind) {
	case STEP_MKDIR:
	    sb_printf(&out, "create directory %s (mode %04o)\n", s->path, (unsigned) s->mode);
	    break;
	case STEP_WRITE:
	    if (s->existed) {
		sb_printf(&out, "update %s\n", s->path);
		diff_unified(&out, s->old.s, s->old.len, s->text.s, s->text.len,
			     s->path, s->path);
	    } else {
		sb_printf(&out, "create file %s (shown against %s)\n", s->path, s->base_label);
		diff_unified(&out, s->base.s ? s->base.s : "", s->base.len, s->text.s,
			     s->text.len, s->base_label, s->path);
	    }
	    break;
	case STEP_UNLINK:
	    sb_printf(&out, "remove file %s\n", s->path);
	    break;
	case STEP_SWEEP:{
		struct sweep look = {0};
		strlist left = STRLIST_INIT;

		look.left = &left;
		sweep(&look, s->path, (enum role) s->role);
		for (size_t j = 0; j < look.removed.n; j++)
		    sb_printf(&out, "remove %s\n", look.removed.v[j]);
		for (size_t j = 0; j < left.n; j++)
		    sb_printf(&out, "leave %s (not created by Postfix)\n", left.v[j]);
		sl_free(&look.removed);
		sl_free(&left);
		break;
	    }
	case STEP_RMDIR:
	    sb_printf(&out, "remove directory %s if empty\n", s->path);
	    break;
	case STEP_RUN:{
		char   *cmd = sl_join(&s->argv, " ");

		sb_printf(&out, "run %s\n", cmd);
		free(cmd);
		break;
	    }
	}
    }
    fwrite(out.s, 1, out.len, stdout);
    sb_free(&out);
    if (fflush(stdout) != 0)
	msg_fatal("write standard output: %s", strerror(errno));
}

/* undo - put back what the steps so far changed, latest first */

static void undo(struct context *ctx)
{
    char   *err;

    for (size_t i = ctx->plan.n; i-- > 0;) {
	struct step *s = ctx->plan.v + i;

	if (!s->done)
	    continue;
	if (s->kind == STEP_WRITE && s->existed) {
	    if (cf_replace(s->path, s->old.s ? s->old.s : "", s->old.len, &err) < 0) {
		msg_warn("undo: %s", err);
		free(err);
	    }
	} else if (s->kind == STEP_WRITE) {
	    if (unlink(s->path) < 0 && errno != ENOENT)
		msg_warn("undo: remove %s: %s", s->path, strerror(errno));
	} else if (s->kind == STEP_MKDIR) {
	    if (rmdir(s->path) < 0)
		msg_warn("undo: remove %s: %s", s->path, strerror(errno));
	}
    }
}

/* clean_temps - remove what an earlier run, killed, left beside a file */

static void clean_temps(const char *path)
{
    char   *err;
    int     n;

    /*
     * We hold the lock, and every life-cycle edit happens under it: a
     * temporary file of this file is no other run's work in progress.
     */
    if ((n = cf_clean(path, &err)) < 0) {
	msg_warn("%s", err);
	free(err);
    } else if (n > 0 && msg_verbose) {
	msg_info("%s: removed %d temporary file%s of an interrupted run",
		 path, n, n == 1 ? "" : "s");
    }
}

/* do_step - carry out one step; NULL or the reason it failed */

static char *do_step(struct context *ctx, struct step *s)
{
    char   *err = 0;

    switch (s->kind) {
    case STEP_MKDIR:
	if (mkdir(s->path, s->mode) < 0 && errno != EEXIST)
	    return (xasprintf("create directory %s: %s", s->path, strerror(errno)));
	/* mkdir() is subject to the umask; the data directory is 0700 anyway. */
	if (chmod(s->path, s->mode) < 0)
	    return (xasprintf("chmod %s: %s", s->path, strerror(errno)));
	break;
    case STEP_WRITE:
	clean_temps(s->path);
	if (cf_replace(s->path, s->text.s ? s->text.s : "", s->text.len, &err) < 0)
	    return (err);
	break;
    case STEP_UNLINK:
	clean_temps(s->path);
	if (unlink(s->path) < 0 && errno != ENOENT)
	    return (xasprintf("remove %s: %s", s->path, strerror(errno)));
	break;
    case STEP_SWEEP:{
	    struct sweep sw = {0};

	    sw.act = 1;
	    sw.left = &ctx->plan.leftovers;
	    sweep(&sw, s->path, (enum role) s->role);
	    sl_free(&sw.removed);
	    free(sw.refuse);
	    if (sw.error)
		return (sw.error);
	    break;
	}
    case STEP_RMDIR:
	if (rmdir(s->path) < 0 && errno != ENOENT)
	    sweep_leave(&ctx->plan.leftovers, s->path);
	break;
    case STEP_RUN:
	break;
    }
    return (0);
}

/* date_back - date the files this action wrote back, for Postfix */

static void date_back(struct context *ctx)
{
    struct timespec times[2];

    clock_gettime(CLOCK_REALTIME, times);
    times[0].tv_sec -= DATE_BACK;
    times[1] = times[0];
    for (size_t i = 0; i < ctx->plan.n; i++) {
	struct step *s = ctx->plan.v + i;

	if (s->kind == STEP_WRITE && s->done
	    && utimensat(AT_FDCWD, s->path, times, AT_SYMLINK_NOFOLLOW) < 0
	    && msg_verbose)
	    msg_info("set the time of %s: %s", s->path, strerror(errno));
    }
}

/* run_commands - the steps that run postfix, after unlocking */

static int run_commands(struct context *ctx)
{
    int     failed = 0, dated = 0;

    for (size_t i = 0; i < ctx->plan.n; i++) {
	struct step *s = ctx->plan.v + i;
	strlist env = STRLIST_INIT;
	int     status;

	if (s->kind != STEP_RUN)
	    continue;
	if (!dated++)
	    date_back(ctx);
	postfix_env(ctx, &env);
	if ((status = command_run(s->argv.v, &env, 0)) != 0) {
	    char   *cmd = sl_join(&s->argv, " ");

	    msg_warn("\"%s\" failed (status %d): the instance is registered;"
		     " run that command again once the problem is fixed", cmd, status);
	    free(cmd);
	    failed = 1;
	}
	sl_free(&env);
    }
    return (failed);
}

/* report_leftovers - what destroy left behind */

static void report_leftovers(struct context *ctx)
{
    strlist *left = &ctx->plan.leftovers;

    for (size_t i = 0; i < left->n; i++)
	msg_warn("%s: left in place (not created by Postfix): please verify"
		 " its contents and remove it by hand", left->v[i]);
}

/* lifecycle_run - carry out one -e action */

int     lifecycle_run(const struct lifecycle *lc)
{
    struct context ctx = {0};
    const char *action = lc->action;
    char   *err, *fail = 0;
    int     status, removed = 0;

    umask(022);
    ctx.lc = lc;
    if ((ctx.lock_fd = cf_lock(primary_config_dir(), &err)) < 0)
	msg_fatal("%s", err);
    insttab_load(&ctx.tab);
    ctx.main_cf = xasprintf("%s/main.cf", primary_config_dir());
    if (strcmp(action, "init") != 0)
	check_init(&ctx);
    if ((lc->new_name || lc->new_group) && strcmp(action, "create") != 0
	&& strcmp(action, "import") != 0 && strcmp(action, "assign") != 0)
	msg_fatal("-I and -G can be used only with -e create, import or assign");
    if (*lc->params && strcmp(action, "create") != 0 && strcmp(action, "import") != 0)
	msg_fatal("-e %s: unexpected argument \"%s\"", action, *lc->params);
    if (lc->sel_given && lc->sel.kind != SELECT_NAME
	&& strcmp(action, "create") != 0 && strcmp(action, "import") != 0)
	msg_fatal("-e %s: select the instance with -i name", action);

    if (strcmp(action, "init") == 0)
	plan_init(&ctx);
    else if (strcmp(action, "create") == 0)
	plan_create(&ctx, 0);
    else if (strcmp(action, "import") == 0)
	plan_create(&ctx, 1);
    else if (strcmp(action, "enable") == 0)
	plan_enable(&ctx, 1);
    else if (strcmp(action, "disable") == 0)
	plan_enable(&ctx, 0);
    else if (strcmp(action, "assign") == 0)
	plan_assign(&ctx);
    else if (strcmp(action, "deport") == 0)
	plan_deport(&ctx);
    else
	plan_destroy(&ctx);

    if (lc->dry_run) {
	print_plan(&ctx);
	status = 0;
    } else {
	for (size_t i = 0; i < ctx.plan.n && fail == 0; i++) {
	    struct step *s = ctx.plan.v + i;

	    fault_point(s->path ? s->path : "run");
	    if ((fail = do_step(&ctx, s)) == 0)
		s->done = 1;
	    removed |= s->kind == STEP_UNLINK || s->kind == STEP_SWEEP;
	}
	if (fail && removed)
	    /* Removed files can't come back; the next run finishes the job. */
	    msg_fatal("%s; the instance is partly removed and still registered:"
		      " fix that, then run \"postmulti -i %s -e destroy\"",
		      fail, ctx.doomed);
	if (fail) {
	    undo(&ctx);
	    msg_fatal("%s; nothing was changed", fail);
	}
	cf_unlock(ctx.lock_fd);
	ctx.lock_fd = -1;
	report_leftovers(&ctx);
	status = run_commands(&ctx);
    }
    if (ctx.lock_fd >= 0)
	cf_unlock(ctx.lock_fd);
    plan_free(&ctx.plan);
    insttab_free(&ctx.tab);
    free(ctx.main_cf);
    return (status);
}
