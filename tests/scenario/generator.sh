#!/bin/bash
#
# Our systemd generator: postmulti run as postfix-instance-generator,
# the way systemd runs generators (three output directories, normal,
# early and late), on real instance sets made with "postmulti -e
# create": the primary always, each enabled named secondary as
# postfix@NAME.service in postfix.service.wants/ of the normal
# directory; disabled ones left out; nameless and damaged ones skipped
# with a message to the kernel log; comma and space separated lists; exit
# status 0. Where they should agree, its output is compared with that of
# Debian's /lib/systemd/system-generators/postfix-instance-generator.
# The kernel log here is a file bound over /dev/kmsg in the sandbox's
# private mount namespace.
#
# Run: tests/lib/sandbox -b ./postmulti tests/scenario/generator.sh
# (ours only: without -b there is no generator of ours to run).

. "$SRCDIR/tests/lib/scenario.sh"

debian=/lib/systemd/system-generators/postfix-instance-generator
# if_debian EXPECT_COMMAND NAME ... - a comparison with Debian's generator,
# where its postfix has one (Postfix 3.9 and later, Debian 13, have none)
if_debian() {
	if [ -x "$debian" ]; then
		"$@"
	else
		skip "$2" "Debian's postfix has no $debian"
	fi
}
template=/lib/systemd/system/postfix@.service
ours=$T/bin/postfix-instance-generator

[ -n "$POSTMULTI_BIN" ] || {
	echo "not ok - generator.sh needs our binary (tests/lib/sandbox -b)"
	exit 1
}
ln -sf "$POSTMULTI_BIN" "$ours"
: >"$T/kmsg"
mount --bind "$T/kmsg" /dev/kmsg || {
	echo "not ok - cannot bind a file over /dev/kmsg"
	exit 1
}

# generate GENERATOR - run it as systemd does, into three fresh
# directories; print each link it made (in any of them), with its target,
# then what it wrote to the kernel log, without the "<PRI>NAME[PID]: "
# prefix but with the priority
generate() {
	local d rc link
	d=$(mktemp -d "$T/gen.XXXXXX") || return
	mkdir "$d/normal" "$d/early" "$d/late"
	: >"$T/kmsg"
	"$1" "$d/normal" "$d/early" "$d/late"
	rc=$?
	(cd "$d" && find . -mindepth 1 -type l | LC_ALL=C sort) | while read -r link; do
		echo "${link#./} -> $(readlink "$d/$link")"
	done
	sed -E 's/^<([0-9]+)>postfix-instance-generator\[[0-9]+\]: /<\1> /' "$T/kmsg"
	return $rc
}

# generate_into DIR - run our generator with DIR as each of its three
# output directories
generate_into() {
	"$ours" "$1" "$1" "$1"
}

# enable_each NAME... - postmulti -i NAME -e enable, for each in turn,
# up to the first that fails
enable_each() {
	local name
	for name; do
		postmulti -i "$name" -e enable || return
	done
}

expect_output "single-instance mode: the primary alone" \
"normal/postfix.service.wants/postfix@-.service -> $template" \
	generate "$ours"
if [ -x "$debian" ]; then
	expect_output "... as Debian's generator makes it" "$(generate "$debian")" generate "$ours"
else
	skip "... as Debian's generator makes it" "Debian's postfix has no $debian"
fi

test_expect "setup: postmulti -e init" postmulti -e init
test_expect "setup: postmulti -e create -I postfix-a -G mta (enabled below)" \
	postmulti -e create -I postfix-a -G mta
test_expect "setup: postmulti -e create -I postfix-b -G mta (enabled below)" \
	postmulti -e create -I postfix-b -G mta
test_expect "setup: postmulti -i postfix-a -e enable; postmulti -i postfix-b -e enable" \
	enable_each postfix-a postfix-b

