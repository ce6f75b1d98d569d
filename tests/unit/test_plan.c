/*
 * test_plan - the plan engine: apply, undo after a failure at each
 * step, irreversible steps, the dry-run text and check, the commands.
 *
 * Everything happens under a fresh directory in /tmp; no root needed.
 * Run as root, the dry-run check acts as nobody (effective uid only).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "msg.h"
#include "plan.h"
#include "sweep.h"
#include "util.h"

static char top[] = "/tmp/test_plan.XXXXXX";

/* in - a path under the test directory, in memory the caller frees */

static char *in(const char *name)
{
    return (xasprintf("%s/%s", top, name));
}

/* put - write a file */

static void put(const char *name, const char *text)
{
    char   *path = in(name);
    FILE   *fp = fopen(path, "w");

    if (fp == 0 || fputs(text, fp) == EOF || fclose(fp) != 0) {
	perror(path);
	exit(2);
    }
    free(path);
}

/* get - a file's text, or "(none)" when it is not there */

static char *get(const char *name)
{
    char   *path = in(name);
    strbuf  sb = STRBUF_INIT;

    if (read_file(path, &sb, 1 << 20) < 0) {
	free(path);
	return (xstrdup(errno == ENOENT ? "(none)" : "(unreadable)"));
    }
    free(path);
    if (sb.s == 0)
	return (xstrdup(""));
    return (sb_take(&sb));
}

/* exists - does a path exist? */

static int exists(const char *name)
{
    char   *path = in(name);
    struct stat st;
    int     yes = lstat(path, &st) == 0;

    free(path);
    return (yes);
}

/* state - what the tests compare: the files and directories, in one line */

static char *state(void)
{
    char   *a = get("a.cf"), *b = get("b.cf"), *c = get("c.cf"), *f = get("new/sub/f");
    char   *s = xasprintf("a=[%s] b=[%s] c=[%s] new=%d sub=%d f=[%s]", a, b, c,
			  exists("new"), exists("new/sub"), f);

    free(a);
    free(b);
    free(c);
    free(f);
    return (s);
}

/* setup - the files before each plan */

static void setup(void)
{
    char   *path = in("new");
    char   *cmd = xasprintf("rm -rf %s", path);

    if (system(cmd) != 0)
	exit(2);
    free(cmd);
    free(path);
    put("a.cf", "x = 1\n");
    put("b.cf", "# b\ny = 1");			/* no final newline */
    put("c.cf", "z = 1\n");
}

/* fail_step - a step that fails: a directory in a directory that is not there */

static void fail_step(struct plan *plan)
{
    char   *path = in("missing/dir");

    plan_add(plan, STEP_MKDIR, path)->mode = 0755;
    free(path);
}

/* build - the reversible plan of five steps, with a failing step at k */

static void build(struct plan *plan, int k)
{
    char   *path;
    struct step *s;
    int     i = 0;

#define MAYBE_FAIL() do { if (k == i++) fail_step(plan); } while (0)
    MAYBE_FAIL();
    path = in("new/sub");
    plan_mkdir(plan, path, 0700);		/* two steps: new, new/sub */
    free(path);
    MAYBE_FAIL();
    path = in("new/sub/f");
    s = plan_add(plan, STEP_WRITE, path);
    sb_puts(&s->text, "hello\n");
    s->base_label = xstrdup("(proto)");
    sb_puts(&s->base, "hell\n");
    free(path);
    MAYBE_FAIL();
    path = in("a.cf");
    plan_set(plan, path, "x", "2");
    free(path);
    MAYBE_FAIL();
    path = in("b.cf");
    plan_set(plan, path, "y", "2");
    plan_set(plan, path, "w", "3");		/* the same write */
    free(path);
    MAYBE_FAIL();
}

/* test_apply - a plan that works */

static void test_apply(void)
{
    struct plan plan = PLAN_INIT;
    char   *err = 0, *before, *after;
    struct stat st;
    char   *path = in("new/sub");

    setup();
    build(&plan, -1);
    TAP_OK(plan.n == 5, "apply: mkdir -p is two steps, two edits of one file one (%zu steps)", plan.n);
    before = state();
    TAP_OK(plan_apply(&plan, &err) == 0, "apply: succeeds");
    after = state();
    TAP_STREQ(after, "a=[x = 2\n] b=[# b\ny = 2\nw = 3\n] c=[z = 1\n] new=1 sub=1 f=[hello\n]",
	      "apply: every change made");
    TAP_OK(strcmp(before, after) != 0, "apply: the state before was another");
    TAP_OK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0700,
	   "apply: the directory has its mode, whatever the umask");
    plan_free(&plan);
    free(before);
    free(after);
    free(path);
}

