/*
 * test_util - the helpers of util.c
 *
 * path_clean() and path_same() on the spellings of a path that Postfix
 * and administrators write; sl_split(), sl_join(), sl_find(), sl_insert(),
 * sl_remove() and list_member() on main.cf lists; sb_json() on the bytes
 * JSON escapes; sb_add() with NUL bytes; xasprintf(); read_file() with
 * its size limit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "tap.h"

/* clean - path_clean() of a path, checked */

static void clean(const char *path, const char *want)
{
    char   *got = path_clean(path);

    TAP_STREQ(got, want, "path_clean(\"%s\")", path);
    free(got);
}

/* json - sb_json() of a text */

static void json(const char *text, const char *want, const char *what)
{
    strbuf  sb = STRBUF_INIT;

    sb_json(&sb, text);
    TAP_STREQ(sb.s, want, "sb_json: %s", what);
    sb_free(&sb);
}

/* split_join - sl_split() then sl_join() with "|" */

static void split_join(const char *text, const char *seps, const char *want)
{
    strlist l = STRLIST_INIT;
    char   *got;

    sl_split(&l, text, seps);
    got = sl_join(&l, "|");
    TAP_STREQ(got, want, "sl_split(\"%s\") joined", text);
    free(got);
    sl_free(&l);
}

int     main(void)
{
    strlist l = STRLIST_INIT;
    strbuf  sb = STRBUF_INIT;
    char   *s, dir[] = "/tmp/test_util.XXXXXX", *file;
    FILE   *fp;

    clean("/etc/postfix", "/etc/postfix");
    clean("/etc/postfix/", "/etc/postfix");
    clean("/etc//postfix", "/etc/postfix");
    clean("/etc/./postfix/.", "/etc/postfix");
    clean("/etc/postfix-a/../postfix", "/etc/postfix");
    clean("/../etc/postfix", "/etc/postfix");
    clean("/", "/");
    clean("//", "/");
    clean("/a/b/../..", "/");
    TAP_OK(path_same("/etc/postfix-a/", "/etc//postfix-a"), "path_same: two spellings");
    TAP_OK(!path_same("/etc/postfix-a", "/etc/postfix-b"), "path_same: two paths");
    TAP_OK(path_same("/etc/postfix-a", "/etc/postfix-a/b/.."), "path_same: \"..\" is lexical");

    split_join("a, b,,c\td", LIST_SEPARATORS, "a|b|c|d");
    split_join("  ", LIST_SEPARATORS, "");
    split_join("", LIST_SEPARATORS, "");
    split_join("/etc//postfix/", "/", "etc|postfix");
    TAP_OK(list_member("reload, stop", "stop"), "list_member: a word of a list");
    TAP_OK(!list_member("reload, stop", "sto"), "list_member: not part of a word");
    TAP_OK(!list_member("", "stop"), "list_member: an empty list");

    sl_add(&l, "b");
    sl_insert(&l, 0, "a");
    sl_insert(&l, 2, "c");
    sl_add_owned(&l, xasprintf("%s-%d", "d", 4));
    TAP_STREQ(s = sl_join(&l, " "), "a b c d-4", "sl_insert and sl_add_owned");
    free(s);
    TAP_OK(sl_find(&l, "c") == 2 && sl_find(&l, "x") == -1, "sl_find");
    sl_remove(&l, 1);
    TAP_STREQ(s = sl_join(&l, " "), "a c d-4", "sl_remove");
    free(s);
    TAP_OK(l.v[l.n] == 0, "the list stays NULL-terminated");
    sl_free(&l);
    TAP_OK(l.n == 0 && l.v == 0, "sl_free empties the list");

    json("plain", "\"plain\"", "plain text");
    json("a\"b\\c", "\"a\\\"b\\\\c\"", "quote and backslash");
    json("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"", "the short forms");
    json("\001\037\177", "\"\\u0001\\u001f\\u007f\"", "other control bytes");
    json("caf\303\251", "\"caf\303\251\"", "bytes above 127 as they are");
    json("", "\"\"", "empty");

    sb_add(&sb, "a\0b", 3);
    sb_addc(&sb, 'c');
    TAP_OK(sb.len == 4 && memcmp(sb.s, "a\0bc", 5) == 0, "sb_add keeps NUL bytes, and a NUL ends it");
    sb_reset(&sb);
    sb_printf(&sb, "%s=%d", "x", 42);
    TAP_STREQ(sb.s, "x=42", "sb_printf after sb_reset");
    s = sb_take(&sb);
    TAP_OK(sb.s == 0 && sb.len == 0 && strcmp(s, "x=42") == 0, "sb_take hands the text over");
    free(s);

    if (mkdtemp(dir) == 0)
	abort();
    file = xasprintf("%s/main.cf", dir);
    if ((fp = fopen(file, "w")) == 0)
	abort();
    fputs("myhostname = a\n", fp);
    fclose(fp);
    TAP_OK(read_file(file, &sb, 1024) == 0 && strcmp(sb.s, "myhostname = a\n") == 0,
	   "read_file: the whole file");
    sb_free(&sb);
    TAP_OK(read_file(file, &sb, 4) < 0 && errno == EFBIG, "read_file: a file over the limit is EFBIG");
    sb_free(&sb);
    TAP_OK(read_file(dir, &sb, 1024) < 0 && errno == EISDIR, "read_file: a directory is EISDIR");
    sb_free(&sb);
    unlink(file);
    TAP_OK(read_file(file, &sb, 1024) < 0, "read_file: a missing file is an error");
    sb_free(&sb);
    free(file);
    rmdir(dir);
    return (tap_done());
}