expect_output "two enabled named secondaries: three units" \
"normal/postfix.service.wants/postfix@-.service -> $template
normal/postfix.service.wants/postfix@postfix-a.service -> $template
normal/postfix.service.wants/postfix@postfix-b.service -> $template" \
	generate "$ours"
if [ -x "$debian" ]; then
	expect_output "... the same as Debian's generator" "$(generate "$debian")" generate "$ours"
else
	skip "... the same as Debian's generator" "Debian's postfix has no $debian"
fi

test_expect "setup: postmulti -e create -I postfix-off (disabled)" \
	postmulti -e create -I postfix-off -G msa
expect_output "a disabled instance gets no unit, quietly" \
"normal/postfix.service.wants/postfix@-.service -> $template
normal/postfix.service.wants/postfix@postfix-a.service -> $template
normal/postfix.service.wants/postfix@postfix-b.service -> $template" \
	generate "$ours"
if_debian expect_output "(Debian's generator links it: its unit would only run postfix check)" \
"normal/postfix.service.wants/postfix@-.service -> $template
normal/postfix.service.wants/postfix@postfix-a.service -> $template
normal/postfix.service.wants/postfix@postfix-b.service -> $template
normal/postfix.service.wants/postfix@postfix-off.service -> $template" \
	generate "$debian"

# nameless_enabled - /etc/postfix-anon created without a name, enabled
nameless_enabled() {
	postmulti -e create -G mta config_directory=/etc/postfix-anon \
		queue_directory=/var/spool/postfix-anon data_directory=/var/lib/postfix-anon &&
	enable_each /etc/postfix-anon
}
test_expect "setup: a nameless enabled instance, postmulti -e create -G mta config_directory=/etc/postfix-anon" \
	nameless_enabled
expect_output "a nameless instance is skipped, with a message to the kernel log" \
"normal/postfix.service.wants/postfix@-.service -> $template
normal/postfix.service.wants/postfix@postfix-a.service -> $template
normal/postfix.service.wants/postfix@postfix-b.service -> $template
<28> skipping /etc/postfix-anon: no multi_instance_name (its unit would be the template postfix@.service)" \
	generate "$ours"
if_debian expect_output "(Debian's generator makes the template itself a wanted unit, postfix@.service)" \
"normal/postfix.service.wants/postfix@-.service -> $template
normal/postfix.service.wants/postfix@.service -> $template
normal/postfix.service.wants/postfix@postfix-a.service -> $template
normal/postfix.service.wants/postfix@postfix-b.service -> $template
normal/postfix.service.wants/postfix@postfix-off.service -> $template" \
	generate "$debian"
test_expect "setup: the nameless instance deported" postmulti -i /etc/postfix-anon -e disable
test_expect "setup: ... and deported" postmulti -i /etc/postfix-anon -e deport

# A comma separated list, as Postfix reads it (and postmulti -e writes
# with spaces): Debian's generator splits at white space only.
list=$(postconf -h multi_instance_directories)
test_expect "setup: multi_instance_directories with commas" \
	postconf -e "multi_instance_directories = ${list// /,  }"
expect_output "a comma separated list: the same three units" \
"normal/postfix.service.wants/postfix@-.service -> $template
normal/postfix.service.wants/postfix@postfix-a.service -> $template
normal/postfix.service.wants/postfix@postfix-b.service -> $template" \
	generate "$ours"
if_debian expect_stdout "(Debian's: \"/etc/postfix-a,\" is a directory, postfix@.service, then ln fails on the next)" 1 \
"normal/postfix.service.wants/postfix@-.service -> $template
normal/postfix.service.wants/postfix@.service -> $template" \
	quiet generate "$debian"
test_expect "setup: the list with spaces again" postconf -e "multi_instance_directories = $list"

# Damage, of each kind the instance table knows, in instances that are
# otherwise enabled and named.
# create_enabled NAME - postmulti -e create -I NAME -G mta, then enabled
create_enabled() {
	postmulti -e create -I "$1" -G mta && enable_each "$1"
}
test_expect "setup: postmulti -e create -I postfix-c; enable" \
	create_enabled postfix-c
