/*
 * maincf_probe - answer like "postconf -c DIR -xh NAME" (or -h with -r)
 *
 * usage: maincf_probe [-r] DIR NAME...
 *
 * Prints one line per NAME, with white space runs folded to one space as
 * postconf prints values, so that the output compares byte for byte.
 * Exits 1 after printing "maincf_probe: error: ..." on the first error.
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

int     main(int argc, char **argv)
{
    int     raw = 0, status = 0;
    char   *err = 0;
    MAINCF *cf;

    if (argc > 1 && strcmp(argv[1], "-r") == 0) {
	raw = 1;
	argv++, argc--;
    }
    if (argc < 3) {
	fprintf(stderr, "usage: maincf_probe [-r] DIR NAME...\n");
	return (2);
    }
    if ((cf = maincf_load(argv[1], &err)) == 0) {
	fprintf(stderr, "maincf_probe: error: %s\n", err);
	free(err);
	return (1);
    }
    for (int i = 2; i < argc && status == 0; i++) {
	if (raw) {
	    const char *v = maincf_lookup(cf, argv[i]);

	    print_folded(v ? v : "");
	} else {
	    char   *v = maincf_eval(cf, argv[i], &err);

	    if (v == 0) {
		fprintf(stderr, "maincf_probe: error: %s\n", err);
		free(err);
		status = 1;
	    } else {
		print_folded(v);
		free(v);
	    }
	}
    }
    maincf_free(cf);
    return (status);
}
