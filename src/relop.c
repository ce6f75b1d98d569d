/*
 * NAME
 *	relop 3
 * SUMMARY
 *	the relational operators of main.cf comparisons
 * SYNOPSIS
 *	#include "relop.h"
 *
 *	const char *relop_scan(cp, end, op, what, at)
 *	const char *cp;
 *	const char *end;
 *	struct relop *op;
 *	const char **what;
 *	const char **at;
 *
 *	int	relop_eval(op, left, right, truth, why)
 *	const struct relop *op;
 *	const char *left;
 *	const char *right;
 *	int	*truth;
 *	char	**why;
 * DESCRIPTION
 *	The operator half of "${{text1} OP {text2}...}" (see expand(3));
 *	the expander finds the operands and expands them.
 *
 *	relop_scan() reads OP at cp, before end: "==", "!=", "<", "<=",
 *	">" or ">=", optionally followed at once by "level". It returns
 *	the position after OP, or NULL with *what saying what is wrong
 *	and *at where.
 *
 *	relop_eval() compares two expanded operands and sets *truth:
 *	with "level", as compatibility levels ("major", "major.minor" or
 *	"major.minor.patch", each number with optional white space and
 *	sign before it, minor and patch at most 1023, so 3.6 < 3.10);
 *	else as numbers when both are non-empty strings of digits (at
 *	most 2^63-1); else byte by byte. It returns 0, or -1 with *why
 *	(allocated) for a malformed level or a number too large.
 * SEE ALSO
 *	expand(3), postconf(5)
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "relop.h"
#include "util.h"
#include "msg.h"

#define IS_ALNUM(c)	(ascii_name_char(c) && (c) != '_')
#define IS_DIGIT(c)	((c) >= '0' && (c) <= '9')
#define IS_OP_CHAR(c)	((c) == '=' || (c) == '!' || (c) == '<' || (c) == '>')

#define LEVEL_MAJOR_MAX	(LONG_MAX >> 20)	/* 20 bits for minor, patch */
#define LEVEL_MINOR_MAX	1023

static const char *const relop_text[] = {
    [RELOP_EQ] = "==", [RELOP_NE] = "!=", [RELOP_LT] = "<",
    [RELOP_LE] = "<=", [RELOP_GT] = ">", [RELOP_GE] = ">=",
};

/* relop_scan - the operator at cp; what follows it, or NULL */

const char *relop_scan(const char *cp, const char *end, struct relop *op,
		               const char **what, const char **at)
{
    const char *op_end, *suffix;
    size_t  len, k;

    for (op_end = cp; op_end < end && IS_OP_CHAR(*op_end); op_end++)
	 /* void */ ;
    len = (size_t) (op_end - cp);
    for (k = 0; k < sizeof(relop_text) / sizeof(relop_text[0]); k++)
	if (strlen(relop_text[k]) == len && strncmp(cp, relop_text[k], len) == 0)
	    break;
    if (k == sizeof(relop_text) / sizeof(relop_text[0])) {
	*what = "\"==\", \"!=\", \"<\", \"<=\", \">=\" or \">\" expected";
	*at = cp;
	return (0);
    }
    op->kind = (enum relop_kind) k;
    op->by_level = 0;
    for (cp = suffix = op_end; cp < end && IS_ALNUM(*cp); cp++)
	 /* void */ ;
    if (cp > suffix) {
	if (cp - suffix != 5 || strncmp(suffix, "level", 5) != 0) {
	    *what = "bad operator suffix";
	    *at = suffix;
	    return (0);
	}
	op->by_level = 1;
    }
    return (cp);
}

/* level_part - one number of a compatibility level; NULL if malformed */

static const char *level_part(const char *cp, unsigned long long max,
			              unsigned long long *value)
{
    int     negative = 0;
    const char *digits;

    /* Each number may have white space and a sign before it, as strtol. */
    while (ascii_space(*cp))
	cp++;
    if (*cp == '+' || *cp == '-')
	negative = (*cp++ == '-');
    for (*value = 0, digits = cp; IS_DIGIT(*cp); cp++) {
	*value = *value * 10 + (unsigned long long) (*cp - '0');
	if (*value > max)
	    return (0);
    }
    if (cp == digits || (negative && *value != 0))
	return (0);
    return (cp);
}

/* compat_level - "major[.minor[.patch]]" as one number; -1 if malformed */

static long long compat_level(const char *text)
{
    unsigned long long major, minor = 0, patch = 0;
    const char *cp = text;

    if ((cp = level_part(cp, LEVEL_MAJOR_MAX, &major)) == 0)
	return (-1);
    if (*cp == '.') {
	if ((cp = level_part(cp + 1, LEVEL_MINOR_MAX, &minor)) == 0)
	    return (-1);
	if (*cp == '.' && (cp = level_part(cp + 1, LEVEL_MINOR_MAX, &patch)) == 0)
	    return (-1);
    }
    if (*cp != 0)
	return (-1);
    return ((long long) ((major << 20) | (minor << 10) | patch));
}

/* all_digits - a non-empty text of decimal digits only */

static int all_digits(const char *text)
{
    if (*text == 0)
	return (0);
    for (; *text; text++)
	if (!IS_DIGIT(*text))
	    return (0);
    return (1);
}

/* decimal - the value of a digit string; -1 if larger than a long */

static long long decimal(const char *text)
{
    unsigned long long value = 0;

    /* Checked before each step: past 2^64 the product would wrap. */
    for (; *text; text++) {
	if (value > ((unsigned long long) LONG_MAX - (unsigned long long) (*text - '0')) / 10)
	    return (-1);
	value = value * 10 + (unsigned long long) (*text - '0');
    }
    return ((long long) value);
}

/* malformed - the error for a bad operand */

static int malformed(const char *fmt, const char *bad, char **why)
{
    char   *excerpt = msg_span(bad, bad + strlen(bad));

    *why = xasprintf(fmt, excerpt);
    free(excerpt);
    return (-1);
}

/* relop_eval - compare two expanded operands */

int     relop_eval(const struct relop *op, const char *left, const char *right,
		           int *truth, char **why)
{
    long long l, r;
    int     diff;

    if (op->by_level) {
	if ((l = compat_level(left)) < 0)
	    return (malformed("malformed compatibility level \"%s\"", left, why));
	if ((r = compat_level(right)) < 0)
	    return (malformed("malformed compatibility level \"%s\"", right, why));
	diff = (l < r ? -1 : l > r);
    } else if (all_digits(left) && all_digits(right)) {
	if ((l = decimal(left)) < 0)
	    return (malformed("number too large in comparison: \"%s\"", left, why));
	if ((r = decimal(right)) < 0)
	    return (malformed("number too large in comparison: \"%s\"", right, why));
	diff = (l < r ? -1 : l > r);
    } else {
	diff = strcmp(left, right);
	diff = (diff < 0 ? -1 : diff > 0);
    }
    switch (op->kind) {
    case RELOP_EQ:
	*truth = (diff == 0);
	break;
    case RELOP_NE:
	*truth = (diff != 0);
	break;
    case RELOP_LT:
	*truth = (diff < 0);
	break;
    case RELOP_LE:
	*truth = (diff <= 0);
	break;
    case RELOP_GT:
	*truth = (diff > 0);
	break;
    case RELOP_GE:
	*truth = (diff >= 0);
	break;
    }
    return (0);
}
