/*
 * NAME
 *	listener 3h
 * SUMMARY
 *	the addresses and ports that an inet service binds
 * SYNOPSIS
 *	#include "listener.h"
 */
#ifndef LISTENER_H
#define LISTENER_H

 /*
  * One address and port that a service binds.
  */
struct listener {
    int     family;			/* AF_INET or AF_INET6 */
    int     any;			/* the wildcard of its family */
    unsigned char addr[16];
    int     port;
};

 /*
  * The listeners of one service.
  */
struct listeners {
    struct listener *v;
    size_t  n;
};

int     listener_port(const char *);
int     listeners_add(struct listeners *, const char *, int, int, int);
int     listener_overlap(const struct listener *, const struct listener *);
char   *listener_show(const struct listener *);

#endif
