#!/bin/bash
#
# The lint, "postmulti -L" (ours only: Debian's postmulti has none). Real
# instances made with "postmulti -e create", each problem built the way an
# administrator would make it, and the exact report checked: one line per
# problem ("config_directory: severity: code: text"), or with -j one JSON
# object; exit 1 when there is any problem, 0 when there is none.
#
# Every listener check sets inet_interfaces and inet_protocols itself, so
# that nothing depends on this host's main.cf.
#
# Run: tests/lib/sandbox -b ./postmulti tests/scenario/lint.sh

. "$SRCDIR/tests/lib/scenario.sh"

# The stock relay line of Postfix before 3.10 logs as "postfix/relay" in
# every instance; 3.10's stock line uses the instance's own name.
OWN_TAG='${multi_instance_name?{$multi_instance_name}:{postfix}}/$service_name'

# set_master DIR LINE... - replace an instance's master.cf
set_master() {
	local dir=$1
	shift
	printf '%s\n' "$@" >"$dir/master.cf"
}

# inet_enabled DIR NAME=VALUE... - an instance's inet services no longer
# disabled, and the parameters given set in its main.cf
inet_enabled() {
	local dir=$1
	shift
	postconf -c "$dir" -X master_service_disable && postconf -c "$dir" -e "$@"
}

test_expect "setup: postmulti -e init" postmulti -e init
test_expect "setup: the primary listens on every IPv4 address" \
	postconf -e inet_interfaces=all inet_protocols=ipv4
test_expect "setup: postmulti -e create -I postfix-a" postmulti -e create -I postfix-a -G mta
test_expect "setup: postmulti -e create -I postfix-b" postmulti -e create -I postfix-b
# old_relay_tags DIR... - the relay line as Postfix before 3.10 writes it
# (whatever this Postfix's master.cf.proto has)
old_relay_tags() {
	local dir
	for dir; do
		postconf -c "$dir" -P 'relay/unix/syslog_name=postfix/$service_name' || return
	done
}
test_expect "setup: relay lines of postfix-a and postfix-b as Postfix 3.9 and earlier write them" \
	old_relay_tags /etc/postfix-a /etc/postfix-b

expect_stdout "-L: the primary is not running; the stock relay line tags secondaries as the primary" 1 \
'/etc/postfix: error: not-running: enabled, but its master process is not running; fix: postfix -c /etc/postfix start
/etc/postfix-a: warning: service-log-tag: service relay/unix logs under "postfix", the syslog_name of /etc/postfix (-o syslog_name=postfix/$service_name); fix: postconf -c /etc/postfix-a -P '\''relay/unix/syslog_name=postfix-a/$service_name'\''
/etc/postfix-b: warning: service-log-tag: service relay/unix logs under "postfix", the syslog_name of /etc/postfix (-o syslog_name=postfix/$service_name); fix: postconf -c /etc/postfix-b -P '\''relay/unix/syslog_name=postfix-b/$service_name'\''' \
	postmulti -L

# own_relay_tags - the relay service of postfix-a and postfix-b logs
# under the instance's own name
own_relay_tags() {
	postconf -c /etc/postfix-a -P "relay/unix/syslog_name=$OWN_TAG" &&
	postconf -c /etc/postfix-b -P "relay/unix/syslog_name=$OWN_TAG"
}
test_expect "setup: relay lines as Postfix 3.10 writes them" \
	own_relay_tags
test_expect "setup: postfix start" postfix start

expect_output "-L: a clean setup (init, create, the primary running) reports nothing" "" \
	postmulti -L
expect_output "-L -j: nothing either" "" postmulti -L -j

# Listeners. postfix-a is disabled; its inet services were disabled by
# create. Without master_service_disable its smtp clashes, as a warning.
test_expect "setup: postfix-a without master_service_disable, on all IPv4 addresses" \
	inet_enabled /etc/postfix-a inet_interfaces=all inet_protocols=ipv4
expect_stdout "-L: a clash with a disabled instance is a warning" 2 \
'/etc/postfix-a: warning: listener-clash-disabled: service smtp/inet binds 0.0.0.0:25, as service smtp/inet of /etc/postfix does (this instance is disabled)' \
	postmulti -L
test_expect "setup: postmulti -e enable -i postfix-a" postmulti -e enable -i postfix-a
expect_stdout "-L: enabled, the clash is an error (and postfix-a does not run)" 1 \
'/etc/postfix-a: error: listener-clash: service smtp/inet binds 0.0.0.0:25, as service smtp/inet of /etc/postfix does
/etc/postfix-a: error: not-running: enabled, but its master process is not running; fix: postfix -c /etc/postfix-a start' \
	postmulti -L