/* test_undo - a failure at each step undoes what the steps before did */

static void test_undo(void)
{
    for (int k = 0; k <= 4; k++) {
	struct plan plan = PLAN_INIT;
	char   *err = 0, *before, *after, *want;

	setup();
	before = state();
	build(&plan, k);
	TAP_OK(plan_apply(&plan, &err) < 0, "failure at step %d: apply fails", k);
	after = state();
	TAP_STREQ(after, before, "failure at step %d: every file and directory as before", k);
	want = xasprintf("create directory %s/missing/dir: No such file or directory;"
			 " nothing was changed", top);
	TAP_STREQ(err, want, "failure at step %d: the message says what failed and that"
		  " nothing changed", k);
	plan_free(&plan);
	free(before);
	free(after);
	free(want);
	free(err);
    }
}

/* test_irreversible - past a step with a resume text, nothing is undone */

static void test_irreversible(void)
{
    struct plan plan = PLAN_INIT;
    char   *err = 0, *path, *after, *want;

    setup();
    path = in("a.cf");
    plan_set(&plan, path, "x", "2");
    free(path);
    path = in("c.cf");
    plan_add(&plan, STEP_UNLINK, path)->resume = xstrdup("run it again");
    free(path);
    fail_step(&plan);
    TAP_OK(plan_apply(&plan, &err) < 0, "irreversible: apply fails");
    after = state();
    TAP_STREQ(after, "a=[x = 2\n] b=[# b\ny = 1] c=[(none)] new=0 sub=0 f=[(none)]",
	      "irreversible: the removal and the steps before it stay");
    want = xasprintf("create directory %s/missing/dir: No such file or directory;"
		     " run it again", top);
    TAP_STREQ(err, want, "irreversible: the message says how to finish");
    plan_free(&plan);
    free(after);
    free(want);
    free(err);

    /* A failing irreversible step counts: it may have removed something. */
    setup();
    path = in("missing/c.cf");
    plan_add(&plan, STEP_UNLINK, path)->resume = xstrdup("run it again");
    free(path);
    path = in("missing");
    put("missing", "a file, not a directory");
    TAP_OK(plan_apply(&plan, &err) < 0 && strstr(err, "; run it again") != 0,
	   "irreversible: a removal that fails says how to finish (%s)", err ? err : "");
    unlink(path);
    free(path);
    plan_free(&plan);
    free(err);
}

/* make - a tree under the test directory: "d/" a directory, "fifo" a FIFO, else a file */

static void make(const char **names, size_t n)
{
    char   *cmd = xasprintf("cd %s && rm -rf q q2 empty full", top);

    if (system(cmd) != 0)
	exit(2);
    free(cmd);
    for (size_t i = 0; i < n; i++) {
	char   *path = in(names[i]);
	const char *base = strrchr(names[i], '/');
	int     bad = 0;

	if (names[i][strlen(names[i]) - 1] == '/')
	    bad = mkdir(path, 0755) < 0;
	else if (base && strcmp(base, "/fifo") == 0)
	    bad = mkfifo(path, 0600) < 0;
	else
	    put(names[i], "x\n");
	if (bad) {
	    perror(path);
	    exit(2);
	}
	free(path);
    }
}

/* removal - an irreversible step, as destroy plans it */

static struct step *removal(struct plan *plan, enum step_kind kind, const char *name)
{
    char   *path = in(name);
    struct step *s = plan_add(plan, kind, path);

    free(path);
    s->resume = xstrdup("run it again");
    s->label = xstrdup("-e test");
    return (s);
}

/* apply_captured - plan_apply() with what it writes to stderr in *said */

static int apply_captured(struct plan *plan, char **err, char **said)
{
    char   *path = in("stderr");
    int     saved = dup(2), fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600), ret;
    strbuf  sb = STRBUF_INIT;

    if (saved < 0 || fd < 0 || dup2(fd, 2) < 0) {
	perror(path);
	exit(2);
    }
    close(fd);
    ret = plan_apply(plan, err);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    if (read_file(path, &sb, 1 << 20) < 0) {
	perror(path);
	exit(2);
    }
    *said = sb.s ? sb_take(&sb) : xstrdup("");
    unlink(path);
    free(path);
    return (ret);
}

