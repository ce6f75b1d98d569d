#!/bin/bash
#
# The bash completion of postmulti, driven the way bash drives it: the
# command line is split into COMP_WORDS as readline does (at white space,
# and at the "=" and ":" of COMP_WORDBREAKS), then _postmulti runs and
# COMPREPLY is what would be offered. The instances are real ones, made
# with postmulti -e init and -e create:
#
#	config directory   name         group   enabled
#	/etc/postfix       -            -       yes (primary)
#	/etc/postfix-out   postfix-out  mta     no
#	/etc/postfix-msa   postfix-msa  msa:eu  no
#	/etc/postfix-null  -            mta     no
#
# Run: tests/lib/sandbox -b build/asan/postmulti tests/completion/completion.sh

. "$SRCDIR/tests/lib/scenario.sh"

# offered LINE - complete at the end of LINE; print COMPREPLY sorted, one
# word a line
offered() {
	local line=$1 word= c i
	local -a words=()
	for ((i = 0; i < ${#line}; i++)); do
		c=${line:i:1}
		case $c in
		[[:space:]])
			[ -n "$word" ] && words+=("$word")
			word= ;;
		[=:])
			[ -n "$word" ] && [ "${word%[=:]}" = "$word" ] && words+=("$word") && word=
			word+=$c ;;
		*)
			[ "${word%[=:]}" != "$word" ] && words+=("$word") && word=
			word+=$c ;;
		esac
	done
	words+=("$word")
	COMP_WORDS=("${words[@]}")
	COMP_CWORD=$((${#words[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMP_TYPE=9
	COMP_KEY=9
	COMPREPLY=()
	_postmulti postmulti "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
	[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
}

# in_each_setting - run a check with bash-completion's helpers, as an
# interactive shell has them, and again in a shell without them
with_helpers() {
	bash -c '. /usr/share/bash-completion/bash_completion &&
		. "$SRCDIR/contrib/bash-completion" && . "$1" && offered "$2"' \
		sh "$T/offered.sh" "$1"
}
without_helpers() {
	bash -c '. "$SRCDIR/contrib/bash-completion" && . "$1" && offered "$2"' \
		sh "$T/offered.sh" "$1"
}
declare -f offered >"$T/offered.sh"

# expect_offered NAME LINE EXPECTED - both ways offer EXPECTED at the end of LINE
expect_offered() {
	expect_output "$1" "$3" with_helpers "$2"
	expect_output "$1 (without bash-completion)" "$3" without_helpers "$2"
}

test_expect "setup: postmulti -e init" postmulti -e init
test_expect "setup: three instances made with postmulti -e create" sh -c '
	postmulti -e create -I postfix-out -G mta & a=$!
	postmulti -e create -I postfix-msa -G msa:eu & b=$!
	postmulti -e create -G mta config_directory=/etc/postfix-null \
		queue_directory=/var/spool/postfix-null \
		data_directory=/var/lib/postfix-null & c=$!
	wait $a && wait $b && wait $c'
test_expect "the completion is a valid bash file" bash -n "$SRCDIR/contrib/bash-completion"
expect_output "it registers _postmulti for postmulti" \
'complete -F _postmulti postmulti' \
	bash -c '. "$SRCDIR/contrib/bash-completion" && complete -p postmulti'

expect_offered "postmulti -<TAB>: every option" 'postmulti -' \
'-G
-H
-I
-L
-O
-Q
-R
-W
-X
-a
-c
-e
-g
-i
-j
-k
-l
-m
-n
-p
-s
-v
-w
-x'

expect_offered "postmulti -Q <TAB>: the queue actions" 'postmulti -Q ' \
'delete
expire
flush
hold
list
release
requeue
shape'
expect_offered "postmulti -Q list <TAB>: options and filters" 'postmulti -Q list s' \
'sender=
smaller='
expect_offered "postmulti -Q hold sender=x <TAB>: the filters not given" 'postmulti -Q hold sender=x r' \
'reason=
recipient='
expect_offered "postmulti -Q list queue=<TAB>: the queues" 'postmulti -Q list queue=' \
'active
deferred
hold
incoming
maildrop'
expect_offered "postmulti -Q list queue=hold,d<TAB>: the next queue" 'postmulti -Q list queue=hold,d' \
'hold,deferred'
expect_offered "postmulti -k -w <TAB>: thresholds" 'postmulti -k -w a' \
'active=
age='

expect_offered "postmulti -e <TAB>: the actions" 'postmulti -e ' \
'assign
create
deport
destroy
disable
enable
import
init'
expect_offered "postmulti -e d<TAB>" 'postmulti -e d' \
'deport
destroy
disable'
expect_offered "postmulti -ve<TAB> (options in one word)" 'postmulti -ve ' \
'assign
create
deport
destroy
disable
enable
import
init'

expect_offered "postmulti -i <TAB>: names, short names, directories, -" 'postmulti -i ' \
'-
/etc/postfix
/etc/postfix-msa
/etc/postfix-null
/etc/postfix-out
msa
out
postfix-msa
postfix-out'
expect_offered "postmulti -i postfix-o<TAB>" 'postmulti -i postfix-o' \
'postfix-out'
expect_offered "postmulti -i /etc/postfix-<TAB>" 'postmulti -i /etc/postfix-' \
'/etc/postfix-msa
/etc/postfix-null
/etc/postfix-out'
expect_offered "postmulti -e disable -i <TAB>: instances after an action too" \
	'postmulti -e disable -i o' \
'out'

expect_offered "postmulti -l -g <TAB>: the groups, once each" 'postmulti -l -g ' \
'msa:eu
mta'
# readline replaces only what follows the ":" of msa:eu.
expect_offered "postmulti -l -g msa:<TAB>: only the part after the ':'" \
	'postmulti -l -g msa:' \
'eu'
expect_offered "postmulti -e assign -i out -G <TAB>: groups and -" \
	'postmulti -e assign -i out -G ' \
'-
msa:eu
mta'
expect_offered "postmulti -e create -I <TAB>" 'postmulti -e create -I ' \
'-
postfix-'

expect_offered "postmulti -e create <TAB>: the directory parameters" \
	'postmulti -e create -I postfix-new ' \
'config_directory=
data_directory=
queue_directory='
expect_offered "postmulti -e create: a parameter given is not offered again" \
	'postmulti -e create -I postfix-new config_directory=/etc/postfix-new ' \
'data_directory=
queue_directory='
expect_offered "postmulti -e import <TAB>: config_directory= only" \
	'postmulti -e import ' \
'config_directory='
expect_offered "postmulti -e import config_directory=/etc/postfix-n<TAB>: directories" \
	'postmulti -e import config_directory=/etc/postfix-n' \
'/etc/postfix-null'
expect_offered "postmulti -e destroy <TAB>: no parameters" \
	'postmulti -e destroy -i out x' \
''

expect_offered "postmulti -p <TAB>: postfix(1) commands" 'postmulti -g mta -p st' \
'start
start-fg
status
stop'
expect_offered "postmulti -p start <TAB>: nothing more" 'postmulti -p start ' ''
expect_offered "postmulti -x <TAB>: a command" 'postmulti -x postcon' \
'postconf'
expect_offered "postmulti -l -<TAB>: options still" 'postmulti -l -s' \
'-s'
expect_offered "postmulti -L -X <TAB>: the lint codes" 'postmulti -L -X service-' \
'service-log-tag'

# The list is the live configuration: a change shows at once.
test_expect "postmulti -i postfix-out -e assign -I postfix-mx" \
	postmulti -i postfix-out -e assign -I postfix-mx
expect_offered "postmulti -i <TAB> after the rename" 'postmulti -i postfix-' \
'postfix-msa
postfix-mx'

# Nothing at all when there is no postmulti to ask.
expect_output "no postmulti in PATH: no instance, only -" '-' \
	env PATH=/usr/bin:/bin /bin/bash -c '. "$SRCDIR/contrib/bash-completion" && . "$1" && offered "$2"' \
	sh "$T/offered.sh" 'postmulti -i '

done_testing
