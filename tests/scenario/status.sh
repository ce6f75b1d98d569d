#!/bin/bash
#
# The running-status view, "postmulti -l -s" (ours only: Debian's
# postmulti has no -s). It reads each instance's master.pid and checks
# that the process is a live master, without running "postfix status".
# Checked against real masters, a stale pid file, a pid file naming some
# other process, and a pid directory that cannot be read.
#
# Run: tests/lib/sandbox -b ./postmulti tests/scenario/status.sh

. "$SRCDIR/tests/lib/scenario.sh"

test_expect "setup: a primary and three secondaries" example_instances

# pid_of - the pid in an instance's master.pid
pid_of() {
	sed -n '1s/[^0-9]//gp' "$(postconf -c "$1" -xh queue_directory)/pid/master.pid"
}

expect_output "-l -s: nothing runs yet" \
'NAME        GROUP EN STATE   PID M/I/A/D/H/C SYSLOG_NAME  CONFIG_DIRECTORY
-           -     y  stopped -   0/0/0/0/0/0 postfix      /etc/postfix
postfix-out mta   y  stopped -   0/0/0/0/0/0 postfix-out  /etc/postfix-out
postfix-msa msa   n  stopped -   0/0/0/0/0/0 postfix-msa  /etc/postfix-msa
-           mta   y  stopped -   0/0/0/0/0/0 postfix-null /etc/postfix-null' \
	postmulti -l -s

test_expect "setup: postfix start" postfix start

p0=$(pid_of /etc/postfix)
p1=$(pid_of /etc/postfix-out)
p3=$(pid_of /etc/postfix-null)
# The PID column is as wide as the longest pid (or its header).
w=3
for p in "$p0" "$p1" "$p3"; do [ ${#p} -le $w ] || w=${#p}; done
expect_output "-l -s: the enabled masters run, with the pids of their master.pid" \
"NAME        GROUP EN STATE   $(printf "%-${w}s" PID) M/I/A/D/H/C SYSLOG_NAME  CONFIG_DIRECTORY
-           -     y  running $(printf "%-${w}s" "$p0") 0/0/0/0/0/0 postfix      /etc/postfix
postfix-out mta   y  running $(printf "%-${w}s" "$p1") 0/0/0/0/0/0 postfix-out  /etc/postfix-out
postfix-msa msa   n  stopped $(printf "%-${w}s" -) 0/0/0/0/0/0 postfix-msa  /etc/postfix-msa
-           mta   y  running $(printf "%-${w}s" "$p3") 0/0/0/0/0/0 postfix-null /etc/postfix-null" \
	postmulti -l -s
expect_output "-l -s -H: the same without the header line" \
"-           -     y  running $(printf "%-${w}s" "$p0") 0/0/0/0/0/0 postfix      /etc/postfix
postfix-out mta   y  running $(printf "%-${w}s" "$p1") 0/0/0/0/0/0 postfix-out  /etc/postfix-out
postfix-msa msa   n  stopped $(printf "%-${w}s" -) 0/0/0/0/0/0 postfix-msa  /etc/postfix-msa
-           mta   y  running $(printf "%-${w}s" "$p3") 0/0/0/0/0/0 postfix-null /etc/postfix-null" \
	postmulti -l -s -H
expect_fail "-l -H: -H is for the -l -s columns" '^postmulti: fatal: -H can be used only with -l -s' \
	postmulti -l -H
expect_fail "-l -s -j -H: not with JSON" '^postmulti: fatal: -H can be used only with -l -s' \
	postmulti -l -s -j -H
expect_output "-l -s -g nosuch: no line at all, not even the header" '' \
	postmulti -l -s -g nosuch

expect_output "-l -s -j -i out: running, with its pid" \
"{\"name\": \"postfix-out\",\"group\": \"mta\",\"enabled\": \"y\",\"config_directory\": \"/etc/postfix-out\",\"master\": \"running\",\"pid\": $p1,\"queue_directory\": \"/var/spool/postfix-out\",\"data_directory\": \"/var/lib/postfix-out\",\"syslog_name\": \"postfix-out\",\"queues\": {\"maildrop\": 0,\"incoming\": 0,\"active\": 0,\"deferred\": 0,\"hold\": 0,\"corrupt\": 0}}" \
	postmulti -l -s -j -i out
expect_output "-l -s -j -i msa: stopped, pid null" \
'{"name": "postfix-msa","group": "msa","enabled": "n","config_directory": "/etc/postfix-msa","master": "stopped","pid": null,"queue_directory": "/var/spool/postfix-msa","data_directory": "/var/lib/postfix-msa","syslog_name": "postfix-msa","queues": {"maildrop": 0,"incoming": 0,"active": 0,"deferred": 0,"hold": 0,"corrupt": 0}}' \
	postmulti -l -s -j -i msa

test_expect "setup: postfix stop" postfix stop
test_expect "master.pid is left behind after a stop (what makes a stale pid file)" \
	test -s /var/spool/postfix-out/pid/master.pid
expect_output "-l -s -i out: a stale pid file is stopped" \
'NAME        GROUP EN STATE   PID M/I/A/D/H/C SYSLOG_NAME CONFIG_DIRECTORY
postfix-out mta   y  stopped -   0/0/0/0/0/0 postfix-out /etc/postfix-out' \
	postmulti -l -s -i out

sleep 300 &
other=$!
printf '%*d\n' 10 "$other" >/var/spool/postfix-out/pid/master.pid
expect_output "-l -s -i out: a pid file naming a live process that is no master is stopped" \
'NAME        GROUP EN STATE   PID M/I/A/D/H/C SYSLOG_NAME CONFIG_DIRECTORY
postfix-out mta   y  stopped -   0/0/0/0/0/0 postfix-out /etc/postfix-out' \
	postmulti -l -s -i out
kill "$other"

echo 'not a pid' >/var/spool/postfix-out/pid/master.pid
expect_warning "-l -s -i out: a pid file without a pid is unknown: warning, exit 1" \
	'/etc/postfix-out: .*master.pid: no process id' \
	'NAME        GROUP EN STATE   PID M/I/A/D/H/C SYSLOG_NAME CONFIG_DIRECTORY
postfix-out mta   y  unknown -   0/0/0/0/0/0 postfix-out /etc/postfix-out' \
	postmulti -l -s -i out
rm -f /var/spool/postfix-out/pid/master.pid

# Root reads anything; without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
# a mode 000 pid directory is unreadable, as it would be under a
# restrictive security module (and so are the queues, private to the
# mail_owner: see health.sh).
chmod 000 /var/spool/postfix-msa/pid
expect_warning "-l -s: an unreadable pid directory is unknown, the others are listed" \
	'/etc/postfix-msa: read /var/spool/postfix-msa/pid/master.pid: Permission denied' \
	'NAME        GROUP EN STATE   PID M/I/A/D/H/C SYSLOG_NAME  CONFIG_DIRECTORY
-           -     y  stopped -   unknown     postfix      /etc/postfix
postfix-out mta   y  stopped -   unknown     postfix-out  /etc/postfix-out
postfix-msa msa   n  unknown -   unknown     postfix-msa  /etc/postfix-msa
-           mta   y  stopped -   unknown     postfix-null /etc/postfix-null' \
	setpriv --bounding-set=-dac_override,-dac_read_search postmulti -l -s
chmod 700 /var/spool/postfix-msa/pid

done_testing
