/*
 * test_qtext - addresses and reasons as showq shows them, and queue
 * work's filters (qtext.c, qwork.c)
 *
 * The expected text of the display form was checked against
 * "postqueue -j" on Postfix 3.7.11 for the addresses that sendmail
 * accepts; the others follow the rules in qtext.c's header.
 */
#include <string.h>

#include "qtext.h"
#include "qwork.h"
#include "tap.h"

/* display - qtext_display() of a C string, into a static buffer */

static const char *display(const char *data, size_t len, int utf8)
{
    static strbuf out = STRBUF_INIT;

    qtext_display(&out, data, len, "MAILER-DAEMON", utf8);
    return (out.s);
}

/* printable - qtext_printable() of a copy */

static const char *printable(const char *s, int utf8)
{
    static char buf[256];

    snprintf(buf, sizeof(buf), "%s", s);
    qtext_printable(buf, utf8);
    return (buf);
}

/* valid_json_text - no control byte, and valid UTF-8 */

static int valid_json_text(const char *s)
{
    for (const unsigned char *cp = (const unsigned char *) s; *cp;) {
	size_t  n = qtext_utf8_char(cp);

	if (n == 0 || *cp < 0x20 || *cp == 0x7f)
	    return (0);
	cp += n;
    }
    return (1);
}

