#!/bin/bash
#
# Hostile input: damaged, huge or malicious main.cf files, instance lists,
# command-line arguments and environments. A refused case exits 1 with one
# clear "postmulti: fatal:" line; a damaged secondary in iterator mode gets
# a "postmulti: warning:" naming it, the healthy instances are still
# listed, and the exit status is 1. No case changes a file: each is
# checked against a snapshot taken just before it.
#
# Run: tests/lib/sandbox -b build/asan/postmulti tests/scenario/hostile.sh
#
# Ours and upstream (Debian's postmulti 3.7.11), case by case:
# - A damaged secondary: upstream stops with a fatal error before it lists
#   anything (see damaged.sh); the warning and the listing are ours.
# - Expansion: nesting deeper than 100 levels is an error in both (Postfix
#   says "unreasonable macro call nesting"). A reference explosion (each
#   level referring to the next twice) makes upstream's postconf run for
#   ever (its postmulti -l times out here); postmulti must refuse it.
# - A NUL byte: Postfix reads each line up to its first NUL and carries
#   on; we refuse the file (maincf.c explains why).
# - A FIFO or /dev/zero as main.cf: upstream's postmulti hangs (timeout
#   here); we refuse what is not a regular file. A 100 MB file is fatal in
#   both; we stop reading at 64 MB.
# - multi_instance_directories: upstream reads a relative entry relative
#   to the current directory (so it works or fails by accident), and lists
#   the primary twice when "/etc/postfix" itself is listed; it refuses the
#   other duplicates, as we do. A listed directory that does not exist, or
#   a file, is fatal there; here it is one damaged instance.
# - -I and -G: what upstream accepts, checked character by character in
#   the sandbox: letters, digits and !@%-_=+:. in names, and "/" too in
#   groups; any length (a 10,000-character group is written to main.cf; a
#   name that long fails in mkdir, before anything changes here), and
#   "-I postfix-" (it creates /etc/postfix-). "postfix-.." and the group
#   ".." are accepted by both:
#   a name becomes a path component only as a whole ("/etc/postfix-.."),
#   a group never. Upstream, a refused name leaves no message when stderr
#   is not a terminal.
# - param=value: upstream takes any absolute path; we refuse "//", "."
#   and ".." (a spelling that could hide a collision), white space, ","
#   and "$" (they would not survive a trip through main.cf), and a
#   directory that is, through a symbolic link, another instance's.
# - Environment: MAIL_CONFIG other than the default directory is fatal in
#   both; upstream compares strings, so "/etc/postfix/" and "/etc//postfix"
#   are fatal there, and accepted here. Life-cycle mode runs "$command_directory/postfix" by its full
#   path, with only what import_environment names in its environment, as
#   upstream's postmulti-script does; -p runs it by its full path with the
#   caller's environment, as upstream does (postfix(1) then cleans it);
#   -x gets the caller's environment, PATH with $command_directory first.
# - A main.cf whose last line lacks its newline: upstream's postconf -e
#   appends a new definition to that line, garbling both; postmulti must
#   not (the last case).

. "$SRCDIR/tests/lib/scenario.sh"

#	config directory   name         group  enabled
#	/etc/postfix       -            -      yes (primary)
#	/etc/postfix-out   postfix-out  mta    yes
#	/etc/postfix-msa   postfix-msa  msa    no
#	/etc/postfix-null  -            mta    yes (nameless)
test_expect "setup: a primary and three secondaries" example_instances
cp /etc/postfix/main.cf "$T/primary.cf"
cp /etc/postfix-out/main.cf "$T/out.cf"

all='-               -               y         /etc/postfix
postfix-out     mta             y         /etc/postfix-out
postfix-msa     msa             n         /etc/postfix-msa
-               mta             y         /etc/postfix-null'
healthy='-               -               y         /etc/postfix
postfix-msa     msa             n         /etc/postfix-msa
-               mta             y         /etc/postfix-null'

 # Hostile main.cf contents, each written to standard output (appended to a
 # good main.cf unless it says "replaces").

