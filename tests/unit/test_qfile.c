/*
 * test_qfile - the queue-file reader of qfile.c
 *
 * Reads the queue files in tests/unit/qfiles/ (made by the real Postfix
 * with tests/unit/qfiles/make: maildrop, deferred and hold files) and
 * checks qfile_info_fd() and qfile_info_mem() against the arrival time
 * and size that "postqueue -j" printed for them (tests/unit/qfiles/
 * expected), and the record reader against a plain decoder. Then
 * hand-made hostile inputs: truncated records and lengths, too many
 * length bytes, records over the limit, an empty file, and the
 * fallbacks of showq (no time record: the mtime; a malformed size
 * record: the file size), pointer records, and pointer loops.
 *
 * Run from the top of the project (the fixtures are found from there).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qfile.h"
#include "util.h"
#include "tap.h"

#define QDIR	"tests/unit/qfiles"

/* put - append one record: type, length in 7-bit groups, data */

static void put(strbuf *sb, int type, const char *data, size_t len)
{
    size_t  n = len;

    sb_addc(sb, type);
    do {
	sb_addc(sb, (int) ((n & 0177) | (n > 0177 ? 0200 : 0)));
	n >>= 7;
    } while (n > 0);
    sb_add(sb, data, len);
}

/* puts_rec - append one record of a string */

static void puts_rec(strbuf *sb, int type, const char *str)
{
    put(sb, type, str, strlen(str));
}

/* decode - the record types of a well-formed file, the plain way */

static char *decode(const unsigned char *p, size_t len, strbuf *lens)
{
    strbuf  types = STRBUF_INIT;
    size_t  i = 0, n;
    int     shift;

    while (i < len) {
	sb_addc(&types, p[i++]);
	for (n = 0, shift = 0; i < len; shift += 7) {
	    n |= (size_t) (p[i] & 0177) << shift;
	    if ((p[i++] & 0200) == 0)
		break;
	}
	sb_printf(lens, "%zu ", n);
	i += n;
    }
    if (types.s == 0)
	sb_puts(&types, "");
    return (sb_take(&types));
}

/* iterate - the record types and lengths that qfile_next() gives */

static char *iterate(QFILE *qf, strbuf *lens, const char **why,
		             const void *lo, const void *hi)
{
    strbuf  types = STRBUF_INIT;
    struct qfile_rec rec;
    int     status;

    sb_puts(&types, "");
    while ((status = qfile_next(qf, &rec)) > 0) {
	sb_addc(&types, rec.type);
	sb_printf(lens, "%zu ", rec.len);
	if (lo && (rec.data < (const char *) lo
		   || rec.data + rec.len > (const char *) hi))
	    sb_puts(&types, "<outside>");
    }
    *why = status < 0 ? qfile_why(qf) : 0;
    return (sb_take(&types));
}

/* info_of - qfile_info_mem() of a buffer, as "time size" or "-1: why" */

static char *info_of(const strbuf *sb, long long size, long long mtime)
{
    struct stat st;
    struct qfile_info info;
    const char *why;

    memset(&st, 0, sizeof(st));
    st.st_size = size;
    st.st_mtime = mtime;
    if (qfile_info_mem(sb->s ? sb->s : "", sb->len, &st, &info, &why) < 0)
	return (xasprintf("-1: %s", why));
    return (xasprintf("%lld %lld", info.arrival_time, info.message_size));
}

/* check_info - qfile_info_mem() of a buffer against what showq says */

static void check_info(const strbuf *sb, long long size, long long mtime,
		               const char *want, const char *what)
{
    char   *got = info_of(sb, size, mtime);

    TAP_STREQ(got, want, "info: %s", what);
    free(got);
}

/* check_next - qfile_next() over a buffer: types, then why it stopped */

