#!/bin/bash
#
# postmulti -m end to end with the real monitoring stack: Debian's
# prometheus-node-exporter reads the textfile that "postmulti -m -O"
# writes, a real Prometheus server scrapes it, both on 127.0.0.1 in the
# sandbox's own network namespace, and a PromQL query through
# Prometheus's HTTP API gives, for each instance and queue, the count
# that "postqueue -c DIR -j" gives for the same real queues. The alert
# rules of contrib/prometheus are loaded too, and the instance that is
# enabled but stopped fires PostfixInstanceDown.
#
# Run: tests/lib/sandbox -b ./postmulti tests/scenario/prometheus.sh

. "$SRCDIR/tests/lib/scenario.sh"

if ! command -v prometheus >/dev/null || ! command -v prometheus-node-exporter >/dev/null; then
	skip "the monitoring stack" "no prometheus or prometheus-node-exporter (tools/install-deps test installs them)"
	done_testing
fi

test_expect "setup: a primary and three secondaries" example_instances
test_expect "setup: the primary's queue subdirectories made (postfix set-permissions)" \
	postfix set-permissions
test_expect "setup: postfix-out and postfix-msa accept local submissions" local_submissions
# submit CONFIG_DIR N - N messages with sendmail to a remote address
submit() {
	local i
	for ((i = 0; i < $2; i++)); do
		printf 'Subject: test %s\n\nbody\n' "$i" |
			MAIL_CONFIG=$1 sendmail -f sender@example.com rcpt@example.net 2>/dev/null || return
	done
}
# fill - maildrop in postfix-msa (stopped), deferred and hold in postfix-out
fill() {
	submit /etc/postfix-msa 2 && submit /etc/postfix-out 5 &&
	postfix -c /etc/postfix-out start 2>/dev/null &&
	wait_files /var/spool/postfix-out/deferred 5 &&
	postsuper -c /etc/postfix-out -h "$(find /var/spool/postfix-out/deferred -type f -printf '%f\n' | head -n 1)" 2>/dev/null
}
test_expect "setup: 2 messages in postfix-msa's maildrop, 4 deferred and 1 held in postfix-out" fill

mkdir -p "$T/textfile" "$T/tsdb"
test_expect "setup: postmulti -m -O into the textfile directory" \
	postmulti -m -O "$T/textfile/postmulti.prom"

# The exporter with only its textfile collector; Prometheus scraping it
# every second, with the example rules.
ne_port=19100 prom_port=19090
prometheus-node-exporter --web.listen-address=127.0.0.1:$ne_port \
	--collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$T/textfile" >"$T/node_exporter.log" 2>&1 &
cat >"$T/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $SRCDIR/contrib/prometheus/postmulti.rules.yml
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$ne_port']
EOF
prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
	--web.listen-address=127.0.0.1:$prom_port >"$T/prometheus.log" 2>&1 &

# promql EXPR - the result of an instant query, one "LABELS VALUE" a line:
# the postfix_instance and queue labels, sorted
promql() {
	/usr/bin/python3 - "$prom_port" "$1" <<'EOF'
import json, sys, urllib.parse, urllib.request
port, expr = sys.argv[1], sys.argv[2]
url = "http://127.0.0.1:%s/api/v1/query?query=%s" % (port, urllib.parse.quote(expr))
with urllib.request.urlopen(url, timeout=5) as r:
    data = json.load(r)
if data.get("status") != "success":
    sys.exit("query failed: %s" % data)
rows = []
for s in data["data"]["result"]:
    m = s["metric"]
    rows.append("%s %s %s" % (m.get("postfix_instance", "-"), m.get("queue", "-"), s["value"][1]))
print("\n".join(sorted(rows)))
EOF
}
# wait_scraped - wait up to 60 seconds for Prometheus to have our series
wait_scraped() {
	local i out
	for i in $(seq 120); do
		out=$(promql 'count(postfix_showq_message_size_bytes_count)' 2>/dev/null)
		[ "$out" = "- - 20" ] && return 0
		sleep 0.5
	done
	echo "# Prometheus has: ${out:-nothing}"
	sed 's/^/# node_exporter: /' "$T/node_exporter.log" | tail -n 5
	sed 's/^/# prometheus: /' "$T/prometheus.log" | tail -n 5
	return 1
}
test_expect "Prometheus scrapes node_exporter's textfile: 4 instances x 5 queues" wait_scraped

