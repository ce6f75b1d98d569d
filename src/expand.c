/*
 * NAME
 *	expand 3
 * SUMMARY
 *	expand main.cf parameter values as Postfix does
 * SYNOPSIS
 *	#include "maincf.h"
 *
 *	const char *maincf_lookup(cf, name)
 *
 *	char	*maincf_eval(cf, name, err)
 *	int	maincf_expand(cf, text, out, err)
 *	int	maincf_bool(cf, name, result, err)
 * DESCRIPTION
 *	The expansion half of maincf(3): maincf.c reads the file,
 *	this module answers what a parameter's value is.
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
 *	Defaults that depend on the host are computed when an expansion
 *	needs them, from the host and from this file, as Postfix computes
 *	them (see hostinfo(3)): myhostname is the host name, completed
 *	when it has no dot with "." and main.cf's mydomain, else
 *	".localdomain"; mydomain is what follows the first dot of
 *	myhostname (main.cf's, else the one above), else "localdomain";
 *	mynetworks comes from the interfaces, mynetworks_style,
 *	inet_interfaces and inet_protocols. Where these read main.cf
 *	values (mydomain for myhostname, myhostname for mydomain, the
 *	three for mynetworks), the values are expanded with what main.cf
 *	sets alone (and config_directory), as Postfix does; the computed
 *	text is then expanded like any value. A host name that Postfix
 *	refuses, or a mynetworks that cannot be computed, is an error of
 *	the expansion that needs it.
 *
 *	Nesting is counted as Postfix counts it: the value of the
 *	parameter asked for (or the text given to maincf_expand()) is
 *	at level 0; the value of a parameter it references, or the
 *	chosen text of a conditional, is one level deeper. Expanding a
 *	non-empty text deeper than MAINCF_NESTING_LIMIT is an error; so
 *	a chain of 100 references that ends in text works, 101 fails,
 *	and a reference loop fails. Errors: a "$" without a name, an
 *	unterminated "${" or "$(", a bad name or stray text inside
 *	brackets, a malformed comparison, too deep nesting (also more
 *	than 2000 texts being expanded at once, which only a loop through
 *	comparison operands reaches), and too much expansion (below).
 *
 *	maincf_bool() evaluates a yes/no parameter, case-insensitively.
 * SEE ALSO
 *	maincf(3), relop(3), hostinfo(3), postconf(5)
 */
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "maincf.h"
#include "maincf_int.h"
#include "defaults.h"
#include "hostinfo.h"
#include "relop.h"
#include "util.h"
#include "msg.h"

 /*
  * The expander. One function per construct; each appends to x->out and
  * returns 0, or returns -1 with *x->err set. "param" is the parameter
  * whose value holds the text at hand (NULL for maincf_expand() text),
  * so that messages can say where the bad text is.
  */
struct expansion {
    const MAINCF *cf;
    strbuf *out;
    char  **err;
    size_t  work;			/* bytes of text expanded so far */
    int     depth;			/* texts being expanded, all told */
    int     file_only;			/* look up what main.cf sets, only */
};

 /*
  * Postfix expands each operand of a comparison as a text of its own,
  * with its nesting count from zero, so a loop through operands never
  * reaches MAINCF_NESTING_LIMIT (postconf crashes when the stack runs
  * out). This bounds the texts being expanded at once instead.
  */
#define EXPANSION_DEPTH_LIMIT	2000

 /*
  * References can double the text at each level ("a = $b$b", "b = $c$c"
  * ...), and 100 levels are allowed: Postfix then runs until it runs out
  * of memory. Every byte of output comes from a byte of some text
  * expanded, so a bound on the text expanded (repeats counted) bounds
  * both the time and the output; each text also counts a fixed cost, as
  * a reference costs more than a byte. No sane main.cf comes near it.
  */
#define EXPANSION_LIMIT	MAINCF_SIZE_LIMIT
#define EXPANSION_COST	32

static int expand(struct expansion *, const char *, const char *, const char *, int);

/* fail - set the one-line error message for text in param */

static int fail(struct expansion *x, const char *param, const char *fmt,...)
{
    const struct entry *e = param ? maincf_file_entry(x->cf, param) : 0;
    strbuf  sb = STRBUF_INIT;
    va_list ap;

    sb_puts(&sb, x->cf->origin);
    if (e && e->line)
	sb_printf(&sb, ", line %zu", e->line);
    if (param)
	sb_printf(&sb, ": parameter %s%s", param, e ? "" :
		  maincf_listed(maincf_computed_params, param) ?
		  " (default, computed for this host)" : " (compiled-in default)");
    sb_puts(&sb, ": ");
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    *x->err = sb_take(&sb);
    return (-1);
}

