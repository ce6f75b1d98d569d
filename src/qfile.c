/*
 * NAME
 *	qfile 3
 * SUMMARY
 *	read a Postfix queue file's records
 * SYNOPSIS
 *	#include "qfile.h"
 *
 *	QFILE	*qfile_open_fd(fd, max_rec)
 *	int	fd;
 *	size_t	max_rec;
 *
 *	QFILE	*qfile_open_mem(data, len, max_rec)
 *	const void *data;
 *	size_t	len;
 *	size_t	max_rec;
 *
 *	int	qfile_next(qf, rec)
 *	QFILE	*qf;
 *	struct qfile_rec *rec;
 *
 *	const char *qfile_why(qf)
 *	QFILE	*qf;
 *
 *	void	qfile_close(qf)
 *	QFILE	*qf;
 *
 *	int	qfile_info_fd(fd, st, info, why)
 *	int	fd;
 *	const struct stat *st;
 *	struct qfile_info *info;
 *	const char **why;
 *
 *	int	qfile_info_mem(data, len, st, info, why)
 *	const void *data;
 *	size_t	len;
 *	const struct stat *st;
 *	struct qfile_info *info;
 *	const char **why;
 *
 *	int	qfile_envelope_fd(fd, st, info, env, why)
 *	int	fd;
 *	const struct stat *st;
 *	struct qfile_info *info;
 *	const struct qfile_env *env;
 *	const char **why;
 *
 *	int	qfile_envelope_mem(data, len, st, info, env, why)
 *	const void *data;
 *	size_t	len;
 *	const struct stat *st;
 *	struct qfile_info *info;
 *	const struct qfile_env *env;
 *	const char **why;
 * DESCRIPTION
 *	A queue file is a sequence of records: a type byte, the length
 *	of the data in groups of 7 bits, the low group first, each byte
 *	but the last with its high bit set (at most 4 bytes: 28 bits, as
 *	Postfix reads them), then the data. Nothing in a queue file is
 *	trusted: every length is checked against what is there and
 *	against the limit.
 *
 *	qfile_open_fd() reads records from fd, from its current offset,
 *	through a buffer (8 kB, grown up to what one record needs), with
 *	pread(): fd's offset stays where it was, and a jump (a pointer
 *	record, the content skipped) costs no system call. On a regular
 *	file, a read shorter than asked for is the end of the file;
 *	qfile_open_mem() reads them from memory, where the record data
 *	point into. max_rec limits the data of one record (0: only the
 *	format's limit). qfile_next() stores the next record in rec
 *	(the data is valid until the next call) and returns 1; it
 *	returns 0 at the end of the input, between records, and -1 when
 *	the input is damaged: a truncated record, too many length bytes,
 *	a record longer than max_rec, a read error; qfile_why() tells
 *	which. After -1 it returns -1 again. It returns every record as
 *	it is in the file: pointer ('p') and padding ('w') records too.
 *	qfile_close() frees the reader but leaves fd open.
 *
 *	qfile_info_fd() and qfile_info_mem() find a message's arrival
 *	time and size as showq reports them to "postqueue -j": they
 *	read records from the start of the file as showq does (following
 *	pointer records, skipping padding records) up to the first
 *	sender record, where showq reports the message:
 * .IP \(bu
 *	arrival_time: the first time record ('T') whose leading number
 *	(atol()) is not 0; when there is none, or that is negative, the
 *	file's mtime.
 * .IP \(bu
 *	message_size: the first field of the first well-formed size
 *	record ('C': only digits and spaces); when there is none, the
 *	file size (st_size). A malformed size record (sendmail writes
 *	one of -1s into maildrop files when it has options for cleanup)
 *	gives the file size too.
 * .PP
 *	A file that ends or is damaged before a sender record, or where
 *	an end record ('E') or a record of type 0 comes first, is one
 *	that showq does not list: these functions return -1 then, with
 *	*why set to static text. So do they when a time, size or
 *	pointer record before the sender is longer than 64 kB, or when
 *	pointer records make the reader go round in circles (showq
 *	gives up after 10000 backward jumps; these functions also when
 *	they have read four times the file's size). st is the file's
 *	stat (showq's lstat): its size and mtime are the fallbacks; for
 *	qfile_info_fd() it may be null (then fstat(fd)), for
 *	qfile_info_mem() too (then the size is len and the mtime 0).
 *	qfile_info_fd() reads from the start of the file and leaves
 *	fd's offset alone.
 *
 *	qfile_envelope_fd() and qfile_envelope_mem() read on past the
 *	sender record, as showq does for "postqueue -j" and -p: env's
 *	sender function gets the sender record's data, its recipient
 *	function each recipient record ('R') after it, in file order;
 *	a second sender record, a record of type 0, the end of the
 *	file or damage after the sender end the envelope (the message
 *	is still listed, as showq lists it). A recipient record
 *	('R' or 'O') before the sender means not listed, as for showq;
 *	so does a sender or recipient record longer than 1 MB before
 *	the sender (after it, the envelope ends there). With a null
 *	env they are qfile_info_fd() and qfile_info_mem().
 *
 *	Whether showq looks at a file at all (a regular file, with
 *	read, write and execute permission for its owner) is the
 *	caller's business, as is the queue: showq ignores the size
 *	record of a maildrop file since Postfix 3.11, and the ones that
 *	sendmail writes are malformed, so the result is the same.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qfile.h"
#include "util.h"

#define QFILE_BUFSIZE	8192		/* the first buffer of an fd reader */
#define QFILE_LEN_BYTES	4		/* 28 bits of length, as Postfix */
#define QFILE_LEN_MAX	((size_t) 1 << (7 * QFILE_LEN_BYTES))
#define QFILE_INFO_REC	65536		/* a T, C or p record, for the info */
#define QFILE_ADDR_REC	(1024 * 1024)	/* a sender or recipient record */
#define QFILE_JUMPS	10000		/* showq's limit of backward jumps */
#define OFF_MAX		((off_t) ((((uintmax_t) 1) << (8 * sizeof(off_t) - 1)) - 1))

