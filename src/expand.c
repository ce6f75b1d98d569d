/*
 * NAME
 *	expand 3
 * SUMMARY
 *	the "$name" expansion engine, over a lookup callback
 * SYNOPSIS
 *	#include "expand.h"
 *
 *	int	expand_text(ops, context, depth, param, start, end, out, err)
 *	const EXPAND_OPS *ops;
 *	void	*context;
 *	int	depth;
 *	const char *param;
 *	const char *start;
 *	const char *end;
 *	strbuf	*out;
 *	char	**err;
 *
 *	int	expand_name(ops, context, depth, name, out, err)
 *	const char *name;
 *
 *	int	expand_fail(ops, context, param, err, format, ...)
 * DESCRIPTION
 *	The engine of main.cf expansion, as Postfix's mac_expand() is:
 *	it knows the syntax and nothing of where values come from. Each
 *	name is asked of ops->lookup() (see expand.h), with context;
 *	messages begin with what ops->where() says of the parameter whose
 *	text is bad. maincf(3) is the layer that looks names up in a
 *	main.cf, the compiled-in defaults and the host.
 *
 *	expand_text() expands [start, end), the text of param (NULL for
 *	a text of no parameter), and appends it to out. expand_name()
 *	appends the expanded value of name, at the same level as a text
 *	given to expand_text(). depth is the number of texts being
 *	expanded already (0, or what a lookup was given when it expands
 *	a text of its own). Both return 0, or -1 with *err set.
 *	expand_fail() sets *err to a message about param, as the
 *	engine's own are, and returns -1.
 *
 *	Expansion follows Postfix: "$$" is "$"; "$name", "${name}" and
 *	"$(name)" are the expanded value of name (empty when nothing
 *	defines it); name characters are ASCII letters, digits and "_".
 *	"${" matches its "}" counting only braces, "$(" its ")" counting
 *	only parentheses. Inside, white space may surround the name, and
 *	the name may even be empty ("${ }" is the empty value of the
 *	undefined parameter ""); only "${}" and "$()" are errors.
 *	"${name?text}" is text when name is set to a non-empty value
 *	(unexpanded value, as Postfix tests it), "${name:text}" when it
 *	is not; text runs to the closing bracket, leading white space
 *	included. "${name?{a}:{b}}" chooses between a and b (white space
 *	around the braces and ":" is allowed), "${name?{a}:b}" takes b
 *	as it is, "${name?{a}}" and "${name:{a}}" are the one-branch
 *	forms. Only the chosen text is expanded.
 *
 *	Comparisons: when the first non-blank byte inside "${" or "$(" is
 *	"{", the reference is "{text1} OP {text2}", then optionally "?"
 *	or ":" and the branches as above; white space may surround the
 *	operands and OP. Both texts are expanded (each as a text of its
 *	own, its nesting counted from zero, as Postfix does), then compared
 *	as relop(3) says. Without "?" or ":" the reference expands to
 *	"true" or to nothing; with them, the comparison takes the place of
 *	"name is set". Errors: a missing or unknown operator, a missing
 *	operand, text before "?" or ":", and relop(3)'s.
 *
 *	Nesting is counted as Postfix counts it: the value of the
 *	parameter asked for (or the text given) is at level 0; the value
 *	of a parameter it references, or the chosen text of a
 *	conditional, is one level deeper. Expanding a non-empty text
 *	deeper than EXPAND_NESTING_LIMIT is an error; so a chain of 100
 *	references that ends in text works, 101 fails, and a reference
 *	loop fails. Errors: a "$" without a name, an unterminated "${" or
 *	"$(", a bad name or stray text inside brackets, a malformed
 *	comparison, too deep nesting (also more than EXPAND_DEPTH_LIMIT
 *	texts being expanded at once, which only a loop through comparison
 *	operands reaches), and too much expansion (below).
 * SEE ALSO
 *	maincf(3), relop(3), postconf(5)
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "expand.h"
#include "relop.h"
#include "util.h"
#include "msg.h"

 /*
  * The expander. One function per construct; each appends to x->out and
  * returns 0, or returns -1 with *x->err set. "param" is the parameter
  * whose value holds the text at hand (NULL for a text of no parameter),
  * so that messages can say where the bad text is.
  */
