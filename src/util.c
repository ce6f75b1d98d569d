/*
 * NAME
 *	util 3
 * SUMMARY
 *	memory, string buffers and lists
 * SYNOPSIS
 *	#include "util.h"
 * DESCRIPTION
 *	xmalloc() and friends allocate or die: postmulti has nothing
 *	useful to do without memory, and a NULL check at every call
 *	site would only hide the real work.
 *
 *	sb_*() manage a growable buffer that is always NUL-terminated.
 *	sb_json() appends a text as a JSON string: '"' and '\' escaped,
 *	control characters as "\n" and the like where JSON has a short
 *	form, else as "\u00XX"; other bytes as they are.
 *
 *	read_fd() reads an open file from its offset to its end, and
 *	read_file() a whole file by its name, into a buffer, up to a size limit
 *	(EFBIG beyond it; read_file() refuses a larger regular file unread):
 *	main.cf files are small, hostile ones are not.
 *	It reads regular files only (EISDIR for a directory, EINVAL for
 *	anything else): a FIFO or a device in place of a main.cf would
 *	otherwise read as an empty file, or forever.
 *
 *	path_clean() returns an absolute path in canonical form without
 *	looking at the file system: no "//", no "." or ".." components,
 *	no trailing "/". path_same() compares two paths in that form.
 *
 *	sl_*() manage a growable list of strings. sl_split() appends
 *	the tokens of a string, split on any of the separator bytes.
 *	list_member() tells whether a word is in a main.cf list (white
 *	space or comma separated).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "msg.h"

/* xmalloc - allocate or die */

void   *xmalloc(size_t len)
{
    void   *p = malloc(len ? len : 1);

    if (p == 0)
	msg_fatal("out of memory");
    return (p);
}

/* xcalloc - allocate zeroed memory or die */

void   *xcalloc(size_t n, size_t len)
{
    void   *p = calloc(n ? n : 1, len ? len : 1);

    if (p == 0)
	msg_fatal("out of memory");
    return (p);
}

/* xrealloc - resize or die */

void   *xrealloc(void *old, size_t len)
{
    void   *p = realloc(old, len ? len : 1);

    if (p == 0)
	msg_fatal("out of memory");
    return (p);
}

/* xstrdup - copy a string or die */

char   *xstrdup(const char *s)
{
    return (xstrndup(s, strlen(s)));
}

/* xstrndup - copy a counted string or die */

char   *xstrndup(const char *s, size_t len)
{
    char   *p = xmalloc(len + 1);

    memcpy(p, s, len);
    p[len] = 0;
    return (p);
}

/* sb_grow - make room for more bytes plus the terminator */

void    sb_grow(strbuf *sb, size_t more)
{
    size_t  need = sb->len + more + 1;

    if (need < sb->len)
	msg_fatal("string too long");
    if (need > sb->cap) {
	size_t  cap = sb->cap ? sb->cap : 64;

	while (cap < need)
	    cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	sb->s = xrealloc(sb->s, cap);
	sb->cap = cap;
    }
}

/* sb_add - append bytes */

void    sb_add(strbuf *sb, const char *data, size_t len)
{
    sb_grow(sb, len);
    if (len)
	memcpy(sb->s + sb->len, data, len);
    sb->len += len;
    sb->s[sb->len] = 0;
}

/* sb_puts - append a string */

void    sb_puts(strbuf *sb, const char *str)
{
    sb_add(sb, str, strlen(str));
}

/* sb_addc - append one byte */

void    sb_addc(strbuf *sb, int ch)
{
    char    c = (char) ch;

    sb_add(sb, &c, 1);
}

/* sb_vprintf - append formatted text */

void    sb_vprintf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    size_t  room;
    int     n;

    sb_grow(sb, 128);
    room = sb->cap - sb->len;
    va_copy(ap2, ap);
    n = vsnprintf(sb->s + sb->len, room, fmt, ap2);
    va_end(ap2);
    if (n < 0)
	msg_fatal("bad format: %s", fmt);
    if ((size_t) n >= room) {
	sb_grow(sb, (size_t) n);
	vsnprintf(sb->s + sb->len, (size_t) n + 1, fmt, ap);
    }
    sb->len += (size_t) n;
}

/* sb_printf - append formatted text */

