/*
 * NAME
 *	ptab 3h
 * SUMMARY
 *	the parameter table of a main.cf file
 * SYNOPSIS
 *	#include "ptab.h"
 */
#ifndef PTAB_H
#define PTAB_H

#include <stddef.h>

struct ptab_entry {
    char   *name;
    char   *value;
    size_t  line;			/* where defined; 0: not from the file */
};

typedef struct ptab {
    struct ptab_entry *tab;		/* open addressing, power of 2 */
    size_t  cap;			/* 0: empty */
    size_t  count;
} PTAB;

#define PTAB_INIT	{.tab = 0, .cap = 0, .count = 0}

int     ptab_parse(PTAB *, const char *, size_t, const char *, char **);
void    ptab_store(PTAB *, char *, char *, size_t);
const struct ptab_entry *ptab_find(const PTAB *, const char *);
void    ptab_free(PTAB *);

#endif