struct expansion {
    const EXPAND_OPS *ops;
    void   *context;
    strbuf *out;
    char  **err;
    size_t  work;			/* bytes of text expanded so far */
    int     depth;			/* texts being expanded, all told */
};

 /*
  * Postfix expands each operand of a comparison as a text of its own,
  * with its nesting count from zero, so a loop through operands never
  * reaches EXPAND_NESTING_LIMIT (postconf crashes when the stack runs
  * out). EXPAND_DEPTH_LIMIT bounds the texts being expanded at once
  * instead.
  */

 /*
  * References can double the text at each level ("a = $b$b", "b = $c$c"
  * ...), and 100 levels are allowed: Postfix then runs until it runs out
  * of memory. Every byte of output comes from a byte of some text
  * expanded, so a bound on the text expanded (repeats counted) bounds
  * both the time and the output; each text also counts a fixed cost, as
  * a reference costs more than a byte. No sane main.cf comes near it.
  */
#define EXPANSION_LIMIT	(64 * 1024 * 1024)
#define EXPANSION_COST	32

static int expand(struct expansion *, const char *, const char *, const char *, int);

/* vfail - set the one-line error message for text in param */

static int vfail(const EXPAND_OPS *ops, void *context, const char *param,
		         char **err, const char *fmt, va_list ap)
{
    strbuf  sb = STRBUF_INIT;

    ops->where(context, param, &sb);
    sb_puts(&sb, ": ");
    sb_vprintf(&sb, fmt, ap);
    *err = sb_take(&sb);
    return (-1);
}

/* expand_fail - an error about the text of param, as the engine words it */

int     expand_fail(const EXPAND_OPS *ops, void *context, const char *param,
		            char **err, const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    vfail(ops, context, param, err, fmt, ap);
    va_end(ap);
    return (-1);
}

/* fail - set the one-line error message for text in param */

static int fail(struct expansion *x, const char *param, const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    vfail(x->ops, x->context, param, x->err, fmt, ap);
    va_end(ap);
    return (-1);
}

/* syntax - report a malformed reference */

static int syntax(struct expansion *x, const char *param, const char *what,
		          const char *at, const char *end)
{
    char   *excerpt = msg_span(at, end);

    fail(x, param, "%s at \"%s\"", what, excerpt);
    free(excerpt);
    return (-1);
}

/* lookup - the caller's value of name */

static int lookup(struct expansion *x, const char *name, const char **value)
{
    return (x->ops->lookup(x->context, name, x->depth, value, x->err));
}

/* reference - append the expanded value of a parameter */

static int reference(struct expansion *x, const char *name, int level)
{
    const char *value;

    if (lookup(x, name, &value) < 0)
	return (-1);
    if (value == 0)
	return (0);
    return (expand(x, name, value, value + strlen(value), level));
}

/* match_close - the bracket that closes the one at open, or NULL */

static const char *match_close(const char *open, const char *end)
{
    int     level = 0;
    char    o = *open, c = (o == '{' ? '}' : ')');

    for (const char *cp = open; cp < end; cp++) {
	if (*cp == o)
	    level++;
	else if (*cp == c && --level == 0)
	    return (cp);
    }
    return (0);
}

/* skip_space - first non-blank position */

static const char *skip_space(const char *cp, const char *end)
{
    while (cp < end && ascii_space(*cp))
	cp++;
    return (cp);
}

/* conditional - the "?" or ":" part of "${name?...}" and "${{a} == {b}?...}" */

