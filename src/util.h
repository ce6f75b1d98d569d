/*
 * NAME
 *	util 3h
 * SUMMARY
 *	memory, string buffers and lists
 * SYNOPSIS
 *	#include "util.h"
 * DESCRIPTION
 *	Small helpers that every module uses: allocation that never
 *	returns NULL, a growable byte buffer, and a growable list of
 *	strings.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <stdarg.h>
#include <sys/types.h>

void   *xmalloc(size_t);
void   *xcalloc(size_t, size_t);
void   *xrealloc(void *, size_t);
char   *xstrdup(const char *);
char   *xstrndup(const char *, size_t);

 /*
  * A growable buffer, always NUL-terminated, that may also hold NUL bytes.
  */
typedef struct strbuf {
    char   *s;
    size_t  len;
    size_t  cap;
} strbuf;

#define STRBUF_INIT { 0, 0, 0 }

void    sb_grow(strbuf *, size_t);
void    sb_add(strbuf *, const char *, size_t);
void    sb_puts(strbuf *, const char *);
void    sb_addc(strbuf *, int);
void    sb_printf(strbuf *, const char *,...) __attribute__((format(printf, 2, 3)));
void    sb_vprintf(strbuf *, const char *, va_list);
void    sb_reset(strbuf *);
void    sb_free(strbuf *);
char   *sb_take(strbuf *);
void    sb_json(strbuf *, const char *);

 /*
  * A growable NULL-terminated array of strings that it owns.
  */
typedef struct strlist {
    char  **v;
    size_t  n;
    size_t  cap;
} strlist;

#define STRLIST_INIT { 0, 0, 0 }

void    sl_add(strlist *, const char *);
void    sl_add_owned(strlist *, char *);
void    sl_insert(strlist *, size_t, const char *);
void    sl_remove(strlist *, size_t);
void    sl_free(strlist *);
ssize_t sl_find(const strlist *, const char *);
int     list_member(const char *, const char *);
int     name_in(const char *, const char *const *, size_t);
void    sl_split(strlist *, const char *, const char *);
#define LIST_SEPARATORS	" \t\r\n,"	/* main.cf lists: white space, comma */

 /*
  * White space as Postfix's parsers see it: the ASCII set, whatever the
  * locale (isspace() in the C locale).
  */
#define ASCII_SPACE	" \t\n\v\f\r"
#define ascii_space(c)	((c) == ' ' || ((c) >= '\t' && (c) <= '\r'))

 /*
  * A byte of a parameter name: an ASCII letter, digit or "_", whatever the
  * locale (with one set, <ctype.h> could take a high byte for a letter).
  */
#define ascii_name_char(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') \
			 || ((c) >= '0' && (c) <= '9') || (c) == '_')
char   *trim_copy(const char *, const char *);
char   *sl_join(const strlist *, const char *);

char   *xasprintf(const char *,...) __attribute__((format(printf, 1, 2)));
int     read_fd(int, strbuf *, size_t);
int     read_file(const char *, strbuf *, size_t);
char   *path_clean(const char *);
int     path_same(const char *, const char *);
size_t  str_hash(const char *);

#endif
