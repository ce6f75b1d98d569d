/*
 * test_ptab - the parameter table of a main.cf file
 *
 * ptab_parse() on definitions, continuation and comment lines, the last
 * definition winning with its line, and each syntax error (the table
 * left empty); ptab_store() past the first table size. The values these
 * give are compared with postconf's in tests/maincf.
 */
#include <stdlib.h>
#include <string.h>

#include "ptab.h"
#include "util.h"
#include "tap.h"

/* bad - text that ptab_parse() must refuse with message want */

static void bad(const char *what, const char *text, const char *want)
{
    PTAB    pt = PTAB_INIT;
    char   *err = 0;
    int     ret = ptab_parse(&pt, text, strlen(text), "f", &err);

    TAP_OK(ret < 0 && pt.cap == 0 && pt.count == 0, "%s: refused, table empty", what);
    TAP_STREQ(err, want, "%s: its message", what);
    free(err);
}

int     main(void)
{
    static const char text[] =
	"# comment\n"
	"a = one\n"
	"b=  two words  \n"
	"c = first\n"
	"  continued\n"
	"# in between\n"
	"\tagain\n"
	"\n"
	"a = last\n";
    PTAB    pt = PTAB_INIT;
    const struct ptab_entry *e;
    char   *err = 0;

    TAP_OK(ptab_parse(&pt, text, sizeof(text) - 1, "f", &err) == 0, "a file of three names parses");
    TAP_OK(pt.count == 3, "three names (%zu)", pt.count);
    e = ptab_find(&pt, "a");
    TAP_OK(e && strcmp(e->value, "last") == 0 && e->line == 9,
	   "the last definition wins, with its line (%zu)", e ? e->line : 0);
    e = ptab_find(&pt, "b");
    TAP_STREQ(e ? e->value : 0, "two words", "white space around the value is dropped");
    e = ptab_find(&pt, "c");
    TAP_STREQ(e ? e->value : 0, "first  continued\tagain",
	      "continuation lines join, comments between them skipped");
    TAP_OK(e && e->line == 4, "a continued definition has its first line");
    TAP_OK(ptab_find(&pt, "d") == 0, "an unset name is not found");

    /* Stored past the first table size, all still found. */
    for (int i = 0; i < 200; i++)
	ptab_store(&pt, xasprintf("p%d", i), xasprintf("%d", i), 0);
    TAP_OK(pt.count == 203 && pt.cap >= 406, "203 names stored, table grown (%zu)", pt.cap);
    e = ptab_find(&pt, "p137");
    TAP_OK(e && strcmp(e->value, "137") == 0 && e->line == 0, "a stored name is found, line 0");
    e = ptab_find(&pt, "a");
    TAP_OK(e && strcmp(e->value, "last") == 0, "a parsed name survives the growth");
    ptab_free(&pt);
    TAP_OK(pt.cap == 0 && pt.tab == 0 && ptab_find(&pt, "a") == 0, "ptab_free() empties it");

    bad("a line without =", "a = 1\nno equals here\n", "f, line 2: missing '=' after parameter name: \"no equals here\"");
    bad("no name", "= value\n", "f, line 1: missing parameter name: \"= value\"");
    /* A blank first line continues nothing: ignored, as Postfix does. */
    TAP_OK(ptab_parse(&pt, " = value\n", 9, "f", &err) == 0 && pt.count == 0,
	   "a continuation line with nothing to continue is ignored");
    bad("white space in the name", "two words = x\n", "f, line 1: missing '=' after parameter name: \"two words = x\"");
    return (tap_done());
}
