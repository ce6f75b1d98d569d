/*
 * test_msg - how messages quote values and configuration text.
 *
 * msg_visible() shows control bytes as \ooo; msg_excerpt() shows every
 * byte outside printable ASCII as "?". Both cut at max bytes and then
 * add "...", and only then.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "msg.h"

/* visible - check one msg_visible() result */

static void visible(const char *value, size_t max, const char *want)
{
    char   *got = msg_visible(value, max);

    TAP_STREQ(got, want, "msg_visible(\"%s\", %zu)", want, max);
    free(got);
}

/* excerpt - check one msg_excerpt() result */

static void excerpt(const char *text, size_t len, size_t max, const char *want)
{
    char   *got = msg_excerpt(text, len, max);

    TAP_STREQ(got, want, "msg_excerpt(%zu bytes, %zu) is \"%s\"", len, max, want);
    free(got);
}

int     main(void)
{
    visible("", 10, "");
    visible("plain", 10, "plain");
    visible("a\tb\nc\033d\177", 40, "a\\011b\\012c\\033d\\177");
    visible("caf\xc3\xa9", 40, "caf\xc3\xa9");
    visible("0123456789", 10, "0123456789");
    visible("0123456789x", 10, "0123456789...");
    visible("012345678\001", 10, "012345678\\001");
    visible("012345678\001x", 10, "012345678\\001...");

    excerpt("", 0, 60, "");
    excerpt("a = b", 5, 60, "a = b");
    excerpt("bad\x01\x7f\xff\r line", 12, 60, "bad???? line");
    excerpt("a = b\nc", 5, 60, "a = b");
    excerpt("0123456789", 10, 10, "0123456789");
    excerpt("0123456789x", 11, 10, "0123456789...");
    excerpt("0123456789x", 10, 10, "0123456789");
    return (tap_done());
}
