/*
 * NAME
 *	cfwrite 3h
 * SUMMARY
 *	locked, atomic replacement of configuration files
 * SYNOPSIS
 *	#include "cfwrite.h"
 */
#ifndef CFWRITE_H
#define CFWRITE_H

#include <stddef.h>

int     cf_lock(const char *, char **);
void    cf_unlock(int);
int     cf_replace(const char *, const char *, size_t, char **);
int     cf_clean(const char *, char **);
int     cf_check(const char *, char **);

#endif