int     main(void)
{
    char    hash[64];

    /* Dot-strings stay as they are. */
    TAP_STREQ(display("user@example.com", 16, 1), "user@example.com", "a plain address");
    TAP_STREQ(display("first.last+tag@example.com", 26, 1), "first.last+tag@example.com",
	      "dots and plus");
    TAP_STREQ(display("postmaster", 10, 1), "postmaster", "no domain");
    /* The null address is empty_address_recipient. */
    TAP_STREQ(display("", 0, 1), "MAILER-DAEMON", "the null sender");
    TAP_STREQ(display("\0abc", 4, 1), "MAILER-DAEMON", "a NUL first: empty, as showq reads it");
    TAP_STREQ(display("ab\0cd@x", 7, 1), "ab", "the data ends at a NUL");
    TAP_STREQ(display("user@example.com", 4, 1), "user", "... or at its length");
    /* Local parts that are not dot-strings are quoted. */
    TAP_STREQ(display("we ird@example.com", 18, 1), "\"we ird\"@example.com", "a space");
    TAP_STREQ(display("a..b@example.com", 16, 1), "\"a..b\"@example.com", "two dots");
    TAP_STREQ(display(".a@example.com", 14, 1), "\".a\"@example.com", "a leading dot");
    TAP_STREQ(display("a.@example.com", 14, 1), "\"a.\"@example.com", "a trailing dot");
    TAP_STREQ(display("a\"b\\c@example.com", 17, 1), "\"a\\\"b\\\\c\"@example.com",
	      "quote and backslash escaped");
    TAP_STREQ(display("a@b@example.com", 15, 1), "\"a@b\"@example.com", "an @ in the local part");
    TAP_STREQ(display("@r1,@r2:a b@example.com", 23, 1), "@r1,@r2:\"a b\"@example.com",
	      "a source route stays outside the quotes");
    /* Then printable: controls are "?", UTF-8 as smtputf8_enable says. */
    TAP_STREQ(display("a\001b@example.com", 15, 1), "\"a?b\"@example.com", "a control byte");
    TAP_STREQ(display("a\rb@example.com", 15, 1), "\"a\\?b\"@example.com",
	      "a carriage return: escaped, then made printable");
    TAP_STREQ(display("j\xc3\xa9r\xc3\xb4me@example.com", 20, 1),
	      "j\xc3\xa9r\xc3\xb4me@example.com", "UTF-8 kept with smtputf8_enable");
    TAP_STREQ(display("j\xc3\xa9r\xc3\xb4me@example.com", 20, 0), "j??r??me@example.com",
	      "... and not without it");
    TAP_STREQ(display("a\xff" "b@example.com", 15, 1), "a?b@example.com", "an invalid byte");
    TAP_STREQ(printable("\xc0\x80", 1), "??", "an over-long NUL");
    TAP_STREQ(printable("\xed\xa0\x80", 1), "???", "a surrogate");
    TAP_STREQ(printable("\xf4\x90\x80\x80", 1), "????", "above U+10FFFF");
    TAP_STREQ(printable("\xf0\x9f\x93\xa7", 1), "\xf0\x9f\x93\xa7", "a four-byte character");
    TAP_STREQ(printable("\xe2\x82", 1), "??", "a character cut by the end");
    TAP_STREQ(printable("\xc2\x85", 1), "\xc2\x85", "U+0085 is valid UTF-8: kept, as Postfix");
    TAP_STREQ(printable("tab\there\x7f", 1), "tab?here?", "tab and DEL");
    TAP_OK(valid_json_text(display("\x01\x02\xff\xfe\xc3(\xe2\x82(\x7f@x", 13, 1)),
	   "hostile bytes give valid UTF-8 without controls");
    TAP_OK(valid_json_text(display("\x01\x02\xff\xfe\xc3\xa9@x", 9, 0)),
	   "... and ASCII without smtputf8_enable");

    /* Filters. */
    TAP_OK(qwork_addr_match("a@example.com", "A@Example.COM", 0), "one address, any case");
    TAP_OK(!qwork_addr_match("a@example.com", "b@example.com", 0), "... not another");
    TAP_OK(qwork_addr_match("@example.com", "x@EXAMPLE.com", 0), "@domain");
    TAP_OK(!qwork_addr_match("@example.com", "x@sub.example.com", 0), "... not its subdomains");
    TAP_OK(!qwork_addr_match("@example.com", "example.com", 0), "... not without an @");
    TAP_OK(qwork_addr_match("*@*.example.com", "x@sub.example.com", 0), "a shell pattern");
    TAP_OK(qwork_addr_match("[ab]*@x", "Bob@X", 0), "... in any case");
    TAP_OK(qwork_addr_match("<>", "MAILER-DAEMON", 1), "<>: the null sender");
    TAP_OK(!qwork_addr_match("<>", "MAILER-DAEMON", 0), "... not an address so named");
    TAP_OK(qwork_duration("90") == 90 && qwork_duration("90s") == 90, "seconds");
    TAP_OK(qwork_duration("2h") == 7200 && qwork_duration("1w") == 604800, "hours, weeks");
    TAP_OK(qwork_duration("3d") == 259200 && qwork_duration("5m") == 300, "days, minutes");
    TAP_OK(qwork_duration("") < 0 && qwork_duration("2x") < 0 && qwork_duration("-1") < 0
	   && qwork_duration("1hh") < 0 && qwork_duration("h") < 0, "malformed times");
    TAP_OK(qwork_duration("99999999999999999999") < 0, "a time too large");
    TAP_OK(qwork_duration("9223372036854775807w") < 0, "a time that overflows in seconds");
    TAP_OK(qwork_size("100") == 100 && qwork_size("10k") == 10240, "bytes, k");
    TAP_OK(qwork_size("2M") == 2097152 && qwork_size("1g") == 1073741824, "M, g");
    TAP_OK(qwork_size("1t") < 0 && qwork_size("k") < 0 && qwork_size("1kk") < 0,
	   "malformed sizes");

    /* Where a defer log is: the ID's first characters, or a long ID's microseconds. */
    qwork_hash_chars("6032DA72122", hash, sizeof(hash));
    TAP_STREQ(hash, "6032DA72122", "a short ID names its own hash directories");
    qwork_hash_chars("4jgw2D1tv3z1bcbR", hash, sizeof(hash));
    TAP_OK(strlen(hash) == 5 && strspn(hash, "0123456789ABCDEF") == 5,
	   "a long ID: five hexadecimal digits (%s)", hash);
    qwork_hash_chars("0000000000z1", hash, sizeof(hash));
    TAP_STREQ(hash, "00000", "... zero microseconds");
    qwork_hash_chars("000000000Yz1", hash, sizeof(hash));
    /* "Y" is digit 29 of the safe alphabet (no vowels): 29 = 0x1D */
    TAP_STREQ(hash, "0001D", "... the safe alphabet");
    qwork_hash_chars("000000aeiouz1", hash, sizeof(hash));
    TAP_STREQ(hash, "00000", "... a vowel is no digit: 0, as Postfix decodes it");
    return (tap_done());
}
