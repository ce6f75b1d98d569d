/*
 * test_instance - the instance table: loading, damage, selection, claims
 *
 * Builds small configurations under a temporary directory (a primary
 * whose shared directories point into it, and secondaries), loads them
 * with primary_read() and insttab_load(), and checks what the table says. Fatal
 * conflicts are checked in a child process, whose stderr is read back.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "instance.h"
#include "util.h"
#include "tap.h"

static char top[] = "/tmp/test_instance.XXXXXX";

/* put - write a file under top, making its directory */

static void put(const char *rel, const char *fmt,...)
{
    char   *path = xasprintf("%s/%s", top, rel);
    char   *slash = strrchr(path, '/');
    char   *cmd;
    va_list ap;
    FILE   *fp;

    *slash = 0;
    cmd = xasprintf("mkdir -p '%s'", path);
    if (system(cmd) != 0)
	abort();
    *slash = '/';
    if ((fp = fopen(path, "w")) == 0)
	abort();
    va_start(ap, fmt);
    vfprintf(fp, fmt, ap);
    va_end(ap);
    fclose(fp);
    free(cmd);
    free(path);
}

/* primary - write the primary's main.cf with a list of secondaries */

static void primary(const char *dirs, const char *extra)
{
    put("bin/.keep", "");
    put("libexec/.keep", "");
    put("etc/postfix/main.cf",
	"command_directory = %s/bin\n"
	"daemon_directory = %s/libexec\n"
	"shlib_directory = $daemon_directory\n"
	"queue_directory = %s/spool/postfix\n"
	"data_directory = %s/lib/postfix\n"
	"multi_instance_enable = yes\n"
	"multi_instance_directories = %s\n%s",
	top, top, top, top, dirs, extra);
}

/* secondary - write a secondary's main.cf */

static void secondary(const char *name, const char *group, const char *enable)
{
    char   *rel = xasprintf("etc/%s/main.cf", name);

    put(rel, "queue_directory = %s/spool/%s\n"
	"data_directory = %s/lib/%s\n"
	"multi_instance_name = %s\n"
	"multi_instance_group = %s\n"
	"multi_instance_enable = %s\n",
	top, name, top, name, name, group, enable);
    free(rel);
}

/* load - load the table of the test primary */

static void load(struct insttab *tab)
{
    char   *dir = xasprintf("%s/etc/postfix", top);

    insttab_load(tab, primary_read(dir), dir);
    free(dir);
}

/* load_fails - load in a child; its exit status and first stderr line */

static int load_fails(char *line, size_t len)
{
    int     fds[2], status;
    pid_t   pid;
    ssize_t n;
    size_t  got, room;
    char    scratch[512];

    if (pipe(fds) < 0 || (pid = fork()) < 0)
	abort();
    if (pid == 0) {
	struct insttab tab;

	dup2(fds[1], 2);
	close(fds[0]);
	load(&tab);
	insttab_free(&tab);
	_exit(0);
    }
    close(fds[1]);
    /* All of it, to the end: a child writing to a closed pipe would die. */
    for (got = 0;;) {
	room = len - 1 - got;
	if ((n = read(fds[0], room ? line + got : scratch, room ? room : sizeof(scratch))) <= 0)
	    break;
	if (room)
	    got += (size_t) n;
    }
    line[got] = 0;
    close(fds[0]);
    waitpid(pid, &status, 0);
    return (WIFEXITED(status) ? WEXITSTATUS(status) : 128);
}

/* dirs - "top/etc/a top/etc/b ..." for a list of names */

static char *dirs(const char *names)
{
    strlist sl = STRLIST_INIT;
    strbuf  sb = STRBUF_INIT;

    sl_split(&sl, names, " ");
    for (size_t i = 0; i < sl.n; i++)
	sb_printf(&sb, "%s%s/etc/%s", i ? " " : "", top, sl.v[i]);
    sl_free(&sl);
    return (sb_take(&sb));
}

/* matches - indexes that a selection matches, e.g. "0 2" */

static char *matches(struct insttab *tab, enum selection_kind kind, const char *arg)
{
    struct selection sel = {kind, arg};
    strbuf  sb = STRBUF_INIT;

    for (size_t i = 0; i < tab->n; i++) {
	enum match m = instance_match(tab->v + i, &sel);

	if (m != MATCH_NO)
	    sb_printf(&sb, "%s%zu%s", sb.len ? " " : "", i, m == MATCH_UNKNOWN ? "?" : "");
    }
    return (sb_take(&sb));
}

/* check_matches - one selection against expected indexes */

