/*
 * maincf_probe - answer like "postconf -c DIR -xh NAME" (or -h with -r)
 *
 * usage: maincf_probe [-r] DIR NAME...
 *        maincf_probe -1 [-r] DIR NAME...
 *
 * Prints one line per NAME, with white space runs folded to one space as
 * postconf prints values, so that the output compares byte for byte.
 * Exits 1 after printing "maincf_probe: error: ..." on the first error.
 *
 * With -1, each NAME is asked alone, as if by its own "maincf_probe
 * [-r] DIR NAME" (the file read afresh for each): one line per NAME,
 * "0 VALUE" or "1 " when that run would fail (its message on standard
 * error); exit 0. tests/maincf/run asks this way when a file fails as a
 * whole, where it asks postconf one name at a time: one process, not
 * one per name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "maincf.h"
#include "util.h"

/* print_folded - print a value as postconf does */

static void print_folded(const char *value)
{
    strlist words = STRLIST_INIT;
    char   *joined;

    sl_split(&words, value, " \t\r\n");
    joined = sl_join(&words, " ");
    printf("%s\n", joined);
    free(joined);
    sl_free(&words);
}

/* answer - one run's answer for names[0..n): 0, or 1 after an error */

static int answer(const char *dir, int raw, char **names, int n, int each)
{
    int     status = 0;
    char   *err = 0;
    MAINCF *cf;

    if ((cf = maincf_load(dir, &err)) == 0) {
	fprintf(stderr, "maincf_probe: error: %s\n", err);
	free(err);
	return (1);
    }
    for (int i = 0; i < n && status == 0; i++) {
	if (raw) {
	    const char *v = maincf_lookup(cf, names[i]);

	    if (each)
		fputs("0 ", stdout);
	    print_folded(v ? v : "");
	} else {
	    char   *v = maincf_eval(cf, names[i], &err);

	    if (v == 0) {
		fprintf(stderr, "maincf_probe: error: %s\n", err);
		free(err);
		status = 1;
	    } else {
		if (each)
		    fputs("0 ", stdout);
		print_folded(v);
		free(v);
	    }
	}
    }
    maincf_free(cf);
    return (status);
}

int     main(int argc, char **argv)
{
    int     raw = 0, each = 0;

    for (; argc > 1 && argv[1][0] == '-'; argv++, argc--) {
	if (strcmp(argv[1], "-r") == 0)
	    raw = 1;
	else if (strcmp(argv[1], "-1") == 0)
	    each = 1;
	else
	    break;
    }
    if (argc < 3) {
	fprintf(stderr, "usage: maincf_probe [-1] [-r] DIR NAME...\n");
	return (2);
    }
    if (!each)
	return (answer(argv[1], raw, argv + 2, argc - 2, 0));
    for (int i = 2; i < argc; i++)
	if (answer(argv[1], raw, argv + i, 1, 1) != 0)
	    puts("1 ");
    return (0);
}
