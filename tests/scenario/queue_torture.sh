#!/bin/bash
#
# Queue work under load (ours only: -Q is not in Debian's postmulti): two
# instances with short queue IDs (enable_long_queue_ids=no, so Postfix
# reuses them) pass mail to each other while "postmulti -Q ... -j" holds,
# releases, requeues and deletes in a loop. postfix-out is fed by
# sendmail and relays over loopback SMTP to the primary (its smtpd on
# 127.0.0.1:2525), which delivers through a slow pipe that appends each
# message's Message-ID to a file. Every message has a unique Message-ID
# and a sender of one of two classes: keep-N@example.com, which the loop
# holds, releases and requeues, and doomed-N@example.com, which it
# deletes. Afterwards, with the queues drained, the instances' mail logs
# (maillog_file: postlogd, in the order things happened) map each queue
# ID to its Message-ID at the time, and tests/lib/queue_torture.py
# accounts for every message:
#
#	0 acted on wrongly: every postsuper "removed" line is a doomed
#	message's, every "placed on hold", "released from hold" and
#	"requeued" line a keep message's, and the -j reports' acted_on
#	lists are exactly what postsuper logged;
#	0 lost: every keep message delivered, every doomed one delivered or
#	deleted;
#	0 duplicated: no Message-ID delivered twice, but for Postfix's own
#	race below.
#
# Requeue works on held messages only (queue=hold): postsuper -r of a
# message in the active queue while its delivery is under way may
# deliver it twice, by Postfix's own design, whoever names it. Holding
# does not stop a delivery under way either, so a message held during
# its delivery and then requeued is delivered by both (postsuper(1)'s
# warning on requeue): the accounting allows one more delivery for each
# requeued queue ID whose delivery the log shows ending after the
# requeue, and counts every other second delivery.
#
# Run: tests/lib/sandbox -b build/asan/postmulti tests/scenario/queue_torture.sh

. "$SRCDIR/tests/lib/scenario.sh"

MESSAGES=${TORTURE_MESSAGES:-300}	# submitted by the generator, at most
SUBMIT_SECONDS=${TORTURE_SECONDS:-60}	# for at most this long, unless
MIN_MESSAGES=100			# fewer were submitted by then:
MAX_SECONDS=300				# then on to these, within this
W=/var/lib/torture			# sink, delivery file, logs (an overlay)

# fresh_primary - the primary from the stock main.cf and master.cf (the
# machine's own settings play no part), initialised for instances
fresh_primary() {
	cp /etc/postfix/main.cf.proto /etc/postfix/main.cf &&
	cp /etc/postfix/master.cf.proto /etc/postfix/master.cf &&
	settle /etc/postfix/main.cf /etc/postfix/master.cf &&
	postconf -# sendmail_path newaliases_path mailq_path setgid_group \
		html_directory manpage_directory sample_directory readme_directory &&
	settle /etc/postfix/main.cf &&
	postconf -e multi_instance_directories= && settle /etc/postfix/main.cf &&
	init_primary
}
test_expect "setup: a primary from the stock configuration" fresh_primary
test_expect "setup: a secondary, postfix-out" make_instance /etc/postfix-out postfix-out mta yes

