#!/bin/bash
#
# Queue work (ours only): "postmulti -Q ACTION [filter...]" with real mail
# in real queues: maildrop (sendmail while postfix-msa is stopped, long
# queue IDs), active (the primary delivers through a pipe that sleeps),
# deferred (no network in the sandbox) and hold (postsuper -h). The listing
# must be what "postqueue -c DIR -j" and "-p" print, byte for byte, with the
# instance added; each filter must select what tests/lib/queue_filter.py
# computes from postqueue -j by the manual's rules; each action must do
# what postsuper reports, to the selected messages only.
#
# Run: tests/lib/sandbox -b ./postmulti tests/scenario/queue.sh

. "$SRCDIR/tests/lib/scenario.sh"

test_expect "setup: a primary and three secondaries" example_instances
test_expect "setup: the primary's queue subdirectories made (postfix set-permissions)" \
	postfix set-permissions
test_expect "setup: postfix-out and postfix-msa accept local submissions" local_submissions
test_expect "setup: postfix-msa uses long queue IDs" long_queue_ids /etc/postfix-msa
test_expect "setup: the primary delivers through a pipe that sleeps" slow_primary
# start_two - the primary and postfix-out run
start_two() {
	postfix start 2>/dev/null && postfix -c /etc/postfix-null stop 2>/dev/null
}
test_expect "setup: postfix start (the primary and postfix-out run)" start_two

# send CONFIG_DIR SENDER SIZE RECIPIENT... - one message of about SIZE bytes
send() {
	local dir=$1 from=$2 size=$3
	shift 3
	{
		echo "Subject: queue test"
		echo
		head -c "$size" /dev/zero | tr '\0' x | fold -w 70
	} | MAIL_CONFIG=$dir sendmail -f "$from" "$@" 2>/dev/null
}
# fill - mail in every queue
fill() {
	send /etc/postfix a@example.com 500 r1@example.net &&
	send /etc/postfix-msa a@example.com 300 m1@example.net &&
	send /etc/postfix-msa b@example.org 3000 m2@example.org m3@example.com &&
	send /etc/postfix-out a@example.com 100 rcpt@example.net &&
	send /etc/postfix-out b@example.org 20000 x@example.net y@example.com &&
	send /etc/postfix-out '' 1000 bounce@example.net &&
	send /etc/postfix-out c@example.org 200000 z@example.org
}
test_expect "setup: 7 messages to three instances" fill
test_expect "the primary's message is in active" wait_files /var/spool/postfix/active 1
test_expect "postfix-out defers its 4 messages" wait_files /var/spool/postfix-out/deferred 4
# hold_big - postsuper -h postfix-out's 200 kB message
hold_big() {
	local id
	id=$(postqueue -c /etc/postfix-out -j | grep '"c@example.org"' | sed 's/.*"queue_id": "\([^"]*\)".*/\1/') &&
	[ -n "$id" ] && postsuper -c /etc/postfix-out -h "$id" 2>/dev/null
}
test_expect "setup: postsuper -h the 200 kB message" hold_big

DIRS="/etc/postfix /etc/postfix-out /etc/postfix-msa /etc/postfix-null"
# snapshot - postqueue -j of each instance, and the time
snapshot() {
	local d
	for d in $DIRS; do
		postqueue -c "$d" -j >"$T/pq.${d#/etc/}" 2>/dev/null || return
	done
	date +%s >"$T/now"
}
test_expect "setup: postqueue -j of each instance" snapshot

# list_quietly - -Q list -j with its output aside
list_quietly() {
	postmulti -Q list -j >/dev/null
}
expect_output "-Q list -j: exits 0, nothing on stderr" '' list_quietly
# ours_for DIR - our -Q list -j lines of one instance, without our two members
ours_for() {
	postmulti -Q list -j >"$T/ours" || return
	grep -F "\"config_directory\": \"$1\", " "$T/ours" |
		sed 's/^{"instance": "[^"]*", "config_directory": "[^"]*", /{/' | sort
}
# same_as_postqueue DIR - ours and postqueue -j agree for one instance
same_as_postqueue() {
	diff <(ours_for "$1") <(sort "$T/pq.${1#/etc/}")
}
for d in $DIRS; do
	test_expect "-Q list -j: $d's messages as postqueue -c $d -j prints them" same_as_postqueue "$d"
