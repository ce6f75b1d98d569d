/*
 * NAME
 *	fuzz_edit 1
 * SUMMARY
 *	libFuzzer target: the postconf-compatible main.cf editor
 * SYNOPSIS
 *	build/fuzz/fuzz_edit [libFuzzer options] [corpus...]
 * DESCRIPTION
 *	An input is a main.cf text, optionally followed by a line "%%"
 *	and then one operation a line (at most MAX_OPS):
 *
 *	    e name=value	EDIT_SET (the value as it is, spaces too)
 *	    # name		EDIT_COMMENT
 *	    X name		EDIT_REMOVE
 *
 *	The text ends before the last "\n%%\n" (an input that starts
 *	with "%%\n" has an empty text). Without "%%", the operations are
 *	made up from the text: set its first parameter, comment out its
 *	second, remove its third, set a new one. Operations that
 *	edit_check() refuses are skipped, as callers must.
 *
 *	LLVMFuzzerTestOneInput() applies the operations one at a time
 *	and checks, for each, what truly holds of postconf's editing
 *	(see edit.c): the result is the same as that of all operations
 *	in one edit_apply() call, and has no NUL byte. Then, on a text
 *	without NUL: an operation is idempotent; COMMENT and REMOVE of a
 *	name that nothing defines change nothing; SET of such a name
 *	appends "name = value" and a newline; the output of COMMENT and
 *	REMOVE defines the name nowhere, that of SET does; and when the
 *	result parses, maincf_parse() reads the value set, trimmed,
 *	after SET, and no definition after COMMENT and REMOVE.
 *
 *	Where postconf's byte-for-byte behaviour gives a text that
 *	Postfix reads differently, those checks are left out: a line
 *	with a NUL loses the rest and its newline, so the next line
 *	joins it ("a\0\na" defines "aa"); a definition appended to a
 *	text whose last line lacks a newline joins that line; and
 *	postconf takes "name\f= 1" and "name\v= 1" for definitions of
 *	another name than Postfix does.
 *
 *	tests/fuzz/run replays files through this function in the
 *	ordinary ASan build, with tests/tools/fuzz_replay.c as main().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "maincf.h"
#include "util.h"

#define MAX_OPS		8
#define SEPARATOR	"\n%%\n"

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* must - abort with a reason when an invariant does not hold */

static void must(int cond, const char *what, const struct edit_op *op)
{
    if (!cond) {
	fprintf(stderr, "fuzz_edit: invariant broken: %s (op %c \"%.100s\"%s%.100s%s)\n",
		what, op->kind == EDIT_SET ? 'e' : op->kind == EDIT_COMMENT ? '#' : 'X',
		op->name, op->value ? " value \"" : "", op->value ? op->value : "",
		op->value ? "\"" : "");
	abort();
    }
}

/* is_space - the white space that starts a continuation line */

static int is_space(int ch)
{
    return (ch == ' ' || (ch >= '\t' && ch <= '\r'));
}

/* trim - a copy without white space at either end, as maincf trims */

static char *trim(const char *s)
{
    const char *end = s + strlen(s);

    while (is_space(*s))
	s++;
    while (end > s && is_space(end[-1]))
	end--;
    return (xstrndup(s, (size_t) (end - s)));
}

 /*
  * What postconf and Postfix take for a definition: a start line (not
  * white space first, not a comment), seen up to its first NUL, whose
  * name ends at " \t\r\n=" for postconf; Postfix also ends it at "\v"
  * and "\f".
  */
#define DEFINES_POSTCONF	0
#define DEFINES_ODD		1	/* name\v or name\f: they disagree */

/* defines - does a start line define name, in the sense given? */