/* lines - a list as one text, a line each, with a prefix */

static char *lines(const strlist *list, const char *prefix)
{
    strbuf  sb = STRBUF_INIT;

    for (size_t i = 0; i < list->n; i++)
	sb_printf(&sb, "%s%s\n", prefix, list->v[i]);
    return (sb.s ? sb_take(&sb) : xstrdup(""));
}

/* removal_plan - irreversible steps of each kind, some with nothing to do */

static void removal_plan(struct plan *plan)
{
    static const char *tree[] = {
	"q/", "q/active/", "q/pid/", "q/pid/master.pid", "q/private/",
	"q/private/fifo", "q2/", "q2/README", "q2/active/", "q2/defer/",
	"q2/defer/A/", "empty/", "full/", "full/notes",
    };
    char   *path;

    make(tree, sizeof(tree) / sizeof(tree[0]));
    removal(plan, STEP_UNLINK, "c.cf");
    removal(plan, STEP_UNLINK, "gone.cf");	/* not there: nothing to say */
    removal(plan, STEP_SWEEP, "q")->role = ROLE_QUEUE;
    removal(plan, STEP_SWEEP, "q2")->role = ROLE_QUEUE;
    removal(plan, STEP_RMDIR, "empty");
    removal(plan, STEP_RMDIR, "full");	/* stays: a leftover */
    path = in("a.cf");
    plan_set(plan, path, "x", "2");		/* undoable: not reported */
    free(path);
}

/* test_halfway - a failure past irreversible steps says what they removed */

static void test_halfway(void)
{
    struct plan plan = PLAN_INIT;
    char   *err = 0, *said, *want, *got, *after;

    setup();
    removal_plan(&plan);
    fail_step(&plan);
    TAP_OK(apply_captured(&plan, &err, &said) < 0, "half way: apply fails");
    want = xasprintf("-e test: removed %1$s/c.cf\n"
		     "-e test: removed %1$s/q\n"
		     "-e test: removed %1$s/q2/active\n"
		     "-e test: removed %1$s/q2/defer\n"
		     "-e test: removed %1$s/empty\n", top);
    got = lines(&plan.removed, "");
    TAP_STREQ(got, want, "half way: the report lists what each irreversible step removed,"
	      " a swept directory once");
    free(got);
    got = lines(&plan.removed, "postmulti: warning: ");
    TAP_STREQ(said, got, "half way: each line of the report is a warning, in order");
    free(want);
    want = xasprintf("create directory %s/missing/dir: No such file or directory;"
		     " run it again", top);
    TAP_STREQ(err, want, "half way: the error says what failed and how to finish");
    after = state();
    TAP_STREQ(after, "a=[x = 2\n] b=[# b\ny = 1] c=[(none)] new=0 sub=0 f=[(none)]",
	      "half way: nothing undone");
    TAP_OK(!exists("q") && exists("q2/README") && !exists("q2/active") && !exists("empty")
	   && exists("full/notes"), "half way: the files are as the report says");
    plan_free(&plan);
    free(said);
    free(got);
    free(want);
    free(after);
    free(err);
}

/* test_quiet_success - a plan that removes and succeeds says nothing, but with -v */

static void test_quiet_success(void)
{
    for (int verbose = 0; verbose <= 1; verbose++) {
	struct plan plan = PLAN_INIT;
	char   *err = 0, *said, *want;

	setup();
	removal_plan(&plan);
	msg_verbose = verbose;
	TAP_OK(apply_captured(&plan, &err, &said) == 0, "success%s: apply succeeds",
	       verbose ? " -v" : "");
	msg_verbose = 0;
	if (verbose) {
	    /* The write as it is made (it comes first in the plan), then the removals. */
	    char   *removals = lines(&plan.removed, "postmulti: ");
	    char   *a_cf = in("a.cf");

	    want = xasprintf("postmulti: wrote %s\n%s", a_cf, removals);
	    free(removals);
	    free(a_cf);
	} else {
	    want = xstrdup("");
	}
	TAP_STREQ(said, want, "success%s: %s", verbose ? " -v" : "",
		  verbose ? "the file written, then each removal, an informational line each"
		  : "nothing on stderr");
	TAP_OK(plan.removed.n == 5, "success%s: five removals in the report (%zu)",
	       verbose ? " -v" : "", plan.removed.n);
	plan_free(&plan);
	free(said);
	free(want);
    }
}

