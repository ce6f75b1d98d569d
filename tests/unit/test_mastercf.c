/*
 * test_mastercf - the master.cf reader, through its C interface.
 *
 * What postconf prints for whole files (-M, -F, -P) is compared by
 * tests/mastercf/run; this checks what only the interface shows: entry
 * line numbers, -o lookups, the exact messages of errors and warnings,
 * loading from a directory, and that nothing leaks (run it under
 * valgrind too).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "tap.h"
#include "mastercf.h"
#include "util.h"

/* parse - parse a string; NULL and the message in *err on failure */

static MASTERCF *parse(const char *text, char **err)
{
    *err = 0;
    return (mastercf_parse(text, strlen(text), "test/master.cf", err));
}

/* error_of - the message of a text that must fail, or "(parsed)" */

static char *error_of(const char *text, size_t len)
{
    char   *err = 0;
    MASTERCF *cf = mastercf_parse(text, len, "test/master.cf", &err);

    if (cf) {
	mastercf_free(cf);
	return (xstrdup("(parsed)"));
    }
    return (err);
}

/* check_error - one text, the message it must fail with */

static void check_error(const char *what, const char *text, const char *want)
{
    char   *err = error_of(text, strlen(text));

    TAP_STREQ(err, want, "error: %s", what);
    free(err);
}

/* warnings_of - the warnings of a text, joined with "|" */

static char *warnings_of(const char *text)
{
    char   *err, *joined;
    MASTERCF *cf = parse(text, &err);

    if (cf == 0)
	return (err);
    joined = sl_join(&cf->warnings, "|");
    mastercf_free(cf);
    return (joined);
}

/* test_entries - fields, arguments, -o settings and line numbers */

static void test_entries(void)
{
    const char *text =
    "# the stock shape\n"
    "smtp      inet  n       -       y       -       -       smtpd\n"
    "relay     unix  -       -       y       -       -       smtp\n"
    "  # a comment inside the entry\n"
    "\n"
    "        -o syslog_name=postfix/$service_name\n"
    "\t-o { smtp_helo_timeout = 5 s } -o smtp_helo_timeout=7 -v extra {x y}\n"
    "maildrop  unix  -       n       n       -       -       pipe\n"
    "  flags=DRXhu user=vmail argv=/usr/bin/maildrop -d ${recipient}\n";
    char   *err, *command;
    MASTERCF *cf = parse(text, &err);

    TAP_OK(cf != 0, "a stock-shaped file parses");
    if (cf == 0) {
	free(err);
	return;
    }
    TAP_OK(cf->n == 3, "three entries (%zu)", cf->n);
    TAP_OK(cf->warnings.n == 0, "no warnings");
    TAP_STREQ(cf->v[0].field[MCF_SERVICE], "smtp", "service field");
    TAP_STREQ(cf->v[0].field[MCF_TYPE], "inet", "type field");
    TAP_STREQ(cf->v[0].field[MCF_PRIVATE], "n", "private field");
    TAP_STREQ(cf->v[0].field[MCF_CHROOT], "y", "chroot field");
    TAP_STREQ(cf->v[0].field[MCF_COMMAND], "smtpd", "command field");
    TAP_OK(cf->v[0].line == 2 && cf->v[1].line == 3 && cf->v[2].line == 8,
	   "each entry has the line it starts on (%zu %zu %zu)",
	   cf->v[0].line, cf->v[1].line, cf->v[2].line);
    TAP_STREQ(mastercf_override(cf->v + 1, "syslog_name"), "postfix/$service_name",
	      "-o name=value on a continuation line");
    TAP_STREQ(mastercf_override(cf->v + 1, "smtp_helo_timeout"), "7",
	      "the last -o of a name wins");
    TAP_OK(cf->v[1].nov == 2, "two -o names on relay (%zu)", cf->v[1].nov);
    TAP_OK(mastercf_override(cf->v + 0, "syslog_name") == 0, "no -o: NULL");
    command = mastercf_command(cf->v + 1);
    TAP_STREQ(command, "smtp -o syslog_name=postfix/$service_name"
	      " -o {smtp_helo_timeout=5 s} -o smtp_helo_timeout=7 -v extra {x y}",
	      "the command as postconf -F prints it");
    free(command);
    command = mastercf_command(cf->v + 2);
    TAP_STREQ(command, "pipe flags=DRXhu user=vmail argv=/usr/bin/maildrop -d ${recipient}",
	      "pipe arguments kept as written");
    free(command);
    TAP_STREQ(cf->v[2].field[MCF_UNPRIV], "n", "unprivileged field");
    mastercf_free(cf);
}