static int defines(const char *text, size_t len, const char *name, int how)
{
    const char *cp = text, *end = text + len;
    size_t  nlen = strlen(name);

    while (cp < end) {
	const char *nl = memchr(cp, '\n', (size_t) (end - cp));
	size_t  n = strnlen(cp, (size_t) ((nl ? nl : end) - cp));

	if (n >= nlen && memcmp(cp, name, nlen) == 0) {
	    char    next = n > nlen ? cp[nlen] : 0;

	    if (how == DEFINES_POSTCONF && (next == 0 || strchr(" \t\r=", next)))
		return (1);
	    if (how == DEFINES_ODD && (next == '\v' || next == '\f'))
		return (1);
	}
	cp = nl ? nl + 1 : end;
    }
    return (0);
}

/* apply - one edit_apply() call into a fresh buffer */

static void apply(const strbuf *in, const struct edit_op *ops, size_t n, strbuf *out)
{
    sb_reset(out);
    edit_apply(in->s ? in->s : "", in->len, ops, n, out);
}

/* same - two buffers with the same bytes */

static int same(const strbuf *a, const strbuf *b)
{
    return (a->len == b->len && (a->len == 0 || memcmp(a->s, b->s, a->len) == 0));
}

/* check_op - the invariants of one operation, from in to out */

static void check_op(const strbuf *in, const strbuf *out, const struct edit_op *op)
{
    int     has_nul = in->len && memchr(in->s, 0, in->len) != 0;
    int     found = defines(in->s ? in->s : "", in->len, op->name, DEFINES_POSTCONF);
    int     odd = defines(in->s ? in->s : "", in->len, op->name, DEFINES_ODD);
    int     newline_end = in->len == 0 || in->s[in->len - 1] == '\n';
    strbuf  twice = STRBUF_INIT;
    MAINCF *cf;
    char   *err = 0;

    must(out->len == 0 || memchr(out->s, 0, out->len) == 0, "a NUL in the output", op);
    if (has_nul) {
	/* Lines joined where a NUL was can define anything ("a\0\na" is "aa"). */
	return;
    }
    if (op->kind != EDIT_SET)
	must(!defines(out->s ? out->s : "", out->len, op->name, DEFINES_POSTCONF),
	     "the name is still defined in the output", op);
    else if (found || newline_end)
	must(defines(out->s, out->len, op->name, DEFINES_POSTCONF),
	     "the name is not defined in the output", op);

    apply(out, op, 1, &twice);
    if (op->kind != EDIT_SET || found || newline_end)
	must(same(&twice, out), "the operation is not idempotent", op);
    sb_free(&twice);
    if (op->kind != EDIT_SET && !found)
	must(same(in, out), "a name defined nowhere, yet the text changed", op);
    if (op->kind == EDIT_SET && !found && newline_end)
	must(out->len == in->len + strlen(op->name) + strlen(op->value) + 4
	     && (in->len == 0 || memcmp(out->s, in->s, in->len) == 0),
	     "a new definition is not simply appended", op);

    /* What Postfix will read, where postconf's edit means what it says. */
    if (odd || (op->kind == EDIT_SET && !found && !newline_end))
	return;
    if ((cf = maincf_parse(out->s ? out->s : "", out->len, "fuzz", &err)) == 0) {
	free(err);
	return;
    }
    if (op->kind == EDIT_SET) {
	const char *got = maincf_get(cf, op->name);
	char   *want = trim(op->value);

	must(got != 0 && strcmp(got, want) == 0, "maincf reads another value", op);
	free(want);
    } else {
	must(maincf_get(cf, op->name) == 0, "maincf still finds a definition", op);
    }
    maincf_free(cf);
}

/* start_name - the name that the k-th start line defines, or NULL */

static char *start_name(const char *text, size_t len, int k)
{
    const char *cp = text, *end = text + len;

    while (cp < end) {
	const char *nl = memchr(cp, '\n', (size_t) (end - cp));
	size_t  n = strnlen(cp, (size_t) ((nl ? nl : end) - cp));

	if (n > 0 && !is_space(*cp) && *cp != '#' && k-- == 0) {
	    size_t  key_len = 0;

	    while (key_len < n && strchr(" \t\r=", cp[key_len]) == 0)
		key_len++;
	    return (xstrndup(cp, key_len));
	}
	cp = nl ? nl + 1 : end;
    }
    return (0);
}

