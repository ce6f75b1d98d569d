#!/bin/bash
#
# Life-cycle actions when the system says no: a full file system
# (ENOSPC, a small tmpfs), a read-only one (a read-only bind mount), and
# a "postfix set-permissions" that fails. A failed write undoes what the
# action did so far (old files intact, new directories gone, nothing
# registered) with one clear fatal line; destroy checks that it can remove
# everything before it removes anything; a failed set-permissions leaves
# the instance registered and says how to finish.
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/failures.sh
#
# Expected to fail against Debian's postmulti 3.7.11: nearly all, as it
# neither undoes nor checks first, and writes fatal errors to stderr only
# when that is a terminal.

. "$SRCDIR/tests/lib/scenario.sh"

# no_temp_files - no temporary file of an edit is left in /etc
no_temp_files() {
	! find /etc -name '.*.postmulti.*' | grep .
}

# read_only DIR - make DIR read-only (a read-only bind mount of itself)
read_only() {
	mount --bind "$1" "$1" && mount -o remount,ro,bind "$1"
}

test_expect "setup: -e init" \
	postmulti -e init
test_expect "setup: -e create -I postfix-a" \
	postmulti -e create -I postfix-a

# ---------------------------------------------------------------------
# ENOSPC in the new instance's config directory: an empty directory on a
# full tmpfs (a filler file beside it takes every block), whatever the size
# of the stock main.cf (27 KiB in Postfix 3.7, 2.4 KiB in 3.10)

# small_tmpfs - /etc/postfix-x, an empty directory on a full tmpfs
small_tmpfs() {
	mkdir /etc/postfix-x "$T/full" &&
	mount -t tmpfs -o size=16k,mode=0755 tmpfs "$T/full" &&
	mkdir -m 0755 "$T/full/x" &&
	{ dd if=/dev/zero of="$T/full/filler" bs=4k 2>/dev/null; true; } &&
	test "$(df --output=avail "$T/full" | tail -n 1)" -eq 0 &&
	mount --bind "$T/full/x" /etc/postfix-x
}
test_expect "setup: /etc/postfix-x, an empty directory on a full tmpfs" \
	small_tmpfs
snapshot
expect_fail "-e create with no room for main.cf: fatal, nothing changed" \
	'^postmulti: fatal: write /etc/postfix-x/\.main\.cf\.postmulti\.[A-Za-z0-9]{6}: No space left on device; nothing was changed$' \
	postmulti -e create -I postfix-x
expect_unchanged "no room for main.cf: every file as before, the new queue and data directories gone"
expect_output "no room for main.cf: nothing registered" \
	'/etc/postfix-a' \
	registered
test_expect "no room for main.cf: no temporary file left" \
	no_temp_files
# no_small_tmpfs - undo small_tmpfs
no_small_tmpfs() {
	umount /etc/postfix-x && umount "$T/full" && rmdir /etc/postfix-x
}
test_expect "setup: the tmpfs gone" \
	no_small_tmpfs

# ---------------------------------------------------------------------
# ENOSPC in the primary's config directory: a tmpfs over /etc/postfix
# with a copy of its files, and a filler file that takes the rest

test_expect "setup: /etc/postfix-hand, a complete instance, not registered" \
	copy_instance /etc/postfix-a /etc/postfix-hand postfix-hand
test_expect "setup: /etc/postfix on a full tmpfs" \
	fill_primary
snapshot
expect_fail "-e create with no room for the registration: fatal, nothing changed" \
	'^postmulti: fatal: write /etc/postfix/\.main\.cf\.postmulti\.[A-Za-z0-9]{6}: No space left on device; nothing was changed$' \
	postmulti -e create -I postfix-y
expect_unchanged "no room for the registration: every file as before, the new instance's files and directories gone"
expect_output "no room for the registration: the primary's main.cf intact" "" \
	cmp "$T/etc-postfix/main.cf" /etc/postfix/main.cf
test_expect "no room for the registration: no temporary file left" \
	no_temp_files

