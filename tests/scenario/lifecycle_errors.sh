#!/bin/bash
#
# Life-cycle command lines postmulti refuses: each exits 1 with one
# "postmulti: fatal:" line on stderr, prints nothing on stdout, and leaves
# every file of every instance (config, queue and data directories) as it
# was.
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/lifecycle_errors.sh
#
# Expected to fail against Debian's postmulti 3.7.11: every refusal, as
# it writes fatal errors to stderr only when stderr is a terminal. Its
# files stay unchanged too.

. "$SRCDIR/tests/lib/scenario.sh"

# refused - the command fails with one fatal line matching the regex,
# and no file changes
refused() {
	local name=$1
	snapshot
	expect_fail "$@"
	expect_unchanged "$name: no file changed"
}

# ---------------------------------------------------------------------
# Before -e init, every other action is refused with a hint.

refused "-e create before init" \
	'multi_instance_wrapper.*postmulti -e init' \
	postmulti -e create -I postfix-a
refused "-e import before init" \
	'postmulti -e init' \
	postmulti -e import config_directory=/etc/postfix-a
refused "-e enable before init" \
	'postmulti -e init' \
	postmulti -i - -e enable
refused "-e assign before init" \
	'postmulti -e init' \
	postmulti -i - -e assign -G g
refused "-e init -I postfix-a: no name for init" \
	'-I and -G' \
	postmulti -e init -I postfix-a

test_expect "setup: -e init" \
	postmulti -e init
test_expect "setup: -e create -I postfix-a -G mta" \
	postmulti -e create -I postfix-a -G mta
test_expect "setup: -e create -I postfix-b" \
	postmulti -e create -I postfix-b

# ---------------------------------------------------------------------
# The command line itself

refused "-e bogus" \
	'invalid -e action "bogus"' \
	postmulti -e bogus
refused "-e create -R" \
	'-R' \
	postmulti -R -e create -I postfix-c
refused "-e with -l" \
	'exactly one of -e, -k, -L, -l, -m, -p, -Q, -x' \
	postmulti -l -e create -I postfix-c
refused "-n without -e" \
	'-n can be used only with -e' \
	postmulti -n -l
refused "-I twice" \
	'-I only once' \
	postmulti -e create -I postfix-c -I postfix-d
refused "-G twice" \
	'-G only once' \
	postmulti -e create -I postfix-c -G g1 -G g2
refused "-g and -i together" \
	'no more than one of -a, -g, -i' \
	postmulti -e create -g mta -i postfix-a -I postfix-c
refused "MAIL_CONFIG naming a secondary" \
	'MAIL_CONFIG=/etc/postfix-a' \
	env MAIL_CONFIG=/etc/postfix-a postmulti -e create -I postfix-c

# ---------------------------------------------------------------------
# Names and groups

refused "-I without the postfix- prefix" \
	'must start with "postfix-"' \
	postmulti -e create -I mta
refused "-I with a /" \
	'only letters, digits' \
	postmulti -e create -I postfix-a/b
refused "-I with a space" \
	'only letters, digits' \
	postmulti -e create -I 'postfix-a b'
refused "-I empty: no name, like -I -, so no default directory" \
	'give the instance a name with -I, or give config_directory=' \
	postmulti -e create -I ''
long=postfix-$(printf 'x%.0s' $(seq 248))
refused "-e create -I of 256 characters: too long for the default directories" \
	'longer than 255 bytes, too long for the default config_directory; give config_directory=$' \
	postmulti -e create -I "$long"
expect_stdout "-I of 255 characters is fine (dry run)" 0 \
	"postmulti: dry run of -e create: nothing is changed" \
	first_line postmulti -n -e create -I "${long%x}"
refused "-G with a space" \
	'only letters, digits' \
	postmulti -e create -I postfix-c -G 'a b'
refused "-G with a ;" \
	'only letters, digits' \
	postmulti -e create -I postfix-c -G 'a;b'
