/*
 * NAME
 *	ptab 3
 * SUMMARY
 *	the parameter table of a main.cf file
 * SYNOPSIS
 *	#include "ptab.h"
 *
 *	int	ptab_parse(pt, text, len, origin, err)
 *	PTAB	*pt;
 *	const char *text;
 *	size_t	len;
 *	const char *origin;
 *	char	**err;
 *
 *	void	ptab_store(pt, name, value, line)
 *	char	*name;
 *	char	*value;
 *	size_t	line;
 *
 *	const struct ptab_entry *ptab_find(pt, name)
 *
 *	void	ptab_free(pt)
 * DESCRIPTION
 *	The syntax half of maincf(3): what a main.cf file sets, name by
 *	name, with the line of the definition in effect. Nothing here
 *	expands or knows a parameter.
 *
 *	ptab_parse() adds the definitions of text (len bytes; origin names
 *	it in messages) to pt, an empty table (PTAB_INIT), and returns 0,
 *	or -1 with a one-line message in *err that names origin and the
 *	line; pt is then empty again. The syntax is that of postconf(5):
 *	"name = value" lines (see llines(3) for continuation lines,
 *	comments and NUL bytes); white space around the name and the value
 *	is dropped; the last definition wins. A line without "=", a name
 *	with white space in it or an empty name is an error.
 *
 *	ptab_store() defines name (taking the memory of name and value);
 *	line 0 says the definition is not from the file. ptab_find()
 *	returns the definition of name, or NULL. ptab_free() empties pt.
 *	pt->tab[0 .. pt->cap) may be walked: a slot with a NULL name is
 *	free.
 * SEE ALSO
 *	maincf(3), llines(3)
 */
#include <stdlib.h>
#include <string.h>

#include "ptab.h"
#include "llines.h"
#include "util.h"
#include "msg.h"

/* find_slot - where name lives, or where it would go */

static struct ptab_entry *find_slot(const PTAB *pt, const char *name)
{
    size_t  i = str_hash(name) & (pt->cap - 1);

    while (pt->tab[i].name && strcmp(pt->tab[i].name, name) != 0)
	i = (i + 1) & (pt->cap - 1);
    return (pt->tab + i);
}

/* ptab_store - define name; the last definition wins */

void    ptab_store(PTAB *pt, char *name, char *value, size_t line)
{
    struct ptab_entry *e;

    if (2 * (pt->count + 1) > pt->cap) {
	struct ptab_entry *old = pt->tab;
	size_t  old_cap = pt->cap;

	pt->cap = old_cap ? 2 * old_cap : 64;
	pt->tab = xcalloc(pt->cap, sizeof(*pt->tab));
	for (size_t i = 0; i < old_cap; i++)
	    if (old[i].name)
		*find_slot(pt, old[i].name) = old[i];
	free(old);
    }
    e = find_slot(pt, name);
    if (e->name) {
	free(name);
	free(e->value);
    } else {
	e->name = name;
	pt->count++;
    }
    e->value = value;
    e->line = line;
}

/* ptab_find - the definition of name, or NULL */

const struct ptab_entry *ptab_find(const PTAB *pt, const char *name)
{
    const struct ptab_entry *e;

    if (pt->cap == 0)
	return (0);
    e = find_slot(pt, name);
    return (e->name ? e : 0);
}

/* define - store one logical line */

static int define(PTAB *pt, const char *origin, const char *line, size_t len,
		          size_t lineno, char **err)
{
    const char *eq = memchr(line, '=', len);
    const char *end = eq ? eq : line + len;
    char   *name = trim_copy(line, end);

    if (eq == 0 || *name == 0 || strpbrk(name, ASCII_SPACE) != 0) {
	char   *excerpt = msg_span(line, line + len);

	*err = xasprintf("%s, line %zu: %s: \"%s\"", origin, lineno,
			 eq && *name == 0 ? "missing parameter name" :
			 "missing '=' after parameter name", excerpt);
	free(excerpt);
	free(name);
	return (-1);
    }
    ptab_store(pt, name, trim_copy(eq + 1, line + len), lineno);
    return (0);
}

/* ptab_parse - add the definitions of main.cf text */

int     ptab_parse(PTAB *pt, const char *text, size_t len, const char *origin,
		           char **err)
{
    LLINES  lines;
    const char *line;
    size_t  linelen, lineno;
    int     got;

    llines_init(&lines, text, len, origin);
    while ((got = llines_next(&lines, &line, &linelen, &lineno, err)) != LLINES_END) {
	if (got == LLINES_ERROR
	    || (got == LLINES_LINE && define(pt, origin, line, linelen, lineno, err) < 0)) {
	    llines_free(&lines);
	    ptab_free(pt);
	    return (-1);
	}
	if (got == LLINES_ORPHAN && msg_verbose)
	    msg_info("%s, line %zu: ignoring continuation line with nothing to continue",
		     origin, lineno);
    }
    llines_free(&lines);
    return (0);
}

/* ptab_free - empty the table */

void    ptab_free(PTAB *pt)
{
    for (size_t i = 0; i < pt->cap; i++) {
	free(pt->tab[i].name);
	free(pt->tab[i].value);
    }
    free(pt->tab);
    *pt = (PTAB) PTAB_INIT;
}