# garbage - 4 KB of pseudo-random bytes without NUL (replaces)
garbage() {
	LC_ALL=C awk 'BEGIN { srand(1); for (i = 0; i < 4096; i++) printf "%c", 1 + int(rand() * 255) }'
}

# nul_bytes - a definition with a NUL byte in it
nul_bytes() {
	printf 'mydestination = localhost\0$myhostname\n'
}

# long_line - one line of a megabyte
long_line() {
	awk 'BEGIN { printf "mynetworks ="; for (i = 0; i < 80660; i++) printf " 127.0.0.1/32"; print "" }'
}

# continuations - one definition continued over 10,000 lines
continuations() {
	echo 'mydestination = localhost'
	awk 'BEGIN { for (i = 0; i < 10000; i++) printf "    host%d.example.com,\n", i }'
}

# loop - a reference loop in a parameter postmulti reads
loop() {
	printf '%s\n' 'multi_instance_group = $loop_a' 'loop_a = x $loop_b' 'loop_b = y $loop_a'
}

# nested - conditionals nested 1,000 deep
nested() {
	awk 'BEGIN { printf "multi_instance_group = "
		for (i = 0; i < 1000; i++) printf "${mail_owner?"
		printf "mta"
		for (i = 0; i < 1000; i++) printf "}"
		print "" }'
}

# chain - a chain of 1,000 references
chain() {
	echo 'multi_instance_group = $chain1'
	awk 'BEGIN { for (i = 1; i < 1000; i++) printf "chain%d = $chain%d\n", i, i + 1
		print "chain1000 = mta" }'
}

# explosion - 40 levels, each referring twice to the next: 2^40 references
# in a 1 KB file. Every value is empty, so this takes time, not memory: a
# missing bound shows as a timeout, not as an exhausted machine.
explosion() {
	echo 'multi_instance_group = $boom0'
	awk 'BEGIN { for (i = 0; i < 40; i++) printf "boom%d = $boom%d$boom%d\n", i, i + 1, i + 1
		print "boom40 =" }'
}

# hostile_main_cf - replace a main.cf by a good copy plus hostile content
hostile_main_cf() {
	local file=$1 good=$2 what=$3
	case $what in
	garbage) garbage >"$file" ;;
	*) { cat "$good" && "$what"; } >"$file" ;;
	esac
}

# bounded - run a command for at most 120 seconds: a missing limit must fail
# the check, not hang the test suite (a case takes about a second alone,
# and has taken over 20 under the load of other test runs)
bounded() {
	timeout 120 "$@"
}

 # The primary main.cf: everything is fatal, except sheer size.

for what in garbage nul_bytes loop nested chain explosion; do
	case $what in
	garbage) regex='/etc/postfix/main.cf, line [0-9]+: missing' ;;
	nul_bytes) regex='/etc/postfix/main.cf, line [0-9]+: NUL byte' ;;
	explosion) regex='/etc/postfix/main.cf' ;;
	*) regex='/etc/postfix/main.cf.*nested more than 100 deep' ;;
	esac
	hostile_main_cf /etc/postfix/main.cf "$T/primary.cf" $what
	snapshot
	expect_fail "primary main.cf, $what: fatal" "$regex" \
		bounded postmulti -l
	[ $what = explosion ] ||
	expect_fail "primary main.cf, $what: life-cycle mode is fatal too" "$regex" \
		bounded postmulti -e disable -i postfix-out
	expect_unchanged "primary main.cf, $what: no file changed"
done

# Both work. Time for -l, measured: 0.02 s each with the ASan build, under
# 0.01 s (5 MB peak memory) with the release build; for comparison,
# "postconf -h mydestination" takes 2.4 s on the 10,000 lines.
for what in long_line continuations; do
	hostile_main_cf /etc/postfix/main.cf "$T/primary.cf" $what
	expect_output "primary main.cf, $what: read as it is" "$all" \
		bounded postmulti -l
done

# not_regular - main.cf replaced by something that is not a regular file
not_regular() {
	rm -rf "$1" &&
	case $2 in
	FIFO) mkfifo "$1" ;;
	"/dev/zero") ln -s /dev/zero "$1" ;;
	"100 MB sparse file") truncate -s 100M "$1" ;;
	directory) mkdir "$1" ;;
	esac
}