refused "-e assign -G with a bad character" \
	'only letters, digits' \
	postmulti -i postfix-a -e assign -G 'm$a'
refused "-e assign -I without the prefix" \
	'must start with "postfix-"' \
	postmulti -i postfix-a -e assign -I a
# Every printable character, in the middle of a name and of a group,
# and as a group on its own: accepted or refused as Debian's postmulti
# does (checked in the sandbox, character by character).
name_chars='abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@%-_=+:.'
snapshot
for code in $(seq 32 126); do
	c=$(printf "\\$(printf %03o "$code")")
	for opt in I G G1; do
		case $opt in
		I) value="postfix-x${c}y" allowed=$name_chars ;;
		G) value="g${c}h" allowed="$name_chars/" ;;
		G1) value="$c" allowed="$name_chars/" ;;
		esac
		postmulti -n -i postfix-a -e assign "-${opt%1}" "$value" >/dev/null 2>"$T/stderr"
		got=$?
		case $allowed in
		*"$c"*) want=0 ;;
		*) want=1 ;;
		esac
		# "-G -" clears the group: accepted.
		[ "$opt$c" = "G1-" ] && want=0
		if [ $got = $want ]; then
			echo "ok - -${opt%1} $(shell_words "$value"): exit $want"
		else
			echo "not ok - -${opt%1} $(shell_words "$value"): exit $got, expected $want"
			sed 's/^/#   /' "$T/stderr"
			tests_failed=$((tests_failed + 1))
		fi
		tests_run=$((tests_run + 1))
	done
done
expect_unchanged "every printable character as -I and -G: dry runs, no file changed"

refused "-I on -e enable" \
	'-I and -G' \
	postmulti -i postfix-a -e enable -I postfix-c

# ---------------------------------------------------------------------
# Directories given as param=value

refused "a relative config_directory" \
	'not an absolute path' \
	postmulti -e create -I postfix-c config_directory=etc/postfix-c
refused "an empty queue_directory" \
	'not an absolute path' \
	postmulti -e create -I postfix-c queue_directory=
refused "config_directory=/" \
	'root directory' \
	postmulti -e create -I postfix-c config_directory=/
refused "data_directory=/// (the root directory, trailing / trimmed)" \
	'root directory' \
	postmulti -e create -I postfix-c data_directory=///
refused "a .. in queue_directory" \
	'canonical.*did you mean /var/spool/postfix-c' \
	postmulti -e create -I postfix-c queue_directory=/var/spool/x/../postfix-c
refused "a // in config_directory" \
	'canonical.*did you mean /etc/postfix-c' \
	postmulti -e create -I postfix-c config_directory=/etc//postfix-c
refused "a /./ in data_directory" \
	'canonical' \
	postmulti -e create -I postfix-c data_directory=/var/lib/./postfix-c
refused "white space in a directory" \
	'white space' \
	postmulti -e create -I postfix-c 'config_directory=/etc/postfix c'
refused "a \$ in a directory" \
	'"\$"' \
	postmulti -e create -I postfix-c 'config_directory=/etc/$x'
refused "an unknown parameter" \
	'only config_directory=, queue_directory= and data_directory=' \
	postmulti -e create -I postfix-c myhostname=example.com
refused "an argument that is no name=value" \
	'expected name=value' \
	postmulti -e create -I postfix-c /etc/postfix-c
refused "an option after name=value: options come first" \
	'"-n": options must come before name=value arguments' \
	postmulti -e create -I postfix-c config_directory=/etc/postfix-c -n
refused "config_directory= twice" \
	'config_directory given twice' \
	postmulti -e create -I postfix-c config_directory=/etc/c1 config_directory=/etc/c2
refused "import with queue_directory=" \
	'only config_directory=' \
	postmulti -e import config_directory=/etc/postfix-a queue_directory=/var/spool/postfix-a
