/*
 * NAME
 *	qshape 3
 * SUMMARY
 *	the age-by-domain table of Postfix's qshape
 * SYNOPSIS
 *	#include "qshape.h"
 *
 *	void	qshape_opts_default(opts)
 *	struct qshape_opts *opts;
 *
 *	QSHAPE	*qshape_create(now)
 *	long long now;
 *
 *	QSHAPE	*qshape_create_opts(now, opts)
 *	long long now;
 *	const struct qshape_opts *opts;
 *
 *	int	qshape_file(q, name, fd, st)
 *	QSHAPE	*q;
 *	const char *name;
 *	int	fd;
 *	const struct stat *st;
 *
 *	void	qshape_message(q, arrival, sender, rcpt, n)
 *	QSHAPE	*q;
 *	long long arrival;
 *	const char *sender;
 *	const char *const *rcpt;
 *	size_t	n;
 *
 *	int	qshape_add(total, part)
 *	QSHAPE	*total;
 *	const QSHAPE *part;
 *
 *	void	qshape_text(q, out)
 *	void	qshape_json(q, out)
 *	const QSHAPE *q;
 *	strbuf	*out;
 *
 *	void	qshape_free(q)
 *	QSHAPE	*q;
 * DESCRIPTION
 *	This module counts messages the way Postfix's qshape(1) does
 *	and prints its table: per destination domain (or sender domain)
 *	the number of addresses, in all and per age bucket.
 *
 *	qshape_create() starts an empty table with qshape's default
 *	options (-b 10 -t 5, recipients, no parents, -w 80), ages taken
 *	against now (seconds since the epoch; qshape takes its own start
 *	time). qshape_create_opts() takes other options; it returns NULL
 *	when one is out of range (buckets 1..QSHAPE_MAX_BUCKETS, minutes
 *	1..QSHAPE_MAX_MINUTES, min_sub at least 1, width at most
 *	QSHAPE_MAX_WIDTH; a width below 80 is 80, as in qshape).
 *
 *	qshape_file() reads one queue file as qshape does and counts its
 *	message; name is the file's base name, st its lstat(), fd open
 *	on it (O_RDONLY | O_NOFOLLOW). It returns 1 when qshape takes the
 *	file, else 0. The caller walks what qshape walks: each queue
 *	directory named (by default incoming and active only; maildrop,
 *	deferred, hold only when named), recursively, every entry (any
 *	subdirectory, any name), symbolic links not followed; the checks
 *	of name and mode are done here. qshape takes a file whose name
 *	is six or more ASCII letters and digits, that is a regular file
 *	with mode & 0733 equal to 0700 (not a file that cleanup is still
 *	writing). When its first record is a size record ('C') the
 *	second must be a time record ('T'): the arrival is its leading
 *	number (0 when the record begins with white space; a fraction
 *	counts as the next second). When it is 'S', or 'F' then 'S' (an
 *	old maildrop file), the arrival is the file's mtime. The sender
 *	is the data of the last 'S' record, the recipients those of the
 *	'R' records (not the done ones, 'D', nor 'O'), pointer records
 *	followed. The file counts when its end record ('E') is reached
 *	with a time, a sender and a recipient, an 'S' record came before
 *	the content ('M'), and an 'X' record right after it. A file
 *	whose first record is none of these (a maildrop file of Postfix
 *	2.x and later begins with 'T'; an empty file) qshape takes as a
 *	message without recipients, and with -s as one from the null
 *	sender that arrived at time 0. Where qshape loops forever (pointer
 *	records in a circle) the file is skipped after reading four
 *	times its size. A file of the queue is qshape's to count even
 *	when showq would skip it, and the other way round: this is not
 *	qfile_envelope_fd().
 *
 *	qshape_message() counts one message: its arrival time in
 *	seconds, its sender and its n recipients (record data up to its
 *	first NUL byte). A message without recipients or without a
 *	sender (NULL) is not counted.
 *
 *	The key of an address (qshape_domain()): ASCII letters in lower
 *	case; the empty address is "MAILER-DAEMON"; everything up to
 *	the last "@" goes (within the first line that has one); each
 *	".." becomes "."; then one leading and one trailing "." go.
 *	With parents, each domain also counts for its parent domains
 *	(the first label replaced by "."), up to but not including the
 *	top-level domain. Each address counts once in its key's row, in
 *	the TOTAL row, and once per parent; with senders, the sender is
 *	the one address of the message.
 *
 *	The age in minutes, m = (now - arrival) / 60 / minutes, gives
 *	the bucket: the first when m < 1, else 2 + floor(log2(m)) (with
 *	linear, 1 + floor(m)), at most the last. Integer arithmetic
 *	gives the value that qshape's floating point gives for every
 *	age a queue can have.
 *
 *	qshape_add() adds the counts of part to total, the table of all
 *	messages of both (-1 when their options differ, total unchanged).
 *
 *	qshape_text() appends qshape's table, byte for byte: a heading
 *	line ("T", each bucket's upper age limit in minutes, the last
 *	with "+"), then the TOTAL row and the domain rows, by count,
 *	larger first, then by length of the key, shorter first. qshape
 *	leaves the order of rows with the same count and length to
 *	Perl's hash order, which changes from run to run; here TOTAL
 *	comes first among them, then the keys in byte order. Each column
 *	is wide enough for its heading and for the TOTAL count, and one
 *	more, at least 3; the domain column takes the rest of the width,
 *	at least 18; a longer key shows its last bytes after "+" (".+"
 *	for a parent domain). Keys that begin with "." (parent domains,
 *	and a domain that keeps a leading dot) are shown only when at
 *	least min_sub keys have them as parent; without parents never.
 *
 *	qshape_json() appends one JSON object:
 *	{"buckets": [5, 10, ..., 1280, null], "total": {"count": N,
 *	"ages": [n1, ..., n10]}, "domains": [{"domain": "example.com",
 *	"count": N, "ages": [...]}, ...]}: the upper age limit of each
 *	bucket in minutes (null: none), and the rows of the text in the
 *	same order, the domain names in full (bytes that are not valid
 *	UTF-8 as "?").
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qshape.h"
#include "qtext.h"
#include "util.h"

struct qrow {
    char   *key;			/* NULL: free slot */
    long long *count;			/* [0]: all; [1..buckets] */
};

