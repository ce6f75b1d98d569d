/*
 * NAME
 *	maincf 3
 * SUMMARY
 *	read main.cf files and expand parameter values
 * SYNOPSIS
 *	#include "maincf.h"
 *
 *	MAINCF	*maincf_load(config_dir, err)
 *	const char *config_dir;
 *	char	**err;
 *
 *	MAINCF	*maincf_parse(text, len, origin, err)
 *	const char *text;
 *	size_t	len;
 *	const char *origin;
 *	char	**err;
 *
 *	const char *maincf_get(cf, name)
 *	const char *maincf_lookup(cf, name)
 *
 *	char	*maincf_eval(cf, name, err)
 *	int	maincf_expand(cf, text, out, err)
 *	int	maincf_bool(cf, name, result, err)
 *
 *	void	maincf_free(cf)
 * DESCRIPTION
 *	This module answers what "postconf -c DIR -xh NAME" answers,
 *	in-process.
 *
 *	maincf_load() reads config_dir/main.cf, maincf_parse() parses
 *	text already in memory (origin names it in messages).
 *	maincf_load() also defines config_directory as config_dir unless
 *	the file sets it, as "postconf -c config_dir" does. The syntax
 *	is that of postconf(5): "name = value" lines; a line that starts
 *	with white space continues the previous one (the newline is
 *	dropped, the line's own leading white space kept); blank lines
 *	and lines whose first non-blank byte is "#" are skipped, also in
 *	the middle of a continued definition; white space around the
 *	name and the value is dropped; the last definition wins. A
 *	continuation line with nothing to continue is ignored, as
 *	Postfix does (with a warning at -v). A line without "=", an
 *	empty name, or a NUL byte makes the whole file unusable: both
 *	functions then return NULL with a one-line message in *err.
 *
 *	maincf_get() returns the value set in the file, unexpanded, or
 *	NULL. maincf_lookup() falls back to the compiled-in default.
 *
 *	maincf_eval() returns the expanded value of a parameter as new
 *	memory, or NULL with *err set. maincf_expand() expands a text
 *	and appends it to out. Expansion follows Postfix: "$$" is "$";
 *	"$name", "${name}" and "$(name)" are the expanded value of name
 *	(empty when nothing defines it); "${name?text}" is text when
 *	name is set to a non-empty value (unexpanded value, as Postfix
 *	tests it), "${name:text}" when it is not; "${name?{a}:{b}}"
 *	chooses between a and b, and "${name?{a}:b}" takes b as it is.
 *	Only the chosen text is expanded. Errors: a "$" without a name,
 *	an unterminated "${", a bad name or stray text inside braces,
 *	and references nested deeper than MAINCF_NESTING_LIMIT (which
 *	is how a reference loop shows itself).
 *
 *	maincf_bool() evaluates a yes/no parameter, case-insensitively.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "maincf.h"
#include "defaults.h"
#include "util.h"
#include "msg.h"

struct entry {
    char   *name;
    char   *value;
};

struct maincf {
    char   *origin;
    struct entry *tab;			/* open addressing, power of 2 */
    size_t  cap;
    size_t  count;
};

#define IS_NAME_CHAR(c)	(isalnum((unsigned char) (c)) || (c) == '_')
#define IS_SPACE(c)	isspace((unsigned char) (c))

/* hash - FNV-1a */

static size_t hash(const char *s)
{
    size_t  h = 2166136261u;

    while (*s)
	h = (h ^ (unsigned char) *s++) * 16777619u;
    return (h);
}

/* find_slot - where name lives, or where it would go */

static struct entry *find_slot(const MAINCF *cf, const char *name)
{
    size_t  i = hash(name) & (cf->cap - 1);

    while (cf->tab[i].name && strcmp(cf->tab[i].name, name) != 0)
	i = (i + 1) & (cf->cap - 1);
    return (cf->tab + i);
}

/* store - define name; the last definition wins */

