/*
 * NAME
 *	defaults 3h
 * SUMMARY
 *	compiled-in parameter defaults
 * SYNOPSIS
 *	#include "defaults.h"
 */
#ifndef DEFAULTS_H
#define DEFAULTS_H

#include <stddef.h>

const char *default_value(const char *);
const char *default_name(size_t);

#endif
