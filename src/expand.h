/*
 * NAME
 *	expand 3h
 * SUMMARY
 *	the "$name" expansion engine, over a lookup callback
 * SYNOPSIS
 *	#include "expand.h"
 */
#ifndef EXPAND_H
#define EXPAND_H

#include <stddef.h>
#include "util.h"

 /*
  * What the engine asks of its caller. lookup() gives a name's value
  * (NULL: nothing defines it) and returns 0, or returns -1 with *err set
  * to a whole message; depth is the number of texts being expanded now,
  * for a lookup that expands texts of its own (expand_text(), depth
  * passed on). where() appends to msg what a message about the text of
  * param says first (param is NULL for a text given to expand_text()).
  */
typedef struct expand_ops {
    int     (*lookup) (void *context, const char *name, int depth,
		               const char **value, char **err);
    void    (*where) (void *context, const char *param, strbuf *msg);
} EXPAND_OPS;

 /*
  * Texts nested deeper than this are an error (Postfix's limit), as are
  * more than EXPAND_DEPTH_LIMIT texts being expanded at once.
  */
#define EXPAND_NESTING_LIMIT	100
#define EXPAND_DEPTH_LIMIT	2000

int     expand_text(const EXPAND_OPS *, void *, int, const char *,
		            const char *, const char *, strbuf *, char **);
int     expand_name(const EXPAND_OPS *, void *, int, const char *,
		            strbuf *, char **);
int     expand_fail(const EXPAND_OPS *, void *, const char *, char **,
		            const char *,...) __attribute__((format(printf, 5, 6)));

#endif
