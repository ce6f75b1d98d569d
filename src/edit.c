/*
 * NAME
 *	edit 3
 * SUMMARY
 *	change main.cf text as postconf -e, -# and -X do
 * SYNOPSIS
 *	#include "edit.h"
 *
 *	void	edit_apply(text, len, ops, nops, out)
 *	const char *text;
 *	size_t	len;
 *	const struct edit_op *ops;
 *	size_t	nops;
 *	strbuf	*out;
 *
 *	const char *edit_check(op)
 *	const struct edit_op *op;
 *
 *	int	edit_ends_text(version)
 *	const char *version;
 * DESCRIPTION
 *	edit_apply() appends to out the main.cf text that results from
 *	applying the operations to text, in order, each as if by its own
 *	"postconf -c dir -e|-#|-X" run. It neither reads nor writes files.
 *	The output is byte for byte what the installed postconf writes:
 *
 *	A line ends after a newline, or at the end of the text. Postconf
 *	handles each line as a C string, so it sees (and writes) a line
 *	only up to its first NUL byte; whatever follows, newline included,
 *	is lost.
 *
 *	A line that holds only whitespace, or whose first non-whitespace
 *	byte is "#", is copied as is and does not end a logical line.
 *	Otherwise a line that starts with whitespace (space, tab, newline,
 *	vertical tab, form feed or carriage return) continues the current
 *	logical line. Any other line starts a logical line; its parameter
 *	name runs up to the first space, tab, carriage return, newline or
 *	"=", and is compared case-sensitively. So "name = 1", "name=1",
 *	"name" and "name junk = 1" all define "name"; "name\f= 1" does not.
 *
 *	EDIT_SET replaces each start line that defines the name with
 *	"name = value" and a newline (a CR before the old newline is not
 *	kept) and drops the continuation lines; when nothing defined the
 *	name, it appends "name = value" and a newline at the end of the
 *	text. An empty value gives "name = " with the trailing space.
 *
 *	Text that does not end with a newline (its last line has none, or
 *	a NUL cut it off) gets one at the end of each operation in Postfix
 *	3.7.15, 3.8.10, 3.9.4, 3.10.2 and later; before those, postconf
 *	leaves it as it is, and a name it appends lands on the same line.
 *	edit_apply() follows the Postfix whose mail_version was compiled
 *	in (see defaults(3)); edit_ends_text() says whether postconf of
 *	a version (such as "3.10.13") does so.
 *	EDIT_COMMENT prefixes "#" to the start line and to every
 *	continuation line. EDIT_REMOVE drops them.
 *
 *	Postconf runs with several names in one call append the missing
 *	ones in the order of a hash table with a per-run random seed;
 *	applying one operation after the other gives command-line order,
 *	which is what a single postconf run gives for one name.
 *
 *	edit_check() returns null when edit_apply() accepts the
 *	operation, otherwise a reason: postconf refuses an empty name,
 *	a name that starts with "#" (it would write a comment) and
 *	multi-line input, and a name with whitespace (any of the six
 *	bytes above: with "\v" or "\f" postconf refuses it, and as the
 *	first byte it would write a continuation line) or "=" could never
 *	match a definition. edit_apply() ends the program with msg_panic()
 *	on an operation that edit_check() refuses; callers check user
 *	input first.
 */
#include <stdio.h>
#include <string.h>

#include "defaults.h"
#include "edit.h"
#include "msg.h"

 /*
  * Postconf tells continuation lines from start lines with isspace() in
  * the C locale, but ends a parameter name at the narrower set below.
  */
#define NAME_END	" \t\r\n="

/* edit_check - why an operation is unacceptable, or null */

const char *edit_check(const struct edit_op *op)
{
    if (op->name == 0 || *op->name == 0)
	return ("empty parameter name");
    if (*op->name == '#')
	return ("parameter name that starts with \"#\"");
    for (const char *cp = op->name; *cp; cp++)
	if (ascii_space(*cp) || *cp == '=')
	    return ("parameter name with whitespace or \"=\"");
    if (op->kind == EDIT_SET) {
	if (op->value == 0)
	    return ("missing parameter value");
	if (strchr(op->value, '\n') != 0)
	    return ("multi-line parameter value");
    }
    return (0);
}

/* version_at_least - is "major.minor.patch" at least the given version? */