/* test_overrides - the forms of -o */

static void test_overrides(void)
{
    char   *err;
    MASTERCF *cf = parse("a unix - - - - - cmd -oa=1 -vo b=2 -o {c = x  y} -o { d = }"
			 " -o =e -o f x -o g=9\n"
			 "b unix - - - - - cmd --oa=1 -o b=2\n", &err);

    TAP_OK(cf != 0 && cf->n == 2, "the -o forms parse");
    if (cf == 0) {
	free(err);
	return;
    }
    TAP_STREQ(mastercf_override(cf->v, "a"), "1", "-oname=value");
    TAP_STREQ(mastercf_override(cf->v, "b"), "2", "-vo name=value");
    TAP_STREQ(mastercf_override(cf->v, "c"), "x  y", "-o { name = value } keeps inner space");
    TAP_STREQ(mastercf_override(cf->v, "d"), "", "-o { name = }: empty value");
    TAP_OK(mastercf_override(cf->v, "") == 0, "-o =value sets nothing");
    TAP_OK(mastercf_override(cf->v, "f") == 0, "-o name without = sets nothing");
    TAP_OK(mastercf_override(cf->v, "g") == 0, "no -o after the first non-option");
    TAP_OK(cf->v[1].nov == 0, "--oa=1 is -- -o a=1, and a daemon stops at --");
    mastercf_free(cf);

    /* postconf shows "-o sysl -o g_name=p -o stfix/$service_name". */
    cf = parse("relay unix - - y - - smtp -osyslog_name=postfix/$service_name\n", &err);
    TAP_OK(cf != 0, "-oname=value with an o in it parses");
    if (cf) {
	TAP_STREQ(mastercf_override(cf->v, "syslog_name"), "postfix/$service_name",
		  "-osyslog_name=...: the whole rest is the value, as getopt reads it");
	mastercf_free(cf);
    } else {
	free(err);
    }
}

/* test_errors - what makes a file unusable, and the messages */

static void test_errors(void)
{
    char   *err;

    check_error("too few fields", "a unix - - - -\n",
		"test/master.cf, line 1: bad field count");
    check_error("the line of a continued entry", "a unix - - - - - cmd\nb unix\n  - - -\n",
		"test/master.cf, line 2: bad field count");
    check_error("unknown type", "a UNIX - - - - - cmd\n",
		"test/master.cf, line 1: invalid type field \"UNIX\"");
    check_error("private", "a unix yes - - - - cmd\n",
		"test/master.cf, line 1: invalid private field \"yes\"");
    check_error("unprivileged", "a unix - Y - - - cmd\n",
		"test/master.cf, line 1: invalid unprivileged field \"Y\"");
    check_error("chroot", "a unix - - 1 - - cmd\n",
		"test/master.cf, line 1: invalid chroot field \"1\"");
    check_error("wakeup", "a unix - - - 5?? - cmd\n",
		"test/master.cf, line 1: invalid wakeup field \"5??\"");
    check_error("process limit", "a unix - - - - -1 cmd\n",
		"test/master.cf, line 1: invalid process_limit field \"-1\"");
    check_error("an unclosed brace eats the fields", "{a unix - - - - - cmd\n",
		"test/master.cf, line 1: bad field count");
    check_error("a control byte shows as ?", "a unix - - - - \001 cmd\n",
		"test/master.cf, line 1: invalid process_limit field \"?\"");
    err = error_of("a unix - - - - - cmd\n\0b\n", 24);
    TAP_STREQ(err, "test/master.cf, line 2: NUL byte in file", "error: a NUL byte");
    free(err);
}

