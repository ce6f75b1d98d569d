/*
 * NAME
 *	maincf_int 3h
 * SUMMARY
 *	what maincf.c (reading) and expand.c (expansion) share
 * SYNOPSIS
 *	#include "maincf_int.h"
 * DESCRIPTION
 *	Not for other modules: they use maincf.h.
 */
#ifndef MAINCF_INT_H
#define MAINCF_INT_H

#include <stddef.h>

#include "maincf.h"

struct entry {
    char   *name;
    char   *value;
    size_t  line;			/* where defined; 0: not from the file */
};

 /*
  * The host-dependent defaults, computed when an expansion needs them;
  * maincf_computed_params[] names them in this order.
  */
enum computed {
    COMPUTED_MYHOSTNAME,
    COMPUTED_MYDOMAIN,
    COMPUTED_MYNETWORKS,
    COMPUTED_COUNT,
};

 /*
  * The host-dependent defaults, computed on first use: a cache that a
  * const MAINCF points to, so that filling it is no hidden mutation.
  */
struct maincf_cache {
    char   *computed[COMPUTED_COUNT];	/* host-dependent defaults, when needed */
    int     computing[COMPUTED_COUNT];	/* loop guard while computing one */
    int     services_read;		/* master.cf read (or tried) */
    struct mastercf *services;		/* its services, or null */
};

struct maincf {
    char   *origin;
    char   *config_dir;			/* maincf_load()'s, for master.cf; or null */
    struct entry *tab;			/* open addressing, power of 2 */
    size_t  cap;
    size_t  count;
    struct maincf_cache *cache;
};

 /*
  * ASCII only, as in Postfix: with a locale set, <ctype.h> could take a
  * high byte for white space or a letter, and read the file differently.
  */
#define IS_NAME_CHAR(c)	(((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') \
			 || ((c) >= '0' && (c) <= '9') || (c) == '_')

#define MAINCF_EXCERPT	60		/* bytes of a text quoted in a message */

extern const char *const maincf_raw_params[];
extern const char *const maincf_computed_params[];

int     maincf_listed(const char *const *, const char *);
const struct entry *maincf_file_entry(const MAINCF *, const char *);
char   *maincf_show(const char *, const char *);

#endif
