/*
 * NAME
 *	plan 3
 * SUMMARY
 *	a plan of file system changes: dry run, apply, undo
 * SYNOPSIS
 *	#include "plan.h"
 *
 *	struct step *plan_add(plan, kind, path)
 *	struct plan *plan;
 *	enum step_kind kind;
 *	const char *path;
 *
 *	struct step *plan_find(plan, kind, path)
 *
 *	int	plan_has(plan, kind)
 *
 *	void	plan_edit(plan, path, ops, nops)
 *	const struct edit_op *ops;
 *	size_t	nops;
 *
 *	void	plan_set(plan, path, name, value)
 *
 *	void	plan_mkdir(plan, dir, mode)
 *
 *	void	plan_print(plan, out)
 *	strbuf	*out;
 *
 *	int	plan_check(plan, err)
 *	char	**err;
 *
 *	int	plan_apply(plan, err)
 *	char	**err;
 *
 *	int	plan_commands(plan, env)
 *	const strlist *env;
 *
 *	void	plan_free(plan)
 *
 *	void	final_newline(text)
 *	strbuf	*text;
 * DESCRIPTION
 *	A plan is a list of steps, made while everything is checked and
 *	nothing has changed: directories to create, files to write (the
 *	new text in memory, with the old text for undo), files and
 *	directories to remove, commands to run once the configuration
 *	lock is released. It knows no action: the caller says, step by
 *	step, what cannot be undone, how to finish then, and the label of
 *	what such a step reports.
 *
 *	plan_add() appends an empty step; plan_find() returns the step of
 *	that kind and path, or NULL; plan_has() says whether there is a
 *	step of that kind. plan_edit() plans edits of an
 *	existing file (several edits of one file make one write; no step
 *	when the text does not change), plan_set() one "postconf -e".
 *	plan_mkdir() plans "mkdir -p": each missing parent 0755, the
 *	directory itself mode, each once.
 *
 *	plan_print() appends what the plan would do (unified diffs of the
 *	files) for a dry run.
 *
 *	plan_check() changes nothing: for a dry run, it says whether the
 *	plan's changes would be allowed, so that a dry run fails where
 *	the real run would. Step by step, with the effective ids (those
 *	plan_apply() acts with): a directory to create needs to search
 *	and write its parent, a file to write what cf_check() in cfwrite(3)
 *	says, a file to remove needs to search and write its directory
 *	and must not be immutable; in a directory that an earlier step
 *	creates, all is allowed. A read-only file system or an immutable
 *	directory refuses each. Sweeps are the caller's to check
 *	(sweep(3) looks without acting, as destroy does); a directory
 *	that cannot be removed is left in place, no failure; commands are
 *	not checked. On the first refusal it returns -1 and *err says
 *	what plan_apply() would say: the operation, the path, the system
 *	error, "nothing was changed".
 *
 *	plan_apply() carries out the steps in order; each file is
 *	replaced atomically (cfwrite(3)), after its temporary files from
 *	a killed run are removed. When a step fails and no step with a
 *	"resume" text was tried, the steps done so far are undone (files
 *	get their old text back, new files and directories go), and *err
 *	says what failed and "nothing was changed". Past a step with a
 *	resume text, nothing is undone and *err says what failed and how
 *	to finish. Commands (STEP_RUN) are not run here.
 *
 *	A step with a resume text cannot be undone, so it reports what
 *	it removed: "label: removed path" (just "removed path" without a
 *	label) in plan->removed, in the order of removal, one line for a
 *	file or a directory that a step unlinked, and for a sweep one
 *	line for each directory it removed with its contents (sweep_tops()
 *	in sweep(3)), or for each file it removed from a directory that
 *	stays. What was already gone is not reported. When the plan
 *	fails past such a step, each line is a warning before plan_apply()
 *	returns, so that the caller's fatal error comes last; when it
 *	succeeds, each line is an informational message in verbose mode.
 *
 *	plan_commands() dates the files plan_apply() wrote DATE_BACK
 *	seconds back (Postfix reads a main.cf modified within the last
 *	two seconds again and again, a guard against editors that write
 *	in place; our writes are atomic renames), then runs the commands
 *	with the environment env. A failed command is a warning with the
 *	step's hint; the result is 1 when any failed, else 0.
 *
 *	final_newline() gives a non-empty text its missing final newline.
 * DIAGNOSTICS
 *	Fatal: a file that cannot be read, an edit the editor refuses, a
 *	path in the way of a directory. plan_apply() and plan_check()
 *	return -1 with *err in memory that the caller frees.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "plan.h"
#include "cfwrite.h"
#include "command.h"
#include "diff.h"
#include "fault.h"
#include "maincf.h"
#include "msg.h"

#define DATE_BACK	2		/* seconds; see plan_commands() */