for what in FIFO /dev/zero "100 MB sparse file" directory; do
	case $what in
	"100 MB sparse file") regex='read /etc/postfix/main.cf: file too large' ;;
	directory) regex='read /etc/postfix/main.cf: Is a directory' ;;
	*) regex='read /etc/postfix/main.cf: ' ;;
	esac
	not_regular /etc/postfix/main.cf "$what"
	snapshot
	expect_fail "primary main.cf is a $what: fatal" "$regex" \
		bounded postmulti -l
	expect_unchanged "primary main.cf is a $what: no file changed"
	rm -rf /etc/postfix/main.cf
done
cp "$T/primary.cf" /etc/postfix/main.cf

 # A secondary's main.cf: the same damage makes it a damaged instance,
 # which -l reports and skips; the others are listed.

for what in garbage nul_bytes loop nested chain explosion; do
	case $what in
	garbage) regex='/etc/postfix-out: /etc/postfix-out/main.cf, line [0-9]+: missing' ;;
	nul_bytes) regex='/etc/postfix-out: /etc/postfix-out/main.cf, line [0-9]+: NUL byte' ;;
	explosion) regex='/etc/postfix-out' ;;
	*) regex='/etc/postfix-out: /etc/postfix-out/main.cf.*nested more than 100 deep' ;;
	esac
	hostile_main_cf /etc/postfix-out/main.cf "$T/out.cf" $what
	snapshot
	expect_warning "secondary main.cf, $what: a warning, the others listed" \
		"$regex" "$healthy" \
		bounded postmulti -l
	expect_unchanged "secondary main.cf, $what: no file changed"
done

for what in long_line continuations; do
	hostile_main_cf /etc/postfix-out/main.cf "$T/out.cf" $what
	expect_output "secondary main.cf, $what: read as it is" "$all" \
		bounded postmulti -l
done

for what in FIFO /dev/zero "100 MB sparse file" directory; do
	not_regular /etc/postfix-out/main.cf "$what"
	snapshot
	expect_warning "secondary main.cf is a $what: a warning, the others listed" \
		'/etc/postfix-out: read /etc/postfix-out/main.cf: ' "$healthy" \
		bounded postmulti -l
	expect_unchanged "secondary main.cf is a $what: no file changed"
	rm -rf /etc/postfix-out/main.cf
done
cp "$T/out.cf" /etc/postfix-out/main.cf

 # multi_instance_directories naming what cannot be an instance.

registered_list='/etc/postfix-out /etc/postfix-msa /etc/postfix-null'
ln -s /etc/postfix-out /etc/postfix-link
ln -s /etc/postfix /etc/postfix-primary-link
: >/etc/postfix-file

# list_case - set multi_instance_directories, expect a fatal error
list_case() {
	local name=$1 regex=$2 value=$3
	postconf -e "multi_instance_directories = $value"
	snapshot
	expect_fail "multi_instance_directories $name: fatal" "$regex" \
		postmulti -l
	expect_unchanged "multi_instance_directories $name: no file changed"
}

list_case "with a relative path" '"postfix-out" is not an absolute path' \
	"/etc/postfix-msa postfix-out"
list_case "with /" '"/" is the root directory' \
	"/etc/postfix-msa /"
list_case "with // (the root too)" '"//" is the root directory' \
	"/etc/postfix-msa //"
for spelling in /etc/postfix /etc/postfix/ /etc//postfix /etc/postfix/. \
	/etc/postfix-out/../postfix /etc/postfix-primary-link; do
	list_case "with the primary as $spelling" \
		"lists $spelling, the primary instance's config_directory" \
		"/etc/postfix-msa $spelling"
done
for spelling in /etc//postfix-out /etc/postfix-out/ /etc/postfix-out/. \
	/etc/postfix-msa/../postfix-out /etc/postfix-link; do
	list_case "with /etc/postfix-out twice, also as $spelling" \
		"lists /etc/postfix-out twice, also as $spelling" \
		"/etc/postfix-out /etc/postfix-msa $spelling"
