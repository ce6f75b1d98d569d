# NAME
#	scenario.sh - helpers for the scenario tests (sourced)
# SYNOPSIS
#	. "$SRCDIR/tests/lib/scenario.sh"
#
#	test_expect name command...
#	expect_output name expected command...
#	expect_stdout name status expected command...
#	expect_fail name regex command...
#	expect_warning name regex expected command...
#	snapshot; expect_unchanged name
#	make_instance config_dir name group yes|no
#	copy_instance from_dir config_dir name
#	init_primary; example_instances
#	master_running config_dir; masters config_dir...
#	record_postfix_calls; postfix_calls command...
#	json_fields command...
#	files dir; wait_files dir n
#	local_submissions [config_dir...]; long_queue_ids config_dir; slow_primary
#	sorted command...; count_lines command...; one_line command...
#	first_line command...; both command...; quiet command...
#	done_testing
# DESCRIPTION
#	A scenario runs inside tests/lib/sandbox (which sets T and SRCDIR) and
#	prints only "ok - name", "not ok - name" and "#" comment lines. Each
#	check runs its command in the current shell, with stdout and stderr
#	captured under $T; a failed check shows what it expected and what it
#	got, as comments. done_testing exits 1 when any check failed.
#
#	Expected text is compared line for line; "" expects no output at all.
#
#	A check takes a command and its arguments, never a string of shell
#	code to eval: a setup or check of more than one command, or with a
#	pipe or a redirection, is a small named function in the scenario, or
#	one of the helpers sorted, count_lines, one_line and first_line,
#	which take a command and filter its output. A failed check whose
#	command is a shell function shows the function's definition too.

tests_run=0
tests_failed=0
[ -n "$T" ] && [ -d "$T" ] || {
	echo "not ok - scenario must run under tests/lib/sandbox (T is not set)"
	exit 1
}
PATH=$T/bin:$PATH
mkdir -p "$T/bin"

# comment - print stdin as "#" comment lines, under a heading
comment() {
	sed "s/^/#     /; 1i\\
#   $1"
}

# run - run a command, capturing stdout, stderr and the exit status
run() {
	"$@" >"$T/stdout" 2>"$T/stderr"
	status=$?
}

# skip NAME WHY - a check that cannot run here: "ok - NAME # SKIP WHY", counted
skip() {
	tests_run=$((tests_run + 1))
	echo "ok - $1 # SKIP $2"
}

# report - print "ok" or "not ok" for a check; on failure, what was seen
report() {
	local name=$1 verdict=$2
	tests_run=$((tests_run + 1))
	if [ "$verdict" = ok ]; then
		echo "ok - $name"
		return 0
	fi
	tests_failed=$((tests_failed + 1))
	echo "not ok - $name"
	echo "#   why: $verdict"
	echo "$command" | comment "command:"
	declare -F -- "${command%% *}" >/dev/null &&
		declare -f -- "${command%% *}" | comment "where:"
	[ -s "$T/expected" ] && comment "expected stdout:" <"$T/expected"
	[ -s "$T/stdout" ] && comment "stdout:" <"$T/stdout"
	[ -s "$T/stderr" ] && comment "stderr:" <"$T/stderr"
	echo "#   exit status: $status"
	return 1
}

# shell_words - print the arguments as a shell would read them back
shell_words() {
	local word sep=
	for word; do
		case $word in
		"" | *[!A-Za-z0-9_./=:,+@%-]*)
			word="'${word//\'/\'\\\'\'}'" ;;
		esac
		printf '%s%s' "$sep" "$word"
		sep=' '
	done
	echo
}

# expectation - remember the command and the expected stdout of a check
expectation() {
	local expected=$1
	shift
	command=$(shell_words "$@")
	if [ -n "$expected" ]; then
		printf '%s\n' "$expected" >"$T/expected"
	else
		: >"$T/expected"
	fi
}

# test_expect - the command succeeds
test_expect() {
	local name=$1
	shift
	expectation "" "$@"
	run "$@"
	if [ $status -eq 0 ]; then
		report "$name" ok
	else
		report "$name" "exit status $status, expected 0"
	fi
}

