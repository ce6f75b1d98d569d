#!/bin/bash
#
# Every instance's queues for monitoring (ours only): "postmulti -m"
# (Prometheus text) and "postmulti -k" (a monitoring plugin), with real
# mail in real queues: maildrop (sendmail while the instance is stopped),
# active (a delivery in progress: a pipe transport that sleeps), deferred
# (no network in the sandbox), hold (postsuper -h). Each message's size
# and arrival time must be what "postqueue -c DIR -j" reports
# (tests/lib/prom_compare.py checks every histogram against it), and
# promtool must accept the text.
#
# Run: tests/lib/sandbox -b ./postmulti tests/scenario/monitor.sh

. "$SRCDIR/tests/lib/scenario.sh"

test_expect "setup: a primary and three secondaries" example_instances
test_expect "setup: the primary's queue subdirectories made (postfix set-permissions)" \
	postfix set-permissions
test_expect "setup: postfix-out and postfix-msa accept local submissions" local_submissions
test_expect "setup: postfix-msa uses long queue IDs" long_queue_ids /etc/postfix-msa

# submit CONFIG_DIR N [SIZE] - N messages with sendmail to a remote
# address, each with a body of about SIZE bytes
submit() {
	local i
	for ((i = 0; i < $2; i++)); do
		{
			echo "Subject: test $i"
			echo
			head -c "${3:-10}" /dev/zero | tr '\0' x | fold -w 70
		} | MAIL_CONFIG=$1 sendmail -f sender@example.com rcpt@example.net 2>/dev/null || return
	done
}

test_expect "setup: the primary delivers through a pipe that sleeps" slow_primary
# start_all - postfix start: through the wrapper, every enabled instance;
# then postfix-null stopped again (enabled, not running: a problem for -k)
start_all() {
	postfix start 2>/dev/null && postfix -c /etc/postfix-null stop 2>/dev/null
}
test_expect "setup: postfix start (the primary, postfix-out, postfix-null), postfix-null stopped" \
	start_all
test_expect "setup: one message to the primary" submit /etc/postfix 1 500
test_expect "the primary's message is in active, being delivered" \
	wait_files /var/spool/postfix/active 1

test_expect "setup: sendmail while stopped: 2 messages to postfix-msa (long queue IDs)" \
	submit /etc/postfix-msa 2 3000
# to_out - 4 messages of several sizes to postfix-out
to_out() {
	submit /etc/postfix-out 1 100 && submit /etc/postfix-out 2 20000 &&
	submit /etc/postfix-out 1 200000
}
test_expect "setup: 4 messages to postfix-out" to_out
test_expect "postfix-out's master defers the 4 messages" wait_files /var/spool/postfix-out/deferred 4
# hold_one - postsuper -h one deferred message of postfix-out
hold_one() {
	local id
	id=$(find /var/spool/postfix-out/deferred -type f -printf '%f\n' | head -n 1) &&
	postsuper -c /etc/postfix-out -h "$id" 2>/dev/null
}
test_expect "setup: postsuper -h one of them" hold_one

# snapshot_queues - postqueue -j of each instance and postmulti -m in
# between, with the times around postmulti
snapshot_queues() {
	local d
	for d in /etc/postfix /etc/postfix-out /etc/postfix-msa /etc/postfix-null; do
		postqueue -c $d -j >"$T/pq.${d#/etc/}" 2>/dev/null || return
	done
	date +%s >"$T/t0"
	postmulti -m >"$T/metrics" 2>"$T/metrics.err"
	echo $? >"$T/metrics.status"
	date +%s >"$T/t1"
}
test_expect "setup: postqueue -j of each instance, and postmulti -m" snapshot_queues
test_expect "-m exits 0, nothing on stderr" \
	test "$(cat "$T/metrics.status")/$(wc -c <"$T/metrics.err")" = 0/0
