/*
 * NAME
 *	iterate 3h
 * SUMMARY
 *	iterator mode: -l, -x, -p
 * SYNOPSIS
 *	#include "iterate.h"
 */
#ifndef ITERATE_H
#define ITERATE_H

#include "instance.h"

struct iteration {
    struct selection sel;
    int     reverse;			/* -R */
    int     json;			/* -j */
    int     status;			/* -s */
    int     no_header;			/* -H */
};

int     iterate_list(struct insttab *, const struct iteration *);
int     iterate_command(struct insttab *, const struct iteration *, char **);
int     iterate_postfix(struct insttab *, const struct iteration *, char **);

#endif