/* test_leftovers - a dry run leaves what the run leaves, for the same reasons */

static void test_leftovers(void)
{
    static const char *tree[] = {
	"q/", "q/README", "q/defer/", "q/defer/A/", "q/defer/A/ABCDEF012", "q/pid/",
	"q/pid/master.pid", "full/", "full/main.cf", "full/notes", "full/sub/",
    };
    struct plan plan = PLAN_INIT;
    strbuf  out = STRBUF_INIT, printed = STRBUF_INIT, left = STRBUF_INIT;
    char   *err = 0, *said, *want, *line, *next;

    setup();
    make(tree, sizeof(tree) / sizeof(tree[0]));
    removal(&plan, STEP_UNLINK, "full/main.cf");
    removal(&plan, STEP_SWEEP, "q")->role = ROLE_QUEUE;
    removal(&plan, STEP_RMDIR, "full");
    plan_print(&plan, &out);
    for (line = out.s; line && *line; line = next) {
	next = strchr(line, '\n');
	next = next ? next + 1 : line + strlen(line);
	if (strncmp(line, "leave ", 6) == 0)
	    sb_add(&printed, line, (size_t) (next - line));
    }
    want = xasprintf("leave %1$s/q/README (not created by Postfix)\n"
		     "leave %1$s/q/defer/A/ABCDEF012 (a log file of the mail queue)\n"
		     "leave %1$s/q/defer/A (not empty)\n"
		     "leave %1$s/q/defer (not empty)\n"
		     "leave %1$s/q (not empty)\n"
		     "leave %1$s/full/notes (not created by Postfix)\n"
		     "leave %1$s/full/sub (not created by Postfix)\n"
		     "leave %1$s/full (not empty)\n", top);
    TAP_STREQ(printed.s ? printed.s : "", want,
	      "leftovers: the dry run names each, a directory that stays \"not empty\","
	      " and not a file that an earlier step removes");
    TAP_OK(apply_captured(&plan, &err, &said) == 0, "leftovers: apply succeeds");
    for (size_t i = 0; i < plan.leftovers.path.n; i++)
	sb_printf(&left, "leave %s (%s)\n", plan.leftovers.path.v[i], plan.leftovers.why.v[i]);
    TAP_STREQ(left.s ? left.s : "", want, "leftovers: the run leaves the same, for the same reasons");
    TAP_OK(!exists("full/main.cf") && !exists("q/pid") && exists("full/sub"),
	   "leftovers: what goes is gone");
    plan_free(&plan);
    sb_free(&out);
    sb_free(&printed);
    sb_free(&left);
    free(want);
    free(said);
    free(err);
}

/* test_sweep_tops - a swept directory is one line, a half sweep what went */

static void test_sweep_tops(void)
{
    static const char *half[] = {
	"/q/active", "/q/defer/0", "/q/defer/1", "/q/defer", "/q/pid/master.pid",
	"/q/private/x", "/qq",
    };
    strlist removed = STRLIST_INIT, tops = STRLIST_INIT;
    char   *got;

    for (size_t i = 0; i < sizeof(half) / sizeof(half[0]); i++)
	sl_add(&removed, half[i]);
    sweep_tops(&removed, &tops);
    got = sl_join(&tops, " ");
    TAP_STREQ(got, "/q/active /q/defer /q/pid/master.pid /q/private/x /qq",
	      "sweep_tops: a directory that stays, each of what went; /qq is not in /q");
    free(got);
    sl_free(&tops);
    sl_add(&removed, "/q/private");
    sl_add(&removed, "/q/pid");
    sl_add(&removed, "/q");
    sweep_tops(&removed, &tops);
    got = sl_join(&tops, " ");
    TAP_STREQ(got, "/qq /q", "sweep_tops: a directory that went is one entry");
    free(got);
    sl_free(&tops);
    sl_free(&removed);
}

/* test_print - the dry-run text */

