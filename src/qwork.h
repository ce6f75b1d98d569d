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
  * For the unit tests: the display form of an address as showq makes
  * it (quoted local part, then printable), and the filters' matching.
  */
void    qwork_display(strbuf *, const char *, size_t, const char *, int);
void    qwork_printable(char *, int);
int     qwork_addr_match(const char *, const char *, int);
long long qwork_duration(const char *);
long long qwork_size(const char *);
void    qwork_hash_chars(const char *, char *, size_t);

#endif