done

postconf -e "multi_instance_directories = $registered_list /etc/postfix-nowhere"
snapshot
expect_warning "multi_instance_directories with a directory that does not exist: damaged" \
	'/etc/postfix-nowhere: read /etc/postfix-nowhere/main.cf: No such file or directory' "$all" \
	postmulti -l
expect_unchanged "a directory that does not exist: no file changed"

postconf -e "multi_instance_directories = $registered_list /etc/postfix-file"
snapshot
expect_warning "multi_instance_directories with a file: damaged" \
	'/etc/postfix-file: read /etc/postfix-file/main.cf: Not a directory' "$all" \
	postmulti -l
expect_unchanged "a file for a directory: no file changed"
postconf -e "multi_instance_directories = $registered_list"
rm /etc/postfix-file

 # Instance names (-I) and groups (-G) with unsafe characters, for create
 # and assign: each refused before anything is read or written.

# expect_printable - the stderr of the last check holds no control
# character but the newlines that end its lines: a name with ESC in it
# must not reach a terminal as an escape sequence (one could erase or
# rewrite the very line that reports it)
expect_printable() {
	if LC_ALL=C tr -d '\n' <"$T/stderr" | LC_ALL=C grep -q '[[:cntrl:]]'; then
		report "$1" "a control character on stderr"
	else
		report "$1" ok
	fi
}

long=$(printf 'x%.0s' $(seq 10000))
unsafe=(
	"a/b" "a b" "$(printf 'a\tb')" "$(printf 'a\nb')" 'a$b' 'a;b' "a'b" 'a"b'
	'a\b' 'a*b' 'a/../b' "$(printf 'a\001b')" "$(printf 'a\033[31mb')" "$(printf 'a\177b')"
	"$(printf 'a\303\251b')" 'a,b' 'a#b' 'a{b}'
)
snapshot
for value in "${unsafe[@]}"; do
	shown=$(printf '%q' "$value" | cut -c1-24)
	expect_fail "-e create -I postfix-$shown: refused" '-I' \
		postmulti -e create -I "postfix-$value"
	case $value in
	*[[:cntrl:]]*)
		expect_printable "-e create -I postfix-$shown: the message shows no control character" ;;
	esac
	expect_fail "-e assign -I postfix-$shown: refused" '-I' \
		postmulti -e assign -i postfix-out -I "postfix-$value"
	# "/" is allowed in a group, as upstream has it.
	case $value in a/b | a/../b) continue ;; esac
	expect_fail "-e create -G $shown: refused" '-G' \
		postmulti -e create -I postfix-new -G "$value"
	expect_fail "-e assign -G $shown: refused" '-G' \
		postmulti -e assign -i postfix-out -G "$value"
done
expect_fail "-e create -I postfix-<10,000 characters>: refused, too long for a directory name" \
	'-I postfix-x+\.\.\.: longer than 255 bytes, too long for the default config_directory; give config_directory=$' \
	postmulti -e create -I "postfix-$long"
expect_unchanged "refused names and groups: nothing changed"
# As upstream: any length, and "/" in a group. Dry runs, to show they
# pass the checks.
test_expect "-e assign -I postfix-<10,000 characters>: accepted, dry run" \
	postmulti -n -e assign -i postfix-out -I "postfix-$long"
test_expect "-e create -G <10,000 characters>: accepted, dry run" \
	postmulti -n -e create -I postfix-new -G "$long"
test_expect "-e assign -G <10,000 characters>: accepted, dry run" \
	postmulti -n -e assign -i postfix-out -G "$long"
test_expect "-e create -G a/b: accepted, dry run" \
	postmulti -n -e create -I postfix-new -G a/b
test_expect "-e assign -G a/b: accepted, dry run" \
	postmulti -n -e assign -i postfix-out -G a/b
test_expect "-e assign -G a/../b: accepted, dry run" \
	postmulti -n -e assign -i postfix-out -G a/../b
expect_fail "-e create -I .. (no postfix- prefix): refused" '-I' \
	postmulti -e create -I ..
