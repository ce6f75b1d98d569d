/*
 * tap.h - the smallest test protocol that tests/run understands.
 *
 * Each check prints "ok - what" or "not ok - what"; tests/run counts the
 * lines. tap_done() prints the plan line "1..N" (the checks run) and
 * returns the exit status: 1 when anything failed.
 */
#ifndef TAP_H
#define TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static int tap_failed;

/*
 * The number of checks run, shared with forked children (some checks run
 * in a child that changes its credentials), for the plan line.
 */
static int *tap_shared;

__attribute__((constructor)) static void tap_init(void)
{
    tap_shared = mmap(0, sizeof(*tap_shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (tap_shared == MAP_FAILED)
	abort();
}

#define tap_run (*tap_shared)

#define TAP_OK(cond, ...) do { \
	int tap_c_ = !!(cond); \
	tap_run++; \
	printf("%s - ", tap_c_ ? "ok" : "not ok"); \
	printf(__VA_ARGS__); \
	printf("\n"); \
	if (!tap_c_) { \
	    tap_failed++; \
	    printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	} \
	fflush(stdout); \
    } while (0)

#define TAP_STREQ(got, want, ...) do { \
	const char *tap_g_ = (got), *tap_w_ = (want); \
	int tap_s_ = (tap_g_ && tap_w_) ? strcmp(tap_g_, tap_w_) == 0 : tap_g_ == tap_w_; \
	TAP_OK(tap_s_, __VA_ARGS__); \
	if (!tap_s_) \
	    printf("#   got:  \"%s\"\n#   want: \"%s\"\n", tap_g_ ? tap_g_ : "(null)", tap_w_ ? tap_w_ : "(null)"); \
    } while (0)

/* TAP_SKIP - a check that cannot run here, counted as passed */
#define TAP_SKIP(why, ...) do { \
	tap_run++; \
	printf("ok - "); \
	printf(__VA_ARGS__); \
	printf(" # SKIP %s\n", (why)); \
	fflush(stdout); \
    } while (0)

/* tap_done - the plan line, after the checks; the exit status */
static inline int tap_done(void)
{
    printf("1..%d\n", tap_run);
    fflush(stdout);
    return (tap_failed != 0);
}

#endif