# postqueue_counts - per instance and queue, the count postqueue -j gives,
# in promql's format (every showq queue, 0 included)
postqueue_counts() {
	local d label q
	for d in /etc/postfix /etc/postfix-out /etc/postfix-msa /etc/postfix-null; do
		label=$(postconf -c $d -h multi_instance_name)
		[ -n "$label" ] || label=$d
		postqueue -c $d -j 2>/dev/null >"$T/pq" || return
		for q in maildrop incoming active deferred hold; do
			echo "$label $q $(grep -c "\"queue_name\": *\"$q\"" "$T/pq")"
		done
	done | sort
}
# compare_counts - PromQL's counts against postqueue's
compare_counts() {
	postqueue_counts >"$T/want" && promql 'postfix_showq_message_size_bytes_count' >"$T/got" &&
	diff "$T/want" "$T/got"
}
# compare_filled - the same, with the mail of the setup in it
compare_filled() {
	compare_counts && grep -q '^postfix-out deferred 4$' "$T/got" &&
	grep -q '^postfix-msa maildrop 2$' "$T/got" && grep -q '^postfix-out hold 1$' "$T/got"
}
test_expect "PromQL's count per instance and queue is postqueue -j's" compare_filled
expect_output "PromQL: the deferred queue's depth over all instances" '- - 4' \
	promql 'sum(postfix_showq_queue_depth{queue="deferred"})'
expect_output "PromQL: postfix_up by instance" \
'/etc/postfix - 0
/etc/postfix-null - 0
postfix-msa - 0
postfix-out - 1' \
	promql 'postfix_up'

# After a change, the next -O run is what Prometheus sees.
# delete_and_write - postsuper -d ALL in postfix-out, then -m -O
delete_and_write() {
	postsuper -c /etc/postfix-out -d ALL 2>/dev/null &&
	postmulti -m -O "$T/textfile/postmulti.prom"
}
test_expect "setup: postsuper -d ALL in postfix-out, and postmulti -m -O again" delete_and_write
# wait_empty - wait up to 30 seconds for postfix-out's count to reach 0
wait_empty() {
	local i
	for i in $(seq 60); do
		[ "$(promql 'sum(postfix_showq_message_size_bytes_count{postfix_instance="postfix-out"})')" = "- - 0" ] && return 0
		sleep 0.5
	done
	return 1
}
test_expect "... and Prometheus sees postfix-out's queues empty" wait_empty
test_expect "... the counts are postqueue's again" compare_counts

# firing - every alert Prometheus has, pending or firing: NAME INSTANCE STATE
firing() {
	/usr/bin/python3 - "$prom_port" <<'EOF'
import json, sys, urllib.request
with urllib.request.urlopen("http://127.0.0.1:%s/api/v1/alerts" % sys.argv[1], timeout=5) as r:
    data = json.load(r)
for a in data["data"]["alerts"]:
    print(a["labels"].get("alertname"), a["labels"].get("postfix_instance", "-"), a["state"])
EOF
}
# alert_state ALERT INSTANCE - wait up to 30 s for the alert of an instance
alert_state() {
	local i
	for i in $(seq 60); do
		firing | grep -q "^$1 $2 " && return 0
		sleep 0.5
	done
	firing | sed 's/^/# alerts: /'
	return 1
}
test_expect "the example rules are loaded: PostfixInstanceDown pending or firing for postfix-null" \
	alert_state PostfixInstanceDown /etc/postfix-null

done_testing
