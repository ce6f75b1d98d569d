/*
 * NAME
 *	queue 3h
 * SUMMARY
 *	count the messages in an instance's queues
 * SYNOPSIS
 *	#include "queue.h"
 */
#ifndef QUEUE_H
#define QUEUE_H

 /*
  * The queues that hold messages, in the order they are reported.
  */
enum queue_kind {
    QUEUE_MAILDROP,
    QUEUE_INCOMING,
    QUEUE_ACTIVE,
    QUEUE_DEFERRED,
    QUEUE_HOLD,
    QUEUE_CORRUPT,
    QUEUE_KINDS,
};

struct queue_counts {
    long    n[QUEUE_KINDS];
    char   *why;			/* why the counts are unknown */
};

extern const char *const queue_names[QUEUE_KINDS];

struct stat;
typedef void (*queue_visit_fn) (int, int, const char *, int, const struct stat *, void *);

#define QUEUE_WALK_OPEN	(1<<0)		/* visit gets each file open */

int     queue_count(const char *, struct queue_counts *);
int     queue_walk(const char *, struct queue_counts *, int, queue_visit_fn, void *);
void    queue_counts_free(struct queue_counts *);
int     queue_id_ok(const char *);
int     queue_hash_dir(const char *);
int     queue_subdir(const char *);
int     queue_holds_mail(const char *);

#endif
