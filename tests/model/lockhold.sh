#!/bin/bash
#
# A finding of tests/model/model.sh, shown on its own: deport and
# destroy ran "postfix -c DIR status" while they held the life-cycle
# lock. Postfix does not trust a main.cf modified in the last two
# seconds and reads it again until it is older, so right after an
# enable, disable, assign, deport or destroy, the status check of the
# next deport or destroy waited for the file to cool down, lock held,
# and every other life-cycle action waited with it (1.5-2.5 s). Fixed:
# a stopped master is now known from its pid file, with no process.
#
# Not run by tests/run: it measures time, and these machines are shared
# (tests/scenario/destroy.sh checks the cause instead: no postfix status
# for a stopped instance). Run:
#   tests/lib/sandbox -b build/asan/postmulti tests/model/lockhold.sh

. "$SRCDIR/tests/lib/scenario.sh"

# timed COMMAND... - run it; ms = how long it took
timed() {
	local t0=$EPOCHREALTIME
	command=$(shell_words "$@")
	: >"$T/expected"
	"$@" >"$T/timed.out" 2>&1
	status=$?
	ms=$(((${EPOCHREALTIME/./} - ${t0/./}) / 1000))
}

test_expect "setup: -e init, three instances" \
	eval 'postmulti -e init && postmulti -e create -I postfix-a &&
	postmulti -e create -I postfix-b && postmulti -e create -I postfix-c'
sleep 3
timed postmulti -i postfix-a -e destroy
echo "# destroy 3 s after the last change: $ms ms"
[ "$ms" -lt 1000 ] && report "destroy 3 s after the last change: under 1 s ($ms ms)" ok ||
	report "destroy 3 s after the last change: under 1 s" "$ms ms"

test_expect "disable postfix-b" \
	postmulti -i postfix-b -e disable
(
	sleep 0.2
	timed postmulti -i postfix-c -e enable
	echo "$status $ms $command" >"$T/enable.ms"
) &
timed postmulti -i postfix-b -e destroy
wait
read -r estatus ems ecommand <"$T/enable.ms"
echo "# destroy right after the disable: $ms ms; an enable of another instance 0.2 s later: $ems ms"
[ "$status" = 0 ] && [ "$ms" -lt 1000 ] &&
	report "destroy right after a disable: under 1 s ($ms ms)" ok ||
	report "destroy right after a disable: under 1 s" "exit $status, $ms ms"
command=$ecommand
[ "$estatus" = 0 ] && [ "$ems" -lt 500 ] &&
	report "an enable of another instance meanwhile does not wait for it ($ems ms)" ok ||
	report "an enable of another instance meanwhile does not wait for it" "exit $estatus, $ems ms"

done_testing
