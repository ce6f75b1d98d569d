#!/bin/bash
#
# Life-cycle mode, the way the manual walks through it: the whole life of
# one instance (init, create, enable, start, mail, stop, disable,
# destroy), then the details of create and import (directories, placement
# in multi_instance_directories, the files written, compared with what
# Debian's own postmulti writes), assign, enable and disable.
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/lifecycle.sh
#
# Expected to fail against Debian's postmulti 3.7.11, where it differs on
# purpose: it writes init's two lines, and name and group, in a random
# order (postconf's hash order), and rewrites main.cf when nothing
# changes; its destroy leaves the queue and data directories of an
# instance that ran (pid and lock files); it makes a missing parent
# directory 0700; it keeps "/etc/postfix-hand/" in
# alternate_config_directories when importing /etc/postfix-hand; its
# fatal errors go to stderr only when that is a terminal; and -e init
# from a copy of the binary writes the standard wrapper.

. "$SRCDIR/tests/lib/scenario.sh"

# ---------------------------------------------------------------------
# The whole life of one instance.

# The primary's mail spool, /var/mail, is not part of the sandbox.
test_expect "setup: a private /var/mail" \
	mount -t tmpfs -o mode=2775 tmpfs /var/mail
cp /etc/postfix/main.cf "$T/main.cf.stock"
test_expect "-e init" \
	postmulti -e init
expect_output "-e init: wrapper and multi_instance_enable set, nothing else" \
'> multi_instance_wrapper = ${command_directory}/postmulti -p --
> multi_instance_enable = yes' \
	diff_lines "$T/main.cf.stock" /etc/postfix/main.cf
cp /etc/postfix/main.cf "$T/main.cf.init"

id=$(file_id /etc/postfix/main.cf)
test_expect "-e init again: exit 0" \
	postmulti -e init
expect_output "-e init again: nothing to do, main.cf not rewritten" "$id" \
	file_id /etc/postfix/main.cf
# init_with_options - -e init with -a, with -g, and with -e twice
init_with_options() {
	postmulti -a -e init && postmulti -g mta -e init && postmulti -e init -e init
}
test_expect "-a -e init, -g mta -e init: init ignores -a and -g, as upstream" \
	init_with_options
expect_output "-a -e init, -g mta -e init, -e init -e init: nothing to do" "$id" \
	file_id /etc/postfix/main.cf

test_expect "-e create -I postfix-life -G g1" \
	postmulti -e create -I postfix-life -G g1
expect_output "-l: the new instance is listed, disabled" \
'-               -               y         /etc/postfix
postfix-life    g1              n         /etc/postfix-life' \
	postmulti -l
test_expect "-e enable" \
	postmulti -i postfix-life -e enable
expect_output "-l: the new instance is enabled" \
'-               -               y         /etc/postfix
postfix-life    g1              y         /etc/postfix-life' \
	postmulti -l

# Let root submit mail to it, and have its local(8) deliver into a mail
# spool of its own, so that what it delivers can't be the primary's.
# own_mail_spool - postfix-life accepts anyone's mail, and delivers
# into a mail spool of its own
own_mail_spool() {
	mkdir -m 1777 /var/lib/life-mail &&
	postconf -c /etc/postfix-life -e authorized_submit_users=static:anyone \
		mail_spool_directory=/var/lib/life-mail
}
test_expect "setup: postfix-life accepts root's mail, delivers to /var/lib/life-mail" \
	own_mail_spool

test_expect "postfix start: through the wrapper" \
	postfix start
expect_output "after postfix start: both masters run" \
'/etc/postfix running
/etc/postfix-life running' \
	masters /etc/postfix /etc/postfix-life
# mail_to_root - a message to root, through postfix-life
mail_to_root() {
	printf "Subject: life test\n\nhello\n" | sendmail -C /etc/postfix-life root
}
test_expect "sendmail -C /etc/postfix-life root" \
	mail_to_root
test_expect "the message arrives in postfix-life's mail spool" \
	wait_for_file /var/lib/life-mail/root
expect_output "delivered by postfix-life's local(8), with its queue id" \
'Subject: life test' \
	grep -x 'Subject: life test' /var/lib/life-mail/root
expect_output "the primary's mail spool got nothing" "" \
	find /var/mail -type f
