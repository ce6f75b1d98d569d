#!/bin/bash
#
# A model-based random test of the life-cycle mode under concurrency and
# SIGKILL. K workers (WORKERS, default 8) run random operations at once
# in this one sandbox, ROUNDS rounds of OPS operations each: create
# (default and explicit directories, named and nameless, -G, placement
# -a, -g, -i), import, enable, disable, assign, deport, destroy (some
# with a message queued first, which must make it refuse), and
# "postmulti -i X -p start" / "-p stop" (and "postfix -c DIR stop" for a
# disabled instance that still runs). KILL percent of the operations are
# killed with SIGKILL after a random delay, FAULT percent at a random
# compiled-in fault point (POSTMULTI_FAULT_AT=N, the test build).
#
# The model. Each worker owns its instances (config directories
# /etc/postfix-wWsS and /etc/pm-wWpP, names postfix-wW..., groups wW-..),
# so that operations on one instance are serialised by its worker; the
# primary main.cf is shared by all. Placement -i and -g name only the
# worker's own instances, so the relative order of a worker's registered
# instances is determined by its own operations. For every operation the
# worker predicts from its model whether it succeeds or is refused, and
# the state after it (which list the directory is in, name, group,
# enable, whether its master runs), then checks both. A killed operation
# may or may not have taken effect: right after the kill, each field of
# the instance must hold its old or its new value (a destroy may also be
# half done); then the same command is run again, and it must either
# complete, or refuse with one fatal line - which, unless the operation
# had already taken effect, must quote the command that finishes the job
# or name the config directory to select the instance by (the test does
# as it says). Either way the operation has then completed, and the
# instance must be exactly in the new state.
#
# After every round, with every worker stopped, the invariants:
#   ops       every operation did what the model predicted
#   kills     killed operations left old-or-new fields and, run again,
#             completed or refused saying what to do
#   complete  every registered directory holds main.cf and master.cf that
#             "postconf -c DIR -n" reads without a warning, and its queue
#             has the subdirectories set-permissions makes
#   names     no instance name is used twice
#   dirs      no directory is registered twice, nor in both lists
#   primary   the primary's main.cf parses ("postconf -n", "postmulti -l")
#   model     every instance the model knows is where it says, with its
#             name, group, enable state, order and master; nothing
#             destroyed is left, nothing unknown is registered
#   temps     no temporary file of an edit is left
# and a final "model: N operations, K kills, V invariant violations".
#
# Replay: the seed (SEED, default 1) is printed first. A worker's
# choices depend only on SEED, its number, the round and the outcomes of
# its own operations, and the model makes those outcomes deterministic,
# so "SEED=s" replays the same operations (the kill moments vary with the
# machine's load). "ONLY=W" runs worker W alone, without the others'
# interference, for a sequential replay of its operations. A violation
# names the seed, round, worker and operation, and prints the worker's
# last operations; MODEL_LOGS=DIR keeps every worker's log of operations.
#
# Run: tests/run model.sh, or
#      tests/lib/sandbox -b build/asan/postmulti tests/model/model.sh
# with, in the environment, SEED=1 WORKERS=8 ROUNDS=10 OPS=25 KILL=10
# FAULT=6 (the defaults). About 4 minutes on 2 busy cores.
#
# Needs the test build (fault points); against Debian's postmulti the
# setup check fails and nothing else runs.

. "$SRCDIR/tests/lib/scenario.sh"

SEED=${SEED:-1}
WORKERS=${WORKERS:-8}
ROUNDS=${ROUNDS:-10}
OPS=${OPS:-25}
KILL=${KILL:-10}
FAULT=${FAULT:-6}
ONLY=${ONLY:-}
SLOTS=6		# default-directory instances per worker
PMSLOTS=3	# explicit-directory instances per worker
echo "# model: SEED=$SEED WORKERS=$WORKERS ROUNDS=$ROUNDS OPS=$OPS KILL=$KILL% FAULT=$FAULT%${ONLY:+ ONLY=$ONLY}"
echo "# replay: SEED=$SEED tests/run model.sh (or ONLY=W for one worker alone)"

M=$T/model
mkdir -p "$M"

# ---------------------------------------------------------------------
# Reading the state

