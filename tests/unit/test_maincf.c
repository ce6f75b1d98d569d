/*
 * test_maincf - the main.cf reader and expander, through its C interface.
 *
 * What postconf answers for whole files is checked by tests/maincf/run;
 * this checks what only the interface shows: raw and default lookups,
 * maincf_expand() on caller text, booleans, error messages (one line,
 * naming the file, the line and the parameter), NUL bytes, loading from
 * a directory, and that nothing leaks (run it under valgrind too).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "tap.h"
#include "maincf.h"
#include "defaults.h"
#include "util.h"

/* brief - a one-line excerpt of a text for a test name (static memory) */

static const char *brief(const char *text)
{
    static char buf[4][64];
    static int next;
    char   *out = buf[next++ % 4], *op = out;

    for (const char *cp = text; *cp && op < out + sizeof(buf[0]) - 5; cp++) {
	if (*cp == '\n')
	    *op++ = '\\', *op++ = 'n';
	else
	    *op++ = (*cp >= ' ' && *cp <= '~') ? *cp : '?';
    }
    *op = 0;
    return (out);
}

/* parse - parse a string; NULL and the message in *err on failure */

static MAINCF *parse(const char *text, char **err)
{
    *err = 0;
    return (maincf_parse(text, strlen(text), "test/main.cf", err));
}

/* eval - the expanded value of one parameter of a text, or "ERROR: ..." */

static char *eval(const char *text, const char *name)
{
    char   *err, *value, *result;
    MAINCF *cf = parse(text, &err);

    if (cf == 0) {
	result = xasprintf("PARSE ERROR: %s", err);
	free(err);
	return (result);
    }
    if ((value = maincf_eval(cf, name, &err)) == 0) {
	result = xasprintf("ERROR: %s", err);
	free(err);
    } else {
	result = value;
    }
    maincf_free(cf);
    return (result);
}

/* check_eval - the expanded value must be want */

static void check_eval(const char *text, const char *name, const char *want)
{
    char   *got = eval(text, name);

    TAP_STREQ(got, want, "eval %s in \"%s\"", name, brief(text));
    free(got);
}

/* check_error - evaluating must fail with a one-line message holding needle */

static void check_error(const char *text, const char *name, const char *needle)
{
    char   *got = eval(text, name);

    TAP_OK(strncmp(got, "ERROR: ", 7) == 0 && strstr(got, needle) != 0
	   && strchr(got, '\n') == 0, "error for %s in \"%s\": %s", name, brief(text), got);
    free(got);
}

/* check_parse_error - parsing must fail with a one-line message holding needle */

#define PARSE_ERROR(text, needle) check_parse_error((text), sizeof(text) - 1, (needle))

static void check_parse_error(const char *text, size_t len, const char *needle)
{
    char   *err = 0;
    MAINCF *cf = maincf_parse(text, len, "test/main.cf", &err);

    TAP_OK(cf == 0 && err && strstr(err, needle) && strchr(err, '\n') == 0
	   && strncmp(err, "test/main.cf", 12) == 0,
	   "parse error \"%s\" for \"%s\": %s", needle, brief(text), err ? err : "(none)");
    maincf_free(cf);
    free(err);
}

/* chain - main.cf text: queue_directory -> p1 -> ... -> pN = tail */

static char *chain(int n, const char *tail)
{
    strbuf  sb = STRBUF_INIT;

    sb_puts(&sb, "queue_directory = $p1\n");
    for (int i = 1; i < n; i++)
	sb_printf(&sb, "p%d = $p%d\n", i, i + 1);
    sb_printf(&sb, "p%d = %s\n", n, tail);
    return (sb_take(&sb));
}

/* test_syntax - the file syntax, through maincf_get() */

