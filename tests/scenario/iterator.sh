#!/bin/bash
#
# Iterator mode without running masters: "postmulti -l" (and -j), and
# "postmulti -x" with the environment it gives each command.
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/iterator.sh
#
# Expected to fail against Debian's postmulti 3.7.11: the two -j checks
# (it has no -j option), the three "no match is fatal" checks (it exits 1
# but writes its fatal error to stderr only when stderr is a terminal), and
# the three checks of a directory spelled differently or reached through a
# symbolic link (it compares spellings; the manual's DIFFERENCES).

. "$SRCDIR/tests/lib/scenario.sh"

expect_output "-l before any setup: the primary alone counts as enabled" \
'-               -               y         /etc/postfix' \
	postmulti -l

expect_output "-x before any setup: runs for the primary" \
'/etc/postfix' \
	postmulti -x sh -c 'echo "$MAIL_CONFIG"'

#	config directory   name         group  enabled
#	/etc/postfix       -            -      yes (primary)
#	/etc/postfix-out   postfix-out  mta    yes
#	/etc/postfix-msa   postfix-msa  msa    no
#	/etc/postfix-null  -            mta    yes (nameless)
test_expect "setup: a primary and three secondaries" example_instances

primary='-               -               y         /etc/postfix'
out='postfix-out     mta             y         /etc/postfix-out'
msa='postfix-msa     msa             n         /etc/postfix-msa'
null='-               mta             y         /etc/postfix-null'

expect_output "-l lists every instance, primary first" \
"$primary
$out
$msa
$null" \
	postmulti -l

expect_output "-l -a is the same as -l" \
"$primary
$out
$msa
$null" \
	postmulti -l -a

expect_output "-l -R lists them in reverse" \
"$null
$msa
$out
$primary" \
	postmulti -l -R

# Option counting as Debian's postmulti does it.
expect_output "-l -a -a: -a may be repeated" \
"$primary
$out
$msa
$null" \
	postmulti -l -a -a

expect_output "-l -R -R: a second -R undoes the first" \
"$primary
$out
$msa
$null" \
	postmulti -l -R -R

expect_output "-l -R -R -R: an odd number of -R reverses" \
"$null
$msa
$out
$primary" \
	postmulti -l -R -R -R

expect_output "-l -g '': an instance without a group is in no group" \
'' \
	postmulti -l -g ''

expect_output "-x -R -R -g mta: not reversed" \
'/etc/postfix-out
/etc/postfix-null' \
	postmulti -x -R -R -g mta sh -c 'echo "$MAIL_CONFIG"'

expect_output "-l -g mta: the group's members, named or not" \
"$out
$null" \
	postmulti -l -g mta

expect_output "-l -g msa: a group with a disabled member" \
"$msa" \
	postmulti -l -g msa

expect_output "-l -i postfix-out: by name" \
"$out" \
	postmulti -l -i postfix-out

expect_output "-l -i out: by name without the postfix- prefix" \
"$out" \
	postmulti -l -i out

expect_output "-l -i /etc/postfix-out: by config directory" \
"$out" \
	postmulti -l -i /etc/postfix-out

expect_output "-l -i /etc/postfix-out//: by config directory, spelled differently" \
"$out" \
	postmulti -l -i /etc/postfix-out//

test_expect "setup: a symbolic link to /etc/postfix-out" ln -s /etc/postfix-out /etc/out-link

# The manual's DIFFERENCES: a link selects the directory it points to
# (Debian's postmulti compares spellings).
expect_output "-l -i /etc/out-link: a symbolic link selects the instance" \
"$out" \
	postmulti -l -i /etc/out-link

expect_output "-x -i /etc/out-link: runs for the instance the link points to" \
'/etc/postfix-out' \
	postmulti -i /etc/out-link -x sh -c 'echo "$MAIL_CONFIG"'

test_expect "setup: the link removed" rm /etc/out-link

expect_output "-l -i /etc/postfix-null: a nameless instance by config directory" \
"$null" \
	postmulti -l -i /etc/postfix-null

