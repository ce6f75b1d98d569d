#!/bin/bash
#
# Command lines postmulti refuses: each exits 1 with one "postmulti: fatal:"
# line on stderr (here stderr is a file, not a terminal) and changes no
# file.
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/errors.sh
#
# Expected to fail against Debian's postmulti 3.7.11: every expect_fail
# check, as it exits 1 but writes its fatal errors to stderr only when
# stderr is a terminal. Run under script(1) it prints messages these
# regular expressions match, except: "-Z" (getopt's own complaint comes
# first, then a fatal "Usage:" line, two lines in all) and "-j" (no such
# option at all, the same two lines).

. "$SRCDIR/tests/lib/scenario.sh"

#	config directory   name         group  enabled
#	/etc/postfix       -            -      yes (primary)
#	/etc/postfix-out   postfix-out  mta    yes
#	/etc/postfix-msa   postfix-msa  msa    no
#	/etc/postfix-null  -            mta    yes (nameless)
test_expect "setup: a primary and three secondaries" example_instances
snapshot

expect_fail "MAIL_CONFIG naming a secondary: no other primary is supported" \
	'/etc/postfix-out' \
	env MAIL_CONFIG=/etc/postfix-out postmulti -l

expect_output "MAIL_CONFIG naming the default config directory is fine" \
'-               -               y         /etc/postfix
postfix-out     mta             y         /etc/postfix-out
postfix-msa     msa             n         /etc/postfix-msa
-               mta             y         /etc/postfix-null' \
	env MAIL_CONFIG=/etc/postfix postmulti -l

expect_fail "no mode at all: the message names every mode, -L too" \
	'^postmulti: fatal: specify exactly one of -e, -k, -L, -l, -m, -p, -Q, -x$' \
	postmulti

expect_fail "--help: named whole, and there are no long options" \
	'^postmulti: fatal: invalid option "--help": postmulti has no long options; see man postmulti$' \
	postmulti --help

expect_fail "-l --version: named whole after another option" \
	'invalid option "--version"' \
	postmulti -l --version

expect_fail "an unknown letter" '^postmulti: fatal: invalid option -y; see man postmulti$' \
	postmulti -y

expect_fail "-l and -x together" '-l.*-x|-x.*-l' \
	postmulti -l -x true

expect_fail "-l and -p together" '-l.*-p|-p.*-l' \
	postmulti -l -p status

expect_fail "-l with a command" '-l' \
	postmulti -l status

expect_fail "-a and -g together" '-a.*-g|-g.*-a' \
	postmulti -a -g mta -l

expect_fail "-g and -i together" '-g.*-i|-i.*-g' \
	postmulti -g mta -i postfix-out -l

expect_fail "-i twice" '-i' \
	postmulti -i postfix-out -i postfix-msa -l

expect_fail "-g twice, even the same group" '-a.*-g.*-i' \
	postmulti -g mta -g mta -l

expect_fail "-a -a with -i" '-a.*-g.*-i' \
	postmulti -a -a -i postfix-out -l

expect_fail "two different -e actions" '-e' \
	postmulti -e init -e create

expect_fail "-p without a command" '[Cc]ommand.*-p|-p.*[Cc]ommand' \
	postmulti -p

expect_fail "-x without a command" '[Cc]ommand.*-x|-x.*[Cc]ommand' \
	postmulti -x

expect_fail "-R with -p" '-R' \
	postmulti -R -p status

expect_output "-R -R with -p: an even number of -R is no -R" \
'' \
	postmulti -R -R -p -i postfix-out check

expect_fail "an unknown option" '-Z|[Uu]sage' \
	postmulti -Z -l

expect_fail "-j without -l" '-j' \
	postmulti -j -x true

expect_unchanged "the refused commands changed no file"

done_testing