static void check_matches(struct insttab *tab, enum selection_kind kind,
			          const char *arg, const char *want)
{
    char   *got = matches(tab, kind, arg);

    TAP_STREQ(got, want, "select %s %s", kind == SELECT_NONE ? "(none)" : kind == SELECT_ALL ? "-a" :
	      kind == SELECT_GROUP ? "-g" : "-i", arg ? arg : "");
    free(got);
}

/* reset - remove the test tree */

static void reset(void)
{
    char   *cmd = xasprintf("rm -rf '%s'/*", top);

    if (system(cmd) != 0)
	abort();
    free(cmd);
}

/* test_healthy - a normal multi-instance table */

static void test_healthy(void)
{
    struct insttab tab;
    char   *list = dirs("postfix-a postfix-b nameless");
    char   *path;

    primary(list, "");
    secondary("postfix-a", "mta", "yes");
    secondary("postfix-b", "mta", "NO");
    put("etc/nameless/main.cf", "queue_directory = %s/spool/nameless\n"
	"data_directory = %s/lib/nameless\nmulti_instance_enable = Yes\n", top, top);
    load(&tab);
    TAP_OK(tab.n == 4, "primary and three secondaries");
    TAP_OK(tab.v[0].primary && tab.v[0].enabled, "primary first, enabled");
    TAP_STREQ(tab.v[1].name, "postfix-a", "listed order kept");
    TAP_STREQ(tab.v[1].group, "mta", "group read");
    TAP_OK(tab.v[1].enabled && !tab.v[2].enabled && tab.v[3].enabled,
	   "multi_instance_enable is case-insensitive");
    TAP_STREQ(tab.v[3].name, "", "nameless instance");
    path = xasprintf("%s/spool/postfix-b", top);
    TAP_STREQ(tab.v[2].queue_dir, path, "secondary queue_directory from its main.cf");
    free(path);
    TAP_OK(tab.v[0].damage == 0 && tab.v[3].damage == 0, "nothing damaged");

    check_matches(&tab, SELECT_ALL, 0, "0 1 2 3");
    check_matches(&tab, SELECT_NONE, 0, "0 1 2 3");
    check_matches(&tab, SELECT_GROUP, "mta", "1 2");
    check_matches(&tab, SELECT_GROUP, "nosuch", "");
    check_matches(&tab, SELECT_NAME, "postfix-a", "1");
    check_matches(&tab, SELECT_NAME, "a", "1");
    check_matches(&tab, SELECT_NAME, "postfix-postfix-a", "");
    check_matches(&tab, SELECT_NAME, "-", "0");
    path = xasprintf("%s/etc/nameless/", top);
    check_matches(&tab, SELECT_NAME, path, "3");
    free(path);
    path = xasprintf("%s/etc/./postfix-b", top);
    check_matches(&tab, SELECT_NAME, path, "2");
    free(path);
    check_matches(&tab, SELECT_NAME, "nameless", "");
    TAP_OK(insttab_find(&tab, &(struct selection) {SELECT_NAME, "b"}) == 2,
	   "insttab_find by short name");
    insttab_free(&tab);
    free(list);
    reset();
}

/* test_single - no secondaries: the primary counts as enabled */

static void test_single(void)
{
    struct insttab tab;

    primary("", "multi_instance_enable = no\n");
    load(&tab);
    TAP_OK(tab.n == 1 && tab.v[0].enabled, "single-instance mode: primary enabled");
    insttab_free(&tab);
    reset();
}

/* test_damaged - broken secondaries stay in the table, marked */

static void test_damaged(void)
{
    struct insttab tab;
    char   *list = dirs("missing bad-syntax bad-enable relative loop good");
    char   *path;

    primary(list, "");
    put("etc/bad-syntax/main.cf", "this line has no equals sign\n");
    put("etc/bad-enable/main.cf", "multi_instance_enable = maybe\n");
    put("etc/relative/main.cf", "queue_directory = spool/x\n");
    put("etc/loop/main.cf", "queue_directory = $data_directory\ndata_directory = $queue_directory\n");
    secondary("good", "g", "yes");
    load(&tab);
    TAP_OK(tab.n == 7, "every listed directory is in the table");
    TAP_OK(tab.v[1].damage && strstr(tab.v[1].damage, "No such file"), "missing main.cf: %s",
	   tab.v[1].damage ? tab.v[1].damage : "");
    TAP_OK(tab.v[2].damage && strstr(tab.v[2].damage, "line 1"), "syntax error names the line");
    TAP_OK(tab.v[3].damage && strstr(tab.v[3].damage, "yes or no"), "bad boolean");
    TAP_OK(tab.v[4].damage && strstr(tab.v[4].damage, "absolute"), "relative queue_directory");
    TAP_OK(tab.v[5].damage && strstr(tab.v[5].damage, "nested"), "reference loop");
    TAP_OK(tab.v[6].damage == 0, "the good one is fine");
    TAP_OK(strchr(tab.v[2].damage, '\n') == 0, "damage is one line");
    check_matches(&tab, SELECT_GROUP, "g", "1? 2? 3? 4? 5? 6");
    check_matches(&tab, SELECT_NAME, "good", "1? 2? 3? 4? 5? 6");
    path = xasprintf("%s/etc/missing", top);
    check_matches(&tab, SELECT_NAME, path, "1");
    free(path);
    insttab_free(&tab);
    free(list);
    reset();
}

