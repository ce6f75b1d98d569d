#!/bin/bash
#
# Postfix-wrapper mode: "postmulti -p", directly and the way postfix(1)
# calls it through multi_instance_wrapper, with real masters started and
# stopped. Every run of /usr/sbin/postfix is recorded, so each check shows
# which postfix commands ran, for which instance, in which order.
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/wrapper.sh
#
# Expected to fail against Debian's postmulti 3.7.11: only the "no match"
# check, as it writes its fatal error to stderr only when stderr is a
# terminal.

. "$SRCDIR/tests/lib/scenario.sh"

#	config directory   name         group  enabled
#	/etc/postfix       -            -      yes (primary, wrapper set)
#	/etc/postfix-out   postfix-out  mta    yes
#	/etc/postfix-msa   postfix-msa  msa    no
#	/etc/postfix-null  -            mta    yes (nameless)
test_expect "setup: a primary and three secondaries" example_instances
test_expect "setup: record every run of postfix" record_postfix_calls
all="/etc/postfix /etc/postfix-out /etc/postfix-msa /etc/postfix-null"

expect_stdout "-p status: runs for every instance; none runs, so exit 1" 1 \
'MAIL_CONFIG=/etc/postfix postfix -- status
MAIL_CONFIG=/etc/postfix-out postfix -- status
MAIL_CONFIG=/etc/postfix-msa postfix -- status
MAIL_CONFIG=/etc/postfix-null postfix -- status' \
	postfix_calls postmulti -p status

expect_output "-p start: starts the enabled ones, checks the disabled one" \
'MAIL_CONFIG=/etc/postfix postfix -- start
MAIL_CONFIG=/etc/postfix-out postfix -- start
MAIL_CONFIG=/etc/postfix-msa postfix -- check
MAIL_CONFIG=/etc/postfix-null postfix -- start' \
	postfix_calls postmulti -p start

expect_output "after -p start: the disabled instance is not running" \
'/etc/postfix running
/etc/postfix-out running
/etc/postfix-msa stopped
/etc/postfix-null running' \
	masters $all

expect_output "-p reload: skips the disabled instance" \
'MAIL_CONFIG=/etc/postfix postfix -- reload
MAIL_CONFIG=/etc/postfix-out postfix -- reload
MAIL_CONFIG=/etc/postfix-null postfix -- reload' \
	postfix_calls postmulti -p reload

expect_output "-p flush: skips the disabled instance" \
'MAIL_CONFIG=/etc/postfix postfix -- flush
MAIL_CONFIG=/etc/postfix-out postfix -- flush
MAIL_CONFIG=/etc/postfix-null postfix -- flush' \
	postfix_calls postmulti -p flush

expect_stdout "-v -p flush: MAIL_VERBOSE is exported" 0 \
'MAIL_CONFIG=/etc/postfix MAIL_VERBOSE postfix -- flush
MAIL_CONFIG=/etc/postfix-out MAIL_VERBOSE postfix -- flush
MAIL_CONFIG=/etc/postfix-null MAIL_VERBOSE postfix -- flush' \
	postfix_calls postmulti -v -p flush

expect_output "-p stop: in reverse order, skipping the disabled instance" \
'MAIL_CONFIG=/etc/postfix-null postfix -- stop
MAIL_CONFIG=/etc/postfix-out postfix -- stop
MAIL_CONFIG=/etc/postfix postfix -- stop' \
	postfix_calls postmulti -p stop

expect_output "after -p stop: nothing runs" \
'/etc/postfix stopped
/etc/postfix-out stopped
/etc/postfix-msa stopped
/etc/postfix-null stopped' \
	masters $all

expect_output "-g mta -p start: the group only" \
'MAIL_CONFIG=/etc/postfix-out postfix -- start
MAIL_CONFIG=/etc/postfix-null postfix -- start' \
	postfix_calls postmulti -g mta -p start

expect_output "after -g mta -p start: only the group runs" \
'/etc/postfix stopped
/etc/postfix-out running
/etc/postfix-msa stopped
/etc/postfix-null running' \
	masters $all

expect_output "-g mta -p stop: the group only, in reverse order" \
'MAIL_CONFIG=/etc/postfix-null postfix -- stop
MAIL_CONFIG=/etc/postfix-out postfix -- stop' \
	postfix_calls postmulti -g mta -p stop

expect_output "-i postfix-msa -p start: a disabled instance is only checked" \
'MAIL_CONFIG=/etc/postfix-msa postfix -- check' \
	postfix_calls postmulti -i postfix-msa -p start

# A skipped instance is no match: nothing runs, and that is fatal.
expect_fail "-i postfix-msa -p stop: the disabled instance is skipped, no match" \
	'[Nn]o .*instance|postfix-msa' \
	postfix_calls postmulti -i postfix-msa -p stop

expect_output "after the group's stop: nothing runs" \
'/etc/postfix stopped
/etc/postfix-out stopped
/etc/postfix-msa stopped
/etc/postfix-null stopped' \
	masters $all

# Now as an administrator types it: postfix(1) hands the command to
# "postmulti -p --" (multi_instance_wrapper) for every instance.

expect_output "postfix start: through the wrapper, for every instance" \
'MAIL_CONFIG=(unset) postfix start
MAIL_CONFIG=/etc/postfix postfix -- start
MAIL_CONFIG=/etc/postfix-out postfix -- start
MAIL_CONFIG=/etc/postfix-msa postfix -- check
MAIL_CONFIG=/etc/postfix-null postfix -- start' \
	postfix_calls postfix start

expect_output "after postfix start: enabled instances run, the disabled one does not" \
'/etc/postfix running
/etc/postfix-out running
/etc/postfix-msa stopped
/etc/postfix-null running' \
	masters $all

expect_stdout "postfix status: every instance; the disabled one is down, so exit 1" 1 \
'MAIL_CONFIG=(unset) postfix status
MAIL_CONFIG=/etc/postfix postfix -- status
MAIL_CONFIG=/etc/postfix-out postfix -- status
MAIL_CONFIG=/etc/postfix-msa postfix -- status
MAIL_CONFIG=/etc/postfix-null postfix -- status' \
	postfix_calls postfix status

expect_output "postfix reload: the running instances" \
'MAIL_CONFIG=(unset) postfix reload
MAIL_CONFIG=/etc/postfix postfix -- reload
MAIL_CONFIG=/etc/postfix-out postfix -- reload
MAIL_CONFIG=/etc/postfix-null postfix -- reload' \
	postfix_calls postfix reload

expect_output "postfix stop: in reverse order" \
'MAIL_CONFIG=(unset) postfix stop
MAIL_CONFIG=/etc/postfix-null postfix -- stop
MAIL_CONFIG=/etc/postfix-out postfix -- stop
MAIL_CONFIG=/etc/postfix postfix -- stop' \
	postfix_calls postfix stop

expect_output "after postfix stop: nothing runs" \
'/etc/postfix stopped
/etc/postfix-out stopped
/etc/postfix-msa stopped
/etc/postfix-null stopped' \
	masters $all

done_testing