expect_stdout "-L -j: the same as JSON objects" 1 \
'{"code": "listener-clash","severity": "error","name": "postfix-a","config_directory": "/etc/postfix-a","text": "service smtp/inet binds 0.0.0.0:25, as service smtp/inet of /etc/postfix does"}
{"code": "not-running","severity": "error","name": "postfix-a","config_directory": "/etc/postfix-a","text": "enabled, but its master process is not running; fix: postfix -c /etc/postfix-a start"}' \
	postmulti -L -j

test_expect "setup: master_service_disable = smtp/inet in postfix-a" \
	postconf -c /etc/postfix-a -e master_service_disable=smtp/inet
expect_stdout "-L: a service that master_service_disable turns off binds nothing" 1 \
'/etc/postfix-a: error: not-running: enabled, but its master process is not running; fix: postfix -c /etc/postfix-a start' \
	postmulti -L

# How master(8) reads master_service_disable: "name/type", a type alone,
# the older "name.type" (a pattern without "/": its last "." is the "/"),
# "!" to except; case does not matter, and the first pattern that matches
# decides. Each case: what -L says of postfix-a's smtp (postfix-a enabled
# and stopped, the primary listening on 0.0.0.0:25), then what postfix-a's
# own master binds when started, so that each expectation is also checked
# against the real Postfix (which sets SO_REUSEPORT: two masters on one
# port both start, and share its connections). postfix-a is enabled and
# stopped, which -L reports last ($NR).
NR='/etc/postfix-a: error: not-running: enabled, but its master process is not running; fix: postfix -c /etc/postfix-a start'
CLASH_A='/etc/postfix-a: error: listener-clash: service smtp/inet binds 0.0.0.0:25, as service smtp/inet of /etc/postfix does'

# a_binds_25 - start postfix-a, print how many sockets its master listens
# on at port 25, stop it
a_binds_25() {
	local pid n
	# (Postfix 3.8 and later report start and stop on stderr too)
	postmulti -i postfix-a -p start >/dev/null 2>&1 || return
	pid=$(sed -n '1s/[^0-9]//gp' /var/spool/postfix-a/pid/master.pid)
	n=$(ss -Hltnp 'sport = :25' | grep -c "pid=$pid,")
	postmulti -i postfix-a -p stop >/dev/null 2>&1 || return
	echo "$n"
}

# disable_case VALUE clash|off WHAT - postfix-a with master_service_disable =
# VALUE: its smtp clashes with the primary's, or is off
disable_case() {
	local value=$1 verdict=$2 what=$3 expected=$NR binds=0
	if [ "$verdict" = clash ]; then
		expected="$CLASH_A
$NR"
		binds=1
	fi
	test_expect "setup: master_service_disable = $value in postfix-a" \
		postconf -c /etc/postfix-a -e "master_service_disable=$value"
	expect_stdout "-L: master_service_disable = $value: $what" 1 "$expected" postmulti -L
	expect_output "master_service_disable = $value: postfix-a's master binds port 25 $binds time(s)" \
		"$binds" a_binds_25
}

disable_case 'smtp/inet' off "name/type turns smtp off"
disable_case 'smtp.inet' off "the older name.type turns smtp off too"
disable_case 'SMTP.Inet' off "in any case"
disable_case 'submission/inet, smtp.inet' off "both forms in one list"
disable_case '!smtp.inet, inet' clash "\"!\" excepts smtp from the inet services turned off"
disable_case '!!smtp/inet' off "two \"!\" cancel"
disable_case 'smtp.inet.' clash "the last \".\" is the separator: smtp.inet/ matches nothing"
disable_case 'smtp.x/inet' clash "with a \"/\", a \".\" is part of the name"
disable_case '.inet' clash "an empty name matches nothing"

test_expect "setup: postfix-a: master_service_disable removed again" \
	postconf -c /etc/postfix-a -X master_service_disable

# listener_case NAME EXPECTED MASTER.CF-LINE... - postfix-a's services; it
# is enabled and stopped, which the last line reports ($NR)
listener_case() {
	local name=$1 expected=$2
	shift 2
	set_master /etc/postfix-a "$@"
	expect_stdout "-L: $name" 1 "$expected" postmulti -L
}

listener_case "host:port against the primary's wildcard" \
"/etc/postfix-a: error: listener-clash: service 127.0.0.1:25/inet binds 127.0.0.1:25, as service smtp/inet of /etc/postfix does
$NR" \
	'127.0.0.1:25 inet n - y - - smtpd'