# expect_output - the command succeeds, prints exactly the expected text,
# and nothing on stderr
expect_output() {
	local name=$1 expected=$2
	shift 2
	expectation "$expected" "$@"
	run "$@"
	if [ $status -ne 0 ]; then
		report "$name" "exit status $status, expected 0"
	elif ! cmp -s "$T/expected" "$T/stdout"; then
		report "$name" "stdout differs"
	elif [ -s "$T/stderr" ]; then
		report "$name" "unexpected stderr"
	else
		report "$name" ok
	fi
}

# expect_stdout - the command exits with the given status and prints
# exactly the expected text; stderr is not checked
expect_stdout() {
	local name=$1 want=$2 expected=$3
	shift 3
	expectation "$expected" "$@"
	run "$@"
	if [ $status -ne "$want" ]; then
		report "$name" "exit status $status, expected $want"
	elif ! cmp -s "$T/expected" "$T/stdout"; then
		report "$name" "stdout differs"
	else
		report "$name" ok
	fi
}

# expect_fail - the command exits 1 with no output but one line on stderr,
# "postmulti: fatal: ..." matching the regex (grep -E)
expect_fail() {
	local name=$1 regex=$2
	shift 2
	expectation "" "$@"
	run "$@"
	if [ $status -ne 1 ]; then
		report "$name" "exit status $status, expected 1"
	elif [ "$(wc -l <"$T/stderr")" -ne 1 ]; then
		report "$name" "$(wc -l <"$T/stderr") lines on stderr, expected one"
	elif ! grep -q '^postmulti: fatal: ' "$T/stderr"; then
		report "$name" "stderr is not a 'postmulti: fatal: ' line"
	elif ! grep -Eq -- "$regex" "$T/stderr"; then
		report "$name" "stderr does not match /$regex/"
	elif [ -s "$T/stdout" ]; then
		report "$name" "unexpected stdout"
	else
		report "$name" ok
	fi
}

# expect_warning - the command exits 1 and prints exactly the expected
# text; stderr has a "postmulti: warning: " line matching the regex, and
# no fatal error
expect_warning() {
	local name=$1 regex=$2 expected=$3
	shift 3
	expectation "$expected" "$@"
	run "$@"
	if [ $status -ne 1 ]; then
		report "$name" "exit status $status, expected 1"
	elif ! cmp -s "$T/expected" "$T/stdout"; then
		report "$name" "stdout differs"
	elif ! grep '^postmulti: warning: ' "$T/stderr" | grep -Eq -- "$regex"; then
		report "$name" "no 'postmulti: warning: ' line matching /$regex/"
	elif grep -q 'fatal:' "$T/stderr"; then
		report "$name" "a fatal error on stderr"
	else
		report "$name" ok
	fi
}

# snapshot - remember tree_state, for expect_unchanged
snapshot() {
	tree_state >"$T/tree.snapshot" 2>&1
}

# state_unchanged - check NAME: what the function STATE prints now is
# what it printed into the file SAVED
state_unchanged() {
	local name=$1 state=$2 saved=$3
	expectation "" diff -u "$saved" "$T/now"
	$state >"$T/now" 2>&1
	diff -u "$saved" "$T/now" >"$T/stdout" 2>"$T/stderr"
	status=$?
	if [ $status -eq 0 ]; then
		report "$name" ok
	else
		report "$name" "files changed"
	fi
}

# expect_unchanged - no file or directory of any instance changed since
# the last snapshot
expect_unchanged() {
	state_unchanged "$1" tree_state "$T/tree.snapshot"
}

# settle FILE... - date configuration files back: Postfix reads a file
# changed in the last seconds only after it has settled (it waits up to
# 2 s); no check compares file times
settle() {
	touch -d @0 "$@"
}