expect_output "postfix-life's queue is empty again" \
'Mail queue is empty' \
	postqueue -c /etc/postfix-life -p
test_expect "postfix stop" \
	postfix stop
expect_output "after postfix stop: no master runs" \
'/etc/postfix stopped
/etc/postfix-life stopped' \
	masters /etc/postfix /etc/postfix-life

test_expect "-e disable" \
	postmulti -i postfix-life -e disable
test_expect "-e destroy" \
	postmulti -i postfix-life -e destroy
expect_output "-e destroy: config, queue and data directories are gone" "" \
	existing /etc/postfix-life /var/spool/postfix-life /var/lib/postfix-life
expect_output "-e destroy: -l shows the primary alone" \
'-               -               y         /etc/postfix' \
	postmulti -l
expect_output "-e destroy: of the primary's main.cf only the (now empty) list changed" \
'> multi_instance_directories = ' \
	diff_lines "$T/main.cf.init" /etc/postfix/main.cf
rm -rf /var/lib/life-mail

# ---------------------------------------------------------------------
# create: directories and placement in multi_instance_directories.

test_expect "-e create -I postfix-b -G mta" \
	postmulti -e create -I postfix-b -G mta
expect_output "default directories are named after the instance" \
'/var/spool/postfix-b
/var/lib/postfix-b' \
	postconf -c /etc/postfix-b -h queue_directory data_directory
expect_output "modes: config 0755 root, queue 0755 root, data 0700 postfix" \
'755 root /etc/postfix-b
755 root /var/spool/postfix-b
700 postfix /var/lib/postfix-b' \
	stat -c '%a %U %n' /etc/postfix-b /var/spool/postfix-b /var/lib/postfix-b
expect_output "master.cf is master.cf.proto" "" \
	cmp /etc/postfix/master.cf.proto /etc/postfix-b/master.cf
expect_output "set-permissions ran: the queue has its subdirectories" \
'active bounce corrupt defer deferred flush hold incoming maildrop pid private public saved trace' \
	one_line ls /var/spool/postfix-b

test_expect "-e create -I postfix-d -G mta: placed last by default" \
	postmulti -e create -I postfix-d -G mta
test_expect "-a -e create -I postfix-a: placed first" \
	postmulti -a -e create -I postfix-a
test_expect "-g mta -e create -I postfix-g: before the first of group mta" \
	postmulti -g mta -e create -I postfix-g
test_expect "-i postfix-d -e create -I postfix-i: before postfix-d" \
	postmulti -i postfix-d -e create -I postfix-i
expect_output "multi_instance_directories in the order asked for" \
'/etc/postfix-a
/etc/postfix-g
/etc/postfix-b
/etc/postfix-i
/etc/postfix-d' \
	registered
expect_output "-l agrees" \
'-               -               y         /etc/postfix
postfix-a       -               n         /etc/postfix-a
postfix-g       -               n         /etc/postfix-g
postfix-b       mta             n         /etc/postfix-b
postfix-i       -               n         /etc/postfix-i
postfix-d       mta             n         /etc/postfix-d' \
	postmulti -l

test_expect "create with explicit directories, trailing / trimmed, parents made" \
	postmulti -e create -I postfix-x \
	config_directory=/etc/px/ queue_directory=/var/spool/px// data_directory=/var/lib/px/data/
expect_output "the instance uses the directories given, without the trailing /" \
'/var/spool/px
/var/lib/px/data' \
	postconf -c /etc/px -h queue_directory data_directory
expect_output "registered as /etc/px" \
'postfix-x       -               n         /etc/px' \
	postmulti -i postfix-x -l
expect_output "the missing parent /var/lib/px is made 0755, the data dir 0700" \
'755 /var/lib/px
700 /var/lib/px/data' \
	stat -c '%a %n' /var/lib/px /var/lib/px/data

test_expect "nameless create (-I -) with all three directories" \
	postmulti -e create -I - -G nameless \
	config_directory=/etc/pn queue_directory=/var/spool/pn data_directory=/var/lib/pn
expect_output "the nameless instance is listed by its directory" \
'-               nameless        n         /etc/pn' \
	postmulti -i /etc/pn -l
expect_output "a nameless instance's main.cf does not set a name at all" "" \
	postconf -c /etc/pn -n multi_instance_name

# ---------------------------------------------------------------------
# import

