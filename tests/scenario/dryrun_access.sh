#!/bin/bash
#
# A dry run (-n) checks what the real run will need: write access to each
# directory where it creates, replaces or removes something, a writable
# file system, a file that is not immutable. Where the real run would
# fail, the dry run fails the same way (exit 1, the same fatal line, but
# for the temporary file's name: "XXXXXX" where the real run has six
# random characters) and changes nothing; where the real run would work,
# the dry run prints its plan. As nobody, each action is refused; as root
# it is refused on a read-only file system or an immutable file, and
# otherwise allowed.
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/dryrun_access.sh
#
# Ours only: Debian's postmulti has no -n.

. "$SRCDIR/tests/lib/scenario.sh"

# as_nobody - run a command as nobody, without root's groups
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

# as_root - run a command as it is (root)
as_root() {
	"$@"
}

# exactly LINE - an extended regular expression that matches LINE only
exactly() {
	printf '^%s$' "$(printf '%s' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g')"
}

# refused_alike NAME LINE RUNNER ARGS... - "RUNNER postmulti -n ARGS" fails
# with exactly the fatal LINE and changes nothing; so does the real run,
# "RUNNER postmulti ARGS", where the XXXXXX of a temporary file is random
refused_alike() {
	local name=$1 line=$2 runner=$3
	shift 3
	snapshot
	expect_fail "$name: -n refused" "$(exactly "$line")" \
		"$runner" postmulti -n "$@"
	expect_unchanged "$name: -n changed nothing"
	expect_fail "$name: the real run refused the same way" \
		"$(exactly "$line" | sed 's/XXXXXX/[A-Za-z0-9]{6}/')" \
		"$runner" postmulti "$@"
	expect_unchanged "$name: the real run changed nothing"
}

# dry_plan RUNNER ARGS... - the first line of a dry run's plan, which
# must succeed with nothing on stderr
dry_plan() {
	local runner=$1
	shift
	local out
	out=$("$runner" postmulti -n "$@") || return
	printf '%s\n' "$out" | sed -n 2p
}

fatal="postmulti: fatal:"
denied="Permission denied; nothing was changed"
rofs="Read-only file system; nothing was changed"
eperm="Operation not permitted; nothing was changed"

refused_alike "nobody: -e init" \
	"$fatal create /etc/postfix/.main.cf.postmulti.XXXXXX: $denied" \
	as_nobody -e init
test_expect "setup: -e init" \
	postmulti -e init
refused_alike "nobody: -e create" \
	"$fatal create directory /etc/postfix-a: $denied" \
	as_nobody -e create -I postfix-a
test_expect "setup: -e create -I postfix-a" \
	postmulti -e create -I postfix-a
for action in enable disable; do
	refused_alike "nobody: -e $action" \
		"$fatal create /etc/postfix-a/.main.cf.postmulti.XXXXXX: $denied" \
		as_nobody -i postfix-a -e $action
done
refused_alike "nobody: -e assign" \
	"$fatal create /etc/postfix-a/.main.cf.postmulti.XXXXXX: $denied" \
	as_nobody -i postfix-a -e assign -I postfix-b
refused_alike "nobody: -e deport" \
	"$fatal create /etc/postfix/.main.cf.postmulti.XXXXXX: $denied" \
	as_nobody -i postfix-a -e deport
refused_alike "nobody: -e destroy (checked before this change)" \
	"$fatal -e destroy: cannot remove files in /var/spool/postfix-a: $denied" \
	as_nobody -i postfix-a -e destroy
test_expect "setup: /etc/postfix-hand, a complete instance made by hand" \
	copy_instance /etc/postfix-a /etc/postfix-hand postfix-hand
refused_alike "nobody: -e import" \
	"$fatal create directory /var/spool/postfix-hand: $denied" \
	as_nobody -e import config_directory=/etc/postfix-hand

# Directories nobody may write, where the new instance goes: what the
# plan creates in them is allowed, and the registration in the primary's
# main.cf is the first refusal, as in the real run (which undoes the rest)
# nobody_dirs - /var/lib/postfix-nob, owned by nobody
nobody_dirs() {
	mkdir -m 0755 /var/lib/postfix-nob && chown nobody:nogroup /var/lib/postfix-nob
}
test_expect "setup: /var/lib/postfix-nob, owned by nobody" \
	nobody_dirs
refused_alike "nobody: -e create in nobody's directory: refused at the registration" \
	"$fatal create /etc/postfix/.main.cf.postmulti.XXXXXX: $denied" \
	as_nobody -e create -I postfix-n config_directory=/var/lib/postfix-nob/etc \
	queue_directory=/var/lib/postfix-nob/spool data_directory=/var/lib/postfix-nob/data

# A config directory that nobody owns, with a main.cf that root owns: the
# new file cannot get root as its owner
# nobody_config - nobody owns /etc/postfix-a, root its main.cf
nobody_config() {
	chown nobody:nogroup /etc/postfix-a
}
test_expect "setup: nobody owns /etc/postfix-a, root its main.cf" \
	nobody_config
