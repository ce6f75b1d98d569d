#!/bin/bash
#
# Debian's systemd integration end to end: instances made with postmulti,
# the units that Debian's generator makes of them, and the exact command
# lines of those units, read from /lib/systemd/system/postfix@.service:
#
#	postfix-instance-generator DIR DIR DIR
#	    -> DIR/postfix.service.wants/postfix@-.service
#	       DIR/postfix.service.wants/postfix@NAME.service (one per
#	       secondary; NAME is its multi_instance_name, which postconf reads)
#	ExecStartPre=/usr/lib/postfix/configure-instance.sh %i
#	ExecStart=/usr/sbin/postmulti -i %i -p start
#	ExecStop=/usr/sbin/postmulti -i %i -p stop
#	ExecReload=/usr/sbin/postmulti -i %i -p reload
#
# See docs/SYSTEMD.md. Without systemd running here, a unit's commands run
# in the order systemd would run them.
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/systemd_generator.sh
#
# Debian's postmulti 3.7.11 passes every check here but two: ExecReload and
# ExecStop of the disabled instance fail there as well, but its fatal error
# goes to stderr only when that is a terminal.

. "$SRCDIR/tests/lib/scenario.sh"

# Debian 13 (Postfix 3.10) has no generator, and its postfix@.service runs
# postfix with MAIL_CONFIG, not postmulti: nothing here applies there (its
# init script's use of postmulti is in initscript.sh).
if ! grep -qs postmulti /lib/systemd/system/postfix@.service; then
	skip "Debian 12's generator and postfix@.service" "this postfix@.service does not run postmulti"
	done_testing
fi

generator=/lib/systemd/system-generators/postfix-instance-generator
template=/lib/systemd/system/postfix@.service

# generate - run the generator as systemd does (normal, early and late
# directory; it writes to the first) into a fresh directory, and print
# each unit it made, with what it links to
generate() {
	local dir link
	dir=$(mktemp -d "$T/generator.XXXXXX") || return
	"$generator" "$dir" "$dir" "$dir" || return
	for link in "$dir"/postfix.service.wants/*; do
		echo "${link##*/} -> $(readlink "$link")"
	done
}

# unit_command KEY INSTANCE - the command line of KEY (ExecStart, ...) in
# postfix@.service, with %i replaced as systemd replaces it
unit_command() {
	local line
	line=$(sed -n "s/^$1=//p" "$template")
	[ "$(printf '%s\n' "$line" | wc -l)" -eq 1 ] && [ -n "$line" ] || {
		echo "$template: no single $1= line" >&2
		return 1
	}
	printf '%s\n' "${line//%i/$2}"
}

# unit KEY INSTANCE - run that command line (systemd runs it without a
# shell: the words are split at white space, nothing else)
unit() {
	local line
	local -a argv
	line=$(unit_command "$1" "$2") || return
	read -ra argv <<<"$line"
	"${argv[@]}"
}

# exec_lines - the command lines of postfix@.service, in the order its
# unit runs them
exec_lines() {
	local k
	for k in ExecStartPre ExecStart ExecStop ExecReload; do
		sed -n "s/^$k=//p" "$template"
	done
}
expect_output "postfix@.service has the command lines this test knows" \
'/usr/lib/postfix/configure-instance.sh %i
/usr/sbin/postmulti -i %i -p start
/usr/sbin/postmulti -i %i -p stop
/usr/sbin/postmulti -i %i -p reload' \
	exec_lines

expect_output "single-instance mode: the primary alone" \
"postfix@-.service -> $template" \
	generate

#	config directory   name         group  enabled
#	/etc/postfix       -            -      yes (primary)
#	/etc/postfix-out   postfix-out  mta    yes
#	/etc/postfix-msa   postfix-msa  msa    no
#	/etc/postfix-null  -            mta    yes (nameless)
test_expect "setup: postmulti -e init" postmulti -e init
# One after the other: Debian's postmulti loses registrations when run
# concurrently, and the order of the list matters below.
test_expect "setup: postmulti -e create -I postfix-out -G mta" \
	postmulti -e create -I postfix-out -G mta
test_expect "setup: postmulti -e create -I postfix-msa -G msa" \
	postmulti -e create -I postfix-msa -G msa
test_expect "setup: postmulti -e create -G mta config_directory=/etc/postfix-null ..." \
	postmulti -e create -G mta config_directory=/etc/postfix-null \
		queue_directory=/var/spool/postfix-null data_directory=/var/lib/postfix-null
test_expect "setup: postmulti -i postfix-out -e enable" postmulti -i postfix-out -e enable
test_expect "setup: postmulti -i /etc/postfix-null -e enable" postmulti -i /etc/postfix-null -e enable
expect_output "setup: postmulti -l" \
'-               -               y         /etc/postfix
postfix-out     mta             y         /etc/postfix-out
postfix-msa     msa             n         /etc/postfix-msa
-               mta             y         /etc/postfix-null' \
	postmulti -l

# A nameless instance gets "postfix@.service": the template, not a unit
# that systemd can start. docs/SYSTEMD.md says to name every instance.
expect_output "the generator: one unit per instance, postfix@.service for the nameless one" \
"postfix@-.service -> $template
postfix@.service -> $template
postfix@postfix-msa.service -> $template
postfix@postfix-out.service -> $template" \
	generate