listener_case "a service name from /etc/services" \
"/etc/postfix-a: error: listener-clash: service 127.0.0.2:smtp/inet binds 127.0.0.2:25, as service smtp/inet of /etc/postfix does
$NR" \
	'127.0.0.2:smtp inet n - y - - smtpd'
listener_case "another port is no clash" "$NR" \
	'127.0.0.1:2525 inet n - y - - smtpd'
listener_case "two services of one instance on one port" \
"/etc/postfix-a: error: listener-clash: services 2525/inet and 127.0.0.1:2525/inet both bind 127.0.0.1:2525
$NR" \
	'2525 inet n - y - - smtpd' '127.0.0.1:2525 inet n - y - - smtpd'
test_expect "setup: postmulti -e disable -i postfix-a" postmulti -e disable -i postfix-a
expect_stdout "-L: the same in a disabled instance is a warning" 2 \
'/etc/postfix-a: warning: listener-clash-disabled: services 2525/inet and 127.0.0.1:2525/inet both bind 127.0.0.1:2525 (this instance is disabled)' \
	postmulti -L
test_expect "setup: postmulti -e enable -i postfix-a" postmulti -e enable -i postfix-a
listener_case "an unknown port" \
"/etc/postfix-a: warning: listener-unresolved: service nosuchport/inet: unknown port \"nosuchport\"
$NR" \
	'nosuchport inet n - y - - smtpd'
listener_case "[::1]:port: IPv6, which postfix-a does not use" "$NR" \
	'[::1]:25 inet n - y - - smtpd'
test_expect "setup: postfix-a uses IPv4 and IPv6" postconf -c /etc/postfix-a -e inet_protocols=all
listener_case "IPv6 does not clash with the primary's IPv4 wildcard" "$NR" \
	'[::1]:25 inet n - y - - smtpd'
listener_case "a port alone binds the IPv4 and the IPv6 wildcard: only IPv4 clashes" \
"/etc/postfix-a: error: listener-clash: service smtp/inet binds 0.0.0.0:25, as service smtp/inet of /etc/postfix does
$NR" \
	'smtp inet n - y - - smtpd'
test_expect "setup: postfix-b: IPv6 only, on ::1, its inet services enabled" \
	inet_enabled /etc/postfix-b inet_protocols=ipv6 'inet_interfaces=[::1]'
expect_stdout "-L: [::1]:25 of postfix-b against postfix-a's IPv6 wildcard (b disabled: a warning)" 1 \
"/etc/postfix-a: error: listener-clash: service smtp/inet binds 0.0.0.0:25, as service smtp/inet of /etc/postfix does
$NR
/etc/postfix-b: warning: listener-clash-disabled: service smtp/inet binds [::1]:25, as service smtp/inet of /etc/postfix-a does (this instance is disabled)" \
	postmulti -L
# ipv4_listeners - postfix-b on two IPv4 addresses, postfix-a on IPv4
ipv4_listeners() {
	postconf -c /etc/postfix-b -e inet_protocols=ipv4 'inet_interfaces=127.0.0.3, 127.0.0.4' &&
	postconf -c /etc/postfix-a -e inet_protocols=ipv4
}
test_expect "setup: postfix-b on IPv4 127.0.0.3 and 127.0.0.4, with submission; postfix-a IPv4" \
	ipv4_listeners
set_master /etc/postfix-b 'submission inet n - y - - smtpd'
listener_case "host:port against an address of inet_interfaces (a port number against a service name)" \
"$NR
/etc/postfix-b: warning: listener-clash-disabled: service submission/inet binds 127.0.0.4:587, as service 127.0.0.4:587/inet of /etc/postfix-a does (this instance is disabled)" \
	'127.0.0.4:587 inet n - y - - smtpd'
listener_case "an address that inet_interfaces does not list" "$NR" \
	'127.0.0.5:587 inet n - y - - smtpd'

# distinct_listeners - postfix-a on 127.0.0.1:2525 only, postfix-b's
# inet services disabled
distinct_listeners() {
	set_master /etc/postfix-a '127.0.0.1:2525 inet n - y - - smtpd' &&
	postconf -c /etc/postfix-b -e master_service_disable=inet
}
test_expect "setup: postfix-a on 127.0.0.1:2525 only; postfix-b's inet services off again" \
	distinct_listeners