list=$(postconf -h multi_instance_directories)
snapshot_c=$T/postfix-c.main.cf
cp /etc/postfix-c/main.cf "$snapshot_c"
test_expect "setup: postfix-c's main.cf: a bad multi_instance_enable" \
	postconf -c /etc/postfix-c -e multi_instance_enable=maybe
test_expect "setup: postfix-b's main.cf removed" mv /etc/postfix-b/main.cf /etc/postfix-b/main.cf.gone
expect_output "damaged instances are skipped with a message each; exit 0" \
"normal/postfix.service.wants/postfix@-.service -> $template
normal/postfix.service.wants/postfix@postfix-a.service -> $template
<28> skipping /etc/postfix-b: read /etc/postfix-b/main.cf: No such file or directory
<28> skipping /etc/postfix-c: /etc/postfix-c/main.cf: bad multi_instance_enable value \"maybe\": expected yes or no" \
	generate "$ours"
test_expect "setup: postfix-b's main.cf back" mv /etc/postfix-b/main.cf.gone /etc/postfix-b/main.cf
# damaged_c NAME=VALUE... - postfix-c's main.cf as it was made, with the
# settings given
damaged_c() {
	cp "$snapshot_c" /etc/postfix-c/main.cf && postconf -c /etc/postfix-c -e "$@"
}
test_expect "setup: postfix-c's main.cf: an expression that does not expand" \
	damaged_c 'queue_directory = ${unbalanced'
expect_output "an expansion error is damage too" \
"normal/postfix.service.wants/postfix@-.service -> $template
normal/postfix.service.wants/postfix@postfix-a.service -> $template
normal/postfix.service.wants/postfix@postfix-b.service -> $template
<28> skipping /etc/postfix-c: $(postmulti -l -i /etc/postfix-c 2>&1 >/dev/null | sed -n 's/^postmulti: warning: skipping instance \/etc\/postfix-c: //p')" \
	generate "$ours"
# name_taken - postfix-c named as postfix-a; a relative path and two
# directories listed again, after the instances
name_taken() {
	damaged_c multi_instance_name=postfix-a &&
	postconf -e "multi_instance_directories = $list etc/postfix-x /etc/postfix-a/ /etc/postfix-c"
}
test_expect "setup: postfix-c's name taken from postfix-a, relative and repeated entries" \
	name_taken
expect_output "a name taken, a relative path and a directory listed twice: skipped" \
"normal/postfix.service.wants/postfix@-.service -> $template
normal/postfix.service.wants/postfix@postfix-a.service -> $template
normal/postfix.service.wants/postfix@postfix-b.service -> $template
<28> skipping /etc/postfix-c: multi_instance_name \"postfix-a\" is taken by another instance
<28> skipping \"etc/postfix-x\" in multi_instance_directories: not an absolute path
<28> skipping /etc/postfix-a/: listed twice in multi_instance_directories
<28> skipping /etc/postfix-c: listed twice in multi_instance_directories" \
	generate "$ours"
# name_with_space - the instances listed again as they were, postfix-c
# named "postfix c"
name_with_space() {
	postconf -e "multi_instance_directories = $list" &&
	postconf -c /etc/postfix-c -e 'multi_instance_name = postfix c'
}
test_expect "setup: postfix-c named \"postfix c\" (a space)" \
	name_with_space
expect_output "a name that cannot be part of a unit name: skipped" \
"normal/postfix.service.wants/postfix@-.service -> $template
normal/postfix.service.wants/postfix@postfix-a.service -> $template
normal/postfix.service.wants/postfix@postfix-b.service -> $template
<28> skipping /etc/postfix-c: multi_instance_name \"postfix c\" cannot name a systemd unit" \
	generate "$ours"
test_expect "setup: postfix-c sound again" cp "$snapshot_c" /etc/postfix-c/main.cf