# unregister - drop a directory from multi_instance_directories by hand
unregister() {
	postconf -e "multi_instance_directories = $(registered | grep -vx "$1" | xargs)"
}
test_expect "setup: an instance made by hand" \
	make_instance /etc/postfix-hand postfix-hand hand no
# unregister_as_alternate - /etc/postfix-hand unregistered by hand, and
# listed as an alternate directory (with a trailing slash)
unregister_as_alternate() {
	unregister /etc/postfix-hand &&
	postconf -e "alternate_config_directories = /etc/other /etc/postfix-hand/"
}
test_expect "setup: unregistered, listed as an alternate directory" \
	unregister_as_alternate
cp /etc/postfix-hand/main.cf "$T/hand.cf"
test_expect "-e import config_directory=/etc/postfix-hand" \
	postmulti -e import config_directory=/etc/postfix-hand
# last_listed - the last line of postmulti -l
last_listed() {
	postmulti -l | tail -n 1
}
expect_output "import registers it last, as it is" \
'postfix-hand    hand            n         /etc/postfix-hand' \
	last_listed
expect_output "import drops it from alternate_config_directories" \
'/etc/other' \
	postconf -h alternate_config_directories
expect_output "import leaves its main.cf alone" "" \
	cmp "$T/hand.cf" /etc/postfix-hand/main.cf

test_expect "setup: unregister it again" \
	unregister /etc/postfix-hand
test_expect "-e create -I postfix-hand -G moved over a complete instance imports it" \
	postmulti -e create -I postfix-hand -G moved
expect_output "the instance is registered with the new group, its queue kept" \
'postfix-hand    moved           n         /etc/postfix-hand' \
	postmulti -i postfix-hand -l
expect_output "of its main.cf only the group changed" \
'< multi_instance_group = hand
> multi_instance_group = moved' \
	diff_lines "$T/hand.cf" /etc/postfix-hand/main.cf

# ---------------------------------------------------------------------
# assign, enable, disable

cp /etc/postfix-b/main.cf "$T/b.cf"
test_expect "-e assign -I postfix-bee: rename" \
	postmulti -i postfix-b -e assign -I postfix-bee
test_expect "-e assign -G relay: regroup, by the new name" \
	postmulti -i bee -e assign -G relay
expect_output "-l shows the new name and group" \
'postfix-bee     relay           n         /etc/postfix-b' \
	postmulti -i /etc/postfix-b -l
expect_output "of main.cf only the two lines changed" \
'< multi_instance_name = postfix-b
< multi_instance_group = mta
> multi_instance_name = postfix-bee
> multi_instance_group = relay' \
	diff_lines "$T/b.cf" /etc/postfix-b/main.cf
test_expect "-e assign -G -: no group" \
	postmulti -i postfix-bee -e assign -G -
expect_output "-G - leaves the group empty" \
'postfix-bee     -               n         /etc/postfix-b' \
	postmulti -i postfix-bee -l
id=$(file_id /etc/postfix-b/main.cf)
test_expect "-e assign with no change: exit 0" \
	postmulti -i postfix-bee -e assign -I postfix-bee -G -
expect_output "-e assign with no change: main.cf not rewritten" "$id" \
	file_id /etc/postfix-b/main.cf

test_expect "-e enable of a secondary" \
	postmulti -i postfix-bee -e enable
expect_output "multi_instance_enable = yes" 'yes' \
	postconf -c /etc/postfix-b -h multi_instance_enable
id=$(file_id /etc/postfix-b/main.cf)
test_expect "-e enable again: exit 0" \
	postmulti -i postfix-bee -e enable
expect_output "-e enable again: main.cf not rewritten" "$id" \
	file_id /etc/postfix-b/main.cf
test_expect "-e disable of a secondary" \
	postmulti -i postfix-bee -e disable
expect_output "multi_instance_enable = no" 'no' \
	postconf -c /etc/postfix-b -h multi_instance_enable

# What Debian's postmulti does (checked in the sandbox): "postconf -e"
# every time, so the parameter is written even where the value is the
# default, a definition in other words is rewritten in place, and one
# that already reads "name = value" stays as it is.
cp /etc/postfix-b/main.cf "$T/b.cf"
test_expect "setup: postfix-bee without multi_instance_enable" \
	postconf -c /etc/postfix-b -X multi_instance_enable