snapshot
expect_fail "-e import -G moved with no room for the registration: fatal, nothing changed" \
	'No space left on device; nothing was changed$' \
	postmulti -e import -G moved config_directory=/etc/postfix-hand
expect_unchanged "-e import with no room: its main.cf has its old group back, byte for byte"

snapshot
expect_fail "-e deport with no room: fatal, nothing changed" \
	'No space left on device; nothing was changed$' \
	postmulti -i postfix-a -e deport
expect_unchanged "-e deport with no room: every file as before"

# Destroy removes the files first and unregisters last; a full primary
# file system stops it at the last step: it warns about what it removed,
# and says how to finish.

expect_stdout "-e destroy with no room for the unregistration: what it removed, then fatal, says how to finish" 1 \
'postmulti: warning: -e destroy: removed /etc/postfix-a/master.cf
postmulti: warning: -e destroy: removed /var/spool/postfix-a
postmulti: warning: -e destroy: removed /var/lib/postfix-a
postmulti: warning: -e destroy: removed /etc/postfix-a/main.cf
postmulti: warning: -e destroy: removed /etc/postfix-a
postmulti: fatal: write /etc/postfix/.main.cf.postmulti.XXXXXX: No space left on device; the instance is partly removed and still registered: fix that, then run "postmulti -i /etc/postfix-a -e destroy"' \
	both_masked postmulti -i postfix-a -e destroy
expect_output "-e destroy with no room: still registered" \
	'/etc/postfix-a' \
	registered
test_expect "setup: room again" \
	rm /etc/postfix/filler
test_expect "-e destroy, as it said: finishes" \
	postmulti -i /etc/postfix-a -e destroy
# registered_and_existing - the registered directories, then those of
# the paths given that exist
registered_and_existing() {
	registered
	existing "$@"
}
expect_output "-e destroy: unregistered, its files gone" "" \
	registered_and_existing /etc/postfix-a /var/spool/postfix-a /var/lib/postfix-a
test_expect "-e destroy: no temporary file left" \
	no_temp_files
# primary_back - the primary's own /etc/postfix back, with nothing
# registered, and postfix-a made again
primary_back() {
	umount /etc/postfix && postconf -e multi_instance_directories= &&
	postmulti -e create -I postfix-a
}
test_expect "setup: the primary's own /etc/postfix back, postfix-a made again" \
	primary_back

# ---------------------------------------------------------------------
# Read-only file systems

test_expect "setup: /etc/postfix-a read-only" \
	read_only /etc/postfix-a
snapshot
expect_fail "-e enable with a read-only main.cf: fatal, nothing changed" \
	'^postmulti: fatal: create /etc/postfix-a/\.main\.cf\.postmulti\.[A-Za-z0-9]{6}: Read-only file system; nothing was changed$' \
	postmulti -i postfix-a -e enable
expect_unchanged "-e enable, read-only: every file as before"
expect_fail "-e assign with a read-only main.cf: fatal, nothing changed" \
	'Read-only file system; nothing was changed$' \
	postmulti -i postfix-a -e assign -G g
expect_unchanged "-e assign, read-only: every file as before"
expect_fail "-e destroy with a read-only config directory: refused before anything goes" \
	'^postmulti: fatal: -e destroy: cannot remove files in /etc/postfix-a: Read-only file system; nothing was changed$' \
	postmulti -i postfix-a -e destroy
expect_unchanged "-e destroy, read-only config directory: every file as before"
test_expect "setup: /etc/postfix-a writable again" \
	umount /etc/postfix-a

for dir in /var/spool/postfix-a /var/spool/postfix-a/maildrop /var/lib/postfix-a; do
	test_expect "setup: $dir read-only" \
		read_only "$dir"
	snapshot
	expect_fail "-e destroy with $dir read-only: refused before anything goes" \
		"^postmulti: fatal: -e destroy: cannot remove files in $dir: Read-only file system; nothing was changed\$" \
		postmulti -i postfix-a -e destroy
	expect_unchanged "-e destroy, $dir read-only: every file as before"
	test_expect "setup: $dir writable again" \
		umount "$dir"
done