struct QSHAPE {
    struct qshape_opts opts;
    long long now;
    long long *total;			/* the TOTAL row */
    struct qrow *rows;			/* open addressing */
    size_t  cap;			/* a power of two */
    size_t  used;
};

/* qshape_opts_default - qshape's defaults */

void    qshape_opts_default(struct qshape_opts *opts)
{
    opts->buckets = 10;
    opts->minutes = 5;
    opts->linear = 0;
    opts->senders = 0;
    opts->parents = 0;
    opts->min_sub = 5;
    opts->width = 80;
}

/* qshape_create_opts - an empty table */

QSHAPE *qshape_create_opts(long long now, const struct qshape_opts *opts)
{
    QSHAPE *q;

    if (opts->buckets < 1 || opts->buckets > QSHAPE_MAX_BUCKETS
	|| opts->minutes < 1 || opts->minutes > QSHAPE_MAX_MINUTES
	|| opts->min_sub < 1 || opts->width > QSHAPE_MAX_WIDTH)
	return (0);
    q = xcalloc(1, sizeof(*q));
    q->opts = *opts;
    if (q->opts.width < 80)
	q->opts.width = 80;
    q->now = now;
    q->total = xcalloc((size_t) opts->buckets + 1, sizeof(long long));
    q->cap = 64;
    q->rows = xcalloc(q->cap, sizeof(*q->rows));
    return (q);
}

/* qshape_create - an empty table with qshape's defaults */

QSHAPE *qshape_create(long long now)
{
    struct qshape_opts opts;

    qshape_opts_default(&opts);
    return (qshape_create_opts(now, &opts));
}

/* qshape_free - destroy */

void    qshape_free(QSHAPE *q)
{
    size_t  i;

    if (q == 0)
	return;
    for (i = 0; i < q->cap; i++) {
	free(q->rows[i].key);
	free(q->rows[i].count);
    }
    free(q->rows);
    free(q->total);
    free(q);
}