static void test_syntax(void)
{
    static const char text[] =
	"  indented = ignored, nothing to continue\n"
	"# comment\n"
	"a = one\n"
	"b=two  \n"
	"c =\n"
	"   first\n"
	"\n"
	"# a comment inside the definition\n"
	"\tsecond # text, not a comment\n"
	"d = x=y # z\r\n"
	"a = last wins\n"
	"e\n"
	"  = name alone on its line\n"
	"f = no newline at the end";
    char   *err;
    MAINCF *cf = parse(text, &err);

    TAP_OK(cf != 0, "parse a file with every construct");
    if (cf == 0)
	return;
    TAP_STREQ(maincf_get(cf, "a"), "last wins", "the last definition wins");
    TAP_STREQ(maincf_get(cf, "b"), "two", "no space around \"=\", trailing space dropped");
    TAP_STREQ(maincf_get(cf, "c"), "first\tsecond # text, not a comment",
	      "continuation: newline dropped, leading white space kept, comments skipped");
    TAP_STREQ(maincf_get(cf, "d"), "x=y # z", "\"=\" and \"#\" in a value; CR dropped");
    TAP_STREQ(maincf_get(cf, "e"), "name alone on its line", "\"=\" on a continuation line");
    TAP_STREQ(maincf_get(cf, "f"), "no newline at the end", "last line without newline");
    TAP_STREQ(maincf_get(cf, "indented"), 0, "an indented first line is ignored");
    TAP_STREQ(maincf_get(cf, "queue_directory"), 0, "maincf_get: NULL when not in the file");
    TAP_STREQ(maincf_lookup(cf, "queue_directory"), default_value("queue_directory"),
	      "maincf_lookup: the compiled-in default when not in the file");
    TAP_STREQ(maincf_lookup(cf, "no_such_parameter"), 0, "maincf_lookup: NULL for unknown names");
    TAP_STREQ(maincf_path(cf), "test/main.cf", "maincf_path is the origin");
    maincf_free(cf);

    cf = parse("", &err);
    TAP_OK(cf && maincf_get(cf, "a") == 0 && maincf_lookup(cf, "mail_name") != 0,
	   "an empty text is a valid main.cf");
    maincf_free(cf);
    cf = parse("a = x\n\v\f\r\t \n   \n\f b\n", &err);
    TAP_STREQ(cf ? maincf_get(cf, "a") : 0, "x\f b", "ASCII white space: blank lines, continuation");
    maincf_free(cf);
    cf = parse("a = \xa0x\xa0\n\xa0" "b = y\n", &err);
    TAP_STREQ(cf ? maincf_get(cf, "a") : 0, "\xa0x\xa0", "0xA0 is not white space");
    TAP_STREQ(cf ? maincf_get(cf, "\xa0" "b") : 0, "y", "nor does it start a continuation line");
    maincf_free(cf);
    maincf_free(0);
    TAP_OK(1, "maincf_free(NULL) is harmless");
}

/* test_parse_errors - what makes a file unusable */

static void test_parse_errors(void)
{
    static const char nul[] = "a = 1\nb = x\0y\nc = 3\n";

    PARSE_ERROR("a = 1\nno equals sign\n", "line 2: missing '='");
    PARSE_ERROR("a = 1\n= x\n", "line 2: missing parameter name");
    PARSE_ERROR("a b = c\n", "line 1: missing '='");
    PARSE_ERROR("a = 1\nbad line\n  continued\nc = 3\n", "line 2: missing '='");
    PARSE_ERROR(nul, "line 2: NUL byte");
    PARSE_ERROR("\0", "line 1: NUL byte");
    PARSE_ERROR("a = 1\n# \0 in a comment\n", "line 2: NUL byte");
    PARSE_ERROR("bad\x01\x7f\xff\r line\n", "\"bad" "????" " line\"");
}

/* test_expansion - the expansion forms, through maincf_eval() */

static void test_expansion(void)
{
    check_eval("a = 1\nb = [$a][${a}][$(a)][${ a }][$$a][$$$a]", "b", "[1][1][1][1][$a][$1]");
    check_eval("b = [$nope][${nope}][${ }][${?x}][${:x}]", "b", "[][][][][x]");
    check_eval("b = $mail_name", "b", default_value("mail_name"));
    check_eval("a = 1\nb = ${a?{y}:{n}}${nope?{y}:{n}}${a?{y}:n}${nope?{y}: n}", "b", "yny n");
    check_eval("a = 1\nb = ${a?y}|${a:y}|${nope?y}|${nope:y}|${a:{y}}|${nope:{y}}", "b",
	       "y|||y||y");
    check_eval("e =\nr = $e\nb = ${e?y}${e:n}${r?y}${r:n}", "b", "ny");
    check_eval("b = ${nope?{$}:{ok}}${mail_name:$loop}\nloop = $loop", "b", "ok");
    check_eval("b = [${mail_name? x }][${mail_name?{ x } : { y }}]", "b", "[ x ][ x ]");
    check_eval("b = $(mail_name?(a(b)))${mail_name?(}${mail_name?{{a}}}}", "b", "(a(b))({a}}");
    check_eval("a = x\nb = $a-$a.$a/$a\xc3\xa9", "b", "x-x.x/x\xc3\xa9");
    check_eval("b = a$$", "b", "a$");
    check_eval("b = ", "b", "");
    check_eval("", "no_such_parameter", "");
    check_eval("b = x\nservice_name = $b\nq = [$service_name]", "q", "[]");
    check_eval("forward_path = $mail_name $\nq = ${forward_path?set}", "forward_path",
	       "$mail_name $");
    check_eval("forward_path = /$mail_name\nq = <$forward_path>", "q", "</Postfix>");
}