static int conditional(struct expansion *x, const char *param, const char *cp,
		               const char *end, int truth, int level)
{
    const char *then_start, *then_end, *else_start = 0, *else_end = 0;
    int     op = *cp++;

    then_start = cp;
    then_end = end;
    cp = skip_space(cp, end);
    if (cp < end && *cp == '{') {
	const char *close = match_close(cp, end);

	if (close == 0)
	    return (syntax(x, param, "unterminated \"{\"", cp, end));
	then_start = cp + 1;
	then_end = close;
	cp = skip_space(close + 1, end);
	if (cp < end && op == '?' && *cp == ':') {
	    else_start = cp + 1;
	    else_end = end;
	    cp = skip_space(cp + 1, end);
	    if (cp < end && *cp == '{') {
		if ((close = match_close(cp, end)) == 0)
		    return (syntax(x, param, "unterminated \"{\"", cp, end));
		else_start = cp + 1;
		else_end = close;
		cp = skip_space(close + 1, end);
	    } else {
		cp = end;
	    }
	}
	if (cp < end)
	    return (syntax(x, param, op == '?' && else_start == 0 ?
			   "\":\" expected" : "unexpected text", cp, end));
    }
    if (op == ':')
	truth = !truth;
    if (truth)
	return (expand(x, param, then_start, then_end, level + 1));
    if (else_start)
	return (expand(x, param, else_start, else_end, level + 1));
    return (0);
}

/* expand_string - expand [start, end) at level 0 into a new string, or NULL */

static char *expand_string(struct expansion *x, const char *param,
			           const char *start, const char *end)
{
    strbuf  buf = STRBUF_INIT;
    strbuf *saved = x->out;
    int     ret;

    x->out = &buf;
    ret = expand(x, param, start, end, 0);
    x->out = saved;
    if (ret < 0) {
	sb_free(&buf);
	return (0);
    }
    return (sb_take(&buf));
}

/* relation - evaluate "{text1} OP {text2}" at cp; *next is what follows */

static int relation(struct expansion *x, const char *param, const char *cp,
		            const char *end, int *truth, const char **next)
{
    const char *open[2], *close[2], *what, *at;
    char   *text[2] = {0, 0}, *why;
    struct relop op;
    int     ret = -1;

    open[0] = cp;
    if ((close[0] = match_close(cp, end)) == 0)
	return (syntax(x, param, "unterminated \"{\"", cp, end));
    if ((cp = relop_scan(skip_space(close[0] + 1, end), end, &op, &what, &at)) == 0)
	return (syntax(x, param, what, at, end));
    cp = skip_space(cp, end);
    if (cp == end || *cp != '{')
	return (syntax(x, param, "\"{expression}\" expected", cp, end));
    open[1] = cp;
    if ((close[1] = match_close(cp, end)) == 0)
	return (syntax(x, param, "unterminated \"{\"", cp, end));
    *next = skip_space(close[1] + 1, end);

    /* Both operands are always expanded, then compared. */
    if ((text[0] = expand_string(x, param, open[0] + 1, close[0])) != 0
	&& (text[1] = expand_string(x, param, open[1] + 1, close[1])) != 0) {
	if ((ret = relop_eval(&op, text[0], text[1], truth, &why)) < 0) {
	    fail(x, param, "%s", why);
	    free(why);
	}
    }
    free(text[0]);
    free(text[1]);
    return (ret);
}

/* expand_braced - append the expansion of the inside of "${...}" or "$(...)" */