/* expect_conflict - loading must be fatal, with this in the message */

static void expect_conflict(const char *what, const char *needle)
{
    char    line[1024];
    int     status = load_fails(line, sizeof(line));

    TAP_OK(status == 1 && strncmp(line, "postmulti: fatal: ", 18) == 0
	   && strstr(line, needle) != 0, "%s is fatal", what);
    if (status != 1 || strstr(line, needle) == 0)
	printf("#   status %d, stderr: %s", status, line);
    reset();
}

/* test_claims - conflicts and what is not one */

static void test_claims(void)
{
    struct insttab tab;
    char   *list, *link, *target, *path;
    char    line[1024];

    list = dirs("postfix-a postfix-b");
    primary(list, "");
    secondary("postfix-a", "", "yes");
    put("etc/postfix-b/main.cf", "queue_directory = %s/spool/postfix-a\n", top);
    free(list);
    expect_conflict("two instances on one queue_directory", "queue_directory");

    list = dirs("postfix-a postfix-b");
    primary(list, "");
    secondary("postfix-a", "", "yes");
    put("etc/postfix-b/main.cf", "multi_instance_name = postfix-a\n"
	"queue_directory = %s/spool/b\ndata_directory = %s/lib/b\n", top, top);
    free(list);
    expect_conflict("two instances with one name", "postfix-a");

    list = dirs("postfix-a postfix-a");
    primary(list, "");
    secondary("postfix-a", "", "yes");
    free(list);
    expect_conflict("a directory listed twice", "twice");

    list = xasprintf("%s/etc/postfix", top);
    primary(list, "");
    free(list);
    expect_conflict("the primary listed as a secondary", "primary");

    primary("etc/relative", "");
    expect_conflict("a relative directory in the list", "not an absolute path");

    primary("/", "");
    expect_conflict("\"/\" in the list", "root directory");

    list = dirs("postfix-a");
    primary(list, "");
    put("etc/postfix-a/main.cf", "queue_directory = %s/bin\ndata_directory = %s/lib/a\n", top, top);
    free(list);
    expect_conflict("a queue_directory on command_directory", "command_directory");

    /* One directory under two spellings, through a symbolic link. */
    list = dirs("postfix-a postfix-b");
    primary(list, "");
    secondary("postfix-a", "", "yes");
    target = xasprintf("%s/spool/postfix-a", top);
    link = xasprintf("%s/spool/alias", top);
    put("spool/postfix-a/.keep", "");
    if (symlink(target, link) < 0)
	abort();
    put("etc/postfix-b/main.cf", "queue_directory = %s\ndata_directory = %s/lib/b\n", link, top);
    free(list);
    free(target);
    free(link);
    expect_conflict("a queue_directory reached through a symlink", "same directory");

    /* Shared directories may coincide: daemon = shlib is not a conflict. */
    list = dirs("postfix-a");
    primary(list, "");
    secondary("postfix-a", "", "yes");
    TAP_OK(load_fails(line, sizeof(line)) == 0, "shlib_directory = daemon_directory is fine");
    load(&tab);
    {
	struct instance cand = {0};

	cand.config_dir = xasprintf("%s/etc/new", top);
	cand.queue_dir = xasprintf("%s/spool/postfix-a", top);
	cand.data_dir = xasprintf("%s/lib/new", top);
	cand.name = xstrdup("postfix-new");
	cand.group = xstrdup("");
	path = claims_check(tab.claims, &cand);
	TAP_OK(path && strstr(path, "queue_directory"), "claims_check finds a new conflict");
	free(path);
	free(cand.queue_dir);
	cand.queue_dir = xasprintf("%s/spool/new", top);
	path = claims_check(tab.claims, &cand);
	TAP_OK(path == 0, "claims_check passes a new instance");
	free(path);
	instance_free(&cand);
    }
    insttab_free(&tab);
    free(list);
    reset();
}

int     main(void)
{
    if (mkdtemp(top) == 0)
	abort();
    test_healthy();
    test_single();
    test_damaged();
    test_claims();
    rmdir(top);
    return (tap_done());
}
