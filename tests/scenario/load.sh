#!/bin/bash
#
# Many instances: 50 creates at once (each runs a real "postfix
# set-permissions", so this part takes seconds), then 1000 registered
# instances written directly (a small main.cf each and one postconf -e
# for the list), which -l, -x, -p and the life-cycle actions must handle
# in full.
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/load.sh
#
# Not meant for Debian's postmulti 3.7.11: its 50 creates at once lose
# registrations (it has no lock), and with 1000 instances each of its
# commands runs postconf a thousand times.

. "$SRCDIR/tests/lib/scenario.sh"

test_expect "setup: -e init" \
	postmulti -e init

# ---------------------------------------------------------------------
# 50 creates at once

# creates - start postmulti -e create for each name at once, wait for all;
# print how many succeeded
creates() {
	local name pids=() ok=0 pid
	for name; do
		postmulti -e create -I "$name" -G crowd >"$T/out.$name" 2>&1 &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do
		wait "$pid" && ok=$((ok + 1))
	done
	echo "$ok of $# succeeded"
	cat "$T"/out.* >"$T/out"
	racy_postconf_warnings "$T/out" >"$T/racy"
	sed 's/^/# /' "$T/out"
	rm -f "$T"/out.* "$T/out"
}
# tally - how many times each line of stdin occurs: "COUNT LINE", in
# the order of the lines
tally() {
	sort | uniq -c | sed "s/^ *//"
}

# complete_files - how many of the 50 have a main.cf, a master.cf and a
# queue with its subdirectories
complete_files() {
	ls -d /etc/postfix-p*/main.cf /etc/postfix-p*/master.cf /var/spool/postfix-p*/maildrop |
	sed "s|.*/||" | tally
}

names=$(seq -f 'postfix-p%02g' 1 50)
SECONDS=0
expect_output "50 creates at once: all succeed" \
	'50 of 50 succeeded' \
	creates $names
echo "# 50 concurrent creates took $SECONDS s; Postfix's postconf warned $(cat "$T/racy")" \
	"times that main.cf changed between its own two reads (see racy_postconf_warnings)"
expect_output "all 50 registered" \
	"$(for n in $names; do echo "/etc/$n"; done)" \
	sorted registered
expect_output "all 50 complete: main.cf, master.cf, queue subdirectories" \
'50 maildrop
50 main.cf
50 master.cf' \
	complete_files
expect_output "no temporary file left" "" \
	find /etc -name '.*.postmulti.*'

# ---------------------------------------------------------------------
# 1000 instances: postfix-l0001 ... postfix-l1000, in group g(i % 7),
# enabled when i is even

# thousand - write the 1000 instances and register them, replacing the 50
thousand() {
	local i
	for i in $(seq -w 1 1000); do
		mkdir "/etc/postfix-l$i" "/var/spool/postfix-l$i" "/var/lib/postfix-l$i" || return
		printf '%s\n' \
			"queue_directory = /var/spool/postfix-l$i" \
			"data_directory = /var/lib/postfix-l$i" \
			"multi_instance_name = postfix-l$i" \
			"multi_instance_group = g$((10#$i % 7))" \
			"multi_instance_enable = $([ $((10#$i % 2)) = 0 ] && echo yes || echo no)" \
			>"/etc/postfix-l$i/main.cf" || return
	done
	postconf -e "multi_instance_directories = $(seq -f '/etc/postfix-l%04g' 1 1000 | xargs)"
}
test_expect "setup: 1000 instances, registered with one postconf -e" \
	thousand

# listing - what -l must print for the 1000
listing() {
	local i
	printf '%-15s %-15s %-9s %s\n' - - y /etc/postfix
	for i in $(seq 1 1000); do
		printf '%-15s %-15s %-9s %s\n' "$(printf 'postfix-l%04d' "$i")" "g$((i % 7))" \
			"$([ $((i % 2)) = 0 ] && echo y || echo n)" "$(printf '/etc/postfix-l%04d' "$i")"
	done
}
listing >"$T/listing"
SECONDS=0
expect_output "-l: 1001 lines, each instance as written" \
	"$(cat "$T/listing")" \
	postmulti -l
