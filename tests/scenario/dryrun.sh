#!/bin/bash
#
# Dry run (-n) of every life-cycle action: it prints the plan (the
# directories, a unified diff of each main.cf it would change, the files
# it would remove, the commands it would run) and changes nothing at all.
# A dry run refuses what the real run would refuse.
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/dryrun.sh
#
# Ours only: Debian's postmulti has no -n.

. "$SRCDIR/tests/lib/scenario.sh"

# dry - a dry run prints exactly the expected plan and changes nothing
dry() {
	local name=$1 expected=$2
	shift 2
	snapshot
	expect_output "$name" "$expected" "$@"
	expect_unchanged "$name: no file changed"
}

# plan_outline - a plan without the diff bodies: the lines that say what
# happens, and the "+"/"-" lines of the diffs
plan_outline() {
	"$@" | grep -v '^ \|^@@ \|^--- \|^+++ '
}

n=$(wc -l </etc/postfix/main.cf)
dry "-n -e init" \
"postmulti: dry run of -e init: nothing is changed
update /etc/postfix/main.cf
--- /etc/postfix/main.cf
+++ /etc/postfix/main.cf
@@ -$((n - 2)),3 +$((n - 2)),5 @@
$(tail -n 3 /etc/postfix/main.cf | sed 's/^/ /')
+multi_instance_wrapper = \${command_directory}/postmulti -p --
+multi_instance_enable = yes" \
	postmulti -n -e init

refused_dry() {
	local name=$1
	snapshot
	expect_fail "$@"
	expect_unchanged "$name: no file changed"
}
refused_dry "-n -e create before init: refused like the real thing" \
	'postmulti -e init' \
	postmulti -n -e create -I postfix-a

test_expect "setup: -e init" \
	postmulti -e init
test_expect "-n -e init when done: an empty plan" \
	test "$(postmulti -n -e init)" = "postmulti: dry run of -e init: nothing is changed"
test_expect "setup: -e create -I postfix-a -G mta" \
	postmulti -e create -I postfix-a -G mta
n=$(wc -l </etc/postfix/main.cf)
cf=$(wc -l </etc/postfix-a/main.cf)
# The primary's line before multi_instance_wrapper: what it is depends on
# the machine (postfix-doc's postinst adds html_directory, for one).
before_wrapper=$(sed -n "$((n - 3))p" /etc/postfix/main.cf)

# shared_plan - the outline of a new main.cf's shared parameters: each
# line of main.cf.proto that sets one is copied from the primary where the
# primary sets it, and commented out where it does not; data_directory is
# the new instance's
shared_plan() {
	local line name
	grep -E '^(command|daemon|data|html|manpage|sample|readme)_directory =|^(sendmail|newaliases|mailq)_path =|^setgid_group =' \
		/etc/postfix/main.cf.proto |
	while IFS= read -r line; do
		name=${line%% *}
		echo "-$line"
		if [ "$name" = data_directory ]; then
			echo "+data_directory = /var/lib/postfix-b"
		elif [ -n "$(postconf -n "$name")" ]; then
			echo "+$(postconf -n "$name")"
		else
			echo "+#$line"
		fi
	done
}

# created_main_cf - the outline of the new main.cf: the shared parameters,
# then the instance's own, data_directory among them where main.cf.proto
# does not set it (Postfix 3.10's does not)
created_main_cf() {
	shared_plan
	echo "+queue_directory = /var/spool/postfix-b"
	grep -q '^data_directory =' /etc/postfix/main.cf.proto ||
		echo "+data_directory = /var/lib/postfix-b"
	printf '%s\n' "+authorized_submit_users = " "+master_service_disable = inet" \
		"+multi_instance_name = postfix-b"
}

dry "-n -e create: directories, files, the registration, set-permissions" \
'postmulti: dry run of -e create: nothing is changed
create directory /etc/postfix-b (mode 0755)
create directory /var/spool/postfix-b (mode 0755)
create directory /var/lib/postfix-b (mode 0700)
create file /etc/postfix-b/main.cf (shown against /etc/postfix/main.cf.proto)
'"$(created_main_cf)"'
create file /etc/postfix-b/master.cf (shown against /etc/postfix/master.cf.proto)
update /etc/postfix/main.cf
-multi_instance_directories = /etc/postfix-a
+multi_instance_directories = /etc/postfix-a /etc/postfix-b
run /usr/sbin/postfix -c /etc/postfix-b set-permissions' \
	plan_outline postmulti -n -e create -I postfix-b

# registration_change - the lines of a plan that change
# multi_instance_directories
registration_change() {
	"$@" | grep "^[-+]multi_instance_directories"
}
dry "-n -a -e create: placed first" \
'-multi_instance_directories = /etc/postfix-a
+multi_instance_directories = /etc/postfix-b /etc/postfix-a' \
	registration_change postmulti -n -a -e create -I postfix-b

test_expect "setup: postfix-a unregistered by hand" \
	postconf -e multi_instance_directories=
dry "-n -e create of a complete instance: as import" \
'postmulti: dry run of -e create: nothing is changed
update /etc/postfix-a/main.cf
--- /etc/postfix-a/main.cf
+++ /etc/postfix-a/main.cf
@@ -'$((cf - 3))',4 +'$((cf - 3))',4 @@
 authorized_submit_users = 
 master_service_disable = inet
 multi_instance_name = postfix-a
-multi_instance_group = mta
+multi_instance_group = relay
update /etc/postfix/main.cf
--- /etc/postfix/main.cf
+++ /etc/postfix/main.cf
@@ -'$((n - 3))',4 +'$((n - 3))',4 @@
 '"$before_wrapper"'
 multi_instance_wrapper = ${command_directory}/postmulti -p --
 multi_instance_enable = yes