/* test_expansion_errors - each malformed reference, and the message */

static void test_expansion_errors(void)
{
    static const char *bad[] = {
	"$", "a$", "$ x", "$-", "${", "${a", "$(a", "${a)", "$(a}", "${}", "$()",
	"${na-me}", "${a b}", "${a!x}", "${a == b?{x}}", "${${a}}",
	"${mail_name?{a}junk}", "${mail_name?{a}:{b}junk}", "${mail_name?{a}{b}}",
	"${nope:{a}:{b}}", "${nope?{a}:{b}:{c}}", "$(nope?{a)", "$(nope?{a}:{b)",
	0,
    };
    char   *text, *got;

    for (const char **bp = bad; *bp; bp++) {
	text = xasprintf("b = %s\n", *bp);
	check_error(text, "b", "test/main.cf, line 1: parameter b: ");
	free(text);
    }
    got = eval("a = 1\n\nb = [$c]\nc = x ${nope\n", "b");
    TAP_STREQ(got, "ERROR: test/main.cf, line 4: parameter c: unterminated reference"
	      " at \"${nope\"", "the message names the parameter that holds the bad text");
    free(got);
    got = eval("b = x $\x01\n  y\n", "b");
    TAP_OK(strchr(got, '\n') == 0 && strchr(got, '\x01') == 0,
	   "control characters do not reach the message: %s", got);
    free(got);
}

/* test_nesting - levels as Postfix counts them */

static void test_nesting(void)
{
    static const struct {
	int     n;
	const char *tail;
	const char *want;
    }       cases[] = {
	{99, "end", "end"},
	{100, "end", "end"},
	{101, "end", 0},
	{101, "", ""},
	{100, "$nope", ""},
	{101, "$nope", 0},
	{100, "$mail_name", 0},
	{100, "${nope?{x}}", ""},
	{100, "${mail_name?{x}}", 0},
	{100, "${mail_name?{}}", ""},
	{102, "", 0},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	char   *text = chain(cases[i].n, cases[i].tail);
	char   *got = eval(text, "queue_directory");

	if (cases[i].want)
	    TAP_STREQ(got, cases[i].want, "chain of %d ending in \"%s\"",
		      cases[i].n, cases[i].tail);
	else
	    TAP_OK(strstr(got, "nested more than 100 deep") != 0 && strchr(got, '\n') == 0,
		   "chain of %d ending in \"%s\": %s", cases[i].n, cases[i].tail, got);
	free(got);
	free(text);
    }
    check_error("q = $a\na = $b\nb = $a\n", "q", "nested more than 100 deep");
    check_error("q = $q\n", "q", "test/main.cf, line 1: parameter q: ");
    {
	/* Each level doubles: Postfix would run out of memory. */
	strbuf  sb = STRBUF_INIT;

	sb_puts(&sb, "q = $a1\n");
	for (int i = 1; i < 60; i++)
	    sb_printf(&sb, "a%d = $a%d$a%d\n", i, i + 1, i + 1);
	sb_puts(&sb, "a60 = ");
	for (int i = 0; i < 1000; i++)
	    sb_addc(&sb, 'x');
	sb_addc(&sb, '\n');
	check_error(sb.s, "q", "expansion larger than");
	sb_free(&sb);
    }
}

/* test_builtins_checked - a malformed built-in parameter spoils the file */

static void test_builtins_checked(void)
{
    char   *err;
    MAINCF *cf;

    PARSE_ERROR("a = 1\nqueue_directory = /x/$\n", "line 2: parameter queue_directory: ");
    PARSE_ERROR("smtpd_banner = ${\nqueue_directory = /q\n", "line 1: parameter smtpd_banner: ");
    PARSE_ERROR("data_directory = $loop\nloop = x$loop\n", "nested");
    PARSE_ERROR("mail_name = $\nqueue_directory = $\n", "line 1: parameter mail_name");
    PARSE_ERROR("queue_directory = [$x]\nx = $\n", "line 2: parameter x: ");
    PARSE_ERROR("mynetworks = ${\n", "line 1: parameter mynetworks: ");

    cf = parse("broken = ${\nforward_path = $\nservice_name = $\nqueue_directory = /q\n", &err);
    TAP_OK(cf != 0, "unreferenced user-defined, raw and read-only values are not checked");
    TAP_STREQ(cf ? maincf_get(cf, "service_name") : 0, "$", "maincf_get shows a read-only setting");
    TAP_STREQ(cf ? maincf_lookup(cf, "service_name") : 0, default_value("service_name"),
	      "maincf_lookup ignores it");
    maincf_free(cf);
}

