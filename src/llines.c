/*
 * NAME
 *	llines 3
 * SUMMARY
 *	logical lines of a configuration text
 * SYNOPSIS
 *	#include "llines.h"
 *
 *	void	llines_init(reader, text, len, origin)
 *	LLINES	*reader;
 *	const char *text;
 *	size_t	len;
 *	const char *origin;
 *
 *	int	llines_next(reader, line, linelen, lineno, err)
 *	LLINES	*reader;
 *	const char **line;
 *	size_t	*linelen;
 *	size_t	*lineno;
 *	char	**err;
 *
 *	void	llines_free(reader)
 *	LLINES	*reader;
 * DESCRIPTION
 *	This module reads a text in memory the way Postfix reads main.cf
 *	and master.cf: as logical lines. A physical line ends at a
 *	newline or at the end of the text. Blank lines and lines whose
 *	first non-blank byte is "#" are skipped, also in the middle of a
 *	logical line. A line that starts with white space continues the
 *	logical line before it: it is appended without the newline
 *	before it, its own leading white space kept. White space is the
 *	ASCII set " \t\n\v\f\r", whatever the locale; a CR before the
 *	newline stays part of the line, for the caller to trim.
 *
 *	llines_init() starts reading len bytes at text; origin names the
 *	text in messages and must stay valid while the reader is used.
 *	The text is not copied, and must not change.
 *
 *	llines_next() returns LLINES_LINE with the next logical line in
 *	*line (linelen bytes, NUL-terminated, valid until the next call)
 *	and the number of its first physical line in *lineno.
 *	It returns LLINES_ORPHAN for a continuation line with nothing to
 *	continue (one before the first logical line), with that physical
 *	line, as it is, in *line and its number in *lineno: Postfix ignores
 *	such a line, and each caller says so in its own way.
 *	It returns LLINES_END when the text is read.
 *
 *	A NUL byte anywhere in the text makes it unusable: the first
 *	call, and every call after it, returns LLINES_ERROR with a
 *	one-line message in *err, new memory, that names the origin and
 *	the line of the first NUL. Nothing is returned before that, so a
 *	caller never acts on part of a damaged file.
 *
 *	llines_free() releases the memory of a reader (not the text).
 * SEE ALSO
 *	postconf(5), master(5)
 */
#include <string.h>

#include "llines.h"
#include "util.h"

 /*
  * ASCII only, as in Postfix: with a locale set, <ctype.h> could take a
  * high byte for white space.
  */

/* llines_init - start reading a text */

void    llines_init(LLINES *r, const char *text, size_t len, const char *origin)
{
    r->origin = origin;
    r->cp = len ? text : "";
    r->end = r->cp + len;
    r->nul_line = 0;
    r->lineno = 0;
    if (len && memchr(text, 0, len)) {
	r->nul_line = 1;
	for (const char *cp = text; *cp; cp++)
	    r->nul_line += (*cp == '\n');
    }
    r->line = (strbuf) STRBUF_INIT;
}

/* llines_next - the next logical line, or an orphan continuation line */

int     llines_next(LLINES *r, const char **line, size_t *linelen,
		            size_t *lineno, char **err)
{
    size_t  start = 0;

    if (r->nul_line) {
	*err = xasprintf("%s, line %zu: NUL byte in file", r->origin, r->nul_line);
	return (LLINES_ERROR);
    }
    sb_reset(&r->line);
    while (r->cp < r->end) {
	const char *nl = memchr(r->cp, '\n', (size_t) (r->end - r->cp));
	const char *eol = nl ? nl : r->end;
	const char *first = r->cp;
	const char *here = r->cp;
	int     skipped;

	while (first < eol && ascii_space(*first))
	    first++;
	skipped = (first == eol || *first == '#');
	/* A line that starts the next logical line is for the next call. */
	if (start && !skipped && !ascii_space(*here))
	    break;
	r->cp = nl ? nl + 1 : r->end;
	r->lineno++;
	if (skipped)
	    continue;
	sb_add(&r->line, here, (size_t) (eol - here));
	if (start == 0 && ascii_space(*here)) {
	    *line = r->line.s;
	    *linelen = r->line.len;
	    *lineno = r->lineno;
	    return (LLINES_ORPHAN);
	}
	if (start == 0)
	    start = r->lineno;
    }
    if (start == 0)
	return (LLINES_END);
    *line = r->line.s;
    *linelen = r->line.len;
    *lineno = start;
    return (LLINES_LINE);
}

/* llines_free - release the memory of a reader */

void    llines_free(LLINES *r)
{
    sb_free(&r->line);
}