test_expect "-e create -I postfix- (nothing after the prefix): accepted as upstream, dry run" \
	postmulti -n -e create -I postfix-
expect_fail "-e create -I with an empty name: no name, so no default directory" \
	'give the instance a name with -I' \
	postmulti -e create -I ''
# As upstream: an empty -I or -G is "-".
expect_output "-e assign -I '' -G '': the same plan as -I - -G -" \
	"$(postmulti -n -e assign -i postfix-out -I - -G -)" \
	postmulti -n -e assign -i postfix-out -I '' -G ''
expect_output "-e create -I '' -G '' with its directories: the same plan as -I - -G -" \
	"$(postmulti -n -e create -I - -G - config_directory=/etc/pe queue_directory=/var/spool/pe data_directory=/var/lib/pe)" \
	postmulti -n -e create -I '' -G '' config_directory=/etc/pe queue_directory=/var/spool/pe data_directory=/var/lib/pe
# Odd but safe, as upstream: only a dry run, to show they pass the checks.
test_expect "-e create -I postfix-.. (a plain name: /etc/postfix-..): accepted, dry run" \
	postmulti -n -e create -I postfix-..
test_expect "-e assign -G .. (a group is never a path): accepted, dry run" \
	postmulti -n -e assign -i postfix-out -G ..
expect_unchanged "unsafe names and groups: no file changed"

 # param=value: directories that are not the new instance's own.

ln -s /var/spool/postfix-out /var/spool/postfix-queue-link
ln -s /nonexistent /etc/postfix-dangling
snapshot
# param_case - a create with these parameters is refused
param_case() {
	local name=$1 regex=$2
	shift 2
	expect_fail "-e create $name: refused" "$regex" \
		postmulti -e create -I postfix-new "$@"
}
param_case "config_directory with .." 'not in canonical form' \
	config_directory=/etc/postfix-out/../postfix-new
param_case "config_directory with //" 'not in canonical form' \
	config_directory=/etc//postfix-new
param_case "config_directory with /." 'not in canonical form' \
	config_directory=/etc/postfix-new/.
param_case "config_directory relative" 'not an absolute path' \
	config_directory=etc/postfix-new
param_case "config_directory /" 'root directory' \
	config_directory=/
param_case "queue_directory //" 'root directory' \
	queue_directory=//
param_case "data_directory with a space" 'not allowed in a directory name' \
	'data_directory=/var/lib/postfix new'
param_case "queue_directory with a comma" 'not allowed in a directory name' \
	'queue_directory=/var/spool/postfix-a,/var/spool/postfix'
param_case "queue_directory with \$" 'not allowed in a directory name' \
	'queue_directory=/var/spool/$queue_directory'
param_case "config_directory, a symbolic link to the primary's" \
	"config_directory /etc/postfix-primary-link of /etc/postfix-primary-link is the same directory as config_directory /etc/postfix of /etc/postfix" \
	config_directory=/etc/postfix-primary-link
param_case "config_directory, a symbolic link to another instance's" \
	'config_directory /etc/postfix-link of /etc/postfix-link is the same directory as config_directory /etc/postfix-out of /etc/postfix-out' \
	config_directory=/etc/postfix-link
param_case "config_directory of another instance" 'already a registered instance' \
	config_directory=/etc/postfix-out
param_case "config_directory of the primary" 'already the primary instance' \
	config_directory=/etc/postfix/
param_case "queue_directory, a symbolic link to another instance's" \
	'queue_directory /var/spool/postfix-queue-link of /etc/postfix-new is the same directory as queue_directory /var/spool/postfix-out of /etc/postfix-out' \
	queue_directory=/var/spool/postfix-queue-link
param_case "queue_directory of the primary" 'also the queue_directory of /etc/postfix' \
	queue_directory=/var/spool/postfix
param_case "data_directory of another instance" 'also the data_directory of /etc/postfix-msa' \
	data_directory=/var/lib/postfix-msa
param_case "queue_directory, another instance's config_directory" \
	'also the config_directory of /etc/postfix-null' \
	queue_directory=/etc/postfix-null