/* parse_ops - the operation lines after the separator */

static size_t parse_ops(const char *cp, const char *end, struct edit_op *ops, strlist *mem)
{
    size_t  n = 0;

    while (cp < end && n < MAX_OPS) {
	const char *nl = memchr(cp, '\n', (size_t) (end - cp));
	char   *line = xstrndup(cp, strnlen(cp, (size_t) ((nl ? nl : end) - cp)));
	char   *eq;

	cp = nl ? nl + 1 : end;
	sl_add_owned(mem, line);
	if (line[0] == 0 || line[1] != ' ')
	    continue;
	switch (line[0]) {
	case 'e':
	    if ((eq = strchr(line + 2, '=')) == 0)
		continue;
	    *eq = 0;
	    ops[n++] = (struct edit_op) {EDIT_SET, line + 2, eq + 1};
	    break;
	case '#':
	    ops[n++] = (struct edit_op) {EDIT_COMMENT, line + 2, 0};
	    break;
	case 'X':
	    ops[n++] = (struct edit_op) {EDIT_REMOVE, line + 2, 0};
	    break;
	}
    }
    return (n);
}

/* made_up_ops - operations on the text's own parameters */

static size_t made_up_ops(const char *text, size_t len, struct edit_op *ops, strlist *mem)
{
    static const enum edit_kind kinds[] = {EDIT_SET, EDIT_COMMENT, EDIT_REMOVE};
    size_t  n = 0;
    char   *name;

    for (int k = 0; k < 3; k++) {
	if ((name = start_name(text, len, k)) == 0)
	    break;
	sl_add_owned(mem, name);
	ops[n++] = (struct edit_op) {kinds[k], name, kinds[k] == EDIT_SET ? " new value " : 0};
    }
    ops[n++] = (struct edit_op) {EDIT_SET, "fuzz_new_parameter", "$myhostname"};
    return (n);
}

/* LLVMFuzzerTestOneInput - one input */

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *) data, *end = text + size;
    const char *sep = 0, *cp;
    struct edit_op ops[MAX_OPS], ok[MAX_OPS];
    strlist mem = STRLIST_INIT;
    strbuf  cur = STRBUF_INIT, next = STRBUF_INIT, all = STRBUF_INIT;
    size_t  text_len, nops, nok = 0;

    /* The last separator, so the text may hold one too. */
    for (cp = text; (cp = memmem(cp, (size_t) (end - cp), SEPARATOR, 4)) != 0; cp++)
	sep = cp;
    if (sep) {
	text_len = (size_t) (sep - text) + 1;
	nops = parse_ops(sep + 4, end, ops, &mem);
    } else if (size >= 3 && memcmp(text, "%%\n", 3) == 0) {
	text_len = 0;
	nops = parse_ops(text + 3, end, ops, &mem);
    } else {
	text_len = size;
	nops = made_up_ops(text, size, ops, &mem);
    }

    sb_add(&cur, text, text_len);
    for (size_t i = 0; i < nops; i++) {
	if (edit_check(ops + i) != 0)
	    continue;
	ok[nok++] = ops[i];
	apply(&cur, ops + i, 1, &next);
	check_op(&cur, &next, ops + i);
	strbuf  swap = cur;

	cur = next;
	next = swap;
    }

    /* One call with every operation: the same as one call each. */
    sb_reset(&next);
    sb_add(&next, text, text_len);
    apply(&next, ok, nok, &all);
    if (nok)
	must(same(&all, &cur), "all operations at once differ from one at a time", ok);
    sb_free(&cur);
    sb_free(&next);
    sb_free(&all);
    sl_free(&mem);
    return (0);
}
