/*
 * NAME
 *	fuzz_maincf 1
 * SUMMARY
 *	libFuzzer target: the main.cf reader and expander
 * SYNOPSIS
 *	build/fuzz/fuzz_maincf [libFuzzer options] [corpus...]
 * DESCRIPTION
 *	Each input is a main.cf text. LLVMFuzzerTestOneInput() parses it
 *	with maincf_parse(); when that fails, it parses the input without
 *	its first line (so that a first line meant as an expression does
 *	not spoil the rest), and failing that an empty text. It then
 *	evaluates a few parameters that postmulti reads, and those that
 *	the first start lines of the input define, and expands the first
 *	line of the input as an expression with maincf_expand().
 *
 *	Besides the sanitizers' findings it checks what must hold:
 *	a failure comes with a one-line message; a name that a start line
 *	of a successfully parsed text defines has a value; a value
 *	without "$" expands to itself; the same expansion twice gives the
 *	same result.
 *
 *	Some defaults come from the host (myhostname, mydomain,
 *	mynetworks): run it where host names resolve quickly or not at
 *	all, e.g. in a network namespace with only loopback up, so that
 *	an inet_interfaces host name does not wait for a name server.
 *
 *	tests/fuzz/run replays files through this function in the
 *	ordinary ASan build, with tests/tools/fuzz_replay.c as main().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maincf.h"
#include "util.h"

#define MAX_NAMES	4

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* must - abort with a reason when an invariant does not hold */

static void must(int cond, const char *what, const char *detail)
{
    if (!cond) {
	fprintf(stderr, "fuzz_maincf: invariant broken: %s: \"%.200s\"\n", what,
		detail ? detail : "(null)");
	abort();
    }
}

/* is_space - white space as main.cf reads it */

static int is_space(int ch)
{
    return (ch == ' ' || (ch >= '\t' && ch <= '\r'));
}

/* start_names - names that start lines define, as maincf reads them */

static size_t start_names(const char *text, size_t len, char **names, size_t max)
{
    const char *cp = text, *end = text + len;
    size_t  n = 0;

    while (cp < end && n < max) {
	const char *nl = memchr(cp, '\n', (size_t) (end - cp));
	const char *eol = nl ? nl : end;
	const char *eq = memchr(cp, '=', (size_t) (eol - cp));
	const char *ne;

	if (eq && cp < eol && !is_space(*cp) && *cp != '#') {
	    for (ne = eq; ne > cp && is_space(ne[-1]); ne--)
		 /* void */ ;
	    if (ne > cp && memchr(cp, 0, (size_t) (ne - cp)) == 0)
		names[n++] = xstrndup(cp, (size_t) (ne - cp));
	}
	cp = nl ? nl + 1 : end;
    }
    return (n);
}

/* check_error - a failure must say why, on one line */

static void check_error(char *err)
{
    must(err != 0 && *err != 0, "failure without a message", err);
    must(strchr(err, '\n') == 0, "message with a newline", err);
    free(err);
}

/* eval_name - evaluate one parameter and check the result */

static void eval_name(const MAINCF *cf, const char *name)
{
    const char *raw = maincf_lookup(cf, name);
    char   *err = 0, *value, *again;

    (void) maincf_get(cf, name);
    if ((value = maincf_eval(cf, name, &err)) == 0) {
	check_error(err);
	return;
    }
    if (raw && strchr(raw, '$') == 0)
	must(strcmp(value, raw) == 0, "a value without $ changed in expansion", raw);
    again = maincf_eval(cf, name, &err);
    must(again != 0 && strcmp(again, value) == 0, "expansion is not repeatable", name);
    free(again);
    free(value);
}

/* LLVMFuzzerTestOneInput - one input */

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *fixed[] = {
	"queue_directory", "data_directory", "multi_instance_name",
	"multi_instance_group", "multi_instance_directories",
	"import_environment", "command_directory", "config_directory",
	"postmulti_start_commands", "syslog_name",
	/* Comparisons in defaults; defaults computed from the host. */
	"relay_domains", "myhostname", "mydomain", "mynetworks",
    };
    const char *text = (const char *) data;
    const char *nl = memchr(text, '\n', size);
    size_t  first_len = nl ? (size_t) (nl - text) : size;
    char   *names[MAX_NAMES];
    size_t  nnames = 0;
    char   *err = 0, *expr;
    strbuf  out = STRBUF_INIT;
    MAINCF *cf;
    int     whole, yes;

    if ((cf = maincf_parse(text, size, "fuzz", &err)) != 0) {
	whole = 1;
    } else {
	check_error(err);
	whole = 0;
	if (nl == 0 || (cf = maincf_parse(nl + 1, size - first_len - 1, "fuzz", &err)) == 0) {
	    if (nl)
		check_error(err);
	    cf = maincf_parse("", 0, "fuzz", &err);
	    must(cf != 0, "an empty text does not parse", err);
	}
    }
    if (whole) {
	nnames = start_names(text, size, names, MAX_NAMES);
	for (size_t i = 0; i < nnames; i++)
	    must(maincf_get(cf, names[i]) != 0, "a defined name has no value", names[i]);
    } else if (nl) {
	nnames = start_names(nl + 1, size - first_len - 1, names, MAX_NAMES);
    }
    for (size_t i = 0; i < nnames; i++) {
	eval_name(cf, names[i]);
	free(names[i]);
    }
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
	eval_name(cf, fixed[i]);
    if (maincf_bool(cf, "multi_instance_enable", &yes, &err) < 0)
	check_error(err);

    /* The first line, up to a NUL, as an expression. */
    expr = xstrndup(text, strnlen(text, first_len));
    if (maincf_expand(cf, expr, &out, &err) < 0) {
	check_error(err);
    } else if (strchr(expr, '$') == 0) {
	must(out.len == strlen(expr) && memcmp(out.s ? out.s : "", expr, out.len) == 0,
	     "an expression without $ changed in expansion", expr);
    }
    sb_free(&out);
    free(expr);
    maincf_free(cf);
    return (0);
}
