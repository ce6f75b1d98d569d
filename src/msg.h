/*
 * NAME
 *	msg 3h
 * SUMMARY
 *	diagnostics
 * SYNOPSIS
 *	#include "msg.h"
 */
#ifndef MSG_H
#define MSG_H

#include <stddef.h>

extern int msg_verbose;
extern int msg_fatal_status;
extern void (*msg_fatal_hook) (const char *);

void    msg_syslog_init(const char *, const char *);
void    msg_info(const char *,...) __attribute__((format(printf, 1, 2)));
void    msg_warn(const char *,...) __attribute__((format(printf, 1, 2)));
void    msg_fatal(const char *,...) __attribute__((format(printf, 1, 2), noreturn));
char   *msg_visible(const char *, size_t);
char   *msg_excerpt(const char *, size_t, size_t);
char   *msg_span(const char *, const char *);

#define MSG_EXCERPT_MAX	60		/* bytes of a configuration text quoted */
void    msg_panic(const char *,...) __attribute__((format(printf, 1, 2), noreturn));

#endif
