/*
 * NAME
 *	hostinfo 3
 * SUMMARY
 *	the host facts that some parameter defaults come from
 * SYNOPSIS
 *	#include "hostinfo.h"
 *
 *	const char *host_name(err)
 *	char	**err;
 *
 *	char	*host_networks(style, interfaces, protocols, err)
 *	const char *style;
 *	const char *interfaces;
 *	const char *protocols;
 *	char	**err;
 * DESCRIPTION
 *	The defaults of myhostname, mydomain and mynetworks depend on the
 *	host that Postfix runs on, so they are computed when the program
 *	runs, never at build time. maincf(3) asks for them when a main.cf
 *	does not set them, as postconf does. The answers are cached for
 *	the process: the host name and the interfaces once, the networks
 *	for the last three values asked for.
 *
 *	host_name() returns the host name (gethostname(2)), or NULL with
 *	a message in *err when it is not a name Postfix accepts: empty,
 *	longer than 255 bytes, a label longer than 63, a character other
 *	than a letter, digit, "-" or "_", an empty label, a label that
 *	starts or ends with "-", or all digits and dots. Postfix refuses
 *	to run with such a host name.
 *
 *	host_networks() returns the default of mynetworks as new memory:
 *	the networks of the addresses that inet_interfaces names ("all":
 *	every address of every interface that is up; "loopback-only": the loopback
 *	addresses; else addresses and host names), of the families that
 *	inet_protocols names ("all", "ipv4", "ipv6"; host_protocols()
 *	reads that list as Postfix does, case-sensitively, for the lint
 *	too), each as style says:
 *	"host" (the address alone), "subnet" (the interface's network),
 *	"class" (the class A, B or C network for IPv4, the subnet for
 *	IPv6). IPv4 networks come as "a.b.c.d/n", IPv6 ones as "[x::]/n",
 *	in the order of the interfaces' addresses, each once, each
 *	followed by one space, the last too: Postfix's value ends in a
 *	space, which a value that embeds $mynetworks keeps ("a,
 *	$mynetworks, b" is "a, 127.0.0.0/8 , b") and a comparison sees;
 *	postconf only hides it where it is the end of what it prints. The three
 *	arguments are the expanded parameter values. On a bad value, or
 *	an inet_interfaces address that no interface has, it returns NULL
 *	with a message in *err, where Postfix would refuse to run; also
 *	when no interface that is up has an address of those families.
 * SEE ALSO
 *	postconf(5): myhostname, mydomain, mynetworks, mynetworks_style,
 *	inet_interfaces, inet_protocols
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <net/if.h>
#include <sys/socket.h>

#include "hostinfo.h"
#include "msg.h"
#include "util.h"

#define HOST_NAME_LIMIT	255
#define HOST_LABEL_LIMIT 63

 /*
  * One address of a local interface, with its network prefix length.
  */
struct local_addr {
    int     family;			/* AF_INET or AF_INET6 */
    unsigned char addr[16];
    int     prefix;
};

static struct local_addr *local_addrs;
static size_t local_count;
static int local_loaded;

/* host_name_problem - why Postfix would refuse this host name, or NULL */

static const char *host_name_problem(const char *name)
{
    size_t  label = 0;
    int     non_numeric = 0;

    if (*name == 0)
	return ("empty host name");
    if (strlen(name) > HOST_NAME_LIMIT)
	return ("host name too long");
    for (const char *cp = name; *cp; cp++) {
	unsigned char ch = (unsigned char) *cp;

	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
	    || (ch >= '0' && ch <= '9') || ch == '_') {
	    if (++label > HOST_LABEL_LIMIT)
		return ("host name label too long");
	    if (ch < '0' || ch > '9')
		non_numeric = 1;
	} else if (ch == '.') {
	    if (label == 0 || cp[1] == 0)
		return ("misplaced delimiter");
	    label = 0;
	} else if (ch == '-') {
	    non_numeric = 1;
	    if (++label == 1 || cp[1] == 0 || cp[1] == '.')
		return ("misplaced hyphen");
	} else {
	    return ("invalid character");
	}
    }
    return (non_numeric ? 0 : "numeric host name");
}