static void check_next(const strbuf *sb, size_t max_rec, const char *want_types,
		               const char *want_why, const char *what)
{
    QFILE  *qf = qfile_open_mem(sb->s ? sb->s : "", sb->len, max_rec);
    strbuf  lens = STRBUF_INIT;
    const char *why;
    char   *types = iterate(qf, &lens, &why, sb->s, sb->s + sb->len);

    TAP_STREQ(types, want_types, "records: %s", what);
    TAP_STREQ(why, want_why, "end: %s", what);
    free(types);
    sb_free(&lens);
    qfile_close(qf);
}

/* real_files - the fixtures made by the real Postfix */

static void real_files(void)
{
    FILE   *fp = fopen(QDIR "/expected", "r");
    char    name[256], *path, *types, *want_types, *fd_types, *got;
    long long arrival, size;
    int     fd, files = 0, maildrop = 0, cleanup = 0;
    struct stat st;
    struct qfile_info info;
    const char *why, *fd_why;
    strbuf  data = STRBUF_INIT, lens = STRBUF_INIT, want_lens = STRBUF_INIT;
    strbuf  fd_lens = STRBUF_INIT;
    QFILE  *qf;

    TAP_OK(fp != 0, "open %s/expected", QDIR);
    if (fp == 0)
	return;
    while (fscanf(fp, "%255s %lld %lld", name, &arrival, &size) == 3) {
	files++;
	path = xasprintf("%s/%s", QDIR, name);
	fd = open(path, O_RDONLY);
	TAP_OK(fd >= 0 && fstat(fd, &st) == 0, "open %s", path);
	if (fd < 0) {
	    free(path);
	    continue;
	}

	/* What postqueue -j printed, with the file's stat and without. */
	why = 0;
	TAP_OK(qfile_info_fd(fd, &st, &info, &why) == 0
	       && info.arrival_time == arrival && info.message_size == size,
	       "%s: arrival_time %lld message_size %lld (got %lld %lld %s)",
	       name, arrival, size, info.arrival_time, info.message_size,
	       why ? why : "");
	TAP_OK(qfile_info_fd(fd, 0, &info, &why) == 0
	       && info.arrival_time == arrival && info.message_size == size,
	       "%s: the same with fstat()", name);

	/* The same from memory. */
	sb_reset(&data);
	TAP_OK(read_file(path, &data, 1 << 20) == 0, "read %s", path);
	got = info_of(&data, st.st_size, st.st_mtime);
	{
	    char   *want = xasprintf("%lld %lld", arrival, size);

	    TAP_STREQ(got, want, "%s: qfile_info_mem()", name);
	    free(want);
	}
	free(got);

	/* The records, from memory and from the file, as decoded plainly. */
	sb_reset(&want_lens);
	want_types = decode((unsigned char *) data.s, data.len, &want_lens);
	qf = qfile_open_mem(data.s, data.len, 0);
	sb_reset(&lens);
	types = iterate(qf, &lens, &why, data.s, data.s + data.len);
	qfile_close(qf);
	TAP_OK(why == 0 && strcmp(types, want_types) == 0
	       && strcmp(lens.s, want_lens.s) == 0,
	       "%s: qfile_next() from memory: %zu records", name, strlen(types));
	lseek(fd, 0, SEEK_SET);
	qf = qfile_open_fd(fd, 0);
	sb_reset(&fd_lens);
	fd_types = iterate(qf, &fd_lens, &fd_why, 0, 0);
	qfile_close(qf);
	TAP_OK(fd_why == 0 && strcmp(fd_types, want_types) == 0
	       && strcmp(fd_lens.s, want_lens.s) == 0,
	       "%s: qfile_next() from the file", name);

	/* The layouts: cleanup's (size, time first) and postdrop's. */
	if (strncmp(name, "maildrop-", 9) == 0) {
	    maildrop++;
	    TAP_OK(strncmp(types, "T", 1) == 0 && strchr(types, 'C') == 0
		   && strchr(types, 'S') && strchr(types, 'M'),
		   "%s: postdrop's layout (%.12s...)", name, types);
	} else {
	    cleanup++;
	    TAP_OK(strncmp(types, "CT", 2) == 0 && types[strlen(types) - 1] == 'E'
		   && strchr(types, 'S') && strchr(types, 'M') && strchr(types, 'X'),
		   "%s: cleanup's layout (%.12s...)", name, types);
	}

	/* A limit on record length that the file's content exceeds. */
	lseek(fd, 0, SEEK_SET);
	qf = qfile_open_fd(fd, 20);
	sb_reset(&fd_lens);
	free(fd_types);
	fd_types = iterate(qf, &fd_lens, &fd_why, 0, 0);
	qfile_close(qf);
	TAP_STREQ(fd_why, "record longer than the limit",
		  "%s: a limit of 20 bytes stops the reader", name);

	free(types);
	free(fd_types);
	free(want_types);
	close(fd);
	free(path);
    }
    fclose(fp);
    TAP_OK(files >= 6 && maildrop >= 1 && cleanup >= 3,
	   "%d fixtures: %d maildrop, %d from cleanup", files, maildrop, cleanup);
    sb_free(&data);
    sb_free(&lens);
    sb_free(&want_lens);
    sb_free(&fd_lens);
}

