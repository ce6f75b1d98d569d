/*
 * NAME
 *	fuzz_replay 1
 * SUMMARY
 *	run a fuzz target on files, without libFuzzer
 * SYNOPSIS
 *	fuzz_replay file...
 * DESCRIPTION
 *	Linked with one of fuzz/fuzz_*.c, fuzz_replay passes the contents
 *	of each file to its LLVMFuzzerTestOneInput(), as libFuzzer would,
 *	and prints "ok - file" after each. A broken invariant aborts, and
 *	the sanitizers of the test build report what they find, so a
 *	crash input replays in the ordinary ASan build (tests/fuzz/run).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "msg.h"

int     LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int     main(int argc, char **argv)
{
    strbuf  data = STRBUF_INIT;

    for (int i = 1; i < argc; i++) {
	if (read_file(argv[i], &data, 64 << 20) < 0)
	    msg_fatal("read %s: %s", argv[i], strerror(errno));
	/* A copy of the exact size, so ASan sees reads past the end. */
	char   *copy = xmalloc(data.len);

	memcpy(copy, data.s, data.len);
	LLVMFuzzerTestOneInput((const uint8_t *) copy, data.len);
	free(copy);
	printf("ok - %s\n", argv[i]);
	fflush(stdout);
    }
    sb_free(&data);
    return (0);
}