void    sb_printf(strbuf *sb, const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

/* sb_reset - empty the buffer, keep the memory */

void    sb_reset(strbuf *sb)
{
    sb->len = 0;
    if (sb->s)
	sb->s[0] = 0;
}

/* sb_free - release the memory */

void    sb_free(strbuf *sb)
{
    free(sb->s);
    sb->s = 0;
    sb->len = sb->cap = 0;
}

/* sb_take - hand the string over to the caller */

char   *sb_take(strbuf *sb)
{
    /* Exact size: the instance table keeps thousands of these. */
    char   *s = sb->s ? xrealloc(sb->s, sb->len + 1) : xstrdup("");

    sb->s = 0;
    sb->len = sb->cap = 0;
    return (s);
}

/* sb_json - append a text as a JSON string */

void    sb_json(strbuf *sb, const char *s)
{
    static const char special[] = "\"\\\b\f\n\r\t";
    static const char letter[] = "\"\\bfnrt";
    const char *sp;

    sb_addc(sb, '"');
    for (const unsigned char *cp = (const unsigned char *) s; *cp; cp++) {
	if ((sp = strchr(special, *cp)) != 0)
	    sb_printf(sb, "\\%c", letter[sp - special]);
	else if (*cp < 0x20 || *cp == 0x7f)
	    sb_printf(sb, "\\u%04x", *cp);
	else
	    sb_addc(sb, *cp);
    }
    sb_addc(sb, '"');
}

/* xasprintf - format into new memory */

char   *xasprintf(const char *fmt,...)
{
    strbuf  sb = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    return (sb_take(&sb));
}

/* sl_insert - insert a copy at a position */

void    sl_insert(strlist *sl, size_t pos, const char *s)
{
    if (sl->n + 2 > sl->cap) {
	sl->cap = sl->cap ? sl->cap * 2 : 8;
	sl->v = xrealloc(sl->v, sl->cap * sizeof(*sl->v));
    }
    if (pos > sl->n)
	pos = sl->n;
    memmove(sl->v + pos + 1, sl->v + pos, (sl->n - pos) * sizeof(*sl->v));
    sl->v[pos] = xstrdup(s);
    sl->n++;
    sl->v[sl->n] = 0;
}

/* sl_add_owned - append a string, taking ownership */

void    sl_add_owned(strlist *sl, char *s)
{
    if (sl->n + 2 > sl->cap) {
	sl->cap = sl->cap ? sl->cap * 2 : 8;
	sl->v = xrealloc(sl->v, sl->cap * sizeof(*sl->v));
    }
    sl->v[sl->n++] = s;
    sl->v[sl->n] = 0;
}

/* sl_add - append a copy */

void    sl_add(strlist *sl, const char *s)
{
    sl_add_owned(sl, xstrdup(s));
}

/* sl_remove - delete the element at a position */

void    sl_remove(strlist *sl, size_t pos)
{
    if (pos >= sl->n)
	return;
    free(sl->v[pos]);
    memmove(sl->v + pos, sl->v + pos + 1, (sl->n - pos) * sizeof(*sl->v));
    sl->n--;
}

/* sl_free - release the list and its strings */

void    sl_free(strlist *sl)
{
    for (size_t i = 0; i < sl->n; i++)
	free(sl->v[i]);
    free(sl->v);
    sl->v = 0;
    sl->n = sl->cap = 0;
}

/* sl_find - position of a string, or -1 */

ssize_t sl_find(const strlist *sl, const char *s)
{
    for (size_t i = 0; i < sl->n; i++)
	if (strcmp(sl->v[i], s) == 0)
	    return ((ssize_t) i);
    return (-1);
}

/* list_member - is word in a white space or comma separated list? */

int     list_member(const char *list, const char *word)
{
    strlist words = STRLIST_INIT;
    int     found;

    sl_split(&words, list, LIST_SEPARATORS);
    found = sl_find(&words, word) >= 0;
    sl_free(&words);
    return (found);
}

/* sl_split - append the tokens of str separated by any byte of sep */

void    sl_split(strlist *sl, const char *str, const char *sep)
{
    const char *cp = str;

    for (;;) {
	cp += strspn(cp, sep);
	if (*cp == 0)
	    break;
	size_t  len = strcspn(cp, sep);

	sl_add_owned(sl, xstrndup(cp, len));
	cp += len;
    }
}

/* sl_join - concatenate with a separator */

char   *sl_join(const strlist *sl, const char *sep)
{
    strbuf  sb = STRBUF_INIT;

    for (size_t i = 0; i < sl->n; i++) {
	if (i)
	    sb_puts(&sb, sep);
	sb_puts(&sb, sl->v[i]);
    }
    return (sb_take(&sb));
}

/* read_fd - read an open file to its end, refusing more than limit bytes */

int     read_fd(int fd, strbuf *out, size_t limit)
{
    struct stat st;
    ssize_t n;
    size_t  want;

    sb_reset(out);
    if (fstat(fd, &st) < 0)
	return (-1);

    /*
     * One read() sized by fstat() (one byte more, to see the end): a
     * short read of a regular file is its end. A file that grew meanwhile,
     * or one whose size says nothing (/proc, a memfd's), takes more reads.
     */
    want = st.st_size > 0 && (unsigned long long) st.st_size < limit ?
	(size_t) st.st_size + 1 : 4096;
    for (;;) {
	if (out->len + want > limit + 1)
	    want = limit + 1 - out->len;
	sb_grow(out, want);
	if ((n = read(fd, out->s + out->len, want)) < 0) {
	    if (errno == EINTR)
		continue;
	    break;
	}
	out->len += (size_t) n;
	if (out->len > limit) {
	    errno = EFBIG;
	    n = -1;
	    break;
	}
	if (n == 0 || ((size_t) n < want && S_ISREG(st.st_mode) && st.st_size > 0))
	    break;
	want = 16384;
    }
    if (n < 0) {
	sb_reset(out);
	return (-1);
    }
    sb_grow(out, 0);
    out->s[out->len] = 0;
    return (0);
}

/* read_file - read a whole file, refusing one larger than limit */

int     read_file(const char *path, strbuf *out, size_t limit)
{
    struct stat st;
    int     fd, err = 0;

    sb_reset(out);
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
	return (-1);
    if (fstat(fd, &st) < 0)
	err = errno;
    else if (!S_ISREG(st.st_mode))
	err = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
    else if ((unsigned long long) st.st_size > limit)
	err = EFBIG;			/* refused unread */
    else if (read_fd(fd, out, limit) < 0)
	err = errno;
    if (err) {
	close(fd);
	errno = err;
	return (-1);
    }
    return (close(fd));
}

/* name_in - is name one of the n names of a table? */

int     name_in(const char *name, const char *const *table, size_t n)
{
    for (size_t i = 0; i < n; i++)
	if (strcmp(name, table[i]) == 0)
	    return (1);
    return (0);
}

/* trim_copy - copy of [start, end) without ASCII white space around it */

char   *trim_copy(const char *start, const char *end)
{
    while (start < end && ascii_space(*start))
	start++;
    while (end > start && ascii_space(end[-1]))
	end--;
    return (xstrndup(start, (size_t) (end - start)));
}

/* path_clean - lexically canonical form of an absolute path */

char   *path_clean(const char *path)
{
    strlist parts = STRLIST_INIT;
    strlist kept = STRLIST_INIT;
    char   *joined, *result;

    sl_split(&parts, path, "/");
    for (size_t i = 0; i < parts.n; i++) {
	if (strcmp(parts.v[i], ".") == 0)
	    continue;
	if (strcmp(parts.v[i], "..") == 0) {
	    if (kept.n)
		sl_remove(&kept, kept.n - 1);
	    continue;
	}
	sl_add(&kept, parts.v[i]);
    }
    joined = sl_join(&kept, "/");
    result = xasprintf("/%s", joined);
    free(joined);
    sl_free(&parts);
    sl_free(&kept);
    return (result);
}

/* str_hash - FNV-1a, for the open-addressing tables of maincf and instance */

size_t  str_hash(const char *s)
{
    size_t  h = 2166136261u;

    while (*s)
	h = (h ^ (unsigned char) *s++) * 16777619u;
    return (h);
}

/* path_same - two spellings of one path? */

int     path_same(const char *a, const char *b)
{
    char   *ca = path_clean(a), *cb = path_clean(b);
    int     same = strcmp(ca, cb) == 0;

    free(ca);
    free(cb);
    return (same);
}
