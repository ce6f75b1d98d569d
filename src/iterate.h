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

 /*
  * The walk: which instances, in which order, and what happened.
  */
struct walk {
    struct insttab *tab;
    const struct iteration *it;
    size_t  next;			/* steps taken */
    int     healthy_match;		/* -i found a healthy instance */
    int     matches;
    int     failed;
    int     damaged;			/* selected, skipped with a warning */
};

void    walk_init(struct walk *, struct insttab *, const struct iteration *);
struct instance *walk_next(struct walk *, int);
void    walk_no_match(const struct walk *, const char *, const char *) __attribute__((noreturn));

struct master_state;
void    health_warn(const struct instance *, const struct master_state *, const char *);

int     iterate_list(struct insttab *, const struct iteration *);
int     iterate_command(struct insttab *, const struct iteration *, char **);
int     iterate_postfix(struct insttab *, const struct iteration *, char **);

#endif
