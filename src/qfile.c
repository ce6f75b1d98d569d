/*
 * NAME
 *	qfile 3
 * SUMMARY
 *	read a Postfix queue file's records
 * SYNOPSIS
 *	#include "qfile.h"
 *
 *	QFILE	*qfile_open_fd(fd, max_record)
 *	int	fd;
 *	size_t	max_record;
 *
 *	QFILE	*qfile_open_mem(data, len, max_record)
 *	const void *data;
 *	size_t	len;
 *	size_t	max_record;
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
 * DESCRIPTION
 *	A queue file is a sequence of records: a type byte, the length of
 *	the data in 7-bit groups (low group first, the high bit set on each
 *	byte but the last; at most four bytes, as Postfix reads them), and
 *	the data. A queue file comes from the Internet (its sender and
 *	recipients are what SMTP clients sent): nothing here trusts a
 *	length, a record longer than max_record is damage, and so is a
 *	file that ends inside a record.
 *
 *	qfile_next() returns the next record (1), the end of the file (0),
 *	or damage (-1, qfile_why() says what). Like Postfix's reader, it
 *	follows pointer records ("p", an offset in the file; 0 is a dummy)
 *	and skips padding ("w"); a pointer back to where it has been counts
 *	against a limit, so a loop of pointers is damage, not a hang. A
 *	reader over a file descriptor reads through a buffer and seeks
 *	for pointers; one over memory (the fuzz target) never copies.
 *
 *	qfile_info_fd() and qfile_info_mem() give what showq(8), and so
 *	"postqueue -j", reports of a message: its arrival time, the
 *	seconds of the first time record ("T"), else the file's mtime;
 *	its size, the first number of the first size record ("C") outside
 *	the maildrop queue (postdrop may write a preliminary one there)
 *	when that record holds only digits and spaces, else the file's
 *	size (a malformed one is passed over, and the next one tried).
 *	showq reports these when it reaches the sender record ("S"),
 *	so that is where reading stops; a file without one, or damaged
 *	before it, is not listed by postqueue, and these return -1 with
 *	*why set. The caller sets info->maildrop for a file in the
 *	maildrop queue; st is the file's fstat().
 * SEE ALSO
 *	showq(8), postqueue(1), record.c of Postfix (read to learn)
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qfile.h"
#include "util.h"

#define QFILE_BUFSIZE		8192
#define QFILE_LEN_BYTES		4	/* Postfix: shift + 7 < 32 */
#define QFILE_REVERSE_LIMIT	10000	/* pointers back, as Postfix allows */
#define QFILE_INFO_MAX_RECORD	(1024 * 1024)

struct QFILE {
    int     fd;				/* -1: memory */
    const unsigned char *mem;		/* memory: the whole file */
    size_t  mem_len;
    unsigned char *buf;			/* fd: buffered bytes */
    size_t  buf_len;			/* bytes in buf */
    size_t  pos;			/* next byte in buf (or mem) */
    long long buf_off;			/* file offset of buf[0] */
    char   *data;			/* fd: the current record's data */
    size_t  data_cap;
    size_t  max_record;
    long long last_jump;		/* offset of the last pointer target */
    int     reverse_jumps;
    const char *why;
};

/* qfile_open_fd - a reader over an open file, from its current offset 0 */

QFILE  *qfile_open_fd(int fd, size_t max_record)
{
    QFILE  *qf = xcalloc(1, sizeof(*qf));

    qf->fd = fd;
    qf->buf = xmalloc(QFILE_BUFSIZE);
    qf->max_record = max_record;
    if (lseek(fd, 0, SEEK_SET) < 0)
	qf->why = "cannot seek to the start";
    return (qf);
}

/* qfile_open_mem - a reader over memory */

QFILE  *qfile_open_mem(const void *data, size_t len, size_t max_record)
{
    QFILE  *qf = xcalloc(1, sizeof(*qf));

    qf->fd = -1;
    qf->mem = data;
    qf->mem_len = len;
    qf->max_record = max_record;
    return (qf);
}

/* qfile_why - why qfile_next() said -1 */

const char *qfile_why(QFILE *qf)
{
    return (qf->why ? qf->why : "no error");
}