done
# count_in_snapshot - the messages in the snapshot
count_in_snapshot() {
	cat "$T"/pq.* | wc -l
}
expect_output "... 7 messages in the snapshot (maildrop, active, deferred, hold)" 7 count_in_snapshot
expect_output "-Q list -j: the instance's name, \"-\" for a nameless one" \
'- /etc/postfix
postfix-msa /etc/postfix-msa
postfix-msa /etc/postfix-msa
postfix-out /etc/postfix-out
postfix-out /etc/postfix-out
postfix-out /etc/postfix-out
postfix-out /etc/postfix-out' \
	sorted sed 's/^{"instance": "\([^"]*\)", "config_directory": "\([^"]*\)".*/\1 \2/' "$T/ours"

# text_as_postqueue DIR NAME - -Q list is "# NAME DIR" and postqueue -p's text
text_as_postqueue() {
	diff <(postmulti -i "$1" -Q list) <(echo "# $2 $1" && postqueue -c "$1" -p)
}
test_expect "-i postfix-out -Q list: postqueue -p's text under the instance line" \
	text_as_postqueue /etc/postfix-out postfix-out
test_expect "-i postfix-msa -Q list: long queue IDs, postqueue -p's wider columns" \
	text_as_postqueue /etc/postfix-msa postfix-msa
expect_output "-i /etc/postfix-null -Q list: an empty queue" \
'# - /etc/postfix-null
Mail queue is empty' \
	postmulti -i /etc/postfix-null -Q list

# Filters: ours against the oracle, on the snapshot.
# selected FILTER... - "CONFIG_DIR QUEUE_ID" of what -Q list selects
selected() {
	postmulti -Q list -j "$@" | sed 's/.*"config_directory": "\([^"]*\)".*"queue_id": "\([^"]*\)".*/\1 \2/' | sort
}
# oracle FILTER... - the same, computed from postqueue -j
oracle() {
	local args=() d
	for d in $DIRS; do
		args+=("$d=$T/pq.${d#/etc/}")
	done
	/usr/bin/python3 "$SRCDIR/tests/lib/queue_filter.py" "$(cat "$T/now")" "${args[@]}" -- "$@"
}
# same_selection FILTER... - ours and the oracle agree, on at least $want messages
same_selection() {
	oracle "$@" >"$T/want" && selected "$@" >"$T/got" && diff "$T/want" "$T/got" &&
	echo "$(wc -l <"$T/got")"
}
# filter_check COUNT FILTER... - a check that the filter selects COUNT messages, as the oracle
filter_check() {
	local n=$1
	shift
	expect_output "-Q list $* selects $n, as the manual's rules on postqueue -j" "$n" same_selection "$@"
}
filter_check 7
filter_check 3 queue=deferred
filter_check 3 queue=hold,maildrop
filter_check 1 queue=active
filter_check 3 sender=a@example.com
filter_check 3 sender=A@EXAMPLE.COM
filter_check 3 sender=@example.org
filter_check 6 'sender=*@example.*'
filter_check 1 'sender=<>'
filter_check 5 recipient=@example.net
filter_check 1 'recipient=[xy]@*'
filter_check 1 recipient=z@example.org
filter_check 0 older=1w
filter_check 7 younger=1w
filter_check 2 larger=10k
filter_check 2 smaller=600
filter_check 4 reason='host not found'
filter_check 1 queue=deferred sender=@example.org recipient=y@example.com larger=1k
id=$(sed -n 's/.*"queue_id": "\([^"]*\)".*/\1/p' "$T/pq.postfix-msa" | head -n 1)
filter_check 1 "id=$id"
filter_check 1 "id=$id,ABCDEF12345"

# Actions, on postfix-out: each checked against postqueue -j and postsuper.
# queue_of DIR SENDER - the queue of the messages from SENDER, as postqueue -j says
queue_of() {
	postqueue -c "$1" -j | grep -F "\"sender\": \"$2\"" | sed 's/.*"queue_name": "\([^"]*\)".*/\1/' | sort
}
# unchanged_by CMD... - postqueue -j of every instance is the same before and after
unchanged_by() {
	local d before after
	before=$(for d in $DIRS; do postqueue -c "$d" -j 2>/dev/null; done | sort)
	"$@" >"$T/out" || return
	after=$(for d in $DIRS; do postqueue -c "$d" -j 2>/dev/null; done | sort)
	[ "$before" = "$after" ] && cat "$T/out"
}
b_id=$(grep -F '"sender": "b@example.org"' "$T/pq.postfix-out" | sed 's/.*"queue_id": "\([^"]*\)".*/\1/')
# listing_of DIR ID - the -Q list -j line of one message
listing_of() {
	postmulti -Q list -j "id=$2" | grep -F "\"config_directory\": \"$1\""
}
expect_output "-Q hold -n -j: the listing of what it would hold, nothing changed" \
	"$(listing_of /etc/postfix-out "$b_id")" \
	unchanged_by postmulti -i postfix-out -Q hold -n -j sender=b@example.org
expect_output "-Q hold sender=b@example.org: postfix-out's one message" \
	'postfix-out /etc/postfix-out: placed on hold 1 of 1 selected message' \
	postmulti -i postfix-out -Q hold sender=b@example.org
expect_output "... postqueue -j: it is on hold" hold queue_of /etc/postfix-out b@example.org
expect_output "-Q hold again: left alone, it is on hold already" \
'postfix-out /etc/postfix-out: placed on hold 0 of 1 selected message
postfix-out /etc/postfix-out: left alone by postsuper -h (not in a queue it works on): '"$b_id" \
	postmulti -i postfix-out -Q hold sender=b@example.org
expect_output "-Q release -j: the report names the message" \
	"{\"instance\": \"postfix-out\", \"config_directory\": \"/etc/postfix-out\", \"action\": \"release\", \"selected\": 1, \"acted_on\": [\"$b_id\"], \"gone\": [], \"left_alone\": []}" \
	postmulti -i postfix-out -Q release -j sender=b@example.org
expect_output "... postqueue -j: deferred again" deferred queue_of /etc/postfix-out b@example.org
msa_ids=$(sed -n 's/.*"queue_id": "\([^"]*\)".*/\1/p' "$T/pq.postfix-msa" | sort | tr '\n' ' ')
expect_output "-Q hold in maildrop: postsuper -h leaves maildrop alone, and says so" \
"postfix-msa /etc/postfix-msa: placed on hold 0 of 2 selected messages
postfix-msa /etc/postfix-msa: left alone by postsuper -h (not in a queue it works on): ${msa_ids% }" \
	postmulti -i postfix-msa -Q hold
# expired - postqueue -j's forced_expire of the message from SENDER
expired() {
	postqueue -c /etc/postfix-out -j | grep -F "\"sender\": \"$1\"" | sed 's/.*"forced_expire": \([a-z]*\).*/\1/'
}
expect_output "-Q expire id=...: postsuper -e" \
	'postfix-out /etc/postfix-out: expired 1 of 1 selected message' \
	postmulti -i postfix-out -Q expire "id=$b_id"
expect_output "... postqueue -j: forced_expire true; the others false" 'true' expired b@example.org
expect_output "... a@example.com's: false" 'false' expired a@example.com
# delete_null - -Q delete the null sender's message, and what postqueue -j has left
delete_null() {
	postmulti -i postfix-out -Q delete 'sender=<>' &&
	postqueue -c /etc/postfix-out -j | sed 's/.*"sender": "\([^"]*\)".*/\1/' | sort
}
expect_output "-Q delete 'sender=<>': that message only" \
'postfix-out /etc/postfix-out: deleted 1 of 1 selected message
a@example.com
b@example.org
c@example.org' \
	delete_null
# requeue_a - -Q requeue a@example.com's message; it comes back as one message
requeue_a() {
	postmulti -i postfix-out -Q requeue sender=a@example.com || return
	# pickup looks at maildrop every 60 s, or when woken
	postkick -c /etc/postfix-out public pickup W 2>/dev/null
	local i
	for ((i = 0; i < 150; i++)); do
		[ "$(queue_of /etc/postfix-out a@example.com)" = deferred ] && break
		sleep 0.2
	done
	queue_of /etc/postfix-out a@example.com
}
expect_output "-Q requeue: postsuper -r; the message is deferred again, once" \
'postfix-out /etc/postfix-out: requeued 1 of 1 selected message
deferred' \
	requeue_a
# flush_a - -Q flush a@example.com's message (postqueue -i): tried at
# once, deferred again (no network in the sandbox), still queued
flush_a() {
	local i
	postmulti -i postfix-out -Q flush sender=a@example.com || return
	for ((i = 0; i < 100; i++)); do
		[ "$(queue_of /etc/postfix-out a@example.com)" = deferred ] && break
		sleep 0.2
	done
	queue_of /etc/postfix-out a@example.com
}
expect_output "-Q flush: postqueue -i for the selected message; still queued" \
'postfix-out /etc/postfix-out: scheduled for delivery 1 of 1 selected message
deferred' \
	flush_a
expect_output "-Q list -j: postfix-out's selection after the actions" \
'/etc/postfix-out
/etc/postfix-out
/etc/postfix-out' \
	sorted sed -n 's/.*"config_directory": "\([^"]*\)".*/\1/p' <(postmulti -i postfix-out -Q list -j)

