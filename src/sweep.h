/*
 * NAME
 *	sweep 3h
 * SUMMARY
 *	clear an instance directory of what Postfix made in it
 * SYNOPSIS
 *	#include "sweep.h"
 */
#ifndef SWEEP_H
#define SWEEP_H

#include <stddef.h>
#include "util.h"

enum role {
    ROLE_QUEUE,				/* the queue directory */
    ROLE_MESSAGES,			/* a queue subdirectory with mail */
    ROLE_LOGS,				/* another queue subdirectory */
    ROLE_PID,				/* queue/pid: pid and lock files */
    ROLE_SOCKETS,			/* queue/private, queue/public */
    ROLE_DATA,				/* the data directory */
    ROLE_CHROOT,			/* queue/etc, lib, usr: system file copies */
};

/* What destroy leaves in place, and why: two parallel lists. */
struct leftovers {
    strlist path;
    strlist why;
};

#define LEFT_FOREIGN	"not created by Postfix"
#define LEFT_NOT_EMPTY	"not empty"
#define LEFT_QUEUE_LOG	"a log file of the mail queue"

struct sweep {
    int     act;
    size_t  messages;			/* files where mail lives */
    char   *refuse;			/* look: why destroy must not go on */
    char   *error;			/* act: the first removal that failed */
    strlist removed;
    struct leftovers *left;
    size_t  root;			/* length of the queue directory's path */
};

void    sweep(struct sweep *, const char *, enum role);
char   *sweep_writable(int, const char *, const char *);
void    sweep_tops(const strlist *, strlist *);
void    sweep_leave(struct leftovers *, const char *, int);
int     sweep_stays(struct leftovers *, const char *, const strlist *);
void    left_add(struct leftovers *, const char *, const char *);
void    left_free(struct leftovers *);

#endif