/* plan_add - append an empty step */

struct step *plan_add(struct plan *plan, enum step_kind kind, const char *path)
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

void    plan_free(struct plan *plan)
{
    for (size_t i = 0; i < plan->n; i++) {
	struct step *s = plan->v + i;

	free(s->path);
	sb_free(&s->text);
	sb_free(&s->old);
	free(s->base_label);
	sb_free(&s->base);
	sl_free(&s->argv);
	free(s->hint);
	free(s->resume);
	free(s->label);
    }
    free(plan->v);
    left_free(&plan->leftovers);
    sl_free(&plan->removed);
    memset(plan, 0, sizeof(*plan));
}

/* plan_find - the step of that kind and path, or NULL */

struct step *plan_find(struct plan *plan, enum step_kind kind, const char *path)
{
    for (size_t i = 0; i < plan->n; i++)
	if (plan->v[i].kind == kind && plan->v[i].path
	    && strcmp(plan->v[i].path, path) == 0)
	    return (plan->v + i);
    return (0);
}

/* plan_has - does the plan have a step of that kind? */

int     plan_has(const struct plan *plan, enum step_kind kind)
{
    for (size_t i = 0; i < plan->n; i++)
	if (plan->v[i].kind == kind)
	    return (1);
    return (0);
}

/* final_newline - a text that ends with a newline, unless it is empty */

void    final_newline(strbuf *text)
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

void    plan_edit(struct plan *plan, const char *path,
		          const struct edit_op *ops, size_t nops)
{
    struct step *s = plan_find(plan, STEP_WRITE, path);
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
    s = plan_add(plan, STEP_WRITE, path);
    s->old = cur;
    s->existed = 1;
    s->text = out;
}

/* plan_set - plan "postconf -e name=value" on a file */

void    plan_set(struct plan *plan, const char *path, const char *name, const char *value)
{
    struct edit_op op = {EDIT_SET, name, value};

    plan_edit(plan, path, &op, 1);
}

/* plan_one_mkdir - plan one missing directory, once */

static void plan_one_mkdir(struct plan *plan, const char *path, mode_t mode)
{
    struct stat st;

    if (stat(path, &st) == 0) {
	if (!S_ISDIR(st.st_mode))
	    msg_fatal("%s: not a directory", path);
	return;
    }
    if (errno != ENOENT)
	msg_fatal("%s: %s", path, strerror(errno));
    if (plan_find(plan, STEP_MKDIR, path) == 0)
	plan_add(plan, STEP_MKDIR, path)->mode = mode;
}

/* plan_mkdir - plan "mkdir -p": parents 0755, the directory itself mode */

void    plan_mkdir(struct plan *plan, const char *dir, mode_t mode)
{
    char   *path = xstrdup(dir);

    for (char *cp = path + 1; *cp; cp++) {
	if (*cp == '/') {
	    *cp = 0;
	    plan_one_mkdir(plan, path, 0755);
	    *cp = '/';
	}
    }
    plan_one_mkdir(plan, path, mode);
    free(path);
}

/* print_sweep - what a sweep would remove and leave */

static void print_sweep(const struct step *s, strbuf *out)
{
    struct sweep look = {0};
    struct leftovers left = {STRLIST_INIT, STRLIST_INIT};

    look.left = &left;
    sweep(&look, s->path, s->role);
    for (size_t j = 0; j < look.removed.n; j++)
	sb_printf(out, "remove %s\n", look.removed.v[j]);
    for (size_t j = 0; j < left.path.n; j++)
	sb_printf(out, "leave %s (%s)\n", left.path.v[j], left.why.v[j]);
    sl_free(&look.removed);
    left_free(&left);
    free(look.refuse);
}

/* print_rmdir - a directory's removal, or what would stay (as the real run says) */

static void print_rmdir(const struct plan *plan, const struct step *s, strbuf *out)
{
    struct leftovers left = {STRLIST_INIT, STRLIST_INIT};
    strlist gone = STRLIST_INIT;

    /* The files that steps before this one remove. */
    for (const struct step *t = plan->v; t < s; t++)
	if (t->kind == STEP_UNLINK)
	    sl_add(&gone, t->path);
    if (sweep_stays(&left, s->path, &gone)) {
	for (size_t j = 0; j < left.path.n; j++)
	    sb_printf(out, "leave %s (%s)\n", left.path.v[j], left.why.v[j]);
    } else {
	sb_printf(out, "remove directory %s\n", s->path);
    }
    left_free(&left);
    sl_free(&gone);
}

