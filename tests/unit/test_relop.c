/*
 * test_relop - the operators of main.cf comparisons
 *
 * relop_scan() on every operator, with and without "level", and on
 * what is not one; relop_eval() on numbers, levels and text, and on
 * the operands it refuses.
 * expand(3) is checked against the real postconf in tests/maincf.
 */
#include <stdlib.h>
#include <string.h>

#include "relop.h"
#include "util.h"
#include "tap.h"

/* truth - "1", "0", or the error of relop_eval() */

static char *truth(const char *op_text, const char *left, const char *right)
{
    struct relop op;
    const char *what, *at;
    char   *why;
    int     t;

    if (relop_scan(op_text, op_text + strlen(op_text), &op, &what, &at) == 0)
	return (xasprintf("scan: %s at \"%s\"", what, at));
    if (relop_eval(&op, left, right, &t, &why) < 0) {
	char   *r = xasprintf("eval: %s", why);

	free(why);
	return (r);
    }
    return (xstrdup(t ? "1" : "0"));
}

/* check - one comparison and what it must give */

static void check(const char *left, const char *op, const char *right, const char *want)
{
    char   *got = truth(op, left, right);

    TAP_STREQ(got, want, "{%s} %s {%s} is %s", left, op, right, want);
    free(got);
}

int     main(void)
{
    struct relop op;
    const char *what, *at, *end;
    static const char scanned[] = "<=level } rest";

    end = relop_scan(scanned, scanned + strlen(scanned), &op, &what, &at);
    TAP_OK(end == scanned + 7 && op.kind == RELOP_LE && op.by_level,
	   "relop_scan stops after \"<=level\"");

    /* Each operator on numbers, then as text. */
    check("2", "==", "2", "1");
    check("2", "!=", "2", "0");
    check("9", "<", "10", "1");
    check("10", "<=", "10", "1");
    check("10", ">", "9", "1");
    check("9", ">=", "10", "0");
    check("9", "<", "10a", "0");
    check("abc", "<", "abd", "1");
    check("", "==", "", "1");
    check("", "<", "0", "1");
    check("007", "==", "7", "1");
    check("9223372036854775807", ">", "1", "1");
    check("9223372036854775808", ">", "1",
	  "eval: number too large in comparison: \"9223372036854775808\"");
    /* 2^64 and past: a digit-by-digit value would wrap round to small. */
    check("2", ">", "18446744073709551616",
	  "eval: number too large in comparison: \"18446744073709551616\"");
    check("184467440737095516160", "==", "0",
	  "eval: number too large in comparison: \"184467440737095516160\"");

    /* Compatibility levels. */
    check("3.6", "<level", "3.10", "1");
    check("3.6", "<", "3.10", "0");
    check("3", "==level", "3.0.0", "1");
    check(" +3. 2", "==level", "3.2", "1");
    check("3.1024", "<level", "4", "eval: malformed compatibility level \"3.1024\"");
    check("3", "<level", "x", "eval: malformed compatibility level \"x\"");
    check("-1", "<level", "2", "eval: malformed compatibility level \"-1\"");
    check("-0", "==level", "0", "1");

    /* What is not an operator. */
    check("1", "=", "1", "scan: \"==\", \"!=\", \"<\", \"<=\", \">=\" or \">\" expected at \"=\"");
    check("1", "===", "1", "scan: \"==\", \"!=\", \"<\", \"<=\", \">=\" or \">\" expected at \"===\"");
    check("1", "==lvl", "1", "scan: bad operator suffix at \"lvl\"");
    check("1", "", "1", "scan: \"==\", \"!=\", \"<\", \"<=\", \">=\" or \">\" expected at \"\"");

    return (tap_done());
}
