/*
 * test_edit - edit_apply() does to main.cf text what postconf does.
 *
 * Each case is main.cf text, the operations, and what postconf 3.7
 * writes for them (checked with the real postconf; tests/edit/run does
 * that for a whole corpus).
 */
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "defaults.h"
#include "edit.h"

#define SET(n, v)	{ EDIT_SET, (n), (v) }
#define COMMENT(n)	{ EDIT_COMMENT, (n), 0 }
#define REMOVE(n)	{ EDIT_REMOVE, (n), 0 }
#define NOPS(ops)	(sizeof(ops) / sizeof((ops)[0]))

 /*
  * Whether the compiled-in Postfix's postconf ends text whose last line has
  * no newline before it appends (3.7.15, 3.8.10, 3.9.4, 3.10.2 and later).
  */
static int ends;

/*
 * same_text - compare, and show both on a mismatch (tap.h's TAP_STREQ
 * does not compile with -Wshadow)
 */

static void same_text(const char *got, const char *want, const char *what)
{
    int     same = strcmp(got, want) == 0;

    TAP_OK(same, "%s", what);
    if (!same)
	printf("#   got:  \"%s\"\n#   want: \"%s\"\n", got, want);
}

/* edit - apply operations to a string, return the new text */

static char *edit(const char *in, size_t len, const struct edit_op *ops, size_t n)
{
    strbuf  out = STRBUF_INIT;

    edit_apply(in, len, ops, n, &out);
    return (sb_take(&out));
}

/* check - one case: input, operations, expected output */

static void check(const char *what, const char *in, const struct edit_op *ops,
		          size_t n, const char *want)
{
    char   *got = edit(in, strlen(in), ops, n);

    same_text(got, want, what);
    free(got);
}

/* test_set - postconf -e */

static void test_set(void)
{
    struct edit_op a2[] = {SET("a", "2")};
    struct edit_op empty[] = {SET("a", "")};
    struct edit_op odd[] = {SET("a", "$b #c = d  e")};

    check("set replaces a definition in place and drops its continuation",
	  "x = 0\na = 1\n  more\n\tmore\ny = 3\n", a2, 1,
	  "x = 0\na = 2\ny = 3\n");
    check("set keeps blank and comment lines inside the definition",
	  "a = 1\n\n# note\n  more\n  # indented note\nb = 2\n", a2, 1,
	  "a = 2\n\n# note\n  # indented note\nb = 2\n");
    check("set appends when the parameter is absent",
	  "x = 0\n#a = 1\n", a2, 1, "x = 0\n#a = 1\na = 2\n");
    check("set appends after a last line without newline, as this Postfix's postconf",
	  "x = 0", a2, 1, ends ? "x = 0\na = 2\n" : "x = 0a = 2\n");
    check("set ends a replaced last line with a newline",
	  "a = 1", a2, 1, "a = 2\n");
    check("set on an empty file", "", a2, 1, "a = 2\n");
    check("set replaces every definition",
	  "a = 1\nb = 0\na = 3\n  x\n", a2, 1, "a = 2\nb = 0\na = 2\n");
    check("set writes an empty value as \"name = \"",
	  "a = 1\n", empty, 1, "a = \n");
    check("set writes the value as given",
	  "", odd, 1, "a = $b #c = d  e\n");
    check("set drops the CR of a replaced CRLF line and keeps the others",
	  "a = 1\r\n  x\r\nb = 2\r\n", a2, 1, "a = 2\nb = 2\r\n");
}

/* test_names - which lines define a parameter */

static void test_names(void)
{
    struct edit_op a2[] = {SET("a", "2")};

    check("the name ends at whitespace or \"=\"",
	  "a=1\na =1\na\t= 1\na\na junk = 1\na\r= 1\n", a2, 1,
	  "a = 2\na = 2\na = 2\na = 2\na = 2\na = 2\n");
    check("but not at a form feed or vertical tab",
	  "a\f= 1\na\v=1\n", a2, 1, "a\f= 1\na\v=1\na = 2\n");
    check("names are compared exactly and case-sensitively",
	  "ab = 1\nA = 1\n=a\n", a2, 1, "ab = 1\nA = 1\n=a\na = 2\n");
    check("any leading whitespace makes a continuation line",
	  " a = 1\n\ta = 1\n\fa = 1\n\va = 1\n\ra = 1\n", a2, 1,
	  " a = 1\n\ta = 1\n\fa = 1\n\va = 1\n\ra = 1\na = 2\n");
    check("a commented-out definition is not a definition",
	  "#a = 1\n  # a = 1\n", a2, 1, "#a = 1\n  # a = 1\na = 2\n");
}

/* test_comment - postconf -# */

static void test_comment(void)
{
    struct edit_op ca[] = {COMMENT("a")};

    check("comment prefixes # to the definition and its continuation",
	  "a = 1\n  more\nb = 2\n", ca, 1, "#a = 1\n#  more\nb = 2\n");
    check("comment leaves blank and comment lines alone",
	  "a = 1\n\n#c\n  y\n \t\nb = 2\n", ca, 1,
	  "#a = 1\n\n#c\n#  y\n \t\nb = 2\n");
    check("comment and a missing last newline, as this Postfix's postconf",
	  "a = 1", ca, 1, ends ? "#a = 1\n" : "#a = 1");
    check("comment keeps CRLF", "a = 1\r\n", ca, 1, "#a = 1\r\n");
    check("comment of an absent name changes nothing",
	  "b = 1\n", ca, 1, "b = 1\n");
}

/* test_remove - postconf -X */