# compare - prom_compare.py on the snapshot: every instance, every queue
compare() {
	/usr/bin/python3 "$SRCDIR/tests/lib/prom_compare.py" "$T/metrics" "$(cat "$T/t0")" "$(cat "$T/t1")" \
		/etc/postfix="$T/pq.postfix" postfix-out="$T/pq.postfix-out" \
		postfix-msa="$T/pq.postfix-msa" /etc/postfix-null="$T/pq.postfix-null"
}
test_expect "every histogram of every instance agrees with postqueue -j" compare
# queue_totals - messages per queue in the snapshot, as postqueue -j has them
queue_totals() {
	cat "$T"/pq.* | sed -n 's/.*"queue_name": *"\([a-z]*\)".*/\1/p' | sort | uniq -c |
		awk '{ printf "%s=%s\n", $2, $1 }'
}
expect_output "the snapshot has mail in maildrop, active, deferred and hold" \
'active=1
deferred=3
hold=1
maildrop=2' \
	queue_totals

# series NAME - the series of one metric in the snapshot
series() {
	grep "^$1[{ ]" "$T/metrics"
}
expect_output "postfix_up: the primary and postfix-out run" \
'postfix_up{postfix_instance="/etc/postfix"} 1
postfix_up{postfix_instance="postfix-out"} 1
postfix_up{postfix_instance="postfix-msa"} 0
postfix_up{postfix_instance="/etc/postfix-null"} 0' \
	series postfix_up
expect_output "postfix_instance_info: name, group, enabled, config directory, syslog_name" \
'postfix_instance_info{postfix_instance="/etc/postfix",group="-",enabled="yes",config_directory="/etc/postfix",syslog_name="postfix"} 1
postfix_instance_info{postfix_instance="postfix-out",group="mta",enabled="yes",config_directory="/etc/postfix-out",syslog_name="postfix-out"} 1
postfix_instance_info{postfix_instance="postfix-msa",group="msa",enabled="no",config_directory="/etc/postfix-msa",syslog_name="postfix-msa"} 1
postfix_instance_info{postfix_instance="/etc/postfix-null",group="mta",enabled="yes",config_directory="/etc/postfix-null",syslog_name="postfix-null"} 1' \
	series postfix_instance_info
expect_output "postfix_showq_queue_depth of postfix-out, the corrupt queue too" \
'postfix_showq_queue_depth{postfix_instance="postfix-out",queue="maildrop"} 0
postfix_showq_queue_depth{postfix_instance="postfix-out",queue="incoming"} 0
postfix_showq_queue_depth{postfix_instance="postfix-out",queue="active"} 0
postfix_showq_queue_depth{postfix_instance="postfix-out",queue="deferred"} 3
postfix_showq_queue_depth{postfix_instance="postfix-out",queue="hold"} 1
postfix_showq_queue_depth{postfix_instance="postfix-out",queue="corrupt"} 0' \
	grep '^postfix_showq_queue_depth{postfix_instance="postfix-out"' "$T/metrics"
# An age from the queue file, not from its mtime: Postfix dates a deferred
# file forward to its next retry.
# mtime_ahead - postfix-out's deferred files have an mtime in the future
mtime_ahead() {
	local now
	now=$(date +%s)
	find /var/spool/postfix-out/deferred -type f -printf '%T@\n' | awk -v now="$now" '$1 <= now { bad = 1 } END { exit bad }'
}
test_expect "postfix-out's deferred files are dated forward (their next retry)" mtime_ahead
expect_output "... yet their ages are counted from arrival: all under 1000 s" \
	'postfix_showq_message_age_seconds_bucket{postfix_instance="postfix-out",queue="deferred",le="1000"} 3' \
	grep '^postfix_showq_message_age_seconds_bucket{postfix_instance="postfix-out",queue="deferred",le="1000"}' "$T/metrics"
if command -v promtool >/dev/null; then
	test_expect "promtool check metrics accepts the text" promtool check metrics <"$T/metrics"
else
	skip "promtool check metrics accepts the text" "no promtool (tools/install-deps test installs it)"
fi

# -O: the textfile collector's file, written atomically.
mkdir -p "$T/textfile"
# write_textfile - -m -O into an empty directory
write_textfile() {
	postmulti -m -O "$T/textfile/postmulti.prom" && ls -A "$T/textfile"
}
expect_output "-m -O FILE writes FILE and leaves no temporary file" 'postmulti.prom' write_textfile
# mode_and_end - the textfile's mode, and its last byte in hex
mode_and_end() {
	echo "$(stat -c %a "$T/textfile/postmulti.prom") $(tail -c 1 "$T/textfile/postmulti.prom" | od -An -tx1 | tr -d ' ')"
}
expect_output "... mode 0644, ends with a newline" '644 0a' mode_and_end
# same_text - -m -O and -m print the same series (ages aside: a second may pass)
same_text() {
	postmulti -m | grep -v _age_ >"$T/a" && grep -v _age_ "$T/textfile/postmulti.prom" >"$T/b" &&
	diff "$T/a" "$T/b"
}
test_expect "... with the same text as -m prints" same_text
expect_fail "-O in a missing directory: fatal, nothing written" \
	'create /nonexistent/postmulti.prom.XXXXXX: No such file or directory' \
	postmulti -m -O /nonexistent/postmulti.prom
expect_fail "-O without -m" '-O can be used only with -m' postmulti -l -O "$T/x"

# What cannot be read: as nobody, the queues and master.pid are private.
# as_nobody - a command as nobody
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}
# nobody_metrics - -m as nobody: its exit status, then the series
nobody_metrics() {
	as_nobody postmulti -m -i out 2>"$T/nobody.err"
	echo "status $?"
}
expect_output "-m as nobody: postfix-out unreadable, no queue series, status 1" \
'# HELP postfix_instance_info A Postfix instance that postmulti manages, always 1.
# TYPE postfix_instance_info gauge
postfix_instance_info{postfix_instance="postfix-out",group="mta",enabled="yes",config_directory="/etc/postfix-out",syslog_name="postfix-out"} 1
# HELP postfix_up Whether the instance'"'"'s master process runs (1) or not (0).
# TYPE postfix_up gauge
# HELP postmulti_queue_readable Whether postmulti could read the instance'"'"'s queues (1) or not (0).
# TYPE postmulti_queue_readable gauge
postmulti_queue_readable{postfix_instance="postfix-out"} 0
# HELP postfix_showq_queue_depth Messages in each queue of the instance, corrupt files included.
# TYPE postfix_showq_queue_depth gauge
# HELP postfix_showq_message_size_bytes Queued messages by size in bytes, as postqueue reports it.
# TYPE postfix_showq_message_size_bytes histogram
# HELP postfix_showq_message_age_seconds Queued messages by time since arrival, in seconds.
# TYPE postfix_showq_message_age_seconds histogram
# HELP postmulti_damaged_instances Selected instances whose configuration postmulti could not read.
# TYPE postmulti_damaged_instances gauge
postmulti_damaged_instances 0
status 1' \
	nobody_metrics
