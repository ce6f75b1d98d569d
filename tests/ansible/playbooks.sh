# NAME
#	playbooks.sh - the collection postfix.multi against the real postmulti
# DESCRIPTION
#	Runs inside tests/lib/sandbox (see tests/ansible/run). Builds the
#	collection from contrib/ansible with ansible-galaxy, installs it under
#	$T, and runs the playbooks of this directory with ansible-playbook
#	(local connection): a check run on a fresh host, the real run, the
#	same again (changed=0), a check run with --diff of a set of changes,
#	the changes, again, the refusals, removal with stop and
#	purge_queue, purge_queue with real deferred mail (and its defer
#	logs), and a destroy that leaves a file behind. The callback results_log writes every task result to a
#	file that the checks read; the PLAY RECAP lines are printed as "#"
#	comments.
. "$SRCDIR/tests/lib/scenario.sh"
here=$SRCDIR/tests/ansible
A=$T/ansible
mkdir -p "$A/home" "$A/local" "$A/remote" "$A/dist" "$A/collections"
cd "$A" || exit 1

export ANSIBLE_HOME=$A/home ANSIBLE_LOCAL_TEMP=$A/local ANSIBLE_REMOTE_TEMP=$A/remote
export ANSIBLE_COLLECTIONS_PATH=$A/collections ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
export ANSIBLE_NOCOWS=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_HOST_KEY_CHECKING=0
export ANSIBLE_NOCOLOR=1 ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
export ANSIBLE_CALLBACK_PLUGINS=$here/callback_plugins ANSIBLE_CALLBACKS_ENABLED=results_log
export ANSIBLE_CONFIG=$A/none.cfg PYTHONDONTWRITEBYTECODE=1
pm=$(command -v postmulti)

# tree_state - every change the sandbox's overlays hold: path, type,
# mode, owner, size, mtime and content of each file under /etc, /var/spool
# and /var/lib that differs from the host's
tree_state() {
	local d
	for d in etc var/spool var/lib; do
		(cd "$T/$d/u" && find . -printf "$d/%p %y %m %u:%g %s %T@\n" | sort &&
			find . -type f -exec sha1sum {} + | sort -k 2)
	done
}

# tree_unchanged - check NAME: no file changed since tree_snapshot
tree_snapshot() { tree_state >"$T/tree"; }
tree_unchanged() { state_unchanged "$1" tree_state "$T/tree"; }

# playbook NAME FILE [ARGS] - run a playbook (FILE relative to this
# directory, or absolute) on localhost, or on the hosts of $inventory;
# output in $A/NAME.out, task results in $A/NAME.log; the recap line is
# shown as a comment
playbook() {
	local name=$1 file=$2
	shift 2
	RESULTS_LOG=$A/$name.log ansible-playbook -i "${inventory:-localhost,}" -c local \
		"$(cd "$here" && realpath "$file")" "$@" >"$A/$name.out" 2>&1
	echo "# recap of $name (${file##*/} $*): $(grep -E '^localhost +:' "$A/$name.out" |
		tr -s ' ')"
}

# expect_recap NAME RUN WORD... - the recap of RUN has each WORD (changed=0)
expect_recap() {
	local name=$1 run=$2 word recap
	shift 2
	expectation "" grep -E '^localhost +:' "$A/$run.out"
	recap=$(grep -E '^localhost +:' "$A/$run.out")
	cp "$A/$run.out" "$T/stdout"
	: >"$T/stderr"
	status=0
	for word; do
		case " $recap " in
		*" $word "*) ;;
		*) report "$name" "recap has no $word: $recap"; return ;;
		esac
	done
	report "$name" ok
}

# task RUN TASK [FIELD] - a field of a task's result (see tests/ansible/task)
task() { "$here/task" "$A/$1.log" "${@:2}"; }

