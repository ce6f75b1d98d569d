#!/bin/bash
#
# Health and identity in "postmulti -l -s" and "-l -s -j" (ours only):
# the messages in each queue, counted from the queue directories with
# real mail in them (sendmail while an instance is stopped fills its
# maildrop; a running master moves mail to deferred, postsuper -h to
# hold), the queue and data directories and the syslog_name each
# instance logs with; a queue that cannot be read is unknown, with one
# warning for that instance, and the others are listed as usual.
#
# Run: tests/lib/sandbox -b ./postmulti tests/scenario/health.sh

. "$SRCDIR/tests/lib/scenario.sh"

test_expect "setup: a primary and three secondaries" example_instances
# Debian 13's package leaves the primary's queue subdirectories to its first
# start; make them, as everywhere else
test_expect "setup: the primary's queue subdirectories made (postfix set-permissions)" \
	postfix set-permissions
test_expect "setup: postfix-out and postfix-msa accept local submissions" \
	local_submissions
test_expect "setup: postfix-msa uses long queue IDs" \
	postconf -c /etc/postfix-msa -e enable_long_queue_ids=yes
test_expect "setup: postfix-null logs as its config says, postfix-msa through an expression" \
	postconf -c /etc/postfix-msa -e 'syslog_name = ${multi_instance_name}/submit'

# submit CONFIG_DIR N - N messages with sendmail, to a remote address
# (the sandbox has no network: delivery is deferred)
submit() {
	local i
	for ((i = 0; i < $2; i++)); do
		echo "Subject: test $i" | MAIL_CONFIG=$1 sendmail -f sender@example.com rcpt@example.net 2>/dev/null || return
	done
}

expect_output "-l -s: empty queues, each instance's syslog_name" \
'NAME        GROUP EN STATE   PID M/I/A/D/H/C SYSLOG_NAME        CONFIG_DIRECTORY
-           -     y  stopped -   0/0/0/0/0/0 postfix            /etc/postfix
postfix-out mta   y  stopped -   0/0/0/0/0/0 postfix-out        /etc/postfix-out
postfix-msa msa   n  stopped -   0/0/0/0/0/0 postfix-msa/submit /etc/postfix-msa
-           mta   y  stopped -   0/0/0/0/0/0 postfix-null       /etc/postfix-null' \
	postmulti -l -s

# submit_both - 3 messages to postfix-out, 2 to postfix-msa
submit_both() {
	submit /etc/postfix-out 3 && submit /etc/postfix-msa 2
}
test_expect "setup: sendmail while stopped: 3 messages to postfix-out, 2 to postfix-msa" \
	submit_both
# queue_id_forms - postfix-out's maildrop holds a short queue ID,
# postfix-msa's a long one
# shellcheck disable=SC2010 # a file name in a maildrop is a queue ID
queue_id_forms() {
	ls /var/spool/postfix-out/maildrop | grep -Eqx "[0-9A-F]{6,}" &&
	ls /var/spool/postfix-msa/maildrop | grep -Eqx "[0-9A-Za-z]{10}z[0-9A-Za-y]+"
}
test_expect "the messages are in maildrop, with short and long queue IDs" \
	queue_id_forms

expect_output "-l -s -i out: 3 in maildrop" \
'NAME        GROUP EN STATE   PID M/I/A/D/H/C SYSLOG_NAME CONFIG_DIRECTORY
postfix-out mta   y  stopped -   3/0/0/0/0/0 postfix-out /etc/postfix-out' \
	postmulti -l -s -i out
expect_output "-l -s -j -i msa: 2 in maildrop (long queue IDs), directories and syslog_name" \
'{"name": "postfix-msa","group": "msa","enabled": "n","config_directory": "/etc/postfix-msa","master": "stopped","pid": null,"queue_directory": "/var/spool/postfix-msa","data_directory": "/var/lib/postfix-msa","syslog_name": "postfix-msa/submit","queues": {"maildrop": 2,"incoming": 0,"active": 0,"deferred": 0,"hold": 0,"corrupt": 0}}' \
	postmulti -l -s -j -i msa