test_expect "setup: the primary's /etc/postfix read-only" \
	read_only /etc/postfix
snapshot
expect_fail "-e create with a read-only primary: fatal, nothing changed" \
	'^postmulti: fatal: create /etc/postfix/\.main\.cf\.postmulti\.[A-Za-z0-9]{6}: Read-only file system; nothing was changed$' \
	postmulti -e create -I postfix-z
expect_unchanged "-e create, read-only primary: every file as before, the new instance gone"
expect_fail "-e destroy with a read-only primary: refused before anything goes" \
	'cannot remove files in /etc/postfix: Read-only file system; nothing was changed$' \
	postmulti -i postfix-a -e destroy
expect_unchanged "-e destroy, read-only primary: every file as before"
test_expect "setup: the primary writable again" \
	umount /etc/postfix

test_expect "setup: /var/spool read-only" \
	read_only /var/spool
snapshot
expect_fail "-e create with a read-only /var/spool: fatal, nothing changed" \
	'^postmulti: fatal: create directory /var/spool/postfix-z: Read-only file system; nothing was changed$' \
	postmulti -e create -I postfix-z
expect_unchanged "-e create, read-only /var/spool: every file as before, the config directory gone"
test_expect "setup: /var/spool writable again" \
	umount /var/spool

# ---------------------------------------------------------------------
# An existing config directory whose queue directory is not there:
# "postfix set-permissions" could not chdir into it, so create and
# import make the missing queue and data directories as create does,
# before anything is registered. What would make postfix itself refuse
# the instance's main.cf is refused before anything changes.

# hand_made DIR NAME - main.cf and master.cf in DIR, nothing else: its
# queue and data directories are /var/spool/NAME and /var/lib/NAME
hand_made() {
	mkdir "$1" &&
	cp /etc/postfix/main.cf.proto "$1/main.cf" &&
	cp /etc/postfix/master.cf.proto "$1/master.cf" &&
	postconf -c "$1" -# sendmail_path newaliases_path mailq_path \
		setgid_group html_directory manpage_directory sample_directory \
		readme_directory &&
	postconf -c "$1" -e "queue_directory = /var/spool/$2" \
		"data_directory = /var/lib/$2"
}

test_expect "setup: /etc/postfix-q, main.cf and master.cf, no queue or data directory" \
	hand_made /etc/postfix-q postfix-q
expect_output "-e create -I postfix-q over it: done, as import" "" \
	postmulti -I postfix-q -e create
# registered_and_named - the registered directories, then the name of
# the instance in the config directory given
registered_and_named() {
	registered
	postconf -c "$1" -h multi_instance_name
}
expect_output "create over it: registered, named" \
'/etc/postfix-a
/etc/postfix-q
postfix-q' \
	registered_and_named /etc/postfix-q
expect_output "create over it: the queue and data directories made, as create makes them" \
'/var/spool/postfix-q 755 root:root
/var/lib/postfix-q 700 postfix:root' \
	stat -c '%n %a %U:%G' /var/spool/postfix-q /var/lib/postfix-q
expect_output "create over it: set-permissions made the queue's subdirectories" \
'active bounce corrupt defer deferred flush hold incoming maildrop pid private public saved trace' \
	one_line ls /var/spool/postfix-q

test_expect "setup: /etc/postfix-r, main.cf and master.cf, no queue or data directory" \
	hand_made /etc/postfix-r postfix-r
expect_output "-e import of it: done" "" \
	postmulti -e import config_directory=/etc/postfix-r
# registered_and_made - the registered directories; the mode and owner
# of the queue and data directories of the instance NAME, as create makes
# them; the subdirectories of its queue
registered_and_made() {
	registered
	stat -c "%n %a %U:%G" "/var/spool/$1" "/var/lib/$1"
	one_line ls "/var/spool/$1"
}
expect_output "import: registered, the queue and data directories made and set up" \
'/etc/postfix-a
/etc/postfix-q
/etc/postfix-r
/var/spool/postfix-r 755 root:root
/var/lib/postfix-r 700 postfix:root
active bounce corrupt defer deferred flush hold incoming maildrop pid private public saved trace' \
	registered_and_made postfix-r