static void test_print(void)
{
    struct plan plan = PLAN_INIT;
    strbuf  out = STRBUF_INIT;
    char   *want, *path, *a;
    struct step *s;

    setup();
    build(&plan, -1);
    path = in("c.cf");
    plan_add(&plan, STEP_UNLINK, path);
    free(path);
    path = in("gone");
    plan_add(&plan, STEP_RMDIR, path);
    free(path);
    s = plan_add(&plan, STEP_RUN, 0);
    sl_add(&s->argv, "/bin/true");
    sl_add(&s->argv, "x");
    plan_print(&plan, &out);
    want = xasprintf("create directory %1$s/new (mode 0755)\n"
		     "create directory %1$s/new/sub (mode 0700)\n"
		     "create file %1$s/new/sub/f (shown against (proto))\n"
		     "--- (proto)\n+++ %1$s/new/sub/f\n@@ -1 +1 @@\n-hell\n+hello\n"
		     "update %1$s/a.cf\n"
		     "--- %1$s/a.cf\n+++ %1$s/a.cf\n@@ -1 +1 @@\n-x = 1\n+x = 2\n"
		     "update %1$s/b.cf\n"
		     "--- %1$s/b.cf\n+++ %1$s/b.cf\n@@ -1,2 +1,3 @@\n # b\n-y = 1\n"
		     "\\ No newline at end of file\n+y = 2\n+w = 3\n"
		     "remove file %1$s/c.cf\n"
		     "remove directory %1$s/gone\n"
		     "run /bin/true x\n", top);
    TAP_STREQ(out.s, want, "print: every step, files as unified diffs");
    a = get("a.cf");
    TAP_OK(!exists("new") && strcmp(a, "x = 1\n") == 0, "print: nothing changed");
    free(a);
    plan_free(&plan);
    sb_free(&out);
    free(want);
}

/* test_no_change - an edit that changes nothing is no step */

static void test_no_change(void)
{
    struct plan plan = PLAN_INIT;
    char   *path = in("a.cf");

    setup();
    plan_set(&plan, path, "x", "1");
    TAP_OK(plan.n == 0, "no change: no step");
    free(path);
    path = in("b.cf");
    plan_set(&plan, path, "y", "1");
    TAP_OK(plan.n == 0, "a missing final newline alone: no step");
    free(path);
    plan_free(&plan);
}

/* test_commands - commands run after apply, dated files, failures counted */

static void test_commands(void)
{
    struct plan plan = PLAN_INIT;
    strlist env = STRLIST_INIT;
    char   *err = 0, *path = in("a.cf");
    struct step *s;
    struct stat st;

    setup();
    plan_set(&plan, path, "x", "2");
    s = plan_add(&plan, STEP_RUN, 0);
    sl_add(&s->argv, "/bin/true");
    TAP_OK(plan_apply(&plan, &err) == 0, "commands: apply succeeds");
    TAP_OK(plan_commands(&plan, &env) == 0, "commands: /bin/true succeeds");
    TAP_OK(stat(path, &st) == 0 && st.st_mtime <= time(0) - 2,
	   "commands: the file written is dated two seconds back, for Postfix");
    s = plan_add(&plan, STEP_RUN, 0);
    sl_add(&s->argv, "/bin/false");
    s->hint = xstrdup("simulated");
    TAP_OK(plan_commands(&plan, &env) == 1, "commands: a failed command makes it 1");
    plan_free(&plan);
    free(path);
}

/* become_other - as root, act with nobody's effective uid (the real stays 0) */

static void become_other(void)
{
    if (getuid() == 0 && seteuid(65534) < 0) {
	perror("seteuid");
	exit(2);
    }
}

/* become_self - back to our own effective uid */

static void become_self(void)
{
    if (getuid() == 0 && seteuid(0) < 0) {
	perror("seteuid");
	exit(2);
    }
}

/* checked - plan_check() as the other user: NULL when allowed, else *err */

static char *checked(struct plan *plan)
{
    char   *err = 0;
    int     ret;

    become_other();
    ret = plan_check(plan, &err);
    become_self();
    if (ret == 0 && err != 0)
	return (xstrdup("(0 with a message)"));
    if (ret < 0 && err == 0)
	return (xstrdup("(-1 without a message)"));
    return (err);
}

/* test_check - the dry run's check of access, with the effective uid */

