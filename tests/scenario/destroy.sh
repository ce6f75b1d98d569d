#!/bin/bash
#
# Taking instances away: -e deport (unregister, keep the files, list the
# directory as an alternate one) and -e destroy (remove what Postfix
# made). Every precondition is checked before anything changes: a refusal
# leaves every file of every instance as it was, byte for byte, and
# destroy never follows a symbolic link where it expects a directory.
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/destroy.sh
#
# Expected to fail against Debian's postmulti 3.7.11: the expect_fail
# checks (it writes fatal errors to stderr only when stderr is a
# terminal); the deport of an instance whose main.cf is gone (postconf
# fails on it); every refused destroy, and what follows from it (it
# unregisters the instance first and only then finds out, so the files
# change and the next checks find another state); the exact warnings
# (its own, from postlog, and fewer: it only runs rmdir, and names only
# the directories it could not remove); the dry runs (-n is ours); what
# stays after the destroy of an instance that ran (it leaves pid files,
# sockets and master.lock, and the directories that hold them); and the
# symbolic link checks.

. "$SRCDIR/tests/lib/scenario.sh"

test_expect "setup: -e init" \
	postmulti -e init
test_expect "setup: -e create -I postfix-a -G g1" \
	postmulti -e create -I postfix-a -G g1
test_expect "setup: -e create -I postfix-b" \
	postmulti -e create -I postfix-b
test_expect "setup: -e create -I postfix-c" \
	postmulti -e create -I postfix-c

# ---------------------------------------------------------------------
# deport

test_expect "setup: postfix-a enabled" \
	postmulti -i postfix-a -e enable
snapshot
expect_fail "-e deport of an enabled instance" \
	'postfix-a.* enabled.*-e disable' \
	postmulti -i postfix-a -e deport
expect_unchanged "refused deport: no file changed"

test_expect "setup: postfix-a disabled" \
	postmulti -i postfix-a -e disable
test_expect "setup: postfix-a started by hand, although disabled" \
	postfix -c /etc/postfix-a start
snapshot
expect_fail "-e deport of a running instance" \
	'postfix-a.* running.*postfix -c /etc/postfix-a stop' \
	postmulti -i postfix-a -e deport
expect_unchanged "refused deport: no file changed"
test_expect "setup: postfix-a stopped" \
	postfix -c /etc/postfix-a stop

test_expect "setup: an alternate directory listed already" \
	postconf -e alternate_config_directories=/etc/other
test_expect "setup: record every run of postfix" record_postfix_calls
snapshot
# postfix status would wait, with the lock held, until the main.cf that
# the disable above wrote is two seconds old: a stopped master's pid file
# is enough to know.
expect_output "-e deport -i postfix-a: no postfix status for a stopped instance" '' \
	postfix_calls postmulti -i postfix-a -e deport
expect_output "deport: no longer registered" \
'/etc/postfix-b
/etc/postfix-c' \
	registered
expect_output "deport: an alternate config directory now" \
'/etc/other /etc/postfix-a' \
	postconf -h alternate_config_directories
# new_files - the files whose checksum tree_state did not show at the
# last snapshot: the files made or changed since
new_files() {
	diff "$T/tree.snapshot" <(tree_state) | sed -n "s/^> [0-9a-f]\{40\}  //p"
}
expect_output "deport: only the primary's main.cf changed" \
'/etc/postfix/main.cf' \
	new_files
expect_output "deport: the instance's files are all there" \
'/etc/postfix-a/main.cf
/etc/postfix-a/master.cf
/var/spool/postfix-a/maildrop
/var/lib/postfix-a' \
	existing /etc/postfix-a/main.cf /etc/postfix-a/master.cf /var/spool/postfix-a/maildrop /var/lib/postfix-a
test_expect "deport: postfix -c /etc/postfix-a still works (alternate directory)" \
	postfix -c /etc/postfix-a check
# registration - the registered directories, then the primary's
# alternate_config_directories setting (when it has one)
registration() {
	registered
	postconf -n alternate_config_directories
}
refused_destroy_deported() {
	snapshot
	expect_fail "-e destroy of a deported instance: the message says why, and what to do" \
		'^postmulti: fatal: -e destroy: /etc/postfix-a is deported \(it is in alternate_config_directories\): import it first with "postmulti -e import config_directory=/etc/postfix-a"$' \
		postmulti -i /etc/postfix-a -e destroy
	expect_unchanged "refused destroy of a deported instance: no file changed"
}
refused_destroy_deported
test_expect "-e import brings it back" \
	postmulti -e import config_directory=/etc/postfix-a
