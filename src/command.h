/*
 * NAME
 *	command 3h
 * SUMMARY
 *	run commands and build their environment
 * SYNOPSIS
 *	#include "command.h"
 */
#ifndef COMMAND_H
#define COMMAND_H

#include "util.h"

#define COMMAND_ROOT_PATH	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

void    env_inherit(strlist *);
void    env_set(strlist *, const char *, const char *);
void    env_import(strlist *, const char *);
#define COMMAND_QUIET	(1<<0)	/* output to /dev/null */

char   *command_search(const char *, const char *);
int     command_run(const char *, char **, const strlist *, int);
int     command_run_io(const char *, char **, const strlist *, int, int);

#endif