/* plan_print - what the plan would do */

void    plan_print(const struct plan *plan, strbuf *out)
{
    for (size_t i = 0; i < plan->n; i++) {
	const struct step *s = plan->v + i;
	char   *cmd;

	switch (s->kind) {
	case STEP_MKDIR:
	    sb_printf(out, "create directory %s (mode %04o)\n", s->path, (unsigned) s->mode);
	    break;
	case STEP_WRITE:
	    if (s->existed) {
		sb_printf(out, "update %s\n", s->path);
		diff_unified(out, s->old.s, s->old.len, s->text.s, s->text.len,
			     s->path, s->path);
	    } else {
		sb_printf(out, "create file %s (shown against %s)\n", s->path, s->base_label);
		diff_unified(out, s->base.s ? s->base.s : "", s->base.len, s->text.s,
			     s->text.len, s->base_label, s->path);
	    }
	    break;
	case STEP_UNLINK:
	    sb_printf(out, "remove file %s\n", s->path);
	    break;
	case STEP_SWEEP:
	    print_sweep(s, out);
	    break;
	case STEP_RMDIR:
	    print_rmdir(plan, s, out);
	    break;
	case STEP_RUN:
	    cmd = sl_join(&s->argv, " ");
	    sb_printf(out, "run %s\n", cmd);
	    free(cmd);
	    break;
	}
    }
}

/* created_before - does a step before the nth create the directory dir? */

static int created_before(const struct plan *plan, size_t n, const char *dir)
{
    for (size_t i = 0; i < n; i++)
	if (plan->v[i].kind == STEP_MKDIR && strcmp(plan->v[i].path, dir) == 0)
	    return (1);
    return (0);
}

/* check_step - would the nth step be allowed? NULL or the refusal */

static char *check_step(const struct plan *plan, size_t n)
{
    const struct step *s = plan->v + n;
    char   *parent, *slash, *why = 0;
    struct stat st;

    if (s->kind != STEP_MKDIR && s->kind != STEP_WRITE && s->kind != STEP_UNLINK)
	return (0);
    parent = xstrdup(s->path);
    slash = strrchr(parent, '/');
    /* The parent of "/x" is "/"; of a name without "/", ".". */
    if (slash == 0)
	strcpy(parent, ".");
    else
	slash[slash == parent ? 1 : 0] = 0;
    if (created_before(plan, n, parent)) {
	/* Ours, as the real run gets there: writable. */
    } else if (s->kind == STEP_MKDIR) {
	if (faccessat(AT_FDCWD, parent, W_OK | X_OK, AT_EACCESS) < 0)
	    why = xasprintf("create directory %s: %s", s->path, strerror(errno));
    } else if (s->kind == STEP_WRITE) {
	(void) cf_check(s->path, &why);
    } else if (s->kind == STEP_UNLINK) {
	/* What is gone already is no failure (see do_step()). */
	if (lstat(s->path, &st) < 0)
	    why = errno == ENOENT ? 0 : xasprintf("remove %s: %s", s->path, strerror(errno));
	else if (faccessat(AT_FDCWD, parent, W_OK | X_OK, AT_EACCESS) < 0
		 || (!S_ISLNK(st.st_mode)
		     && faccessat(AT_FDCWD, s->path, W_OK, AT_EACCESS) < 0
		     && errno == EPERM))
	    why = xasprintf("remove %s: %s", s->path, strerror(errno));
    }
    free(parent);
    return (why);
}

/* plan_check - would the plan's changes be allowed? */

int     plan_check(const struct plan *plan, char **err)
{
    char   *why;

    for (size_t i = 0; i < plan->n; i++) {
	if ((why = check_step(plan, i)) != 0) {
	    *err = xasprintf("%s; nothing was changed", why);
	    free(why);
	    return (-1);
	}
    }
    return (0);
}

/* undo - put back what the steps so far changed, latest first */

static void undo(struct plan *plan)
{
    char   *err;

    for (size_t i = plan->n; i-- > 0;) {
	struct step *s = plan->v + i;

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
	s->done = 0;
    }
}

/* clean_temps - remove what an earlier run, killed, left beside a file */

