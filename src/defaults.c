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
 * DESCRIPTION
 *	default_value() returns the compiled-in default of a main.cf
 *	parameter, unexpanded, as "postconf -d" prints it; NULL when
 *	the installed Postfix knows no such parameter.
 *
 *	The table is generated at build time from the installed
 *	Postfix (tools/gendefaults.sh), so that reading a main.cf never
 *	needs a postconf process. The few defaults that depend on the
 *	host or the process are computed here when first asked for.
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

/* host_default - defaults computed when the program runs */

static const char *host_default(const char *name)
{
    static char hostname[256], domain[256], pid[32];

    if (hostname[0] == 0) {
	if (gethostname(hostname, sizeof(hostname) - 1) < 0 || hostname[0] == 0)
	    strcpy(hostname, "localhost");
	hostname[sizeof(hostname) - 1] = 0;
	/* Like Postfix: a name without a domain gets "localdomain". */
	if (strchr(hostname, '.') == 0 && strlen(hostname) < 200)
	    strcat(hostname, ".localdomain");
	const char *dot = strchr(hostname, '.');

	snprintf(domain, sizeof(domain), "%s", dot ? dot + 1 : "localdomain");
	snprintf(pid, sizeof(pid), "%ld", (long) getpid());
    }
    if (strcmp(name, "myhostname") == 0)
	return (hostname);
    if (strcmp(name, "mydomain") == 0)
	return (domain);
    if (strcmp(name, "process_id") == 0)
	return (pid);
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