# make_instance - build and register a secondary instance the way an
# administrator would by hand, without postmulti's life-cycle mode. Its
# queue and data directories are /var/spool/NAME and /var/lib/NAME (the
# base name of the config directory for a nameless instance). It is added
# at the end of multi_instance_directories unless already listed there.
make_instance() {
	local dir=$1 name=$2 group=$3 enable=$4
	local base=${name:-$(basename "$dir")}
	local list

	mkdir -p "$dir" &&
	mkdir -p -m 0755 "/var/spool/$base" &&
	mkdir -p -m 0700 "/var/lib/$base" &&
	cp /etc/postfix/main.cf.proto "$dir/main.cf" &&
	cp /etc/postfix/master.cf.proto "$dir/master.cf" &&
	settle "$dir/main.cf" "$dir/master.cf" &&
	# The stock main.cf sets these empty; an empty setgid_group is fatal.
	postconf -c "$dir" -# sendmail_path newaliases_path mailq_path \
		setgid_group html_directory manpage_directory sample_directory \
		readme_directory &&
	settle "$dir/main.cf" &&
	postconf -c "$dir" -e \
		"queue_directory = /var/spool/$base" \
		"data_directory = /var/lib/$base" \
		"multi_instance_name = $name" \
		"multi_instance_group = $group" \
		"multi_instance_enable = $enable" \
		"master_service_disable = inet" \
		"authorized_submit_users =" &&
	settle "$dir/main.cf" &&
	list=$(postconf -h multi_instance_directories) &&
	case " $list " in
	*" $dir "*) ;;
	*) postconf -e "multi_instance_directories = ${list:+$list }$dir" &&
		settle /etc/postfix/main.cf ;;
	esac &&
	# Postfix refuses a config directory that is not registered.
	postfix -c "$dir" set-permissions
}

# copy_instance - make a complete instance by hand, not registered: a
# new config directory with a copy of another instance's main.cf and
# master.cf, named NAME, its queue and data directories set to
# /var/spool/NAME and /var/lib/NAME (which are not made)
copy_instance() {
	local from=$1 dir=$2 name=$3
	mkdir "$dir" && cp "$from/main.cf" "$from/master.cf" "$dir/" &&
	settle "$dir/main.cf" "$dir/master.cf" &&
	postconf -c "$dir" -e multi_instance_name="$name" \
		queue_directory="/var/spool/$name" data_directory="/var/lib/$name" &&
	settle "$dir/main.cf"
}

# init_primary - what "postmulti -e init" does, done with postconf
init_primary() {
	postconf -e \
		'multi_instance_wrapper = ${command_directory}/postmulti -p --' \
		'multi_instance_enable = yes' &&
	settle /etc/postfix/main.cf
}

