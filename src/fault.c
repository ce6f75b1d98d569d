/*
 * NAME
 *	fault 3
 * SUMMARY
 *	crash injection for the fault tests
 * SYNOPSIS
 *	#include "fault.h"
 * DESCRIPTION
 *	See fault.h. Only the test build defines POSTMULTI_FAULTS.
 */
#include "fault.h"

#ifdef POSTMULTI_FAULTS
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* fault_point - die here if the test asks for it */

void    fault_point(const char *where)
{
    static long count;
    const char *at = getenv("POSTMULTI_FAULT_AT");

    if (at == 0)
	return;
    count++;
    if (strcmp(at, "list") == 0) {
	fprintf(stderr, "postmulti: fault point %ld: %s\n", count, where);
	return;
    }
    if (atol(at) == count)
	kill(getpid(), SIGKILL);
}

#else

 /* ISO C wants something in every translation unit. */
typedef int fault_unused;

#endif