static void test_remove(void)
{
    struct edit_op xa[] = {REMOVE("a")};

    check("remove drops the definition and its continuation",
	  "x = 0\na = 1\n  more\nb = 2\n", xa, 1, "x = 0\nb = 2\n");
    check("remove keeps blank and comment lines inside the definition",
	  "a = 1\n\n  x\n#c\n  y\nb = 2\n", xa, 1, "\n#c\nb = 2\n");
    check("remove drops every definition",
	  "a = 1\nb = 2\na = 3\n", xa, 1, "b = 2\n");
    check("remove of the only line leaves an empty file", "a = 1", xa, 1, "");
}

/* test_sequence - several operations apply in order */

static void test_sequence(void)
{
    struct edit_op order[] = {SET("c", "3"), SET("a", "1"), SET("b", "2")};
    struct edit_op twice[] = {SET("a", "1"), SET("b", "2"), SET("a", "3")};
    struct edit_op x_then_set[] = {REMOVE("a"), SET("a", "new")};
    struct edit_op comment_then_set[] = {COMMENT("a"), SET("a", "back")};
    struct edit_op mixed[] = {SET("a", "new"), COMMENT("b"), SET("c", "3")};

    check("appended lines come in operation order",
	  "x = 0\n", order, NOPS(order), "x = 0\nc = 3\na = 1\nb = 2\n");
    check("the same name twice: the last value, where the first put it",
	  "", twice, NOPS(twice), "a = 3\nb = 2\n");
    check("remove then set appends at the end",
	  "a = 1\nb = 2\n", x_then_set, NOPS(x_then_set), "b = 2\na = new\n");
    check("comment then set appends after the commented line",
	  "a = 1\n", comment_then_set, NOPS(comment_then_set),
	  "#a = 1\na = back\n");
    check("a later append and a line left without newline, as this Postfix's postconf",
	  "a = 1\n  c\n#x\n  d\nb = 2", mixed, NOPS(mixed),
	  ends ? "a = new\n#x\n#b = 2\nc = 3\n" : "a = new\n#x\n#b = 2c = 3\n");
    check("no operations copy the text", "a = 1\n  b", order, 0, "a = 1\n  b");
}

/* test_nul - postconf sees a line only up to a NUL byte */

static void test_nul(void)
{
    static const char in[] = "x = 1\0hidden\nb = 2\0z\nc = 3\n";
    struct edit_op b9[] = {SET("b", "9")};
    char   *got = edit(in, sizeof(in) - 1, b9, 1);

    same_text(got, "x = 1b = 9\nc = 3\n",
	      "a NUL byte drops the rest of its line, newline included");
    free(got);
}

/* test_append_to_out - the result goes after what out holds */

static void test_append_to_out(void)
{
    struct edit_op a2[] = {SET("a", "2")};
    strbuf  out = STRBUF_INIT;

    sb_puts(&out, "before:");
    edit_apply("a = 1\n", 6, a2, 1, &out);
    same_text(out.s, "before:a = 2\n", "edit_apply appends to out");
    TAP_OK(out.len == strlen(out.s), "out.len counts the bytes");
    sb_free(&out);
}

/* test_check - operations that edit_apply refuses */

static void test_check(void)
{
    struct edit_op ok_empty = SET("a", "");
    struct edit_op no_name = SET("", "1");
    struct edit_op null_name = REMOVE(0);
    struct edit_op spaced = COMMENT("a b");
    struct edit_op equals = REMOVE("a=1");
    struct edit_op newline = SET("a", "1\nb = 2");
    struct edit_op no_value = SET("a", 0);

    TAP_OK(edit_check(&ok_empty) == 0, "an empty value is fine");
    TAP_OK(edit_check(&no_name) != 0, "an empty name is refused");
    TAP_OK(edit_check(&null_name) != 0, "a null name is refused");
    TAP_OK(edit_check(&spaced) != 0, "a name with a space is refused");
    TAP_OK(edit_check(&equals) != 0, "a name with = is refused");
    TAP_OK(edit_check(&newline) != 0, "a multi-line value is refused");
    TAP_OK(edit_check(&no_value) != 0, "a missing value is refused");
}

/* test_fatal - edit_apply panics on an operation it refuses: callers check */

static void test_fatal(void)
{
    struct edit_op bad[] = {SET("a", "1\nb = 2")};
    pid_t   pid;
    int     status;

    fflush(stdout);
    if ((pid = fork()) == 0) {
	strbuf  out = STRBUF_INIT;

	if (freopen("/dev/null", "w", stderr) == 0)
	    _exit(2);
	edit_apply("", 0, bad, 1, &out);
	sb_free(&out);
	_exit(0);
    }
    TAP_OK(pid > 0 && waitpid(pid, &status, 0) == pid
	   && WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	   "edit_apply aborts (msg_panic) on a multi-line value");
}

/* test_versions - which postconf versions end unterminated text */

static void test_versions(void)
{
    static const struct {
	const char *version;
	int     ends;
    } cases[] = {
	{"3.6.14", 0}, {"3.7.11", 0}, {"3.7.14", 0}, {"3.7.15", 1}, {"3.8.9", 0},
	{"3.8.10", 1}, {"3.9.3", 0}, {"3.9.4", 1}, {"3.10.1", 0}, {"3.10.2", 1},
	{"3.10.13", 1}, {"3.11.0", 1}, {"3.11-20250601", 1}, {"4.0.0", 1}, {"junk", 0},
    };

    for (size_t i = 0; i < NOPS(cases); i++)
	TAP_OK(edit_ends_text(cases[i].version) == cases[i].ends,
	       "postconf %s %s unterminated text", cases[i].version,
	       cases[i].ends ? "ends" : "leaves");
}

int     main(void)
{
    ends = edit_ends_text(default_value("mail_version"));
    test_versions();
    test_set();
    test_names();
    test_comment();
    test_remove();
    test_sequence();
    test_nul();
    test_append_to_out();
    test_check();
    test_fatal();
    return (tap_done());
}