expect_output "import: registered again, last, no longer an alternate" \
'/etc/postfix-b
/etc/postfix-c
/etc/postfix-a
alternate_config_directories = /etc/other' \
	registration

test_expect "setup: /etc/postfix-gone registered, but its main.cf deleted" \
	postconf -e "multi_instance_directories = $(registered | xargs) /etc/postfix-gone"
test_expect "-e deport of an instance whose main.cf is gone: exit 0" \
	postmulti -i /etc/postfix-gone -e deport
expect_output "it is simply unregistered, not made an alternate" \
'/etc/postfix-b
/etc/postfix-c
/etc/postfix-a
alternate_config_directories = /etc/other' \
	registration

# Debian's postmulti stops at the missing main.cf; without this, it would
# fail every check from here on.
test_expect "setup: /etc/postfix-gone not registered, whatever deport did" \
	postconf -e "multi_instance_directories = $(registered | grep -vx /etc/postfix-gone | xargs)"

# ---------------------------------------------------------------------
# destroy: the refusals

snapshot
expect_fail "-e destroy without -i" \
	'-i' \
	postmulti -e destroy
expect_fail "-e destroy -i - (the primary)" \
	'primary' \
	postmulti -i - -e destroy
expect_unchanged "refused destroy of the primary: no file changed"

test_expect "setup: postfix-b enabled" \
	postmulti -i postfix-b -e enable
snapshot
expect_fail "-e destroy of an enabled instance" \
	'postfix-b.* enabled.*postmulti -i postfix-b -e disable' \
	postmulti -i postfix-b -e destroy
expect_unchanged "refused destroy (enabled): no file changed"

# disabled_but_running - postfix-b disabled, then started by hand
disabled_but_running() {
	postmulti -i postfix-b -e disable && postfix -c /etc/postfix-b start
}
test_expect "setup: postfix-b disabled, but running" \
	disabled_but_running
snapshot
expect_fail "-e destroy of a running instance" \
	'postfix-b.* running.*postfix -c /etc/postfix-b stop' \
	postmulti -i postfix-b -e destroy
expect_unchanged "refused destroy (running): no file changed"
test_expect "setup: postfix-b stopped" \
	postfix -c /etc/postfix-b stop

# submit_to_b - a message to root, into postfix-b's maildrop
submit_to_b() {
	printf "Subject: stay\n\nhi\n" | sendmail -C /etc/postfix-b root 2>/dev/null
}
# message_in_maildrop - a message that postfix-b accepts, left in its
# maildrop (it does not run)
message_in_maildrop() {
	postconf -c /etc/postfix-b -e authorized_submit_users=static:anyone &&
	submit_to_b
}
test_expect "setup: a message for postfix-b, in its maildrop (not running)" \
	message_in_maildrop
expect_output "the message is in postfix-b's maildrop" '1' \
	count_lines find /var/spool/postfix-b/maildrop -type f
snapshot
expect_fail "-e destroy with a message in the queue" \
	'queue of /etc/postfix-b holds 1 message' \
	postmulti -i postfix-b -e destroy
expect_unchanged "refused destroy (queued message): no file changed"
# message_in_deferred - one more message, the newest of the maildrop
# moved into a hashed directory that destroy must look into
message_in_deferred() {
	local f
	submit_to_b &&
	mkdir -m 0700 /var/spool/postfix-b/deferred/A &&
	f=$(ls -t /var/spool/postfix-b/maildrop | head -n 1) &&
	mv "/var/spool/postfix-b/maildrop/$f" /var/spool/postfix-b/deferred/A/
}
test_expect "setup: one more message, moved into a hashed deferred/A directory" \
	message_in_deferred
snapshot
expect_fail "-e destroy with messages in maildrop and deferred/A" \
	'queue of /etc/postfix-b holds 2 message files' \
	postmulti -i postfix-b -e destroy
