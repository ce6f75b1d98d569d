#!/bin/bash
#
# Berkeley DB readiness (ours only): "postmulti -L -v" adds, for every
# instance, an informational berkeley-db line for each hash: and btree:
# table that a parameter (set in main.cf or a compiled-in default such as
# alias_maps) or a master.cf -o override names, with its expanded path and
# the lmdb: table that replaces it. The expected tables and parameters
# are computed from the real "postconf -c DIR -x" and "postconf -c DIR
# -Px" of each instance; informational lines do not change the exit
# status, and -X berkeley-db leaves them out.
#
# Run: tests/lib/sandbox -b ./postmulti tests/scenario/lint_bdb.sh

. "$SRCDIR/tests/lib/scenario.sh"

test_expect "setup: a primary and three secondaries" example_instances
# tables - postfix-out names tables of every kind: its own files through
# $config_directory, proxy:, inside pipemap:{...}, a cache, an -o override
tables() {
	postconf -c /etc/postfix-out -e 'transport_maps = hash:${config_directory}/transport' \
		'smtp_tls_policy_maps = proxy:btree:/etc/postfix-out/tls_policy' \
		'virtual_alias_maps = pipemap:{hash:/etc/postfix-out/va, inline:{a=b}}, regexp:/etc/postfix-out/re' \
		'address_verify_map = btree:$data_directory/verify_cache' &&
	postconf -c /etc/postfix-out -M -e 'submission/inet=submission inet n - y - - smtpd -o smtpd_sender_login_maps=hash:/etc/postfix-out/senders' &&
	settle /etc/postfix-out/main.cf /etc/postfix-out/master.cf
}
test_expect "setup: postfix-out names hash: and btree: tables in main.cf and master.cf" tables

# want DIR - "DIR TABLE PARAM" for each hash:/btree: table in postconf -x
# and -Px, as Postfix expands them (-o overrides as service/type/name)
want() {
	{ postconf -c "$1" -x; postconf -c "$1" -Px; } 2>/dev/null | /usr/bin/python3 -c '
import re, sys
dir = sys.argv[1]
out = set()
for line in sys.stdin:
    name, sep, value = line.rstrip("\n").partition(" = ")
    if not sep:
        continue
    for w in re.split(r"[ \t\r\n,{}]+", value):
        while w.startswith("proxy:"):
            w = w[6:]
        if w.startswith("hash:") or w.startswith("btree:"):
            out.add("%s %s %s" % (dir, w, name))
print("\n".join(sorted(out)))
' "$1"
}
# got DIR - the same from postmulti -L -v -j's berkeley-db lines
got() {
	postmulti -L -v -j | /usr/bin/python3 -c '
import json, re, sys
dir = sys.argv[1]
out = set()
for line in sys.stdin:
    o = json.loads(line)
    if o["code"] != "berkeley-db" or o["config_directory"] != dir:
        continue
    assert o["severity"] == "info", o
    m = re.match(r"(\S+) \(([^)]*)\): ", o["text"])
    for where in m.group(2).split(", "):
        out.add("%s %s %s" % (dir, m.group(1), where.replace(" -o ", "/")))
print("\n".join(sorted(out)))
' "$1"
}
# compare DIR - ours against postconf's, and something to compare
compare() {
	want "$1" >"$T/want" && got "$1" >"$T/got" && test -s "$T/want" && diff "$T/want" "$T/got"
}
for d in /etc/postfix /etc/postfix-out /etc/postfix-msa /etc/postfix-null; do
	test_expect "-L -v: $d's hash: and btree: tables and parameters are postconf -x's and -Px's" \
		compare $d
done
# out_tables - the tables planted in postfix-out, in our report (the
# defaults' tables differ between releases: compare checks those)
out_tables() {
	got /etc/postfix-out | cut -d' ' -f2 | sort -u | grep -E 'postfix-out/(tls_policy|verify_cache|senders|transport|va)$'
}
expect_output "... postfix-out's: expanded, proxy: and pipemap:{} looked into, the -o override" \
'btree:/etc/postfix-out/tls_policy
btree:/var/lib/postfix-out/verify_cache
hash:/etc/postfix-out/senders
hash:/etc/postfix-out/transport
hash:/etc/postfix-out/va' \
	out_tables
# text_of TABLE - the text line of one of postfix-out's tables
text_of() {
	postmulti -L -v | grep -F "/etc/postfix-out: info: berkeley-db: $1 "
}
expect_output "the text names every parameter that names it (\$transport_maps too) and the replacement: postmap" \
	'/etc/postfix-out: info: berkeley-db: hash:/etc/postfix-out/transport (address_verify_transport_maps, proxy_read_maps, transport_maps): Berkeley DB, which distributions are dropping; the lmdb table replaces it: build it with postmap lmdb:/etc/postfix-out/transport, and name that instead' \
	text_of hash:/etc/postfix-out/transport
expect_output "... a cache that Postfix makes" \
	'/etc/postfix-out: info: berkeley-db: btree:/var/lib/postfix-out/verify_cache (address_verify_map, proxy_write_maps): Berkeley DB, which distributions are dropping; the lmdb table replaces it: Postfix makes this cache itself at lmdb:/var/lib/postfix-out/verify_cache, and name that instead' \
	text_of btree:/var/lib/postfix-out/verify_cache
# status_and_codes - -L -v's exit status and its codes, counted
status_and_codes() {
	postmulti -L -v -j >"$T/lint"
	echo "status $?"
	sed 's/.*"code": "\([^"]*\)".*"severity": "\([^"]*\)".*/\1 \2/' "$T/lint" | sort | uniq -c | sed 's/^ *//'
}
# -L without -v has the usual findings (the disabled postfix-msa's and the
# stopped instances'); -v adds only info lines, and the status is the same.
lint_status() {
	postmulti -L >/dev/null
	echo "status $?" >"$T/plain"
}
test_expect "setup: -L's status without -v" lint_status
# same_status - -L -v exits as -L does
same_status() {
	status_and_codes | head -n 1 >"$T/verbose" && diff "$T/plain" "$T/verbose"
}
test_expect "-L -v: info lines do not change the exit status" same_status
# no_info COMMAND - the command prints no berkeley-db line
no_info() {
	! "$@" | grep -q berkeley-db
}
test_expect "-L without -v: no berkeley-db line" no_info postmulti -L
test_expect "-L -v -X berkeley-db: none either" no_info postmulti -L -v -X berkeley-db

done_testing
