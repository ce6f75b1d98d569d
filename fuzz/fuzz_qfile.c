/*
 * NAME
 *	fuzz_qfile 1
 * SUMMARY
 *	libFuzzer target: the queue-file reader
 * SYNOPSIS
 *	build/fuzz/fuzz_qfile [libFuzzer options] [corpus...]
 * DESCRIPTION
 *	Each input is a queue file. LLVMFuzzerTestOneInput() asks
 *	qfile_info_mem() for its arrival time and size, reads all its
 *	records with qfile_next() from memory, with no limit and with a
 *	limit of 64 bytes, and then does the same from a memory file
 *	(memfd) through qfile_info_fd() and qfile_open_fd(), whose
 *	buffer is refilled and grown.
 *
 *	Besides the sanitizers' findings it checks what must hold: a
 *	failure comes with a reason; the arrival time is positive (the
 *	fallback mtime is) and the size not negative; every record's
 *	data lies inside the input, right after its header, the records
 *	follow each other and the last one ends where the input does
 *	(or the reader says why not); no record is longer than the
 *	limit; the reader from a file says the same as the one from
 *	memory, record for record.
 *
 *	tests/fuzz/run replays files through this function in the
 *	ordinary ASan build, with tests/tools/fuzz_replay.c as main().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qfile.h"
#include "qtext.h"
#include "util.h"

#define SMALL_LIMIT	64
#define FUZZ_MTIME	1000

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* must - abort with a reason when an invariant does not hold */

static void must(int cond, const char *what, const char *detail)
{
    if (!cond) {
	fprintf(stderr, "fuzz_qfile: invariant broken: %s: \"%.200s\"\n", what,
		detail ? detail : "(null)");
	abort();
    }
}

/* head_len - the size of a record header for a data length */

static size_t head_len(size_t len)
{
    size_t  n = 2;

    while (len >>= 7)
	n++;
    return (n);
}

/* walk - read every record from memory; the records as "type:len " */

static void walk(const uint8_t *data, size_t size, size_t limit, strbuf *out)
{
    QFILE  *qf = qfile_open_mem(data, size, limit);
    struct qfile_rec rec;
    size_t  at = 0, head;
    int     status;

    while ((status = qfile_next(qf, &rec)) > 0) {
	must(rec.type >= 0 && rec.type <= 255, "record type", 0);
	must(limit == 0 || rec.len <= limit, "record longer than the limit", 0);
	must(rec.data >= (const char *) data
	     && rec.len <= size
	     && rec.data <= (const char *) data + size - rec.len,
	     "record data outside the input", 0);
	/* Right after its header, which may be longer than the shortest. */
	head = (size_t) (rec.data - (const char *) data) - at;
	must(head >= head_len(rec.len) && head <= 5, "record header", 0);
	must(data[at] == rec.type, "record type byte", 0);
	at += head + rec.len;
	sb_printf(out, "%d:%zu ", rec.type, rec.len);
    }
    if (status == 0)
	must(at == size, "the records end before the input", 0);
    else
	must(qfile_why(qf) && *qfile_why(qf), "a damaged input without reason", 0);
    sb_printf(out, "= %d %s", status, status < 0 ? qfile_why(qf) : "");
    qfile_close(qf);
}

/* walk_fd - the same from a file */

static void walk_fd(int fd, size_t limit, strbuf *out)
{
    QFILE  *qf;
    struct qfile_rec rec;
    int     status;

    must(lseek(fd, 0, SEEK_SET) == 0, "lseek memfd", 0);
    qf = qfile_open_fd(fd, limit);
    while ((status = qfile_next(qf, &rec)) > 0)
	sb_printf(out, "%d:%zu ", rec.type, rec.len);
    sb_printf(out, "= %d %s", status, status < 0 ? qfile_why(qf) : "");
    qfile_close(qf);
}

/* info - qfile_info_*() as a string, and its invariants */

static char *info(int status, const struct qfile_info *qi, const char *why)
{
    if (status < 0) {
	must(status == -1 && why && *why, "a failure without reason", why);
	return (xasprintf("-1 %s", why));
    }
    must(status == 0, "qfile_info status", 0);
    must(qi->arrival_time > 0, "arrival time not positive", 0);
    must(qi->message_size >= 0, "negative size", 0);
    return (xasprintf("%lld %lld", qi->arrival_time, qi->message_size));
}