# What else lives in the queue directories is not a message: a file
# being written (a temporary name with a dot at first; then its queue ID
# without the owner's execute bit, which Postfix sets when the file is
# complete: postqueue does not list it), anything that is not a queue ID,
# a directory that is not a hash level, a symbolic link, a queue file
# with a second link.
q=/var/spool/postfix-null
# not_messages QUEUE - files in a queue directory that are not messages
not_messages() {
	local q=$1
	touch $q/incoming/123456.7890 $q/incoming/README $q/active/abcdef0 $q/hold/4jdxXp2HbKa1bYHn &&
	mkdir -p $q/deferred/G/ABCDEF01 $q/deferred/AB && touch $q/deferred/AB/ABCDEF02 $q/deferred/G/ABCDEF03 &&
	ln -s /etc/passwd $q/hold/ABCDEF04 && mkfifo $q/active/ABCDEF05 &&
	touch $q/incoming/ABCDEF06 $q/maildrop/ABCDEF07 && chmod 0600 $q/incoming/ABCDEF06 &&
	chmod 0644 $q/maildrop/ABCDEF07 && touch $q/active/ABCDEF08 && chmod 0700 $q/active/ABCDEF08 &&
	ln $q/active/ABCDEF08 $q/hold/ABCDEF09
}
test_expect "setup: files in postfix-null's queues that are not messages" \
	not_messages "$q"
expect_output "-l -s -i /etc/postfix-null: none of them counts" \
'NAME GROUP EN STATE   PID M/I/A/D/H/C SYSLOG_NAME  CONFIG_DIRECTORY
-    mta   y  stopped -   0/0/0/0/0/0 postfix-null /etc/postfix-null' \
	postmulti -l -s -i /etc/postfix-null
# Files of the shape Postfix gives them, where they would be: a message
# in each level of a two-level hash, in active, and one that Postfix put
# aside as corrupt.
# hashed_messages QUEUE - queue files in a queue directory: in each
# level of a two-level hash, in active, and in corrupt
hashed_messages() {
	local q=$1
	mkdir -p $q/deferred/A/B $q/hold/0 &&
	touch $q/deferred/A/B/AB12345678 $q/deferred/A/AC12345679 $q/deferred/F12345670 $q/hold/0/0123456781 &&
	touch $q/active/3F1A2B4C5D $q/active/4jdxXp42YHz1bYCX $q/corrupt/5E2B3C4D6F &&
	chmod 0700 $q/deferred/A/B/AB12345678 $q/deferred/A/AC12345679 $q/deferred/F12345670 \
		$q/hold/0/0123456781 $q/active/3F1A2B4C5D $q/active/4jdxXp42YHz1bYCX
}
test_expect "setup: queue files in hashed subdirectories, active and corrupt" \
	hashed_messages "$q"
expect_output "-l -s -j -i /etc/postfix-null: every level of the hash counts" \
'{"name": "-","group": "mta","enabled": "y","config_directory": "/etc/postfix-null","master": "stopped","pid": null,"queue_directory": "/var/spool/postfix-null","data_directory": "/var/lib/postfix-null","syslog_name": "postfix-null","queues": {"maildrop": 0,"incoming": 0,"active": 2,"deferred": 3,"hold": 1,"corrupt": 1}}' \
	postmulti -l -s -j -i /etc/postfix-null
test_expect "setup: postfix-null's queue files removed" \
	find $q/active $q/deferred $q/hold $q/corrupt $q/incoming $q/maildrop -mindepth 1 -delete

# Real mail through a real master: pickup takes maildrop, the queue
# manager tries the remote address and defers it, postsuper holds it.
# enable_and_start_out - postfix-out enabled, and its master started
enable_and_start_out() {
	postmulti -i out -e enable && postfix -c /etc/postfix-out start 2>/dev/null
}
test_expect "setup: enable postfix-out and start it" \
	enable_and_start_out