test_expect "-e disable of an instance without the parameter (default no)" \
	postmulti -i postfix-bee -e disable
expect_output "-e disable wrote multi_instance_enable = no all the same, at the end" \
"$(grep -v '^multi_instance_enable = ' "$T/b.cf")
multi_instance_enable = no" \
	cat /etc/postfix-b/main.cf
# enable_line - postfix-b's multi_instance_enable setting replaced by
# the line given, as its third line
enable_line() {
	postconf -c /etc/postfix-b -X multi_instance_enable && sed -i "3i $1" /etc/postfix-b/main.cf
}
test_expect "setup: multi_instance_enable=NO in the middle of the file" \
	enable_line "multi_instance_enable=NO"
cp /etc/postfix-b/main.cf "$T/b.cf"
test_expect "-e disable where it says NO" \
	postmulti -i postfix-bee -e disable
expect_output "-e disable rewrote the line in place, in postconf's words" \
'< multi_instance_enable=NO
> multi_instance_enable = no' \
	diff_lines "$T/b.cf" /etc/postfix-b/main.cf
test_expect "setup: multi_instance_enable = no in the middle of the file" \
	enable_line "multi_instance_enable = no"
id=$(file_id /etc/postfix-b/main.cf)
test_expect "-e disable where it already says so" \
	postmulti -i postfix-bee -e disable
expect_output "-e disable where it already says so: main.cf not rewritten" "$id" \
	file_id /etc/postfix-b/main.cf

test_expect "-e disable of the primary" \
	postmulti -i - -e disable
expect_output "the primary's multi_instance_enable = no" 'no' \
	postconf -h multi_instance_enable
expect_fail "with the primary disabled, life-cycle actions ask for init" \
	'multi_instance_enable.*-e init' \
	postmulti -i postfix-bee -e enable
expect_fail "-e enable of the primary: needs init, as upstream" \
	'multi_instance_enable.*-e init' \
	postmulti -i - -e enable
test_expect "-e init enables the primary again" \
	postmulti -e init
expect_output "the primary's main.cf is as init left it, apart from the lists" \
'multi_instance_wrapper = ${command_directory}/postmulti -p --
multi_instance_enable = yes
multi_instance_directories = /etc/postfix-a /etc/postfix-g /etc/postfix-b /etc/postfix-i /etc/postfix-d /etc/px /etc/pn /etc/postfix-hand
alternate_config_directories = /etc/other' \
	tail -n 4 /etc/postfix/main.cf

# ---------------------------------------------------------------------
# -e init from a copy of the binary elsewhere writes its own path. The
# copy goes to a tmpfs, as /usr/local is not part of the sandbox.

# copy_postmulti - /usr/local/sbin on a tmpfs, with a copy of postmulti
# as pm-copy
copy_postmulti() {
	mount -t tmpfs tmpfs /usr/local/sbin &&
	cp /usr/sbin/postmulti /usr/local/sbin/pm-copy
}
test_expect "setup: a copy of postmulti as /usr/local/sbin/pm-copy" \
	copy_postmulti
# A copy never re-points a wrapper that is set, nor names itself where
# $command_directory/postmulti exists, unless -W asks: after "make clean"
# in a build tree, "postfix start" would fail (the manual's DIFFERENCES).
test_expect "setup: forget the wrapper" \
	postconf -X multi_instance_wrapper
expect_output "pm-copy -e init, no wrapper set: the standard one, exit 0 with a warning that says so" \
'postmulti: warning: multi_instance_wrapper = ${command_directory}/postmulti -p --: "postfix start" runs /usr/sbin/postmulti, not this program (/usr/local/sbin/pm-copy); use -e init -W to point it here' \
	both /usr/local/sbin/pm-copy -e init
expect_output "... the wrapper is the standard one" \
'${command_directory}/postmulti -p --' \
	postconf -nh multi_instance_wrapper
expect_output "pm-copy -e init -W: the wrapper names the copy, and it says so" \
'postmulti: multi_instance_wrapper = /usr/local/sbin/pm-copy -p --: "postfix start" runs /usr/local/sbin/pm-copy' \
	both /usr/local/sbin/pm-copy -e init -W
expect_output "... the wrapper names the copy" \
'/usr/local/sbin/pm-copy -p --' \
	postconf -nh multi_instance_wrapper
