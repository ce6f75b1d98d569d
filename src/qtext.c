/*
 * NAME
 *	qtext 3
 * SUMMARY
 *	queue file text as showq shows it
 * SYNOPSIS
 *	#include "qtext.h"
 *
 *	void	qtext_display(out, data, len, empty, utf8)
 *	strbuf	*out;
 *	const char *data;
 *	size_t	len;
 *	const char *empty;
 *	int	utf8;
 *
 *	void	qtext_printable(s, utf8)
 *	char	*s;
 *	int	utf8;
 *
 *	size_t	qtext_utf8_char(s)
 *	const unsigned char *s;
 * DESCRIPTION
 *	Sender and recipient records hold bytes from the Internet.
 *	qtext_display() stores in out the form in which showq reports
 *	an address to "postqueue -j" and -p: the record's data up to
 *	its length or a NUL (empty: the text empty, the value of
 *	empty_address_recipient), with the local part (after a source
 *	route, before the last "@") in quotes where it is not an RFC 822
 *	dot-string (a backslash before a quote, backslash or carriage
 *	return in it; 8-bit bytes left alone), then made printable.
 *
 *	qtext_printable() replaces, in place, each byte that is not
 *	printable ASCII with "?": with utf8 (smtputf8_enable), a valid
 *	UTF-8 character is kept whole (no over-long form, no surrogate,
 *	nothing above U+10FFFF), and an invalid one loses its first byte.
 *	The result has no control character, and is valid UTF-8 (ASCII
 *	without utf8): any JSON encoder can quote it.
 *
 *	qtext_utf8_char() is the length of the valid UTF-8 character at
 *	s (1 for ASCII, NUL included), or 0. It reads no byte after a NUL.
 */
#include <string.h>

#include "qtext.h"
#include "util.h"

/* dot_string - is [start, end) an RFC 822 dot-string (8-bit clean)? */

static int dot_string(const char *start, const char *end)
{
    if (start == end || *start == '.' || end[-1] == '.')
	return (0);
    for (const char *cp = start; cp < end; cp++) {
	unsigned char ch = (unsigned char) *cp;

	if (ch == '.' && cp + 1 < end && cp[1] == '.')
	    return (0);
	if (ch == ' ' || ch < 0x20 || ch == 0x7f || strchr("()<>@,;:\\\"[]", ch))
	    return (0);
    }
    return (1);
}

/* qtext_utf8_char - the length of a valid UTF-8 character at s, else 0 */

size_t  qtext_utf8_char(const unsigned char *s)
{
    unsigned char c0 = s[0];

    if (c0 < 0x80)
	return (1);
    if (c0 >= 0xc2 && c0 <= 0xdf)
	return ((s[1] & 0xc0) == 0x80 ? 2 : 0);
    if (c0 >= 0xe0 && c0 <= 0xef) {
	unsigned char lo = c0 == 0xe0 ? 0xa0 : 0x80, hi = c0 == 0xed ? 0x9f : 0xbf;

	return (s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ? 3 : 0);
    }
    if (c0 >= 0xf0 && c0 <= 0xf4) {
	unsigned char lo = c0 == 0xf0 ? 0x90 : 0x80, hi = c0 == 0xf4 ? 0x8f : 0xbf;

	return (s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80
		&& (s[3] & 0xc0) == 0x80 ? 4 : 0);
    }
    return (0);
}

/* qtext_printable - replace what is not printable by "?", in place */

void    qtext_printable(char *s, int utf8)
{
    /* A NUL ends the string, so a partial character at its end is invalid. */
    for (unsigned char *cp = (unsigned char *) s; *cp; cp++) {
	size_t  n;

	if (*cp >= 0x20 && *cp < 0x7f)
	    continue;
	if (utf8 && *cp >= 0x80 && (n = qtext_utf8_char(cp)) > 1) {
	    cp += n - 1;
	    continue;
	}
	*cp = '?';
    }
}

/* qtext_display - an address as showq shows it */

void    qtext_display(strbuf *out, const char *data, size_t len, const char *empty, int utf8)
{
    size_t  n = strnlen(data, len);
    const char *mbox = n ? data : empty, *start = mbox, *end, *colon;
    size_t  mlen = n ? n : strlen(empty);
    const char *mend = mbox + mlen;

    sb_reset(out);
    /* A source route is not part of the local part. */
    if (mlen > 0 && mbox[0] == '@' && (colon = memchr(mbox, ':', mlen)) != 0)
	start = colon + 1;
    end = mend;
    for (const char *cp = start; cp < mend; cp++)
	if (*cp == '@')
	    end = cp;
    if (dot_string(start, end)) {
	sb_add(out, mbox, mlen);
    } else {
	sb_add(out, mbox, (size_t) (start - mbox));
	sb_addc(out, '"');
	for (const char *cp = start; cp < end; cp++) {
	    if (*cp == '"' || *cp == '\\' || *cp == '\r')
		sb_addc(out, '\\');
	    sb_addc(out, *cp);
	}
	sb_addc(out, '"');
	sb_add(out, end, (size_t) (mend - end));
    }
    qtext_printable(out->s, utf8);
}
