/*
 * test_plan - the plan engine: apply, undo after a failure at each
 * step, irreversible steps, the dry-run text, the commands.
 *
 * Everything happens under a fresh directory in /tmp; no root needed.
 */
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "plan.h"
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
		     "remove directory %1$s/gone if empty\n"
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
    test_print();
    test_no_change();
    test_commands();
    nftw(top, rm, 16, FTW_DEPTH | FTW_PHYS);
    return (tap_done());
}
