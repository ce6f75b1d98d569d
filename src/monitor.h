/*
 * NAME
 *	monitor 3h
 * SUMMARY
 *	every instance's queues for Prometheus and monitoring plugins
 * SYNOPSIS
 *	#include "monitor.h"
 */
#ifndef MONITOR_H
#define MONITOR_H

#include "iterate.h"

int     monitor_metrics(struct insttab *, const struct iteration *, const char *);
void    monitor_check_setup(void);
int     monitor_check(struct insttab *, const struct iteration *, const char *, const char *);

#endif
