#!/bin/bash
#
# The command lines of Debian's postfix@.service, one instance at a time:
#
#	ExecStartPre=/usr/lib/postfix/configure-instance.sh %i
#	ExecStart=/usr/sbin/postmulti -i %i -p start
#	ExecStop=/usr/sbin/postmulti -i %i -p stop
#	ExecReload=/usr/sbin/postmulti -i %i -p reload
#
# where %i is an instance name, or "-" for the primary (postfix@-.service);
# configure-instance.sh itself runs "postmulti -i %i -x postconf ...".
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/systemd.sh
#
# Debian's postmulti 3.7.11 passes every check here.

. "$SRCDIR/tests/lib/scenario.sh"

# Debian 13 (Postfix 3.10) has no generator, and its postfix@.service runs
# postfix with MAIL_CONFIG, not postmulti: nothing here applies there (its
# init script's use of postmulti is in initscript.sh).
if ! grep -qs postmulti /lib/systemd/system/postfix@.service; then
	skip "the command lines of Debian 12's postfix@.service" "this postfix@.service does not run postmulti"
	done_testing
fi

#	config directory   name         group  enabled
#	/etc/postfix       -            -      yes (primary)
#	/etc/postfix-out   postfix-out  mta    yes
#	/etc/postfix-msa   postfix-msa  msa    no
#	/etc/postfix-null  -            mta    yes (nameless)
test_expect "setup: a primary and three secondaries" example_instances
all="/etc/postfix /etc/postfix-out /etc/postfix-msa /etc/postfix-null"

expect_output "postmulti -i postfix-out -x postconf -h queue_directory" \
'/var/spool/postfix-out' \
	postmulti -i postfix-out -x postconf -h queue_directory

expect_output "postmulti -i - -x postconf -h queue_directory" \
'/var/spool/postfix' \
	postmulti -i - -x postconf -h queue_directory

test_expect "postfix@postfix-out: configure-instance.sh postfix-out" \
	/usr/lib/postfix/configure-instance.sh postfix-out

test_expect "postfix@postfix-out: postmulti -i postfix-out -p start" \
	postmulti -i postfix-out -p start

expect_output "after the start of postfix@postfix-out: it alone runs" \
'/etc/postfix stopped
/etc/postfix-out running
/etc/postfix-msa stopped
/etc/postfix-null stopped' \
	masters $all

test_expect "postfix@postfix-out: postmulti -i postfix-out -p reload" \
	postmulti -i postfix-out -p reload

test_expect "postfix@-: configure-instance.sh -" \
	/usr/lib/postfix/configure-instance.sh -

test_expect "postfix@-: postmulti -i - -p start" \
	postmulti -i - -p start

expect_output "after the start of postfix@-: the primary runs too" \
'/etc/postfix running
/etc/postfix-out running
/etc/postfix-msa stopped
/etc/postfix-null stopped' \
	masters $all

test_expect "postfix@postfix-msa: configure-instance.sh postfix-msa" \
	/usr/lib/postfix/configure-instance.sh postfix-msa

test_expect "postfix@postfix-msa: -p start of a disabled instance only checks it" \
	postmulti -i postfix-msa -p start

test_expect "postfix@postfix-out: postmulti -i postfix-out -p stop" \
	postmulti -i postfix-out -p stop

test_expect "postfix@-: postmulti -i - -p reload" \
	postmulti -i - -p reload

test_expect "postfix@-: postmulti -i - -p stop" \
	postmulti -i - -p stop

expect_output "after the stops: nothing runs" \
'/etc/postfix stopped
/etc/postfix-out stopped
/etc/postfix-msa stopped
/etc/postfix-null stopped' \
	masters $all

done_testing