static void test_check(void)
{
    struct plan plan = PLAN_INIT;
    struct step *s;
    char   *got, *want, *path, *before, *after;

    /*
     * Root acts as nobody with its real uid still 0: a check by access(2),
     * with the real uid, would allow everything.
     */
    setup();
    if (chmod(top, 0755) < 0) {
	perror(top);
	exit(2);
    }
    path = in("ro");
    if (mkdir(path, 0755) < 0 && errno != EEXIST) {
	perror(path);
	exit(2);
    }
    free(path);
    put("ro/x.cf", "x = 1\n");
    path = in("ro");
    chmod(path, 0555);
    free(path);
    path = in("rw");
    if (mkdir(path, 0777) < 0 || chmod(path, 0777) < 0) {
	perror(path);
	exit(2);
    }
    free(path);

    /* Everything in directories the plan creates, under a writable one. */
    before = state();
    path = in("rw/new/sub");
    plan_mkdir(&plan, path, 0700);
    free(path);
    path = in("rw/new/sub/f");
    s = plan_add(&plan, STEP_WRITE, path);
    sb_puts(&s->text, "hello\n");
    free(path);
    path = in("rw/gone");
    plan_add(&plan, STEP_UNLINK, path);
    free(path);
    path = in("ro/gone");
    plan_add(&plan, STEP_RMDIR, path);
    free(path);
    s = plan_add(&plan, STEP_RUN, 0);
    sl_add(&s->argv, "/bin/false");
    got = checked(&plan);
    TAP_STREQ(got, 0, "check: new directories and files in them, a removal of what"
	      " is gone, an rmdir, a command: allowed");
    free(got);
    after = state();
    TAP_OK(strcmp(before, after) == 0 && !exists("rw/new"), "check: nothing changed");
    free(before);
    free(after);
    plan_free(&plan);

    path = in("ro/d");
    plan_mkdir(&plan, path, 0755);
    free(path);
    got = checked(&plan);
    want = xasprintf("create directory %s/ro/d: Permission denied; nothing was changed", top);
    TAP_STREQ(got, want, "check: a directory where we may not write, in the words of the real run");
    free(got);
    free(want);
    plan_free(&plan);

    path = in("ro/x.cf");
    plan_set(&plan, path, "x", "2");
    free(path);
    got = checked(&plan);
    want = xasprintf("create %s/ro/.x.cf.postmulti.XXXXXX: Permission denied;"
		     " nothing was changed", top);
    TAP_STREQ(got, want, "check: a file to replace there: its temporary file, named by the template");
    free(got);
    free(want);
    plan_free(&plan);

    path = in("ro/x.cf");
    plan_add(&plan, STEP_UNLINK, path);
    free(path);
    got = checked(&plan);
    want = xasprintf("remove %s/ro/x.cf: Permission denied; nothing was changed", top);
    TAP_STREQ(got, want, "check: a file to remove there");
    free(got);
    free(want);
    plan_free(&plan);

    /* The first step that would fail is the one reported. */
    path = in("rw/first");
    plan_mkdir(&plan, path, 0755);
    free(path);
    path = in("ro/x.cf");
    plan_add(&plan, STEP_UNLINK, path);
    free(path);
    path = in("ro/d");
    plan_mkdir(&plan, path, 0755);
    free(path);
    got = checked(&plan);
    want = xasprintf("remove %s/ro/x.cf: Permission denied; nothing was changed", top);
    TAP_STREQ(got, want, "check: the first step that would fail is the one reported");
    free(got);
    free(want);
    plan_free(&plan);

    /* Without root, the temporary file cannot get another owner. */
    if (getuid() == 0) {
	put("rw/y.cf", "y = 1\n");
	path = in("rw/y.cf");
	plan_set(&plan, path, "y", "2");
	free(path);
	got = checked(&plan);
	want = xasprintf("chown %s/rw/.y.cf.postmulti.XXXXXX: Operation not permitted;"
			 " nothing was changed", top);
	TAP_STREQ(got, want, "check: a file of root's in a directory nobody may write");
	free(got);
	free(want);
	path = in("rw/y.cf");
	if (chown(path, 65534, getgid()) < 0) {
	    perror(path);
	    exit(2);
	}
	free(path);
	got = checked(&plan);
	TAP_STREQ(got, 0, "check: the same file, nobody's own: allowed");
	free(got);
	plan_free(&plan);
    } else {
	TAP_SKIP("needs root", "check: the owner of a file not ours");
    }
    path = in("ro");
    chmod(path, 0755);
    free(path);
}

/* rm - nftw callback */

static int rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void) st;
    (void) flag;
    (void) ftw;
    return (remove(path));
}

int     main(void)
{
    if (mkdtemp(top) == 0) {
	perror("mkdtemp");
	return (2);
    }
    umask(022);
    test_apply();
    test_undo();
    test_irreversible();
    test_halfway();
    test_quiet_success();
    test_sweep_tops();
    test_print();
    test_leftovers();
    test_no_change();
    test_commands();
    test_check();
    nftw(top, rm, 16, FTW_DEPTH | FTW_PHYS);
    return (tap_done());
}