# The primary's own main.cf: damaged, there is no list to read; the
# primary's unit is made all the same, as Debian's generator makes it.
cp /etc/postfix/main.cf "$T/primary.main.cf"
# line_without_equals - a line without "=" at the end of the primary's
# main.cf
line_without_equals() {
	echo "no equals sign here" >>/etc/postfix/main.cf
}
test_expect "setup: the primary's main.cf has a line without =" \
	line_without_equals
expect_output "a damaged primary main.cf: the primary's unit, a message, exit 0" \
"normal/postfix.service.wants/postfix@-.service -> $template
<27> no secondary instance: /etc/postfix/main.cf, line $(wc -l </etc/postfix/main.cf): missing '=' after parameter name: \"no equals sign here\"" \
	generate "$ours"
test_expect "setup: the primary's main.cf back" cp "$T/primary.main.cf" /etc/postfix/main.cf

expect_output "the units of a sound set, now four" \
"normal/postfix.service.wants/postfix@-.service -> $template
normal/postfix.service.wants/postfix@postfix-a.service -> $template
normal/postfix.service.wants/postfix@postfix-b.service -> $template
normal/postfix.service.wants/postfix@postfix-c.service -> $template" \
	generate "$ours"
d=$(mktemp -d "$T/twice.XXXXXX")
# generate_twice DIR - generate_into DIR twice
generate_twice() {
	generate_into "$1" && generate_into "$1"
}
test_expect "run twice into the same directory: exit 0 (the links are already right)" \
	generate_twice "$d"
# link_in_the_way DIR - in DIR, where generate_into made links, one of
# them removed and another replaced by a link to /dev/null: run again, it
# fails, and makes the one removed
link_in_the_way() {
	rm -f "$1/postfix.service.wants/postfix@postfix-b.service" &&
	ln -sfn /dev/null "$1/postfix.service.wants/postfix@postfix-a.service" &&
	! generate_into "$1" && test -L "$1/postfix.service.wants/postfix@postfix-b.service"
}
test_expect "a link in the way that is not ours: exit 1, the others made" \
	link_in_the_way "$d"
# fails - the command exits non-zero
fails() {
	! "$@"
}
test_expect "an output directory that cannot be written: exit 1" \
	fails generate_into /proc/1

# Without a writable /dev/kmsg, the messages go to stderr.
test_expect "setup: postfix-c nameless" postconf -c /etc/postfix-c -e multi_instance_name=
test_expect "setup: /dev/kmsg read-only" mount -o remount,bind,ro /dev/kmsg
d=$(mktemp -d "$T/nokmsg.XXXXXX")
expect_output "no kernel log: the message on stderr" \
'postfix-instance-generator: skipping /etc/postfix-c: no multi_instance_name (its unit would be the template postfix@.service)' \
	both generate_into "$d"

# The units it makes are those postmulti -i NAME -p start can start.
unit_instances() {
	generate "$ours" | sed -n 's/^normal\/postfix.service.wants\/postfix@\(.*\)\.service .*/\1/p'
}
start_units() {
	local i rc=0
	for i in $(unit_instances); do
		postmulti -i "$i" -p start 2>/dev/null || rc=1
	done
	return $rc
}
test_expect "every generated unit's ExecStart (postmulti -i NAME -p start) succeeds" start_units
expect_output "... and starts a master: every generated unit is a running instance" \
'/etc/postfix running
/etc/postfix-a running
/etc/postfix-b running
/etc/postfix-c stopped
/etc/postfix-off stopped' \
	masters /etc/postfix /etc/postfix-a /etc/postfix-b /etc/postfix-c /etc/postfix-off
# stop_each NAME... - postmulti -i NAME -p stop, for each in turn, up to
# the first that fails
stop_each() {
	local name
	for name; do
		postmulti -i "$name" -p stop || return
	done
}
test_expect "setup: the units stopped" \
	stop_each - postfix-a postfix-b

done_testing