/* test_expand - maincf_expand() on caller text */

static void test_expand(void)
{
    char   *err = 0;
    strbuf  out = STRBUF_INIT;
    MAINCF *cf = parse("a = A\nloop = $loop\n", &err);

    sb_puts(&out, "kept:");
    TAP_OK(maincf_expand(cf, "${a}/$$/${nope:x}", &out, &err) == 0, "maincf_expand works");
    TAP_STREQ(out.s, "kept:A/$/x", "maincf_expand appends to out");
    TAP_OK(maincf_expand(cf, "x $", &out, &err) < 0 && err
	   && strcmp(err, "test/main.cf: \"$\" without a parameter name at \"$\"") == 0,
	   "an error in the text itself names no parameter: %s", err ? err : "");
    free(err);
    err = 0;
    TAP_OK(maincf_expand(cf, "$loop", &out, &err) < 0 && err
	   && strstr(err, "test/main.cf, line 2: parameter loop: ") != 0,
	   "an error in a referenced value names it: %s", err ? err : "");
    free(err);
    sb_free(&out);
    maincf_free(cf);
}

/* test_bool - yes/no parameters */

static void test_bool(void)
{
    static const struct {
	const char *text;
	int     ret, value;
    }       cases[] = {
	{"multi_instance_enable = yes", 0, 1},
	{"multi_instance_enable = YES", 0, 1},
	{"multi_instance_enable = No", 0, 0},
	{"x = nO\nmulti_instance_enable = $x", 0, 0},
	{"", 0, 0},
	{"multi_instance_enable = maybe", -1, 0},
	{"multi_instance_enable = ${mail_name? yes}", -1, 0},
	{"multi_instance_enable =", -1, 0},
    };
    char   *err;
    int     value;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	MAINCF *cf = parse(cases[i].text, &err);
	int     ret;

	value = -1;
	err = 0;
	ret = cf ? maincf_bool(cf, "multi_instance_enable", &value, &err) : -2;
	if (cases[i].ret == 0)
	    TAP_OK(ret == 0 && value == cases[i].value, "bool \"%s\" is %d",
		   brief(cases[i].text), cases[i].value);
	else
	    TAP_OK(ret == -1 && err && strstr(err, "expected yes or no")
		   && strstr(err, "multi_instance_enable") && strchr(err, '\n') == 0,
		   "bool \"%s\" is an error: %s", brief(cases[i].text), err ? err : "");
	free(err);
	maincf_free(cf);
    }
    err = 0;
    {
	MAINCF *cf = parse("x = $\nflag = ${x:yes}$x", &err);

	TAP_OK(cf && maincf_bool(cf, "flag", &value, &err) == -1
	       && err && strstr(err, "parameter x"), "bool: an expansion error comes through");
	free(err);
	maincf_free(cf);
    }
}

/* put - write a file or die */

static void put(const char *path, const char *text)
{
    FILE   *fp = fopen(path, "w");

    if (fp == 0 || fputs(text, fp) == EOF || fclose(fp) == EOF) {
	perror(path);
	exit(1);
    }
}

/* test_load - reading DIR/main.cf */

