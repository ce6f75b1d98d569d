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

int     lint_run(struct insttab *, int);

#endif