/* test_warnings - what postconf only warns about */

static void test_warnings(void)
{
    char   *w;

    w = warnings_of("a unix - - - - - cmd -o { a = b\n");
    TAP_STREQ(w, "test/master.cf, line 1: missing '}': \"{ a = b\"", "warning: missing }");
    free(w);
    w = warnings_of("a unix - - - - - cmd {x}y\n");
    TAP_STREQ(w, "test/master.cf, line 1: text after '}': \"{x}y\"", "warning: text after }");
    free(w);
    w = warnings_of("a unix - - - - - cmd -o {a b = c} -o {=} -o { c }\n");
    TAP_STREQ(w, "test/master.cf, line 1: missing '=' after parameter name: \"a b = c\""
	      "|test/master.cf, line 1: missing parameter name: \"=\""
	      "|test/master.cf, line 1: missing '=' after parameter name: \"c\"",
	      "warnings: -o settings in braces without a name");
    free(w);
    w = warnings_of("# first\n  -o x=y\na unix - - - - - cmd\n");
    TAP_STREQ(w, "test/master.cf, line 2: continuation line with nothing to continue:"
	      " \"  -o x=y\"", "warning: a continuation line with nothing to continue");
    free(w);
    w = warnings_of("a unix - - - - - cmd x {y z\n");
    TAP_STREQ(w, "test/master.cf, line 1: missing '}': \"{y z\"",
	      "warning: a missing } after the options too");
    free(w);
}

/* test_load - read a directory's master.cf */

static void test_load(void)
{
    char    dir[] = "/tmp/test_mastercf.XXXXXX";
    char   *path, *err = 0;
    FILE   *fp;
    MASTERCF *cf;

    if (mkdtemp(dir) == 0) {
	TAP_OK(0, "mkdtemp");
	return;
    }
    path = xasprintf("%s/master.cf", dir);
    cf = mastercf_load(dir, &err);
    TAP_OK(cf == 0, "load: no master.cf fails");
    {
	char   *want = xasprintf("read %s: No such file or directory", path);

	TAP_STREQ(err, want, "load: the message names the file");
	free(want);
    }
    free(err);
    if ((fp = fopen(path, "w")) != 0) {
	fputs("bad unix - - - - x cmd\n", fp);
	fclose(fp);
    }
    err = 0;
    cf = mastercf_load(dir, &err);
    {
	char   *want = xasprintf("%s, line 1: invalid process_limit field \"x\"", path);

	TAP_STREQ(err, want, "load: a parse error names the file's path");
	free(want);
    }
    free(err);
    if ((fp = fopen(path, "w")) != 0) {
	fputs("smtp inet n - y - - smtpd\n", fp);
	fclose(fp);
    }
    err = 0;
    cf = mastercf_load(dir, &err);
    TAP_OK(cf != 0 && cf->n == 1, "load: a good file");
    if (cf)
	TAP_STREQ(cf->origin, path, "load: the origin is the path");
    mastercf_free(cf);
    free(err);
    unlink(path);
    rmdir(dir);
    free(path);
}

int     main(void)
{
    char   *err;
    MASTERCF *cf = parse("", &err);

    TAP_OK(cf != 0 && cf->n == 0, "an empty text has no entries");
    mastercf_free(cf);
    cf = parse("#\n\n  \n   # x\n", &err);
    TAP_OK(cf != 0 && cf->n == 0 && cf->warnings.n == 0, "only comments and blank lines");
    mastercf_free(cf);
    test_entries();
    test_overrides();
    test_errors();
    test_warnings();
    test_load();
    return (tap_done());
}
