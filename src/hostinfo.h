/*
 * NAME
 *	hostinfo 3h
 * SUMMARY
 *	the host facts that some parameter defaults come from
 * SYNOPSIS
 *	#include "hostinfo.h"
 */
#ifndef HOSTINFO_H
#define HOSTINFO_H

const char *host_name(char **);
char   *host_networks(const char *, const char *, const char *, char **);

#endif
