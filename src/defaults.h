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

const char *default_value(const char *);

#endif
