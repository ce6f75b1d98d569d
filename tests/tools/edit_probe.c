/*
 * NAME
 *	edit_probe 1
 * SUMMARY
 *	apply postconf-style edits to a file, for the tests
 * SYNOPSIS
 *	edit_probe [-w] file op...
 *
 *	op: -e name=value | -# name | -X name
 * DESCRIPTION
 *	Reads the file, applies all operations, in order, with one
 *	edit_apply() call, and prints the result on standard output, or
 *	with -w replaces the file with it through cf_replace().
 *
 *	"name=value" is split the way postconf -e splits it: leading
 *	whitespace is skipped, the name ends at whitespace or "=", only
 *	whitespace may follow it before the "=", and the value loses
 *	leading and trailing whitespace (space, tab, CR, newline). As
 *	postconf does, a name for -# or -X loses leading whitespace, and
 *	an argument with a newline is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "edit.h"
#include "cfwrite.h"
#include "msg.h"
#include "util.h"

#define SPACE	" \t\r\n"

/* usage - explain and exit */

static __attribute__((noreturn)) void usage(void)
{
    msg_fatal("usage: edit_probe [-w] file (-e name=value | -# name | -X name)...");
}

/* split_nameval - split "name = value" in place, as postconf -e does */

static void split_nameval(char *arg, struct edit_op *op)
{
    char   *cp = arg + strspn(arg, SPACE);
    char   *name = cp;
    char   *value;
    char   *ep;

    cp += strcspn(cp, SPACE "=");
    if (cp == name)
	msg_fatal("missing parameter name: \"%s\"", arg);
    ep = cp;
    cp += strspn(cp, SPACE);
    if (*cp != '=')
	msg_fatal("missing '=' after parameter name: \"%s\"", arg);
    *ep = 0;
    value = cp + 1 + strspn(cp + 1, SPACE);
    for (ep = value + strlen(value); ep > value && strchr(SPACE, ep[-1]); ep--)
	 /* void */ ;
    *ep = 0;
    op->name = name;
    op->value = value;
}

/* main - parse operations, edit, print or replace */

int     main(int argc, char **argv)
{
    struct edit_op *ops;
    size_t  nops = 0;
    strbuf  in = STRBUF_INIT;
    strbuf  out = STRBUF_INIT;
    const char *path;
    const char *why;
    char   *err;
    int     in_place = 0;
    int     i;

    i = 1;
    if (i < argc && strcmp(argv[i], "-w") == 0) {
	in_place = 1;
	i++;
    }
    if (i >= argc)
	usage();
    path = argv[i++];
    if ((argc - i) % 2 != 0)
	usage();
    ops = xcalloc((size_t) (argc - i) / 2 + 1, sizeof(*ops));
    for (; i < argc; i += 2) {
	struct edit_op *op = ops + nops++;
	char   *arg = argv[i + 1];

	if (strchr(arg, '\n') != 0)
	    msg_fatal("-e, -X, or -# accepts no multi-line input");
	if (strcmp(argv[i], "-e") == 0) {
	    op->kind = EDIT_SET;
	    split_nameval(arg, op);
	} else if (strcmp(argv[i], "-#") == 0 || strcmp(argv[i], "-X") == 0) {
	    op->kind = argv[i][1] == '#' ? EDIT_COMMENT : EDIT_REMOVE;
	    op->name = arg + strspn(arg, SPACE);
	} else {
	    usage();
	}
	if ((why = edit_check(op)) != 0)
	    msg_fatal("%s %s: %s", argv[i], arg, why);
    }

    if (read_file(path, &in, 64 << 20) < 0)
	msg_fatal("open %s for reading: %s", path, strerror(errno));
    edit_apply(in.s, in.len, ops, nops, &out);
    if (in_place) {
	if (cf_replace(path, out.s, out.len, &err) < 0)
	    msg_fatal("%s", err);
    } else if (fwrite(out.s, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
	msg_fatal("write standard output: %s", strerror(errno));
    }
    sb_free(&in);
    sb_free(&out);
    free(ops);
    return (0);
}
