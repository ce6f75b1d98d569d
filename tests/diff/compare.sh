# NAME
#	compare.sh - run cases with Debian's postmulti and ours, and compare
# SYNOPSIS
#	tests/lib/sandbox tests/diff/compare.sh cases ours ptyrun nosleep changed
# DESCRIPTION
#	Runs inside tests/lib/sandbox started without -b, so that
#	/usr/sbin/postmulti is still Debian's: a copy of it is kept as the
#	reference. cases holds lines "number<TAB>part<TAB>words" (see
#	tests/diff/cases); ours is our binary; ptyrun runs a command with
#	its standard error on a terminal; nosleep is a library preloaded into the
#	reference only (see tests/diff/nosleep.c): Postfix sleeps a second
#	before each fatal error; changed is tests/diff/changed.c, built.
#
#	The cases of one part share a starting state (a setup, built once
#	and saved): for each side in turn, the side's binary is bound over
#	/usr/sbin/postmulti (so that postfix start, through
#	multi_instance_wrapper, reaches the same binary), the setup is put
#	back, and the cases run one after the other. After each case, a
#	find for anything whose status changed since the setup was put back
#	(and a look at the masters) tells whether the case changed
#	anything; if so, the full state is recorded and the setup is put
#	back before the next case. Then each case's exit status, stdout,
#	whether stderr is empty, and state are compared, and one "ok" or
#	"not ok" line printed for it.
#
#	The state: every path under /etc/postfix*, /var/spool/postfix*,
#	/var/lib/postfix* with its type, mode and owner; the checksum of
#	each regular file but main.cf, master.cf and the pid and lock files;
#	"postconf -n" of each config directory, a digest of its
#	"postconf -M"; which masters run.
#
#	The documented differences (tests/diff/differences) change what is
#	run or expected, as that file describes.

. "$SRCDIR/tests/lib/scenario.sh"

cases=$1
OURS=$2
PTYRUN=$3
NOSLEEP=$4
CHANGED=$5
REF=$T/postmulti.debian
cp /usr/sbin/postmulti "$REF" || exit 1
R=$T/results
DAEMON_DIR=$(postconf -xh daemon_directory)

# postlog without its second: postfix-script reports an unknown command
# (postmulti -p NAME with a command postfix does not know) through
# "postlog -p fatal", which sleeps a second before it exits, once for
# each instance selected, on both sides: thousands of seconds of a
# run's time. Both sides get this same postlog: the real one, run with
# nosleep preloaded, under its own name; its output, exit status and
# everything the comparison looks at are as before. (A copy, not
# set-gid, so that the loader honours LD_PRELOAD; the suite runs as
# root.)
postlog=$(postconf -xh command_directory)/postlog
mkdir -p "$T/postlog" &&
	cp "$postlog" "$T/postlog/postlog" &&
	printf '#!/bin/bash\nLD_PRELOAD=%q exec -a %q %q "$@"\n' \
		"$NOSLEEP" "$postlog" "$T/postlog/postlog" >"$T/postlog/wrapper" &&
	chown --reference="$postlog" "$T/postlog/wrapper" &&
	chmod --reference="$postlog" "$T/postlog/wrapper" &&
	mount --bind "$T/postlog/wrapper" "$postlog" ||
	{ echo "not ok - diff: cannot put postlog without its sleep in place"; exit 1; }
mkdir -p "$R/ref" "$R/ours"
export SHELL=/bin/bash LC_ALL=C

