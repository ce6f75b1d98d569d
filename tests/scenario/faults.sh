#!/bin/bash
#
# SIGKILL at every write step of every life-cycle action. The test build
# (-DPOSTMULTI_FAULTS) passes a fault point before each change it makes
# to the file system, and between writing a file's new text to its
# temporary file and renaming it into place; POSTMULTI_FAULT_AT=list
# names them, POSTMULTI_FAULT_AT=N kills the program at the Nth.
#
# For each action, from the same starting state every time, and for
# every point N:
#   - the program dies at point N (exit status 137);
#   - each main.cf and master.cf holds its old or its new text, byte for
#     byte, or is absent where it was or will be absent: never a mix;
#   - every registered instance has main.cf and master.cf (destroy aside:
#     it takes the files away first and the registration last, so that
#     running it again finishes the job);
#   - the same command, run again, either finishes: every file of every
#     instance exactly as after a run without a crash, and no temporary
#     file left; or it refuses with one fatal line that says what to do.
#
# Run: tests/lib/sandbox -b build/asan/postmulti tests/scenario/faults.sh
#
# Needs the test build; against any other binary (Debian's included) the
# setup check "the binary has fault points" fails and nothing else runs.

. "$SRCDIR/tests/lib/scenario.sh"

test_expect "setup: -e init" \
	postmulti -e init
# create_listing_points - -e create -I postfix-a -G g1, with the fault
# points it passes listed in $T/list: there is one in the test build
create_listing_points() {
	POSTMULTI_FAULT_AT=list postmulti -e create -I postfix-a -G g1 2>"$T/list" &&
	grep -q "^postmulti: fault point 1: " "$T/list"
}
test_expect "setup: -e create -I postfix-a -G g1, listing fault points (the test build)" \
	create_listing_points
[ $tests_failed -eq 0 ] || done_testing

# The starting state: the primary and postfix-a (disabled, group g1)
# registered; /etc/postfix-hand complete but unregistered, listed in
# alternate_config_directories.
# hand_alternate - /etc/postfix-hand made, then unregistered by hand
# and listed as an alternate directory
hand_alternate() {
	postmulti -e create -I postfix-hand -G hand &&
	postconf -e "multi_instance_directories = /etc/postfix-a" \
		"alternate_config_directories = /etc/postfix-hand"
}
test_expect "setup: /etc/postfix-hand, made and then unregistered by hand" \
	hand_alternate
test_expect "setup: remember this state" \
	save_state base
# save_uninit - save the state "uninit", the base state without what
# -e init set, and go back to the base state
save_uninit() {
	postconf -X multi_instance_wrapper && postconf -e multi_instance_enable=no &&
	save_state uninit && restore_state base
}
test_expect "setup: a state before -e init" \
	save_uninit

# config_sums - checksum of each main.cf and master.cf, "absent" for none
config_sums() {
	local f
	for f in $(cat "$T/config.paths"); do
		if [ -f "$f" ]; then
			echo "$f $(sha1sum <"$f" | cut -c1-40)"
		else
			echo "$f absent"
		fi
	done
}

# old_or_new - each main.cf and master.cf is as before or as after
old_or_new() {
	local f sum
	while read -r f sum; do
		grep -qxF "$f $sum" "$T/sums.old" || grep -qxF "$f $sum" "$T/sums.new" ||
			echo "$f: neither the old nor the new text (sha1 $sum)"
	done < <(config_sums)
}

# half_registered - each registered instance without main.cf or master.cf
half_registered() {
	local dir
	for dir in $(registered); do
		[ -f "$dir/main.cf" ] && [ -f "$dir/master.cf" ] ||
			echo "$dir is registered, but incomplete"
	done
}

# temp_files - the temporary files of edits, anywhere in /etc
temp_files() {
	find /etc -name '.*.postmulti.*'
}