# Hostile bytes: a queue file of our making in postfix-out's hold queue
# (control bytes, invalid UTF-8, quotes, a NUL, an empty address, a 20 kB
# address, 3200 recipients) and a defer log to match; showq reads both.
HID=
# hostile_file - the file, and its defer log
hostile_file() {
	HID=$(/usr/bin/python3 "$SRCDIR/tests/lib/qfile_write.py" /var/spool/postfix-out/hold 1) &&
	mkdir -p "/var/spool/postfix-out/defer/${HID:0:1}" &&
	printf 'recipient=a@example.com\nreason=weird \001 reason \377 "quoted" \\ \303\251\n\n<old@example.com>: old style reason\n\nrecipient=\nreason=\n\nreason=no recipient given\n\n\nrecipient=last@example.com\nreason=no blank line at the end\n' \
		>"/var/spool/postfix-out/defer/${HID:0:1}/$HID" &&
	chown -R postfix:postfix /var/spool/postfix-out/defer
}
test_expect "setup: a hostile queue file and defer log in postfix-out's hold queue" hostile_file
# hostile_same - postqueue -j and our -Q list -j, for that message (Postfix
# 3.7 and 3.8 keep invalid UTF-8 that merely looks like UTF-8 where 3.9 and
# later print "?"; we always follow the later rule: the JSON stays valid)
hostile_same() {
	postqueue -c /etc/postfix-out -j 2>/dev/null | grep -aF "\"queue_id\": \"$HID\"" |
		/usr/bin/python3 "$SRCDIR/tests/lib/strict_printable.py" >"$T/h.pq" &&
	postmulti -i postfix-out -Q list -j "id=$HID" >"$T/h.ours" &&
	sed 's/^{"instance": "[^"]*", "config_directory": "[^"]*", /{/' "$T/h.ours" >"$T/h.ours2" &&
	cmp -s "$T/h.ours2" "$T/h.pq" &&
	/usr/bin/python3 -c 'import json,sys; m=json.loads(open(sys.argv[1], encoding="utf-8").read()); print(len(m["recipients"]))' "$T/h.ours"
}
expect_output "-Q list -j on it: postqueue -j's line (3.9's UTF-8 rule), byte for byte; valid JSON; 3208 recipients" \
	3210 hostile_same