/* host_name - the host name, if Postfix would accept it */

const char *host_name(char **err)
{
    static char name[HOST_NAME_LIMIT + 2];
    static const char *problem;
    static int done;

    if (!done) {
	if (gethostname(name, sizeof(name) - 1) < 0)
	    problem = strerror(errno);
	else
	    problem = host_name_problem(name);
	done = 1;
    }
    if (problem) {
	char   *shown = msg_excerpt(name, strnlen(name, 80), 80);

	*err = xasprintf("unable to use the host name \"%s\": %s", shown, problem);
	free(shown);
	return (0);
    }
    return (name);
}

/* prefix_length - the number of leading one bits of a netmask */

static int prefix_length(const unsigned char *mask, size_t len)
{
    int     bits = 0;

    for (size_t i = 0; i < len; i++) {
	for (int b = 7; b >= 0; b--) {
	    if ((mask[i] & (1 << b)) == 0)
		return (bits);
	    bits++;
	}
    }
    return (bits);
}

/* load_local_addrs - the addresses of the local interfaces, once */

static int load_local_addrs(char **err)
{
    struct ifaddrs *list, *ifa;
    size_t  cap = 0;

    if (local_loaded)
	return (0);
    if (getifaddrs(&list) < 0) {
	*err = xasprintf("cannot list the network interfaces: %s", strerror(errno));
	return (-1);
    }
    for (ifa = list; ifa; ifa = ifa->ifa_next) {
	struct local_addr *la;
	int     family;

	/* Like Postfix: an interface that is down does not count. */
	if (ifa->ifa_addr == 0 || ifa->ifa_netmask == 0 || (ifa->ifa_flags & IFF_UP) == 0)
	    continue;
	family = ifa->ifa_addr->sa_family;
	if (family != AF_INET && family != AF_INET6)
	    continue;
	if (local_count == cap) {
	    cap = cap ? 2 * cap : 16;
	    local_addrs = xrealloc(local_addrs, cap * sizeof(*local_addrs));
	}
	la = local_addrs + local_count++;
	memset(la, 0, sizeof(*la));
	la->family = family;
	if (family == AF_INET) {
	    memcpy(la->addr, &((struct sockaddr_in *) ifa->ifa_addr)->sin_addr, 4);
	    la->prefix = prefix_length((unsigned char *)
		     &((struct sockaddr_in *) ifa->ifa_netmask)->sin_addr, 4);
	} else {
	    memcpy(la->addr, &((struct sockaddr_in6 *) ifa->ifa_addr)->sin6_addr, 16);
	    la->prefix = prefix_length((unsigned char *)
		  &((struct sockaddr_in6 *) ifa->ifa_netmask)->sin6_addr, 16);
	}
    }
    freeifaddrs(list);
    local_loaded = 1;
    return (0);
}

/* is_loopback - 127.0.0.0/8 or ::1 */

static int is_loopback(const struct local_addr *la)
{
    static const unsigned char v6_loopback[16] = {[15] = 1};

    if (la->family == AF_INET)
	return (la->addr[0] == 127);
    return (memcmp(la->addr, v6_loopback, 16) == 0);
}

/* family_wanted - whether inet_protocols lets this family in */

static int family_wanted(int family, int protocols)
{
    return ((family == AF_INET && (protocols & HOST_IPV4))
	    || (family == AF_INET6 && (protocols & HOST_IPV6)));
}

/* add_network - append the network of one address as style says, once */

static void add_network(strlist *out, const struct local_addr *la, int style)
{
    unsigned char net[16];
    char    text[INET6_ADDRSTRLEN];
    int     prefix = la->prefix, width = (la->family == AF_INET ? 32 : 128);
    char   *entry;

    if (style == 'h') {
	prefix = width;
    } else if (style == 'c' && la->family == AF_INET) {
	prefix = (la->addr[0] & 0x80) == 0 ? 8 : (la->addr[0] & 0xc0) == 0x80 ? 16 :
	    (la->addr[0] & 0xe0) == 0xc0 ? 24 : 4;
    }
    memcpy(net, la->addr, 16);
    for (int bit = prefix; bit < width; bit++)
	net[bit / 8] &= (unsigned char) ~(0x80 >> (bit % 8));
    inet_ntop(la->family, net, text, sizeof(text));
    entry = la->family == AF_INET ? xasprintf("%s/%d", text, prefix)
	: xasprintf("[%s]/%d", text, prefix);
    if (sl_find(out, entry) < 0)
	sl_add_owned(out, entry);
    else
	free(entry);
}