static void test_load(void)
{
    char    dir[] = "/tmp/test_maincf.XXXXXX";
    char   *path, *err = 0, *value;
    MAINCF *cf;

    if (mkdtemp(dir) == 0) {
	perror("mkdtemp");
	exit(1);
    }
    path = xasprintf("%s/main.cf", dir);

    cf = maincf_load(dir, &err);
    TAP_OK(cf == 0 && err && strstr(err, path) && strstr(err, "No such file"),
	   "missing main.cf: %s", err ? err : "");
    free(err);

    put(path, "queue_directory = $config_directory/q\n");
    err = 0;
    cf = maincf_load(dir, &err);
    value = cf ? maincf_eval(cf, "queue_directory", &err) : 0;
    TAP_OK(value && strncmp(value, dir, strlen(dir)) == 0 && strcmp(value + strlen(dir), "/q") == 0,
	   "config_directory is the directory read from: %s", value ? value : err);
    TAP_STREQ(cf ? maincf_path(cf) : 0, path, "maincf_path is the file read");
    free(value);
    maincf_free(cf);

    put(path, "config_directory = /elsewhere\nqueue_directory = $config_directory/q\n");
    cf = maincf_load(dir, &err);
    value = cf ? maincf_eval(cf, "queue_directory", &err) : 0;
    TAP_STREQ(value, "/elsewhere/q", "main.cf may set config_directory");
    free(value);
    maincf_free(cf);

    put(path, "a = 1\nqueue_directory = ${mail_name\n");
    err = 0;
    cf = maincf_load(dir, &err);
    TAP_OK(cf == 0 && err && strstr(err, path) && strstr(err, "line 2: parameter queue_directory"),
	   "load fails on a malformed built-in parameter: %s", err ? err : "");
    free(err);

    {
	strbuf  big = STRBUF_INIT;

	for (int i = 0; i < 20000; i++)
	    sb_printf(&big, "param%d = value%d $param%d\n", i, i, i + 1);
	cf = maincf_parse(big.s, big.len, "big", &err);
	value = cf ? maincf_eval(cf, "param19950", &err) : 0;
	TAP_STREQ(value, "value19950 value19951 value19952 value19953 value19954 value19955"
		  " value19956 value19957 value19958 value19959 value19960 value19961"
		  " value19962 value19963 value19964 value19965 value19966 value19967"
		  " value19968 value19969 value19970 value19971 value19972 value19973"
		  " value19974 value19975 value19976 value19977 value19978 value19979"
		  " value19980 value19981 value19982 value19983 value19984 value19985"
		  " value19986 value19987 value19988 value19989 value19990 value19991"
		  " value19992 value19993 value19994 value19995 value19996 value19997"
		  " value19998 value19999 ", "20000 parameters");
	free(value);
	maincf_free(cf);
	sb_free(&big);
    }

    if (unlink(path) < 0 || mkdir(path, 0700) < 0) {
	perror(path);
	exit(1);
    }
    err = 0;
    cf = maincf_load(dir, &err);
    TAP_OK(cf == 0 && err && strstr(err, "Is a directory"), "main.cf a directory: %s",
	   err ? err : "");
    free(err);
    rmdir(path);
    rmdir(dir);
    free(path);
}

/* test_service_params - names that master.cf's services define */

static void test_service_params(void)
{
    char    dir[] = "/tmp/test_maincf.XXXXXX";
    char   *main_cf, *master_cf, *err = 0, *value;
    MAINCF *cf;
    strlist names = STRLIST_INIT;
    static const char *const evals[][2] = {
	/* pipe: the per-transport names and _time_limit */
	{"dovecot_time_limit", "1000s"},
	{"dovecot_destination_recipient_limit", "50"},
	/* smtp: the per-transport names, no _time_limit */
	{"relay_destination_concurrency_limit", "20"},
	{"relay_time_limit", ""},
	{"relay_initial_destination_concurrency", "5"},
	/* spawn: _time_limit only */
	{"policy_time_limit", "1000s"},
	{"policy_recipient_limit", ""},
	/* a compiled-in name keeps its own default */
	{"local_destination_recipient_limit", "1"},
	/* a command given as a path, or another program: nothing */
	{"mypipe_time_limit", ""},
	{"cleanup_recipient_limit", ""},
	/* no such service */
	{"uucp_destination_recipient_limit", ""},
	/* the first service wins: "a" (pipe) before "a_destination" (smtp) */
	{"a_destination_recipient_limit", "50"},
	{"refers", "20000/1000s"},
    };

    if (mkdtemp(dir) == 0) {
	perror("mkdtemp");
	exit(1);
    }
    main_cf = xasprintf("%s/main.cf", dir);
    master_cf = xasprintf("%s/master.cf", dir);
    put(main_cf, "refers = $relay_recipient_limit/$dovecot_time_limit\n");
    put(master_cf, "dovecot unix - n n - - pipe\n  flags=DRhu user=vmail argv=/bin/true\n"
	"relay unix - - n - - smtp\n"
	"policy unix - n n - 0 spawn user=nobody argv=/bin/true\n"
	"local unix - n n - - local\n"
	"mypipe unix - n n - - /usr/lib/postfix/sbin/pipe argv=/bin/true\n"
	"cleanup unix n - n - 0 cleanup\n"
	"a unix - n n - - pipe argv=/bin/true\n"
	"a_destination unix - - n - - smtp\n");
    cf = maincf_load(dir, &err);
    TAP_OK(cf != 0, "main.cf with master.cf services loads: %s", cf ? "" : err);
    for (size_t i = 0; cf && i < sizeof(evals) / sizeof(evals[0]); i++) {
	value = maincf_eval(cf, evals[i][0], &err);
	TAP_STREQ(value, evals[i][1], "per-service: %s", evals[i][0]);
	free(value);
    }
    if (cf)
	maincf_service_names(cf, &names);
    TAP_OK(names.n == 17 + 16 + 1 + (16 - 2) + 17 + 16, "maincf_service_names: %zu names"
	   " (pipe 17 twice, smtp 16 twice, spawn 1, local 16 less its two compiled-in ones)",
	   names.n);
    sl_free(&names);
    maincf_free(cf);

    /* A malformed per-service setting spoils the file only where the service exists. */
    put(main_cf, "uucp_destination_recipient_limit = ${x\n");
    cf = maincf_load(dir, &err);
    TAP_OK(cf != 0, "a malformed uucp_ setting without a uucp service: a user-defined name");
    maincf_free(cf);
    put(main_cf, "relay_destination_recipient_limit = ${x\n");
    err = 0;
    cf = maincf_load(dir, &err);
    TAP_OK(cf == 0 && err && strstr(err, "relay_destination_recipient_limit"),
	   "a malformed relay_ setting with a relay service spoils the file: %s", err ? err : "");
    free(err);

    /* No master.cf, or a malformed one: no per-service names. */
    put(main_cf, "x = 1\n");
    put(master_cf, "relay unix - -\n");
    cf = maincf_load(dir, &err);
    value = cf ? maincf_eval(cf, "relay_recipient_limit", &err) : 0;
    TAP_STREQ(value, "", "a malformed master.cf defines no per-service name");
    free(value);
    maincf_free(cf);
    unlink(master_cf);
    cf = maincf_load(dir, &err);
    value = cf ? maincf_eval(cf, "relay_recipient_limit", &err) : 0;
    TAP_STREQ(value, "", "no master.cf: no per-service name");
    free(value);
    maincf_free(cf);
    cf = maincf_parse("x = $dovecot_time_limit\n", strlen("x = $dovecot_time_limit\n"),
		      "text", &err);
    value = cf ? maincf_eval(cf, "x", &err) : 0;
    TAP_STREQ(value, "", "maincf_parse(): no master.cf, no per-service name");
    free(value);
    maincf_free(cf);
    unlink(main_cf);
    rmdir(dir);
    free(main_cf);
    free(master_cf);
}