expect_output "... with one warning for it" \
	'postmulti: warning: /etc/postfix-out: read /var/spool/postfix-out/pid/master.pid: Permission denied; queue counts unknown: open /var/spool/postfix-out/maildrop: Permission denied' \
	cat "$T/nobody.err"

# The monitoring plugin: one status line, perfdata, exit 0/1/2/3.
expect_stdout "-k: postfix-null is enabled and not running: CRITICAL (2)" 2 \
"POSTMULTI CRITICAL: /etc/postfix-null: enabled, not running; 4 instances, 2 running, 7 messages queued | '/etc/postfix/maildrop'=0;;;0; '/etc/postfix/incoming'=0;;;0; '/etc/postfix/active'=1;;;0; '/etc/postfix/deferred'=0;;;0; '/etc/postfix/hold'=0;;;0; '/etc/postfix/total'=1;;;0; '/etc/postfix/corrupt'=0;;;0; 'postfix-out/maildrop'=0;;;0; 'postfix-out/incoming'=0;;;0; 'postfix-out/active'=0;;;0; 'postfix-out/deferred'=3;;;0; 'postfix-out/hold'=1;;;0; 'postfix-out/total'=4;;;0; 'postfix-out/corrupt'=0;;;0; 'postfix-msa/maildrop'=2;;;0; 'postfix-msa/incoming'=0;;;0; 'postfix-msa/active'=0;;;0; 'postfix-msa/deferred'=0;;;0; 'postfix-msa/hold'=0;;;0; 'postfix-msa/total'=2;;;0; 'postfix-msa/corrupt'=0;;;0; '/etc/postfix-null/maildrop'=0;;;0; '/etc/postfix-null/incoming'=0;;;0; '/etc/postfix-null/active'=0;;;0; '/etc/postfix-null/deferred'=0;;;0; '/etc/postfix-null/hold'=0;;;0; '/etc/postfix-null/total'=0;;;0; '/etc/postfix-null/corrupt'=0;;;0;" \
	postmulti -k
