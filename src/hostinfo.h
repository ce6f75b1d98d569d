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

#define HOST_IPV4	1		/* host_protocols() */
#define HOST_IPV6	2

const char *host_name(char **);
int     host_protocols(const char *, char **);
char   *host_networks(const char *, const char *, const char *, char **);

#endif