/* qfile_close - release a reader; the file stays open */

void    qfile_close(QFILE *qf)
{
    if (qf == 0)
	return;
    free(qf->buf);
    free(qf->data);
    free(qf);
}

/* fill - more bytes into an fd reader's buffer: 1, 0 at the end, -1 */

static int fill(QFILE *qf)
{
    ssize_t n;

    qf->buf_off += (long long) qf->buf_len;
    qf->buf_len = qf->pos = 0;
    do {
	n = read(qf->fd, qf->buf, QFILE_BUFSIZE);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
	qf->why = "read error";
	return (-1);
    }
    qf->buf_len = (size_t) n;
    return (n > 0);
}

/* get_byte - the next byte, or -1 at the end (or on error: why is set) */

static int get_byte(QFILE *qf)
{
    if (qf->fd < 0)
	return (qf->pos < qf->mem_len ? qf->mem[qf->pos++] : -1);
    if (qf->pos >= qf->buf_len && fill(qf) <= 0)
	return (-1);
    return (qf->buf[qf->pos++]);
}

/* get_data - len bytes of record data; 0, or -1 when the file ends */

static int get_data(QFILE *qf, size_t len, const char **data)
{
    if (qf->fd < 0) {
	if (len > qf->mem_len - qf->pos)
	    return (-1);
	*data = (const char *) qf->mem + qf->pos;
	qf->pos += len;
	return (0);
    }
    if (len + 1 > qf->data_cap) {
	qf->data_cap = len + 1;
	qf->data = xrealloc(qf->data, qf->data_cap);
    }
    for (size_t got = 0; got < len;) {
	size_t  n;

	if (qf->pos >= qf->buf_len && fill(qf) <= 0)
	    return (-1);
	n = qf->buf_len - qf->pos;
	if (n > len - got)
	    n = len - got;
	memcpy(qf->data + got, qf->buf + qf->pos, n);
	qf->pos += n;
	got += n;
    }
    qf->data[len] = 0;
    *data = qf->data;
    return (0);
}

/* seek_to - continue at a file offset (a pointer record's target) */

static int seek_to(QFILE *qf, long long offset)
{
    if (qf->fd < 0) {
	if ((unsigned long long) offset > qf->mem_len)
	    return (-1);
	qf->pos = (size_t) offset;
	return (0);
    }
    /* Inside the buffer: no system call. */
    if (offset >= qf->buf_off && offset <= qf->buf_off + (long long) qf->buf_len) {
	qf->pos = (size_t) (offset - qf->buf_off);
	return (0);
    }
    if (lseek(qf->fd, (off_t) offset, SEEK_SET) < 0)
	return (-1);
    qf->buf_off = offset;
    qf->buf_len = qf->pos = 0;
    return (0);
}

/* pointer_offset - the offset in a pointer record's data, or -1 */

static long long pointer_offset(const char *data, size_t len)
{
    long long offset = 0;
    size_t  i = 0;

    while (i < len && ascii_space(data[i]))
	i++;
    if (i == len)
	return (-1);
    for (; i < len && data[i] >= '0' && data[i] <= '9'; i++) {
	if (offset > (LLONG_MAX - 9) / 10)
	    return (-1);
	offset = offset * 10 + (data[i] - '0');
    }
    while (i < len && ascii_space(data[i]))
	i++;
    return (i == len ? offset : -1);
}

/* qfile_next - the next record: 1, 0 at the end, -1 damaged */