# hostile_text - control bytes and invalid UTF-8 in our text listing of it
hostile_text() {
	postmulti -i postfix-out -Q list "id=$HID" >"$T/h.txt" &&
	/usr/bin/python3 -c 'import sys; t=open(sys.argv[1], "rb").read().decode("utf-8"); print(sum(1 for c in t if c != "\n" and (ord(c) < 32 or ord(c) == 127)))' "$T/h.txt"
}
expect_output "-Q list on it: valid UTF-8, no control character" 0 hostile_text
# no_utf8 - smtputf8_enable = no in postfix-out, showq reloaded
no_utf8() {
	postconf -c /etc/postfix-out -e smtputf8_enable=no && settle /etc/postfix-out/main.cf &&
	postfix -c /etc/postfix-out reload 2>/dev/null && sleep 1
}
test_expect "setup: smtputf8_enable = no in postfix-out (postfix reload)" no_utf8
expect_output "-Q list -j with smtputf8_enable = no: as postqueue -j (ASCII only)" \
	3210 hostile_same
# ascii_only - our JSON of it has no 8-bit byte
ascii_only() {
	LC_ALL=C grep -c $'[\x80-\xff]' "$T/h.ours"
}
expect_stdout "... no 8-bit byte in it" 1 0 ascii_only
# corrupt_file - a file in hold that is no queue file: one warning, the rest listed
corrupt_file() {
	printf 'garbage' >/var/spool/postfix-out/hold/BADBAD12345 &&
	chown postfix:postfix /var/spool/postfix-out/hold/BADBAD12345 &&
	chmod 700 /var/spool/postfix-out/hold/BADBAD12345 &&
	postmulti -i postfix-out -Q list -j >"$T/c.out" 2>"$T/c.err"
	echo "status $? lines $(wc -l <"$T/c.out")"
	cat "$T/c.err"
	rm -f /var/spool/postfix-out/hold/BADBAD12345
}
expect_output "a file that is no message: one warning, every other message listed, status 1" \
'status 1 lines 4
postmulti: warning: /etc/postfix-out: 1 queue file not read, the last hold/BADBAD12345: truncated record data' \
	corrupt_file