expect_output "-l -i postfix-null: a nameless instance has no name to match" \
"" \
	postmulti -l -i postfix-null

expect_output "-l -i -: the primary" \
"$primary" \
	postmulti -l -i -

expect_output "-l -g nosuch: no match, no output, success" \
"" \
	postmulti -l -g nosuch

expect_output "-l -i nosuch: no match, no output, success" \
"" \
	postmulti -l -i nosuch

# Debian's postmulti 3.7 has no -j; Postfix 3.11's prints these bytes
# (only its group, cut to one character, is not reproduced).
expect_output "-l -j: Postfix 3.11's objects byte for byte, the whole group name" \
'{"name": "-","group": "-","enabled": "y","config_directory": "/etc/postfix"}
{"name": "postfix-out","group": "mta","enabled": "y","config_directory": "/etc/postfix-out"}
{"name": "postfix-msa","group": "msa","enabled": "n","config_directory": "/etc/postfix-msa"}
{"name": "-","group": "mta","enabled": "y","config_directory": "/etc/postfix-null"}' \
	postmulti -l -j

expect_output "-l -j -g msa -R: -j selects and orders like -l" \
'name=postfix-msa group=msa enabled=n config_directory=/etc/postfix-msa' \
	json_fields postmulti -l -j -g msa -R

expect_output "-x: MAIL_LOGTAG is the primary's syslog_name, as Postfix programs pass it on" \
'postfix' \
	env -u MAIL_LOGTAG postmulti -x -i postfix-out printenv MAIL_LOGTAG
expect_output "-x: MAIL_LOGTAG is the primary's syslog_name, whatever came in" \
'postfix' \
	env MAIL_LOGTAG=other postmulti -x -g msa printenv MAIL_LOGTAG

# instance-env - print the variables "postmulti -x" sets for a command
cat >"$T/bin/instance-env" <<'EOF'
#!/bin/sh
for v in MAIL_CONFIG command_directory daemon_directory config_directory \
	queue_directory data_directory multi_instance_name \
	multi_instance_group multi_instance_enable; do
	printf '%s=%s\n' "$v" "$(printenv "$v" || echo '(unset)')"
done
EOF
chmod 755 "$T/bin/instance-env"

expect_output "-x: a secondary's environment" \
'MAIL_CONFIG=/etc/postfix-out
command_directory=/usr/sbin
daemon_directory=/usr/lib/postfix/sbin
config_directory=/etc/postfix-out
queue_directory=/var/spool/postfix-out
data_directory=/var/lib/postfix-out
multi_instance_name=postfix-out
multi_instance_group=mta
multi_instance_enable=yes' \
	postmulti -i postfix-out -x instance-env

expect_output "-x: a disabled secondary runs too, with multi_instance_enable=no" \
'MAIL_CONFIG=/etc/postfix-msa
command_directory=/usr/sbin
daemon_directory=/usr/lib/postfix/sbin
config_directory=/etc/postfix-msa
queue_directory=/var/spool/postfix-msa
data_directory=/var/lib/postfix-msa
multi_instance_name=postfix-msa
multi_instance_group=msa
multi_instance_enable=no' \
	postmulti -i postfix-msa -x instance-env

expect_output "-x: a nameless secondary gets an empty multi_instance_name" \
'MAIL_CONFIG=/etc/postfix-null
command_directory=/usr/sbin
daemon_directory=/usr/lib/postfix/sbin
config_directory=/etc/postfix-null
queue_directory=/var/spool/postfix-null
data_directory=/var/lib/postfix-null
multi_instance_name=
multi_instance_group=mta
multi_instance_enable=yes' \
	postmulti -i /etc/postfix-null -x instance-env

expect_output "-x: the primary's environment" \
'MAIL_CONFIG=/etc/postfix
command_directory=/usr/sbin
daemon_directory=/usr/lib/postfix/sbin
config_directory=/etc/postfix
queue_directory=/var/spool/postfix
data_directory=/var/lib/postfix
multi_instance_name=
multi_instance_group=
multi_instance_enable=yes' \
	postmulti -i - -x instance-env

