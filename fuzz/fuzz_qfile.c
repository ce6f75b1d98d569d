/*
 * NAME
 *	fuzz_qfile 1
 * SUMMARY
 *	libFuzzer target: the queue-file reader
 * SYNOPSIS
 *	build/fuzz/fuzz_qfile [libFuzzer options] [corpus...]
 * DESCRIPTION
 *	Each input is a queue file: bytes from the Internet as far as the
 *	reader is concerned. LLVMFuzzerTestOneInput() reads its arrival
 *	time and size with qfile_info_mem(), as in and out of the maildrop
 *	queue, and walks every record with qfile_next(), under a small
 *	record limit and a large one, and checks what must hold:
 *
 *	Every record's data lies inside the input and is no longer than
 *	the limit; the walk ends (the pointer-loop guard: at most 10000
 *	pointers back, as Postfix allows, each replaying at most the
 *	input), with 0 or with -1 and a reason. qfile_info_mem() returns 0 with a size that is
 *	not negative and, without a size record, the file's size and
 *	mtime as fallbacks; or -1 with a reason.
 *
 *	tests/fuzz/run replays files through this function in the
 *	ordinary ASan build, with tests/tools/fuzz_replay.c as main().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "qfile.h"

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* must - abort with a reason when an invariant does not hold */

static void must(int cond, const char *what)
{
    if (!cond) {
	fprintf(stderr, "fuzz_qfile: invariant broken: %s\n", what);
	abort();
    }
}

/* walk - every record under a limit */

static void walk(const uint8_t *data, size_t len, size_t limit)
{
    QFILE  *qf = qfile_open_mem(data, len, limit);
    struct qfile_rec rec;
    int     status;
    long    n = 0;

    while ((status = qfile_next(qf, &rec)) > 0) {
	must(rec.len <= limit, "a record over the limit");
	must((const uint8_t *) rec.data >= data
	     && (const uint8_t *) rec.data + rec.len <= data + len, "record data outside the input");
	/* Each pointer back may replay the file: at most 10000 of them. */
	must(++n <= ((long) len + 1) * 10001, "more records than the pointer limit allows");
    }
    must(status == 0 || (status < 0 && qfile_why(qf) != 0), "an error without a reason");
    qfile_close(qf);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    struct stat st;

    memset(&st, 0, sizeof(st));
    st.st_size = (off_t) len;
    st.st_mtime = 1234567890;
    for (int maildrop = 0; maildrop < 2; maildrop++) {
	struct qfile_info info = {.maildrop = maildrop};
	const char *why = 0;

	if (qfile_info_mem(data, len, &st, &info, &why) == 0) {
	    must(info.message_size >= 0, "a negative size");
	    must(why == 0, "success with a reason");
	} else {
	    must(why != 0, "failure without a reason");
	}
    }
    walk(data, len, 16);
    walk(data, len, 1 << 20);
    return (0);
}
