#!/bin/bash
#
# "postmulti -Q shape": per selected instance a line "# NAME CONFIG_DIR",
# then exactly the table that Postfix's own "qshape -c CONFIG_DIR" prints
# for the same queues (by default incoming and active; queue=NAME,...
# names others, as qshape's queue arguments do). Real mail in the real
# queues of two instances, to several domains and with several
# recipients: the primary keeps its messages in active (a pipe transport
# that sleeps), postfix-out defers its own (no network in the sandbox),
# holds one (postsuper -h), and has one message whose arrival time is
# made a day older in its queue file (qshape counts ages from the time
# record, not from the mtime, which Postfix dates forward); postfix-msa,
# stopped, keeps two messages in maildrop, dated back with touch (which
# qshape does not count: Postfix's maildrop files begin with a time
# record now, not with the sender record that qshape dates by the
# mtime). Every message is either fresh (under five
# minutes, counted at once) or a day or a month old, so each stays in one
# bucket while the test runs.
#
# Run: tests/lib/sandbox -b ./postmulti tests/scenario/qshape.sh

. "$SRCDIR/tests/lib/scenario.sh"

test_expect "setup: a primary and three secondaries" example_instances
test_expect "setup: the primary's queue subdirectories made (postfix set-permissions)" \
	postfix set-permissions
test_expect "setup: postfix-out and postfix-msa accept local submissions" local_submissions

# submit CONFIG_DIR SENDER RECIPIENT... - one message
submit() {
	local dir=$1 sender=$2
	shift 2
	printf 'Subject: shape\n\nbody\n' |
		MAIL_CONFIG=$dir sendmail -f "$sender" "$@" 2>/dev/null
}

test_expect "setup: the primary delivers through a pipe that sleeps" slow_primary
test_expect "setup: postfix start (the primary, postfix-out, postfix-null)" quiet postfix start

# to_primary - three messages to the primary, one with three recipients
to_primary() {
	submit /etc/postfix a@example.com one@example.net two@Example.NET x@sub.example.org &&
	submit /etc/postfix b@example.com three@example.net &&
	submit /etc/postfix '' four@mx.example.net
}
test_expect "setup: three messages to the primary" to_primary
test_expect "the primary's messages are in active, being delivered" \
	wait_files /var/spool/postfix/active 3

# to_out - four messages to postfix-out, one with two recipients
to_out() {
	submit /etc/postfix-out a@example.com r1@example.net r2@example.org &&
	submit /etc/postfix-out a@example.com r3@example.net &&
	submit /etc/postfix-out '' r4@example.net &&
	submit /etc/postfix-out c@example.com r5@long.example.com
}
test_expect "setup: four messages to postfix-out" to_out
test_expect "postfix-out's master defers the four messages" wait_files /var/spool/postfix-out/deferred 4
test_expect "setup: postfix-out stopped" quiet postfix -c /etc/postfix-out stop

# age_one - the time record of one deferred message of postfix-out a day
# older (the same number of digits: the record keeps its length)
age_one() {
	local file
	file=$(grep -l 'r3@example.net' $(find /var/spool/postfix-out/deferred -type f)) &&
	/usr/bin/python3 - "$file" <<'EOF'
import sys
path = sys.argv[1]
data = bytearray(open(path, 'rb').read())
i = data.index(b'T', 1)		# the record after the size record
n = data[i + 1]
sec, rest = bytes(data[i + 2:i + 2 + n]).split(b' ', 1)
new = str(int(sec) - 86400).encode()
assert len(new) == len(sec)
data[i + 2:i + 2 + n] = new + b' ' + rest
open(path, 'r+b').write(data)
EOF
}
test_expect "setup: one deferred message of postfix-out a day older" age_one
# hold_one - postsuper -h postfix-out's message from the null sender
hold_one() {
	local file
	file=$(grep -l 'r4@example.net' $(find /var/spool/postfix-out/deferred -type f)) &&
	postsuper -c /etc/postfix-out -h "${file##*/}" 2>/dev/null
}
test_expect "setup: postsuper -h one of them" hold_one