struct QFILE {
    int     fd;				/* -1: memory */
    const unsigned char *mem;		/* the input in memory */
    unsigned char *buf;			/* the fd reader's buffer */
    size_t  cap;			/* its size */
    const unsigned char *data;		/* mem or buf */
    size_t  start;			/* the next unread byte in data */
    size_t  end;			/* the end of what data holds */
    off_t   pos;			/* offset in the input of data[start] */
    int     eof;			/* the fd has no more */
    int     regular;			/* fd is a regular file */
    size_t  max_rec;			/* limit of one record's data */
    const char *why;			/* set when damaged */
};

/* qfile_alloc - the common part of a new reader */

static QFILE *qfile_alloc(size_t max_rec)
{
    QFILE  *qf = xcalloc(1, sizeof(*qf));

    qf->fd = -1;
    qf->max_rec = (max_rec == 0 || max_rec >= QFILE_LEN_MAX) ?
	QFILE_LEN_MAX - 1 : max_rec;
    return (qf);
}

/* fd_reader - a reader over fd from offset pos */

static QFILE *fd_reader(int fd, off_t pos, int regular, size_t max_rec)
{
    QFILE  *qf = qfile_alloc(max_rec);

    qf->fd = fd;
    qf->pos = pos;
    qf->regular = regular;
    qf->cap = QFILE_BUFSIZE;
    qf->buf = xmalloc(qf->cap);
    qf->data = qf->buf;
    return (qf);
}

/* qfile_open_fd - a reader over an open file */

QFILE  *qfile_open_fd(int fd, size_t max_rec)
{
    off_t   pos = lseek(fd, 0, SEEK_CUR);
    struct stat st;

    return (fd_reader(fd, pos < 0 ? 0 : pos, fstat(fd, &st) == 0 && S_ISREG(st.st_mode),
		      max_rec));
}

/* qfile_open_mem - a reader over memory */

QFILE  *qfile_open_mem(const void *data, size_t len, size_t max_rec)
{
    QFILE  *qf = qfile_alloc(max_rec);

    qf->mem = data;
    qf->data = qf->mem;
    qf->end = len;
    qf->eof = 1;
    return (qf);
}

/* qfile_close - free a reader */

void    qfile_close(QFILE *qf)
{
    if (qf) {
	free(qf->buf);
	free(qf);
    }
}

/* qfile_why - why the reader said -1 */

