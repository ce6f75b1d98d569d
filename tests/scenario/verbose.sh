#!/bin/bash
#
# What -v says: each change a life-cycle action makes, each command it
# runs, and the command that -x runs for each instance, one
# "postmulti: ..." line each on stderr (the exit status and stdout are
# those without -v).
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/verbose.sh
#
# Expected to fail against Debian's postmulti 3.7.11: every check of what
# -v prints (it prints its own script's trace, or nothing).

. "$SRCDIR/tests/lib/scenario.sh"

expect_output "-e init -v: the file it writes" \
'postmulti: wrote /etc/postfix/main.cf' \
	both postmulti -v -e init
expect_output "-e create -v: the directories, the files, the registration, the command" \
'postmulti: created directory /etc/postfix-a
postmulti: created directory /var/spool/postfix-a
postmulti: created directory /var/lib/postfix-a
postmulti: wrote /etc/postfix-a/main.cf
postmulti: wrote /etc/postfix-a/master.cf
postmulti: wrote /etc/postfix/main.cf
postmulti: running "/usr/sbin/postfix -c /etc/postfix-a set-permissions"' \
	both postmulti -v -e create -I postfix-a
expect_output "-e enable -v: the instance's main.cf" \
'postmulti: wrote /etc/postfix-a/main.cf' \
	both postmulti -v -i postfix-a -e enable
expect_output "-e assign -v: the instance's main.cf" \
'postmulti: wrote /etc/postfix-a/main.cf' \
	both postmulti -v -i postfix-a -e assign -G g1
expect_output "-e disable -v: the instance's main.cf" \
'postmulti: wrote /etc/postfix-a/main.cf' \
	both postmulti -v -i postfix-a -e disable
# x_verbose - what -x -v prints for postfix-a, the command's path made generic
x_verbose() {
	postmulti -v -i postfix-a -x true 2>&1 | sed 's|running /.*/true$|running DIR/true|'
}
expect_output "-x -v: the command it runs for each instance" \
'postmulti: /etc/postfix-a: running DIR/true' \
	x_verbose
expect_output "-e create -v -n: a dry run says nothing more than its plan on stdout" '' \
	sh -c 'postmulti -v -n -e create -I postfix-b 2>&1 >/dev/null'

done_testing
