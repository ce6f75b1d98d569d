/*
 * NAME
 *	fault 3h
 * SUMMARY
 *	crash injection for the fault tests
 * SYNOPSIS
 *	#include "fault.h"
 *
 *	void	fault_point(const char *where)
 * DESCRIPTION
 *	Life-cycle mode calls fault_point() between any two changes it
 *	makes to the file system. In the test build (compiled with
 *	-DPOSTMULTI_FAULTS) the Nth call kills the process with SIGKILL
 *	when POSTMULTI_FAULT_AT=N is in the environment, and every call
 *	is reported on stderr when POSTMULTI_FAULT_AT=list, so that the
 *	tests can crash the program at every write step in turn. In the
 *	release build it does nothing.
 */
#ifndef FAULT_H
#define FAULT_H

#ifdef POSTMULTI_FAULTS
void    fault_point(const char *);

#else
#define fault_point(where)	((void) 0)
#endif

#endif