/* hash - FNV-1a */

static size_t hash(const char *s)
{
    uint64_t h = 14695981039346656037ULL;

    for (; *s; s++)
	h = (h ^ (unsigned char) *s) * 1099511628211ULL;
    return ((size_t) h);
}

/* slot - the slot of a key, or the free slot where it goes */

static struct qrow *slot(struct qrow *rows, size_t cap, const char *key)
{
    size_t  i = hash(key) & (cap - 1);

    while (rows[i].key && strcmp(rows[i].key, key) != 0)
	i = (i + 1) & (cap - 1);
    return (&rows[i]);
}

/* find - a key's row, NULL if none */

static const struct qrow *find(const QSHAPE *q, const char *key)
{
    const struct qrow *r = slot(q->rows, q->cap, key);

    return (r->key ? r : 0);
}

/* row - a key's counters, made when new; the key is taken */

static long long *row(QSHAPE *q, char *key)
{
    struct qrow *r;
    size_t  i;

    if ((r = slot(q->rows, q->cap, key))->key) {
	free(key);
	return (r->count);
    }
    if (2 * (q->used + 1) > q->cap) {
	struct qrow *old = q->rows;
	size_t  ocap = q->cap;

	q->cap *= 2;
	q->rows = xcalloc(q->cap, sizeof(*q->rows));
	for (i = 0; i < ocap; i++)
	    if (old[i].key)
		*slot(q->rows, q->cap, old[i].key) = old[i];
	free(old);
	r = slot(q->rows, q->cap, key);
    }
    r->key = key;
    r->count = xcalloc((size_t) q->opts.buckets + 1, sizeof(long long));
    q->used++;
    return (r->count);
}

/* qshape_domain - the key of one address */

char   *qshape_domain(const char *addr)
{
    size_t  len = strlen(addr), i, o, at, first, last, ls, le, p, t, j;
    char   *s, *d;

    if (len == 0)
	return (xstrdup("MAILER-DAEMON"));
    s = xstrdup(addr);
    for (i = 0; i < len; i++)
	if (s[i] >= 'A' && s[i] <= 'Z')
	    s[i] = (char) (s[i] - 'A' + 'a');

    /*
     * Up to the last "@": Perl's s/.*\@// (no newline in ".*").
     */
    if ((d = memchr(s, '@', len)) != 0) {
	at = (size_t) (d - s);
	for (ls = at; ls > 0 && s[ls - 1] != '\n'; ls--)
	     /* void */ ;
	for (le = at, last = at; le < len && s[le] != '\n'; le++)
	    if (s[le] == '@')
		last = le;
	memmove(s + ls, s + last + 1, len - last);
	len -= last + 1 - ls;
    }

    /*
     * Each ".." becomes ".": s/\.\././g.
     */
    for (i = o = 0; i < len; o++) {
	s[o] = s[i];
	i += (s[i] == '.' && i + 1 < len && s[i + 1] == '.') ? 2 : 1;
    }
    s[len = o] = 0;

    /*
     * One leading and one trailing dot: s/\.?(.+?)\.?$/$1/. The match
     * ends at the end, or before a final newline; it is in the last
     * stretch without a newline before that.
     */
    t = (len > 0 && s[len - 1] == '\n') ? len - 1 : len;
    for (p = t; p > 0 && s[p - 1] != '\n'; p--)
	 /* void */ ;
    if (t > p) {
	first = p;
	if (t - p >= 2 && s[p] == '.')
	    first++;
	j = t;
	if (t - first >= 2 && s[t - 1] == '.')
	    j--;
	memmove(s + p, s + first, j - first);
	memmove(s + p + (j - first), s + t, len - t + 1);
	len -= (first - p) + (t - j);
    }
    return (s);
}

/* parent - the parent key of a key, NULL when none (Perl's -p rule) */

static char *parent(const char *key)
{
    const char *j = key + (key[0] == '.'), *dot, *p;

    if ((dot = strchr(j, '.')) == 0 || dot == j)
	return (0);
    for (p = dot + 1; *p && *p != '\n'; p++)
	if (*p == '.')
	    return (xasprintf(".%s", dot + 1));
    return (0);
}