refused_alike "nobody: -e enable, main.cf owned by root: the owner cannot be kept" \
	"$fatal chown /etc/postfix-a/.main.cf.postmulti.XXXXXX: $eperm" \
	as_nobody -i postfix-a -e enable
test_expect "setup: nobody owns /etc/postfix-a/main.cf too" \
	chown nobody:nogroup /etc/postfix-a/main.cf
expect_output "nobody: -n -e enable where nobody owns it all: the plan" \
	"update /etc/postfix-a/main.cf" \
	dry_plan as_nobody -i postfix-a -e enable
test_expect "nobody: -e enable where nobody owns it all: the real run works too" \
	as_nobody postmulti -i postfix-a -e enable
test_expect "setup: root owns /etc/postfix-a and its main.cf again, disabled" \
	chown -R root:root /etc/postfix-a
test_expect "setup: postfix-a disabled" \
	postmulti -i postfix-a -e disable

# The effective uid decides, as in the real run: with the real uid root
# and the effective uid nobody, a check by access(2) would allow all.
# as_euid_nobody - run a command with the effective uid nobody only
as_euid_nobody() {
	setpriv --euid=nobody "$@"
}
refused_alike "effective uid nobody: -e enable" \
	"$fatal create /etc/postfix-a/.main.cf.postmulti.XXXXXX: $denied" \
	as_euid_nobody -i postfix-a -e enable
# readable_instance - /etc/postfix-x, registered and disabled, whose
# directories nobody can read but not write: destroy sees all it removes
readable_instance() {
	make_instance /etc/postfix-x postfix-x "" no &&
	chmod -R go+rX /var/spool/postfix-x /var/lib/postfix-x
}
test_expect "setup: postfix-x, its directories readable by nobody" \
	readable_instance
refused_alike "effective uid nobody: -e destroy, refused before it starts" \
	"$fatal -e destroy: cannot remove files in /var/spool/postfix-x: $denied" \
	as_euid_nobody -i postfix-x -e destroy

# Root: allowed, but for a read-only file system and an immutable file
expect_output "root: -n -e enable: the plan" \
	"update /etc/postfix-a/main.cf" \
	dry_plan as_root -i postfix-a -e enable
expect_output "root: -n -e create: the plan" \
	"create directory /etc/postfix-b (mode 0755)" \
	dry_plan as_root -e create -I postfix-b

# read_only DIR - make DIR read-only (a read-only bind mount of itself)
read_only() {
	mount --bind "$1" "$1" && mount -o remount,ro,bind "$1"
}
test_expect "setup: /etc/postfix-a read-only" \
	read_only /etc/postfix-a
refused_alike "root: -e enable on a read-only file system" \
	"$fatal create /etc/postfix-a/.main.cf.postmulti.XXXXXX: $rofs" \
	as_root -i postfix-a -e enable
refused_alike "root: -e assign on a read-only file system" \
	"$fatal create /etc/postfix-a/.main.cf.postmulti.XXXXXX: $rofs" \
	as_root -i postfix-a -e assign -G relay
test_expect "setup: /etc/postfix-a writable again" \
	umount /etc/postfix-a

# read_only_lib - /var/lib/postfix-ro, a read-only directory
read_only_lib() {
	mkdir /var/lib/postfix-ro && read_only /var/lib/postfix-ro
}
test_expect "setup: /var/lib/postfix-ro, read-only" \
	read_only_lib
refused_alike "root: -e create, its data directory on a read-only file system" \
	"$fatal create directory /var/lib/postfix-ro/data: $rofs" \
	as_root -e create -I postfix-r config_directory=/etc/postfix-r \
	queue_directory=/var/spool/postfix-r data_directory=/var/lib/postfix-ro/data
test_expect "setup: /var/lib/postfix-ro writable again" \
	umount /var/lib/postfix-ro

# An immutable main.cf cannot be replaced (rename fails); chattr needs a
# file system that supports it, as the sandbox's overlay on /etc does
test_expect "setup: /etc/postfix-a/main.cf immutable" \
	chattr +i /etc/postfix-a/main.cf
refused_alike "root: -e enable of an immutable main.cf" \
	"$fatal rename /etc/postfix-a/.main.cf.postmulti.XXXXXX: $eperm" \
	as_root -i postfix-a -e enable
test_expect "setup: /etc/postfix-a/main.cf mutable again" \
	chattr -i /etc/postfix-a/main.cf
test_expect "setup: /etc/postfix-a immutable" \
	chattr +i /etc/postfix-a
refused_alike "root: -e assign in an immutable directory" \
	"$fatal create /etc/postfix-a/.main.cf.postmulti.XXXXXX: $eperm" \
	as_root -i postfix-a -e assign -G relay
test_expect "setup: /etc/postfix-a mutable again" \
	chattr -i /etc/postfix-a
expect_output "root: -n -e assign once all is writable: the plan" \
	"update /etc/postfix-a/main.cf" \
	dry_plan as_root -i postfix-a -e assign -G relay

done_testing