# local_submissions [CONFIG_DIR...] - postfix-out and postfix-msa (or the
# given instances) accept sendmail again: example_instances forbids it
local_submissions() {
	local d
	[ $# -gt 0 ] || set -- /etc/postfix-out /etc/postfix-msa
	for d; do
		postconf -c "$d" -X authorized_submit_users || return
	done
	settle "${@/%//main.cf}"
}

# long_queue_ids CONFIG_DIR - the instance uses long queue IDs
long_queue_ids() {
	postconf -c "$1" -e enable_long_queue_ids=yes && settle "$1/main.cf"
}

# slow_primary - the primary delivers remote mail through a pipe that
# sleeps (600 s): its messages stay in the active queue meanwhile
slow_primary() {
	postconf -M -e 'slow/unix=slow unix - n n - - pipe flags= user=nobody argv=/bin/sleep 600' &&
	postconf -e default_transport=slow &&
	settle /etc/postfix/main.cf /etc/postfix/master.cf
}

# example_instances - the instances most scenarios work with:
#
#	config directory   name         group  enabled
#	/etc/postfix       -            -      yes (primary, initialised)
#	/etc/postfix-out   postfix-out  mta    yes
#	/etc/postfix-msa   postfix-msa  msa    no
#	/etc/postfix-null  -            mta    yes (syslog_name postfix-null)
#
# They are registered in that order up front and then built in parallel:
# set-permissions takes more than two seconds each.
example_instances() {
	local out msa null
	init_primary &&
	postconf -e "multi_instance_directories = /etc/postfix-out /etc/postfix-msa /etc/postfix-null" &&
	settle /etc/postfix/main.cf || return
	make_instance /etc/postfix-out postfix-out mta yes & out=$!
	make_instance /etc/postfix-msa postfix-msa msa no & msa=$!
	make_instance /etc/postfix-null "" mta yes & null=$!
	wait $out && wait $msa && wait $null &&
	# What the manual asks for a nameless instance.
	postconf -c /etc/postfix-null -e syslog_name=postfix-null &&
	settle /etc/postfix-null/main.cf
}

# master_alive - whether the pid in the instance's master.pid is a live
# (not zombie) process
master_alive() {
	local queue pid state
	queue=$(postconf -c "$1" -xh queue_directory) || return 1
	pid=$(sed -n '1s/[^0-9]//gp' "$queue/pid/master.pid" 2>/dev/null)
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
	state=$(sed -n 's/^State:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null)
	case $state in
	"" | Z*) return 1 ;;
	esac
}

# master_running - whether the instance's master runs: its master.pid
# names a live process and "postfix -c DIR status" agrees. They disagree
# only while a master starts or exits, so a disagreement is retried for at
# most two seconds before it is reported.
master_running() {
	local i alive status
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		master_alive "$1" && alive=yes || alive=no
		postfix -c "$1" status >/dev/null 2>&1 && status=yes || status=no
		[ $alive = $status ] && break
		sleep 0.1
	done
	if [ $alive != $status ]; then
		echo "# $1: master.pid says running=$alive, postfix status says running=$status"
		return 2
	fi
	[ $alive = yes ]
}

# masters - print "DIR running" or "DIR stopped" for each instance
masters() {
	local dir
	for dir; do
		if master_running "$dir"; then
			echo "$dir running"
		else
			echo "$dir stopped"
		fi
	done
}

# record_postfix_calls - from now on, every run of /usr/sbin/postfix is
# logged in $T/postfix.log (its MAIL_CONFIG, whether MAIL_VERBOSE is set,
# its arguments) before the real program runs
record_postfix_calls() {
	cp /usr/sbin/postfix "$T/postfix.real" &&
	cat >"$T/postfix.recorder" <<EOF &&
#!/bin/sh
echo "MAIL_CONFIG=\${MAIL_CONFIG-(unset)}\${MAIL_VERBOSE+ MAIL_VERBOSE} postfix \$*" >>"$T/postfix.log"
exec "$T/postfix.real" "\$@"
EOF
	chmod 755 "$T/postfix.recorder" &&
	mount --bind "$T/postfix.recorder" /usr/sbin/postfix
}

# postfix_calls - run a command, print its stdout, then the postfix
# commands it ran (see record_postfix_calls); its stderr passes through,
# but for the progress lines of postfix-script ("NAME/postlog: starting
# the Postfix mail system"), which Postfix 3.8 and later also write to a
# stderr that is not a terminal; its exit status is returned
postfix_calls() {
	local rc
	: >"$T/postfix.log"
	"$@" 2>"$T/postfix.err"
	rc=$?
	grep -Ev '^[^ ]+/postlog: (starting|stopping|refreshing) the Postfix mail system$' \
		"$T/postfix.err" >&2
	cat "$T/postfix.log"
	return $rc
}

# json_fields - run a command (postmulti -l -j ...) and print each JSON
# object line of its output as "name=... group=... enabled=...
# config_directory=...", in the order the members appear; unknown members
# are ignored, a missing one shows as (missing), a line that is not one
# flat JSON object as "not JSON: line"; a null shows as nothing after
# the "=". Returns the command's exit status; its stderr passes through.
json_fields() {
	local rc
	"$@" >"$T/json"
	rc=$?
	json_lines <"$T/json"
	return $rc
}

# json_lines - the conversion of json_fields, stdin to stdout
json_lines() {
	awk '
	function skip() { sub(/^[ \t]+/, "", s) }
	function string() {
		if (!match(s, /^"([^"\\]|\\.)*"/))
			return 0
		tok = substr(s, 2, RLENGTH - 2)
		s = substr(s, RLENGTH + 1)
		gsub(/\\"/, "\"", tok); gsub(/\\\//, "/", tok); gsub(/\\\\/, "\\", tok)
		return 1
	}
	function value() {
		if (string())
			return 1
		if (match(s, /^(null|true|false|-?[0-9][0-9.eE+-]*)/)) {
			tok = substr(s, 1, RLENGTH)
			if (tok == "null")
				tok = ""
			s = substr(s, RLENGTH + 1)
			return 1
		}
		return 0
	}
	function parse(    key, c) {
		s = $0; out = ""; split("", seen); skip()
		if (substr(s, 1, 1) != "{")
			return 0
		s = substr(s, 2); skip()
		if (substr(s, 1, 1) == "}") {
			s = substr(s, 2)
		} else for (;;) {
			if (!string())
				return 0
			key = tok; skip()
			if (substr(s, 1, 1) != ":")
				return 0
			s = substr(s, 2); skip()
			if (!value())
				return 0
			if (key == "name" || key == "group" || key == "enabled" || key == "config_directory") {
				out = out (out == "" ? "" : " ") key "=" tok
				seen[key] = 1
			}
			skip(); c = substr(s, 1, 1); s = substr(s, 2); skip()
			if (c == "}")
				break
			if (c != ",")
				return 0
		}
		skip()
		return s == ""
	}
	{
		if (!parse()) {
			print "not JSON: " $0
			next
		}
		if (!("name" in seen)) out = out " name=(missing)"
		if (!("group" in seen)) out = out " group=(missing)"
		if (!("enabled" in seen)) out = out " enabled=(missing)"
		if (!("config_directory" in seen)) out = out " config_directory=(missing)"
		sub(/^ /, "", out)
		print out
	}'
}

# sorted - run a command and print its output in sorted order; its
# stderr passes through, and sort's exit status is returned (as for
# "command | sort")
sorted() {
	"$@" | sort
}

# count_lines - run a command and print how many lines it printed
count_lines() {
	"$@" | wc -l
}

# one_line - run a command and print the words of its output on one
# line, separated by single spaces (as "command | xargs" does)
one_line() {
	"$@" | xargs
}

# first_line - run a command and print the first line of its output
# (as "command | head -n 1")
first_line() {
	"$@" | head -n 1
}

# both - run a command with its stderr on its stdout
both() {
	"$@" 2>&1
}

# quiet - run a command with its stderr thrown away
quiet() {
	"$@" 2>/dev/null
}

# files DIR - how many regular files are under DIR
files() {
	find "$1" -type f | wc -l
}

# wait_files DIR N - wait up to 30 seconds for N files under DIR
wait_files() {
	local i
	for i in $(seq 300); do
		[ "$(files "$1")" -eq "$2" ] && return 0
		sleep 0.1
	done
	echo "# $1: $(files "$1") files after 30 seconds, expected $2"
	return 1
}

# done_testing - end the scenario: exit 1 when a check failed
done_testing() {
	echo "1..$tests_run"
	if [ $tests_failed -gt 0 ]; then
		echo "# $tests_failed of $tests_run checks failed"
		exit 1
	fi
	exit 0
}

# Helpers for the life-cycle scenarios.
#
#	tree_state
#	save_state name; restore_state name
#	diff_lines file1 file2; sorted_lines file
#	wait_for_file path
#	file_id file
#	registered
#	existing path...
#	fake_postfix status
#	racy_postconf_warnings file
#	fill_primary
#	both_masked command...

# fill_primary - the primary's /etc/postfix on a full tmpfs (with a copy
# of its files, and a filler file that takes the rest), for ENOSPC;
# "umount /etc/postfix" gives the primary its own directory back
fill_primary() {
	cp -a /etc/postfix "$T/etc-postfix" &&
	mount -t tmpfs -o size=256k,mode=0755 tmpfs /etc/postfix &&
	cp -a "$T/etc-postfix/." /etc/postfix/ &&
	{ dd if=/dev/zero of=/etc/postfix/filler bs=4k 2>/dev/null; true; } &&
	test "$(df --output=avail /etc/postfix | tail -n 1)" -eq 0
}

# both_masked - run a command with its stderr on its stdout, with the
# random part of the name of a temporary file (".postmulti.XXXXXX")
# masked; the command's exit status is returned
both_masked() {
	"$@" 2>&1 | sed 's/\.postmulti\.[A-Za-z0-9]\{6\}:/.postmulti.XXXXXX:/'
	return "${PIPESTATUS[0]}"
}

# tree_state - every file and directory of every instance, in full:
# under /etc/postfix*, /var/spool/postfix* and /var/lib/postfix*, each
# path's type, mode and owner, and the checksum of each regular file
# (queue files included, so a message in a queue shows)
tree_state() {
	local roots
	roots=$(ls -d /etc/postfix* /var/spool/postfix* /var/lib/postfix* 2>/dev/null)
	# shellcheck disable=SC2086
	find $roots -printf '%p %y %m %u:%g\n' | sort
	# shellcheck disable=SC2086
	find $roots -type f -exec sha1sum {} + | sort -k 2
}

# save_state - copy every instance's files (config, queue and data
# directories, as tree_state sees them) to $T/state/NAME; no master may
# run
save_state() {
	rm -rf "$T/state/$1" && mkdir -p "$T/state/$1/etc" "$T/state/$1/spool" "$T/state/$1/lib" &&
	cp -a /etc/postfix* "$T/state/$1/etc/" &&
	cp -a /var/spool/postfix* "$T/state/$1/spool/" &&
	cp -a /var/lib/postfix* "$T/state/$1/lib/"
}

# restore_state - put back what save_state saved, and nothing else
restore_state() {
	[ -d "$T/state/$1" ] || return 1
	rm -rf /etc/postfix* /var/spool/postfix* /var/lib/postfix* &&
	cp -a "$T/state/$1/etc/." /etc/ &&
	cp -a "$T/state/$1/spool/." /var/spool/ &&
	cp -a "$T/state/$1/lib/." /var/lib/
}

# diff_lines - the lines that differ between two files, "<" old, ">" new
diff_lines() {
	diff "$1" "$2" | grep '^[<>]'
	return 0
}

# sorted_lines - a file's lines in sorted order: two main.cf files with
# the same sorted lines differ at most in the order of their lines
sorted_lines() {
	LC_ALL=C sort "$1"
}

# wait_for_file - wait up to ten seconds for a non-empty file
wait_for_file() {
	local i
	for i in $(seq 100); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	echo "# $1: still empty after ten seconds"
	return 1
}

# file_id - a file's inode, size and modification time: a file replaced
# or rewritten shows a different id
file_id() {
	stat -c '%i %s %Y.%y' "$1"
}

# registered - the primary's multi_instance_directories, one a line
registered() {
	postconf -h multi_instance_directories | tr ' ,' '\n\n' | sed '/^$/d'
}

# existing - print those of the paths that exist (symbolic links too)
existing() {
	local p
	for p; do
		[ -e "$p" ] || [ -L "$p" ] && echo "$p"
	done
	return 0
}

# fake_postfix - from now on /usr/sbin/postfix runs nothing: it logs its
# run in $T/postfix.log as record_postfix_calls does, and exits with the
# given status (for when the real thing, run a thousand times, is too slow)
fake_postfix() {
	cat >"$T/postfix.fake" <<EOF &&
#!/bin/sh
echo "MAIL_CONFIG=\${MAIL_CONFIG-(unset)}\${MAIL_VERBOSE+ MAIL_VERBOSE} postfix \$*" >>"$T/postfix.log"
exit $1
EOF
	chmod 755 "$T/postfix.fake" &&
	mount --bind "$T/postfix.fake" /usr/sbin/postfix
}

# racy_postconf_warnings - drop from a file of command output the
# warnings of Postfix's own postconf (run by "postfix set-permissions")
# that it reads the primary's main.cf more than once per run, so that a
# concurrent postmulti's atomic replacement of the file between two reads
# shows as "overriding earlier entry: multi_instance_directories=...";
# print how many there were
racy_postconf_warnings() {
	local re='^/usr/sbin/postconf: warning: /etc/postfix/main\.cf, line [0-9]*: overriding earlier entry: multi_instance_directories='
	grep -c "$re" "$1"
	grep -v "$re" "$1" >"$1.rest"
	mv "$1.rest" "$1"
}