test_expect "setup: postmulti -i postfix-a -p start" postmulti -i postfix-a -p start
expect_output "-L: two running instances on distinct listeners report nothing" "" postmulti -L

# State.
test_expect "setup: postmulti -e disable -i postfix-a (it keeps running)" \
	postmulti -e disable -i postfix-a
pid_a=$(sed -n '1s/[^0-9]//gp' /var/spool/postfix-a/pid/master.pid)
expect_stdout "-L: a disabled instance that runs" 1 \
"/etc/postfix-a: error: disabled-running: disabled, but its master process runs (pid $pid_a): \"postfix stop\" will not stop it; fix: postfix -c /etc/postfix-a stop" \
	postmulti -L
test_expect "setup: postmulti -e enable -i postfix-a" postmulti -e enable -i postfix-a
mkdir /var/spool/postfix-b/pid/master.pid
expect_stdout "-L: a master.pid that cannot be read" 2 \
'/etc/postfix-b: warning: state-unknown: read /var/spool/postfix-b/pid/master.pid: Is a directory' \
	postmulti -L
rmdir /var/spool/postfix-b/pid/master.pid

# Logs.
test_expect "setup: postfix-b logs as postfix-a" postconf -c /etc/postfix-b -e syslog_name=postfix-a
expect_stdout "-L: two instances with one syslog_name" 2 \
'/etc/postfix-b: warning: syslog-name-shared: syslog_name "postfix-a" is also that of /etc/postfix-a; fix: postconf -c /etc/postfix-b -e '\''syslog_name = ${multi_instance_name}'\''' \
	postmulti -L
test_expect "setup: postfix-b logs as itself again" postconf -c /etc/postfix-b -X syslog_name

# Names and registration.
test_expect "setup: a nameless secondary, /etc/postfix-c" \
	postmulti -e create config_directory=/etc/postfix-c queue_directory=/var/spool/postfix-c \
	data_directory=/var/lib/postfix-c
expect_stdout "-L: a nameless secondary keeps the primary's syslog_name" 2 \
'/etc/postfix-c: warning: syslog-name-shared: syslog_name "postfix" is also that of /etc/postfix; fix: name the instance (postmulti -i /etc/postfix-c -e assign -I postfix-NAME) or set its syslog_name
/etc/postfix-c: warning: nameless: secondary instance without a multi_instance_name; fix: postmulti -i /etc/postfix-c -e assign -I postfix-NAME' \
	postmulti -L
test_expect "setup: postmulti -e assign -i /etc/postfix-c -I postfix-c" \
	postmulti -e assign -i /etc/postfix-c -I postfix-c
test_expect "setup: postfix-c's relay line as Postfix 3.9 and earlier write it" \
	old_relay_tags /etc/postfix-c
expect_stdout "-L: named, its stock relay line still logs as the primary" 2 \
'/etc/postfix-c: warning: service-log-tag: service relay/unix logs under "postfix", the syslog_name of /etc/postfix (-o syslog_name=postfix/$service_name); fix: postconf -c /etc/postfix-c -P '\''relay/unix/syslog_name=postfix-c/$service_name'\''' \
	postmulti -L
expect_stdout "-L -X service-log-tag: that code left out, nothing else: exit 0" 0 '' \
	postmulti -L -X service-log-tag
expect_stdout "-L -X nameless,not-running -X service-log-tag: codes in a list, repeated" 0 '' \
	postmulti -L -X nameless,not-running -X service-log-tag
expect_stdout "-L -X nameless: another code left out does not hide this one" 2 \
'/etc/postfix-c: warning: service-log-tag: service relay/unix logs under "postfix", the syslog_name of /etc/postfix (-o syslog_name=postfix/$service_name); fix: postconf -c /etc/postfix-c -P '\''relay/unix/syslog_name=postfix-c/$service_name'\''' \
	postmulti -L -X nameless
expect_fail "-L -X nosuch: an unknown code is refused" \
	'^postmulti: fatal: -X: unknown lint code "nosuch"; see man postmulti$' \
	postmulti -L -X nosuch
expect_fail "-l -X nameless: -X is for -L" '^postmulti: fatal: -X can be used only with -L$' \
	postmulti -l -X nameless
# run_the_fix - run the command that -L's message gives as the fix
run_the_fix() {
	local fix
	fix=$(postmulti -L | sed -n 's/^.*; fix: //p')
	[ -n "$fix" ] && sh -c "$fix"
}
test_expect "setup: run the fix that the message gives" run_the_fix
expect_output "-L: clean after the fix, exit 0" "" postmulti -L
test_expect "setup: postfix-c's relay line as Postfix 3.10 writes it" \
	postconf -c /etc/postfix-c -P "relay/unix/syslog_name=$OWN_TAG"
