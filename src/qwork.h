/*
 * NAME
 *	qwork 3h
 * SUMMARY
 *	queue work: list, select and act on the messages of every instance
 * SYNOPSIS
 *	#include "qwork.h"
 */
#ifndef QWORK_H
#define QWORK_H

#include "iterate.h"

int     qwork_action_known(const char *);
int     qwork_run(struct insttab *, const struct iteration *, const char *, char **, int);

 /*
  * For the unit tests: the filters' matching and values, and where a
  * queue ID's defer log is.
  */
int     qwork_addr_match(const char *, const char *, int);
long long qwork_duration(const char *);
long long qwork_size(const char *);
void    qwork_hash_chars(const char *, char *, size_t);

#endif
