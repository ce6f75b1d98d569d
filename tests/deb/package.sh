#!/bin/bash
#
# The Debian package postmulti-ng, installed over Debian's postfix the way
# an administrator would: dpkg -i diverts Postfix's postmulti, manual page
# and systemd generator, "postfix start" then runs ours, dpkg -r gives
# Postfix its own back.
#
# Run: tests/lib/sandbox tests/deb/package.sh build/deb/postmulti-ng_VERSION_ARCH.deb
# (without -b: /usr/sbin/postmulti starts as Debian's).

. "$SRCDIR/tests/lib/scenario.sh"
deb=$1

# dpkg writes under /usr and /var/log, and triggers write /var/cache: keep
# those in the sandbox too (/etc, /var/lib and /var/spool already are).
for d in usr var/log var/cache; do
	mkdir -p "$T/$d/u" "$T/$d/w" &&
	mount -t overlay overlay -o "lowerdir=/$d,upperdir=$T/$d/u,workdir=$T/$d/w" "/$d" || {
		echo "not ok - overlay on /$d"
		exit 1
	}
done
# No service is started by a maintainer script, and man-db's index stays.
printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
rm -f /var/lib/man-db/auto-update

# debian_sum FILE - the md5sum that Debian's postfix package lists for FILE
debian_sum() {
	awk -v f="${1#/}" '$2 == f { print $1 }' /var/lib/dpkg/info/postfix.md5sums
}
# is_debians FILE [AS] - FILE has the content of Debian's file AS
is_debians() {
	local want
	want=$(debian_sum "${2:-$1}")
	[ -n "$want" ] && [ "$(md5sum <"$1" | cut -d ' ' -f 1)" = "$want" ]
}
# diversions - what dpkg diverts for postmulti
diversions() {
	dpkg-divert --list '*postmulti*' | LC_ALL=C sort
}
# our_diversions - what diversions must print while the package is installed
our_diversions() {
	[ -z "$generator" ] || echo "diversion of $generator to $generator_aside by postmulti-ng"
	echo "diversion of $bin to $bin.postfix by postmulti-ng"
	echo "diversion of $man to /usr/share/man/man1/postmulti.postfix.1.gz by postmulti-ng"
}

bin=/usr/sbin/postmulti
# Debian's systemd generator for the instances, where its postfix has one
# (Debian 12: /lib/systemd/system-generators/...; Debian 13 has none: its
# instances are postfix@NAME.service units enabled by hand, and the package
# neither ships nor diverts a generator)
generator=$(dpkg-query -L postfix | grep -m 1 '/system-generators/postfix-instance-generator$')
generator_aside=/usr/lib/postfix/postfix-instance-generator.postfix
man=/usr/share/man/man1/postmulti.1.gz
completion=/usr/share/bash-completion/completions/postmulti

test_expect "before: $bin is Debian's" is_debians $bin
expect_output "before: dpkg -S $bin" "postfix: $bin" dpkg -S $bin
expect_output "before: nothing is diverted" "" diversions

test_expect "dpkg -i postmulti-ng" dpkg -i "$deb"
expect_output "dpkg -s postmulti-ng: installed" "install ok installed" \
	dpkg-query -W -f '${Status}\n' postmulti-ng
expect_output "the binary, the manual page and the systemd generator are diverted" \
"$(our_diversions)" \
	diversions
test_expect "Debian's postmulti is at $bin.postfix" is_debians $bin.postfix $bin
test_expect "Debian's manual page is at postmulti.postfix.1.gz" \
	is_debians /usr/share/man/man1/postmulti.postfix.1.gz $man
expect_output "$bin is ours: -l -j works" \
'{"name": "-","group": "-","enabled": "y","config_directory": "/etc/postfix"}' \
	$bin -l -j