/* file_reader - the fd reader over a large file of many records */

static void file_reader(void)
{
    char    path[] = "/tmp/test_qfile.XXXXXX";
    int     fd = mkstemp(path);
    strbuf  sb = STRBUF_INIT, lens = STRBUF_INIT, want_lens = STRBUF_INIT;
    char    big[70000];
    char   *types, *want;
    const char *why;
    QFILE  *qf;
    int     i;

    TAP_OK(fd >= 0, "temporary file");
    if (fd < 0)
	return;
    memset(big, 'x', sizeof(big));
    for (i = 0; i < 500; i++)
	put(&sb, 'N', big, (size_t) (i * 37) % 300);
    put(&sb, 'N', big, sizeof(big));
    put(&sb, 'E', "", 0);
    TAP_OK(write(fd, sb.s, sb.len) == (ssize_t) sb.len, "write %zu bytes", sb.len);
    lseek(fd, 0, SEEK_SET);
    want = decode((unsigned char *) sb.s, sb.len, &want_lens);
    qf = qfile_open_fd(fd, 0);
    types = iterate(qf, &lens, &why, 0, 0);
    TAP_OK(why == 0 && strcmp(types, want) == 0 && strcmp(lens.s, want_lens.s) == 0,
	   "fd reader: 502 records across buffer refills, one of 70000 bytes");
    qfile_close(qf);
    free(types);
    sb_reset(&lens);
    lseek(fd, 0, SEEK_SET);
    qf = qfile_open_fd(fd, 65536);
    types = iterate(qf, &lens, &why, 0, 0);
    TAP_STREQ(why, "record longer than the limit", "fd reader: the limit of 65536");
    TAP_OK(strlen(types) == 500, "fd reader: the 500 records before it");
    qfile_close(qf);
    free(types);
    free(want);

    /* A file cut inside a record. */
    TAP_OK(ftruncate(fd, (off_t) sb.len - 100) == 0, "truncate the file");
    lseek(fd, 0, SEEK_SET);
    qf = qfile_open_fd(fd, 0);
    sb_reset(&lens);
    types = iterate(qf, &lens, &why, 0, 0);
    TAP_STREQ(why, "truncated record data", "fd reader: a truncated file");
    free(types);
    qfile_close(qf);
    close(fd);
    unlink(path);
    sb_free(&sb);
    sb_free(&lens);
    sb_free(&want_lens);
}

/* hostile - hand-made inputs */

