/*
 * test_qfile - the queue-file reader
 *
 * Real queue files made by the real Postfix (tests/unit/qfiles/, made by
 * tests/unit/qfiles/make: a maildrop file from postdrop, deferred files
 * from cleanup, one put on hold, an 8-bit sender, a null sender, 60
 * recipients, a 30 KB body), each with the arrival time and size that
 * "postqueue -j" reported for it; then hostile and odd inputs by hand:
 * truncated records, lengths too long or with too many bytes, pointer
 * records (a dummy, forward, out of the file, malformed, a loop), padding,
 * the fallbacks showq uses (no time record: mtime; no or a malformed size
 * record: the file size; maildrop's preliminary size record ignored), a
 * file without a sender record (postqueue does not list it), and the
 * same through a file descriptor past the reader's buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qfile.h"
#include "util.h"
#include "tap.h"

#define DIR	"tests/unit/qfiles"

/* real_files - each fixture against what postqueue -j said */

static void real_files(void)
{
    FILE   *fp = fopen(DIR "/expected", "r");
    char    name[100], queue[20];
    long long arrival, size;
    int     n = 0;

    TAP_OK(fp != 0, "open %s/expected", DIR);
    if (fp == 0)
	return;
    while (fscanf(fp, "%99s %19s %lld %lld", name, queue, &arrival, &size) == 4) {
	char   *path = xasprintf("%s/%s", DIR, name);
	int     fd = open(path, O_RDONLY);
	struct stat st;
	struct qfile_info info = {.maildrop = strcmp(queue, "maildrop") == 0};
	const char *why = 0;

	n++;
	TAP_OK(fd >= 0 && fstat(fd, &st) == 0, "open %s", path);
	if (fd < 0) {
	    free(path);
	    continue;
	}
	TAP_OK(qfile_info_fd(fd, &st, &info, &why) == 0, "%s: read (%s)", name, why ? why : "");
	TAP_OK(info.arrival_time == arrival, "%s: arrival_time %lld, postqueue %lld",
	       name, info.arrival_time, arrival);
	TAP_OK(info.message_size == size, "%s: message_size %lld, postqueue %lld",
	       name, info.message_size, size);
	close(fd);
	free(path);
    }
    fclose(fp);
    TAP_OK(n >= 5, "%d real queue files (maildrop, deferred, hold)", n);
}

/* iterate_real - the records of a real cleanup file, in order, inside it */

static void iterate_real(void)
{
    int     fd = open(DIR "/deferred-2", O_RDONLY);
    struct stat st;
    QFILE  *qf;
    struct qfile_rec rec;
    strbuf  types = STRBUF_INIT;
    int     status, inside = 1, rcpts = 0;

    TAP_OK(fd >= 0 && fstat(fd, &st) == 0, "open deferred-2");
    if (fd < 0)
	return;
    qf = qfile_open_fd(fd, 1 << 20);
    while ((status = qfile_next(qf, &rec)) > 0) {
	sb_addc(&types, rec.type);
	if (rec.len > (size_t) st.st_size)
	    inside = 0;
	if (rec.type == 'R')
	    rcpts++;
    }
    TAP_OK(status == 0, "deferred-2: read to the end (%s)", qfile_why(qf));
    TAP_OK(types.len > 3 && strncmp(types.s, "CT", 2) == 0 && types.s[types.len - 1] == 'E',
	   "deferred-2: C and T first, E last (%s)", types.s ? types.s : "");
    TAP_OK(strchr(types.s ? types.s : "", 'S') != 0 && strchr(types.s ? types.s : "", 'M') != 0,
	   "deferred-2: a sender and the message content");
    TAP_OK(rcpts == 60, "deferred-2: 60 recipients (%d)", rcpts);
    TAP_OK(inside, "deferred-2: no record longer than the file");
    qfile_close(qf);
    close(fd);
    sb_free(&types);
}

 /*
  * Hand-made files: records written with rec() into a strbuf.
  */

/* rec - append one record */