# work_area - the sink (a pipe command: sleep, then append the
# Message-ID to delivered) and a directory for the mail logs
work_area() {
	mkdir -m 0755 $W $W/log $W/spool &&
	chown nobody $W/spool && : >$W/spool/delivered &&
	chown nobody $W/spool/delivered &&
	cat >$W/sink <<'EOF' &&
#!/bin/sh
# Read the whole message (the pipe wants it read), append its Message-ID.
id=$(awk 'body { next } /^$/ { body = 1; next }
	tolower($0) ~ /^message-id:/ { sub(/^[^:]*:[ \t]*/, ""); print }')
sleep 0.2
printf '%s\n' "$id" >>/var/lib/torture/spool/delivered
EOF
	chmod 755 $W/sink
}
test_expect "setup: the sink and a log directory" work_area

# common - what both instances share: short queue IDs, quick retries, a
# mail log of their own, no milters or filters
common() {
	postconf -c "$1" -e enable_long_queue_ids=no \
		"maillog_file = $W/log/$2.log" \
		queue_run_delay=2s minimal_backoff_time=2s maximal_backoff_time=4s \
		smtpd_milters= non_smtpd_milters= content_filter= \
		header_checks= body_checks= virtual_alias_maps= transport_maps= \
		relayhost= "myhostname = $2.torture.test" mydomain=torture.test \
		myorigin=torture.test biff=no &&
	settle "$1/main.cf"
}
# receiver - the primary: smtpd on 127.0.0.1:2525 (not port 25), relay
# for loopback clients, everything delivered through the sink (four at
# a time); doomed senders whose number ends in 0 or 5 are told to try
# again later (450), so that they stay in postfix-out's deferred queue
# until the loop deletes them
receiver() {
	common /etc/postfix in &&
	echo '/^doomed-[0-9]*[05]@example\.com$/ 450 4.7.1 try again later' \
		>/etc/postfix/sender_defer &&
	postconf -e 'smtpd_sender_restrictions = check_sender_access regexp:/etc/postfix/sender_defer' &&
	postconf -M# smtp/inet &&
	postconf -M -e "127.0.0.1:2525/inet=127.0.0.1:2525 inet n - n - 4 smtpd" \
		"sink/unix=sink unix - n n - 4 pipe flags= user=nobody argv=$W/sink" &&
	postconf -e mydestination= relay_domains= mynetworks=127.0.0.0/8 \
		'smtpd_relay_restrictions = permit_mynetworks, reject' \
		smtpd_recipient_restrictions= default_transport=sink \
		master_service_disable= &&
	settle /etc/postfix/main.cf /etc/postfix/master.cf
}
test_expect "setup: the primary receives on 127.0.0.1:2525 and delivers to the sink" receiver
# sender - postfix-out: sendmail allowed, all mail to [127.0.0.1]:2525
sender() {
	common /etc/postfix-out out &&
	postconf -c /etc/postfix-out -X authorized_submit_users &&
	postconf -c /etc/postfix-out -e mydestination= 'relayhost = [127.0.0.1]:2525' &&
	settle /etc/postfix-out/main.cf
}
test_expect "setup: postfix-out sends everything to [127.0.0.1]:2525" sender
test_expect "setup: postfix start (both instances)" quiet postfix start
expect_output "both masters run" \
'/etc/postfix running
/etc/postfix-out running' \
	masters /etc/postfix /etc/postfix-out

# submit CLASS N - one message from CLASS-N@example.com, Message-ID
# <CLASS-N@torture.test>; its Message-ID goes to submitted when sendmail
# accepted it
submit() {
	printf 'Message-ID: <%s-%s@torture.test>\nSubject: %s %s\n\n%s\n' "$1" "$2" "$1" "$2" \
		"$(head -c $((200 + $2 * 37 % 3000)) /dev/zero | tr '\0' x | fold -w 70)" |
		MAIL_CONFIG=/etc/postfix-out sendmail -f "$1-$2@example.com" "rcpt-$2@dest.test" &&
	echo "<$1-$2@torture.test>" >>"$T/submitted"
}
test_expect "one message goes through: its Message-ID reaches the sink" submit keep 0
# delivered_within SECONDS COUNT - wait for COUNT lines in delivered
delivered_within() {
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		[ "$(wc -l <$W/spool/delivered)" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
test_expect "... within 20 seconds" delivered_within 20 1
expect_output "... and the primary logged it in its own mail log" '1' \
	count_lines grep -F 'message-id=<keep-0@torture.test>' $W/log/in.log

# generator - up to MESSAGES messages, every third one doomed, a few
# hundredths of a second apart, for at most SUBMIT_SECONDS (how many fit
# depends on the machine's load), but at least MIN_MESSAGES unless that
# takes MAX_SECONDS (a machine loaded by other test runs); how many it
# tried goes to tried
generator() {
	local i start=$SECONDS
	for ((i = 1; i <= MESSAGES && SECONDS - start < MAX_SECONDS &&
		(SECONDS - start < SUBMIT_SECONDS || i <= MIN_MESSAGES); i++)); do
		if ((i % 3 == 0)); then
			submit doomed $i
		else
			submit keep $i
		fi 2>>"$T/generator.err"
		sleep 0.03
	done
	echo $((i - 1)) >"$T/tried"
}

# act ACTION FILTER... - one postmulti -Q ACTION -j run, every instance;
# its report appended to reports, a failure to failures
act() {
	local rc
	postmulti -Q "$1" -j "${@:2}" >>"$T/reports" 2>>"$T/act.err"
	rc=$?
	[ $rc -eq 0 ] || echo "$rc postmulti -Q $*" >>"$T/failures"
	runs=$((runs + 1))
}

# torture - while the generator runs: hold the keep class, delete the
# doomed class, then release the held messages or requeue them (every
# other round)
torture() {
	local gen round=0 start=$SECONDS
	runs=0
	: >"$T/reports" && : >"$T/failures" && : >"$T/act.err"
	generator & gen=$!
	while kill -0 $gen 2>/dev/null; do
		act hold 'sender=keep-*@example.com'
		act delete 'sender=doomed-*@example.com'
		if ((round % 2)); then
			act requeue 'sender=keep-*@example.com' queue=hold
		else
			act release 'sender=keep-*@example.com'
		fi
		round=$((round + 1))
	done
	wait $gen
	echo "# $round rounds, $runs postmulti -Q runs in $((SECONDS - start)) s, while $(cat "$T/tried") messages were submitted" >>"$T/notes"
}
test_expect "the generator and the postmulti -Q loop" torture
# accepted - how many messages the generator tried, and how many sendmail
# accepted (the first message, before the generator, aside)
accepted() {
	echo "$(cat "$T/tried") $(($(wc -l <"$T/submitted") - 1))"
}
# enough - at least 100 messages submitted (the loop had something to do)
enough() {
	test "$(cat "$T/tried")" -ge "$MIN_MESSAGES"
}
test_expect "at least 100 messages submitted" enough
expect_output "sendmail accepted every one" "$(cat "$T/tried") $(cat "$T/tried")" accepted
expect_output "every postmulti -Q run exited 0" '' cat "$T/failures"
expect_output "... with nothing on stderr" '' cat "$T/act.err"

# queued - messages in the queues of both instances
queued() {
	find /var/spool/postfix/{maildrop,incoming,active,deferred,hold} \
		/var/spool/postfix-out/{maildrop,incoming,active,deferred,hold} -type f | wc -l
}
# drain - release whatever is held, delete the doomed messages that are
# left (those the primary keeps deferring), flush, and wait up to 90
# seconds for empty queues and no delivery under way
drain() {
	local i start=$SECONDS
	postmulti -Q release -j >>"$T/reports" 2>>"$T/act.err" &&
	postmulti -Q delete -j 'sender=doomed-*@example.com' >>"$T/reports" 2>>"$T/act.err" ||
		return
	for ((i = 0; i < 900; i++)); do
		if ((i % 20 == 0)); then
			postqueue -f 2>/dev/null
			postqueue -c /etc/postfix-out -f 2>/dev/null
		fi
		if [ "$(queued)" -eq 0 ] && sleep 1 && [ "$(queued)" -eq 0 ]; then
			echo "# drained in $((SECONDS - start)) s" >>"$T/notes"
			return 0
		fi
		sleep 0.1
	done
	echo "# still queued after 90 s: $(queued)"
	return 1
}
test_expect "the queues drain (within 90 seconds)" drain
test_expect "setup: postfix stop (the logs complete)" quiet postfix stop
cat "$T/notes"

# account - tests/lib/queue_torture.py: the numbers as comments, then one
# line per property
account() {
	/usr/bin/python3 "$SRCDIR/tests/lib/queue_torture.py" \
		--submitted "$T/submitted" --delivered $W/spool/delivered \
		--reports "$T/reports" \
		--log /etc/postfix=$W/log/in.log --log /etc/postfix-out=$W/log/out.log \
		>"$T/account"
}
test_expect "setup: account for every message" account
# TORTURE_KEEP=DIR keeps the logs, the reports and the sink's file there
if [ -n "${TORTURE_KEEP-}" ]; then
	mkdir -p "$TORTURE_KEEP" && cp $W/log/*.log $W/spool/delivered "$T/reports" \
		"$T/submitted" "$T/account" "$TORTURE_KEEP"/
fi
grep '^#' "$T/account"
# property NAME - the accounting's line for one property, then its
# offenders ("# NAME: ..." lines, none when it holds), so that a failure
# shows them
property() {
	grep "^$1 " "$T/account"
	grep "^# $1: " "$T/account"
	return 0
}
expect_output "the loop acted: messages deleted, held, and released or requeued" \
	'acted yes' property acted
expect_output "the -j reports' acted_on lists are what postsuper logged" \
	'reports_match yes' property reports_match
expect_output "0 acted on wrongly" 'wrongly 0' property wrongly
expect_output "0 lost" 'lost 0' property lost
expect_output "0 duplicated" 'duplicated 0' property duplicated
expect_output "0 unknown (every delivered Message-ID was submitted)" 'unknown 0' property unknown

done_testing