static void store(MAINCF *cf, char *name, char *value)
{
    struct entry *e;

    if (2 * (cf->count + 1) > cf->cap) {
	struct entry *old = cf->tab;
	size_t  old_cap = cf->cap;

	cf->cap = old_cap ? 2 * old_cap : 64;
	cf->tab = xcalloc(cf->cap, sizeof(*cf->tab));
	for (size_t i = 0; i < old_cap; i++)
	    if (old[i].name)
		*find_slot(cf, old[i].name) = old[i];
	free(old);
    }
    e = find_slot(cf, name);
    if (e->name) {
	free(name);
	free(e->value);
    } else {
	e->name = name;
	cf->count++;
    }
    e->value = value;
}

/* trimmed - copy of [start, end) without white space around it */

static char *trimmed(const char *start, const char *end)
{
    while (start < end && IS_SPACE(*start))
	start++;
    while (end > start && IS_SPACE(end[-1]))
	end--;
    return (xstrndup(start, (size_t) (end - start)));
}

/* show - a message-safe excerpt of a line */

static char *show(const char *text)
{
    strbuf  sb = STRBUF_INIT;

    for (const char *cp = text; *cp && sb.len < 60; cp++)
	sb_addc(&sb, isprint((unsigned char) *cp) ? *cp : '?');
    if (strlen(text) > 60)
	sb_puts(&sb, "...");
    return (sb_take(&sb));
}

/* define - store one logical line */

static int define(MAINCF *cf, const strbuf *line, size_t lineno, char **err)
{
    const char *eq = strchr(line->s, '=');
    char   *name;

    name = trimmed(line->s, eq ? eq : line->s + line->len);
    if (eq == 0 || *name == 0 || strcspn(name, " \t\r\n\v\f") != strlen(name)) {
	char   *excerpt = show(line->s);

	*err = xasprintf("%s, line %zu: %s: \"%s\"", cf->origin, lineno,
			 eq == 0 || *name ? "missing '=' after parameter name" :
			 "missing parameter name", excerpt);
	free(excerpt);
	free(name);
	return (-1);
    }
    store(cf, name, trimmed(eq + 1, line->s + line->len));
    return (0);
}

/* maincf_parse - parse main.cf text */

MAINCF *maincf_parse(const char *text, size_t len, const char *origin, char **err)
{
    MAINCF *cf = xcalloc(1, sizeof(*cf));
    strbuf  line = STRBUF_INIT;		/* the logical line so far */
    size_t  lineno = 0, start_lineno = 0;
    const char *cp = text, *end = text + len;
    const char *nul = memchr(text, 0, len);

    cf->origin = xstrdup(origin);
    if (nul) {
	size_t  at = 1;

	for (const char *p = text; p < nul; p++)
	    at += (*p == '\n');
	*err = xasprintf("%s, line %zu: NUL byte in file", origin, at);
	maincf_free(cf);
	return (0);
    }
    while (cp < end) {
	const char *nl = memchr(cp, '\n', (size_t) (end - cp));
	const char *eol = nl ? nl : end;
	const char *first = cp;

	lineno++;
	while (first < eol && IS_SPACE(*first))
	    first++;
	if (first == eol || *first == '#') {
	     /* blank or comment: skipped, even inside a continued line */ ;
	} else if (IS_SPACE(*cp)) {
	    if (line.len)
		sb_add(&line, cp, (size_t) (eol - cp));
	    else if (msg_verbose)
		msg_info("%s, line %zu: ignoring continuation line with nothing to continue",
			 origin, lineno);
	} else {
	    if (line.len && define(cf, &line, start_lineno, err) < 0)
		goto fail;
	    sb_reset(&line);
	    sb_add(&line, cp, (size_t) (eol - cp));
	    start_lineno = lineno;
	}
	cp = nl ? nl + 1 : end;
    }
    if (line.len && define(cf, &line, start_lineno, err) < 0)
	goto fail;
    sb_free(&line);
    return (cf);

fail:
    sb_free(&line);
    maincf_free(cf);
    return (0);
}