/* test_comparisons - "${{a} OP {b} ? {t} : {f}}" and its forms */

static void test_comparisons(void)
{
    static const struct {
	const char *value;
	const char *want;
    } cases[] = {
	/* Each operator, both ways, on text. */
	{"${{a} == {a} ? {T} : {F}}", "T"},
	{"${{a} == {b} ? {T} : {F}}", "F"},
	{"${{a} != {b} ? {T} : {F}}", "T"},
	{"${{a} != {a} ? {T} : {F}}", "F"},
	{"${{a} < {b} ? {T} : {F}}", "T"},
	{"${{b} < {a} ? {T} : {F}}", "F"},
	{"${{a} <= {a} ? {T} : {F}}", "T"},
	{"${{b} <= {a} ? {T} : {F}}", "F"},
	{"${{b} > {a} ? {T} : {F}}", "T"},
	{"${{a} > {b} ? {T} : {F}}", "F"},
	{"${{a} >= {a} ? {T} : {F}}", "T"},
	{"${{a} >= {b} ? {T} : {F}}", "F"},
	/* Numbers when both sides are all digits, else text. */
	{"${{10} > {9} ? {T} : {F}}", "T"},
	{"${{10x} > {9x} ? {T} : {F}}", "F"},
	{"${{007} == {7} ? {T} : {F}}", "T"},
	{"${{} == {0} ? {T} : {F}}", "F"},
	{"${{-1} < {1} ? {T} : {F}}", "T"},
	{"${{9223372036854775807} == {9223372036854775807} ? {T} : {F}}", "T"},
	/* Compatibility levels. */
	{"${{3.6} <level {3.10} ? {T} : {F}}", "T"},
	{"${{3.6} < {3.10} ? {T} : {F}}", "F"},
	{"${{3} ==level {3.0.0} ? {T} : {F}}", "T"},
	{"${{3.6.1} >level {3.6} ? {T} : {F}}", "T"},
	{"${{3.6} >=level {3.7} ? {T} : {F}}", "F"},
	{"${{3.6} <=level {3.6} ? {T} : {F}}", "T"},
	{"${{3.6} !=level {3.6.1} ? {T} : {F}}", "T"},
	{"${{ +3. 6} ==level {3.6} ? {T} : {F}}", "T"},
	/* The forms around it. */
	{"<${{a} == {a}}>", "<true>"},
	{"<${{a} == {b}}>", "<>"},
	{"<${{a} == {a} ? {T}}>", "<T>"},
	{"<${{a} == {b} ? {T}}>", "<>"},
	{"<${{a} == {b} : {F}}>", "<F>"},
	{"<${{a} == {a} : {F}}>", "<>"},
	{"<${{a} == {a} ? T : F}>", "< T : F>"},
	{"<${{a} == {b} ? {T} : F }>", "< F >"},
	{"<${ \t{a}==\t{a}?{T}:{F} }>", "<T>"},
	{"<$({a} == {a} ? {T} : {F})>", "<T>"},
	{"<${{a} == {a} ? {{x}} : {F}}>", "<{x}>"},
	/* Expanded operands, nesting, only the chosen branch expanded. */
	{"${{$v} == {3.7} ? {$v} : {no}}", "3.7"},
	{"${{a} == {b} ? {no} : {${{1} < {2} ? {nested} : {no}}}}", "nested"},
	{"${{${{a} == {a}}} == {true} ? {yes} : {no}}", "yes"},
	{"${{a} == {a} ? {ok} : {$ ${}}}", "ok"},
    };
    static const struct {
	const char *value;
	const char *needle;
    } errors[] = {
	{"${{a} = {a} ? {T}}", "\"==\", \"!=\", \"<\", \"<=\", \">=\" or \">\" expected"},
	{"${{a} <> {a} ? {T}}", "expected"},
	{"${{a}}", "expected"},
	{"${{a} == a ? {T}}", "\"{expression}\" expected"},
	{"${{a} ==}", "\"{expression}\" expected"},
	{"${{a} == {a} x ? {T}}", "\"?\" or \":\" expected"},
	{"${{a} == {a} ? {T} {F}}", "\":\" expected"},
	{"${{a} == {a} ? {T} : {F} x}", "unexpected text"},
	{"${{3} <LEVEL {4} ? {T}}", "bad operator suffix"},
	{"${{3} <levels {4} ? {T}}", "bad operator suffix"},
	{"${{three} <level {4} ? {T}}", "malformed compatibility level \"three\""},
	{"${{3.1024} <level {4} ? {T}}", "malformed compatibility level"},
	{"${{1.2.3.4} <level {4} ? {T}}", "malformed compatibility level"},
	{"${{3 } <level {4} ? {T}}", "malformed compatibility level"},
	{"${{9223372036854775808} > {1} ? {T}}", "number too large"},
	{"${{$loop} == {x}}", "nested more than"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	char   *text = xasprintf("v = 3.7\nx = %s\n", cases[i].value);

	check_eval(text, "x", cases[i].want);
	free(text);
    }
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
	char   *text = xasprintf("loop = %s\n", errors[i].value);

	check_error(text, "loop", errors[i].needle);
	/* The message names the parameter and its line. */
	check_error(text, "loop", "test/main.cf, line 1: parameter loop: ");
	free(text);
    }

    /* In a built-in parameter, a bad comparison spoils the file. */
    PARSE_ERROR("queue_directory = /q\nsmtpd_banner = ${{a} <levelx {b}}\n",
		"line 2: parameter smtpd_banner: bad operator suffix");
    /* Debian's compiled-in defaults compare the compatibility level. */
    check_eval("compatibility_level = 3.6\nmydestination = d\n", "relay_domains", "");
    check_eval("compatibility_level = 1\nmydestination = d\n", "relay_domains", "d");
    check_eval("mydestination = d\nproxy_read_maps = $relay_domains\n", "proxy_read_maps", "d");
    check_eval("compatibility_level = 3.6\n", "smtp_tls_fingerprint_digest", "sha256");
    check_eval("smtp_tls_security_level = dane\n", "smtp_tls_dane_insecure_mx_policy", "dane");
    /* Without mynetworks, its computed default spoils the whole file. */
    PARSE_ERROR("compatibility_level = three\n",
		"parameter mynetworks_style (compiled-in default): malformed compatibility level \"three\"");
    check_error("mynetworks = 127.0.0.0/8\ncompatibility_level = three\n", "relay_domains",
		"malformed compatibility level \"three\"");
    check_eval("mynetworks = 127.0.0.0/8\ncompatibility_level = three\n", "mail_name", "Postfix");
}