expect_output "-x: \$command_directory: comes first in PATH" \
"/usr/sbin:$PATH" \
	postmulti -i - -x sh -c 'echo "$PATH"'

# path_without_path - the PATH a command gets when postmulti has none, then
# when it has an empty one; any root default after /usr/sbin: will do
path_without_path() {
	local path
	for path in "env -u PATH" "env PATH="; do
		$path /usr/sbin/postmulti -i - -x /bin/sh -c 'echo "$PATH"' |
			sed 's,^/usr/sbin:.*/bin.*,/usr/sbin: and a default,'
	done
}
expect_output "-x: without PATH, or with an empty one, a root default" \
'/usr/sbin: and a default
/usr/sbin: and a default' \
	path_without_path

expect_output "-x: every instance in order, disabled ones included" \
'/etc/postfix
/etc/postfix-out
/etc/postfix-msa
/etc/postfix-null' \
	postmulti -x sh -c 'echo "$MAIL_CONFIG"'

expect_output "-x -R: in reverse order" \
'/etc/postfix-null
/etc/postfix-msa
/etc/postfix-out
/etc/postfix' \
	postmulti -R -x sh -c 'echo "$MAIL_CONFIG"'

expect_output "-x -g mta: the group's members" \
'/etc/postfix-out
/etc/postfix-null' \
	postmulti -g mta -x sh -c 'echo "$MAIL_CONFIG"'

expect_stdout "-x: one command fails, all still run, exit 1" 1 \
'/etc/postfix
/etc/postfix-out
/etc/postfix-msa
/etc/postfix-null' \
	postmulti -x sh -c 'echo "$MAIL_CONFIG"; [ "$multi_instance_enable" = yes ] || exit 3'

expect_stdout "-x: one command is killed, all still run, exit 1" 1 \
'/etc/postfix
/etc/postfix-out
/etc/postfix-null' \
	postmulti -x sh -c '[ "$MAIL_CONFIG" != /etc/postfix-msa ] || kill -9 $$; echo "$MAIL_CONFIG"'

expect_output "-x: no MAIL_VERBOSE without -v" \
"MAIL_VERBOSE is not set" \
	postmulti -i - -x sh -c 'echo MAIL_VERBOSE ${MAIL_VERBOSE+is set}${MAIL_VERBOSE-is not set}'

expect_stdout "-v -x: MAIL_VERBOSE is exported" 0 \
"MAIL_VERBOSE is set" \
	postmulti -v -i - -x sh -c 'echo MAIL_VERBOSE ${MAIL_VERBOSE+is set}${MAIL_VERBOSE-is not set}'

expect_warning "-x with a command found nowhere: a warning, exit 1" \
	'no-such-command: command not found' '' \
	postmulti -g mta -x no-such-command

expect_output "-x looks its command up in the PATH it gives: \$command_directory first" \
'/etc/postfix-out
/etc/postfix-null' \
	env PATH=/nonexistent /usr/sbin/postmulti -g mta -x postconf -h config_directory

expect_fail "-x -i nosuch: no match is fatal, and the message lists what there is" \
	'^postmulti: fatal: no instance matches "-i nosuch"; the instances: - \(the primary\), postfix-out, postfix-msa, /etc/postfix-null; the groups: mta, msa$' \
	postmulti -i nosuch -x true

expect_fail "-x -g nosuch: no match is fatal, and the message lists what there is" \
	'^postmulti: fatal: no instance matches "-g nosuch"; the instances: .*; the groups: mta, msa$' \
	postmulti -g nosuch -x true

expect_fail "-p stop -i msa: a disabled instance is skipped, and the message says so" \
	'^postmulti: fatal: postfix-msa is disabled: -p stop skips it$' \
	postmulti -i msa -p stop

done_testing