-multi_instance_directories = 
+multi_instance_directories = /etc/postfix-a
run /usr/sbin/postfix -c /etc/postfix-a set-permissions' \
	postmulti -n -e create -I postfix-a -G relay
test_expect "setup: postfix-a registered again" \
	postconf -e multi_instance_directories=/etc/postfix-a

test_expect "setup: /etc/postfix-hand, a complete instance made by hand" \
	copy_instance /etc/postfix-a /etc/postfix-hand postfix-hand
dry "-n -e import: the missing queue and data directories, the registration and set-permissions" \
'postmulti: dry run of -e import: nothing is changed
create directory /var/spool/postfix-hand (mode 0755)
create directory /var/lib/postfix-hand (mode 0700)
update /etc/postfix/main.cf
--- /etc/postfix/main.cf
+++ /etc/postfix/main.cf
@@ -'$((n - 3))',4 +'$((n - 3))',4 @@
 '"$before_wrapper"'
 multi_instance_wrapper = ${command_directory}/postmulti -p --
 multi_instance_enable = yes
-multi_instance_directories = /etc/postfix-a
+multi_instance_directories = /etc/postfix-a /etc/postfix-hand
run /usr/sbin/postfix -c /etc/postfix-hand set-permissions' \
	postmulti -n -e import config_directory=/etc/postfix-hand

dry "-n -e enable" \
'postmulti: dry run of -e enable: nothing is changed
update /etc/postfix-a/main.cf
--- /etc/postfix-a/main.cf
+++ /etc/postfix-a/main.cf
@@ -'$((cf - 2))',3 +'$((cf - 2))',4 @@
 master_service_disable = inet
 multi_instance_name = postfix-a
 multi_instance_group = mta
+multi_instance_enable = yes' \
	postmulti -n -i postfix-a -e enable
dry "-n -e disable of a disabled instance: the parameter written all the same, as upstream" \
'postmulti: dry run of -e disable: nothing is changed
update /etc/postfix-a/main.cf
--- /etc/postfix-a/main.cf
+++ /etc/postfix-a/main.cf
@@ -'$((cf - 2))',3 +'$((cf - 2))',4 @@
 master_service_disable = inet
 multi_instance_name = postfix-a
 multi_instance_group = mta
+multi_instance_enable = no' \
	postmulti -n -i postfix-a -e disable
dry "-n -e assign" \
'postmulti: dry run of -e assign: nothing is changed
update /etc/postfix-a/main.cf
--- /etc/postfix-a/main.cf
+++ /etc/postfix-a/main.cf
@@ -'$((cf - 4))',5 +'$((cf - 4))',5 @@
'"$(sed -n "$((cf - 4))s/^/ /p" /etc/postfix-a/main.cf)"'
 authorized_submit_users = 
 master_service_disable = inet
-multi_instance_name = postfix-a
-multi_instance_group = mta
+multi_instance_name = postfix-aa
+multi_instance_group = ' \
	postmulti -n -i postfix-a -e assign -I postfix-aa -G -
dry "-n -e deport" \
'postmulti: dry run of -e deport: nothing is changed
update /etc/postfix/main.cf
--- /etc/postfix/main.cf
+++ /etc/postfix/main.cf
@@ -'$((n - 3))',4 +'$((n - 3))',5 @@
 '"$before_wrapper"'
 multi_instance_wrapper = ${command_directory}/postmulti -p --
 multi_instance_enable = yes
-multi_instance_directories = /etc/postfix-a
+multi_instance_directories = 
+alternate_config_directories = /etc/postfix-a' \
	postmulti -n -i postfix-a -e deport

test_expect "setup: a foreign file in postfix-a's data directory" \
	touch /var/lib/postfix-a/mine
dry "-n -e destroy: every file it would remove, and what it would leave" \
'postmulti: dry run of -e destroy: nothing is changed
remove file /etc/postfix-a/master.cf
remove /var/spool/postfix-a/active
remove /var/spool/postfix-a/bounce
remove /var/spool/postfix-a/corrupt
remove /var/spool/postfix-a/defer
remove /var/spool/postfix-a/deferred
remove /var/spool/postfix-a/flush
remove /var/spool/postfix-a/hold
remove /var/spool/postfix-a/incoming
remove /var/spool/postfix-a/maildrop
remove /var/spool/postfix-a/pid
remove /var/spool/postfix-a/private
remove /var/spool/postfix-a/public
remove /var/spool/postfix-a/saved
remove /var/spool/postfix-a/trace
remove /var/spool/postfix-a
leave /var/lib/postfix-a/mine (not created by Postfix)
leave /var/lib/postfix-a (not empty)
remove file /etc/postfix-a/main.cf
remove directory /etc/postfix-a
update /etc/postfix/main.cf
--- /etc/postfix/main.cf
+++ /etc/postfix/main.cf
@@ -'$((n - 3))',4 +'$((n - 3))',4 @@
 '"$before_wrapper"'
 multi_instance_wrapper = ${command_directory}/postmulti -p --
 multi_instance_enable = yes
-multi_instance_directories = /etc/postfix-a
+multi_instance_directories = ' \
	postmulti -n -i postfix-a -e destroy

test_expect "setup: postfix-a enabled" \
	postmulti -i postfix-a -e enable
refused_dry "-n -e destroy of an enabled instance: refused like the real thing" \
	'enabled' \
	postmulti -n -i postfix-a -e destroy
refused_dry "-n -e deport of an enabled instance: refused like the real thing" \
	'enabled' \
	postmulti -n -i postfix-a -e deport
refused_dry "-n -e create of a name in use: refused like the real thing" \
	'postfix-a' \
	postmulti -n -e create -I postfix-a config_directory=/etc/pa2 \
	queue_directory=/var/spool/pa2 data_directory=/var/lib/pa2

done_testing
