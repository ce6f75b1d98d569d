/*
 * NAME
 *	diff 3h
 * SUMMARY
 *	unified diff of two texts
 * SYNOPSIS
 *	#include "diff.h"
 */
#ifndef DIFF_H
#define DIFF_H

#include <stddef.h>
#include "util.h"

void    diff_unified(strbuf *, const char *, size_t, const char *, size_t,
		             const char *, const char *);

#endif