/* bucket - the age bucket of an arrival time */

static int bucket(const QSHAPE *q, long long arrival)
{
    long long unit = 60LL * q->opts.minutes, age, m;
    int     b;

    if (arrival >= q->now)
	return (1);
    if (q->now >= 0 && arrival < q->now - LLONG_MAX)
	return (q->opts.buckets);		/* no age so large */
    if ((age = q->now - arrival) < unit)
	return (1);
    m = age / unit;				/* floor(age / unit), >= 1 */
    if (q->opts.linear) {
	if (m >= q->opts.buckets)
	    return (q->opts.buckets);
	return ((int) m + 1);
    }
    for (b = 2; m > 1 && b < q->opts.buckets; m >>= 1)
	b++;
    return (b < q->opts.buckets ? b : q->opts.buckets);
}

/* count - one address */

static void count(QSHAPE *q, const char *addr, int b)
{
    char   *key = qshape_domain(addr);
    long long *c;

    q->total[0]++;
    q->total[b]++;
    for (;;) {
	char   *up = q->opts.parents ? parent(key) : 0;

	c = row(q, key);
	c[0]++;
	c[b]++;
	if ((key = up) == 0)
	    break;
    }
}

/* qshape_message - count one message */

void    qshape_message(QSHAPE *q, long long arrival, const char *sender,
		               const char *const *rcpt, size_t n)
{
    int     b;
    size_t  i;

    if (sender == 0 || n == 0)
	return;
    b = bucket(q, arrival);
    if (q->opts.senders)
	count(q, sender, b);
    else
	for (i = 0; i < n; i++)
	    count(q, rcpt[i], b);
}

 /*
  * Reading a queue file as qshape does (its rec_get() and qenv()).
  */
#define QS_BUF		65536
#define QS_WORK(st)	(4 * (unsigned long long) (st)->st_size + 65536)

struct qsread {
    int     fd;
    off_t   pos;			/* the next byte */
    off_t   bstart;			/* buf holds [bstart, bstart + blen) */
    size_t  blen;
    unsigned char buf[QS_BUF];
    unsigned long long work;		/* bytes read, against loops */
    unsigned long long work_max;
    strbuf  data;			/* the last record's data */
};

/* qs_getc - one byte, -1 at the end or on error */

static int qs_getc(struct qsread *r)
{
    ssize_t n;

    if (r->pos < r->bstart || r->pos >= r->bstart + (off_t) r->blen) {
	if ((n = pread(r->fd, r->buf, sizeof(r->buf), r->pos)) <= 0)
	    return (-1);
	r->bstart = r->pos;
	r->blen = (size_t) n;
    }
    r->work++;
    return (r->buf[(r->pos++) - r->bstart]);
}

/* qs_rec - the next record: its type, -1 when none (rec_get's return) */

static int qs_rec(struct qsread *r)
{
    int     type, c, shift = 0;
    size_t  len = 0, i;

    if (r->work > r->work_max)			/* qshape would loop forever */
	return (-1);
    if ((type = qs_getc(r)) < 0 || type == '0')
	return (-1);				/* Perl: getc() false */
    while ((c = qs_getc(r)) >= 0) {
	len |= (size_t) (c & 0x7f) << shift;
	if ((c & 0x80) == 0)
	    break;
	if ((shift += 7) > 14)
	    return (-1);
    }
    sb_reset(&r->data);
    for (i = 0; i < len; i++) {
	if ((c = qs_getc(r)) < 0)
	    return (-1);
	sb_addc(&r->data, c);
    }
    return (type);
}

/* qs_seek - Perl's seek(): 0 when the offset is not valid */

static int qs_seek(struct qsread *r, long double to)
{
    if (to < 0 || to > (long double) (LLONG_MAX / 2))
	return (0);
    r->pos = (off_t) to;
    return (1);
}

/* perl_num - Perl's number of a string (decimal; no "Inf" or "NaN") */