expect_unchanged "refused destroy (queued messages): no file changed"
test_expect "setup: the messages deleted" \
	rm /var/spool/postfix-b/maildrop/* /var/spool/postfix-b/deferred/A/*

test_expect "-e destroy -i postfix-b, now that it is empty" \
	postmulti -i postfix-b -e destroy
expect_output "destroy: its directories are gone, hashed deferred/A too" "" \
	existing /etc/postfix-b /var/spool/postfix-b /var/lib/postfix-b

# ---------------------------------------------------------------------
# destroy: what Postfix did not make stays, with a warning for each

# foreign_files - files and a directory that Postfix did not make, in
# postfix-c's config, queue and data directories
foreign_files() {
	echo notes >/etc/postfix-c/notes && echo readme >/var/spool/postfix-c/README &&
	echo mine >/var/lib/postfix-c/mine && mkdir /var/spool/postfix-c/defer/old &&
	echo log >/var/spool/postfix-c/defer/old/log
}
test_expect "setup: foreign files in postfix-c's config, queue and data directories" \
	foreign_files
# leaves - the "leave" lines of a dry run
leaves() {
	"$@" | grep '^leave '
}
expect_output "-e destroy -n: what it would leave, and why: each directory because it is not empty" \
'leave /var/spool/postfix-c/README (not created by Postfix)
leave /var/spool/postfix-c/defer/old (not created by Postfix)
leave /var/spool/postfix-c/defer (not empty)
leave /var/spool/postfix-c (not empty)
leave /var/lib/postfix-c/mine (not created by Postfix)
leave /var/lib/postfix-c (not empty)
leave /etc/postfix-c/notes (not created by Postfix)
leave /etc/postfix-c (not empty)' \
	leaves postmulti -n -i postfix-c -e destroy
expect_stdout "-e destroy leaves them, and names each, as the dry run did" 0 \
'postmulti: warning: /var/spool/postfix-c/README: left in place (not created by Postfix): please verify its contents and remove it by hand
postmulti: warning: /var/spool/postfix-c/defer/old: left in place (not created by Postfix): please verify its contents and remove it by hand
postmulti: warning: /var/spool/postfix-c/defer: left in place (not empty): please verify its contents and remove it by hand
postmulti: warning: /var/spool/postfix-c: left in place (not empty): please verify its contents and remove it by hand
postmulti: warning: /var/lib/postfix-c/mine: left in place (not created by Postfix): please verify its contents and remove it by hand
postmulti: warning: /var/lib/postfix-c: left in place (not empty): please verify its contents and remove it by hand
postmulti: warning: /etc/postfix-c/notes: left in place (not created by Postfix): please verify its contents and remove it by hand
postmulti: warning: /etc/postfix-c: left in place (not empty): please verify its contents and remove it by hand' \
	both postmulti -i postfix-c -e destroy
expect_output "what stays is exactly what Postfix did not make" \
'/etc/postfix-c /etc/postfix-c/notes /var/lib/postfix-c /var/lib/postfix-c/mine /var/spool/postfix-c /var/spool/postfix-c/README /var/spool/postfix-c/defer /var/spool/postfix-c/defer/old /var/spool/postfix-c/defer/old/log' \
	one_line sorted find /etc/postfix-c /var/spool/postfix-c /var/lib/postfix-c
expect_output "postfix-c is unregistered" \
'/etc/postfix-a' \
	registered

# ---------------------------------------------------------------------
# destroy: real deferred mail deleted with "postsuper -d ALL deferred"
# leaves the defer log of each message, which Postfix keeps in defer/:
# they stay, named as what they are, and so does each directory that
# holds them, because it is not empty

# deferred_mail - postfix-m runs, with two messages to an address the
# sandbox cannot reach: deferred, each with its defer log; then stopped
# and disabled
deferred_mail() {
	local i q=/var/spool/postfix-m
	postmulti -e create -I postfix-m &&
	postconf -c /etc/postfix-m -e 'authorized_submit_users = static:anyone' &&
	postmulti -i postfix-m -e enable && postfix -c /etc/postfix-m start 2>/dev/null || return
	for i in 1 2; do
		echo "Subject: deferred $i" |
			MAIL_CONFIG=/etc/postfix-m sendmail -f sender@example.com rcpt@example.net || return
	done
	for i in $(seq 300); do
		[ "$(find $q/defer $q/deferred -type f | wc -l)" = 4 ] && break
		sleep 0.1
	done
	postfix -c /etc/postfix-m stop 2>/dev/null && postmulti -i postfix-m -e disable
}
test_expect "setup: postfix-m with two deferred messages, stopped and disabled" \
	deferred_mail
# files_in DIR... - how many files each DIR holds, one line each
files_in() {
	local d
	for d; do
		find "$d" -type f | wc -l
	done
}
expect_output "each deferred message has its defer log" "2 2" \
	one_line files_in /var/spool/postfix-m/deferred /var/spool/postfix-m/defer
test_expect "setup: postsuper -d ALL deferred: the messages deleted, not their logs" \
	quiet postsuper -c /etc/postfix-m -d ALL deferred
# defer_logs_left FORMAT - what destroy says it leaves, computed from the
# queue: each log file, then its hashed directory, then defer/ and the
# queue directory; FORMAT (printf) gets the path and the reason
defer_logs_left() {
	local d f q=/var/spool/postfix-m
	for d in $(find $q/defer -mindepth 1 -maxdepth 1 | sort); do
		for f in $(find "$d" -type f | sort); do
			printf "$1" "$f" "a log file of the mail queue"
		done
		printf "$1" "$d" "not empty"
	done
	printf "$1" $q/defer "not empty"
	printf "$1" $q "not empty"
}
expect_output "-e destroy -n: the defer logs would stay, as logs, and the directories that hold them" \
	"$(defer_logs_left 'leave %s (%s)\n')" \
	leaves postmulti -n -i postfix-m -e destroy
expect_stdout "-e destroy: the same, as warnings" 0 \
	"$(defer_logs_left 'postmulti: warning: %s: left in place (%s): please verify its contents and remove it by hand\n')" \
	both postmulti -i postfix-m -e destroy
expect_output "what stays is the defer logs and the directories that hold them" \
	"$(defer_logs_left '%s\n%.0s' | sort)" \
	sorted find /var/spool/postfix-m
expect_output "the config and data directories are gone" "" \
	existing /etc/postfix-m /var/lib/postfix-m

# ---------------------------------------------------------------------
# destroy: the copies of system files that Debian's set-permissions (Postfix
# 3.9 and later) or the start of an instance (older) puts in etc/, lib/ and
# usr/ of the queue directory for chrooted services go; a file there that
# is not the system's stays

test_expect "setup: -e create -I postfix-d" \
	postmulti -e create -I postfix-d
# chroot_files - copies of /etc/nsswitch.conf and /etc/passwd and an
# empty usr/lib/sasl2 (as Debian makes them), a changed /etc/host.conf, a
# file with no system file of its name, and a link to a system file
# (files that even a bare Debian has)
chroot_files() {
	local q=/var/spool/postfix-d
	mkdir -p "$q/etc" "$q/usr/lib/sasl2" &&
	cp -p /etc/nsswitch.conf /etc/passwd "$q/etc/" &&
	echo "multi on, edited" >"$q/etc/host.conf" &&
	echo mine >"$q/etc/no-such-system-file" &&
	ln -sf /etc/passwd "$q/etc/passwd.link"
}
test_expect "setup: postfix-d's queue directory holds copies of system files, and other files" \
	chroot_files
expect_output "-e destroy -n: the changed copy differs from the system's file" \
'leave /var/spool/postfix-d/etc/host.conf (differs from /etc/host.conf)
leave /var/spool/postfix-d/etc/no-such-system-file (not created by Postfix)
leave /var/spool/postfix-d/etc/passwd.link (not created by Postfix)
leave /var/spool/postfix-d/etc (not empty)
leave /var/spool/postfix-d (not empty)' \
	leaves postmulti -n -i postfix-d -e destroy
expect_stdout "-e destroy: the copies go, the rest stays and is named" 0 \
'postmulti: warning: /var/spool/postfix-d/etc/host.conf: left in place (differs from /etc/host.conf): please verify its contents and remove it by hand
postmulti: warning: /var/spool/postfix-d/etc/no-such-system-file: left in place (not created by Postfix): please verify its contents and remove it by hand
postmulti: warning: /var/spool/postfix-d/etc/passwd.link: left in place (not created by Postfix): please verify its contents and remove it by hand
postmulti: warning: /var/spool/postfix-d/etc: left in place (not empty): please verify its contents and remove it by hand
postmulti: warning: /var/spool/postfix-d: left in place (not empty): please verify its contents and remove it by hand' \
	both postmulti -i postfix-d -e destroy
expect_output "what stays is exactly what is not a copy" \
'/var/spool/postfix-d /var/spool/postfix-d/etc /var/spool/postfix-d/etc/host.conf /var/spool/postfix-d/etc/no-such-system-file /var/spool/postfix-d/etc/passwd.link' \
	one_line sorted find /var/spool/postfix-d
expect_output "the system's files are untouched" \
'/etc/nsswitch.conf /etc/passwd /etc/host.conf' \
	one_line existing /etc/nsswitch.conf /etc/passwd /etc/host.conf
expect_output "postfix-d is unregistered" \
'/etc/postfix-a' \
	registered

# With Debian's own copying on (the sandbox turns it off), where
# set-permissions does it (Postfix 3.9 and later): a new instance goes
# whole, with no warning.
# sync_chroot - Debian's copying of system files into queue directories on
sync_chroot() {
	sed -i '/^SYNC_CHROOT=$/d' /etc/default/postfix
}
if grep -qs configure-instance /usr/lib/postfix/sbin/post-install; then
	test_expect "setup: Debian's chroot copies on" \
		sync_chroot
	test_expect "setup: -e create -I postfix-e" \
		postmulti -e create -I postfix-e
	expect_output "set-permissions copied /etc/nsswitch.conf into its queue directory" "" \
		cmp /etc/nsswitch.conf /var/spool/postfix-e/etc/nsswitch.conf
	expect_stdout "-e destroy of it: says nothing" 0 "" \
		both postmulti -i postfix-e -e destroy
	expect_output "postfix-e is all gone" "" \
		existing /etc/postfix-e /var/spool/postfix-e /var/lib/postfix-e
fi

# ---------------------------------------------------------------------
# destroy never goes through a symbolic link

test_expect "setup: -e create -I postfix-link" \
	postmulti -e create -I postfix-link
# make_decoy - /var/lib/decoy: a directory with a file, and a
# subdirectory with a file, that a link may lead destroy to
make_decoy() {
	mkdir -p /var/lib/decoy/A && echo precious >/var/lib/decoy/precious &&
	echo precious >/var/lib/decoy/A/B
}
test_expect "setup: a decoy directory with a file" \
	make_decoy

# refused_through_link - destroy refuses, naming the link, and changes
# nothing: neither the instance nor the decoy
refused_through_link() {
	local what=$1 link=$2
	snapshot
	find /var/lib/decoy -printf '%p %s\n' | sort >"$T/decoy.before"
	expect_fail "-e destroy with $what a symbolic link: refused" \
		"$link.*symbolic link|$link.*not a directory" \
		postmulti -i postfix-link -e destroy
	expect_unchanged "$what a symbolic link: no file changed"
	expect_output "$what a symbolic link: the decoy is untouched" \
		"$(cat "$T/decoy.before")" \
		sorted find /var/lib/decoy -printf '%p %s\n'
}

# swap DIR TARGET - make DIR a symbolic link to TARGET; the directory
# itself becomes DIR.real (unswap puts it back)
swap() {
	mv "$1" "$1.real" && ln -s "$2" "$1"
}
unswap() {
	rm "$1" && mv "$1.real" "$1"
}

# A queue subdirectory made a link to the decoy, and each of the
# instance's own directories made a link to itself, moved: following any
# of these links would remove what is behind it.
for dir in /var/spool/postfix-link/deferred /var/spool/postfix-link/pid; do
	test_expect "setup: $dir made a symbolic link to the decoy" swap "$dir" /var/lib/decoy
	refused_through_link "$dir" "$dir"
	test_expect "setup: $dir a directory again" unswap "$dir"
done
for dir in /var/spool/postfix-link /var/lib/postfix-link /etc/postfix-link; do
	test_expect "setup: $dir made a symbolic link to $dir.real" swap "$dir" "$dir.real"
	refused_through_link "$dir" "$dir"
	test_expect "setup: $dir a directory again" unswap "$dir"
done
test_expect "setup: a hashed directory, /var/spool/postfix-link/defer/A, a link" \
	ln -s /var/lib/decoy/A /var/spool/postfix-link/defer/A
snapshot
expect_stdout "-e destroy with defer/A a link: the link stays, nothing behind it goes" 0 \
'postmulti: warning: /var/spool/postfix-link/defer/A: left in place (not created by Postfix): please verify its contents and remove it by hand
postmulti: warning: /var/spool/postfix-link/defer: left in place (not empty): please verify its contents and remove it by hand
postmulti: warning: /var/spool/postfix-link: left in place (not empty): please verify its contents and remove it by hand' \
	both postmulti -i postfix-link -e destroy
expect_output "the decoy is untouched" \
'/var/lib/decoy
/var/lib/decoy/A
/var/lib/decoy/A/B
/var/lib/decoy/precious' \
	sorted find /var/lib/decoy

# ---------------------------------------------------------------------
# destroy after an earlier destroy got as far as removing main.cf

# register_empty_half - what a destroy that stopped after removing
# every file leaves: the directory, empty, still registered
register_empty_half() {
	mkdir /etc/postfix-half &&
	postconf -e "multi_instance_directories = $(registered | xargs) /etc/postfix-half"
}
test_expect "setup: /etc/postfix-half registered, an empty directory" \
	register_empty_half
expect_stdout "-e destroy of it: finishes the job, with a warning" 0 \
'postmulti: warning: /etc/postfix-half/main.cf is gone: unregistering /etc/postfix-half; its queue and data directories, if any, are unknown and left alone' \
	both postmulti -i /etc/postfix-half -e destroy
expect_output "the directory is gone" "" \
	existing /etc/postfix-half
expect_output "postfix-half is unregistered" \
'/etc/postfix-a' \
	registered

done_testing
