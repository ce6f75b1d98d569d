/*
 * NAME
 *	lint 3h
 * SUMMARY
 *	check the multi-instance configuration for mistakes
 * SYNOPSIS
 *	#include "lint.h"
 */
#ifndef LINT_H
#define LINT_H

#include "instance.h"

#include "util.h"

#define LINT_ERRORS	1		/* exit status: an error */
#define LINT_WARNINGS	2		/* exit status: warnings only */

int     lint_run(struct insttab *, int, const strlist *);
int     lint_code_known(const char *);

#endif