static long double perl_num(const char *s)
{
    const char *p = s;
    char   *end;
    long double v;

    while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
	p++;
    s = p;
    if (*p == '+' || *p == '-')
	p++;
    if (!((*p >= '0' && *p <= '9') || (*p == '.' && p[1] >= '0' && p[1] <= '9')))
	return (0);
    v = strtold(s, &end);
    /* strtold takes hex and more; Perl stops at the first non-decimal. */
    {
	const char *q = p;
	strbuf  num = STRBUF_INIT;

	while (*q >= '0' && *q <= '9')
	    q++;
	if (*q == '.')
	    for (q++; *q >= '0' && *q <= '9'; q++)
		 /* void */ ;
	if ((*q == 'e' || *q == 'E')
	    && ((q[1] >= '0' && q[1] <= '9')
		|| ((q[1] == '+' || q[1] == '-') && q[2] >= '0' && q[2] <= '9'))) {
	    for (q += 2; *q >= '0' && *q <= '9'; q++)
		 /* void */ ;
	}
	if (q != end) {
	    sb_add(&num, s, (size_t) (q - s));
	    v = strtold(num.s, 0);
	    sb_free(&num);
	}
    }
    return (v);
}

/* arrival_of - the arrival time of Perl's number t: ceil(t), as qshape's buckets see it */

static long long arrival_of(long double t)
{
    long long a;

    if (t >= (long double) LLONG_MAX)
	return (LLONG_MAX);
    if (t <= (long double) LLONG_MIN)
	return (LLONG_MIN);
    a = (long long) t;				/* toward zero */
    if ((long double) a < t)
	a++;
    return (a);
}

/* qshape_file - one queue file, as qshape reads it */

int     qshape_file(QSHAPE *q, const char *name, int fd, const struct stat *st)
{
    struct qsread *r;
    const char *p;
    int     type, status = 0, have_dlen = 0, have_t = 0, have_s = 0;
    long double dlen = 0;
    long long arrival = 0;
    char   *sender = 0;
    strlist rcpt = STRLIST_INIT;
    size_t  n;

    /*
     * Names of six or more letters and digits; regular files of mode
     * 0700 (mode & 0733).
     */
    for (p = name, n = 0; *p; p++, n++)
	if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
	    return (0);
    if (n < 6 || !S_ISREG(st->st_mode) || (st->st_mode & 0733) != 0700)
	return (0);

    r = xcalloc(1, sizeof(*r));
    r->fd = fd;
    r->work_max = QS_WORK(st);
    type = qs_rec(r);
    if (type == 'C') {
	const char *d = r->data.s ? r->data.s : "";
	const char *x = d;
	int     fields;

	/* /^\s*(\d+)\s+\d+\s+\d+/ */
	while (*x && strchr(" \t\n\r\f\v", *x))
	    x++;
	for (fields = 0; fields < 3; fields++) {
	    const char *start = x;

	    if (fields > 0) {
		if (!(*x && strchr(" \t\n\r\f\v", *x)))
		    break;
		while (*x && strchr(" \t\n\r\f\v", *x))
		    x++;
		start = x;
	    }
	    while (*x >= '0' && *x <= '9')
		x++;
	    if (x == start)
		break;
	}
	if (fields == 3) {
	    have_dlen = 1;
	    dlen = perl_num(d);
	}
	if (qs_rec(r) != 'T')
	    goto done;
	/*
	 * The first field of "($t) = split(/\s+/, $d)": none when the data
	 * is empty, empty (0) when it starts with white space.
	 */
	d = r->data.s ? r->data.s : "";
	if (r->data.len == 0)
	    goto done;				/* $t undefined */
	have_t = 1;
	arrival = (*d && strchr(" \t\n\r\f\v", *d)) ? 0 : arrival_of(perl_num(d));
    } else if (type == 'S' || type == 'F') {
	have_t = 1;
	arrival = (long long) st->st_mtime;
	if (type != 'S' && qs_rec(r) != 'S')
	    goto done;
	sender = xstrdup(r->data.s ? r->data.s : "");
	have_s = 1;
    } else {

	/*
	 * Not a queue file as qshape knows it (since Postfix 2.x, a maildrop
	 * file begins with a time record): qshape counts it with -s, as the
	 * null sender, 0 seconds since the epoch; without, it has no
	 * recipients.
	 */
	if (q->opts.senders)
	    count(q, "", bucket(q, 0));
	status = 1;
	goto done;
    }
    while ((type = qs_rec(r)) >= 0) {
	if (type == 'p') {
	    long double off = perl_num(r->data.s ? r->data.s : "");

	    if (off > 0 && !qs_seek(r, off))
		goto done;
	}
	if (type == 'R') {
	    sl_add(&rcpt, r->data.s ? r->data.s : "");
	} else if (type == 'S') {
	    free(sender);
	    sender = xstrdup(r->data.s ? r->data.s : "");
	    have_s = 1;
	} else if (type == 'M') {
	    if (!have_s)
		goto done;
	    if (have_dlen) {
		if (!qs_seek(r, (long double) r->pos + dlen))
		    goto done;
		type = qs_rec(r);
	    } else {
		while ((type = qs_rec(r)) == 'N' || type == 'L' || type == 'p') {
		    if (type == 'p') {
			long double off = perl_num(r->data.s ? r->data.s : "");

			if (off > 0 && !qs_seek(r, off))
			    goto done;
		    }
		}
	    }
	    if (type != 'X')
		goto done;
	} else if (type == 'E') {
	    if (!have_t || !have_s || rcpt.n == 0)
		goto done;
	    qshape_message(q, arrival, sender, (const char *const *) rcpt.v, rcpt.n);
	    status = 1;
	    goto done;
	}
    }
done:
    free(sender);
    sl_free(&rcpt);
    sb_free(&r->data);
    free(r);
    return (status);
}