/* maincf_load - read config_dir/main.cf */

MAINCF *maincf_load(const char *config_dir, char **err)
{
    strbuf  text = STRBUF_INIT;
    char   *path = xasprintf("%s/main.cf", config_dir);
    MAINCF *cf = 0;

    if (read_file(path, &text, MAINCF_SIZE_LIMIT) < 0)
	*err = xasprintf("read %s: %s", path, errno == EFBIG ?
			 "file too large" : strerror(errno));
    else if ((cf = maincf_parse(text.s, text.len, path, err)) != 0
	     && maincf_get(cf, "config_directory") == 0)
	/* As in Postfix: the directory read from, unless main.cf says. */
	store(cf, xstrdup("config_directory"), xstrdup(config_dir));
    sb_free(&text);
    free(path);
    return (cf);
}

/* maincf_get - the value set in main.cf, or NULL */

const char *maincf_get(const MAINCF *cf, const char *name)
{
    const struct entry *e;

    if (cf->cap == 0)
	return (0);
    e = find_slot(cf, name);
    return (e->name ? e->value : 0);
}

/* maincf_lookup - the value in main.cf, else the compiled-in default */

const char *maincf_lookup(const MAINCF *cf, const char *name)
{
    const char *value = maincf_get(cf, name);

    return (value ? value : default_value(name));
}

 /*
  * The expander. One function per construct; each appends to out and
  * returns 0, or returns -1 with *err set.
  */
static int expand(const MAINCF *, const char *, const char *, int, strbuf *, char **);

/* expand_name - append the expanded value of a parameter */

static int expand_name(const MAINCF *cf, const char *name, int depth,
		               strbuf *out, char **err)
{
    const char *value = maincf_lookup(cf, name);

    if (value == 0)
	return (0);
    if (depth > MAINCF_NESTING_LIMIT) {
	*err = xasprintf("%s: parameter \"%s\": references nested more than %d deep"
			 " (a reference loop?)", cf->origin, name,
			 MAINCF_NESTING_LIMIT);
	return (-1);
    }
    return (expand(cf, value, value + strlen(value), depth + 1, out, err));
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
    while (cp < end && IS_SPACE(*cp))
	cp++;
    return (cp);
}

/* syntax - report a malformed reference */

static int syntax(const MAINCF *cf, const char *what, const char *at,
		          const char *end, char **err)
{
    char   *rest = xstrndup(at, (size_t) (end - at));
    char   *excerpt = show(rest);

    *err = xasprintf("%s: %s at \"%s\"", cf->origin, what, excerpt);
    free(excerpt);
    free(rest);
    return (-1);
}

/* expand_braced - append the expansion of "${...}" or "$(...)" */