/* syntax - report a malformed reference */

static int syntax(struct expansion *x, const char *param, const char *what,
		          const char *at, const char *end)
{
    char   *excerpt = maincf_show(at, end);

    fail(x, param, "%s at \"%s\"", what, excerpt);
    free(excerpt);
    return (-1);
}

static int lookup(struct expansion *, const char *, const char **);

/* expand_name - append the expanded value of a parameter */

static int expand_name(struct expansion *x, const char *name, int level)
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
    for (name = cp; cp < end && IS_NAME_CHAR(*cp); cp++)
	 /* void */ ;
    key = xstrndup(name, (size_t) (cp - name));
    cp = skip_space(cp, end);
    if (cp == end) {
	ret = expand_name(x, key, level + 1);
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

/* expand_text - append the expansion of [cp, end), a text at this level */

static int expand_text(struct expansion *x, const char *param, const char *cp,
		               const char *end, int level)
{
    /* Postfix counts levels of text, so an empty text is never too deep. */
    if (cp < end && level > MAINCF_NESTING_LIMIT)
	return (fail(x, param, "references nested more than %d deep"
		     " (a reference loop?)", MAINCF_NESTING_LIMIT));
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
	} else if (cp < end && IS_NAME_CHAR(*cp)) {
	    const char *name = cp;
	    char   *key;
	    int     ret;

	    while (cp < end && IS_NAME_CHAR(*cp))
		cp++;
	    key = xstrndup(name, (size_t) (cp - name));
	    ret = expand_name(x, key, level + 1);
	    free(key);
	    if (ret < 0)
		return (-1);
	} else {
	    return (syntax(x, param, "\"$\" without a parameter name", dollar, end));
	}
    }
    return (0);
}

/* expand - expand_text(), within the bound on texts expanded at once */

static int expand(struct expansion *x, const char *param, const char *cp,
		          const char *end, int level)
{
    int     ret;

    if (x->depth >= EXPANSION_DEPTH_LIMIT)
	return (fail(x, param, "expansion nested more than %d deep"
		     " (a reference loop through a comparison?)",
		     EXPANSION_DEPTH_LIMIT));
    x->depth++;
    ret = expand_text(x, param, cp, end, level);
    x->depth--;
    return (ret);
}

/* file_eval - a parameter's value from main.cf, expanded with main.cf only */

static char *file_eval(struct expansion *x, const char *name, const char *value)
{
    struct expansion fx = {.cf = x->cf, .err = x->err, .depth = x->depth, .file_only = 1};

    return (expand_string(&fx, name, value, value + strlen(value)));
}

/* setting - a parameter as Postfix reads it for a computed default */

static char *setting(struct expansion *x, const char *name)
{
    const struct entry *e = maincf_file_entry(x->cf, name);
    const char *dflt;
    struct expansion dx = {.cf = x->cf, .err = x->err, .depth = x->depth};

    /*
     * What main.cf sets is expanded with what main.cf sets, only; the
     * default is expanded as usual.
     */
    if (e)
	return (file_eval(x, name, e->value));
    if ((dflt = maincf_default(x->cf, name)) == 0)
	return (xstrdup(""));
    return (expand_string(&dx, name, dflt, dflt + strlen(dflt)));
}

/* compute - the text of a host-dependent default, or NULL */