/* qshape_add - the sum of two tables */

int     qshape_add(QSHAPE *total, const QSHAPE *part)
{
    size_t  i;
    int     b;
    long long *c;

    if (memcmp(&total->opts, &part->opts, sizeof(total->opts)) != 0)
	return (-1);
    for (b = 0; b <= total->opts.buckets; b++)
	total->total[b] += part->total[b];
    for (i = 0; i < part->cap; i++) {
	if (part->rows[i].key == 0)
	    continue;
	c = row(total, xstrdup(part->rows[i].key));
	for (b = 0; b <= total->opts.buckets; b++)
	    c[b] += part->rows[i].count[b];
    }
    return (0);
}

 /*
  * The rows to show, in order; TOTAL has key NULL.
  */
struct shown {
    const char *key;
    const long long *count;
};

static int shown_cmp(const void *a, const void *b)
{
    const struct shown *x = a, *y = b;
    size_t  lx = x->key ? strlen(x->key) : 5, ly = y->key ? strlen(y->key) : 5;

    if (x->count[0] != y->count[0])
	return (x->count[0] > y->count[0] ? -1 : 1);
    if (lx != ly)
	return (lx < ly ? -1 : 1);
    if (x->key == 0 || y->key == 0)
	return (x->key ? 1 : y->key ? -1 : 0);
    return (strcmp(x->key, y->key));
}

static struct shown *rows_shown(const QSHAPE *q, size_t *np)
{
    struct shown *v = xcalloc(q->used + 1, sizeof(*v));
    size_t *subs = xcalloc(q->cap, sizeof(*subs));
    size_t  i, n = 0;

    /*
     * How many keys have each key as parent (qshape counts a parent's
     * subdomain when that subdomain's row is made).
     */
    if (q->opts.parents) {
	for (i = 0; i < q->cap; i++) {
	    char   *up;
	    const struct qrow *r;

	    if (q->rows[i].key && (up = parent(q->rows[i].key)) != 0) {
		if ((r = find(q, up)) != 0)
		    subs[(size_t) (r - q->rows)]++;
		free(up);
	    }
	}
    }
    v[n].key = 0;
    v[n++].count = q->total;
    for (i = 0; i < q->cap; i++) {
	if (q->rows[i].key == 0)
	    continue;
	if (q->rows[i].key[0] == '.' && subs[i] < (size_t) q->opts.min_sub)
	    continue;
	v[n].key = q->rows[i].key;
	v[n++].count = q->rows[i].count;
    }
    free(subs);
    qsort(v, n, sizeof(*v), shown_cmp);
    *np = n;
    return (v);
}

/* limit - the upper age limit of bucket b (1..buckets-1), in minutes */