/* test_host_defaults - myhostname, mydomain, mynetworks, computed */

static void test_host_defaults(void)
{
    char    host[300], *want;

    /* From the host name, completed with main.cf's mydomain. */
    if (gethostname(host, sizeof(host)) == 0 && strchr(host, '.') == 0
	&& host[strspn(host, "0123456789")] != 0) {
	want = xasprintf("%s.localdomain", host);
	check_eval("", "myhostname", want);
	free(want);
	want = xasprintf("%s.example.com", host);
	check_eval("mydomain = example.com\n", "myhostname", want);
	free(want);
	want = xasprintf("%s.", host);
	check_eval("myhostname = x.$mydomain\n", "myhostname", "x.");
	check_eval("mydomain =\n", "myhostname", want);
	free(want);
	check_eval("", "mydomain", "localdomain");
    } else {
	TAP_OK(1, "# SKIP the host name has a dot or is numeric: %s", host);
    }
    /* Never baked in at build time from the build host. */
    TAP_OK(default_value("myhostname") == 0 && default_value("mydomain") == 0
	   && default_value("mynetworks") == 0,
	   "no build-time value for myhostname, mydomain, mynetworks");
    /* From the main.cf being read. */
    check_eval("myhostname = mail.example.org\n", "mydomain", "example.org");
    check_eval("myhostname = mail\n", "mydomain", "localdomain");
    check_eval("myhostname = mail.\n", "mydomain", "");
    check_eval("myhostname = x.a$$b\nb = B\n", "mydomain", "aB");
    check_eval("myhostname = mail.example.org\n", "mydestination",
	       "mail.example.org, localhost.example.org, localhost");
    check_eval("myhostname = $b.example.net\nb = x${mydomain}y\n", "myhostname",
	       "xexample.nety.example.net");
    check_eval("myhostname = a.b\nmydomain = $myhostname.c\n", "mydomain", "a.b.c");
    check_eval("myhostname = a.b\nmydomain = c\n", "myhostname", "a.b");

    /*
     * From the interfaces (loopback is 127.0.0.1/8 on every usual host),
     * each network followed by a space, as Postfix computes it.
     */
    check_eval("inet_protocols =\n", "mynetworks", "");
    check_eval("inet_interfaces = loopback-only\ninet_protocols = ipv4\n", "mynetworks",
	       "127.0.0.0/8 ");
    check_eval("inet_interfaces = 127.0.0.1\ninet_protocols = ipv4\n"
	       "mynetworks_style = host\n", "mynetworks", "127.0.0.1/32 ");
    check_eval("inet_interfaces = 127.0.0.1\ninet_protocols = ipv4\n"
	       "compatibility_level = 2\n", "mynetworks", "127.0.0.1/32 ");
    check_eval("inet_interfaces = 127.0.0.1\ninet_protocols = ipv4\n"
	       "mynetworks_style = class\n", "mynetworks", "127.0.0.0/8 ");
    /* The space stays where text follows $mynetworks, and compares. */
    check_eval("inet_interfaces = loopback-only\ninet_protocols = ipv4\n"
	       "foo = a, $mynetworks, b\n", "foo", "a, 127.0.0.0/8 , b");
    check_eval("inet_interfaces = loopback-only\ninet_protocols = ipv4\n"
	       "foo = x${mynetworks}y\n", "foo", "x127.0.0.0/8 y");
    check_eval("inet_interfaces = loopback-only\ninet_protocols = ipv4\n"
	       "foo = ${{$mynetworks} == {127.0.0.0/8 } ? {spaced} : {bare}}\n", "foo", "spaced");
    /* Set in main.cf, it is as written. */
    check_eval("mynetworks = 127.0.0.0/8\nfoo = a, $mynetworks, b\n", "foo",
	       "a, 127.0.0.0/8, b");
    check_eval("mynetworks = 10.0.0.0/8\nmynetworks_style = junk\n", "mynetworks",
	       "10.0.0.0/8");
    /*
     * As in postconf, a main.cf that does not set mynetworks cannot be read
     * at all when its default cannot be computed.
     */
    PARSE_ERROR("mynetworks_style = HOST\n",
		"parameter mynetworks (default, computed for this host): unknown mynetworks_style value");
    PARSE_ERROR("mynetworks_style = host subnet\n", "exactly one value");
    PARSE_ERROR("mynetworks_style =\n", "exactly one value");
    PARSE_ERROR("inet_protocols = IPv4\n", "unknown inet_protocols value");
    PARSE_ERROR("inet_interfaces = 192.0.2.254\ninet_protocols = ipv4\n",
		"no local interface found for 192.0.2.254");
    PARSE_ERROR("inet_interfaces = all, 127.0.0.1\n", "host not found: all");
    /* Set in main.cf, mynetworks is not computed: nothing else is spoilt. */
    check_eval("mynetworks = 10.0.0.0/8\nmynetworks_style = HOST\ninet_protocols = IPv4\n"
	       "inet_interfaces = 192.0.2.254\n", "mail_name", "Postfix");
    /* maincf_lookup() gives the computed default unexpanded. */
    {
	char   *err;
	MAINCF *cf = parse("myhostname = x.a$$b\n", &err);

	TAP_STREQ(cf ? maincf_lookup(cf, "mydomain") : "(parse error)", "a$b",
		  "maincf_lookup: the computed mydomain, unexpanded");
	maincf_free(cf);
    }
}

int     main(void)
{
    test_syntax();
    test_parse_errors();
    test_expansion();
    test_expansion_errors();
    test_nesting();
    test_builtins_checked();
    test_expand();
    test_bool();
    test_load();
    test_service_params();
    test_comparisons();
    test_host_defaults();
    return tap_done();
}
