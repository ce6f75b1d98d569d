/*
 * test_llines - the logical-line reader that main.cf and master.cf share.
 *
 * Each case reads a text to the end and writes down what came back, one
 * item each: "N:text" for a logical line that starts at line N, "?N:text"
 * for a continuation line with nothing to continue, "!message" for an
 * error, "." for the end. CR shows as "\r".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "llines.h"
#include "util.h"

/* transcript - what a reader returns for len bytes of text, to the end */

static char *transcript(const char *text, size_t len)
{
    strbuf  out = STRBUF_INIT;
    LLINES  r;
    const char *line;
    size_t  linelen, lineno;
    char   *err;
    int     got;

    llines_init(&r, text, len, "t.cf");
    do {
	switch (got = llines_next(&r, &line, &linelen, &lineno, &err)) {
	case LLINES_ERROR:
	    sb_printf(&out, "!%s", err);
	    free(err);
	    break;
	case LLINES_END:
	    sb_puts(&out, ".");
	    break;
	default:
	    if (strlen(line) != linelen)
		sb_puts(&out, "(length differs)");
	    sb_printf(&out, "%s%zu:", got == LLINES_ORPHAN ? "?" : "", lineno);
	    for (size_t i = 0; i < linelen; i++)
		sb_puts(&out, line[i] == '\r' ? "\\r" : (char[]) {line[i], 0});
	    sb_puts(&out, "|");
	}
    } while (got > 0);
    llines_free(&r);
    return (sb_take(&out));
}

/* check - a NUL-free text and its transcript */

static void check(const char *what, const char *text, const char *want)
{
    char   *got = transcript(text, strlen(text));

    TAP_STREQ(got, want, "%s", what);
    free(got);
}

/* test_shapes - the line shapes of main.cf and master.cf */

static void test_shapes(void)
{
    char   *got = transcript(0, 0);

    TAP_STREQ(got, ".", "no text at all (NULL, 0)");
    free(got);
    check("empty text", "", ".");
    check("only blank and comment lines", "\n \t\n# x\n  # y\n\r\n\f\n", ".");
    check("one line a line", "a = 1\nb = 2\n", "1:a = 1|2:b = 2|.");
    check("no final newline", "a = 1\nb = 2", "1:a = 1|2:b = 2|.");
    check("a continuation without a final newline", "a = 1\n  2", "1:a = 1  2|.");
    check("continued: the newline goes, the white space stays",
	  "a = 1\n\t2\n 3\nb\n", "1:a = 1\t2 3|4:b|.");
    check("skipped lines inside a continued line",
	  "a = 1\n# c\n\n   \n  # d\n 2\nb = 3\n", "1:a = 1 2|7:b = 3|.");
    check("the number is that of the first physical line",
	  "# c\n\nname = x\n y\n z\nnext\n", "3:name = x y z|6:next|.");
    check("CR LF: the CR stays, a CR-only line is blank",
	  "a = 1\r\n 2\r\n\r\nb\r\n", "1:a = 1\\r 2\\r|4:b\\r|.");
    check("a line that starts with CR continues", "a\n\rb\n", "1:a\\rb|.");
    check("vertical tab and form feed are white space", "a\n\vb\n\fc\n", "1:a\vb\fc|.");
    check("a comment needs # as its first non-blank byte", "a\n x # y\n#z\n",
	  "1:a x # y|.");
    check("orphan continuation lines, each as it is",
	  "  x\n# c\n\ty\na\n z\n", "?1:  x|?3:\ty|4:a z|.");
    check("no orphan once a line has started", "a\n# c\n b\n\n c\n", "1:a b c|.");
    check("a high byte is no white space", "a\n\xa0" "b\n", "1:a|2:\xa0" "b|.");
}

/* test_nul - a NUL byte spoils the whole text */

static void test_nul(void)
{
    static const char at3[] = "a = 1\n b\nc = x\0y\nd\n";
    static const char first[] = "\0";
    static const char comment[] = "  orphan\na\n# \0\n";
    static const char last[] = "a\nb\nc\n\0";
    char   *got;
    LLINES  r;
    const char *line;
    size_t  len, lineno;
    char   *err = 0;

    got = transcript(at3, sizeof(at3) - 1);
    TAP_STREQ(got, "!t.cf, line 3: NUL byte in file", "a NUL byte on line 3, nothing before");
    free(got);
    got = transcript(first, sizeof(first) - 1);
    TAP_STREQ(got, "!t.cf, line 1: NUL byte in file", "a NUL byte alone");
    free(got);
    got = transcript(comment, sizeof(comment) - 1);
    TAP_STREQ(got, "!t.cf, line 3: NUL byte in file", "a NUL byte in a comment, no orphan first");
    free(got);
    got = transcript(last, sizeof(last) - 1);
    TAP_STREQ(got, "!t.cf, line 4: NUL byte in file", "a NUL byte after the last newline");
    free(got);

    llines_init(&r, at3, sizeof(at3) - 1, "t.cf");
    TAP_OK(llines_next(&r, &line, &len, &lineno, &err) == LLINES_ERROR, "the error once");
    free(err);
    err = 0;
    TAP_OK(llines_next(&r, &line, &len, &lineno, &err) == LLINES_ERROR && err != 0,
	   "and again on the next call");
    free(err);
    llines_free(&r);
}

/* test_long - long lines and many continuations */

static void test_long(void)
{
    strbuf  text = STRBUF_INIT, want = STRBUF_INIT;
    LLINES  r;
    const char *line;
    size_t  len, lineno;
    char   *err;
    int     got;

    sb_puts(&text, "# x\n");
    for (size_t i = 0; i < 1000000; i++)
	sb_addc(&text, 'a' + (int) (i % 26));
    sb_add(&want, text.s + 4, text.len - 4);
    for (size_t i = 0; i < 100000; i++) {
	sb_puts(&text, "\n ");
	sb_puts(&text, i % 2 ? "" : "z");
	sb_puts(&want, i % 2 ? "" : " z");
    }
    sb_puts(&text, "\nlast");

    llines_init(&r, text.s, text.len, "t.cf");
    got = llines_next(&r, &line, &len, &lineno, &err);
    TAP_OK(got == LLINES_LINE && lineno == 2 && len == want.len
	   && memcmp(line, want.s, len) == 0,
	   "a 1,000,000-byte line continued 100,000 times (blank ones skipped)");
    got = llines_next(&r, &line, &len, &lineno, &err);
    TAP_OK(got == LLINES_LINE && lineno == 100003 && strcmp(line, "last") == 0,
	   "the next line after it, with its number");
    TAP_OK(llines_next(&r, &line, &len, &lineno, &err) == LLINES_END, "then the end");
    TAP_OK(llines_next(&r, &line, &len, &lineno, &err) == LLINES_END, "and the end again");
    llines_free(&r);
    sb_free(&text);
    sb_free(&want);
}

int     main(void)
{
    test_shapes();
    test_nul();
    test_long();
    return (tap_done());
}