static long long limit(const QSHAPE *q, int b)
{
    long long t = q->opts.minutes;

    if (q->opts.linear)
	return (t * b);
    while (--b > 0)
	t *= 2;
    return (t);
}

/* qshape_text - qshape's table */

void    qshape_text(const QSHAPE *q, strbuf *out)
{
    int     nb = q->opts.buckets, b;
    char  **head = xcalloc((size_t) nb + 1, sizeof(*head));
    int    *w = xcalloc((size_t) nb + 1, sizeof(*w));
    long long dw = q->opts.width;
    struct shown *v;
    size_t  n, i, len;
    int     l;

    /*
     * Headings and column widths.
     */
    for (b = 0; b <= nb; b++) {
	if (b == 0)
	    head[b] = xstrdup("T");
	else if (b < nb)
	    head[b] = xasprintf("%lld", limit(q, b));
	else
	    head[b] = xasprintf("%lld+", b > 1 ? limit(q, b - 1) : 0);
	l = snprintf(0, 0, "%lld", q->total[b]);
	if ((int) strlen(head[b]) >= l)
	    l = (int) strlen(head[b]);
	w[b] = l > 2 ? l + 1 : 3;
	dw -= w[b];
    }
    if (dw < 18)
	dw = 18;

    sb_printf(out, "%*s", (int) dw, "");
    for (b = 0; b <= nb; b++)
	sb_printf(out, "%*s", w[b], head[b]);
    sb_addc(out, '\n');

    v = rows_shown(q, &n);
    for (i = 0; i < n; i++) {
	const char *key = v[i].key ? v[i].key : "TOTAL";

	len = strlen(key);
	if (len > (size_t) dw) {
	    if (key[0] == '.')
		sb_printf(out, ".+%s", key + len - (size_t) dw + 2);
	    else
		sb_printf(out, "+%s", key + len - (size_t) dw + 1);
	} else {
	    sb_printf(out, "%*s%s", (int) ((size_t) dw - len), "", key);
	}
	for (b = 0; b <= nb; b++)
	    sb_printf(out, "%*lld", w[b], v[i].count[b]);
	sb_addc(out, '\n');
    }
    free(v);
    for (b = 0; b <= nb; b++)
	free(head[b]);
    free(head);
    free(w);
}

/* json_counts - "count" and "ages" of one row */

static void json_counts(const QSHAPE *q, strbuf *out, const long long *c)
{
    int     b;

    sb_printf(out, "\"count\":%lld,\"ages\":[", c[0]);
    for (b = 1; b <= q->opts.buckets; b++)
	sb_printf(out, "%s%lld", b > 1 ? "," : "", c[b]);
    sb_addc(out, ']');
}

/* qshape_json - the table as one JSON object */

void    qshape_json(const QSHAPE *q, strbuf *out)
{
    struct shown *v;
    size_t  n, i, k, len;
    int     b;
    strbuf  name = STRBUF_INIT;

    sb_puts(out, "{\"buckets\":[");
    for (b = 1; b <= q->opts.buckets; b++) {
	if (b > 1)
	    sb_addc(out, ',');
	if (b < q->opts.buckets)
	    sb_printf(out, "%lld", limit(q, b));
	else
	    sb_puts(out, "null");
    }
    sb_puts(out, "],\"total\":{");
    json_counts(q, out, q->total);
    sb_puts(out, "},\"domains\":[");
    v = rows_shown(q, &n);
    for (i = 0, k = 0; i < n; i++) {
	const unsigned char *s = (const unsigned char *) v[i].key;

	if (s == 0)
	    continue;
	sb_reset(&name);
	while (*s) {
	    if ((len = qtext_utf8_char(s)) == 0) {
		sb_addc(&name, '?');
		s++;
	    } else {
		sb_add(&name, (const char *) s, len);
		s += len;
	    }
	}
	sb_puts(out, k++ ? ",{\"domain\":" : "{\"domain\":");
	sb_json(out, name.s);
	sb_addc(out, ',');
	json_counts(q, out, v[i].count);
	sb_addc(out, '}');
    }
    sb_puts(out, "]}");
    free(v);
    sb_free(&name);
}