static void clean_temps(const char *path)
{
    char   *err;
    int     n;

    /*
     * The caller holds the lock, and every edit happens under it: a
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

/* note_removal - an irreversible step removed path: keep it for the report */

static void note_removal(struct plan *plan, const struct step *s, const char *path)
{
    if (s->resume == 0)
	return;
    if (s->label)
	sl_add_owned(&plan->removed, xasprintf("%s: removed %s", s->label, path));
    else
	sl_add_owned(&plan->removed, xasprintf("removed %s", path));
}

/* do_step - carry out one step; NULL or the reason it failed */

static char *do_step(struct plan *plan, struct step *s)
{
    char   *err = 0;
    struct sweep sw = {0};
    strlist tops = STRLIST_INIT;

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
	if (unlink(s->path) == 0)
	    note_removal(plan, s, s->path);
	else if (errno != ENOENT)
	    return (xasprintf("remove %s: %s", s->path, strerror(errno)));
	break;
    case STEP_SWEEP:
	sw.act = 1;
	sw.left = &plan->leftovers;
	sweep(&sw, s->path, s->role);
	/* What went counts even when the sweep stopped half way. */
	sweep_tops(&sw.removed, &tops);
	for (size_t i = 0; i < tops.n; i++)
	    note_removal(plan, s, tops.v[i]);
	sl_free(&tops);
	sl_free(&sw.removed);
	free(sw.refuse);
	if (sw.error)
	    return (sw.error);
	break;
    case STEP_RMDIR:
	if (rmdir(s->path) == 0)
	    note_removal(plan, s, s->path);
	else if (errno != ENOENT)
	    sweep_leave(&plan->leftovers, s->path, errno);
	break;
    case STEP_RUN:
	break;
    }
    return (0);
}

/* plan_apply - carry out the plan, all or nothing */

int     plan_apply(struct plan *plan, char **err)
{
    const char *resume = 0;
    char   *fail = 0;

    for (size_t i = 0; i < plan->n && fail == 0; i++) {
	struct step *s = plan->v + i;

	fault_point(s->path ? s->path : "run");
	/* Tried and failed counts: it may have removed something. */
	if (s->resume)
	    resume = s->resume;
	if ((fail = do_step(plan, s)) == 0) {
	    s->done = 1;
	    /* -v: each change as it is made (removals are told below). */
	    if (msg_verbose && s->kind == STEP_MKDIR)
		msg_info("created directory %s", s->path);
	    else if (msg_verbose && s->kind == STEP_WRITE)
		msg_info("wrote %s", s->path);
	}
    }
    if (fail == 0) {
	if (msg_verbose)
	    for (size_t i = 0; i < plan->removed.n; i++)
		msg_info("%s", plan->removed.v[i]);
	return (0);
    }
    if (resume) {
	/* Removed files can't come back: say which, and how to finish. */
	for (size_t i = 0; i < plan->removed.n; i++)
	    msg_warn("%s", plan->removed.v[i]);
	*err = xasprintf("%s; %s", fail, resume);
    } else {
	undo(plan);
	*err = xasprintf("%s; nothing was changed", fail);
    }
    free(fail);
    return (-1);
}

/* date_back - date the files the plan wrote back, for Postfix */

static void date_back(struct plan *plan)
{
    struct timespec times[2];

    clock_gettime(CLOCK_REALTIME, times);
    times[0].tv_sec -= DATE_BACK;
    times[1] = times[0];
    for (size_t i = 0; i < plan->n; i++) {
	struct step *s = plan->v + i;

	if (s->kind == STEP_WRITE && s->done
	    && utimensat(AT_FDCWD, s->path, times, AT_SYMLINK_NOFOLLOW) < 0
	    && msg_verbose)
	    msg_info("set the time of %s: %s", s->path, strerror(errno));
    }
}

/* plan_commands - run the commands of an applied plan */

int     plan_commands(struct plan *plan, const strlist *env)
{
    int     failed = 0, dated = 0, status;

    for (size_t i = 0; i < plan->n; i++) {
	struct step *s = plan->v + i;
	char   *cmd;

	if (s->kind != STEP_RUN)
	    continue;
	if (!dated++)
	    date_back(plan);
	if (msg_verbose) {
	    cmd = sl_join(&s->argv, " ");
	    msg_info("running \"%s\"", cmd);
	    free(cmd);
	}
	if ((status = command_run(s->argv.v[0], s->argv.v, env, 0)) != 0) {
	    cmd = sl_join(&s->argv, " ");
	    msg_warn("\"%s\" failed (status %d)%s%s", cmd, status,
		     s->hint ? ": " : "", s->hint ? s->hint : "");
	    free(cmd);
	    failed = 1;
	}
    }
    return (failed);
}