static void hostile(void)
{
    strbuf  sb = STRBUF_INIT;
    char   *p;
    size_t  at;

    /* Empty. */
    check_next(&sb, 0, "", 0, "empty input");
    check_info(&sb, 0, 5, "-1: no sender record", "empty input");

    /* Truncated data, truncated length. */
    sb_add(&sb, "T\005ab", 4);
    check_next(&sb, 0, "", "truncated record data", "truncated data");
    check_info(&sb, 4, 5, "-1: truncated record data", "truncated data");
    sb_reset(&sb);
    puts_rec(&sb, 'T', "1");
    sb_add(&sb, "T\205", 2);
    check_next(&sb, 0, "T", "truncated record length", "truncated length");

    /* Four length bytes are the most; a fifth is too many. */
    sb_reset(&sb);
    sb_add(&sb, "T\200\200\200\000", 5);
    check_next(&sb, 0, "T", 0, "four length bytes (of zero)");
    sb_reset(&sb);
    sb_add(&sb, "T\200\200\200\200\001xx", 8);
    check_next(&sb, 0, "", "too many length bytes", "five length bytes");
    check_info(&sb, 8, 5, "-1: too many length bytes", "five length bytes");

    /* The largest length: over the limit, or more than there is. */
    sb_reset(&sb);
    sb_add(&sb, "N\377\377\377\177xyz", 8);
    check_next(&sb, 1000, "", "record longer than the limit", "length 2^28-1, limit 1000");
    check_next(&sb, 0, "", "truncated record data", "length 2^28-1, no limit");
    check_info(&sb, 8, 5, "-1: truncated record data", "length 2^28-1");

    /* A limit: a record of exactly the limit passes. */
    sb_reset(&sb);
    puts_rec(&sb, 'S', "12345");
    check_next(&sb, 5, "S", 0, "a record at the limit");
    check_next(&sb, 4, "", "record longer than the limit", "a record over the limit");

    /* No time record: the mtime; no size record: the file size. */
    sb_reset(&sb);
    puts_rec(&sb, 'S', "a@b");
    puts_rec(&sb, 'E', "");
    check_info(&sb, 999, 12345, "12345 999", "no time or size record");

    /* The first time that is not 0 counts; negative: the mtime. */
    sb_reset(&sb);
    puts_rec(&sb, 'T', "0 0");
    puts_rec(&sb, 'T', "  77 123");
    puts_rec(&sb, 'T', "88");
    puts_rec(&sb, 'S', "");
    check_info(&sb, 50, 12345, "77 50", "the first time not 0");
    sb_reset(&sb);
    puts_rec(&sb, 'T', "-5");
    puts_rec(&sb, 'T', "9");
    puts_rec(&sb, 'S', "");
    check_info(&sb, 50, 12345, "12345 50", "a negative time");
    sb_reset(&sb);
    puts_rec(&sb, 'T', "99999999999999999999999");
    puts_rec(&sb, 'S', "");
    check_info(&sb, 50, 12345, "9223372036854775807 50", "a time that overflows");
    sb_reset(&sb);
    put(&sb, 'T', "\0" "42", 3);
    puts_rec(&sb, 'S', "");
    check_info(&sb, 50, 12345, "12345 50", "a time after a NUL");

    /* Size: malformed gives the file size, and a later one may count. */
    sb_reset(&sb);
    puts_rec(&sb, 'C', "-1 -1 -1 -1 -1 4");
    puts_rec(&sb, 'T', "100 5");
    puts_rec(&sb, 'S', "x@y");
    check_info(&sb, 321, 5, "100 321", "a malformed size record (sendmail's)");
    sb_reset(&sb);
    puts_rec(&sb, 'C', "12x");
    puts_rec(&sb, 'C', "  42  1 2");
    puts_rec(&sb, 'C', "43");
    puts_rec(&sb, 'T', "100");
    puts_rec(&sb, 'S', "x@y");
    check_info(&sb, 321, 5, "100 42", "a malformed size record, then a good one");
    sb_reset(&sb);
    puts_rec(&sb, 'C', "");
    puts_rec(&sb, 'S', "x@y");
    check_info(&sb, 321, 5, "5 0", "an empty size record: 0");
    sb_reset(&sb);
    put(&sb, 'C', "17\0junk", 7);
    puts_rec(&sb, 'S', "x@y");
    check_info(&sb, 321, 5, "5 17", "a size record up to a NUL");
    sb_reset(&sb);
    puts_rec(&sb, 'C', "123456789012345678901234567890");
    puts_rec(&sb, 'S', "x@y");
    check_info(&sb, 321, 5, "5 9223372036854775807", "a size that overflows");

    /* Where showq stops without listing the message. */
    sb_reset(&sb);
    puts_rec(&sb, 'T', "100");
    puts_rec(&sb, 'E', "");
    puts_rec(&sb, 'S', "x@y");
    check_info(&sb, 321, 5, "-1: end record before the sender record", "end before sender");
    sb_reset(&sb);
    puts_rec(&sb, 'T', "100");
    put(&sb, 0, "", 0);
    puts_rec(&sb, 'S', "x@y");
    check_info(&sb, 321, 5, "-1: record of type 0 before the sender record", "type 0");
    /* (The NUL type ends the string of types.) */
    check_next(&sb, 0, "T", 0, "type 0 (the reader goes on)");

    /* Padding and placeholder pointers are passed over. */
    sb_reset(&sb);
    puts_rec(&sb, 'T', "100");
    puts_rec(&sb, 'w', "C 5");
    puts_rec(&sb, 'p', "              0");
    puts_rec(&sb, 'p', "   ");
    puts_rec(&sb, 'S', "x@y");
    check_info(&sb, 321, 5, "100 321", "padding and placeholder pointers");

    /* A pointer over an end record, to a sender in the heap. */
    sb_reset(&sb);
    puts_rec(&sb, 'C', "            77");
    puts_rec(&sb, 'T', "100");
    at = sb.len;
    puts_rec(&sb, 'p', "000000000000000");
    puts_rec(&sb, 'E', "");
    p = xasprintf("%15zu", sb.len);
    memcpy(sb.s + at + 2, p, 15);
    free(p);
    puts_rec(&sb, 'S', "x@y");
    check_info(&sb, 321, 5, "100 77", "a pointer over an end record");
    sb.s[at + 2 + 14] = 'x';
    check_info(&sb, 321, 5, "-1: malformed pointer record", "a malformed pointer");
    memcpy(sb.s + at + 2, "999999999999999", 15);
    check_info(&sb, 321, 5, "-1: no sender record", "a pointer past the end");

    /* A pointer to itself; a loop over much padding. */
    sb_reset(&sb);
    puts_rec(&sb, 'T', "100");
    at = sb.len;
    p = xasprintf("%zu", at);
    puts_rec(&sb, 'p', p);
    puts_rec(&sb, 'S', "x@y");
    check_info(&sb, 321, 5, "-1: too many backward pointer records", "a pointer to itself");
    sb_reset(&sb);
    puts_rec(&sb, 'T', "100");
    {
	char    pad[10000];

	memset(pad, ' ', sizeof(pad));
	put(&sb, 'w', pad, sizeof(pad));
    }
    puts_rec(&sb, 'p', p);
    puts_rec(&sb, 'S', "x@y");
    free(p);
    check_info(&sb, 321, 5, "-1: pointer records go round in circles", "a loop over padding");

    /* The content is skipped when the size is known. */
    sb_reset(&sb);
    puts_rec(&sb, 'C', "7");
    puts_rec(&sb, 'T', "100");
    puts_rec(&sb, 'M', "");
    sb_add(&sb, "E\000junk", 7);
    puts_rec(&sb, 'S', "x@y");
    check_info(&sb, 321, 5, "100 7", "content skipped by its size");
    sb_free(&sb);
}

int     main(void)
{
    real_files();
    file_reader();
    hostile();
    return (tap_done());
}