test_expect "postmulti -i /etc/postfix-null -e assign -I postfix-null" \
	postmulti -i /etc/postfix-null -e assign -I postfix-null
expect_output "after the name, every instance has its unit" \
"postfix@-.service -> $template
postfix@postfix-msa.service -> $template
postfix@postfix-null.service -> $template
postfix@postfix-out.service -> $template" \
	generate
# unit_instances - the %i of each generated unit; listed_names - the
# first column of postmulti -l ("-" for the primary)
unit_instances() {
	generate | sed 's/^postfix@\(.*\)\.service .*/\1/' | LC_ALL=C sort
}
listed_names() {
	postmulti -l | awk '{ print $1 }' | LC_ALL=C sort
}
expect_output "the unit instances are exactly what postmulti -l names" \
	"$(listed_names)" unit_instances

all="/etc/postfix /etc/postfix-out /etc/postfix-msa /etc/postfix-null"

# postfix@postfix-out.service, step by step
test_expect "postfix@postfix-out ExecStartPre: $(unit_command ExecStartPre postfix-out)" \
	unit ExecStartPre postfix-out
test_expect "postfix@postfix-out ExecStart: $(unit_command ExecStart postfix-out)" \
	unit ExecStart postfix-out
expect_output "postfix@postfix-out started: its master alone runs" \
'/etc/postfix stopped
/etc/postfix-out running
/etc/postfix-msa stopped
/etc/postfix-null stopped' \
	masters $all
test_expect "postfix@postfix-out ExecReload: $(unit_command ExecReload postfix-out)" \
	unit ExecReload postfix-out
expect_output "after the reload it still runs" '/etc/postfix-out running' masters /etc/postfix-out

# postfix@-.service: the primary
test_expect "postfix@- ExecStartPre: $(unit_command ExecStartPre -)" unit ExecStartPre -
test_expect "postfix@- ExecStart: $(unit_command ExecStart -)" unit ExecStart -
expect_output "postfix@- started: the primary runs too" \
'/etc/postfix running
/etc/postfix-out running
/etc/postfix-msa stopped
/etc/postfix-null stopped' \
	masters $all
test_expect "postfix@- ExecReload: $(unit_command ExecReload -)" unit ExecReload -

# postfix@postfix-null.service, the instance named late
test_expect "postfix@postfix-null ExecStartPre" unit ExecStartPre postfix-null
test_expect "postfix@postfix-null ExecStart" unit ExecStart postfix-null
expect_output "postfix@postfix-null started" '/etc/postfix-null running' masters /etc/postfix-null

# postfix@postfix-msa.service: the instance is disabled. Start only runs
# "postfix check"; stop and reload find no instance to act on (the
# postfix-wrapper rules skip disabled instances), as with Debian's postmulti.
test_expect "postfix@postfix-msa ExecStartPre" unit ExecStartPre postfix-msa
test_expect "postfix@postfix-msa ExecStart: succeeds, only checks" unit ExecStart postfix-msa
expect_output "postfix@postfix-msa: no master" '/etc/postfix-msa stopped' masters /etc/postfix-msa
expect_fail "postfix@postfix-msa ExecReload: no instance to reload" 'no instance matches|No matching instances|postfix-msa is disabled' \
	unit ExecReload postfix-msa
expect_fail "postfix@postfix-msa ExecStop: no instance to stop" 'no instance matches|No matching instances|postfix-msa is disabled' \
	unit ExecStop postfix-msa

# Stopping, one unit at a time
test_expect "postfix@postfix-out ExecStop: $(unit_command ExecStop postfix-out)" \
	unit ExecStop postfix-out
expect_output "postfix@postfix-out stopped, the others run on" \
'/etc/postfix running
/etc/postfix-out stopped
/etc/postfix-msa stopped
/etc/postfix-null running' \
	masters $all
test_expect "postfix@postfix-null ExecStop" unit ExecStop postfix-null
test_expect "postfix@- ExecStop: $(unit_command ExecStop -)" unit ExecStop -
expect_output "every unit stopped: nothing runs" \
'/etc/postfix stopped
/etc/postfix-out stopped
/etc/postfix-msa stopped
/etc/postfix-null stopped' \
	masters $all

# "systemctl start postfix": every unit the generator made, started in turn
start_all() {
	local unit inst rc=0
	for unit in $(generate | cut -d ' ' -f 1); do
		inst=${unit#postfix@}
		inst=${inst%.service}
		unit ExecStartPre "$inst" >/dev/null && unit ExecStart "$inst" || rc=1
	done
	return $rc
}
test_expect "every generated unit started (systemctl start postfix)" start_all
expect_output "the enabled instances run" \
'/etc/postfix running
/etc/postfix-out running
/etc/postfix-msa stopped
/etc/postfix-null running' \
	masters $all
test_expect "postfix stop, from a shell, stops them all" postfix stop
expect_output "nothing runs" \
'/etc/postfix stopped
/etc/postfix-out stopped
/etc/postfix-msa stopped
/etc/postfix-null stopped' \
	masters $all

done_testing