# follow_advice ACTION N COMMAND... - do what the fatal line in
# $T/stderr says: run the command it quotes, or the same command with the
# instance selected by the config directory it names; then every file
# must be as after a run without a crash
follow_advice() {
	local action=$1 n=$2 advice arg dir verdict
	shift 2
	if advice=$(grep -o 'finish it with "[^"]*"' "$T/stderr"); then
		advice=${advice#finish it with \"}
		advice=${advice%\"}
		set -- $advice
	elif dir=$(grep -o 'config directory: -i /[^ ]*$' "$T/stderr"); then
		dir=${dir#config directory: -i }
		advice=
		for arg; do
			[ "$advice" = "-i" ] && arg=$dir
			set -- "$@" "$arg"
			advice=$arg
		done
		shift $(($# / 2))
	else
		report "$action, killed at point $n: the fatal line says what to do" \
			"no command in it"
		return
	fi
	command=$(shell_words "$@")
	"$@" >"$T/stdout" 2>"$T/stderr"
	status=$?
	tree_state >"$T/tree.now"
	if [ $status -ne 0 ]; then
		verdict="exit status $status"
	elif ! diff -u "$T/tree.new" "$T/tree.now" >"$T/stdout"; then
		verdict="the files differ from a run without a crash"
	elif [ -n "$(temp_files)" ]; then
		verdict="temporary files left: $(temp_files | xargs)"
	else
		verdict=ok
	fi
	report "$action, killed at point $n: as it says, $command: finishes as without the crash" "$verdict"
}

# crash_test ACTION STATE COMMAND... - the test for one action
crash_test() {
	local action=$1 state=$2 count n where rc verdict
	shift 2
	command=$(shell_words "$@")

	# A run without a crash, listing the points, makes the new state.
	restore_state "$state"
	ls /etc/postfix*/main.cf /etc/postfix*/master.cf >"$T/config.paths"
	config_sums >"$T/sums.old"
	POSTMULTI_FAULT_AT=list "$@" >"$T/stdout" 2>"$T/stderr"
	status=$?
	grep '^postmulti: fault point ' "$T/stderr" |
		sed 's/^postmulti: fault point [0-9]*: //; s/\.postmulti\.[A-Za-z0-9]\{6\}$/.postmulti.XXXXXX/' \
		>"$T/points"
	count=$(wc -l <"$T/points")
	if [ $status -ne 0 ] || [ "$count" -eq 0 ]; then
		report "$action: a run without a crash passes fault points" \
			"exit status $status, $count fault points"
		return
	fi
	report "$action: a run without a crash passes $count fault points" ok
	ls /etc/postfix*/main.cf /etc/postfix*/master.cf >>"$T/config.paths"
	sort -u -o "$T/config.paths" "$T/config.paths"
	config_sums >"$T/sums.new"
	tree_state >"$T/tree.new"
	restore_state "$state" && config_sums >"$T/sums.old"

	for n in $(seq "$count"); do
		where=$(sed -n "${n}p" "$T/points")
		restore_state "$state"
		# The braces keep bash's "Killed" report out of the output.
		{ POSTMULTI_FAULT_AT=$n "$@" >"$T/stdout" 2>"$T/stderr"; } 2>/dev/null
		status=$?
		verdict=ok
		if [ $status -ne 137 ]; then
			verdict="exit status $status, expected 137 (SIGKILL)"
		elif [ -n "$(old_or_new)" ]; then
			verdict=$(old_or_new | head -n 1)
		elif [ "$action" != destroy ] && [ -n "$(half_registered)" ]; then
			verdict=$(half_registered | head -n 1)
		fi
		report "$action, killed at point $n ($where): files old or new, none half registered" "$verdict"

		"$@" >"$T/stdout" 2>"$T/stderr"
		status=$?
		if [ $status -eq 0 ]; then
			tree_state >"$T/tree.now"
			if ! diff -u "$T/tree.new" "$T/tree.now" >"$T/stdout"; then
				verdict="finished, but the files differ from a run without a crash"
			elif [ -n "$(temp_files)" ]; then
				verdict="temporary files left: $(temp_files | xargs)"
			else
				verdict=ok
			fi
			report "$action, killed at point $n: run again, it finishes as without the crash" "$verdict"
			finished=$((finished + 1))
		elif [ $status -eq 1 ] && [ "$(wc -l <"$T/stderr")" -eq 1 ] &&
			grep -q '^postmulti: fatal: ' "$T/stderr"; then
			report "$action, killed at point $n: run again, it refuses: $(cut -c 19- "$T/stderr")" ok
			refused=$((refused + 1))
			follow_advice "$action" "$n" "$@"
		else
			report "$action, killed at point $n: run again" \
				"exit status $status, neither finished nor one fatal line"
		fi
		points=$((points + 1))
	done
	echo "# $action: $count fault points"
}

points=0 finished=0 refused=0
crash_test create base  postmulti -e create -I postfix-new -G g2
crash_test import base  postmulti -e import -G handy config_directory=/etc/postfix-hand
crash_test enable base  postmulti -i postfix-a -e enable
crash_test assign base  postmulti -i postfix-a -e assign -I postfix-aa -G -
crash_test deport base  postmulti -i postfix-a -e deport
crash_test destroy base postmulti -i postfix-a -e destroy
crash_test init uninit  postmulti -e init
echo "# $points crashes in all: after $finished the same command finished the job, $refused times it refused with one fatal line"

done_testing