param_case "data_directory, its own queue_directory" 'also its queue_directory' \
	queue_directory=/var/spool/postfix-new data_directory=/var/spool/postfix-new
param_case "a parameter that create does not take" 'only config_directory=' \
	mail_owner=root
param_case "config_directory twice" 'given twice' \
	config_directory=/etc/postfix-new config_directory=/etc/postfix-new2
expect_fail "-e import config_directory, a symbolic link to another instance's: refused" \
	'config_directory /etc/postfix-link of /etc/postfix-link is the same directory as config_directory /etc/postfix-out of /etc/postfix-out' \
	postmulti -e import config_directory=/etc/postfix-link
expect_unchanged "hostile parameters: no file changed"

# A dangling symbolic link as the new config_directory: mkdir finds it
# there, chmod follows it to nowhere; the create is undone.
param_case "config_directory, a dangling symbolic link" '/etc/postfix-dangling' \
	config_directory=/etc/postfix-dangling
expect_unchanged "a dangling symbolic link: no file changed"
rm /etc/postfix-link /etc/postfix-primary-link /etc/postfix-dangling /var/spool/postfix-queue-link

 # The environment.

snapshot
for spelling in /etc/postfix/ /etc/postfix/. /etc//postfix /etc/postfix-out/../postfix; do
	expect_output "MAIL_CONFIG=$spelling is the default: accepted" "$all" \
		env "MAIL_CONFIG=$spelling" postmulti -l
done
for spelling in /etc/postfix/../postfix-out /etc/postfix-out etc/postfix postfix "" \
	/etc/postfix-nowhere; do
	expect_fail "MAIL_CONFIG=$spelling: fatal" 'non-default configuration directory' \
		env "MAIL_CONFIG=$spelling" postmulti -l
done
ln -s /etc/postfix /etc/postfix-primary-link
expect_fail "MAIL_CONFIG, a symbolic link to the default: fatal (not the default spelling)" \
	'non-default configuration directory' \
	env MAIL_CONFIG=/etc/postfix-primary-link postmulti -l
rm /etc/postfix-primary-link
expect_output "IFS set to letters and /: no effect" "$all" \
	env IFS='/et' postmulti -l
expect_unchanged "the environment: no file changed"

# A fake postfix first in PATH leaves a marker when it runs.
mkdir -p "$T/evil"
printf '#!/bin/sh\necho "$0 $*" >>%s\nexit 0\n' "$T/evil.marker" >"$T/evil/postfix"
cp "$T/evil/postfix" "$T/evil/postconf"
chmod 755 "$T/evil/postfix" "$T/evil/postconf"

# record_postfix_env - every run of /usr/sbin/postfix logs, to
# $T/postfix-env.log, its arguments and those of the variables that must
# not reach it (LD_PRELOAD, IFS, HOSTILE) or that it may get (MAIL_CONFIG,
# TZ) which it got, as the kernel passed them (/proc/PID/environ: a shell
# does not take IFS from its environment), then runs the real one
record_postfix_env() {
	cp /usr/sbin/postfix "$T/postfix.real" &&
	cat >"$T/postfix.env-recorder" <<EOF &&
#!/bin/sh
IFS=' '
{
	echo "postfix \$*"
	tr '\\0' '\\n' </proc/\$\$/environ |
		grep -E '^(LD_PRELOAD|IFS|HOSTILE|MAIL_CONFIG|TZ)=' | sort | sed 's/^/  /'
} >>"$T/postfix-env.log"
exec "$T/postfix.real" "\$@"
EOF
	chmod 755 "$T/postfix.env-recorder" &&
	mount --bind "$T/postfix.env-recorder" /usr/sbin/postfix
}
test_expect "setup: record the environment of every postfix run" record_postfix_env

# hostile_env - run a command with a hostile PATH, LD_PRELOAD, IFS and an
# extra variable. LD_PRELOAD names a library that does not exist: the
# dynamic loader complains on stderr in every process that gets it (which
# is why these checks look at stdout and the logs, not at stderr).
hostile_env() {
	: >"$T/postfix-env.log"
	rm -f "$T/evil.marker"
	env PATH="$T/evil:$PATH" LD_PRELOAD=/nonexistent/preload.so IFS=/ \
		HOSTILE=1 TZ=UTC "$@"
}

