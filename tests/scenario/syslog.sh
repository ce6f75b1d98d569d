#!/bin/bash
#
# What postmulti sends to syslog. Each diagnostic goes to stderr and, as
# one record, to the syslog socket /dev/log:
#
#	<PRI>Mmm dd hh:mm:ss TAG/postmulti[PID]: warning: text
#	<PRI>Mmm dd hh:mm:ss TAG/postmulti[PID]: fatal: text
#
# PRI is facility * 8 + severity: facility syslog_facility (mail = 2,
# local3 = 19), severity warning (4), crit (2) for fatal errors, info (6);
# TAG is the primary's syslog_name (or the MAIL_LOGTAG that postfix(1)
# passes to its wrapper), "postfix" with mail until main.cf has been
# read; PID is postmulti's own process id; the text is what stderr shows
# after "postmulti: ".
#
# Here /dev/log is a socket of tests/tools/logsink (compiled first), bound
# on an overlay of /dev that only this sandbox sees.
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/syslog.sh
#
# Ours only: Debian's postmulti 3.7.11 logs as "postmulti[PID]" whatever
# syslog_name or MAIL_LOGTAG say, logs no warning (the damaged instance is
# fatal there) and makes an unknown syslog_facility a fatal error.

. "$SRCDIR/tests/lib/scenario.sh"

logsink=$T/logsink
records=$T/syslog
marks=0

test_expect "setup: compile tests/tools/logsink.c" \
	cc -std=c11 -O -Wall -Wextra -Werror -o "$logsink" "$SRCDIR/tests/tools/logsink.c"
mkdir -p "$T/dev/u" "$T/dev/w" && : >"$records"
test_expect "setup: a private /dev (an overlay)" \
	mount -t overlay overlay -o "lowerdir=/dev,upperdir=$T/dev/u,workdir=$T/dev/w" /dev
"$logsink" /dev/log "$records" &
# ready - the sink's socket exists
ready() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ -S /dev/log ] && return 0
		sleep 0.05
	done
	return 1
}
test_expect "setup: logsink listens on /dev/log" ready

# sync_records - wait until the sink has written every record sent so far
# (it gets them in order: a marker sent now arrives after them)
sync_records() {
	local i
	marks=$((marks + 1))
	"$logsink" -s /dev/log "logsink-mark-$marks" || return
	for ((i = 0; i < 200; i++)); do
		grep -qx "logsink-mark-$marks" "$records" && return 0
		sleep 0.025
	done
	echo "logsink-mark-$marks never arrived" >&2
	return 1
}

# logged COMMAND... - run the command (its stdout and stderr go to
# $T/logged.out and $T/logged.err) and print the syslog records sent while
# it ran as "<PRI> TAG[PID]: warning:" (or "fatal:", or "(info)" for a
# text without a severity), its process id shown as PID;
# $T/logged.text gets each record's text ("warning: ..."), to compare with
# stderr. Returns the command's exit status.
logged() {
	local pid rc line re
	sync_records || return 99
	: >"$records"
	"$@" >"$T/logged.out" 2>"$T/logged.err" &
	pid=$!
	wait $pid
	rc=$?
	sync_records || return 99
	: >"$T/logged.text"
	re='^(<[0-9]+>)[A-Z][a-z]{2} [ 1-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] ([^ []+)\[([0-9]+)\]: ((warning: |fatal: )?.*)$'
	while IFS= read -r line; do
		case $line in logsink-mark-*) continue ;; esac
		if [[ $line =~ $re ]]; then
			local p=${BASH_REMATCH[3]} sev=${BASH_REMATCH[5]:-(info) }
			[ "$p" = "$pid" ] && p=PID || p="$p, not $pid"
			echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}[$p]: ${sev% }"
			printf '%s\n' "${BASH_REMATCH[4]}" >>"$T/logged.text"
		else
			echo "not a syslog record: $line"
		fi
	done <"$records"
	return $rc
}

# same_text - each record's text is a line of stderr after "postmulti: "
same_text() {
	sed 's/^postmulti: //' "$T/logged.err" | diff -u - "$T/logged.text"
}

#	config directory    name         enabled
#	/etc/postfix        -            yes (primary)
#	/etc/postfix-out    postfix-out  yes
#	/etc/postfix-broken (damaged: no main.cf at all)
setup_instances() {
	mkdir -p /etc/postfix-out &&
	printf '%s\n' 'queue_directory = /var/spool/postfix-out' \
		'data_directory = /var/lib/postfix-out' \
		'multi_instance_name = postfix-out' \
		'multi_instance_enable = yes' >/etc/postfix-out/main.cf &&
	postconf -e 'multi_instance_directories = /etc/postfix-out /etc/postfix-broken'
}
test_expect "setup: a healthy and a damaged secondary" setup_instances