static int expand_braced(const MAINCF *cf, const char *cp, const char *end,
			         int depth, strbuf *out, char **err)
{
    const char *name, *then_start, *then_end, *else_start = 0, *else_end = 0;
    const char *value;
    char   *key;
    int     op, set, ret;

    cp = skip_space(cp, end);
    for (name = cp; cp < end && IS_NAME_CHAR(*cp); cp++)
	 /* void */ ;
    if (cp == name)
	return (syntax(cf, cp == end ? "empty parameter name" :
		       "parameter name syntax error", name, end, err));
    key = xstrndup(name, (size_t) (cp - name));
    cp = skip_space(cp, end);
    if (cp == end) {
	ret = expand_name(cf, key, depth, out, err);
	free(key);
	return (ret);
    }
    if (*cp != '?' && *cp != ':') {
	free(key);
	return (syntax(cf, "parameter name syntax error", cp, end, err));
    }
    op = *cp++;
    then_start = cp;
    then_end = end;
    cp = skip_space(cp, end);
    if (cp < end && *cp == '{') {
	const char *close = match_close(cp, end);

	if (close == 0) {
	    free(key);
	    return (syntax(cf, "unterminated \"{\"", cp, end, err));
	}
	then_start = cp + 1;
	then_end = close;
	cp = skip_space(close + 1, end);
	if (cp < end && op == '?' && *cp == ':') {
	    else_start = cp + 1;
	    else_end = end;
	    cp = skip_space(cp + 1, end);
	    if (cp < end && *cp == '{') {
		if ((close = match_close(cp, end)) == 0) {
		    free(key);
		    return (syntax(cf, "unterminated \"{\"", cp, end, err));
		}
		else_start = cp + 1;
		else_end = close;
		cp = skip_space(close + 1, end);
	    } else {
		cp = end;
	    }
	}
	if (cp < end) {
	    free(key);
	    return (syntax(cf, op == '?' && else_start == 0 ?
			   "\":\" expected" : "unexpected text", cp, end, err));
	}
    }
    value = maincf_lookup(cf, key);
    free(key);
    set = (value != 0 && *value != 0);
    if (op == ':')
	set = !set;
    if (set)
	return (expand(cf, then_start, then_end, depth, out, err));
    if (else_start)
	return (expand(cf, else_start, else_end, depth, out, err));
    return (0);
}

/* expand - append the expansion of [cp, end) */

static int expand(const MAINCF *cf, const char *cp, const char *end,
		          int depth, strbuf *out, char **err)
{
    while (cp < end) {
	const char *dollar = memchr(cp, '$', (size_t) (end - cp));

	if (dollar == 0) {
	    sb_add(out, cp, (size_t) (end - cp));
	    break;
	}
	sb_add(out, cp, (size_t) (dollar - cp));
	cp = dollar + 1;
	if (cp < end && *cp == '$') {
	    sb_addc(out, '$');
	    cp++;
	} else if (cp < end && (*cp == '{' || *cp == '(')) {
	    const char *close = match_close(cp, end);

	    if (close == 0)
		return (syntax(cf, "unterminated reference", dollar, end, err));
	    if (expand_braced(cf, cp + 1, close, depth, out, err) < 0)
		return (-1);
	    cp = close + 1;
	} else if (cp < end && IS_NAME_CHAR(*cp)) {
	    const char *name = cp;
	    char   *key;
	    int     ret;

	    while (cp < end && IS_NAME_CHAR(*cp))
		cp++;
	    key = xstrndup(name, (size_t) (cp - name));
	    ret = expand_name(cf, key, depth, out, err);
	    free(key);
	    if (ret < 0)
		return (-1);
	} else {
	    return (syntax(cf, "\"$\" without a parameter name", dollar, end, err));
	}
    }
    return (0);
}

/* maincf_expand - expand a text in the context of this main.cf */

int     maincf_expand(const MAINCF *cf, const char *text, strbuf *out, char **err)
{
    return (expand(cf, text, text + strlen(text), 0, out, err));
}

/* maincf_eval - the expanded value of a parameter */

char   *maincf_eval(const MAINCF *cf, const char *name, char **err)
{
    strbuf  out = STRBUF_INIT;

    if (expand_name(cf, name, 0, &out, err) < 0) {
	sb_free(&out);
	return (0);
    }
    return (sb_take(&out));
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
	char   *excerpt = show(value);

	*err = xasprintf("%s: bad %s value \"%s\": expected yes or no",
			 cf->origin, name, excerpt);
	free(excerpt);
	free(value);
	return (-1);
    }
    free(value);
    return (0);
}

/* maincf_path - the file this came from */

const char *maincf_path(const MAINCF *cf)
{
    return (cf->origin);
}

/* maincf_free - release everything */

void    maincf_free(MAINCF *cf)
{
    if (cf == 0)
	return;
    for (size_t i = 0; i < cf->cap; i++) {
	free(cf->tab[i].name);
	free(cf->tab[i].value);
    }
    free(cf->tab);
    free(cf->origin);
    free(cf);
}