static int version_at_least(const char *version, int major, int minor, int patch)
{
    int     v[3] = {0, 0, 0};

    if (sscanf(version, "%d.%d.%d", v, v + 1, v + 2) < 2)
	return (0);
    if (v[0] != major)
	return (v[0] > major);
    if (v[1] != minor)
	return (v[1] > minor);
    return (v[2] >= patch);
}

/* edit_ends_text - does postconf of this version end unterminated text? */

int     edit_ends_text(const char *version)
{
    /* Fixed in each stable series at once: 3.7.15, 3.8.10, 3.9.4, 3.10.2. */
    return (version != 0
	    && (version_at_least(version, 3, 11, 0)
		|| version_at_least(version, 3, 10, 2)
		|| (version_at_least(version, 3, 9, 4) && !version_at_least(version, 3, 10, 0))
		|| (version_at_least(version, 3, 8, 10) && !version_at_least(version, 3, 9, 0))
		|| (version_at_least(version, 3, 7, 15) && !version_at_least(version, 3, 8, 0))));
}

/* ends_text_with_newline - does the compiled-in Postfix end unterminated text? */

static int ends_text_with_newline(void)
{
    static int answer = -1;

    if (answer < 0)
	answer = edit_ends_text(default_value("mail_version"));
    return (answer);
}

/* edit_one - apply one operation to text, appending the result to out */

static void edit_one(const char *text, size_t len, const struct edit_op *op,
		             strbuf *out)
{
    const char *end = text + len;
    const char *line;
    const char *next;
    size_t  name_len = strlen(op->name);
    int     ours = 0;			/* current logical line defines name */
    int     found = 0;
    size_t  start = out->len;

    for (line = text; line < end; line = next) {
	const char *nl = memchr(line, '\n', (size_t) (end - line));
	size_t  n;
	size_t  key_len;
	const char *cp;

	next = nl ? nl + 1 : end;
	/* Postconf sees a line as a C string: a NUL ends it. */
	n = strnlen(line, (size_t) (next - line));
	for (cp = line; cp < line + n && ascii_space(*cp); cp++)
	     /* void */ ;

	/* Comments and blank lines never end a logical line. */
	if (cp == line + n || *cp == '#') {
	    sb_add(out, line, n);
	    continue;
	}

	/* A continuation line goes wherever its start line went. */
	if (cp > line) {
	    if (!ours) {
		sb_add(out, line, n);
	    } else if (op->kind == EDIT_COMMENT) {
		sb_addc(out, '#');
		sb_add(out, line, n);
	    }
	    continue;
	}

	/* A start line: does it define our parameter? */
	for (key_len = 0; key_len < n; key_len++)
	    if (strchr(NAME_END, line[key_len]) != 0)
		break;
	ours = (key_len == name_len && memcmp(line, op->name, name_len) == 0);
	if (!ours) {
	    sb_add(out, line, n);
	    continue;
	}
	switch (op->kind) {
	case EDIT_SET:
	    sb_printf(out, "%s = %s\n", op->name, op->value);
	    found = 1;
	    break;
	case EDIT_COMMENT:
	    sb_addc(out, '#');
	    sb_add(out, line, n);
	    break;
	case EDIT_REMOVE:
	    break;
	}
    }
    if (out->len > start && out->s[out->len - 1] != '\n' && ends_text_with_newline())
	sb_addc(out, '\n');
    if (op->kind == EDIT_SET && !found)
	sb_printf(out, "%s = %s\n", op->name, op->value);
}

/* edit_apply - apply operations in order, appending the result to out */

void    edit_apply(const char *text, size_t len, const struct edit_op *ops,
		           size_t nops, strbuf *out)
{
    strbuf  cur = STRBUF_INIT;
    strbuf  tmp = STRBUF_INIT;
    const char *why;
    size_t  i;

    for (i = 0; i < nops; i++)
	if ((why = edit_check(ops + i)) != 0)
	    msg_panic("edit_apply: %s: %s", ops[i].name ? ops[i].name : "(null)", why);

    /*
     * One pass per operation: a pass for several names at once would
     * equal it, except for the order of appended lines, which postconf
     * leaves to chance.
     */
    sb_add(&cur, text, len);
    for (i = 0; i < nops; i++) {
	sb_reset(&tmp);
	/* An operation may leave nothing, and no buffer, for the next. */
	edit_one(cur.s ? cur.s : "", cur.len, ops + i, &tmp);
	strbuf  swap = cur;

	cur = tmp;
	tmp = swap;
    }
    sb_add(out, cur.s, cur.len);
    sb_free(&cur);
    sb_free(&tmp);
}