static int expand_braced(struct expansion *x, const char *param,
		          const char *cp, const char *end, int level)
{
    const char *inside = cp, *name, *value;
    char   *key;
    int     truth, ret;

    cp = skip_space(cp, end);

    /* "${{text1} OP {text2}...}": "true" or empty, then as a name's value. */
    if (cp < end && *cp == '{') {
	if (relation(x, param, cp, end, &truth, &cp) < 0)
	    return (-1);
	if (cp == end) {
	    if (truth)
		sb_puts(x->out, "true");
	    return (0);
	}
	if (*cp != '?' && *cp != ':')
	    return (syntax(x, param, "\"?\" or \":\" expected", cp, end));
	return (conditional(x, param, cp, end, truth, level));
    }

    /* An empty name is looked up like any other: nothing defines it. */
    for (name = cp; cp < end && ascii_name_char(*cp); cp++)
	 /* void */ ;
    key = xstrndup(name, (size_t) (cp - name));
    cp = skip_space(cp, end);
    if (cp == end) {
	ret = reference(x, key, level + 1);
	free(key);
	return (ret);
    }
    if (*cp != '?' && *cp != ':') {
	free(key);
	return (syntax(x, param, "parameter name syntax error", inside, end));
    }
    ret = lookup(x, key, &value);
    free(key);
    if (ret < 0)
	return (-1);
    return (conditional(x, param, cp, end, value != 0 && *value != 0, level));
}

/* scan_text - append the expansion of [cp, end), a text at this level */

static int scan_text(struct expansion *x, const char *param, const char *cp,
		               const char *end, int level)
{
    /* Postfix counts levels of text, so an empty text is never too deep. */
    if (cp < end && level > EXPAND_NESTING_LIMIT)
	return (fail(x, param, "references nested more than %d deep"
		     " (a reference loop?)", EXPAND_NESTING_LIMIT));
    if ((x->work += (size_t) (end - cp) + EXPANSION_COST) > EXPANSION_LIMIT)
	return (fail(x, param, "expansion larger than %d bytes"
		     " (references that multiply?)", EXPANSION_LIMIT));
    while (cp < end) {
	const char *dollar = memchr(cp, '$', (size_t) (end - cp));

	if (dollar == 0) {
	    sb_add(x->out, cp, (size_t) (end - cp));
	    break;
	}
	sb_add(x->out, cp, (size_t) (dollar - cp));
	cp = dollar + 1;
	if (cp < end && *cp == '$') {
	    sb_addc(x->out, '$');
	    cp++;
	} else if (cp < end && (*cp == '{' || *cp == '(')) {
	    const char *close = match_close(cp, end);

	    if (close == 0)
		return (syntax(x, param, "unterminated reference", dollar, end));
	    if (close == cp + 1)
		return (syntax(x, param, "empty parameter name", dollar, end));
	    if (expand_braced(x, param, cp + 1, close, level) < 0)
		return (-1);
	    cp = close + 1;
	} else if (cp < end && ascii_name_char(*cp)) {
	    const char *name = cp;
	    char   *key;
	    int     ret;

	    while (cp < end && ascii_name_char(*cp))
		cp++;
	    key = xstrndup(name, (size_t) (cp - name));
	    ret = reference(x, key, level + 1);
	    free(key);
	    if (ret < 0)
		return (-1);
	} else {
	    return (syntax(x, param, "\"$\" without a parameter name", dollar, end));
	}
    }
    return (0);
}

/* expand - scan_text(), within the bound on texts expanded at once */

static int expand(struct expansion *x, const char *param, const char *cp,
		          const char *end, int level)
{
    int     ret;

    if (x->depth >= EXPAND_DEPTH_LIMIT)
	return (fail(x, param, "expansion nested more than %d deep"
		     " (a reference loop through a comparison?)",
		     EXPAND_DEPTH_LIMIT));
    x->depth++;
    ret = scan_text(x, param, cp, end, level);
    x->depth--;
    return (ret);
}

/* expand_text - append the expansion of [start, end), the text of param */

int     expand_text(const EXPAND_OPS *ops, void *context, int depth, const char *param,
		            const char *start, const char *end, strbuf *out, char **err)
{
    struct expansion x = {.ops = ops, .context = context, .out = out, .err = err,
    .depth = depth};

    return (expand(&x, param, start, end, 0));
}

/* expand_name - append the expanded value of name */

int     expand_name(const EXPAND_OPS *ops, void *context, int depth,
		            const char *name, strbuf *out, char **err)
{
    struct expansion x = {.ops = ops, .context = context, .out = out, .err = err,
    .depth = depth};

    return (reference(&x, name, 0));
}