refused "a nameless create without queue_directory=" \
	'give the instance a name with -I, or give queue_directory=' \
	postmulti -e create config_directory=/etc/pc data_directory=/var/lib/pc
refused "a nameless create without config_directory=" \
	'give the instance a name with -I, or give config_directory=' \
	postmulti -e create -I - queue_directory=/var/spool/pc data_directory=/var/lib/pc
refused "param=value on -e enable" \
	'unexpected argument' \
	postmulti -i postfix-a -e enable config_directory=/etc/postfix-a
refused "a directory under a file" \
	'/etc/postfix/main.cf: not a directory' \
	postmulti -e create -I postfix-c config_directory=/etc/postfix/main.cf/c

# ---------------------------------------------------------------------
# Claims: a new instance must not collide with any other

refused "a name in use (another config directory)" \
	'postfix-a' \
	postmulti -e create -I postfix-a config_directory=/etc/other-a \
	queue_directory=/var/spool/other-a data_directory=/var/lib/other-a
refused "the config directory of a registered instance" \
	'/etc/postfix-a.*registered' \
	postmulti -e create -I postfix-a
refused "the primary's config directory" \
	'/etc/postfix is already the primary' \
	postmulti -e create -I postfix-c config_directory=/etc/postfix
refused "a config directory that is another instance's queue directory" \
	'/var/spool/postfix-a' \
	postmulti -e create -I postfix-c config_directory=/var/spool/postfix-a
refused "the primary's queue directory" \
	'/var/spool/postfix' \
	postmulti -e create -I postfix-c queue_directory=/var/spool/postfix
refused "a data directory that is another instance's config directory" \
	'/etc/postfix-b' \
	postmulti -e create -I postfix-c data_directory=/etc/postfix-b
refused "a queue directory that is the daemon directory" \
	'/usr/lib/postfix/sbin' \
	postmulti -e create -I postfix-c queue_directory=/usr/lib/postfix/sbin
refused "the same directory for queue and data" \
	'data_directory /var/spool/postfix-c of /etc/postfix-c is also its queue_directory' \
	postmulti -e create -I postfix-c data_directory=/var/spool/postfix-c
refused "the same directory for config and queue (trailing / trimmed)" \
	'queue_directory /etc/postfix-c of /etc/postfix-c is also its config_directory' \
	postmulti -e create -I postfix-c queue_directory=/etc/postfix-c/
refused "-e assign of a name in use" \
	'postfix-b' \
	postmulti -i postfix-a -e assign -I postfix-b

# ---------------------------------------------------------------------
# Placement and selection

refused "-g nosuch: no member to place the new instance before" \
	'-g nosuch' \
	postmulti -g nosuch -e create -I postfix-c
refused "-i nosuch: no instance to place the new one before" \
	'-i nosuch' \
	postmulti -i nosuch -e create -I postfix-c
refused "-i -: a new instance goes before a secondary, not the primary" \
	'-i -' \
	postmulti -i - -e create -I postfix-c
refused "-e enable without -i" \
	'select the instance with -i' \
	postmulti -e enable
refused "-e disable -g mta" \
	'select the instance with -i' \
	postmulti -g mta -e disable
refused "-e assign without -i" \
	'select the instance with -i' \
	postmulti -e assign -G g
refused "-e assign without -I or -G" \
	'-I.*-G' \
	postmulti -i postfix-a -e assign
refused "-e enable -i nosuch: the message names the instances there are" \
	'no instance matches "-i nosuch"; the secondary instances: postfix-[a-z]' \
	postmulti -i nosuch -e enable
refused "-e destroy -i - (the primary)" \
	'primary instance cannot be destroyed' \
	postmulti -i - -e destroy
refused "-e deport -i - (the primary)" \
	'primary instance cannot be deported' \
	postmulti -i - -e deport

# ---------------------------------------------------------------------
# import and create over what is there

refused "-e import of a directory without main.cf and master.cf" \
	'must hold both main.cf and master.cf' \
	postmulti -e import config_directory=/etc/nothing