# status_line - the status line without its performance data
status_line() {
	"$@" >"$T/check.out"
	local st=$?
	sed 's/ |.*//' "$T/check.out"
	return $st
}
expect_stdout "-k -g mta -c deferred=2: postfix-out over the threshold, CRITICAL" 2 \
	'POSTMULTI CRITICAL: postfix-out: deferred 3 > 2; /etc/postfix-null: enabled, not running; 2 instances, 1 running, 4 messages queued' \
	status_line postmulti -k -g mta -c deferred=2
expect_stdout "-k -i out: OK (0)" 0 \
	'POSTMULTI OK: 1 instance, 1 running, 4 messages queued' \
	status_line postmulti -k -i out
expect_stdout "-k -i out -w 3 -c 10: the total over the warning threshold, WARNING (1)" 1 \
	'POSTMULTI WARNING: postfix-out: total 4 > 3; 1 instance, 1 running, 4 messages queued' \
	status_line postmulti -k -i out -w 3 -c 10
expect_stdout "... perfdata carries the thresholds" 1 \
	"POSTMULTI WARNING: postfix-out: total 4 > 3; 1 instance, 1 running, 4 messages queued | 'postfix-out/maildrop'=0;;;0; 'postfix-out/incoming'=0;;;0; 'postfix-out/active'=0;;;0; 'postfix-out/deferred'=3;;;0; 'postfix-out/hold'=1;;;0; 'postfix-out/total'=4;3;10;0; 'postfix-out/corrupt'=0;;;0;" \
	postmulti -k -i out -w 3 -c 10
# age_masked - the status line with the age in seconds masked
age_masked() {
	status_line "$@" | sed 's/age [0-9]* >/age N >/'
	return "${PIPESTATUS[0]}"
}
test_expect "setup: a second passes (every message is at least a second old)" sleep 1
expect_stdout "-k -w age=86400 -c age=0: ages read from the queue files, CRITICAL" 2 \
	'POSTMULTI CRITICAL: postfix-out: oldest message age N > 0; 1 instance, 1 running, 4 messages queued' \
	age_masked postmulti -k -i out -w age=86400 -c age=0
expect_stdout "-k -w age=86400: no message is a day old, OK" 0 \
	'POSTMULTI OK: 1 instance, 1 running, 4 messages queued' \
	status_line postmulti -k -i out -w age=86400
test_expect "setup: postfix-out disabled while it runs" postmulti -i out -e disable
expect_stdout "-k -i out: disabled and running, WARNING" 1 \
	'POSTMULTI WARNING: postfix-out: disabled, running; 1 instance, 1 running, 4 messages queued' \
	status_line postmulti -k -i out
expect_stdout "-k as nobody: UNKNOWN (3)" 3 \
	'POSTMULTI UNKNOWN: postfix-out: master state unknown; postfix-out: queues unknown; 1 instance, 0 running, 0 messages queued' \
	status_line as_nobody postmulti -k -i out
expect_stdout "-k -w bogus=1: a usage error is UNKNOWN (3), with the fatal line on stderr" 3 \
	'POSTMULTI UNKNOWN: -w: unknown queue in "bogus=1"; use maildrop, incoming, active, deferred, hold, age or a bare number' \
	postmulti -k -w bogus=1
# fatal_on_stderr - -k -w bogus=1 prints its fatal line on stderr
fatal_on_stderr() {
	postmulti -k -w bogus=1 2>&1 >/dev/null | grep -q '^postmulti: fatal: -w: unknown queue in "bogus=1"'
}
test_expect "... and the fatal line is on stderr" fatal_on_stderr
expect_fail "-m -i nosuch: no instance matches, fatal" \
	'^postmulti: fatal: no instance matches "-i nosuch"; the instances: - \(the primary\), postfix-out, postfix-msa, /etc/postfix-null; the groups: mta, msa$' \
	postmulti -m -i nosuch
expect_stdout "-k -g nosuch: UNKNOWN" 3 \
	'POSTMULTI UNKNOWN: no instance matches "-g nosuch"; the instances: - (the primary), postfix-out, postfix-msa, /etc/postfix-null; the groups: mta, msa' \
	postmulti -k -g nosuch
expect_fail "-w without -k" '-w and -c can be used only with -k' postmulti -l -w 5
expect_fail "-m with a command" 'no command is allowed with -m' postmulti -m true

done_testing
