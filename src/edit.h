/*
 * NAME
 *	edit 3h
 * SUMMARY
 *	change main.cf text as postconf -e, -# and -X do
 * SYNOPSIS
 *	#include "edit.h"
 */
#ifndef EDIT_H
#define EDIT_H

#include <sys/types.h>			/* util.h needs ssize_t */

#include "util.h"

enum edit_kind {
    EDIT_SET,				/* postconf -e "name = value" */
    EDIT_COMMENT,			/* postconf -# name */
    EDIT_REMOVE,			/* postconf -X name */
};

struct edit_op {
    enum edit_kind kind;
    const char *name;
    const char *value;			/* EDIT_SET only */
};

void    edit_apply(const char *, size_t, const struct edit_op *, size_t, strbuf *);
const char *edit_check(const struct edit_op *);
int     edit_ends_text(const char *);

#endif