refused "-e import of a registered instance" \
	'/etc/postfix-b.*registered' \
	postmulti -e import config_directory=/etc/postfix-b
# foreign_main_cf - /etc/postfix-c with a main.cf that postmulti did
# not write, and no master.cf
foreign_main_cf() {
	mkdir /etc/postfix-c && echo "# mine" >/etc/postfix-c/main.cf
}
test_expect "setup: /etc/postfix-c holds someone's main.cf, no master.cf" \
	foreign_main_cf
refused "-e create over a foreign main.cf" \
	'/etc/postfix-c/main.cf exists and is not the file postmulti would install' \
	postmulti -e create -I postfix-c
# bad_main_cf - /etc/postfix-d, a master.cf and a main.cf with a bad
# multi_instance_enable
bad_main_cf() {
	mkdir /etc/postfix-d && cp /etc/postfix/master.cf.proto /etc/postfix-d/master.cf &&
	echo "multi_instance_enable = maybe" >/etc/postfix-d/main.cf
}
test_expect "setup: /etc/postfix-d, a complete instance with a bad main.cf" \
	bad_main_cf
refused "-e import of an instance with a bad main.cf" \
	'multi_instance_enable' \
	postmulti -e import config_directory=/etc/postfix-d
test_expect "setup: /etc/postfix-d registered anyway" \
	postconf -e 'multi_instance_directories = /etc/postfix-a /etc/postfix-b /etc/postfix-d'
refused "-e enable of a damaged instance" \
	'damaged' \
	postmulti -i /etc/postfix-d -e enable
refused "-e destroy of a damaged instance whose main.cf exists" \
	'damaged' \
	postmulti -i /etc/postfix-d -e destroy

# ---------------------------------------------------------------------
# Usage errors come from the action table, before the lock is taken or
# any main.cf is read: with the lock held by another run, and with a
# primary main.cf that cannot be read, they are refused at once.

# hold_lock - hold the configuration lock, as another run would, for
# 30 seconds or until release_lock; its pid goes to $T/holder
hold_lock() {
	flock /etc/postfix sleep 30 &
	echo $! >"$T/holder"
	sleep 0.5
}
# release_lock - end what hold_lock started
release_lock() {
	kill "$(cat "$T/holder")"
	wait
}
test_expect "setup: another run holds the configuration lock" \
	hold_lock
for args in "-e enable" "-g mta -e disable" "-i postfix-a -e enable -I postfix-c" \
	"-i postfix-a -e enable config_directory=/x" "-i postfix-a -e assign" \
	"-e create -I mta" "-e create -I postfix-c config_directory=x" "-e nosuch"; do
	# shellcheck disable=SC2086
	refused "postmulti $args, the lock held: refused at once" \
		'^postmulti: fatal: ' \
		timeout 10 postmulti $args
done
test_expect "setup: the lock released" \
	release_lock
# unreadable_primary - a directory in place of the primary's main.cf,
# which is kept in $T/main.cf.saved (readable_primary puts it back)
unreadable_primary() {
	mv /etc/postfix/main.cf "$T/main.cf.saved" && mkdir /etc/postfix/main.cf
}
# readable_primary - undo unreadable_primary
readable_primary() {
	rmdir /etc/postfix/main.cf && mv "$T/main.cf.saved" /etc/postfix/main.cf
}
test_expect "setup: the primary's main.cf unreadable (a directory in its place)" \
	unreadable_primary
refused "postmulti -e enable, the primary's main.cf unreadable: the usage error" \
	'-e enable: select the instance with -i name' \
	postmulti -e enable
refused "postmulti -i postfix-a -e assign, the primary's main.cf unreadable: the usage error" \
	'-e assign: give a new name with -I and/or a new group with -G' \
	postmulti -i postfix-a -e assign
test_expect "setup: the primary's main.cf back" \
	readable_primary

done_testing