static void rec(strbuf *sb, int type, const char *data)
{
    size_t  len = strlen(data);

    sb_addc(sb, type);
    do {
	int     byte = len & 0177;

	len >>= 7;
	sb_addc(sb, len ? byte | 0200 : byte);
    } while (len);
    sb_puts(sb, data);
}

/* info - qfile_info_mem() of a buffer, with a made-up stat */

static int info(const strbuf *sb, int maildrop, struct qfile_info *out, const char **why)
{
    struct stat st;

    memset(&st, 0, sizeof(st));
    st.st_size = 4242;
    st.st_mtime = 1111;
    memset(out, 0, sizeof(*out));
    out->maildrop = maildrop;
    *why = 0;
    return (qfile_info_mem(sb->s ? sb->s : "", sb->len, &st, out, why));
}

/* expect - one hand-made case: status, and the values when 0 */

static void expect(const char *what, const strbuf *sb, int maildrop, int want_status,
		           long long arrival, long long size)
{
    struct qfile_info out;
    const char *why;
    int     status = info(sb, maildrop, &out, &why);

    if (want_status < 0) {
	TAP_OK(status < 0 && why != 0, "%s: refused (%s)", what, why ? why : "no reason");
	return;
    }
    TAP_OK(status == 0, "%s: read (%s)", what, why ? why : "");
    TAP_OK(out.arrival_time == arrival && out.message_size == size,
	   "%s: arrival %lld size %lld (want %lld %lld)", what, out.arrival_time,
	   out.message_size, arrival, size);
}

static void hand_made(void)
{
    strbuf  sb = STRBUF_INIT;
    char    ptr[40];
    size_t  ptr_at, target;

    expect("empty file", &sb, 0, -1, 0, 0);

    rec(&sb, 'C', "   100    200 0 1");
    rec(&sb, 'T', "1700000000 123");
    rec(&sb, 'S', "a@example.com");
    expect("size and time records", &sb, 0, 0, 1700000000, 100);
    expect("... in maildrop: the size record is preliminary, the file size counts",
	   &sb, 1, 0, 1700000000, 4242);

    sb_reset(&sb);
    rec(&sb, 'S', "a@example.com");
    expect("no time, no size: the file's mtime and size", &sb, 0, 0, 1111, 4242);

    sb_reset(&sb);
    rec(&sb, 'T', "0 5");
    rec(&sb, 'T', "1600000000 0");
    rec(&sb, 'C', "12x");
    rec(&sb, 'C', "  77 1");
    rec(&sb, 'S', "");
    expect("a zero time and a malformed size are passed over", &sb, 0, 0, 1600000000, 77);

    sb_reset(&sb);
    rec(&sb, 'T', "1600000000 0");
    rec(&sb, 'C', "-5");
    rec(&sb, 'S', "");
    expect("a negative size is malformed: the file size", &sb, 0, 0, 1600000000, 4242);

    sb_reset(&sb);
    rec(&sb, 'T', "1600000000 0");
    rec(&sb, 'R', "r@example.com");
    expect("no sender record: postqueue does not list it", &sb, 0, -1, 0, 0);

    sb_reset(&sb);
    sb_add(&sb, "T\200", 2);
    expect("the file ends in a length", &sb, 0, -1, 0, 0);
    sb_reset(&sb);
    sb_add(&sb, "T\200\200\200\200\001", 6);
    expect("five length bytes", &sb, 0, -1, 0, 0);
    sb_reset(&sb);
    sb_add(&sb, "T\377\377\377\177", 5);
    expect("a length of 256 MiB in a tiny file", &sb, 0, -1, 0, 0);
    sb_reset(&sb);
    sb_add(&sb, "T\012123", 5);
    expect("the file ends inside the data", &sb, 0, -1, 0, 0);

    /* Pointers and padding. */
    sb_reset(&sb);
    rec(&sb, 'p', "0");
    rec(&sb, 'w', "padding");
    rec(&sb, 'T', "1500000000 0");
    rec(&sb, 'S', "s@example.com");
    expect("a dummy pointer and padding are skipped", &sb, 0, 0, 1500000000, 4242);

    sb_reset(&sb);
    rec(&sb, 'T', "1500000000 0");
    ptr_at = sb.len + 2;			/* type and one length byte */
    rec(&sb, 'p', "000000000000000");
    rec(&sb, 'S', "never@example.com");
    target = sb.len;
    rec(&sb, 'C', "9 9 9");
    rec(&sb, 'S', "jumped@example.com");
    snprintf(ptr, sizeof(ptr), "%15zu", target);
    memcpy(sb.s + ptr_at, ptr, 15);
    expect("a pointer forward, past a record, is followed", &sb, 0, 0, 1500000000, 9);

    sb_reset(&sb);
    rec(&sb, 'p', "   1");
    expect("a pointer into the middle of its own record: damage, not a hang", &sb, 0, -1, 0, 0);
    sb_reset(&sb);
    rec(&sb, 'p', "0000");
    rec(&sb, 'p', "   6");
    expect("a pointer to itself: too many pointers back", &sb, 0, -1, 0, 0);
    sb_reset(&sb);
    rec(&sb, 'p', "99999");
    expect("a pointer out of the file", &sb, 0, -1, 0, 0);
    sb_reset(&sb);
    rec(&sb, 'p', "12ab");
    expect("a malformed pointer", &sb, 0, -1, 0, 0);
    sb_reset(&sb);
    rec(&sb, 'p', "99999999999999999999999");
    expect("a pointer that overflows", &sb, 0, -1, 0, 0);
    sb_free(&sb);
}