const char *qfile_why(QFILE *qf)
{
    return (qf->why ? qf->why : "no error");
}

/* damaged - remember why, and say -1 */

static int damaged(QFILE *qf, const char *why)
{
    if (qf->why == 0)
	qf->why = why;
    return (-1);
}

/* fill - have at least need unread bytes if the input has them */

static size_t fill(QFILE *qf, size_t need)
{
    ssize_t got;
    size_t  cap, want;

    while (qf->end - qf->start < need && !qf->eof) {
	if (qf->start > 0) {
	    memmove(qf->buf, qf->buf + qf->start, qf->end - qf->start);
	    qf->end -= qf->start;
	    qf->start = 0;
	}
	if (qf->end == qf->cap) {
	    /* Grow with what arrives, never beyond what is needed. */
	    cap = qf->cap * 2 < need ? qf->cap * 2 : need;
	    if (cap <= qf->cap)
		cap = need;
	    qf->buf = xrealloc(qf->buf, cap);
	    qf->data = qf->buf;
	    qf->cap = cap;
	}
	want = qf->cap - qf->end;
	got = pread(qf->fd, qf->buf + qf->end, want,
		    qf->pos + (off_t) (qf->end - qf->start));
	if (got < 0 && errno == EINTR)
	    continue;
	if (got < 0) {
	    damaged(qf, "read error");
	    qf->eof = 1;
	} else if (got == 0) {
	    qf->eof = 1;
	} else {
	    qf->end += (size_t) got;
	    /* A regular file gives less only at its end: no read to hear it. */
	    if (qf->regular && (size_t) got < want)
		qf->eof = 1;
	}
    }
    return (qf->end - qf->start);
}

/* consume - done with n unread bytes (that fill() made available) */

static void consume(QFILE *qf, size_t n)
{
    qf->start += n;
    qf->pos += (off_t) n;
}

/* seek_to - continue reading at offset off of the input */

static int seek_to(QFILE *qf, off_t off)
{
    off_t   base;

    if (off < 0)
	return (damaged(qf, "seek to a negative offset"));
    if (qf->fd < 0) {
	/* Past the end: at the end, as after fseek() past EOF. */
	qf->start = (uintmax_t) off > qf->end ? qf->end : (size_t) off;
	qf->pos = off;
	return (0);
    }
    /* Within what is buffered: no read. Elsewhere: the next fill() reads there. */
    base = qf->pos - (off_t) qf->start;
    if (off >= base && off - base <= (off_t) qf->end) {
	qf->start = (size_t) (off - base);
	qf->pos = off;
	return (0);
    }
    qf->start = qf->end = 0;
    qf->pos = off;
    qf->eof = 0;
    return (0);
}

/* read_head - the type and length of the next record: 1, 0 at end, -1 */

static int read_head(QFILE *qf, int *type, size_t *len, size_t *head)
{
    size_t  avail, i;
    const unsigned char *p;

    if (qf->why)
	return (-1);
    if ((avail = fill(qf, 1 + QFILE_LEN_BYTES)) == 0)
	return (qf->why ? -1 : 0);
    p = qf->data + qf->start;
    *type = p[0];
    *len = 0;
    for (i = 0; /* void */ ; i++) {
	if (i >= QFILE_LEN_BYTES)
	    return (damaged(qf, "too many length bytes"));
	if (1 + i >= avail)
	    return (damaged(qf, qf->why ? qf->why : "truncated record length"));
	*len |= (size_t) (p[1 + i] & 0177) << (7 * i);
	if ((p[1 + i] & 0200) == 0)
	    break;
    }
    *head = 2 + i;
    return (1);
}

/* read_data - make the data of a record of len bytes available */

static int read_data(QFILE *qf, size_t head, size_t len, struct qfile_rec *rec)
{
    if (fill(qf, head + len) < head + len)
	return (damaged(qf, qf->why ? qf->why : "truncated record data"));
    rec->data = (const char *) qf->data + qf->start + head;
    rec->len = len;
    consume(qf, head + len);
    return (1);
}

/* skip_data - pass over a record without keeping its data */