# Which rules of tests/diff/differences are in force.
declare -A rule
while IFS='|' read -r id r _; do
	case $id in '#'* | '') continue ;; esac
	r=${r// /}
	[ "$r" != - ] && rule[$r]=1
done <"$SRCDIR/tests/diff/differences"

# --- setups

# setup_fresh - the primary as the package left it, never initialised
setup_fresh() {
	:
}

# setup_multi - an initialised primary and three secondaries (see
# example_instances in tests/lib/scenario.sh)
setup_multi() {
	example_instances
}

# setup_target - one secondary of each kind (postfix-plain: a name and
# nothing else; /etc/postfix-anon: no name, no group; postfix-msa: group
# msa; postfix-out: enabled, group mta; postfix-run: the same, running,
# see start_masters); /etc/postfix-spare is complete but not registered
setup_target() {
	local p1 p2 p3 p4 p5 p6
	init_primary &&
	postconf -e "multi_instance_directories = /etc/postfix-plain /etc/postfix-anon /etc/postfix-msa /etc/postfix-out /etc/postfix-run" || return
	make_instance /etc/postfix-plain postfix-plain "" no & p1=$!
	make_instance /etc/postfix-anon "" "" no & p2=$!
	make_instance /etc/postfix-msa postfix-msa msa no & p3=$!
	make_instance /etc/postfix-out postfix-out mta yes & p4=$!
	make_instance /etc/postfix-run postfix-run mta yes & p5=$!
	make_instance /etc/postfix-spare postfix-spare spare no & p6=$!
	wait $p1 && wait $p2 && wait $p3 && wait $p4 && wait $p5 && wait $p6 &&
	postconf -c /etc/postfix-anon -e syslog_name=postfix-anon &&
	# named, nothing else set: no multi_instance_group, _enable
	postconf -c /etc/postfix-plain -X multi_instance_group multi_instance_enable &&
	postconf -e "multi_instance_directories = /etc/postfix-plain /etc/postfix-anon /etc/postfix-msa /etc/postfix-out /etc/postfix-run" \
		"alternate_config_directories = /etc/postfix-spare"
}

# setup_of - the setup a part starts from
setup_of() {
	case $1 in
	opts | chars) echo multi ;;
	iter) echo target ;;
	*) echo "$1" ;;
	esac
}

# running - the config directories whose master runs in a part's setup
running() {
	case $(setup_of "$1") in
	target) echo /etc/postfix-run ;;
	esac
}

# --- state

# live_masters - set "masters" to the pids of the masters that run, in
# the order of their pid files, each followed by a space (no process is
# started: this runs after every case)
live_masters() {
	live_masters_of /var/spool/postfix*/pid/master.pid
}