/* addr_order - addresses in the order Postfix sorts them: family, then bytes */

static int addr_order(const void *a, const void *b)
{
    const struct local_addr *la = *(const struct local_addr *const *) a;
    const struct local_addr *lb = *(const struct local_addr *const *) b;

    if (la->family != lb->family)
	return (la->family < lb->family ? -1 : 1);
    return (memcmp(la->addr, lb->addr, la->family == AF_INET ? 4 : 16));
}

/* named_addr - collect the local addresses that one inet_interfaces word names */

static int named_addr(const struct local_addr ***found, size_t *nfound,
		              const char *word, int protocols, char **err)
{
    struct addrinfo hints, *res, *ai;
    char   *host = xstrdup(word);
    size_t  len = strlen(host);
    int     ret = 0;

    if (len > 2 && host[0] == '[' && host[len - 1] == ']') {
	memmove(host, host + 1, len - 2);
	host[len - 2] = 0;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = protocols == HOST_IPV4 ? AF_INET :
	protocols == HOST_IPV6 ? AF_INET6 : AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (protocols == 0 || getaddrinfo(host, 0, &hints, &res) != 0) {
	*err = xasprintf("parameter inet_interfaces: host not found: %s", word);
	free(host);
	return (-1);
    }
    for (ai = res; ai && ret == 0; ai = ai->ai_next) {
	struct local_addr want;
	size_t  i;

	memset(&want, 0, sizeof(want));
	want.family = ai->ai_family;
	if (ai->ai_family == AF_INET)
	    memcpy(want.addr, &((struct sockaddr_in *) ai->ai_addr)->sin_addr, 4);
	else if (ai->ai_family == AF_INET6)
	    memcpy(want.addr, &((struct sockaddr_in6 *) ai->ai_addr)->sin6_addr, 16);
	else
	    continue;
	for (i = 0; i < local_count; i++)
	    if (local_addrs[i].family == want.family
		&& memcmp(local_addrs[i].addr, want.addr, 16) == 0)
		break;
	if (i == local_count) {
	    char    text[INET6_ADDRSTRLEN];

	    inet_ntop(want.family, want.addr, text, sizeof(text));
	    *err = xasprintf("parameter inet_interfaces: no local interface found for %s",
			     text);
	    ret = -1;
	} else {
	    *found = xrealloc(*found, (*nfound + 1) * sizeof(**found));
	    (*found)[(*nfound)++] = local_addrs + i;
	}
    }
    freeaddrinfo(res);
    free(host);
    return (ret);
}

/* host_protocols - inet_protocols as Postfix reads it: HOST_IPV4|HOST_IPV6, or -1 */

int     host_protocols(const char *text, char **err)
{
    strlist words = STRLIST_INIT;
    int     protocols = 0;

    /* Postfix compares the names case-sensitively: "IPv4" is refused. */
    sl_split(&words, text, LIST_SEPARATORS);
    for (size_t i = 0; i < words.n; i++) {
	if (strcmp(words.v[i], "all") == 0) {
	    protocols |= HOST_IPV4 | HOST_IPV6;
	} else if (strcmp(words.v[i], "ipv4") == 0) {
	    protocols |= HOST_IPV4;
	} else if (strcmp(words.v[i], "ipv6") == 0) {
	    protocols |= HOST_IPV6;
	} else {
	    *err = xasprintf("unknown inet_protocols value \"%s\"", words.v[i]);
	    sl_free(&words);
	    return (-1);
	}
    }
    sl_free(&words);
    return (protocols);
}

/* compute_networks - the default of mynetworks, not cached */

static char *compute_networks(const char *style_text, const char *interfaces,
			              const char *proto_text, char **err)
{
    strlist words = STRLIST_INIT, out = STRLIST_INIT;
    int     style = 0, protocols = 0, ret = 0;
    char   *result = 0;

    sl_split(&words, style_text, LIST_SEPARATORS);
    if (words.n != 1) {
	*err = xasprintf("bad mynetworks_style value \"%s\": specify exactly one value",
			 style_text);
	sl_free(&words);
	return (0);
    }
    if (strcmp(words.v[0], "host") == 0 || strcmp(words.v[0], "subnet") == 0
	|| strcmp(words.v[0], "class") == 0) {
	style = words.v[0][0];
    } else {
	*err = xasprintf("unknown mynetworks_style value \"%s\"", words.v[0]);
	sl_free(&words);
	return (0);
    }
    sl_free(&words);

    if ((protocols = host_protocols(proto_text, err)) < 0)
	return (0);

    if (protocols == 0)
	return (xstrdup(""));
    if (load_local_addrs(err) < 0)
	return (0);
    for (size_t i = 0; i < local_count && ret == 0; i++)
	ret = family_wanted(local_addrs[i].family, protocols);
    if (ret == 0) {
	*err = xstrdup("could not find any active network interfaces");
	return (0);
    }
    ret = 0;
    sl_split(&words, interfaces, LIST_SEPARATORS);
    if (words.n == 1 && (strcmp(words.v[0], "all") == 0
			   || strcmp(words.v[0], "loopback-only") == 0)) {
	int     loopback_only = (words.v[0][0] == 'l');

	for (size_t i = 0; i < local_count; i++)
	    if (family_wanted(local_addrs[i].family, protocols)
		&& (!loopback_only || is_loopback(local_addrs + i)))
		add_network(&out, local_addrs + i, style);
    } else {
	const struct local_addr **found = 0;
	size_t  nfound = 0;

	/*
	 * Postfix sorts the addresses that the names give and drops the
	 * duplicates, so the order is not that of the resolver (which
	 * /etc/hosts and gai.conf decide: IPv6 first on some hosts).
	 */
	for (size_t i = 0; i < words.n && ret == 0; i++)
	    ret = named_addr(&found, &nfound, words.v[i], protocols, err);
	if (ret == 0 && nfound > 0)
	    qsort(found, nfound, sizeof(*found), addr_order);
	for (size_t i = 0; ret == 0 && i < nfound; i++)
	    if (i == 0 || addr_order(found + i - 1, found + i) != 0)
		add_network(&out, found[i], style);
	free(found);
    }
    sl_free(&words);
    if (ret == 0) {
	/* Each network followed by a space, the last too, as in Postfix. */
	strbuf  text = STRBUF_INIT;

	for (size_t i = 0; i < out.n; i++)
	    sb_printf(&text, "%s ", out.v[i]);
	result = sb_take(&text);
    }
    sl_free(&out);
    return (result);
}

/* host_networks - the default of mynetworks, the last answer cached */

char   *host_networks(const char *style_text, const char *interfaces,
		              const char *proto_text, char **err)
{
    static char *last_style, *last_interfaces, *last_protocols;
    static char *last_result, *last_err;

    /*
     * Nearly every main.cf of a host gives the same three values (most
     * give the defaults), and the interfaces are read once per process,
     * so one remembered answer spares the work for all but the first.
     */
    if (last_style == 0 || strcmp(style_text, last_style) != 0
	|| strcmp(interfaces, last_interfaces) != 0
	|| strcmp(proto_text, last_protocols) != 0) {
	free(last_style);
	free(last_interfaces);
	free(last_protocols);
	free(last_result);
	free(last_err);
	last_err = 0;
	last_result = compute_networks(style_text, interfaces, proto_text, &last_err);
	last_style = xstrdup(style_text);
	last_interfaces = xstrdup(interfaces);
	last_protocols = xstrdup(proto_text);
    }
    if (last_result == 0) {
	*err = xstrdup(last_err);
	return (0);
    }
    return (xstrdup(last_result));
}