# Defaults: syslog_name postfix, syslog_facility mail.
expect_stdout "postmulti -l with a damaged secondary: a warning, mail.warning (20)" 1 \
'<20> postfix/postmulti[PID]: warning:' \
	logged postmulti -l
test_expect "... its text is the stderr line" same_text
test_expect "... and names the damaged instance" grep -q '^warning: .*/etc/postfix-broken' "$T/logged.text"

expect_stdout "a command line error: fatal, mail.crit (18)" 1 \
'<18> postfix/postmulti[PID]: fatal:' \
	logged postmulti -l -x true
test_expect "... its text is the stderr line" same_text

expect_stdout "a fatal error after main.cf is read: mail.crit (18)" 1 \
'<18> postfix/postmulti[PID]: fatal:' \
	logged postmulti -e enable -i postfix-nope
test_expect "... its text is the stderr line" same_text

expect_stdout "a successful run logs nothing" 0 '' \
	logged postmulti -i postfix-out -x true

# syslog_name in the primary's main.cf names the tag.
test_expect "postconf -e syslog_name=postfix-foo" postconf -e syslog_name=postfix-foo
expect_stdout "syslog_name = postfix-foo: the tag is postfix-foo/postmulti" 1 \
'<20> postfix-foo/postmulti[PID]: warning:' \
	logged postmulti -l
expect_stdout "syslog_name = postfix-foo: fatal errors too" 1 \
'<18> postfix-foo/postmulti[PID]: fatal:' \
	logged postmulti -e enable -i postfix-nope
expect_stdout "before main.cf is read, the tag is postfix/postmulti" 1 \
'<18> postfix/postmulti[PID]: fatal:' \
	logged postmulti -l -x true
expect_stdout "MAIL_LOGTAG (what postfix(1) passes its wrapper) comes first" 1 \
'<20> postfix-bar/postmulti[PID]: warning:' \
	logged env MAIL_LOGTAG=postfix-bar postmulti -l
expect_stdout "a MAIL_LOGTAG that is no valid tag is ignored" 1 \
'<20> postfix-foo/postmulti[PID]: warning:' \
	logged env 'MAIL_LOGTAG=bad/tag' postmulti -l

# The wrapper, run by postfix(1), which passes MAIL_LOGTAG: postmulti's
# record among Postfix's own (its process id is not the one started here).
test_expect "setup: the wrapper is postmulti" init_primary
# postmulti_records COMMAND... - logged, postmulti's records only
postmulti_records() {
	logged "$@" >"$T/all-records"
	local rc=$?
	grep '/postmulti\[' "$T/all-records" | sed 's/\[[^]]*\]/[N]/'
	return $rc
}
expect_stdout "postfix status through the wrapper: the warning as postfix-foo/postmulti" 1 \
'<20> postfix-foo/postmulti[N]: warning:' \
	postmulti_records postfix status

expect_stdout "postmulti -v: an assign with nothing to change says so at mail.info (22)" 0 \
'<22> postfix-foo/postmulti[PID]: (info)' \
	logged postmulti -v -i postfix-out -e assign -I postfix-out
test_expect "... its text is the stderr line" same_text

# syslog_facility changes the facility.
test_expect "postconf -e syslog_facility=local3" postconf -e syslog_facility=local3
expect_stdout "syslog_facility = local3: warning is local3.warning (156)" 1 \
'<156> postfix-foo/postmulti[PID]: warning:' \
	logged postmulti -l
expect_stdout "syslog_facility = local3: fatal is local3.crit (154)" 1 \
'<154> postfix-foo/postmulti[PID]: fatal:' \
	logged postmulti -e enable -i postfix-nope
expect_stdout "syslog_facility = local3: a command line error is still mail.crit (18)" 1 \
'<18> postfix/postmulti[PID]: fatal:' \
	logged postmulti -l -x true

test_expect "postconf -e syslog_facility=bogus" postconf -e syslog_facility=bogus
expect_stdout "an unknown syslog_facility: a warning, and mail is used" 1 \
'<20> postfix-foo/postmulti[PID]: warning:
<20> postfix-foo/postmulti[PID]: warning:' \
	logged postmulti -l
test_expect "... the first names the facility" grep -q '^warning: .*syslog_facility.*bogus' "$T/logged.text"
test_expect "... their texts are the stderr lines" same_text

# Every facility name Postfix accepts: "syslog" is one (LOG_SYSLOG, 5).
test_expect "postconf -e syslog_facility=syslog" postconf -e syslog_facility=syslog
expect_stdout "syslog_facility = syslog: warning is syslog.warning (44)" 1 \
'<44> postfix-foo/postmulti[PID]: warning:' \
	logged postmulti -l

done_testing