# no_room_for_queue - /etc/postfix-s made by hand, and /var/spool
# read-only
no_room_for_queue() {
	hand_made /etc/postfix-s postfix-s && read_only /var/spool
}
test_expect "setup: /etc/postfix-s, main.cf and master.cf, no queue directory, /var/spool read-only" \
	no_room_for_queue
snapshot
expect_fail "-e import, the queue directory cannot be made: fatal, nothing changed" \
	'^postmulti: fatal: create directory /var/spool/postfix-s: Read-only file system; nothing was changed$' \
	postmulti -e import config_directory=/etc/postfix-s
expect_unchanged "-e import, no queue directory possible: every file as before, nothing registered"
test_expect "setup: /var/spool writable again" \
	umount /var/spool

for bad in "mail_owner = nosuchuser" "mail_owner = root" "setgid_group = nosuchgroup" \
	"setgid_group = root" "daemon_directory = /nonexistent" "command_directory = /etc/postfix/main.cf"; do
	test_expect "setup: /etc/postfix-s with $bad" \
		postconf -c /etc/postfix-s -e "$bad"
	snapshot
	for how in "-e import config_directory=/etc/postfix-s" "-I postfix-s -e create"; do
		# shellcheck disable=SC2086
		expect_fail "postmulti $how, $bad: refused before anything changes" \
			"^postmulti: fatal: -e (import|create): /etc/postfix-s/main\\.cf: ${bad%% *} = .* postfix could not run for this instance; nothing was changed\$" \
			postmulti $how
		expect_unchanged "postmulti $how, $bad: every file as before, nothing registered"
	done
	test_expect "setup: /etc/postfix-s without $bad" \
		postconf -c /etc/postfix-s -X "${bad%% *}"
done
expect_output "none of them registered" \
'/etc/postfix-a
/etc/postfix-q
/etc/postfix-r' \
	registered

# ---------------------------------------------------------------------
# postfix set-permissions fails: the instance is registered, and the
# message says so and how to finish

# failing_set_permissions - from now on "postfix ... set-permissions"
# fails; every other postfix command works
failing_set_permissions() {
	cp /usr/sbin/postfix "$T/postfix.real" &&
	cat >"$T/postfix.failing" <<EOF &&
#!/bin/sh
for arg; do
	[ "\$arg" = set-permissions ] && { echo "postfix: fatal: simulated failure" >&2; exit 1; }
done
exec "$T/postfix.real" "\$@"
EOF
	chmod 755 "$T/postfix.failing" &&
	mount --bind "$T/postfix.failing" /usr/sbin/postfix
}
test_expect "setup: postfix set-permissions fails" \
	failing_set_permissions
expect_stdout "-e create: set-permissions fails, exit 1" 1 "" \
	postmulti -e create -I postfix-sp
cp "$T/stderr" "$T/sp.stderr"
expect_output "-e create: the warning says it is registered and how to finish" \
'postfix: fatal: simulated failure
postmulti: warning: "/usr/sbin/postfix -c /etc/postfix-sp set-permissions" failed (status 1): the instance is registered; run that command again once the problem is fixed' \
	cat "$T/sp.stderr"
expect_output "-e create: registered, main.cf and master.cf in place" \
'/etc/postfix-a
/etc/postfix-q
/etc/postfix-r
/etc/postfix-sp
/etc/postfix-sp/main.cf
/etc/postfix-sp/master.cf' \
	registered_and_existing /etc/postfix-sp/main.cf /etc/postfix-sp/master.cf
test_expect "setup: set-permissions works again" \
	umount /usr/sbin/postfix
test_expect "the command the warning gives: postfix -c /etc/postfix-sp set-permissions" \
	postfix -c /etc/postfix-sp set-permissions
expect_output "now the queue has its subdirectories" \
'active bounce corrupt defer deferred flush hold incoming maildrop pid private public saved trace' \
	one_line ls /var/spool/postfix-sp

done_testing
