/*
 * NAME
 *	defaults 3
 * SUMMARY
 *	compiled-in parameter defaults
 * SYNOPSIS
 *	#include "defaults.h"
 *
 *	const char *default_value(name)
 *	const char *name;
 *
 *	const char *default_name(index)
 *	size_t	index;
 * DESCRIPTION
 *	default_value() returns the compiled-in default of a main.cf
 *	parameter, unexpanded, as "postconf -d" prints it; NULL when
 *	the installed Postfix knows no such parameter.
 *
 *	The table is generated at build time from the installed
 *	Postfix (tools/gendefaults.sh), so that reading a main.cf never
 *	needs a postconf process. process_id and process_name are
 *	computed here; the defaults that depend on the host (myhostname,
 *	mydomain, mynetworks) are not in the table: they depend on the
 *	main.cf being read too, and maincf(3) computes them.
 *
 *	default_name() walks the table: the name of entry index, in
 *	byte order, or NULL past the end.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdio.h>

#include "defaults.h"
#include "util.h"

struct dflt {
    const char *name;
    const char *value;
};

static const struct dflt table[] = {
#include "defaults.inc"
};

/* compare - bsearch helper */

static int compare(const void *key, const void *elem)
{
    return (strcmp((const char *) key, ((const struct dflt *) elem)->name));
}

/* host_default - defaults that name the running process */

static const char *host_default(const char *name)
{
    static char pid[32];

    /*
     * myhostname, mydomain and mynetworks depend on the host and on the
     * main.cf being read: maincf(3) computes them (see hostinfo(3)).
     */
    if (strcmp(name, "process_id") == 0) {
	if (pid[0] == 0)
	    snprintf(pid, sizeof(pid), "%ld", (long) getpid());
	return (pid);
    }
    if (strcmp(name, "process_name") == 0)
	return ("postmulti");
    return (0);
}

/* default_value - look up a compiled-in default */

const char *default_value(const char *name)
{
    const struct dflt *d;

    d = bsearch(name, table, sizeof(table) / sizeof(table[0]), sizeof(table[0]), compare);
    return (d ? d->value : host_default(name));
}

/* default_name - the name of a table entry, NULL past the end */

const char *default_name(size_t i)
{
    return (i < sizeof(table) / sizeof(table[0]) ? table[i].name : 0);
}
