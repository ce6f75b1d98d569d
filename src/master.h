/*
 * NAME
 *	master 3h
 * SUMMARY
 *	is an instance's master process running?
 * SYNOPSIS
 *	#include "master.h"
 */
#ifndef MASTER_H
#define MASTER_H

#include <sys/types.h>

enum master_run {
    MASTER_STOPPED,			/* no pid file, or no such master */
    MASTER_RUNNING,			/* pid file, live master */
    MASTER_UNKNOWN,			/* can't tell: the reason is in why */
};

struct master_state {
    enum master_run run;
    pid_t   pid;			/* 0 when none */
    char    why[200];
};

void    master_state(const char *, struct master_state *);
const char *master_state_name(const struct master_state *);

#endif