int     qfile_next(QFILE *qf, struct qfile_rec *rec)
{
    for (;;) {
	int     type, ch;
	size_t  len = 0;
	const char *data;

	if (qf->why)
	    return (-1);
	if ((type = get_byte(qf)) < 0)
	    return (qf->why ? -1 : 0);
	for (int i = 0;; i++) {
	    if (i == QFILE_LEN_BYTES) {
		qf->why = "too many length bytes";
		return (-1);
	    }
	    if ((ch = get_byte(qf)) < 0) {
		if (qf->why == 0)
		    qf->why = "the file ends in a record length";
		return (-1);
	    }
	    len |= (size_t) (ch & 0177) << (7 * i);
	    if ((ch & 0200) == 0)
		break;
	}
	if (len > qf->max_record) {
	    qf->why = "a record longer than the limit";
	    return (-1);
	}
	if (get_data(qf, len, &data) < 0) {
	    if (qf->why == 0)
		qf->why = "the file ends in a record";
	    return (-1);
	}
	if (type == 'p') {
	    long long offset = pointer_offset(data, len);

	    if (offset < 0) {
		qf->why = "a malformed pointer record";
		return (-1);
	    }
	    if (offset == 0)
		continue;			/* a dummy */
	    if (offset <= qf->last_jump && ++qf->reverse_jumps > QFILE_REVERSE_LIMIT) {
		qf->why = "too many pointers back";
		return (-1);
	    }
	    if (seek_to(qf, offset) < 0) {
		qf->why = "a pointer out of the file";
		return (-1);
	    }
	    qf->last_jump = offset;
	    continue;
	}
	if (type == 'w')
	    continue;				/* padding */
	rec->type = type;
	rec->data = data;
	rec->len = len;
	return (1);
    }
}

/* leading_number - the number that a size record starts with, or -1 */

static long long leading_number(const char *data, size_t len)
{
    long long value = 0;
    size_t  i;

    /* showq: only digits and spaces, else the file size instead. */
    for (i = 0; i < len; i++)
	if (!(data[i] >= '0' && data[i] <= '9') && data[i] != ' ')
	    return (-1);
    for (i = 0; i < len && data[i] == ' '; i++)
	 /* void */ ;
    for (; i < len && data[i] >= '0' && data[i] <= '9'; i++) {
	if (value > (LLONG_MAX - 9) / 10)
	    return (-1);
	value = value * 10 + (data[i] - '0');
    }
    return (value);
}

/* time_seconds - the seconds of a time record, as atol() reads them */

static long long time_seconds(const char *data, size_t len)
{
    long long value = 0;
    size_t  i = 0;
    int     neg = 0;

    while (i < len && ascii_space(data[i]))
	i++;
    if (i < len && (data[i] == '-' || data[i] == '+'))
	neg = data[i++] == '-';
    for (; i < len && data[i] >= '0' && data[i] <= '9'; i++) {
	if (value > (LLONG_MAX - 9) / 10)
	    return (LLONG_MAX);
	value = value * 10 + (data[i] - '0');
    }
    return (neg ? -value : value);
}

/* info - arrival time and size, read up to the sender record */

static int info(QFILE *qf, const struct stat *st, struct qfile_info *out, const char **why)
{
    struct qfile_rec rec;
    long long arrival = 0, size = 0;
    int     status, size_ok = 0;

    while ((status = qfile_next(qf, &rec)) > 0) {
	switch (rec.type) {
	case 'T':
	    if (arrival == 0)
		arrival = time_seconds(rec.data, rec.len);
	    break;
	case 'C':
	    /* Maildrop files may carry a preliminary size record. */
	    if (!size_ok && !out->maildrop)
		size_ok = (size = leading_number(rec.data, rec.len)) >= 0;
	    break;
	case 'S':
	    out->arrival_time = arrival > 0 ? arrival : (long long) st->st_mtime;
	    out->message_size = size_ok ? size : (long long) st->st_size;
	    return (0);
	}
    }
    *why = status < 0 ? qfile_why(qf) : "no sender record: postqueue does not list it";
    return (-1);
}

/* qfile_info_fd - arrival time and size of an open queue file */

int     qfile_info_fd(int fd, const struct stat *st, struct qfile_info *out,
		              const char **why)
{
    QFILE  *qf = qfile_open_fd(fd, QFILE_INFO_MAX_RECORD);
    int     status = info(qf, st, out, why);

    qfile_close(qf);
    return (status);
}

/* qfile_info_mem - the same over memory */

int     qfile_info_mem(const void *data, size_t len, const struct stat *st,
		               struct qfile_info *out, const char **why)
{
    QFILE  *qf = qfile_open_mem(data, len, QFILE_INFO_MAX_RECORD);
    int     status = info(qf, st, out, why);

    qfile_close(qf);
    return (status);
}