# env_log - the life-cycle postfix runs that the recorder saw, and whether
# the fake postfix ran
env_log() {
	cat "$T/postfix-env.log"
	[ -e "$T/evil.marker" ] && echo "the fake postfix ran:" && cat "$T/evil.marker"
	return 0
}

# What import_environment lets through: TZ, not the rest.
clean_env='  TZ=UTC'

test_expect "-e create with a hostile environment" \
	hostile_env postmulti -e create -I postfix-new
expect_output "-e create: postfix by its full path, environment per import_environment" \
"postfix -c /etc/postfix-new set-permissions
$clean_env" \
	env_log

test_expect "-e disable with a hostile environment" \
	hostile_env postmulti -e disable -i postfix-new
test_expect "-e destroy with a hostile environment" \
	hostile_env postmulti -e destroy -i postfix-new
# Its master's pid file names no live master: destroy needs no "postfix
# status" (the same environment as set-permissions above, were it run),
# and the fake postfix early in PATH never runs.
expect_output "-e destroy: no postfix run for a stopped instance, the fake one neither" \
"" \
	env_log

# -p: the caller's environment, as upstream (the postfix-wrapper interface:
# postfix(1) has already cleaned it when it runs postmulti -p).
expect_stdout "-p status with a hostile environment: runs every instance's postfix" 1 "" \
	hostile_env postmulti -p status
expect_output "-p: postfix by its full path, never the one in PATH" \
"postfix -- status
  HOSTILE=1
  IFS=/
  LD_PRELOAD=/nonexistent/preload.so
  MAIL_CONFIG=/etc/postfix
  TZ=UTC
postfix -- status
  HOSTILE=1
  IFS=/
  LD_PRELOAD=/nonexistent/preload.so
  MAIL_CONFIG=/etc/postfix-out
  TZ=UTC
postfix -- status
  HOSTILE=1
  IFS=/
  LD_PRELOAD=/nonexistent/preload.so
  MAIL_CONFIG=/etc/postfix-msa
  TZ=UTC
postfix -- status
  HOSTILE=1
  IFS=/
  LD_PRELOAD=/nonexistent/preload.so
  MAIL_CONFIG=/etc/postfix-null
  TZ=UTC" \
	env_log

# -x: the caller's environment is its contract; PATH has
# $command_directory first, so "postfix" is the real one there too.
expect_stdout "-x gets the caller's environment" 0 \
	"/nonexistent/preload.so 1 /usr/sbin:$T/evil:$PATH" \
	hostile_env postmulti -i postfix-out -x sh -c 'echo "$LD_PRELOAD $HOSTILE $PATH"'
expect_stdout "-x postfix: the one in \$command_directory, not the fake" 0 \
	"postfix -c /etc/postfix-out status" \
	hostile_env postmulti -i postfix-out -x sh -c 'postfix -c "$config_directory" status 2>/dev/null; grep "^postfix " "$T/postfix-env.log"'
# evil_marker - what the fake postfix logged, if it ran
evil_marker() {
	[ ! -e "$T/evil.marker" ] || cat "$T/evil.marker"
}
expect_output "-x postfix: the fake did not run" "" \
	evil_marker
expect_output "after create, disable and destroy: the instances as before" "$all" \
	postmulti -l

 # A primary main.cf whose last line lacks its newline (as "printf" or some
 # editors leave it). postconf -e appends a new definition right after the
 # last byte, joining the two lines: the last parameter gets a garbled value
 # and the new one is not set (upstream's postmulti -e init/deport do that
 # through postconf). postmulti must leave both as meant.

printf 'delay_warning_time = 4h' >>/etc/postfix/main.cf
test_expect "-e deport with a primary main.cf that lacks its final newline" \
	postmulti -e deport -i postfix-msa
expect_output "the last parameter keeps its value, the new one is set" \
'4h
/etc/postfix-msa' \
	postconf -h delay_warning_time alternate_config_directories

done_testing