test_expect "the manual page is ours" sh -c "zcat $man | grep -q 'DIFFERENCES FROM POSTFIX'"
test_expect "the bash completion is installed" test -s $completion
# The metrics units are installed, not enabled: no link to them in /etc.
units_enabled() {
	find /etc/systemd/system -name 'postmulti-metrics.*' 2>/dev/null
}
test_expect "postmulti-metrics.timer is installed" sh -c "dpkg-query -L postmulti-ng | grep -q '/systemd/system/postmulti-metrics.timer\$'"
expect_output "postmulti-metrics.timer and .service are not enabled" "" units_enabled
if [ -n "$generator" ]; then
	expect_output "Debian's systemd generator is diverted out of system-generators" \
		"diversion of $generator to $generator_aside by postmulti-ng" \
		dpkg-divert --list "$generator"
	test_expect "Debian's generator is at $generator_aside" is_debians $generator_aside $generator
	expect_output "$generator is ours (postmulti under that name)" "$bin" readlink $generator
	test_expect "system-generators has no other postfix generator" \
		test "$(ls "${generator%/*}" | grep -c postfix)" -eq 1
else
	expect_output "Debian's postfix has no systemd generator: the package ships none" "" \
		sh -c "dpkg-query -L postmulti-ng | grep generator || :"
fi
expect_output "dpkg -S $bin: diverted by postmulti-ng" \
"diversion by postmulti-ng from: $bin
diversion by postmulti-ng to: $bin.postfix" \
	sh -c "dpkg -S $bin | grep ^diversion"
expect_output "Debian's postmulti still runs as $bin.postfix" \
'-               -               y         /etc/postfix' \
	$bin.postfix -l

# What an administrator does next, all through the installed package.
test_expect "postmulti -e init" postmulti -e init
expect_output "the wrapper names \${command_directory}/postmulti" \
	'${command_directory}/postmulti -p --' postconf -h multi_instance_wrapper
test_expect "postmulti -e create -I postfix-pkg -G mta" postmulti -e create -I postfix-pkg -G mta
test_expect "postmulti -i postfix-pkg -e enable" postmulti -i postfix-pkg -e enable
expect_output "postmulti -l" \
'-               -               y         /etc/postfix
postfix-pkg     mta             y         /etc/postfix-pkg' \
	postmulti -l
gen_units() {
	local d
	d=$(mktemp -d "$T/gen.XXXXXX") && $generator "$d" "$d" "$d" && ls "$d/postfix.service.wants"
}
if [ -n "$generator" ]; then
	expect_output "the generator (ours) makes the units of the enabled instances" \
'postfix@-.service
postfix@postfix-pkg.service' \
		gen_units
fi
test_expect "postfix start (through the wrapper, i.e. our postmulti -p)" postfix start
expect_output "both masters run" \
'/etc/postfix running
/etc/postfix-pkg running' \
	masters /etc/postfix /etc/postfix-pkg
test_expect "postfix stop" postfix stop
expect_output "both masters stopped" \
'/etc/postfix stopped
/etc/postfix-pkg stopped' \
	masters /etc/postfix /etc/postfix-pkg

test_expect "dpkg -i again (an upgrade in place)" dpkg -i "$deb"
expect_output "still three diversions" \
"$(our_diversions)" \
	diversions
test_expect "$bin is still ours" sh -c "$bin -l -j >/dev/null"

# A Postfix update while the package is installed lands beside ours.
postfix_deb=$(ls /var/cache/apt/archives/postfix_"$(dpkg-query -W -f '${Version}' postfix | sed 's/:/%3a/')"_*.deb 2>/dev/null | head -n 1)
if [ -n "$postfix_deb" ]; then
	test_expect "dpkg -i postfix (reinstalled while diverted)" dpkg -i "$postfix_deb"
	test_expect "after it, $bin is still ours" sh -c "$bin -l -j >/dev/null"
	test_expect "and Postfix's new postmulti went to $bin.postfix" is_debians $bin.postfix $bin
else
	echo "ok - dpkg -i postfix while diverted # SKIP no postfix .deb in /var/cache/apt/archives"
fi

test_expect "dpkg -r postmulti-ng" dpkg -r postmulti-ng
expect_output "nothing is diverted any more" "" diversions
test_expect "$bin is Debian's again" is_debians $bin
test_expect "so is the manual page" is_debians $man
expect_output "dpkg -S $bin" "postfix: $bin" dpkg -S $bin
test_expect "no $bin.postfix is left" test ! -e $bin.postfix
test_expect "the bash completion is gone" test ! -e $completion
test_expect "the metrics units are gone" sh -c "! ls /lib/systemd/system/postmulti-metrics.* /usr/lib/systemd/system/postmulti-metrics.* 2>/dev/null"
if [ -n "$generator" ]; then
	expect_output "the generator is no longer diverted" "" dpkg-divert --list "$generator"
	test_expect "Debian's generator is back in its place" is_debians $generator
fi
test_expect "no $generator_aside is left" test ! -e $generator_aside
# The configuration our postmulti made serves Debian's as well.
expect_output "Debian's postmulti -l reads the instances" \
'-               -               y         /etc/postfix
postfix-pkg     mta             y         /etc/postfix-pkg' \
	postmulti -l
test_expect "postfix start, now through Debian's postmulti" postfix start
expect_output "both masters run" \
'/etc/postfix running
/etc/postfix-pkg running' \
	masters /etc/postfix /etc/postfix-pkg
test_expect "postfix stop" postfix stop
test_expect "dpkg -P postmulti-ng" dpkg -P postmulti-ng
test_expect "dpkg knows postmulti-ng no more" test ! -e /var/lib/dpkg/info/postmulti-ng.list

done_testing