static int skip_data(QFILE *qf, size_t head, size_t len)
{
    size_t  left = head + len, avail;

    while (left > 0) {
	if ((avail = fill(qf, left < QFILE_BUFSIZE ? left : QFILE_BUFSIZE)) == 0)
	    return (damaged(qf, qf->why ? qf->why : "truncated record data"));
	if (avail > left)
	    avail = left;
	consume(qf, avail);
	left -= avail;
    }
    return (1);
}

/* qfile_next - the next record */

int     qfile_next(QFILE *qf, struct qfile_rec *rec)
{
    int     status;
    size_t  len, head;

    if ((status = read_head(qf, &rec->type, &len, &head)) <= 0)
	return (status);
    if (len > qf->max_rec)
	return (damaged(qf, "record longer than the limit"));
    return (read_data(qf, head, len, rec));
}

/* c_digit - a decimal digit */

static int c_digit(int ch)
{
    return (ch >= '0' && ch <= '9');
}

/* rec_atol - atol() of record data, up to its end or first NUL */

static long long rec_atol(const char *cp, size_t len)
{
    size_t  i = 0;
    int     neg = 0;
    long long val = 0;
    int     dig;

    while (i < len && ascii_space(cp[i]))
	i++;
    if (i < len && (cp[i] == '-' || cp[i] == '+'))
	neg = (cp[i++] == '-');
    for (; i < len && c_digit((unsigned char) cp[i]); i++) {
	/* strtol() saturates; so do we. */
	dig = cp[i] - '0';
	if (neg)
	    val = (val < (LLONG_MIN + dig) / 10) ? LLONG_MIN : val * 10 - dig;
	else
	    val = (val > (LLONG_MAX - dig) / 10) ? LLONG_MAX : val * 10 + dig;
    }
    return (val);
}

/* size_ok - a size record of only digits and spaces (up to a NUL)? */

static int size_ok(const char *cp, size_t len)
{
    size_t  i;

    for (i = 0; i < len && (c_digit((unsigned char) cp[i]) || cp[i] == ' '); i++)
	 /* void */ ;
    return (i == len || cp[i] == 0);
}

/* ptr_offset - a pointer record's offset, or -1 when malformed */

static off_t ptr_offset(const char *cp, size_t len)
{
    size_t  i = 0;
    off_t   off = 0;
    int     dig;

    while (i < len && cp[i] != 0 && ascii_space(cp[i]))
	i++;
    for (; i < len && cp[i] != 0; i++) {
	if (!c_digit((unsigned char) cp[i]))
	    return (-1);
	dig = cp[i] - '0';
	if (off > (OFF_MAX - dig) / 10)
	    return (-1);
	off = off * 10 + dig;
    }
    return (off);
}

/* qfile_info - showq's arrival time and size, up to the sender record */

