/*
 * NAME
 *	nosleep.so 3
 * SUMMARY
 *	take the second out of the reference's fatal errors
 * SYNOPSIS
 *	LD_PRELOAD=build/diff/nosleep.so /usr/sbin/postmulti ...
 * DESCRIPTION
 *	Postfix's msg_fatal() sleeps one second before it exits. The
 *	differential suite asks Debian's postmulti thousands of questions
 *	whose answer is a fatal error, and the second would cost it hours.
 *	Preloaded, this sleep() returns at once; it changes nothing else the
 *	suite looks at (exit status, output, files).
 *
 *	In a process named postmulti, its constructor removes LD_PRELOAD
 *	from the environment, so the programs postmulti runs (postconf,
 *	postfix, postmulti-script) run as they are. In any other process
 *	(ptyrun, which runs postmulti) it stays, for postmulti to inherit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* unpreload - postmulti's children run without this library */
__attribute__((constructor))
static void unpreload(void)
{
    if (strcmp(program_invocation_short_name, "postmulti") == 0)
	unsetenv("LD_PRELOAD");
}

/* sleep - return at once */
unsigned int sleep(unsigned int seconds)
{
    (void) seconds;
    return (0);
}
