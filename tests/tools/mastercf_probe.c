/*
 * mastercf_probe - print a master.cf as "postconf -c DIR -M", "-F" or "-P"
 *
 * usage: mastercf_probe -M|-F|-P|-W DIR
 *
 * -M, -F and -P print what postconf prints with that option (without
 * -f), so that tests/mastercf/run can compare the two byte for byte:
 * -P folds white space runs in a value to one space, as postconf
 * prints values, and lists the settings of a service by name. -W prints the reader's warnings, one a line. Exits 1
 * after printing "mastercf_probe: error: ..." when the file is unusable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mastercf.h"
#include "util.h"

/* print_entry - one entry as "postconf -M" lays it out */

static void print_entry(const struct mastercf_service *svc)
{
    static const int column[MCF_NFIELDS] = {0, 11, 17, 25, 33, 41, 49, 57};
    int     pos = 0;
    char   *command = mastercf_command(svc);

    for (int f = 0; f < MCF_NFIELDS; f++) {
	const char *text = f == MCF_COMMAND ? command : svc->field[f];

	if (f > 0) {
	    int     want = column[f] > pos + 1 ? column[f] : pos + 1;

	    printf("%*s", want - pos, "");
	    pos = want;
	}
	fputs(text, stdout);
	pos += (int) strlen(text);
    }
    putchar('\n');
    free(command);
}

/* by_name - qsort order of -o settings, as postconf -P lists them */

static int by_name(const void *a, const void *b)
{
    return (strcmp(((const struct mastercf_override *) a)->name,
		   ((const struct mastercf_override *) b)->name));
}

/* print_folded - a value with white space runs folded to one space */

static void print_folded(const char *value)
{
    strlist words = STRLIST_INIT;
    char   *joined;

    sl_split(&words, value, " \t\r\n\v\f");
    joined = sl_join(&words, " ");
    printf("%s\n", joined);
    free(joined);
    sl_free(&words);
}

int     main(int argc, char **argv)
{
    MASTERCF *cf;
    struct mastercf_override *ov;
    char   *err = 0;

    if (argc != 3 || strchr("MFPW", argv[1][1]) == 0 || argv[1][0] != '-') {
	fprintf(stderr, "usage: mastercf_probe -M|-F|-P|-W DIR\n");
	return (2);
    }
    if ((cf = mastercf_load(argv[2], &err)) == 0) {
	fprintf(stderr, "mastercf_probe: error: %s\n", err);
	free(err);
	return (1);
    }
    for (size_t i = 0; i < cf->n; i++) {
	const struct mastercf_service *svc = cf->v + i;
	const char *prefix_s = svc->field[MCF_SERVICE], *prefix_t = svc->field[MCF_TYPE];

	switch (argv[1][1]) {
	case 'M':
	    print_entry(svc);
	    break;
	case 'F':
	    for (int f = 0; f < MCF_NFIELDS; f++) {
		char   *command = f == MCF_COMMAND ? mastercf_command(svc) : 0;

		printf("%s/%s/%s = %s\n", prefix_s, prefix_t, mastercf_field_names[f],
		       command ? command : svc->field[f]);
		free(command);
	    }
	    break;
	case 'P':
	    if (svc->nov == 0)
		break;
	    ov = xmalloc(svc->nov * sizeof(*ov));
	    memcpy(ov, svc->ov, svc->nov * sizeof(*ov));
	    qsort(ov, svc->nov, sizeof(*ov), by_name);
	    for (size_t j = 0; j < svc->nov; j++) {
		printf("%s/%s/%s =%s", prefix_s, prefix_t, ov[j].name,
		       *ov[j].value ? " " : "");
		print_folded(ov[j].value);
	    }
	    free(ov);
	    break;
	}
    }
    if (argv[1][1] == 'W')
	for (size_t i = 0; i < cf->warnings.n; i++)
	    printf("%s\n", cf->warnings.v[i]);
    mastercf_free(cf);
    return (0);
}
