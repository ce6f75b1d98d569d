#!/bin/bash
#
# A destroy that fails half way, after its checks passed and the first
# files went: removed files cannot come back, so it warns about each
# thing it removed ("-e destroy: removed PATH": a file, or a directory
# with everything in it, once), then says in one fatal line what failed
# and the command that finishes the job; the instance stays registered
# until then. Run again once the cause is gone, the same command
# finishes, silently. A destroy that succeeds says nothing about what it
# removed, except with -v.
#
# The failures are real ones that no check beforehand can foresee:
# a directory that is a mount point cannot be removed (EBUSY), and a full
# file system stops the unregistration.
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/destroy_halfway.sh
#
# Expected to fail against Debian's postmulti 3.7.11: nearly all of it;
# it unregisters the instance first and removes only what "rmdir" can,
# and writes its fatal errors to stderr only when that is a terminal.

. "$SRCDIR/tests/lib/scenario.sh"

# left_of NAME - which of an instance's directories exist, then what is
# registered
left_of() {
	existing "/etc/$1" "/var/spool/$1" "/var/lib/$1"
	registered
}

# finish DIR - the fatal line's advice, for the instance in DIR
finish() {
	echo "the instance is partly removed and still registered: fix that, then run \"postmulti -i $1 -e destroy\""
}

test_expect "setup: -e init" \
	postmulti -e init
for i in x y z q v; do
	test_expect "setup: -e create -I postfix-$i" \
		postmulti -e create -I "postfix-$i"
done

# ---------------------------------------------------------------------
# The data directory is a mount point: the queue is gone by then

test_expect "setup: a file system mounted on /var/lib/postfix-x" \
	mount -t tmpfs -o mode=0700 tmpfs /var/lib/postfix-x
expect_stdout "-e destroy: warns about what went, then says what failed and how to finish" 1 \
"postmulti: warning: -e destroy: removed /etc/postfix-x/master.cf
postmulti: warning: -e destroy: removed /var/spool/postfix-x
postmulti: fatal: remove /var/lib/postfix-x: Device or resource busy; $(finish /etc/postfix-x)" \
	both_masked postmulti -i postfix-x -e destroy
expect_output "the files are as it says: master.cf and the queue gone, main.cf still there" \
'/etc/postfix-x/main.cf
/var/lib/postfix-x' \
	existing /etc/postfix-x/master.cf /etc/postfix-x/main.cf /var/spool/postfix-x /var/lib/postfix-x
expect_output "still registered" \
'/etc/postfix-x
/etc/postfix-y
/etc/postfix-z
/etc/postfix-q
/etc/postfix-v' \
	registered
test_expect "setup: the file system unmounted" \
	umount /var/lib/postfix-x
expect_output "the command it names finishes the job, silently" "" \
	postmulti -i /etc/postfix-x -e destroy
expect_output "postfix-x is gone and unregistered" \
'/etc/postfix-y
/etc/postfix-z
/etc/postfix-q
/etc/postfix-v' \
	left_of postfix-x

# ---------------------------------------------------------------------
# A queue subdirectory is a mount point: the queue sweep stops half way,
# and what it removed is listed one subdirectory or file a line

# mount_pid - a file system on postfix-y's pid directory, a pid file in it
mount_pid() {
	mount -t tmpfs -o mode=0755 tmpfs /var/spool/postfix-y/pid &&
	echo 12345 >/var/spool/postfix-y/pid/master.pid
}
test_expect "setup: a file system mounted on /var/spool/postfix-y/pid, a pid file in it" \
	mount_pid
# What went, computed from the queue as Postfix made it: every
# subdirectory but pid, which stays with its pid file gone.
expected="postmulti: warning: -e destroy: removed /etc/postfix-y/master.cf"
for d in $(ls /var/spool/postfix-y | LC_ALL=C sort); do
	[ "$d" = pid ] && d=pid/master.pid
	expected="$expected
postmulti: warning: -e destroy: removed /var/spool/postfix-y/$d"
done
expected="$expected
postmulti: fatal: remove /var/spool/postfix-y/pid: Device or resource busy; $(finish /etc/postfix-y)"
expect_stdout "-e destroy: each queue subdirectory that went, the pid file, then the fatal line" 1 \
	"$expected" \
	both_masked postmulti -i postfix-y -e destroy
# queue_and_data_y - what is left of postfix-y's queue, and its data directory
queue_and_data_y() {
	find /var/spool/postfix-y | sort
	existing /var/lib/postfix-y
}
expect_output "the queue holds what the warnings do not name: pid, empty; the data directory stays" \
'/var/spool/postfix-y
/var/spool/postfix-y/pid
/var/lib/postfix-y' \
	queue_and_data_y
test_expect "setup: the file system unmounted" \
	umount /var/spool/postfix-y/pid
expect_output "the command it names finishes the job, silently" "" \
	postmulti -i /etc/postfix-y -e destroy
expect_output "postfix-y is gone and unregistered" \
'/etc/postfix-z
/etc/postfix-q
/etc/postfix-v' \
	left_of postfix-y

# ---------------------------------------------------------------------
# Success: nothing new on stderr; with -v, each removal as information

expect_output "-e destroy that succeeds: says nothing" "" \
	postmulti -i postfix-q -e destroy
# verbose_removals NAME - the lines of -v -e destroy about what it removed
verbose_removals() {
	postmulti -v -i "$1" -e destroy 2>&1 | grep "^postmulti: -e destroy: "
}
expect_output "-v -e destroy: each removal an informational line" \
'postmulti: -e destroy: removed /etc/postfix-v/master.cf
postmulti: -e destroy: removed /var/spool/postfix-v
postmulti: -e destroy: removed /var/lib/postfix-v
postmulti: -e destroy: removed /etc/postfix-v/main.cf
postmulti: -e destroy: removed /etc/postfix-v' \
	verbose_removals postfix-v
expect_output "postfix-q and postfix-v are gone" "" \
	existing /etc/postfix-q /var/spool/postfix-q /var/lib/postfix-q \
		/etc/postfix-v /var/spool/postfix-v /var/lib/postfix-v

# ---------------------------------------------------------------------
# No room for the unregistration, the last step: everything went but
# the registration (/etc/postfix on a full tmpfs, with a copy of its
# files)

test_expect "setup: /etc/postfix on a full tmpfs" \
	fill_primary
expect_stdout "-e destroy with no room to unregister: every removal, then the fatal line" 1 \
"postmulti: warning: -e destroy: removed /etc/postfix-z/master.cf
postmulti: warning: -e destroy: removed /var/spool/postfix-z
postmulti: warning: -e destroy: removed /var/lib/postfix-z
postmulti: warning: -e destroy: removed /etc/postfix-z/main.cf
postmulti: warning: -e destroy: removed /etc/postfix-z
postmulti: fatal: write /etc/postfix/.main.cf.postmulti.XXXXXX: No space left on device; $(finish /etc/postfix-z)" \
	both_masked postmulti -i postfix-z -e destroy
expect_output "everything went but the registration" \
'/etc/postfix-z' \
	left_of postfix-z
test_expect "setup: room again" \
	rm /etc/postfix/filler
expect_stdout "the command it names finishes the job: it only unregisters, as it warns" 0 \
'postmulti: warning: /etc/postfix-z/main.cf is gone: unregistering /etc/postfix-z; its queue and data directories, if any, are unknown and left alone' \
	both_masked postmulti -i /etc/postfix-z -e destroy
expect_output "postfix-z is unregistered" "" \
	registered
test_expect "setup: the primary's own /etc/postfix back" \
	umount /etc/postfix

done_testing