# summary RUN TASK - the instances a postmulti_info task returned, one line each
summary() {
	task "$1" "$2" instances | python3 -c '
import json, sys
for i in json.load(sys.stdin):
    print(i["name"], i["group"], i["enabled"], i.get("running", "-"), i["primary"],
          i["config_directory"])'
}

# dry_plan ARGS... - what the module shows for "postmulti ARGS": the
# command, then the plan that -n prints, without its heading
dry_plan() {
	echo "\$ $pm $*"
	"$pm" "$@" -n | sed 1d
}

# --- the collection, built and installed from the source tree
test_expect "ansible-galaxy collection build" \
	ansible-galaxy collection build "$SRCDIR/contrib/ansible" --output-path "$A/dist"
test_expect "ansible-galaxy collection install" \
	ansible-galaxy collection install "$A"/dist/postfix-multi-*.tar.gz -p "$A/collections"

# The heading of each module: "> POSTFIX.MULTI.POSTMULTI  (path)" before
# ansible-core 2.17, "> MODULE postfix.multi.postmulti (path)" since.
expect_output "ansible-doc documents both modules" "2" \
	sh -c 'ANSIBLE_NOCOLOR=1 ansible-doc -t module postfix.multi.postmulti postfix.multi.postmulti_info |
		grep -ciE "^> (module )?postfix\.multi\.postmulti(_info)? "'

expect_output "listing: null and \"-\" are an absent name or group, unknown members kept, \"master\" (older builds: \"running\") read as running" \
'{"config_directory": "/etc/postfix", "enabled": true, "group": null, "name": null, "pid": null, "primary": false, "queued": "0", "running": false}
{"config_directory": "/etc/postfix-a", "enabled": false, "group": null, "name": "postfix-a", "pid": 42, "primary": false, "running": true}
{"config_directory": "/etc/postfix-b", "enabled": true, "group": "g", "name": "postfix-b", "pid": null, "primary": false, "running": null}
{"config_directory": "/etc/postfix-c", "enabled": true, "group": "g", "name": "postfix-c", "pid": 7, "primary": false, "running": true}' \
	python3 -c '
import json, sys
sys.path.insert(0, sys.argv[1])
from ansible_collections.postfix.multi.plugins.module_utils.postmulti import normalize
for line in sys.argv[2:]:
    print(json.dumps(normalize(json.loads(line)), sort_keys=True))' "$A/collections" \
	'{"name": "-","group": "-","enabled": "y","config_directory": "/etc/postfix","running": "stopped","pid": "-","queued": "0"}' \
	'{"name":"postfix-a","group":null,"enabled":"n","config_directory":"/etc/postfix-a","running":"running","pid":42}' \
	'{"name": "postfix-b","group": "g","enabled": "y","config_directory": "/etc/postfix-b","master": "unknown","pid": null}' \
	'{"name": "postfix-c","group": "g","enabled": "y","config_directory": "/etc/postfix-c","master": "running","pid": 7}'

# --- check mode on a fresh host: a plan, no change
expected_init=$(dry_plan -e init)
tree_snapshot
playbook check-fleet fleet.yml --check --diff
expect_recap "check mode: every change is reported" check-fleet changed=5 failed=0
tree_unchanged "check mode: no file changed"
expect_output "check mode: diff of init is postmulti -n's plan" "$expected_init" \
	task check-fleet init diff.0.prepared
expect_output "check mode: a create after init is a command that would run" \
	"[\"$pm -e create -I postfix-in -G mta\", \"$pm -i postfix-in -e enable\"]" \
	task check-fleet inbound commands
