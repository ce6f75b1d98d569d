/*
 * NAME
 *	llines 3h
 * SUMMARY
 *	logical lines of a configuration text
 * SYNOPSIS
 *	#include "llines.h"
 */
#ifndef LLINES_H
#define LLINES_H

#include <stddef.h>

#include "util.h"

 /*
  * What llines_next() found.
  */
#define LLINES_ERROR	(-1)		/* a NUL byte; *err says where */
#define LLINES_END	0		/* no more lines */
#define LLINES_LINE	1		/* a logical line */
#define LLINES_ORPHAN	2		/* a continuation line without one */

typedef struct llines {
    const char *origin;			/* names the text in messages */
    const char *cp;			/* the next physical line */
    const char *end;
    size_t  nul_line;			/* of the first NUL byte, or 0 */
    size_t  lineno;			/* physical lines read */
    strbuf  line;			/* what llines_next() returned */
} LLINES;

void    llines_init(LLINES *, const char *, size_t, const char *);
int     llines_next(LLINES *, const char **, size_t *, size_t *, char **);
void    llines_free(LLINES *);

#endif