expect_fail "-W with another action" '^postmulti: fatal: -W can be used only with -e init$' \
	/usr/local/sbin/pm-copy -e enable -W -i postfix-a
expect_fail "-W with another mode" '^postmulti: fatal: -W can be used only with -e init$' \
	/usr/local/sbin/pm-copy -l -W
test_expect "setup: the standard wrapper back" \
	postmulti -e init
expect_output "-e init from \$command_directory/postmulti: the standard wrapper" \
'${command_directory}/postmulti -p --' \
	postconf -nh multi_instance_wrapper
expect_output "pm-copy -e init with a wrapper set: left as it is, exit 0 with a warning" \
'postmulti: warning: multi_instance_wrapper left as "${command_directory}/postmulti -p --": this program (/usr/local/sbin/pm-copy) is not /usr/sbin/postmulti; use -e init -W to point it here' \
	both /usr/local/sbin/pm-copy -e init
expect_output "... the wrapper is still the standard one" \
'${command_directory}/postmulti -p --' \
	postconf -nh multi_instance_wrapper

# ---------------------------------------------------------------------
# The files create writes, compared with Debian's postmulti's for the
# same commands (umount uncovers Debian's binary). Debian's runs
# "postconf -e" with several names at once, which appends the missing
# ones in a hash order with a per-run random seed, so the lines are
# compared in sorted order: the same lines, the appended ones in some
# order. The primary's main.cf is compared byte for byte, apart from
# that order.

# create_set - the four creates, run by whichever postmulti is installed,
# from a fresh primary; leave copies of the main.cf files in $T/$1
create_set() {
	local d
	rm -rf /etc/postfix-* /etc/px /etc/pn /var/spool/postfix-* /var/spool/px \
		/var/spool/pn /var/lib/postfix-* /var/lib/px /var/lib/pn &&
	cp "$T/main.cf.stock" /etc/postfix/main.cf &&
	postmulti -e init &&
	postmulti -I postfix-out -G mta -e create &&
	postmulti -I postfix-in -e create &&
	postmulti -I - -G grp -e create config_directory=/etc/pn/ \
		queue_directory=/var/spool/pn data_directory=/var/lib/pn &&
	postmulti -I postfix-q -G grp -e create queue_directory=/var/spool/pq &&
	mkdir -p "$T/$1" &&
	for d in /etc/postfix /etc/postfix-out /etc/postfix-in /etc/pn /etc/postfix-q; do
		cp "$d/main.cf" "$T/$1/${d#/etc/}.main.cf" || return
		cp "$d/master.cf" "$T/$1/${d#/etc/}.master.cf" || return
	done
}
# with_debian - run a command with Debian's postmulti uncovered
with_debian() {
	local rc
	[ -n "$POSTMULTI_BIN" ] || { "$@"; return; }
	umount /usr/sbin/postmulti || return
	"$@"
	rc=$?
	mount --bind "$POSTMULTI_BIN" /usr/sbin/postmulti || return
	return $rc
}
test_expect "setup: four creates by our postmulti" create_set ours
test_expect "setup: four creates by Debian's postmulti" with_debian create_set debian
proto_lines=$(wc -l </etc/postfix/main.cf.proto)
for f in postfix-out postfix-in pn postfix-q; do
	expect_output "$f/main.cf: the same lines as Debian's" \
		"$(sorted_lines "$T/debian/$f.main.cf")" \
		sorted_lines "$T/ours/$f.main.cf"
	expect_output "$f/main.cf: the same bytes as Debian's, up to the appended lines" "" \
		cmp <(head -n "$proto_lines" "$T/debian/$f.main.cf") \
		<(head -n "$proto_lines" "$T/ours/$f.main.cf")
	expect_output "$f/master.cf: the same as Debian's" "" \
		cmp "$T/debian/$f.master.cf" "$T/ours/$f.master.cf"
done
expect_output "the primary's main.cf: the same as Debian's, up to the order of init's lines" "" \
	cmp <(grep -v '^multi_instance_\(wrapper\|enable\) =' "$T/debian/postfix.main.cf") \
	<(grep -v '^multi_instance_\(wrapper\|enable\) =' "$T/ours/postfix.main.cf")
expect_output "the primary's main.cf: the same lines as Debian's" \
	"$(sorted_lines "$T/debian/postfix.main.cf")" \
	sorted_lines "$T/ours/postfix.main.cf"

done_testing
