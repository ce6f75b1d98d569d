/*
 * NAME
 *	master 3
 * SUMMARY
 *	is an instance's master process running?
 * SYNOPSIS
 *	#include "master.h"
 *
 *	void	master_state(queue_dir, state)
 *	const char *queue_dir;
 *	struct master_state *state;
 *
 *	const char *master_state_name(state)
 * DESCRIPTION
 *	master_state() tells whether the instance's master process runs,
 *	without a "postfix status" process: it reads the pid that
 *	master(8) writes to $queue_directory/pid/master.pid and checks
 *	that the process exists and is a Postfix master (its command
 *	name is "master"), since a stale pid file may name a pid that
 *	some other program has since been given.
 *
 *	master_state_name() is "running", "stopped" (also when a pid
 *	file is left over: master(8) does not remove it when it stops)
 *	or "unknown" (the pid file could not be read: state->why says
 *	why).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "master.h"
#include "msg.h"
#include "util.h"

/* is_master - is pid a live Postfix master process? */

static int is_master(pid_t pid)
{
    char    path[64], comm[64];
    strbuf  text = STRBUF_INIT;
    int     yes;

    if (kill(pid, 0) < 0 && errno != EPERM)
	return (0);
    snprintf(path, sizeof(path), "/proc/%ld/comm", (long) pid);
    if (read_file(path, &text, sizeof(comm)) < 0) {
	sb_free(&text);
	/* No /proc: the process exists, trust the pid file. */
	return (1);
    }
    yes = strcmp(text.s, "master\n") == 0 || strcmp(text.s, "master") == 0;
    sb_free(&text);
    return (yes);
}

/* master_state - find out whether an instance's master runs */

void    master_state(const char *queue_dir, struct master_state *ms)
{
    char   *path = xasprintf("%s/pid/master.pid", queue_dir);
    strbuf  text = STRBUF_INIT;
    char   *end;
    long    pid;

    memset(ms, 0, sizeof(*ms));
    if (read_file(path, &text, 4096) < 0) {
	if (errno == ENOENT) {
	    ms->run = MASTER_STOPPED;
	} else {
	    ms->run = MASTER_UNKNOWN;
	    snprintf(ms->why, sizeof(ms->why), "read %s: %s", path, strerror(errno));
	}
    } else {
	errno = 0;
	pid = strtol(text.s, &end, 10);
	while (isspace((unsigned char) *end))
	    end++;
	if (errno || *end || pid <= 1 || (pid_t) pid != pid) {
	    ms->run = MASTER_UNKNOWN;
	    snprintf(ms->why, sizeof(ms->why), "%s: no process id", path);
	} else if (is_master((pid_t) pid)) {
	    ms->run = MASTER_RUNNING;
	    ms->pid = (pid_t) pid;
	} else {
	    ms->run = MASTER_STOPPED;
	}
    }
    sb_free(&text);
    free(path);
}

/* master_state_name - the state as a word */

const char *master_state_name(const struct master_state *ms)
{
    static const char *names[] = {"stopped", "running", "unknown"};

    if ((size_t) ms->run >= sizeof(names) / sizeof(names[0]))
	msg_panic("master_state_name: state %d", (int) ms->run);
    return (names[ms->run]);
}