/* record_limit - a record longer than the reader's limit */

static void record_limit(void)
{
    strbuf  sb = STRBUF_INIT;
    QFILE  *qf;
    struct qfile_rec r;

    rec(&sb, 'S', "0123456789");
    qf = qfile_open_mem(sb.s, sb.len, 9);
    TAP_OK(qfile_next(qf, &r) < 0, "a record over the limit: %s", qfile_why(qf));
    qfile_close(qf);
    qf = qfile_open_mem(sb.s, sb.len, 10);
    TAP_OK(qfile_next(qf, &r) == 1 && r.type == 'S' && r.len == 10
	   && memcmp(r.data, "0123456789", 10) == 0, "a record at the limit");
    TAP_OK(qfile_next(qf, &r) == 0, "... then the end");
    qfile_close(qf);
    sb_free(&sb);
}

/* through_fd - a pointer past the reader's buffer, through a file */

static void through_fd(void)
{
    strbuf  sb = STRBUF_INIT, pad = STRBUF_INIT;
    char    path[] = "/tmp/test_qfile.XXXXXX", ptr[40];
    int     fd = mkstemp(path);
    struct stat st;
    struct qfile_info out = {0};
    const char *why = 0;
    size_t  ptr_at, target;

    TAP_OK(fd >= 0, "mkstemp");
    if (fd < 0)
	return;
    rec(&sb, 'T', "1400000000 0");
    ptr_at = sb.len + 2;			/* type and one length byte */
    rec(&sb, 'p', "000000000000000");
    for (int i = 0; i < 3000; i++)
	sb_puts(&pad, "xxxxxxxxxx");
    rec(&sb, 'N', pad.s);			/* 30000 bytes never read */
    target = sb.len;
    rec(&sb, 'C', "31337");
    rec(&sb, 'S', "far@example.com");
    snprintf(ptr, sizeof(ptr), "%15zu", target);
    memcpy(sb.s + ptr_at, ptr, 15);
    TAP_OK(write(fd, sb.s, sb.len) == (ssize_t) sb.len && fstat(fd, &st) == 0,
	   "write a %zu-byte file", sb.len);
    TAP_OK(qfile_info_fd(fd, &st, &out, &why) == 0 && out.arrival_time == 1400000000
	   && out.message_size == 31337, "a pointer 30 KB ahead, through the fd (%s)",
	   why ? why : "ok");
    close(fd);
    unlink(path);
    sb_free(&sb);
    sb_free(&pad);
}

int     main(void)
{
    real_files();
    iterate_real();
    hand_made();
    record_limit();
    through_fd();
    return (tap_done());
}
