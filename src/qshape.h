/*
 * NAME
 *	qshape 3h
 * SUMMARY
 *	the age-by-domain table of Postfix's qshape
 * SYNOPSIS
 *	#include "qshape.h"
 */
#ifndef QSHAPE_H
#define QSHAPE_H

#include <stddef.h>
#include <sys/stat.h>

#include "util.h"

 /*
  * qshape's options; qshape_opts_default() sets qshape's defaults.
  */
struct qshape_opts {
    int     buckets;			/* -b: 1..QSHAPE_MAX_BUCKETS (10) */
    int     minutes;			/* -t: 1..QSHAPE_MAX_MINUTES (5) */
    int     linear;			/* -l: linear, not geometric (0) */
    int     senders;			/* -s: sender domains (0) */
    int     parents;			/* -p: parent domains too (0) */
    int     min_sub;			/* -m: 1.. (5) */
    int     width;			/* -w: below 80 means 80 (80) */
};

#define QSHAPE_MAX_BUCKETS	32
#define QSHAPE_MAX_MINUTES	1000000
#define QSHAPE_MAX_WIDTH	100000

typedef struct QSHAPE QSHAPE;

void    qshape_opts_default(struct qshape_opts *);
QSHAPE *qshape_create(long long);
QSHAPE *qshape_create_opts(long long, const struct qshape_opts *);
void    qshape_message(QSHAPE *, long long, const char *, const char *const *, size_t);
int     qshape_file(QSHAPE *, const char *, int, const struct stat *);
int     qshape_add(QSHAPE *, const QSHAPE *);
void    qshape_text(const QSHAPE *, strbuf *);
void    qshape_json(const QSHAPE *, strbuf *);
void    qshape_free(QSHAPE *);

 /*
  * For the unit tests: the table key of one address (qshape's domain).
  */
char   *qshape_domain(const char *);

#endif