static char *compute(struct expansion *x, enum computed which)
{
    const struct entry *e;
    const char *host, *dot;
    char   *text, *why = 0, *result = 0;
    char   *style, *interfaces, *protocols;

    switch (which) {
    case COMPUTED_MYHOSTNAME:
	if ((host = host_name(&why)) == 0) {
	    fail(x, "myhostname", "%s", why);
	    free(why);
	    return (0);
	}
	if (strchr(host, '.'))
	    return (xstrdup(host));
	/* A name without a dot gets main.cf's mydomain, or "localdomain". */
	if ((e = maincf_file_entry(x->cf, "mydomain")) == 0)
	    return (xasprintf("%s.localdomain", host));
	if ((text = file_eval(x, "mydomain", e->value)) == 0)
	    return (0);
	result = xasprintf("%s.%s", host, text);
	free(text);
	return (result);
    case COMPUTED_MYDOMAIN:
	/* What follows the first dot of myhostname, or "localdomain". */
	if ((e = maincf_file_entry(x->cf, "myhostname")) != 0)
	    text = file_eval(x, "myhostname", e->value);
	else
	    text = compute(x, COMPUTED_MYHOSTNAME);
	if (text == 0)
	    return (0);
	result = xstrdup((dot = strchr(text, '.')) ? dot + 1 : "localdomain");
	free(text);
	return (result);
    default:				/* COMPUTED_MYNETWORKS */
	style = setting(x, "mynetworks_style");
	interfaces = style ? setting(x, "inet_interfaces") : 0;
	protocols = interfaces ? setting(x, "inet_protocols") : 0;
	if (protocols && (result = host_networks(style, interfaces, protocols, &why)) == 0) {
	    fail(x, "mynetworks", "%s", why);
	    free(why);
	}
	free(style);
	free(interfaces);
	free(protocols);
	return (result);
    }
}

/* lookup - the value in effect, computing a host-dependent default */

static int lookup(struct expansion *x, const char *name, const char **value)
{
    const struct entry *e = maincf_file_entry(x->cf, name);
    struct maincf_cache *cache = x->cf->cache;
    enum computed which;

    if (e || x->file_only) {
	*value = e ? e->value : 0;
	return (0);
    }
    for (which = 0; which < COMPUTED_COUNT; which++)
	if (strcmp(maincf_computed_params[which], name) == 0)
	    break;
    if (which == COMPUTED_COUNT) {
	*value = maincf_default(x->cf, name);
	return (0);
    }
    if (cache->computed[which] == 0) {
	if (cache->computing[which])
	    return (fail(x, name, "the default refers to itself"));
	cache->computing[which] = 1;
	cache->computed[which] = compute(x, which);
	cache->computing[which] = 0;
	if (cache->computed[which] == 0)
	    return (-1);
    }
    *value = cache->computed[which];
    return (0);
}

/* maincf_lookup - the value in effect: main.cf, else the default */

const char *maincf_lookup(const MAINCF *cf, const char *name)
{
    const struct entry *e = maincf_file_entry(cf, name);
    const char *value;
    char   *err = 0;
    struct expansion x = {.cf = cf, .err = &err};

    if (e)
	return (e->value);
    /* A default that cannot be computed is reported when expanded. */
    if (lookup(&x, name, &value) < 0) {
	free(err);
	return (0);
    }
    return (value);
}

/* maincf_expand - expand a text in the context of this main.cf */

int     maincf_expand(const MAINCF *cf, const char *text, strbuf *out, char **err)
{
    struct expansion x = {.cf = cf, .out = out, .err = err};

    return (expand(&x, 0, text, text + strlen(text), 0));
}

/* maincf_eval - the expanded value of a parameter */

char   *maincf_eval(const MAINCF *cf, const char *name, char **err)
{
    strbuf  out = STRBUF_INIT;
    struct expansion x = {.cf = cf, .out = &out, .err = err};
    const char *value;

    if (maincf_listed(maincf_raw_params, name)) {
	if (lookup(&x, name, &value) < 0)
	    return (0);
	if (value != 0)
	    return (xstrdup(value));
    }
    if (expand_name(&x, name, 0) < 0) {
	sb_free(&out);
	return (0);
    }
    return (sb_take(&out));
}

/* maincf_eval_or_die - maincf_eval(), any error fatal (after a prefix) */

char   *maincf_eval_or_die(const MAINCF *cf, const char *name, const char *prefix)
{
    char   *err, *value;

    if ((value = maincf_eval(cf, name, &err)) == 0)
	msg_fatal("%s%s", prefix ? prefix : "", err);
    return (value);
}

/* maincf_bool - evaluate a yes/no parameter */

int     maincf_bool(const MAINCF *cf, const char *name, int *result, char **err)
{
    char   *value = maincf_eval(cf, name, err);

    if (value == 0)
	return (-1);
    if (strcasecmp(value, "yes") == 0) {
	*result = 1;
    } else if (strcasecmp(value, "no") == 0) {
	*result = 0;
    } else {
	struct expansion x = {.cf = cf, .err = err};
	char   *excerpt = maincf_show(value, value + strlen(value));

	fail(&x, name, "bad value \"%s\": expected yes or no", excerpt);
	free(excerpt);
	free(value);
	return (-1);
    }
    free(value);
    return (0);
}