# observe DIR - set OW (reg, alt, both, none: which of the primary's
# lists holds DIR), OC (1 when DIR holds main.cf and master.cf), ON, OG,
# OE (the name, group and enable of DIR/main.cf, "?" without one); read
# straight from the files, as the last definition of each parameter
observe() {
	local dir=$1 files=(/etc/postfix/main.cf) out
	[ -f "$dir/main.cf" ] && files+=("$dir/main.cf")
	out=$(awk -v dir="$dir" -v n=${#files[@]} '
	FNR == 1 { f++; cur = "" }
	/^[ \t]*#/ { next }
	/^[ \t]*$/ { cur = ""; next }
	/^[ \t]/ { if (cur != "") v[f, cur] = v[f, cur] " " $0; next }
	{
		i = index($0, "=")
		if (!i) { cur = ""; next }
		k = substr($0, 1, i - 1); val = substr($0, i + 1)
		gsub(/^[ \t]+|[ \t]+$/, "", k); gsub(/^[ \t]+|[ \t]+$/, "", val)
		cur = k; v[f, k] = val
	}
	function member(list,    a, m, j) {
		m = split(list, a, /[ \t,]+/)
		for (j = 1; j <= m; j++) if (a[j] == dir) return 1
		return 0
	}
	END {
		r = member(v[1, "multi_instance_directories"])
		a = member(v[1, "alternate_config_directories"])
		w = r && a ? "both" : r ? "reg" : a ? "alt" : "none"
		if (n < 2) { print w, "?", "?", "?"; exit }
		e = tolower(v[2, "multi_instance_enable"]); if (e != "yes") e = "no"
		nm = v[2, "multi_instance_name"]; gr = v[2, "multi_instance_group"]
		print w, (nm == "" ? "-" : nm), (gr == "" ? "-" : gr), e
	}' "${files[@]}")
	read -r OW ON OG OE <<<"$out"
	[ "$ON" = - ] && ON=
	[ "$OG" = - ] && OG=
	OC=0
	[ -f "$dir/main.cf" ] && [ -f "$dir/master.cf" ] && OC=1
}

# queue_of DIR - the queue directory of an instance of this test
queue_of() {
	echo "/var/spool/${1#/etc/}"
}

# master_up DIR - whether the master of DIR runs (its pid file names a
# live, not zombie, process)
master_up() {
	local pid state
	pid=$(sed -n '1s/[^0-9]//gp' "$(queue_of "$1")/pid/master.pid" 2>/dev/null)
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
	state=$(sed -n 's/^State:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null)
	case $state in "" | Z*) return 1 ;; esac
}

# running DIR WANT - 1 or 0 as the master of DIR runs; a master that is
# starting or stopping gets three seconds to reach WANT
running() {
	local i
	for i in $(seq 30); do
		if master_up "$1"; then
			[ "$2" = 1 ] && { echo 1; return; }
		else
			[ "$2" = 0 ] && { echo 0; return; }
		fi
		sleep 0.1
	done
	master_up "$1" && echo 1 || echo 0
}

# ---------------------------------------------------------------------
# The worker: random operations on its own instances

# rand N - REPLY = a pseudo-random number in [0, N), from the worker's
# own generator (deterministic for a seed)
rand() {
	rng=$(((rng * 1103515245 + 12345) & 0x7fffffff))
	REPLY=$(((rng >> 8) % $1))
}

# pick WORD... - REPLY = one of the words
pick() {
	rand $#
	local a=("$@")
	REPLY=${a[$REPLY]}
}

# violation KIND MESSAGE - record a broken invariant of this worker
violation() {
	echo "$1|op $opno ($(shell_words "${CMD[@]}")): $2" >>"$M/viol.$R.$W"
	echo "#   VIOLATION $1: $2" >>"$M/log.$W"
}

# reg_named NAME [EXCEPT] - print the registered instance of this worker
# named NAME, other than EXCEPT
reg_named() {
	local d
	[ -n "$1" ] || return 1
	for d in "${ORDER[@]}"; do
		[ "$d" != "$2" ] && [ "${NM[$d]}" = "$1" ] && { echo "$d"; return 0; }
	done
	return 1
}

# resolve ARG - print the registered instance that "-i ARG" selects
resolve() {
	local d
	case $1 in
	/*) for d in "${ORDER[@]}"; do [ "$d" = "$1" ] && { echo "$d"; return 0; }; done
	    return 1 ;;
	*) reg_named "$1" ;;
	esac
}

# sel_arg DIR - SEL = how "-i" names an instance: by name or directory
sel_arg() {
	rand 3
	if [ -n "${NM[$1]}" ] && [ $REPLY -gt 0 ]; then
		SEL=${NM[$1]}
	else
		SEL=$1
	fi
}

# placement - set PLACE (the -a/-g/-i words) and PLACE_OK (0 when the
# model expects it refused); PLACE_AT is what order_insert needs
placement() {
	local d
	PLACE=() PLACE_OK=1 PLACE_AT=last
	rand 100
	if [ $REPLY -lt 15 ]; then
		PLACE=(-a) PLACE_AT=first
	elif [ $REPLY -lt 30 ]; then
		pick "w$W-ga" "w$W-gb" "w$W-gc"
		PLACE=(-g "$REPLY") PLACE_AT="g:$REPLY" PLACE_OK=0
		for d in "${ORDER[@]}"; do
			[ "${GR[$d]}" = "$REPLY" ] && PLACE_OK=1
		done
	elif [ $REPLY -lt 50 ]; then
		if [ ${#ORDER[@]} -gt 0 ] && { rand 10; [ $REPLY -gt 0 ]; }; then
			pick "${ORDER[@]}"
			d=$REPLY
			sel_arg "$d"
			PLACE=(-i "$SEL") PLACE_AT="i:$d"
		else
			PLACE=(-i "postfix-w$W-nosuch") PLACE_OK=0
		fi
	fi
}

# order_insert DIR WHERE - put DIR into ORDER as a placement puts it
order_insert() {
	local d new=() done=0
	case $2 in
	first) ORDER=("$1" "${ORDER[@]}"); return ;;
	last) ORDER+=("$1"); return ;;
	esac
	for d in "${ORDER[@]}"; do
		if [ $done = 0 ]; then
			case $2 in
			i:*) [ "$d" = "${2#i:}" ] && { new+=("$1"); done=1; } ;;
			g:*) [ "${GR[$d]}" = "${2#g:}" ] && { new+=("$1"); done=1; } ;;
			esac
		fi
		new+=("$d")
	done
	[ $done = 1 ] || new+=("$1")
	ORDER=("${new[@]}")
}

# order_remove DIR - take DIR out of ORDER
order_remove() {
	local d new=()
	for d in "${ORDER[@]}"; do
		[ "$d" = "$1" ] || new+=("$d")
	done
	ORDER=("${new[@]}")
}

# groupopt - set GOPT (the -G words) and GNEW (the group it makes; "="
# for unchanged)
groupopt() {
	rand 10
	if [ $REPLY -lt 4 ]; then
		GOPT=() GNEW="="
	elif [ $REPLY -lt 5 ]; then
		GOPT=(-G -) GNEW=
	else
		pick "w$W-ga" "w$W-gb" "w$W-gc"
		GOPT=(-G "$REPLY") GNEW=$REPLY
	fi
}

# a_name - REPLY = a name from this worker's pool
a_name() {
	rand 8
	if [ $REPLY -lt $SLOTS ]; then
		REPLY=postfix-w$W-s$REPLY
	else
		REPLY=postfix-w$W-n$REPLY
	fi
}

# old_state DIR - save the model's fields of DIR in the O_* variables;
# set_new WHERE NAME GROUP ENABLE RUN - the N_* fields the operation makes
old_state() {
	O_WH=${WH[$1]:-gone} O_NM=${NM[$1]} O_GR=${GR[$1]} O_EN=${EN[$1]:-no} O_RN=${RN[$1]:-0}
}
set_new() {
	N_WH=$1 N_NM=$2 N_GR=$3 N_EN=$4 N_RN=$5
}

# matches DIR WHERE NAME GROUP ENABLE - what observe sees is that state;
# else print how it differs
matches() {
	local dir=$1 wh=$2
	observe "$dir"
	case $wh in
	gone)
		[ "$OW" = none ] || { echo "destroyed, but in the list ($OW)"; return 1; }
		[ -e "$dir" ] && { echo "destroyed, but $dir exists"; return 1; }
		return 0 ;;
	reg | alt)
		[ "$OW" = "$wh" ] || { echo "expected in list $wh, found $OW"; return 1; }
		[ $OC = 1 ] || { echo "main.cf or master.cf missing"; return 1; }
		[ "$ON|$OG|$OE" = "$3|$4|$5" ] ||
			{ echo "name|group|enable expected '$3|$4|$5', found '$ON|$OG|$OE'"; return 1; }
		return 0 ;;
	esac
}

# old_or_new DIR - right after a kill: each field as before or after
# (a destroy may be half done: registered with files gone)
old_or_new() {
	local dir=$1 ow nw
	observe "$dir"
	ow=$O_WH nw=$N_WH
	[ "$ow" = gone ] && ow=none
	[ "$nw" = gone ] && nw=none
	if [ "$OW" != "$ow" ] && [ "$OW" != "$nw" ]; then
		echo "in list '$OW', neither old '$ow' nor new '$nw'"
		return 1
	fi
	[ "$OW" = none ] && return 0
	if [ "$OC" = 0 ] || [ "$ON" = "?" ]; then
		[ "$KIND" = destroy ] && return 0
		echo "registered ($OW) without main.cf and master.cf"
		return 1
	fi
	[ "$ON" = "$O_NM" ] || [ "$ON" = "$N_NM" ] ||
		{ echo "name '$ON', neither old '$O_NM' nor new '$N_NM'"; return 1; }
	[ "$OG" = "$O_GR" ] || [ "$OG" = "$N_GR" ] ||
		{ echo "group '$OG', neither old '$O_GR' nor new '$N_GR'"; return 1; }
	[ "$OE" = "$O_EN" ] || [ "$OE" = "$N_EN" ] ||
		{ echo "enable '$OE', neither old '$O_EN' nor new '$N_EN'"; return 1; }
	return 0
}

# launch MODE COMMAND... - run a command in a session of its own; MODE
# is "plain", "kill:MS" (SIGKILL after MS milliseconds) or "fault:N";
# set st; after a kill, wait (at most 20 s) for what the command started
# (a "postfix" it ran goes on) to end
launch() {
	local mode=$1 pid i
	shift
	if [ "${mode%%:*}" = fault ]; then
		POSTMULTI_FAULT_AT=${mode#fault:} setsid "$@" >"$M/out.$W" 2>"$M/err.$W" &
	else
		setsid "$@" >"$M/out.$W" 2>"$M/err.$W" &
	fi
	pid=$!
	if [ "${mode%%:*}" = kill ]; then
		sleep "$(printf '%d.%03d' $((${mode#kill:} / 1000)) $((${mode#kill:} % 1000)))"
		kill -KILL "$pid" 2>/dev/null
	fi
	{ wait "$pid"; } 2>/dev/null
	st=$?
	if [ $st = 137 ]; then
		for i in $(seq 200); do
			kill -0 -- "-$pid" 2>/dev/null || break
			sleep 0.1
		done
	fi
}

# stderr_lines - the stderr of the last command, without the warnings of
# Postfix's postconf about main.cf changed between its own two reads
# (see racy_postconf_warnings)
stderr_lines() {
	grep -v '^/usr/sbin/postconf: warning: /etc/postfix/main\.cf, line [0-9]*: overriding earlier entry: multi_instance_directories=' "$M/err.$W"
}

# one_fatal - the last command refused in one "postmulti: fatal:" line
one_fatal() {
	[ $st = 1 ] && [ "$(stderr_lines | wc -l)" = 1 ] &&
		stderr_lines | grep -q '^postmulti: fatal: ' && [ ! -s "$M/out.$W" ]
}

# execute KIND DIR EXPECT MAXDELAY MAXPOINT - run CMD as the operation
# KIND on the instance DIR, EXPECT (ok or refuse) as the model predicts,
# N_* the state it makes; maybe kill it; check the outcome; update the
# model
execute() {
	KIND=$1
	local dir=$2 expect=$3 maxdelay=$4 maxpoint=$5 mode=plain why advice want
	local dir_advice sel a t0 redo
	local life=1
	case $KIND in start | stop | pstop) life=0 ;; esac
	rand 100
	if [ $REPLY -lt "$KILL" ]; then
		rand "$maxdelay"
		mode=kill:$REPLY
	elif [ $life = 1 ] && [ $REPLY -lt $((KILL + FAULT)) ]; then
		rand "$maxpoint"
		mode=fault:$((REPLY + 1))
	fi
	echo "op $opno: $(shell_words "${CMD[@]}") [$mode, expect $expect]" >>"$M/log.$W"
	t0=$EPOCHREALTIME
	launch "$mode" "${CMD[@]}"
	echo "#   exit $st in $(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 )) ms" >>"$M/log.$W"
	if [ $st = 137 ] && [ "$mode" != plain ]; then
		kills=$((kills + 1))
		echo "#   killed ($mode)" >>"$M/log.$W"
		if [ $life = 1 ] && ! why=$(old_or_new "$dir"); then
			violation kills "killed ($mode): $why"
		fi
		launch plain "${CMD[@]}"
		echo "#   run again: exit $st: $(head -c 300 "$M/err.$W" | tr '\n' ' ')" >>"$M/log.$W"
		if [ $life = 0 ]; then
			[ $st -le 1 ] || violation kills "killed ($mode), run again: exit $st"
		elif [ $st = 0 ]; then
			[ "$expect" = ok ] ||
				violation kills "killed ($mode), run again: succeeded where the model expects a refusal"
		elif one_fatal; then
			if [ "$expect" = ok ]; then
				advice=$(stderr_lines | grep -o '"post\(multi\|fix\) [^"]*"' | tail -n 1 | tr -d '"')
				dir_advice=$(stderr_lines | grep -o 'config directory: -i /[^ ]*$' | sed 's/.* //')
				if [ -n "$dir_advice" ]; then
					# The same command, the instance selected by
					# its config directory.
					redo=() sel=
					for a in "${CMD[@]}"; do
						[ "$sel" = -i ] && a=$dir_advice
						redo+=("$a") sel=$a
					done
					echo "#   as it says: $(shell_words "${redo[@]}")" >>"$M/log.$W"
					launch plain "${redo[@]}"
					[ $st = 0 ] || violation kills "killed ($mode), run again, refused; \"$(shell_words "${redo[@]}")\", as it says: exit $st: $(stderr_lines | head -n 2 | tr '\n' ' ')"
				elif [ -n "$advice" ]; then
					echo "#   as it says: $advice" >>"$M/log.$W"
					# shellcheck disable=SC2086
					launch plain $advice
					[ $st = 0 ] || violation kills "killed ($mode), run again, refused; \"$advice\", as it says: exit $st: $(stderr_lines | head -n 2 | tr '\n' ' ')"
				elif ! why=$(matches "$dir" "$N_WH" "$N_NM" "$N_GR" "$N_EN"); then
					violation kills "killed ($mode), run again: refused without saying what to do, and the operation had not taken effect ($why): $(stderr_lines)"
				fi
			fi
		else
			violation kills "killed ($mode), run again: exit $st, neither completed nor one fatal line: $(stderr_lines | head -n 3 | tr '\n' ' ')"
		fi
	elif [ "$expect" = ok ] && [ $st != 0 ]; then
		violation ops "expected success, got exit $st: $(stderr_lines | head -n 3 | tr '\n' ' ')"
	elif [ "$expect" = refuse ] && [ $life = 1 ] && ! one_fatal; then
		violation ops "expected a refusal in one fatal line, got exit $st: $(stderr_lines | head -n 3 | tr '\n' ' ')"
	elif [ "$expect" = refuse ] && [ $life = 0 ] && [ $st = 0 ]; then
		violation ops "expected exit 1, got 0"
	fi
	[ "$expect" = ok ] || set_new "$O_WH" "$O_NM" "$O_GR" "$O_EN" "$O_RN"
	if [ $life = 0 ]; then
		want=$N_RN
		N_RN=$(running "$dir" "$want")
		[ "$N_RN" = "$want" ] ||
			violation ops "after it: master running=$N_RN, the model says $want"
	elif ! why=$(matches "$dir" "$N_WH" "$N_NM" "$N_GR" "$N_EN"); then
		violation ops "after it: $why"
		# Go on from what is there, not from the model.
		observe "$dir"
		case $OW in
		reg | alt) set_new "$OW" "$ON" "$OG" "$OE" "$N_RN" ;;
		*) if [ -e "$dir" ]; then set_new stuck "" "" no 0; else set_new gone "" "" no 0; fi ;;
		esac
		[ "$expect" = ok ] || PLACE_AT=last
	fi
	if [ "$N_WH" = reg ] && [ "$O_WH" != reg ]; then
		order_insert "$dir" "$PLACE_AT"
	elif [ "$N_WH" != reg ] && [ "$O_WH" = reg ]; then
		order_remove "$dir"
	fi
	WH[$dir]=$N_WH NM[$dir]=$N_NM GR[$dir]=$N_GR EN[$dir]=$N_EN RN[$dir]=$N_RN
	[ $life = 1 ] && [ "$N_RN" = 1 ] && RN[$dir]=$(running "$dir" 1)
	return 0
}

# op_create - create, in a default-directory or an explicit-directory slot
op_create() {
	local dir name spell fname fgroup en expect=ok
	rand 4
	if [ $REPLY -lt 3 ]; then
		rand $SLOTS
		name=postfix-w$W-s$REPLY dir=/etc/$name
		rand 10
		if [ $REPLY -lt 6 ]; then
			spell=(-I "$name")
		elif [ $REPLY -lt 8 ]; then
			spell=(-I "$name" "config_directory=$dir")
		else
			rand 3
			if [ $REPLY = 0 ]; then name=''; else a_name; name=$REPLY; fi
			spell=(${name:+-I "$name"} "config_directory=$dir"
				"queue_directory=$(queue_of "$dir")" "data_directory=/var/lib/${dir#/etc/}")
		fi
	else
		rand $PMSLOTS
		dir=/etc/pm-w$W-p$REPLY
		rand 3
		if [ $REPLY = 0 ]; then name=''; else a_name; name=$REPLY; fi
		spell=(${name:+-I "$name"} "config_directory=$dir"
			"queue_directory=$(queue_of "$dir")" "data_directory=/var/lib/${dir#/etc/}")
	fi
	groupopt
	placement
	CMD=(postmulti "${PLACE[@]}" -e create "${GOPT[@]}" "${spell[@]}")
	old_state "$dir"
	if [ "$O_WH" = alt ]; then
		# It holds main.cf and master.cf: create imports it.
		fname=${name:-$O_NM} fgroup=$O_GR en=$O_EN
	else
		fname=$name fgroup='' en=no
	fi
	[ "$GNEW" = "=" ] || fgroup=$GNEW
	[ "$O_WH" = reg ] && expect=refuse
	[ $PLACE_OK = 1 ] || expect=refuse
	reg_named "$fname" "$dir" >/dev/null && expect=refuse
	set_new reg "$fname" "$fgroup" "$en" "$O_RN"
	execute create "$dir" $expect 400 12
}

# op_import - import a deported instance
op_import() {
	local dir=$1 fname fgroup expect=ok iopt=()
	old_state "$dir"
	rand 3
	case $REPLY in
	0) fname=$O_NM ;;
	1) a_name; fname=$REPLY iopt=(-I "$REPLY") ;;
	2) fname='' iopt=(-I -) ;;
	esac
	groupopt
	fgroup=$O_GR
	[ "$GNEW" = "=" ] || fgroup=$GNEW
	placement
	CMD=(postmulti "${PLACE[@]}" -e import "${iopt[@]}" "${GOPT[@]}" "config_directory=$dir")
	[ $PLACE_OK = 1 ] || expect=refuse
	reg_named "$fname" "$dir" >/dev/null && expect=refuse
	set_new reg "$fname" "$fgroup" "$O_EN" "$O_RN"
	execute import "$dir" $expect 400 7
}

# op_edit ACTION DIR - enable, disable or assign (by name or directory;
# an instance not registered is refused)
op_edit() {
	local action=$1 dir=$2 arg target expect=ok fname fgroup iopt=()
	sel_arg "$dir"; arg=$SEL
	target=$(resolve "$arg") || { target=$dir; expect=refuse; }
	old_state "$target"
	fname=$O_NM fgroup=$O_GR
	case $action in
	enable) set_new reg "$fname" "$fgroup" yes "$O_RN"; CMD=(postmulti -i "$arg" -e enable) ;;
	disable) set_new reg "$fname" "$fgroup" no "$O_RN"; CMD=(postmulti -i "$arg" -e disable) ;;
	assign)
		GOPT=() GNEW="="
		rand 3
		case $REPLY in
		0) a_name; fname=$REPLY iopt=(-I "$REPLY") ;;
		1) fname='' iopt=(-I -) ;;
		2) groupopt; [ ${#GOPT[@]} = 0 ] && GOPT=(-G -) GNEW= ;;
		esac
		[ ${#iopt[@]} -gt 0 ] && { rand 2; [ $REPLY = 0 ] && groupopt; }
		[ "$GNEW" = "=" ] || fgroup=$GNEW
		[ $expect = ok ] && reg_named "$fname" "$target" >/dev/null && expect=refuse
		set_new reg "$fname" "$fgroup" "$O_EN" "$O_RN"
		CMD=(postmulti -i "$arg" -e assign "${iopt[@]}" "${GOPT[@]}") ;;
	esac
	execute "$action" "$target" $expect 500 3
}

# op_remove ACTION DIR - deport or destroy
op_remove() {
	local action=$1 dir=$2 arg target expect=ok
	sel_arg "$dir"; arg=$SEL
	target=$(resolve "$arg") || { target=$dir; expect=refuse; }
	old_state "$target"
	[ "$O_EN" = yes ] && expect=refuse
	[ "$O_RN" = 1 ] && expect=refuse
	if [ "$action" = deport ]; then
		set_new alt "$O_NM" "$O_GR" "$O_EN" 0
	else
		set_new gone "" "" no 0
	fi
	CMD=(postmulti -i "$arg" -e "$action")
	execute "$action" "$target" $expect 1500 25
	return 0
}

# op_queued DIR - a message in the queue of a stopped, disabled instance:
# destroy must refuse and leave it; then the message is deleted
op_queued() {
	local dir=$1 queue
	queue=$(queue_of "$dir")
	CMD=(sendmail "$dir")
	echo "op $opno: queue a message in $dir, then destroy" >>"$M/log.$W"
	if ! postconf -c "$dir" -e authorized_submit_users=root ||
	   ! echo "Subject: model $SEED $R $W $opno" | MAIL_CONFIG=$dir sendmail -oi root 2>>"$M/log.$W" ||
	   [ -z "$(find "$queue/maildrop" -type f)" ]; then
		violation ops "could not queue a message in $dir"
		return
	fi
	sel_arg "$dir"
	CMD=(postmulti -i "$SEL" -e destroy)
	old_state "$dir"
	execute destroy "$dir" refuse 1500 25
	[ -n "$(find "$queue/maildrop" -type f)" ] ||
		violation ops "the refused destroy took the queued message"
	find "$queue/maildrop" -type f -delete
}

# op_start DIR, op_stop DIR - postmulti -i X -p start|stop
op_start() {
	local dir=$1 arg expect=ok run
	sel_arg "$dir"; arg=$SEL
	old_state "$dir"
	run=$O_RN
	# A disabled instance gets "postfix check" instead, which succeeds.
	[ "$O_EN" = yes ] && { [ "$O_RN" = 1 ] && expect=refuse; run=1; }
	set_new "$O_WH" "$O_NM" "$O_GR" "$O_EN" "$run"
	CMD=(postmulti -i "$arg" -p start)
	execute start "$dir" $expect 2500 1
}
op_stop() {
	local dir=$1 arg expect=ok
	sel_arg "$dir"; arg=$SEL
	old_state "$dir"
	if [ "$O_EN" = no ] && [ "$O_RN" = 1 ]; then
		# postmulti skips a disabled instance: stop it as destroy says.
		CMD=(postfix -c "$dir" stop)
		set_new "$O_WH" "$O_NM" "$O_GR" "$O_EN" 0
		execute pstop "$dir" ok 200 1
		return
	fi
	# A disabled instance is skipped: "no instance matches".
	[ "$O_EN" = yes ] && [ "$O_RN" = 1 ] || expect=refuse
	set_new "$O_WH" "$O_NM" "$O_GR" "$O_EN" 0
	CMD=(postmulti -i "$arg" -p stop)
	execute stop "$dir" $expect 200 1
}

# known WHERE - set KNOWN to this worker's instances in that list
known() {
	local d
	KNOWN=()
	for d in "${!WH[@]}"; do
		[ "${WH[$d]}" = "$1" ] && KNOWN+=("$d")
	done
}

# worker W R - one round of OPS operations of worker W
worker() {
	W=$1 R=$2
	local i ops=0 reg alt cand d
	kills=0
	declare -gA WH=() NM=() GR=() EN=() RN=()
	ORDER=()
	# shellcheck disable=SC1090
	[ -f "$M/state.$W" ] && . "$M/state.$W"
	rng=$(((SEED * 1000003 + W * 7919 + R * 104729) & 0x7fffffff))
	rand 2; rand 2
	echo "# round $R" >>"$M/log.$W"
	for i in $(seq "$OPS"); do
		opno=$R.$i PLACE_AT=last
		ops=$((ops + 1))
		known reg; reg=("${KNOWN[@]}")
		known alt; alt=("${KNOWN[@]}")
		rand 100
		if [ ${#reg[@]} -lt 2 ] || [ $REPLY -lt 16 ]; then
			op_create
		elif [ $REPLY -lt 23 ] && [ ${#alt[@]} -gt 0 ]; then
			pick "${alt[@]}"; op_import "$REPLY"
		elif [ $REPLY -lt 91 ]; then
			# Mostly a registered one; sometimes one that is not.
			rand 10
			if [ $REPLY = 0 ] && [ ${#alt[@]} -gt 0 ]; then
				pick "${alt[@]}"
			else
				pick "${reg[@]}"
			fi
			d=$REPLY
			pick enable disable disable assign assign
			op_edit "$REPLY" "$d"
		elif [ $REPLY -lt 96 ]; then
			# Mostly one that can go.
			cand=()
			for d in "${reg[@]}"; do
				[ "${EN[$d]}" = no ] && [ "${RN[$d]}" = 0 ] && cand+=("$d")
			done
			rand 4
			if [ ${#cand[@]} -gt 0 ] && [ $REPLY -gt 0 ]; then
				pick "${cand[@]}"
			else
				pick "${reg[@]}"
			fi
			d=$REPLY
			rand 10
			if [ $REPLY -lt 4 ]; then
				op_remove deport "$d"
			elif [ $REPLY -lt 8 ] || [ "${EN[$d]}" = yes ] || [ "${RN[$d]}" = 1 ]; then
				op_remove destroy "$d"
			else
				op_queued "$d"
			fi
		else
			# At most one master of this worker runs.
			cand=()
			for d in "${reg[@]}"; do
				[ "${RN[$d]}" = 1 ] && cand+=("$d")
			done
			if [ ${#cand[@]} -gt 0 ]; then
				op_stop "${cand[0]}"
			else
				# Mostly an enabled one: a disabled one gets
				# "postfix check" only.
				for d in "${reg[@]}"; do
					[ "${EN[$d]}" = yes ] && cand+=("$d")
				done
				rand 5
				if [ ${#cand[@]} -gt 0 ] && [ $REPLY -gt 0 ]; then
					pick "${cand[@]}"
				else
					pick "${reg[@]}"
				fi
				op_start "$REPLY"
			fi
		fi
	done
	{
		declare -p WH NM GR EN RN ORDER | sed 's/^declare -\([aA]\)/declare -g\1/'
	} >"$M/state.$W"
	echo "$ops $kills" >"$M/count.$R.$W"
}

# ---------------------------------------------------------------------
# The checks after a round

# check_round R - every invariant, one line each
check_round() {
	local R=$1 d reg=() alt=() w n got want ops=0 kills=0 o k queue
	local -A seen=() names=() conf=()

	for w in $(workers); do
		read -r o k <"$M/count.$R.$w"
		ops=$((ops + o)) kills=$((kills + k))
	done
	total_ops=$((total_ops + ops)) total_kills=$((total_kills + kills))

	viols ops "$R" "round $R: each of the $ops operations did what the model predicted"
	viols kills "$R" "round $R: $kills killed operations left each field old or new and, run again, completed or said what to do"

	read -ra reg <<<"$(postconf -h multi_instance_directories | tr ',' ' ')"
	read -ra alt <<<"$(postconf -h alternate_config_directories | tr ',' ' ')"

	: >"$M/found"
	for d in "${reg[@]}"; do
		if [ ! -f "$d/main.cf" ] || [ ! -f "$d/master.cf" ]; then
			echo "$d: main.cf or master.cf missing" >>"$M/found"
		elif ! postconf -c "$d" -n >"$M/pc.out" 2>"$M/pc.err" || [ -s "$M/pc.err" ]; then
			echo "$d: postconf -c $d -n: $(head -n 2 "$M/pc.err" | tr '\n' ' ')" >>"$M/found"
		else
			queue=$(sed -n 's/^queue_directory = //p' "$M/pc.out")
			[ -d "$queue/maildrop" ] && [ -d "$queue/pid" ] ||
				echo "$d: no $queue/maildrop or $queue/pid: set-permissions never completed" >>"$M/found"
			conf[$d]=$(awk -F' = ' '
				$1 == "multi_instance_name" { n = $2 }
				$1 == "multi_instance_group" { g = $2 }
				$1 == "multi_instance_enable" { e = tolower($2) }
				END { print n "|" g "|" (e == "yes" ? "yes" : "no") }' "$M/pc.out")
		fi
	done
	found complete "round $R: each of the ${#reg[@]} registered directories holds main.cf and master.cf, read by postconf -n without a warning, and its queue directory is set up"

	for d in "${!conf[@]}"; do
		n=${conf[$d]%%|*}
		[ -n "$n" ] && [ -n "${names[$n]}" ] && echo "name $n: ${names[$n]} and $d" >>"$M/found"
		[ -n "$n" ] && names[$n]=$d
	done
	found names "round $R: no instance name is used twice"

	for d in "${reg[@]}"; do
		[ -n "${seen[$d]}" ] && echo "$d registered twice" >>"$M/found"
		seen[$d]=reg
	done
	for d in "${alt[@]}"; do
		[ "${seen[$d]}" = reg ] && echo "$d in multi_instance_directories and alternate_config_directories" >>"$M/found"
		[ "${seen[$d]}" = alt ] && echo "$d twice in alternate_config_directories" >>"$M/found"
		[ "${seen[$d]}" = reg ] || seen[$d]=alt
	done
	found dirs "round $R: no directory is registered twice, none is in both lists"

	if ! postconf -n >/dev/null 2>"$M/pc.err" || [ -s "$M/pc.err" ]; then
		echo "postconf -n: $(head -n 2 "$M/pc.err" | tr '\n' ' ')" >>"$M/found"
	fi
	if ! postmulti -l >"$M/pc.out" 2>"$M/pc.err" || [ -s "$M/pc.err" ]; then
		echo "postmulti -l: $(head -n 2 "$M/pc.err" | tr '\n' ' ')" >>"$M/found"
	elif [ "$(wc -l <"$M/pc.out")" != $((${#reg[@]} + 1)) ]; then
		echo "postmulti -l: $(wc -l <"$M/pc.out") lines for ${#reg[@]} secondaries" >>"$M/found"
	fi
	found primary "round $R: the primary's main.cf parses (postconf -n, postmulti -l)"

	# The model: each worker's instances as it says.
	for w in $(workers); do
		(
			declare -gA WH=() NM=() GR=() EN=() RN=()
			ORDER=()
			# shellcheck disable=SC1090
			[ -f "$M/state.$w" ] && . "$M/state.$w"
			for d in "${!WH[@]}"; do
				want="${NM[$d]}|${GR[$d]}|${EN[$d]}"
				case ${WH[$d]} in
				reg)
					[ "${seen[$d]}" = reg ] || { echo "$d (worker $w) lost: not registered (${seen[$d]:-in no list})"; continue; }
					[ "${conf[$d]}" = "$want" ] ||
						echo "$d (worker $w): name|group|enable '${conf[$d]}', the model says '$want'" ;;
				alt)
					[ "${seen[$d]}" = alt ] || { echo "$d (worker $w) lost: not in alternate_config_directories (${seen[$d]:-in no list})"; continue; }
					observe "$d"
					[ $OC = 1 ] || echo "$d (worker $w): deported, but main.cf or master.cf missing"
					[ "$ON|$OG|$OE" = "$want" ] ||
						echo "$d (worker $w): name|group|enable '$ON|$OG|$OE', the model says '$want'" ;;
				gone)
					[ -z "${seen[$d]}" ] || echo "$d (worker $w): destroyed, but in a list (${seen[$d]})"
					[ -e "$d" ] && echo "$d (worker $w): destroyed, but it exists" ;;
				*)
					echo "$d (worker $w): the model lost track of it (${WH[$d]})" ;;
				esac
				case ${WH[$d]} in
				reg | alt)
					if master_up "$d"; then got=1; else got=0; fi
					[ "$got" = "${RN[$d]}" ] || echo "$d (worker $w): master running=$got, the model says ${RN[$d]}" ;;
				esac
			done
			got=$(for d in "${reg[@]}"; do [ -n "${WH[$d]}" ] && echo "$d"; done | xargs)
			[ "$got" = "${ORDER[*]}" ] ||
				echo "worker $w: its registered instances in the order '$got', the model says '${ORDER[*]}'"
		) >>"$M/found"
	done
	for d in "${reg[@]}"; do
		case $d in
		/etc/postfix-w*-s* | /etc/pm-w*-p*) ;;
		*) echo "$d registered, but no worker made it" >>"$M/found" ;;
		esac
	done
	found model "round $R: every instance is as the model says (list, name, group, enable, order, master); none lost, none unknown"

	find /etc /var/spool /var/lib -name '.*.postmulti.*' >>"$M/found" 2>/dev/null
	found temps "round $R: no temporary file of an edit is left"
}

# workers - the numbers of the workers that run
workers() {
	if [ -n "$ONLY" ]; then echo "$ONLY"; else seq "$WORKERS"; fi
}

# viols KIND R NAME - report the violations the workers recorded
viols() {
	local kind=$1 R=$2 name=$3 f w
	: >"$M/found"
	for f in "$M/viol.$R".*; do
		[ -f "$f" ] || continue
		w=${f##*.}
		grep "^$kind|" "$f" | cut -d'|' -f2- | sed "s/^/worker $w, /" >>"$M/found"
	done
	found "$kind" "$name"
}

# found KIND NAME - ok when $M/found is empty; else not ok, with what
# was found, how to replay and the workers' last operations
found() {
	local kind=$1 name=$2 w
	tests_run=$((tests_run + 1))
	if [ ! -s "$M/found" ]; then
		echo "ok - $name"
		return
	fi
	tests_failed=$((tests_failed + 1))
	violations=$((violations + $(wc -l <"$M/found")))
	echo "not ok - $name"
	echo "#   invariant '$kind' broken $(wc -l <"$M/found") times:"
	head -n 20 "$M/found" | sed 's/^/#     /'
	echo "#   replay: SEED=$SEED (round $R); the workers' last operations:"
	for w in $(grep -o 'worker [0-9]*' "$M/found" | sort -u | head -n 3 | cut -d' ' -f2); do
		echo "#   worker $w:"
		tail -n 12 "$M/log.$w" | sed 's/^#* */#     /'
	done
	: >"$M/found"
}

# ---------------------------------------------------------------------
# The run

# init_listing_points - -e init, with the fault points it passes listed
# in $T/points: there is one in the test build
init_listing_points() {
	POSTMULTI_FAULT_AT=list postmulti -e init 2>"$T/points" &&
	grep -q "^postmulti: fault point 1: " "$T/points"
}
test_expect "setup: -e init, passing fault points (the test build)" \
	init_listing_points
[ $tests_failed -eq 0 ] || done_testing

total_ops=0 total_kills=0 violations=0
SECONDS=0
for R in $(seq "$ROUNDS"); do
	pids=()
	for w in $(workers); do
		worker "$w" "$R" 2>>"$M/stderr.$w" &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do
		wait "$pid"
	done
	check_round "$R"
	echo "# round $R done at $SECONDS s"
done
echo "# $total_ops operations, $total_kills kills, in $SECONDS s (SEED=$SEED)"
for w in $(workers); do
	[ -s "$M/stderr.$w" ] && { echo "# worker $w, stderr:"; head -n 5 "$M/stderr.$w" | sed 's/^/#   /'; }
done
# How long each kind of operation took (waiting for the lock included).
cat "$M"/log.* | awk '
/^op / {
	k = "other"
	if ($0 ~ / -p start/) k = "-p start"
	else if ($0 ~ / -p stop/) k = "-p stop"
	else if ($0 ~ /^op [0-9.]*: postfix /) k = "postfix stop"
	else if (match($0, / -e [a-z]+/)) k = substr($0, RSTART + 1, RLENGTH - 1)
}
/^#   exit [0-9]+ in [0-9]+ ms/ { n[k]++; t[k] += $(NF - 1) }
END { for (k in n) printf "# %-12s %4d runs, %5d ms on average\n", k, n[k], t[k] / n[k] }' | sort
[ -n "$MODEL_LOGS" ] && mkdir -p "$MODEL_LOGS" && cp "$M"/log.* "$MODEL_LOGS/"
tests_run=$((tests_run + 1))
if [ $violations -eq 0 ]; then
	echo "ok - model: $total_ops operations, $total_kills kills, $violations invariant violations"
else
	tests_failed=$((tests_failed + 1))
	echo "not ok - model: $total_ops operations, $total_kills kills, $violations invariant violations"
fi

done_testing