expect_output "check mode: why the create has no dry run" \
"\$ $pm -e create -I postfix-in -G mta
(needs \"postmulti -e init\", not done in check mode: no dry run possible)
\$ $pm -i postfix-in -e enable
(depends on the steps above, not taken in check mode: no dry run possible)" \
	task check-fleet inbound diff.*.prepared
test_expect "check mode: init diff shown by ansible-playbook --diff" \
	grep -qxF '+multi_instance_enable = yes' "$A/check-fleet.out"

# --- the real run
playbook fleet fleet.yml
expect_recap "fleet: init and four creates" fleet changed=5 failed=0
expect_output "fleet: instances as declared, in the order placed" \
"-               -               y         /etc/postfix
postfix-alt     -               n         /etc/pf-alt
postfix-out     mta             n         /etc/postfix-out
postfix-old     legacy          n         /etc/postfix-old
postfix-in      mta             y         /etc/postfix-in" postmulti -l
expect_output "fleet: queue_directory given at create" /var/spool/pf-alt \
	postconf -c /etc/pf-alt -h queue_directory
expect_output "fleet: the module returns the instance" \
	'{"config_directory": "/etc/postfix-in", "data_directory": "/var/lib/postfix-in", "enabled": true, "group": "mta", "name": "postfix-in", "pid": null, "primary": false, "queue_directory": "/var/spool/postfix-in", "queues": {"active": 0, "corrupt": 0, "deferred": 0, "hold": 0, "incoming": 0, "maildrop": 0}, "running": false, "syslog_name": "postfix-in"}' \
	task fleet inbound instance
expect_output "fleet: postmulti_info returns every instance" \
"None None True False True /etc/postfix
postfix-alt None False False False /etc/pf-alt
postfix-out mta False False False /etc/postfix-out
postfix-old legacy False False False /etc/postfix-old
postfix-in mta True False False /etc/postfix-in" summary fleet info
expect_output "fleet: postmulti_info group filter, without status" \
"postfix-out mta False - False /etc/postfix-out
postfix-in mta True - False /etc/postfix-in" summary fleet "info mta"
expect_output "fleet: postmulti_info sets the fact postmulti_instances" \
	"$(task fleet info instances)" task fleet info ansible_facts.postmulti_instances

# --- idempotence
tree_snapshot
playbook fleet-again fleet.yml
expect_recap "idempotence: the same playbook again changes nothing" fleet-again changed=0 failed=0
tree_unchanged "idempotence: no file changed"

# --- check mode and diff mode on changes
expected_disable=$(dry_plan -i postfix-in -e disable)
expected_destroy=$(dry_plan -i postfix-old -e destroy)
expected_assign=$(dry_plan -i /etc/pf-alt -e assign -I postfix-second)
tree_snapshot
playbook check-change change.yml --check --diff
expect_recap "check --diff: four changes reported" check-change changed=4 failed=0
tree_unchanged "check --diff: no file changed"
expect_output "check --diff: disable shows the main.cf diff of -n" "$expected_disable" \
	task check-change "inbound disabled" diff.0.prepared
expect_output "check --diff: destroy shows -n's plan" "$expected_destroy" \
	task check-change "old destroyed" diff.0.prepared
expect_output "check --diff: rename shows -n's plan" "$expected_assign" \
	task check-change "alternate renamed" diff.0.prepared
expect_output "check --diff: group change and enable, two calls" \
	"[\"$pm -i postfix-out -e assign -G relay\", \"$pm -i postfix-out -e enable\"]" \
	task check-change "outbound to relay and enabled" commands
test_expect "check --diff: ansible-playbook shows the edit of postfix-in's main.cf" \
	python3 -c '
import sys
out = open(sys.argv[1]).read()
want = "--- /etc/postfix-in/main.cf\n+++ /etc/postfix-in/main.cf\n"
sys.exit(not (want in out and "\n-multi_instance_enable = yes\n+multi_instance_enable = no\n" in out))
' "$A/check-change.out"

# --- the changes, with --diff: the same plans as in check mode
playbook change change.yml --diff
expect_recap "change: four changes" change changed=4 failed=0
expect_output "change: group, enable, disable, rename and destroy done" \
"-               -               y         /etc/postfix
postfix-second  -               n         /etc/pf-alt
postfix-out     relay           y         /etc/postfix-out
postfix-in      mta             n         /etc/postfix-in" postmulti -l
test_expect "change: postfix-old's directories are gone" \
	test ! -e /etc/postfix-old -a ! -e /var/spool/postfix-old -a ! -e /var/lib/postfix-old
expect_output "change: the diff of the real run is the check run's" \
	"$(task check-change "inbound disabled" diff)" task change "inbound disabled" diff
tree_snapshot
playbook change-again change.yml
expect_recap "idempotence: the changes again change nothing" change-again changed=0 failed=0
tree_unchanged "idempotence: no file changed by the second run"

# --- refusals: a bad name, a running instance, mail in the queue, the primary
postfix -c /etc/postfix-in start 2>/dev/null
postconf -c /etc/postfix-out -e 'authorized_submit_users = root'
printf 'Subject: held\n\nkept in the queue\n' | MAIL_CONFIG=/etc/postfix-out sendmail root 2>/dev/null
test_expect "refusals: postfix-in runs" master_running /etc/postfix-in
expected_bad=$("$pm" -e create -I mail-in -n 2>&1)
expected_running=$("$pm" -i postfix-in -e destroy -n 2>&1)
expected_primary=$("$pm" -i /etc/postfix -e destroy -n 2>&1)
sleep 1
tree_snapshot
playbook errors errors.yml
expect_recap "refusals: every task failed, nothing changed" errors changed=0 ignored=4
tree_unchanged "refusals: no file changed"
expect_output "refusals: a name without postfix- fails with postmulti's message" \
	"$expected_bad" task errors "bad name" msg
expect_output "refusals: a running instance is not destroyed without stop: true" \
	"$expected_running (set stop: true to stop it before it is destroyed)" \
	task errors "running instance" msg
expect_output "refusals: mail in the queue needs purge_queue: true" \
	"the queue of instance /etc/postfix-out holds 1 message file: set purge_queue: true to delete them before it is destroyed" \
	task errors "queue with mail" msg
expect_output "refusals: the primary is not destroyed" "$expected_primary" \
	task errors "the primary" msg
test_expect "refusals: postfix-in still runs" master_running /etc/postfix-in

# --- removal with stop: true and purge_queue: true, in check mode first
tree_snapshot
playbook check-cleanup cleanup.yml --check --diff
expect_recap "check stop and purge_queue: two changes reported" check-cleanup changed=2 failed=0
tree_unchanged "check stop and purge_queue: no file changed"
test_expect "check stop and purge_queue: postfix-in still runs" master_running /etc/postfix-in
expect_output "check stop and purge_queue: disable shown with -n's diff, then what would run" \
"$(dry_plan -i postfix-out -e disable)
\$ $(command -v postsuper) -c /etc/postfix-out -d ALL defer bounce trace flush maildrop incoming active deferred hold
\$ $pm -i postfix-out -e destroy
(depends on the steps above, not taken in check mode: no dry run possible)" \
	task check-cleanup "queue purged and destroyed" diff.*.prepared
playbook cleanup cleanup.yml
expect_recap "stop and purge_queue: both removed" cleanup changed=2 failed=0
expect_output "stop and purge_queue: the commands" \
"[\"$(command -v postfix) -c /etc/postfix-in stop\", \"$pm -i postfix-in -e destroy\"]
[\"$pm -i postfix-out -e disable\", \"$(command -v postsuper) -c /etc/postfix-out -d ALL defer bounce trace flush maildrop incoming active deferred hold\", \"$pm -i postfix-out -e destroy\"]" \
	sh -c "$here/task $A/cleanup.log 'running instance stopped and destroyed' commands &&
		$here/task $A/cleanup.log 'queue purged and destroyed' commands"
expect_output "stop and purge_queue: what is left" \
"None None True False True /etc/postfix
postfix-second None False False False /etc/pf-alt" summary cleanup "info after"
test_expect "stop and purge_queue: no master runs any more" sh -c '! pgrep -x master'

# --- purge_queue with real deferred mail: the queue keeps a defer log
# beside each deferred message, and postsuper must delete both, or
# destroy leaves the queue directory behind
# deferred_mail - postfix-dfr running, with two messages to a remote
# address that the sandbox cannot reach: deferred, each with its defer log
deferred_mail() {
	local i
	postmulti -e create -I postfix-dfr &&
	postconf -c /etc/postfix-dfr -e 'authorized_submit_users = static:anyone' &&
	postmulti -i postfix-dfr -e enable && postfix -c /etc/postfix-dfr start 2>/dev/null || return
	for i in 1 2; do
		echo "Subject: deferred $i" |
			MAIL_CONFIG=/etc/postfix-dfr sendmail -f sender@example.com rcpt@example.net || return
	done
	for i in $(seq 300); do
		[ "$(find /var/spool/postfix-dfr/defer /var/spool/postfix-dfr/deferred -type f | wc -l)" = 4 ] &&
			return 0
		sleep 0.1
	done
	echo "# no two deferred messages with their defer logs after 30 seconds"
	find /var/spool/postfix-dfr -type f | sed 's/^/# /'
	return 1
}
test_expect "setup: postfix-dfr runs, two messages deferred" deferred_mail
expect_output "setup: each deferred message has its defer log" 2 \
	sh -c 'find /var/spool/postfix-dfr/defer -type f | wc -l'
playbook queue queue.yml
expect_recap "queue: two postmulti_info tasks" queue changed=0 failed=0
# queue_summary TASK - postfix-dfr's summary, and the same computed from postqueue -j
queue_summary() {
	task queue "$1" instances | python3 -c '
import json, sys
s = json.load(sys.stdin)[0]["queue_summary"]
print(json.dumps([s["messages"], s["bytes"], s["oldest_arrival_time"], s["queues"],
                  s["recipient_domains"], sorted(s["delay_reasons"].values())], sort_keys=True))'
}
# postqueue_summary [QUEUE] - the same numbers from postqueue -j
postqueue_summary() {
	postqueue -c /etc/postfix-dfr -j | python3 -c '
import json, sys
want = sys.argv[1] if len(sys.argv) > 1 else None
m = [json.loads(l) for l in sys.stdin if l.strip()]
m = [x for x in m if want is None or x["queue_name"] == want]
q = dict((k, 0) for k in ("maildrop", "incoming", "active", "deferred", "hold"))
d, r = {}, {}
for x in m:
    q[x["queue_name"]] += 1
    for rc in x["recipients"]:
        dom = rc["address"].rsplit("@", 1)[1].lower()
        d[dom] = d.get(dom, 0) + 1
        if "delay_reason" in rc:
            r[rc["delay_reason"]] = r.get(rc["delay_reason"], 0) + 1
print(json.dumps([len(m), sum(x["message_size"] for x in m),
                  min((x["arrival_time"] for x in m), default=None), q, d, sorted(r.values())],
                 sort_keys=True))' "$@"
}
expect_output "queue: postfix-dfr's summary is what postqueue -j says (2 deferred)" \
	"$(postqueue_summary)" queue_summary "queue summary"
expect_output "queue: ... two messages in it" 2 sh -c "$here/task $A/queue.log 'queue summary' instances | python3 -c 'import json,sys; print(json.load(sys.stdin)[0][\"queue_summary\"][\"messages\"])'"
expect_output "queue: queue_filters queue=hold: nothing held" \
	"$(postqueue_summary hold)" queue_summary "queue summary of the held mail"
# foreign_file - postfix-foreign, stopped and empty, with a file of the
# administrator's in its config directory
foreign_file() {
	postmulti -e create -I postfix-foreign && echo notes >/etc/postfix-foreign/notes
}
test_expect "setup: postfix-foreign, with a file that Postfix did not make" foreign_file
# orphan_log - postfix-logs, stopped and without mail, with the defer log
# of a message that is gone (as "postsuper -d ALL deferred" leaves it)
orphan_log() {
	postmulti -e create -I postfix-logs &&
	install -d -o postfix -m 0700 /var/spool/postfix-logs/defer/A &&
	install -o postfix -m 0600 /dev/null /var/spool/postfix-logs/defer/A/ABCDEF0123
}
test_expect "setup: postfix-logs, with the defer log of a message that is gone" orphan_log
playbook purge purge.yml
expect_recap "purge: two instances destroyed, two failures" purge changed=3 failed=0 ignored=2
expect_output "log file: without purge_queue, refused" \
	"the queue of instance /etc/postfix-logs holds 1 log file of mail: set purge_queue: true to delete them before it is destroyed" \
	task purge "log file without purge_queue" msg
expect_output "log file: with purge_queue, postsuper deletes it although no message is queued" \
	"[\"$(command -v postsuper) -c /etc/postfix-logs -d ALL defer bounce trace flush maildrop incoming active deferred hold\", \"$pm -i postfix-logs -e destroy\"]" \
	task purge "log file purged and destroyed" commands
expect_output "log file: postfix-logs's directories are all gone" "" \
	existing /etc/postfix-logs /var/spool/postfix-logs /var/lib/postfix-logs
expect_output "purge: the commands, postsuper on the log queues too" \
"[\"$(command -v postfix) -c /etc/postfix-dfr stop\", \"$pm -i postfix-dfr -e disable\", \"$(command -v postsuper) -c /etc/postfix-dfr -d ALL defer bounce trace flush maildrop incoming active deferred hold\", \"$pm -i postfix-dfr -e destroy\"]" \
	task purge "deferred mail purged and destroyed" commands
expect_output "purge: postfix-dfr's directories are all gone" "" \
	existing /etc/postfix-dfr /var/spool/postfix-dfr /var/lib/postfix-dfr
expect_output "leftover: the task failed" failed \
	task purge "foreign file left"
expect_output "leftover: msg says what destroy left" \
	"instance /etc/postfix-foreign is unregistered, but postmulti -e destroy left /etc/postfix-foreign in place (remove by hand what should go):" \
	first_line task purge "foreign file left" msg
# leftover_warnings - the lines of the failed task's msg that name
# postfix-foreign's paths: postmulti's warnings
leftover_warnings() {
	task purge "foreign file left" msg | sed 1d | sed -n 's/: left in place .*//p'
}
expect_output "leftover: msg holds postmulti's warning for the file and the directory" \
"postmulti: warning: /etc/postfix-foreign/notes
postmulti: warning: /etc/postfix-foreign" \
	leftover_warnings
expect_output "leftover: only the file and its directory are left" \
	"/etc/postfix-foreign /etc/postfix-foreign/notes" \
	one_line existing /etc/postfix-foreign /etc/postfix-foreign/notes /var/spool/postfix-foreign \
	/var/lib/postfix-foreign

# --- the example of contrib/ansible/README.md, as it stands there
awk '/^## Example/ { on = 1; next } on && /^[^ ]/ { exit } on { sub(/^    /, ""); print }' \
	"$SRCDIR/contrib/ansible/README.md" >"$A/example.yml"
printf '[mailhosts]\nlocalhost ansible_connection=local ansible_become=false\n' >"$A/hosts"
inventory=$A/hosts playbook readme "$A/example.yml"
expect_recap "README example: runs" readme failed=0
expect_output "README example: an inbound and an outbound instance" \
"-               -               y         /etc/postfix
postfix-second  -               n         /etc/pf-alt
postfix-in      mta             y         /etc/postfix-in
postfix-out     mta             y         /etc/postfix-out" postmulti -l
expect_output "README example: their addresses" \
"192.0.2.25
127.0.0.1 192.0.2.26" sh -c 'postconf -c /etc/postfix-in -h inet_interfaces &&
	postconf -c /etc/postfix-out -h inet_interfaces smtp_bind_address | paste -sd " "'

done_testing
