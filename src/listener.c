/*
 * NAME
 *	listener 3
 * SUMMARY
 *	the addresses and ports that an inet service binds
 * SYNOPSIS
 *	#include "listener.h"
 *
 *	int	listener_port(text)
 *	const char *text;
 *
 *	int	listeners_add(ls, host, port, v4, v6)
 *	struct listeners *ls;
 *	const char *host;
 *	int	port;
 *	int	v4;
 *	int	v6;
 *
 *	int	listener_overlap(a, b)
 *	const struct listener *a;
 *	const struct listener *b;
 *
 *	char	*listener_show(l)
 *	const struct listener *l;
 * DESCRIPTION
 *	What lint(3) needs to tell whether two services bind the same
 *	socket.
 *
 *	listener_port() returns the port that a number or a name from the
 *	services database ("smtp") stands for, or -1 when none.
 *
 *	listeners_add() appends the listeners of one host on port, in
 *	the families asked for (v4, v6): the host may be in brackets;
 *	empty, "*" and "all" are the wildcard of each family,
 *	"loopback-only" is 127.0.0.1 and ::1; an address is itself; a
 *	name is every address that the resolver gives for it. The result
 *	is 0 when the host cannot be resolved, else 1.
 *
 *	listener_overlap() tells whether two listeners bind the same
 *	thing: same family and port, and the same address or one of them
 *	the wildcard. Postfix binds IPv6 sockets to IPv6 only, so the
 *	families never overlap.
 *
 *	listener_show() returns "address:port" ("[address]:port" for
 *	IPv6) in new memory.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "listener.h"
#include "util.h"

/* add - one listener for a parsed address */

static void add(struct listeners *ls, int family, int any, const void *addr, int port)
{
    struct listener *l;

    ls->v = xrealloc(ls->v, (ls->n + 1) * sizeof(*ls->v));
    l = ls->v + ls->n++;
    memset(l, 0, sizeof(*l));
    l->family = family;
    l->any = any;
    if (addr)
	memcpy(l->addr, addr, family == AF_INET ? 4 : 16);
    l->port = port;
}

/* listeners_add - the listeners of one host or address, in the families used */

int     listeners_add(struct listeners *ls, const char *host, int port, int v4, int v6)
{
    char   *bare = xstrdup(host);
    size_t  len = strlen(bare);
    unsigned char addr[16];
    struct addrinfo hints, *res, *ai;
    int     ok = 0;

    if (len >= 2 && bare[0] == '[' && bare[len - 1] == ']') {
	memmove(bare, bare + 1, len - 2);
	bare[len - 2] = 0;
    }
    if (*bare == 0 || strcmp(bare, "*") == 0 || strcasecmp(bare, "all") == 0) {
	if (v4)
	    add(ls, AF_INET, 1, 0, port);
	if (v6)
	    add(ls, AF_INET6, 1, 0, port);
	ok = 1;
    } else if (strcasecmp(bare, "loopback-only") == 0) {
	if (v4 && inet_pton(AF_INET, "127.0.0.1", addr) == 1)
	    add(ls, AF_INET, 0, addr, port);
	if (v6 && inet_pton(AF_INET6, "::1", addr) == 1)
	    add(ls, AF_INET6, 0, addr, port);
	ok = 1;
    } else if (inet_pton(AF_INET, bare, addr) == 1) {
	if (v4)
	    add(ls, AF_INET, 0, addr, port);
	ok = 1;
    } else if (inet_pton(AF_INET6, bare, addr) == 1) {
	if (v6)
	    add(ls, AF_INET6, 0, addr, port);
	ok = 1;
    } else {
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(bare, 0, &hints, &res) == 0) {
	    for (ai = res; ai; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET && v4)
		    add(ls, AF_INET, 0,
			&((struct sockaddr_in *) ai->ai_addr)->sin_addr, port);
		else if (ai->ai_family == AF_INET6 && v6)
		    add(ls, AF_INET6, 0,
			&((struct sockaddr_in6 *) ai->ai_addr)->sin6_addr, port);
	    }
	    freeaddrinfo(res);
	    ok = 1;
	}
    }
    free(bare);
    return (ok);
}

/* listener_port - a port number or service name; -1 when unknown */

int     listener_port(const char *text)
{
    struct servent *se;
    char   *end;
    long    port;

    if (*text >= '0' && *text <= '9') {
	port = strtol(text, &end, 10);
	return (*end == 0 && port > 0 && port < 65536 ? (int) port : -1);
    }
    if (*text && (se = getservbyname(text, "tcp")) != 0)
	return (ntohs((unsigned short) se->s_port));
    return (-1);
}

/* listener_overlap - do two listeners bind the same thing? */

int     listener_overlap(const struct listener *a, const struct listener *b)
{
    return (a->family == b->family && a->port == b->port
	    && (a->any || b->any
		|| memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16) == 0));
}

/* listener_show - an address and port, as new memory */

char   *listener_show(const struct listener *l)
{
    char    addr[INET6_ADDRSTRLEN];

    if (l->any)
	return (xasprintf(l->family == AF_INET ? "0.0.0.0:%d" : "[::]:%d", l->port));
    inet_ntop(l->family, l->addr, addr, sizeof(addr));
    return (xasprintf(l->family == AF_INET ? "%s:%d" : "[%s]:%d", addr, l->port));
}