test_expect "the master moves the 3 messages to deferred" wait_files /var/spool/postfix-out/deferred 3
pid=$(sed -n '1s/[^0-9]//gp' /var/spool/postfix-out/pid/master.pid)
w=3
[ ${#pid} -le $w ] || w=${#pid}
expect_output "-l -s -i out: running, 3 deferred" \
"NAME        GROUP EN STATE   $(printf "%-${w}s" PID) M/I/A/D/H/C SYSLOG_NAME CONFIG_DIRECTORY
postfix-out mta   y  running $(printf "%-${w}s" "$pid") 0/0/0/3/0/0 postfix-out /etc/postfix-out" \
	postmulti -l -s -i out
test_expect "setup: postsuper -h ALL deferred" postsuper -c /etc/postfix-out -h ALL deferred
expect_output "-l -s -j -i out: 3 in hold" \
"{\"name\": \"postfix-out\",\"group\": \"mta\",\"enabled\": \"y\",\"config_directory\": \"/etc/postfix-out\",\"master\": \"running\",\"pid\": $pid,\"queue_directory\": \"/var/spool/postfix-out\",\"data_directory\": \"/var/lib/postfix-out\",\"syslog_name\": \"postfix-out\",\"queues\": {\"maildrop\": 0,\"incoming\": 0,\"active\": 0,\"deferred\": 0,\"hold\": 3,\"corrupt\": 0}}" \
	postmulti -l -s -j -i out
test_expect "setup: postsuper -H ALL: back to deferred" postsuper -c /etc/postfix-out -H ALL
test_expect "setup: postfix-out stop" postfix -c /etc/postfix-out stop
test_expect "setup: one more message while stopped" \
	submit /etc/postfix-out 1
expect_output "-l -s -i out: stopped, 1 in maildrop, 3 deferred" \
'NAME        GROUP EN STATE   PID M/I/A/D/H/C SYSLOG_NAME CONFIG_DIRECTORY
postfix-out mta   y  stopped -   1/0/0/3/0/0 postfix-out /etc/postfix-out' \
	postmulti -l -s -i out
test_expect "the counts are those of the queue files themselves" \
	test "$(files /var/spool/postfix-out/maildrop)/$(files /var/spool/postfix-out/deferred)" = 1/3

# What cannot be read is unknown, once per instance, and the others go on.
# (master(8) leaves its master.pid behind, readable by root only: the
# state of postfix-out is unknown too.)
expect_warning "-l -s as nobody: the queues are unknown, one warning per instance" \
	'/etc/postfix-out: read /var/spool/postfix-out/pid/master.pid: Permission denied; queue counts unknown: open /var/spool/postfix-out/[a-z]+: Permission denied' \
'NAME        GROUP EN STATE   PID M/I/A/D/H/C SYSLOG_NAME        CONFIG_DIRECTORY
-           -     y  stopped -   unknown     postfix            /etc/postfix
postfix-out mta   y  unknown -   unknown     postfix-out        /etc/postfix-out
postfix-msa msa   n  stopped -   unknown     postfix-msa/submit /etc/postfix-msa
-           mta   y  stopped -   unknown     postfix-null       /etc/postfix-null' \
	setpriv --reuid=nobody --regid=nogroup --clear-groups postmulti -l -s
test_expect "... exactly one warning per instance, postfix-out's master.pid in the same line" \
	test "$(grep -c 'warning: ' "$T/stderr")/$(grep -c 'warning: /etc/postfix-out: .*master.pid.*; queue counts unknown' "$T/stderr")" = 4/1
expect_stdout "-l -s -j as nobody: queues null, the rest as root sees it" 1 \
'{"name": "postfix-msa","group": "msa","enabled": "n","config_directory": "/etc/postfix-msa","master": "stopped","pid": null,"queue_directory": "/var/spool/postfix-msa","data_directory": "/var/lib/postfix-msa","syslog_name": "postfix-msa/submit","queues": null}' \
	setpriv --reuid=nobody --regid=nogroup --clear-groups postmulti -l -s -j -i msa
expect_output "-l as nobody needs no access to the queues" \
'postfix-out     mta             y         /etc/postfix-out' \
	setpriv --reuid=nobody --regid=nogroup --clear-groups postmulti -l -i out

test_expect "setup: postfix-msa's queue directory is gone" rm -rf /var/spool/postfix-msa
expect_warning "-l -s: a missing queue directory is unknown, the others are counted" \
	'^postmulti: warning: /etc/postfix-msa: queue counts unknown: open /var/spool/postfix-msa: No such file or directory$' \
'NAME        GROUP EN STATE   PID M/I/A/D/H/C SYSLOG_NAME        CONFIG_DIRECTORY
-           -     y  stopped -   0/0/0/0/0/0 postfix            /etc/postfix
postfix-out mta   y  stopped -   1/0/0/3/0/0 postfix-out        /etc/postfix-out
postfix-msa msa   n  stopped -   unknown     postfix-msa/submit /etc/postfix-msa
-           mta   y  stopped -   0/0/0/0/0/0 postfix-null       /etc/postfix-null' \
	postmulti -l -s
test_expect "... one warning, for that instance only" \
	test "$(grep -c warning: "$T/stderr")" -eq 1

done_testing
