/*
 * NAME
 *	fuzz_mastercf 1
 * SUMMARY
 *	libFuzzer target: the master.cf reader
 * SYNOPSIS
 *	build/fuzz/fuzz_mastercf [libFuzzer options] [corpus...]
 * DESCRIPTION
 *	Each input is a master.cf text. LLVMFuzzerTestOneInput() parses
 *	it with mastercf_parse() and checks what must hold:
 *
 *	A failure, and every warning, is one line that names the origin.
 *	Every entry has eight non-empty fields, a known type, and a line
 *	number within the text; each -o setting has a name without white
 *	space, and mastercf_override() finds the value that wins.
 *
 *	The entries printed back as "postconf -M" prints them (fields and
 *	command separated by a space) parse again, without failure, into
 *	the same entries: the same fields, and, when the input has no "{"
 *	and no argument is empty or has white space inside, the same -o
 *	settings. (As postconf prints them, braces do not survive: "{-v}"
 *	as the first argument after the options comes back as "-v", which
 *	no longer ends the options; an empty argument vanishes.)
 *
 *	tests/fuzz/run replays files through this function in the
 *	ordinary ASan build, with tests/tools/fuzz_replay.c as main().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mastercf.h"
#include "util.h"

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* must - abort with a reason when an invariant does not hold */

static void must(int cond, const char *what, const char *detail)
{
    if (!cond) {
	fprintf(stderr, "fuzz_mastercf: invariant broken: %s: \"%.200s\"\n", what,
		detail ? detail : "(null)");
	abort();
    }
}

/* check_message - one line, naming the origin */

static void check_message(const char *msg)
{
    must(msg != 0 && strncmp(msg, "fuzz", 4) == 0, "message without the origin", msg);
    must(strchr(msg, '\n') == 0, "message with a newline", msg);
}

/* check_entries - what every parsed entry must look like */

static void check_entries(const MASTERCF *cf, size_t lines)
{
    static const char *types[] = {"inet", "unix", "unix-dgram", "fifo", "pass"};

    for (size_t i = 0; i < cf->warnings.n; i++)
	check_message(cf->warnings.v[i]);
    for (size_t i = 0; i < cf->n; i++) {
	const struct mastercf_service *svc = cf->v + i;
	int     known = 0;

	for (int f = 0; f < MCF_NFIELDS; f++)
	    must(svc->field[f] && *svc->field[f], "an empty field", svc->field[MCF_SERVICE]);
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++)
	    known |= strcmp(types[t], svc->field[MCF_TYPE]) == 0;
	must(known, "an unknown type", svc->field[MCF_TYPE]);
	must(svc->line >= 1 && svc->line <= lines, "a line number outside the text",
	     svc->field[MCF_SERVICE]);
	for (size_t j = 0; j < svc->nov; j++) {
	    must(*svc->ov[j].name && strpbrk(svc->ov[j].name, " \t\n\v\f\r") == 0,
		 "a bad -o name", svc->ov[j].name);
	    must(mastercf_override(svc, svc->ov[j].name) == svc->ov[j].value,
		 "a -o setting that does not win", svc->ov[j].name);
	    for (size_t k = 0; k < j; k++)
		must(strcmp(svc->ov[k].name, svc->ov[j].name) != 0,
		     "a -o name stored twice", svc->ov[j].name);
	}
    }
}

/* ambiguous_args - may an argument read differently when printed? */

static int ambiguous_args(const struct mastercf_service *svc)
{
    for (size_t i = 0; i < svc->args.n; i++)
	if (strpbrk(svc->args.v[i], " \t\n\v\f\r") || svc->args.v[i][0] == 0)
	    return (1);
    return (0);
}

/* same_entries - two parses that must agree */

static void same_entries(const MASTERCF *a, const MASTERCF *b, const char *text,
			         int braces)
{
    must(a->n == b->n, "printed back, a different number of entries", text);
    for (size_t i = 0; i < a->n; i++) {
	for (int f = 0; f < MCF_NFIELDS; f++)
	    must(strcmp(a->v[i].field[f], b->v[i].field[f]) == 0,
		 "printed back, a different field", a->v[i].field[f]);
	if (braces || ambiguous_args(a->v + i))
	    continue;
	must(a->v[i].nov == b->v[i].nov, "printed back, different -o settings",
	     a->v[i].field[MCF_SERVICE]);
	for (size_t j = 0; j < a->v[i].nov; j++)
	    must(strcmp(a->v[i].ov[j].name, b->v[i].ov[j].name) == 0
		 && strcmp(a->v[i].ov[j].value, b->v[i].ov[j].value) == 0,
		 "printed back, a different -o setting", a->v[i].ov[j].name);
    }
}

/* LLVMFuzzerTestOneInput - one input */

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *) data;
    strbuf  printed = STRBUF_INIT;
    char   *err = 0;
    MASTERCF *cf, *again;
    size_t  lines = 1;

    for (size_t i = 0; i < size; i++)
	lines += text[i] == '\n';
    if ((cf = mastercf_parse(text, size, "fuzz", &err)) == 0) {
	check_message(err);
	free(err);
	return (0);
    }
    check_entries(cf, lines);
    for (size_t i = 0; i < cf->n; i++) {
	char   *command = mastercf_command(cf->v + i);

	for (int f = 0; f < MCF_COMMAND; f++)
	    sb_printf(&printed, "%s ", cf->v[i].field[f]);
	sb_printf(&printed, "%s\n", command);
	free(command);
    }
    again = mastercf_parse(printed.s ? printed.s : "", printed.len, "fuzz", &err);
    must(again != 0, "printed back, the text fails", err);
    same_entries(cf, again, printed.s, memchr(text, '{', size) != 0);
    mastercf_free(again);
    mastercf_free(cf);
    sb_free(&printed);
    return (0);
}
