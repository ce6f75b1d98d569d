#!/bin/bash
#
# One secondary is damaged; the iterator still serves the healthy ones.
# For each kind of damage, -l, -x and -p status cover every healthy
# instance, print a "postmulti: warning:" naming the damaged one's config
# directory, and exit 1.
#
# Run: tests/lib/sandbox [-b ./postmulti] tests/scenario/damaged.sh
#
# Ours only, by design: Debian's postmulti 3.7.11 stops with a fatal error
# (at the first postconf failure) before it lists or runs anything, so
# every check after the setup fails against it.

. "$SRCDIR/tests/lib/scenario.sh"

#	config directory   name         group  enabled
#	/etc/postfix       -            -      yes (primary)
#	/etc/postfix-out   postfix-out  mta    yes
#	/etc/postfix-msa   postfix-msa  msa    no
#	/etc/postfix-null  -            mta    yes (nameless)
test_expect "setup: a primary and three secondaries" example_instances
test_expect "setup: record every run of postfix" record_postfix_calls

# start_masters - start every instance by hand, so that "postfix status"
# succeeds for each healthy one
start_masters() {
	local dir
	for dir in /etc/postfix /etc/postfix-out /etc/postfix-msa /etc/postfix-null; do
		postfix -c "$dir" start || return
	done
}
test_expect "setup: every instance's master started" start_masters

# damage - register /etc/postfix-broken between postfix-out and
# postfix-msa, damaged the way its argument says
damage() {
	local dir=/etc/postfix-broken
	rm -rf "$dir" && mkdir "$dir" &&
	cp /etc/postfix/master.cf.proto "$dir/master.cf" &&
	case $1 in
	"no config directory")
		rm -rf "$dir" ;;
	"no main.cf")
		;;
	"a directory as main.cf")
		mkdir "$dir/main.cf" ;;
	"a line without =")
		printf '%s\n' \
			'queue_directory = /var/spool/postfix-broken' \
			'data_directory = /var/lib/postfix-broken' \
			'this line has no equals sign' >"$dir/main.cf" ;;
	"an expansion loop")
		printf '%s\n' \
			'queue_directory = $data_directory' \
			'data_directory = $queue_directory' >"$dir/main.cf" ;;
	"a malformed per-service setting")
		# master.cf.proto has "relay ... smtp": relay_* are built-in there
		printf '%s\n' \
			'queue_directory = /var/spool/postfix-broken' \
			'data_directory = /var/lib/postfix-broken' \
			'relay_destination_recipient_limit = ${x' >"$dir/main.cf" ;;
	"a malformed setting of a service master.cf lacks")
		# uucp taken out of this master.cf (the build host's has it)
		sed -i '/^uucp[[:space:]]/,/^[^[:space:]#]/{/^uucp[[:space:]]/d;/^[[:space:]]/d}' "$dir/master.cf" &&
		! grep -q '^uucp' "$dir/master.cf" &&
		printf '%s\n' \
			'queue_directory = /var/spool/postfix-broken' \
			'data_directory = /var/lib/postfix-broken' \
			'uucp_destination_recipient_limit = ${x' >"$dir/main.cf" ;;
	"an empty mynetworks_style" | "inet_protocols = ipv5" | \
	"compatibility_level = three" | "an inet_interfaces host that does not resolve")
		# mynetworks is not set, so postconf computes it when it starts
		case $1 in
		"an empty"*) set -- 'mynetworks_style =' ;;
		"an inet"*) set -- 'inet_interfaces = no-such-host.invalid' ;;
		esac
		printf '%s\n' \
			'queue_directory = /var/spool/postfix-broken' \
			'data_directory = /var/lib/postfix-broken' \
			"$1" >"$dir/main.cf" ;;
	"multi_instance_enable = maybe")
		printf '%s\n' \
			'queue_directory = /var/spool/postfix-broken' \
			'data_directory = /var/lib/postfix-broken' \
			'multi_instance_enable = maybe' >"$dir/main.cf" ;;
	*)
		echo "damage: $1: unknown" >&2
		return 1 ;;
	esac &&
	postconf -e "multi_instance_directories = /etc/postfix-out $dir /etc/postfix-msa /etc/postfix-null"
}

