#!/bin/bash
#
# Claims: every instance owns its name, config, queue and data directory,
# and two owners of one value are a fatal conflict, found before any
# command runs. The primary's shared directories (command, daemon, shlib)
# may coincide with each other.
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/claims.sh
#
# Expected to fail against Debian's postmulti 3.7.11: the expect_fail
# checks (it exits 1 but writes its fatal errors to stderr only when stderr
# is a terminal; under script(1) its messages match), and the
# shlib_directory = daemon_directory checks, where it reports a conflict
# that is none (the upstream false alarm).

. "$SRCDIR/tests/lib/scenario.sh"

#	config directory   name         group  enabled
#	/etc/postfix       -            -      yes (primary)
#	/etc/postfix-out   postfix-out  mta    yes
#	/etc/postfix-msa   postfix-msa  msa    no
#	/etc/postfix-null  -            mta    yes (nameless)
test_expect "setup: a primary and three secondaries" example_instances
test_expect "setup: record every run of postfix" record_postfix_calls

list='-               -               y         /etc/postfix
postfix-out     mta             y         /etc/postfix-out
postfix-msa     msa             n         /etc/postfix-msa
-               mta             y         /etc/postfix-null'

test_expect "setup: shlib_directory = daemon_directory in the primary" \
	postconf -e 'shlib_directory = /usr/lib/postfix/sbin'

expect_output "shared directories that coincide are no conflict: -l" \
	"$list" \
	postmulti -l

expect_output "shared directories that coincide are no conflict: -x" \
'/etc/postfix
/etc/postfix-out
/etc/postfix-msa
/etc/postfix-null' \
	postmulti -x sh -c 'echo "$MAIL_CONFIG"'

test_expect "setup: back to the default shlib_directory" \
	postconf -X shlib_directory

# twin - register /etc/postfix-twin, a copy of postfix-out under another
# name, whose one parameter named in the argument is set to the value given
twin() {
	rm -rf /etc/postfix-twin &&
	cp -a /etc/postfix-out /etc/postfix-twin &&
	postconf -c /etc/postfix-twin -e \
		'queue_directory = /var/spool/postfix-twin' \
		'data_directory = /var/lib/postfix-twin' \
		'multi_instance_name = postfix-twin' &&
	postconf -c /etc/postfix-twin -e "$1" &&
	postconf -e 'multi_instance_directories = /etc/postfix-out /etc/postfix-msa /etc/postfix-null /etc/postfix-twin'
}

test_expect "setup: a secondary with postfix-out's queue_directory" \
	twin 'queue_directory = /var/spool/postfix-out'
snapshot

expect_fail "same queue_directory: -l refuses" '/var/spool/postfix-out' \
	postmulti -l

expect_fail "same queue_directory: -p status runs nothing" '/var/spool/postfix-out' \
	postfix_calls postmulti -p status

expect_unchanged "same queue_directory: no file changed"

test_expect "setup: a secondary with postfix-out's data_directory" \
	twin 'data_directory = /var/lib/postfix-out'

expect_fail "same data_directory: -l refuses" '/var/lib/postfix-out' \
	postmulti -l

test_expect "setup: a secondary with postfix-out's name" \
	twin 'multi_instance_name = postfix-out'

expect_fail "same name: -x runs nothing" 'postfix-out' \
	postmulti -x sh -c 'echo "$MAIL_CONFIG"'

test_expect "setup: a secondary with the primary's queue_directory" \
	twin 'queue_directory = /var/spool/postfix'

expect_fail "the primary's queue_directory: -l refuses" '/var/spool/postfix([^-]|$)' \
	postmulti -l

test_expect "setup: a secondary whose queue_directory is the daemon_directory" \
	twin 'queue_directory = /usr/lib/postfix/sbin'

expect_fail "a shared directory as queue_directory: -l refuses" '/usr/lib/postfix/sbin' \
	postmulti -l

done_testing