# live_masters_of - the same, for the given pid files
live_masters_of() {
	local f pid state
	masters=
	for f; do
		[ -f "$f" ] || continue
		read -r pid <"$f" || continue
		pid=${pid//[!0-9]/}
		[ -n "$pid" ] && [ -f "/proc/$pid/status" ] || continue
		state=$(<"/proc/$pid/status")
		[[ $state == *$'
State:'[[:space:]]Z* ]] && continue
		masters+="$pid "
	done
}

# stop_masters - end every master (and so its children), and wait
stop_masters() {
	local pid i
	live_masters
	for pid in $masters; do
		kill -TERM "$pid" 2>/dev/null
	done
	for i in $(seq 50); do
		live_masters
		[ -z "$masters" ] && return 0
		sleep 0.1
	done
	for pid in $masters; do
		kill -KILL "$pid" 2>/dev/null
	done
	sleep 0.2
}

# start_masters - start the masters the setup has running
start_masters() {
	local d
	for d in $(running "$1"); do
		# the master itself: "postfix start" would run "postfix check"
		"$DAEMON_DIR/master" -c "$d" -w || echo "# could not start $d"
	done
	live_masters
	masters_at_start=$masters
}

# postconf_of DIR -n|-M - "postconf -c DIR -n" (or a digest of -M), from a
# cache keyed by the file's contents: most states share most files. A
# file changed in the last second or so is "hot" to Postfix, which then
# waits up to two seconds for it to settle before it reads it: the file
# (whose time is not part of the state, and which put_back replaces
# next) is made a minute old first.
postconf_of() {
	local d=$1 opt=$2 file sum
	[ "$opt" = -n ] && file=$d/main.cf || file=$d/master.cf
	sum=$(sha1sum <"$file" 2>/dev/null) || { echo "(no ${file##*/})"; return; }
	sum=${sum%% *}$opt
	if [ ! -f "$T/postconf/$sum" ]; then
		mkdir -p "$T/postconf"
		touch -m -d '1 minute ago' "$file"
		if [ "$opt" = -n ]; then
			postconf -c "$d" -n >"$T/postconf/$sum" 2>&1
		else
			postconf -c "$d" -M 2>&1 | sha1sum | cut -c1-12 >"$T/postconf/$sum"
		fi
	fi
	cat "$T/postconf/$sum"
}

# state - print the full state (see DESCRIPTION)
state() {
	local roots d f
	roots=(/etc/postfix* /var/spool/postfix* /var/lib/postfix*)
	find "${roots[@]}" -printf '%p %y %m %u:%g\n' | sort
	find "${roots[@]}" -type f ! -name main.cf ! -name master.cf ! -name '*.pid' \
		! -name master.lock -exec sha1sum {} + | sort -k 2
	for d in /etc/postfix*; do
		[ -f "$d/main.cf" ] || continue
		postconf_of "$d" -n | sed "s|^|$d: |"
		echo "$d: postconf -M $(postconf_of "$d" -M)"
	done
	for f in /var/spool/postfix*/pid/master.pid; do
		[ -f "$f" ] || continue
		live_masters_of "$f"
		[ -n "$masters" ] && echo "${f%/pid/master.pid}: master running"
	done
}

# put_back - restore the setup's saved state, its masters running, and
# mark the time
put_back() {
	stop_masters
	restore_state "$1" || echo "# restore $1 failed"
	start_masters "$1"
	touch "$T/stamp"
	sleep 0.02		# file times are coarse: a change must be later
}

# changed - whether anything changed since put_back: a master started
# or ended, or (tests/diff/changed.c, find's question without its cost)
# a path's status changed
changed() {
	live_masters
	[ "$masters" != "$masters_at_start" ] && return 0
	"$CHANGED" "$T/stamp" /etc /var/spool /var/lib -- \
		/etc/postfix* /var/spool/postfix* /var/lib/postfix* >/dev/null
}

# --- running

# bind - make BINARY the system's /usr/sbin/postmulti
bind() {
	while umount /usr/sbin/postmulti 2>/dev/null; do :; done
	mount --bind "$1" /usr/sbin/postmulti || exit 1
}

# ref_words - the reference's arguments (in refw) for ours, after the
# rules json and samedir
ref_words() {
	local w want= cmd=
	refw=()
	for w in "$@"; do
		if [ -n "$want" ]; then
			if [ "$want" = -i ] && [ -n "${rule[samedir]}" ] && [[ $w == /* ]]; then
				w=$(realpath -ms -- "$w")
			fi
			want=
		elif [ -z "$cmd" ]; then
			case $w in
			-[giIGe]) want=$w ;;
			-j) [ -n "${rule[json]}" ] && continue ;;
			-*) ;;
			*) cmd=y ;;
			esac
		fi
		refw+=("$w")
	done
}

# run_side SIDE PART - run every case of PART in $R/$SIDE
run_side() {
	local side=$1 part=$2 n words
	put_back "$part"
	while IFS=$'\t' read -r n p words; do
		[ "$p" = "$part" ] || continue
		eval "set -- $words"
		if [ "$side" = ref ]; then
			ref_words "$@"
			if [ -n "${rule[tty]}" ]; then
				LD_PRELOAD=$NOSLEEP "$PTYRUN" "$R/ref/$n.out" "$R/ref/$n.err" \
					/usr/sbin/postmulti "${refw[@]}"
			else
				LD_PRELOAD=$NOSLEEP /usr/sbin/postmulti "${refw[@]}" >"$R/ref/$n.out" 2>"$R/ref/$n.err" </dev/null
			fi
		else
			/usr/sbin/postmulti "$@" >"$R/ours/$n.out" 2>"$R/ours/$n.err" </dev/null
		fi
		echo $? >"$R/$side/$n.rc"
		if changed; then
			state >"$R/$side/$n.state" 2>&1
			put_back "$part"
		fi
	done <"$cases"
}

# json_of - a -l listing as Postfix 3.11's -j prints it
json_of() {
	awk '{ printf "{\"name\": \"%s\",\"group\": \"%s\",\"enabled\": \"%s\",\"config_directory\": \"%s\"}\n", $1, $2, $3, $4 }'
}

# compact - at most 12 lines of stdin, each cut at 160 characters, as
# comments, under a heading
compact() {
	cut -c1-160 | sed -n "1i\\
#   $1
1,12s/^/#     /p; 13{s/.*/#     .../p;q}"
}

# stderr_differs REF OURS - set stderr_why to why the stderr files
# differ, if they do. Ours runs without a terminal, the reference with
# one (rule tty): the programs they run (postfix, postfix-script) write to
# stderr only on a terminal (before Postfix 3.8), so what counts is whether postmulti itself
# said something (its life-cycle helper postmulti-script included), and
# ours may print nothing else the reference did not. No process is
# started: this runs for every case.
stderr_differs() {
	local line i ref_own= ours_own= own_re='^(postmulti|[^ ]*/postmulti-script): '
	local verbose_re='^postmulti: (wrote /|created directory /|running "|/[^ ]*: running /)'
	local -a ref_lines ours_lines
	stderr_why=
	[ -s "$1" ] || [ -s "$2" ] || return 0
	mapfile -t ref_lines <"$1"
	mapfile -t ours_lines <"$2"
	ref_lines=("${ref_lines[@]%$'\r'}")
	# postfix-script logs through postlog -t NAME/postfix-script; since
	# Postfix 3.8 postlog also writes to a stderr that is not a terminal,
	# there under its own tag, NAME/postlog: one message, two tags
	ref_lines=("${ref_lines[@]/\/postfix-script: //postlog: }")
	ours_lines=("${ours_lines[@]/\/postfix-script: //postlog: }")
	# ... and each side has its own master ("is running: PID: 1234")
	for i in "${!ref_lines[@]}"; do
		[[ ${ref_lines[i]} =~ ^(.*: PID: )[0-9]+$ ]] && ref_lines[i]=${BASH_REMATCH[1]}N
	done
	for i in "${!ours_lines[@]}"; do
		[[ ${ours_lines[i]} =~ ^(.*: PID: )[0-9]+$ ]] && ours_lines[i]=${BASH_REMATCH[1]}N
	done
	for line in "${ref_lines[@]}"; do
		[[ $line =~ $own_re ]] && { ref_own=y; break; }
	done
	for line in "${ours_lines[@]}"; do
		# rule verbose: what -v says ours did is ours alone
		if [ -n "${rule[verbose]}" ] && [[ $line =~ $verbose_re ]]; then
			continue
		elif [[ $line =~ $own_re ]]; then
			ours_own=y
		elif ! printf '%s\n' "${ref_lines[@]}" | grep -Fxq -- "$line"; then
			stderr_why="ours printed what the reference did not: $line"
			return
		fi
	done
	if [ "$ref_own" != "$ours_own" ]; then
		[ -n "$ref_own" ] && stderr_why="the reference has a diagnostic, ours none" ||
			stderr_why="ours has a diagnostic, the reference none"
	fi
}

# same_file A B - whether two files have the same contents (no process
# for two empty files)
same_file() {
	[ -s "$1" ] || [ -s "$2" ] || return 0
	cmp -s "$1" "$2"
}

# case_name - set name to the arguments as a shell would read them (as
# shell_words prints them), a long one cut to its start and its length
case_name() {
	local w sep=
	name=
	for w; do
		[ ${#w} -gt 40 ] && w="${w:0:16}...(${#w} characters)"
		case $w in
		"" | *[!A-Za-z0-9_./=:,+@%-]*)
			w="'${w//\'/\'\\\'\'}'" ;;
		esac
		name+="$sep$w"
		sep=' '
	done
}

# compare PART - one line per case of PART
compare() {
	local part=$1 n p words why rs os rst ost expect_out note stderr_why name
	while IFS=$'\t' read -r n p words; do
		[ "$p" = "$part" ] || continue
		eval "set -- $words"
		why= note=
		case_name "$@"
		name="$part: postmulti $name"
		rs=$R/ref/$n.state os=$R/ours/$n.state
		[ -f "$rs" ] || rs=$R/$part.state
		[ -f "$os" ] || os=$R/$part.state
		expect_out=$R/ref/$n.out
		read -r rst <"$R/ref/$n.rc"
		read -r ost <"$R/ours/$n.rc"
		if [ -n "${rule[json]}" ] && [[ " $words " == *" -j "* ]]; then
			ref_words "$@"
			note="rule json: reference run as: postmulti $(shell_words "${refw[@]}")"
			# with -l, the listing in JSON; without, a fatal error
			if [[ " $words " == *" -l "* ]]; then
				if [ "$rst" = 0 ]; then
					json_of <"$R/ref/$n.out" >"$R/ref/$n.json"
					expect_out=$R/ref/$n.json
				fi
			else
				note="$note; -j without -l must be fatal"
				: >"$R/ref/$n.none"
				rst=1
				echo "postmulti: fatal: -j without -l" >"$R/ref/$n.err"
				expect_out=$R/ref/$n.none
				rs=$R/$part.state
			fi
		elif [ -n "${rule[samedir]}" ] && [[ " $words " == *" -i /"* ]]; then
			ref_words "$@"
			[ "${refw[*]}" != "$*" ] &&
				note="rule samedir: reference run as: postmulti $(shell_words "${refw[@]}")"
		fi
		[ "$rst" = "$ost" ] || why="$why exit"
		same_file "$expect_out" "$R/ours/$n.out" || why="$why stdout"
		stderr_differs "$R/ref/$n.err" "$R/ours/$n.err"
		[ -z "$stderr_why" ] || why="$why stderr"
		[ "$rs" = "$os" ] || cmp -s "$rs" "$os" || why="$why config"
		if [ -z "$why" ]; then
			echo "ok - $name"
			continue
		fi
		echo "not ok - $name"
		echo "#   differs:$why"
		[ -n "$note" ] && echo "#   ($note)"
		echo "#   exit: reference $rst, ours $ost"
		case $why in *stdout*)
			diff "$expect_out" "$R/ours/$n.out" | grep '^[<>]' |
				sed 's/^</reference:/; s/^>/ours:     /' | compact "stdout:" ;;
		esac
		[ -n "$stderr_why" ] && echo "#   stderr: $stderr_why"
		head -3 "$R/ref/$n.err" | tr -d '\r' | compact "reference stderr:"
		head -3 "$R/ours/$n.err" | compact "ours stderr:"
		case $why in *config*)
			diff "$rs" "$os" | grep '^[<>]' |
				sed 's/^</reference:/; s/^>/ours:     /' | compact "config:" ;;
		esac
	done <"$cases"
}

bind "$REF"
for part in $(cut -f2 "$cases" | uniq); do
	setup=$(setup_of "$part")
	if [ ! -d "$T/state/$setup" ]; then
		[ -d "$T/state/pristine" ] || save_state pristine
		restore_state pristine
		"setup_$setup" >"$T/setup.log" 2>&1 || {
			echo "not ok - setup $setup"
			comment "setup log:" <"$T/setup.log"
			continue
		}
		save_state "$setup"
		start_masters "$setup"
		state >"$R/$setup.state" 2>&1
		stop_masters
	fi
	[ "$part" = "$setup" ] || cp "$R/$setup.state" "$R/$part.state"
	# the parts run on their setup under its own name
	[ -d "$T/state/$part" ] || cp -a "$T/state/$setup" "$T/state/$part"
	bind "$REF"
	run_side ref "$part"
	bind "$OURS"
	run_side ours "$part"
	stop_masters
	compare "$part"
done
exit 0