static int qfile_info(QFILE *qf, off_t size, long long mtime, struct qfile_info *info,
		              const struct qfile_env *env, const char **why)
{
    int     sender_seen = 0;
    long long arrival = 0;
    long long msg_size = size;
    int     msg_size_ok = 0;
    int     jumps = 0;
    off_t   saved = 0, off;
    unsigned long long work = 0;
    unsigned long long work_max = 4 * (unsigned long long) size + 65536;
    struct qfile_rec rec;
    size_t  len, head;
    int     status;

    for (;;) {
	/* After the sender, the end of what showq reads, for whatever reason. */
	if ((status = read_head(qf, &rec.type, &len, &head)) <= 0) {
	    *why = status == 0 ? "no sender record" : qfile_why(qf);
	    return (sender_seen ? 0 : -1);
	}
	switch (rec.type) {
	case 'T':
	case 'C':
	case 'p':
	    if (len > QFILE_INFO_REC) {
		*why = "time, size or pointer record too long";
		return (sender_seen ? 0 : -1);
	    }
	    status = read_data(qf, head, len, &rec);
	    break;
	case 'S':
	case 'R':
	    if (env == 0) {
		status = skip_data(qf, head, len);
		break;
	    }
	    if (len > QFILE_ADDR_REC) {
		*why = "sender or recipient record too long";
		return (sender_seen ? 0 : -1);
	    }
	    status = read_data(qf, head, len, &rec);
	    break;
	default:
	    status = skip_data(qf, head, len);
	    break;
	}
	if (status < 0) {
	    *why = qfile_why(qf);
	    return (sender_seen ? 0 : -1);
	}
	if ((work += head + len) > work_max) {
	    *why = "pointer records go round in circles";
	    return (sender_seen ? 0 : -1);
	}
	switch (rec.type) {
	case 0:
	    *why = "record of type 0 before the sender record";
	    return (sender_seen ? 0 : -1);
	case 'R':
	case 'O':
	    /* showq lists no message whose recipients come first. */
	    if (!sender_seen) {
		*why = "recipient record before the sender record";
		return (-1);
	    }
	    if (rec.type == 'R')
		env->recipient(env->ctx, rec.data, rec.len);
	    break;
	case 'T':
	    if (arrival == 0)
		arrival = rec_atol(rec.data, rec.len);
	    break;
	case 'C':
	    if (msg_size_ok == 0) {
		msg_size_ok = size_ok(rec.data, rec.len);
		msg_size = msg_size_ok ? rec_atol(rec.data, rec.len) : size;
	    }
	    break;
	case 'p':
	    if ((off = ptr_offset(rec.data, rec.len)) < 0) {
		*why = "malformed pointer record";
		return (sender_seen ? 0 : -1);
	    }
	    if (off == 0)			/* a placeholder */
		break;
	    if (off <= saved && ++jumps > QFILE_JUMPS) {
		*why = "too many backward pointer records";
		return (sender_seen ? 0 : -1);
	    }
	    if (seek_to(qf, off) < 0) {
		*why = qfile_why(qf);
		return (sender_seen ? 0 : -1);
	    }
	    saved = off;
	    break;
	case 'E':
	    if (!sender_seen) {
		*why = "end record before the sender record";
		return (-1);
	    }
	    break;
	case 'M':
	    /* Skip the content, whose size is known. */
	    if (msg_size_ok) {
		if (msg_size > (long long) (OFF_MAX - qf->pos)) {
		    *why = "size record beyond the largest offset";
		    return (sender_seen ? 0 : -1);
		}
		if (seek_to(qf, qf->pos + (off_t) msg_size) < 0) {
		    *why = qfile_why(qf);
		    return (sender_seen ? 0 : -1);
		}
	    }
	    break;
	case 'S':
	    /* A second sender: showq reads no further. */
	    if (sender_seen)
		return (0);
	    info->arrival_time = arrival > 0 ? arrival : mtime;
	    info->message_size = msg_size;
	    if (env == 0)
		return (0);
	    sender_seen = 1;
	    env->sender(env->ctx, rec.data, rec.len);
	    break;
	}
    }
}

/* qfile_envelope_fd - arrival time, size, sender and recipients of an open queue file */

int     qfile_envelope_fd(int fd, const struct stat *st, struct qfile_info *info,
			          const struct qfile_env *env, const char **why)
{
    struct stat st_buf;
    QFILE  *qf;
    int     status;

    if (st == 0) {
	if (fstat(fd, &st_buf) < 0) {
	    *why = "cannot fstat the queue file";
	    return (-1);
	}
	st = &st_buf;
    }
    qf = fd_reader(fd, 0, S_ISREG(st->st_mode), 0);
    status = qfile_info(qf, st->st_size, (long long) st->st_mtime, info, env, why);
    qfile_close(qf);
    return (status);
}

/* qfile_envelope_mem - the same of a queue file in memory */

int     qfile_envelope_mem(const void *data, size_t len, const struct stat *st,
			           struct qfile_info *info, const struct qfile_env *env,
			           const char **why)
{
    QFILE  *qf = qfile_open_mem(data, len, 0);
    int     status;

    status = qfile_info(qf, st ? st->st_size : (off_t) len,
			st ? (long long) st->st_mtime : 0, info, env, why);
    qfile_close(qf);
    return (status);
}

/* qfile_info_fd - arrival time and size of an open queue file */

int     qfile_info_fd(int fd, const struct stat *st, struct qfile_info *info,
		              const char **why)
{
    return (qfile_envelope_fd(fd, st, info, 0, why));
}

/* qfile_info_mem - arrival time and size of a queue file in memory */

int     qfile_info_mem(const void *data, size_t len, const struct stat *st,
		               struct qfile_info *info, const char **why)
{
    return (qfile_envelope_mem(data, len, st, info, 0, why));
}