# Mistakes: one fatal line, nothing done.
expect_fail "-Q bogus" '-Q: unknown action "bogus"' postmulti -Q bogus
expect_fail "-Q list bogus=1" '"bogus=1": unknown filter' postmulti -Q list bogus=1
expect_fail "-Q list older=soon" '"older=soon": not a time' postmulti -Q list older=soon
expect_fail "-Q list larger=big" '"larger=big": not a size' postmulti -Q list larger=big
expect_fail "-Q list queue=corrupt" 'unknown queue "corrupt"' postmulti -Q list queue=corrupt
expect_fail "-Q list sender=a sender=b" 'filter sender only once' postmulti -Q list sender=a sender=b
expect_fail "-Q list sender=: the null sender is <>" '"sender=": give a value, such as sender=<>' postmulti -Q list sender=
expect_fail "-Q list id=../x" 'is not a queue ID' postmulti -Q list id=../x
expect_fail "an option after a filter" 'options must come before filters' postmulti -Q list sender=a -j
expect_fail "-Q with -l" 'exactly one of' postmulti -l -Q list
expect_fail "-Q list -s" '-s can be used only with -l' postmulti -Q list -s
# as_nobody - a command as nobody
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}
expect_fail "-Q delete as nobody: refused before anything" 'only the superuser' \
	as_nobody postmulti -Q delete
test_expect "... and nothing deleted" unchanged_by true

postfix stop >/dev/null 2>&1
done_testing