# to_msa - two messages to postfix-msa (stopped: maildrop), dated back a
# month and a day
to_msa() {
	submit /etc/postfix-msa m@example.com u@example.net v@example.net &&
	submit /etc/postfix-msa '' w@example.org &&
	touch -d @$(($(date +%s) - 30 * 86400)) /var/spool/postfix-msa/maildrop/* &&
	touch -d @$(($(date +%s) - 86400)) \
		$(grep -l w@example.org /var/spool/postfix-msa/maildrop/*)
}
test_expect "setup: two messages in postfix-msa's maildrop" to_msa

# shape NAME CONFIG_DIR [QUEUE...] - what -Q shape must print for one
# instance: the heading line, then qshape's table
shape() {
	local name=$1 dir=$2
	shift 2
	echo "# $name $dir"
	qshape -c "$dir" "$@"
}
# same NAME CONFIG_DIR [queue=Q,...] - postmulti -Q shape -i NAME prints
# what shape prints, both run within one second
same() {
	local name=$1 dir=$2 queues=() i
	shift 2
	[ $# -gt 0 ] && IFS=, read -r -a queues <<<"${1#queue=}"
	for i in 1 2 3 4 5; do
		local t0
		t0=$(date +%s)
		shape "$name" "$dir" "${queues[@]}" >"$T/want" 2>"$T/want.err" &&
			postmulti -Q shape -i "$name" "$@" >"$T/got" 2>"$T/got.err" || {
			cat "$T/got.err" "$T/want.err"
			return 1
		}
		[ "$(date +%s)" = "$t0" ] && break
	done
	diff -u "$T/want" "$T/got"
}

test_expect "the primary, incoming and active: as qshape" same - /etc/postfix
test_expect "postfix-out, deferred: as qshape" same postfix-out /etc/postfix-out queue=deferred
test_expect "postfix-out, deferred and hold: as qshape" same postfix-out /etc/postfix-out queue=deferred,hold
test_expect "postfix-out, incoming and active (empty): as qshape" same postfix-out /etc/postfix-out
test_expect "postfix-msa, maildrop: as qshape" same postfix-msa /etc/postfix-msa queue=maildrop

# The table is the messages' own: fixed text where the ages are fixed.
expect_output "postfix-out's deferred mail: four addresses, one a day old" \
"# postfix-out /etc/postfix-out
                                         T  5 10 20 40 80 160 320 640 1280 1280+
                                  TOTAL  4  3  0  0  0  0   0   0   0    0     1
                            example.net  2  1  0  0  0  0   0   0   0    0     1
                            example.org  1  1  0  0  0  0   0   0   0    0     0
                       long.example.com  1  1  0  0  0  0   0   0   0    0     0" \
	postmulti -Q shape -i postfix-out queue=deferred
# Today's maildrop files begin with a time record, which qshape does not
# take for a queue file: it counts no recipient of theirs.
expect_output "postfix-msa's maildrop: nothing, as in qshape (its files begin with a time record)" \
"# postfix-msa /etc/postfix-msa
                                         T  5 10 20 40 80 160 320 640 1280 1280+
                                  TOTAL  0  0  0  0  0  0   0   0   0    0     0" \
	postmulti -Q shape -i postfix-msa queue=maildrop
expect_output "the primary's active mail: five addresses, the null sender's too" \
"# - /etc/postfix
                                         T  5 10 20 40 80 160 320 640 1280 1280+
                                  TOTAL  5  5  0  0  0  0   0   0   0    0     0
                            example.net  3  3  0  0  0  0   0   0   0    0     0
                         mx.example.net  1  1  0  0  0  0   0   0   0    0     0
                        sub.example.org  1  1  0  0  0  0   0   0   0    0     0" \
	postmulti -Q shape -i -

# Every instance at once: one table each, then their sum.
# totals - the TOTAL count of each table of -Q shape queue=deferred,active, the sum's last
totals() {
	local t
	t=$(postmulti -Q shape queue=deferred,active | awk '$1 == "TOTAL" { print $2 }') && echo $t
}
expect_output "-Q shape, every instance: each table's TOTAL, then the sum's (5 + 4 = 9)" \
	'5 4 0 0 9' totals
# json_shape - -Q shape -j: the instance of each object and its TOTAL count
json_shape() {
	postmulti -Q shape -j queue=deferred,active | /usr/bin/python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    print(o["instance"], o["config_directory"], o["shape"]["total"]["count"])'
}
expect_output "-Q shape -j: one object per instance, then the sum (instance null)" \
"- /etc/postfix 5
postfix-out /etc/postfix-out 4
postfix-msa /etc/postfix-msa 0
- /etc/postfix-null 0
None None 9" \
	json_shape
expect_fail "-Q shape sender=...: only queue= applies" 'takes only the filter queue=' \
	postmulti -Q shape sender=a@example.com
expect_fail "-Q shape -n: nothing to try" '-n is for the -Q actions that change the queue' \
	postmulti -Q shape -n

done_testing