expect_output "-L: clean again" "" postmulti -L

cp /etc/postfix/main.cf "$T/primary.cf"
test_expect "setup: postfix-b also in alternate_config_directories" \
	postconf -e alternate_config_directories=/etc/postfix-b
expect_stdout "-L: a directory in both lists" 2 \
'/etc/postfix-b: warning: alternate-and-multi: /etc/postfix-b is listed in both multi_instance_directories and alternate_config_directories; fix: remove it from the primary'\''s alternate_config_directories' \
	postmulti -L
cp "$T/primary.cf" /etc/postfix/main.cf

# register_gone - /etc/postfix-gone registered, last
register_gone() {
	postconf -e "multi_instance_directories = $(postconf -h multi_instance_directories) /etc/postfix-gone"
}
test_expect "setup: a registered /etc/postfix-gone that does not exist" \
	register_gone
expect_stdout "-L: a registered instance without its directory" 1 \
'/etc/postfix-gone: error: missing-directory: config_directory /etc/postfix-gone: does not exist' \
	postmulti -L
cp "$T/primary.cf" /etc/postfix/main.cf

mv /var/spool/postfix-b /var/spool/postfix-b.away
expect_stdout "-L: an instance without its queue directory" 1 \
'/etc/postfix-b: error: missing-directory: queue_directory /var/spool/postfix-b: does not exist' \
	postmulti -L
mv /var/spool/postfix-b.away /var/spool/postfix-b

cp /etc/postfix-b/main.cf "$T/b.cf"
cp /etc/postfix-b/master.cf "$T/b-master.cf"
meta=$(postconf -xh meta_directory)
test_expect "setup: postfix-b with its own meta_directory" \
	postconf -c /etc/postfix-b -e meta_directory=/etc/postfix-b
expect_stdout "-L: a shared directory that differs from the primary's" 1 \
"/etc/postfix-b: error: shared-directory-differs: meta_directory /etc/postfix-b differs from the primary instance's $meta" \
	postmulti -L
cp "$T/b.cf" /etc/postfix-b/main.cf

# Damage: reported, and the instances after it are still checked.
echo 'this is no definition' >>/etc/postfix-b/main.cf
bad_line=$(wc -l </etc/postfix-b/main.cf)
test_expect "setup: postfix-c logs as postfix-a" postconf -c /etc/postfix-c -e syslog_name=postfix-a
expect_stdout "-L: a damaged main.cf, and the next instance still checked" 1 \
"/etc/postfix-b: error: main-cf-damaged: /etc/postfix-b/main.cf, line $bad_line: missing '=' after parameter name: \"this is no definition\"
/etc/postfix-c: warning: syslog-name-shared: syslog_name \"postfix-a\" is also that of /etc/postfix-a; fix: postconf -c /etc/postfix-c -e 'syslog_name = \${multi_instance_name}'" \
	postmulti -L
test_expect "setup: postfix-c logs as itself" postconf -c /etc/postfix-c -X syslog_name
cp "$T/b.cf" /etc/postfix-b/main.cf

set_master /etc/postfix-b 'smtp inet n - y - - smtpd' 'x bogus - - - - - cmd'
expect_stdout "-L: a damaged master.cf" 1 \
'/etc/postfix-b: error: master-cf-damaged: /etc/postfix-b/master.cf, line 2: invalid type field "bogus"' \
	postmulti -L
set_master /etc/postfix-b 'relay unix - - y - - smtp -o { smtp_helo_timeout = 5'
expect_stdout "-L: what postconf only warns about in master.cf" 2 \
"/etc/postfix-b: warning: master-cf-warning: /etc/postfix-b/master.cf, line 1: missing '}': \"{ smtp_helo_timeout = 5\"" \
	postmulti -L
cp "$T/b-master.cf" /etc/postfix-b/master.cf
expect_output "-L: clean at the end" "" postmulti -L

# The command line.
expect_fail "-L -i: the lint checks every instance" \
	'^postmulti: fatal: -L checks every instance: no -a, -g, -i, -R or command$' postmulti -L -i postfix-a
expect_fail "-L -s: -s is for -l" '^postmulti: fatal: -s can be used only with -l$' postmulti -L -s
expect_fail "-L -l: one mode" '^postmulti: fatal: specify exactly one of -e, -k, -L, -l, -m, -p, -Q, -x$' postmulti -L -l

done_testing
