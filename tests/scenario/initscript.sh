#!/bin/bash
#
# Debian 13's /etc/init.d/postfix (Postfix 3.10) runs itself once per
# instance through postmulti:
#
#	postmulti -x /etc/init.d/postfix internal-instance-start|stop|status
#
# and each run decides from the instance's environment (multi_instance_enable,
# daemon_directory, config_directory, multi_instance_name, which postmulti -x
# exports) whether to start, stop or report it. Here the real script starts,
# reports on and stops real masters through our postmulti.
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/initscript.sh
#
# Debian's postmulti 3.10.13 passes every check here. Debian 12's init
# script works differently (and its postfix@.service is in systemd.sh).

. "$SRCDIR/tests/lib/scenario.sh"

script=/etc/init.d/postfix
if ! grep -qs 'postmulti -x "$0" internal-instance-' "$script" || [ ! -r /lib/lsb/init-functions ]; then
	skip "the init script through postmulti -x" "$script does not run itself through postmulti -x"
	done_testing
fi

# init - run the init script as init would, never redirected to systemctl
init() {
	_SYSTEMCTL_SKIP_REDIRECT=1 "$script" "$@"
}

#	config directory   name         group  enabled
#	/etc/postfix       -            -      yes (primary)
#	/etc/postfix-out   postfix-out  mta    yes
#	/etc/postfix-msa   postfix-msa  msa    no
#	/etc/postfix-null  -            mta    yes (nameless)
test_expect "setup: a primary and three secondaries" example_instances
all="/etc/postfix /etc/postfix-out /etc/postfix-msa /etc/postfix-null"

expect_stdout "status before start: exit 1 (a run of postfix status failed), as Debian's postmulti" 1 \
	"" \
	quiet sh -c "_SYSTEMCTL_SKIP_REDIRECT=1 $script status >/dev/null"
test_expect "$script start" init start
expect_output "the enabled instances run, the disabled one does not" \
'/etc/postfix running
/etc/postfix-out running
/etc/postfix-msa stopped
/etc/postfix-null running' \
	masters $all
test_expect "$script start again: quiet success, nothing changes" init start
expect_output "still the same three run" \
'/etc/postfix running
/etc/postfix-out running
/etc/postfix-msa stopped
/etc/postfix-null running' \
	masters $all
test_expect "$script status: every enabled instance runs, exit 0" init status
test_expect "setup: postfix-out stopped by hand" postfix -c /etc/postfix-out stop
expect_stdout "$script status with an enabled instance stopped: exit 1" 1 "" \
	quiet sh -c "_SYSTEMCTL_SKIP_REDIRECT=1 $script status >/dev/null"
test_expect "$script stop" init stop
expect_output "nothing runs" \
'/etc/postfix stopped
/etc/postfix-out stopped
/etc/postfix-msa stopped
/etc/postfix-null stopped' \
	masters $all
test_expect "$script stop again: nothing to stop, success" init stop

done_testing