/* display_ok - an address shown: no control byte, valid UTF-8 (ASCII without utf8) */

static void display_ok(const char *s, int utf8)
{
    for (const unsigned char *cp = (const unsigned char *) s; *cp;) {
	size_t  n = qtext_utf8_char(cp);

	must(n > 0 && *cp >= 0x20 && *cp != 0x7f, "a shown address is not printable", s);
	must(utf8 || n == 1, "8-bit text shown without smtputf8_enable", s);
	cp += n;
    }
}

struct env_ctx {
    strbuf *out;
    int     utf8;
};

/* env_addr - one sender or recipient: shown, checked, noted */

static void env_addr(void *ptr, const char *data, size_t len, int type)
{
    struct env_ctx *ctx = ptr;
    strbuf  shown = STRBUF_INIT;

    qtext_display(&shown, data, len, "MAILER-DAEMON", ctx->utf8);
    display_ok(shown.s, ctx->utf8);
    sb_printf(ctx->out, "%c:%s\n", type, shown.s);
    sb_free(&shown);
}

static void env_sender(void *ptr, const char *data, size_t len)
{
    env_addr(ptr, data, len, 'S');
}

static void env_recipient(void *ptr, const char *data, size_t len)
{
    env_addr(ptr, data, len, 'R');
}

/* envelope - the envelope as text: status, info, addresses */

static void envelope(const uint8_t *data, size_t size, int fd, const struct stat *st,
		             int utf8, strbuf *out)
{
    struct env_ctx ctx = {.out = out, .utf8 = utf8};
    struct qfile_env env = {.sender = env_sender, .recipient = env_recipient, .ctx = &ctx};
    struct qfile_info qi;
    const char *why = 0;
    int     status;

    status = fd < 0 ? qfile_envelope_mem(data, size, st, &qi, &env, &why)
	: qfile_envelope_fd(fd, st, &qi, &env, &why);
    must(status == 0 || status == -1, "envelope status", 0);
    if (status < 0)
	must(why && *why && out->len == 0, "not listed, yet addresses or no reason", why);
    else
	sb_printf(out, "= %lld %lld", qi.arrival_time, qi.message_size);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    strbuf  env_mem = STRBUF_INIT, env_file = STRBUF_INIT;
    int     utf8 = size > 0 && (data[size - 1] & 1);
    struct stat st;
    struct qfile_info qi;
    const char *why = 0;
    char   *mem_info, *fd_info;
    strbuf  mem = STRBUF_INIT, mem_small = STRBUF_INIT;
    strbuf  file = STRBUF_INIT, file_small = STRBUF_INIT;
    int     fd, status;

    memset(&st, 0, sizeof(st));
    st.st_size = (off_t) size;
    st.st_mtime = FUZZ_MTIME;
    status = qfile_info_mem(data, size, &st, &qi, &why);
    mem_info = info(status, &qi, why);
    walk(data, size, 0, &mem);
    envelope(data, size, -1, &st, utf8, &env_mem);
    walk(data, size, SMALL_LIMIT, &mem_small);

    /* The same from a file. */
    if ((fd = memfd_create("fuzz_qfile", 0)) >= 0) {
	must(write(fd, data, size) == (ssize_t) size, "write memfd", 0);
	why = 0;
	status = qfile_info_fd(fd, &st, &qi, &why);
	fd_info = info(status, &qi, why);
	must(strcmp(mem_info, fd_info) == 0, "info from a file differs", fd_info);
	walk_fd(fd, 0, &file);
	walk_fd(fd, SMALL_LIMIT, &file_small);
	must(strcmp(mem.s, file.s) == 0, "records from a file differ", file.s);
	must(strcmp(mem_small.s, file_small.s) == 0,
	     "records from a file differ (limit)", file_small.s);
	envelope(data, size, fd, &st, utf8, &env_file);
	must(strcmp(env_mem.s ? env_mem.s : "", env_file.s ? env_file.s : "") == 0,
	     "the envelope from a file differs", env_file.s);
	free(fd_info);
	close(fd);
    }
    free(mem_info);
    sb_free(&mem);
    sb_free(&mem_small);
    sb_free(&file);
    sb_free(&file_small);
    sb_free(&env_mem);
    sb_free(&env_file);
    return (0);
}
