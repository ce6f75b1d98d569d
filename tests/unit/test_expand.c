/*
 * test_expand - the expansion engine over a lookup callback of its own
 *
 * expand(3) knows nothing of main.cf: here names come from a small
 * table, and a lookup that fails or that expands a text of its own
 * (passing the depth on). Each construct once, the messages with what
 * where() says, the nesting and depth limits. The engine with main.cf
 * lookups is test_maincf's, and tests/maincf's against postconf.
 */
#include <stdlib.h>
#include <string.h>

#include "expand.h"
#include "util.h"
#include "tap.h"

struct table {
    const char *const *pairs;		/* name, value, ..., NULL */
    int     lookups;			/* how many names were asked */
    int     max_depth;			/* the largest depth a lookup saw */
};

/* lookup - the table's value; "fail" fails, "nested" expands "$a" itself */

static int lookup(void *context, const char *name, int depth, const char **value,
		          char **err)
{
    struct table *t = context;

    t->lookups++;
    if (depth > t->max_depth)
	t->max_depth = depth;
    if (strcmp(name, "fail") == 0) {
	*err = xstrdup("the lookup failed");
	return (-1);
    }
    for (const char *const *p = t->pairs; *p; p += 2) {
	if (strcmp(p[0], name) == 0) {
	    *value = p[1];
	    return (0);
	}
    }
    *value = 0;
    return (0);
}

/* where - messages begin with the table's name and the parameter */

static void where(void *context, const char *param, strbuf *msg)
{
    (void) context;
    sb_puts(msg, "table");
    if (param)
	sb_printf(msg, ": %s", param);
}

static const EXPAND_OPS ops = {.lookup = lookup, .where = where};

/* text - expand a text with the table, or "ERROR: ..." */

static char *text(struct table *t, const char *in)
{
    strbuf  out = STRBUF_INIT;
    char   *err = 0, *r;

    if (expand_text(&ops, t, 0, 0, in, in + strlen(in), &out, &err) < 0) {
	r = xasprintf("ERROR: %s", err);
	free(err);
	sb_free(&out);
	return (r);
    }
    return (sb_take(&out));
}

/* check - a text must expand to want */

static void check(struct table *t, const char *in, const char *want)
{
    char   *got = text(t, in);

    TAP_STREQ(got, want, "\"%s\" expands to \"%s\"", in, want);
    free(got);
}

int     main(void)
{
    static const char *const pairs[] = {
	"a", "A",
	"b", "[$a]",
	"empty", "",
	"loop", "$loop",
	"bad", "x$",
	"nine", "9",
	"ten", "10",
	0,
    };
    struct table t = {.pairs = pairs};
    strbuf  out = STRBUF_INIT;
    char   *err = 0;

    check(&t, "plain", "plain");
    check(&t, "$$a", "$a");
    check(&t, "$a ${a} $(a)", "A A A");
    check(&t, "<$b>", "<[A]>");
    check(&t, "<$undefined>", "<>");
    check(&t, "${a?set}${empty?not}${undefined:unset}", "setunset");
    check(&t, "${a?{yes}:{no}} ${empty?{yes}:{no}}", "yes no");
    check(&t, "${{$nine} < {$ten}?lower}", "lower");
    check(&t, "${{$nine} <level {$ten}}", "true");
    check(&t, "${{a} == {b}}", "");

    /* Errors carry what where() says of the parameter whose text is bad. */
    check(&t, "$bad", "ERROR: table: bad: \"$\" without a parameter name at \"$\"");
    check(&t, "${a", "ERROR: table: unterminated reference at \"${a\"");
    check(&t, "$loop", "ERROR: table: loop: references nested more than 100 deep"
	  " (a reference loop?)");
    check(&t, "${{1} ~ {2}}", "ERROR: table: \"==\", \"!=\", \"<\", \"<=\", \">=\" or \">\""
	  " expected at \"~ {2}\"");
    check(&t, "x$fail", "ERROR: the lookup failed");

    /* Only the chosen branch is looked up. */
    t.lookups = 0;
    check(&t, "${a?{$nine}:{$ten}}", "9");
    TAP_OK(t.lookups == 2, "a conditional looks up its name and the chosen branch only"
	   " (%d lookups)", t.lookups);

    /* The depth given is where a lookup's own expansion starts counting. */
    t.max_depth = 0;
    TAP_OK(expand_name(&ops, &t, 7, "b", &out, &err) == 0 && strcmp(out.s, "[A]") == 0,
	   "expand_name() at depth 7 gives \"%s\"", out.s ? out.s : "");
    TAP_OK(t.max_depth == 8, "a lookup inside it sees depth 8 (%d)", t.max_depth);
    sb_free(&out);
    TAP_OK(expand_name(&ops, &t, EXPAND_DEPTH_LIMIT, "a", &out, &err) < 0
	   && strstr(err, "expansion nested more than 2000 deep") != 0,
	   "at the depth limit, nothing more expands: %s", err ? err : "(no error)");
    free(err);
    sb_free(&out);

    TAP_OK(expand_fail(&ops, &t, "p", &err, "%d bad", 3) < 0
	   && strcmp(err, "table: p: 3 bad") == 0, "expand_fail() words it as the engine does");
    free(err);
    return (tap_done());
}