# expect_fail_plain COMMAND... - COMMAND fails
expect_fail_plain() { ! "$@"; }

# listed_healthy WHAT - postconf reads /etc/postfix-broken (the
# reference), and -l lists it as healthy, after postfix-out, no warning
listed_healthy() {
	test_expect "$1: postconf reads that instance (the reference)" \
		postconf -c /etc/postfix-broken -h queue_directory
	expect_output "$1: -l lists that instance as healthy, no warning" \
		"$(printf '%s\n' "$healthy_list" | sed '2a\
-               -               n         /etc/postfix-broken')" \
		postmulti -l
}

healthy_list='-               -               y         /etc/postfix
postfix-out     mta             y         /etc/postfix-out
postfix-msa     msa             n         /etc/postfix-msa
-               mta             y         /etc/postfix-null'
healthy_dirs='/etc/postfix
/etc/postfix-out
/etc/postfix-msa
/etc/postfix-null'
healthy_status='MAIL_CONFIG=/etc/postfix postfix -- status
MAIL_CONFIG=/etc/postfix-out postfix -- status
MAIL_CONFIG=/etc/postfix-msa postfix -- status
MAIL_CONFIG=/etc/postfix-null postfix -- status'

for broken in "no config directory" "no main.cf" "a directory as main.cf" \
	"a line without =" "an expansion loop" "multi_instance_enable = maybe" \
	"a malformed per-service setting" "an empty mynetworks_style" \
	"inet_protocols = ipv5" "compatibility_level = three" \
	"an inet_interfaces host that does not resolve"; do
	test_expect "setup: a secondary with $broken" \
		damage "$broken"

	expect_warning "$broken: -l lists the healthy instances" \
		'/etc/postfix-broken' "$healthy_list" \
		postmulti -l

	expect_warning "$broken: -x runs for the healthy instances" \
		'/etc/postfix-broken' "$healthy_dirs" \
		postmulti -x sh -c 'echo "$MAIL_CONFIG"'

	expect_warning "$broken: -p status runs for the healthy instances" \
		'/etc/postfix-broken' "$healthy_status" \
		postfix_calls postmulti -p status
done

# Without mynetworks in main.cf, postconf computes it when it starts (from
# mynetworks_style, whose default compares compatibility_level,
# inet_interfaces and inet_protocols), and refuses the whole file when
# that fails; so does postfix. Such an instance is damaged, not healthy.
for broken in "an empty mynetworks_style" "inet_protocols = ipv5" \
	"compatibility_level = three" "an inet_interfaces host that does not resolve"; do
	test_expect "setup: a secondary with $broken" \
		damage "$broken"
	test_expect "$broken: postconf refuses that instance (the reference)" \
		expect_fail_plain postconf -c /etc/postfix-broken -h queue_directory
	test_expect "$broken: postfix refuses to start it (the reference)" \
		expect_fail_plain postfix -c /etc/postfix-broken check
done
test_expect "setup: the same inet_protocols with mynetworks set" \
	damage "inet_protocols = ipv5"
test_expect "setup: ... mynetworks set" \
	postconf -c /etc/postfix-broken -e 'mynetworks = 127.0.0.0/8'
listed_healthy "inet_protocols = ipv5 with mynetworks set"

# The per-service names come from the instance's own master.cf, not the
# build host's: without a uucp service, uucp_destination_recipient_limit
# is a name of the user's, which postconf does not check, and the
# instance is healthy.
test_expect "setup: a secondary whose main.cf sets a per-service name for a service it lacks" \
	damage "a malformed setting of a service master.cf lacks"
listed_healthy "a per-service name for a service master.cf lacks"
test_expect "setup: the same setting for relay, which master.cf has" \
	damage "a malformed per-service setting"
test_expect "postconf refuses that instance (the reference)" \
	expect_fail_plain postconf -c /etc/postfix-broken -h queue_directory

done_testing
