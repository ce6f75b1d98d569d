/*
 * test_hostinfo - host_protocols(), the one reader of inet_protocols
 *
 * The names Postfix accepts (all, ipv4, ipv6, in any list form), compared
 * case-sensitively as Postfix compares them: "IPv4" is refused, with the
 * message that names the value. The lint and the mynetworks default both
 * read inet_protocols through it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostinfo.h"
#include "tap.h"

/* protocols - host_protocols() of a text, checked */

static void protocols(const char *text, int want, const char *want_err)
{
    char   *err = 0;
    int     got = host_protocols(text, &err);

    TAP_OK(got == want, "host_protocols(\"%s\") = %d (want %d)", text, got, want);
    if (want_err)
	TAP_STREQ(err ? err : "(none)", want_err, "host_protocols(\"%s\"): message", text);
    else
	TAP_OK(err == 0, "host_protocols(\"%s\"): no message", text);
    free(err);
}

int     main(void)
{
    protocols("all", HOST_IPV4 | HOST_IPV6, 0);
    protocols("ipv4", HOST_IPV4, 0);
    protocols("ipv6", HOST_IPV6, 0);
    protocols("ipv4, ipv6", HOST_IPV4 | HOST_IPV6, 0);
    protocols(" ipv6\tipv4 ", HOST_IPV4 | HOST_IPV6, 0);
    protocols("ipv4,ipv4", HOST_IPV4, 0);
    protocols("", 0, 0);
    protocols("IPv4", -1, "unknown inet_protocols value \"IPv4\"");
    protocols("ALL", -1, "unknown inet_protocols value \"ALL\"");
    protocols("ipv4, ipv5", -1, "unknown inet_protocols value \"ipv5\"");
    return (tap_done());
}