echo "# -l of 1001 instances took $SECONDS s"
expect_output "-g g3 -l: the 143 members of g3" \
	"$(grep ' g3 ' "$T/listing")" \
	postmulti -g g3 -l
expect_output "-i l0777 -l: one, found by its short name" \
	"$(grep -- '-l0777 ' "$T/listing")" \
	postmulti -i l0777 -l
SECONDS=0
test_expect "-x true: 1001 runs, exit 0" \
	postmulti -x true
echo "# -x true for 1001 instances took $SECONDS s"
expect_output "-x: each instance in order" \
	"$(sed 's/.* //' "$T/listing")" \
	postmulti -x sh -c 'echo "$config_directory"'
# instance_environment - the variables that postmulti -x sets, in the
# environment of a command it runs for the instance NAME
instance_environment() {
	postmulti -i "$1" -x env |
	grep -E "^(MAIL_CONFIG|command_directory|config_directory|daemon_directory|data_directory|multi_instance_[a-z]*|queue_directory)=" |
	sort
}
expect_output "-i postfix-l1000 -x env: the last one's environment" \
'MAIL_CONFIG=/etc/postfix-l1000
command_directory=/usr/sbin
config_directory=/etc/postfix-l1000
daemon_directory=/usr/lib/postfix/sbin
data_directory=/var/lib/postfix-l1000
multi_instance_enable=yes
multi_instance_group=g6
multi_instance_name=postfix-l1000
queue_directory=/var/spool/postfix-l1000' \
	instance_environment postfix-l1000
expect_output "-i postfix-l1000 -x: \$command_directory first in PATH" \
	'/usr/sbin' \
	postmulti -i postfix-l1000 -x sh -c 'echo "${PATH%%:*}"'

# One life-cycle action among the 1000, with a real set-permissions.
test_expect "-i postfix-l0500 -e create -I postfix-mid: placed before postfix-l0500" \
	postmulti -i postfix-l0500 -e create -I postfix-mid
# place_of_mid - where postfix-mid and its neighbours are registered,
# and how many are
place_of_mid() {
	registered | grep -n -e l0499 -e mid -e l0500
	registered | wc -l
}
expect_output "it is the 500th of 1001 registered" \
'499:/etc/postfix-l0499
500:/etc/postfix-mid
501:/etc/postfix-l0500
1001' \
	place_of_mid
test_expect "-i postfix-mid -e destroy" \
	postmulti -i postfix-mid -e destroy
expect_output "the 1000 are as they were" \
	"$(seq -f '/etc/postfix-l%04g' 1 1000)" \
	registered

# "postfix status" a thousand times takes more than half a minute here,
# so from now on a fake postfix only logs its runs and says "not
# running" (exit 1).
test_expect "setup: a fake postfix that logs and exits 1" \
	fake_postfix 1
: >"$T/postfix.log"
SECONDS=0
expect_stdout "-p status: exit 1 (nothing runs)" 1 "" \
	postmulti -p status
echo "# -p status for 1001 instances took $SECONDS s"
expect_output "-p status: 1001 runs of postfix status, one per instance, in order" \
	"$(sed 's/.* //; s/^/MAIL_CONFIG=/; s/$/ postfix -- status/' "$T/listing")" \
	cat "$T/postfix.log"
: >"$T/postfix.log"
expect_stdout "-p start: exit 1 (the fake fails)" 1 "" \
	postmulti -p start
# postfix_commands - how many times the fake postfix ran each command
postfix_commands() {
	sed "s/.* //" "$T/postfix.log" | tally
}
expect_output "-p start: start for the 501 enabled (primary too), check for the 500 disabled" \
'500 check
501 start' \
	postfix_commands

done_testing
