/*
 * tap.h - the smallest test protocol that tests/run understands.
 *
 * Each check prints "ok - what" or "not ok - what"; tests/run counts the
 * lines. tap_done() returns the exit status: 1 when anything failed.
 */
#ifndef TAP_H
#define TAP_H

#include <stdio.h>
#include <string.h>

static int tap_failed;

#define TAP_OK(cond, ...) do { \
	int tap_c_ = !!(cond); \
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

static inline int tap_done(void)
{
    return (tap_failed != 0);
}

#endif
