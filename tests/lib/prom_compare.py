#!/usr/bin/python3
"""prom_compare - postmulti -m against postqueue -j, message by message

usage: prom_compare.py METRICS T0 T1 LABEL=POSTQUEUE_JSON...

METRICS is postmulti -m's output, taken between the times T0 and T1
(seconds); each LABEL=FILE pair names an instance's postfix_instance
label and what "postqueue -c DIR -j" printed for it, taken while the
queues held still. For each instance and each queue that showq lists,
it checks: _count is postqueue's number of messages; _sum of the size
histogram is the sum of their message_size; each size bucket holds the
messages whose message_size fits it; the age histogram's buckets agree
with the arrival times for some "now" in [T0, T1], and its _sum lies in
the range those times give; the queue_depth gauge is the count. It
prints one "# ..." line per difference and exits 1 if there is one.
"""
import json
import re
import sys

QUEUES = ["maildrop", "incoming", "active", "deferred", "hold"]
SIZE_LE = [1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]
AGE_LE = [1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8]
SERIES = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?')


def parse(path):
    series = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            m = SERIES.match(line)
            if not m:
                continue
            labels = dict(LABEL.findall(m.group(2)))
            key = (m.group(1), labels.get("postfix_instance"), labels.get("queue"),
                   labels.get("le"))
            series[key] = float(m.group(3))
    return series


def cumulative(values, bounds):
    return [sum(1 for v in values if v <= b) for b in bounds]


def main():
    metrics, t0, t1 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    series = parse(metrics)
    bad = 0
    checked = 0

    def differ(what, got, want):
        nonlocal bad
        if got != want:
            print(f"# {what}: postmulti {got}, postqueue {want}")
            bad += 1

    for pair in sys.argv[4:]:
        label, path = pair.split("=", 1)
        msgs = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    msgs.append(json.loads(line))
        for q in QUEUES:
            here = [m for m in msgs if m["queue_name"] == q]
            sizes = [m["message_size"] for m in here]
            arrivals = [m["arrival_time"] for m in here]
            size = "postfix_showq_message_size_bytes"
            age = "postfix_showq_message_age_seconds"
            where = f"{label} {q}"
            differ(f"{where} size _count", series.get((size + "_count", label, q, None)),
                   float(len(here)))
            differ(f"{where} age _count", series.get((age + "_count", label, q, None)),
                   float(len(here)))
            differ(f"{where} queue_depth",
                   series.get(("postfix_showq_queue_depth", label, q, None)), float(len(here)))
            differ(f"{where} size _sum", series.get((size + "_sum", label, q, None)),
                   float(sum(sizes)))
            got = [series.get((size + "_bucket", label, q, s)) for s in
                   ["1000", "10000", "100000", "1e+06", "1e+07", "1e+08", "1e+09"]]
            differ(f"{where} size buckets", got, [float(c) for c in cumulative(sizes, SIZE_LE)])
            differ(f"{where} size +Inf", series.get((size + "_bucket", label, q, "+Inf")),
                   float(len(here)))
            got = [series.get((age + "_bucket", label, q, s)) for s in
                   ["10", "100", "1000", "10000", "100000", "1e+06", "1e+07", "1e+08"]]
            fits = [[float(c) for c in cumulative([max(0, now - a) for a in arrivals], AGE_LE)]
                    for now in range(t0, t1 + 1)]
            if got not in fits:
                print(f"# {where} age buckets: postmulti {got}, postqueue {fits[0]}..{fits[-1]}")
                bad += 1
            s = series.get((age + "_sum", label, q, None))
            low = sum(max(0, t0 - a) for a in arrivals)
            high = sum(max(0, t1 - a) for a in arrivals)
            if s is None or not low <= s <= high:
                print(f"# {where} age _sum: postmulti {s}, postqueue between {low} and {high}")
                bad += 1
            checked += len(here)
    print(f"# {checked} messages compared")
    sys.exit(1 if bad else 0)


main()
