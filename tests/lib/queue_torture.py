#!/usr/bin/python3
"""queue_torture.py - account for every message of tests/scenario/queue_torture.sh

Usage: queue_torture.py --submitted FILE --delivered FILE --reports FILE
                        --log CONFIG_DIR=LOGFILE [--log ...]

submitted: one Message-ID a line, every message sendmail accepted;
delivered: one Message-ID a line per delivery (the sink's file);
reports: the output of every "postmulti -Q ACTION -j" run, one JSON object
a line; each log: an instance's maillog_file, in the order postlogd wrote it.

A Message-ID is <keep-N@...> or <doomed-N@...>. Each log is walked in
order: "ID: message-id=<...>" says which message has queue ID ID from then
on (short queue IDs are reused), and postsuper's "ID: removed", "placed on
hold", "released from hold" and "requeued" lines are what it did to that
message. Prints "#" lines with the numbers and the offenders, then one line
per property:

  acted yes|no          postsuper deleted and held some, and released or requeued some
  reports_match yes|no  the reports' acted_on IDs, per instance and action,
                        are exactly postsuper's lines in the log
  wrongly N             postsuper lines on a message of the wrong class (or
                        on an ID no message-id line names)
  lost N                keep messages not delivered, doomed messages neither
                        delivered nor deleted
  duplicated N          Message-IDs delivered more than once, beyond Postfix's
                        own race: a message held and requeued while its
                        delivery was under way is delivered by both (the
                        log shows the requeued ID's delivery after the requeue)
  unknown N             delivered Message-IDs never submitted
"""
import argparse
import collections
import json
import re
import sys

VERBS = {
    "removed": "delete",
    "placed on hold": "hold",
    "released from hold": "release",
    "requeued": "requeue",
}
# The class each action may touch.
CLASS = {"delete": "doomed", "hold": "keep", "release": "keep", "requeue": "keep"}
GONE = re.compile(r"\swarning: open active ([0-9A-F]+): No such file or directory$")
LINE = re.compile(r"\s(\S+?)/([\w-]+)\[\d+\]: ([0-9A-F]+): (.*)$")


def klass(mid):
    m = re.match(r"<(keep|doomed)-\d+@", mid or "")
    return m.group(1) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--submitted", required=True)
    ap.add_argument("--delivered", required=True)
    ap.add_argument("--reports", required=True)
    ap.add_argument("--log", action="append", default=[])
    a = ap.parse_args()

    submitted = [l.strip() for l in open(a.submitted) if l.strip()]
    delivered = collections.Counter(l.strip() for l in open(a.delivered) if l.strip())

    deleted = collections.Counter()          # Message-ID -> postsuper deletions
    acts = collections.Counter()             # action -> postsuper lines
    logged = collections.Counter()           # (config dir, action, ID)
    wrong = []
    late = collections.Counter()             # Message-ID -> deliveries after a requeue
    vanished = set()                         # Message-IDs qmgr removed, agent found none
    reused = 0
    inodes = 0                               # inode parts named again
    for spec in a.log:
        cdir, path = spec.split("=", 1)
        cur = {}                             # queue ID -> Message-ID now
        recent = collections.defaultdict(lambda: collections.deque(maxlen=8))
        seen = set()                         # queue IDs ever named
        inums = set()                        # their inode parts
        requeued = set()                     # queue IDs requeued, not named since
        released = set()                     # queue IDs released, not named since
        qremoved = set()                     # of them, removed by qmgr
        for line in open(path, errors="replace"):
            g = GONE.search(line)
            if g and g.group(1) in qremoved:
                vanished.add(cur.get(g.group(1)))
            m = LINE.search(line)
            if not m:
                continue
            prog, qid, text = m.group(2), m.group(3), m.group(4)
            recent[qid].append(line.rstrip("\n"))
            if text.startswith("message-id="):
                mid = text[len("message-id="):].split()[0] if len(text) > 11 else ""
                if qid in seen and cur.get(qid) != mid:
                    reused += 1
                if qid not in seen and qid[5:] in inums:
                    inodes += 1
                inums.add(qid[5:])
                seen.add(qid)
                cur[qid] = mid
                requeued.discard(qid)
                released.discard(qid)
                qremoved.discard(qid)
                continue
            if qid in released and prog == "qmgr" and text == "removed":
                qremoved.add(qid)
            # A requeued message's delivery that was under way and ended
            # after the requeue: Postfix's own duplicate (see postsuper(1))
            if qid in requeued and prog in ("smtp", "pipe") and " status=sent " in text:
                late[cur.get(qid)] += 1
                continue
            if prog != "postsuper" or text not in VERBS:
                continue
            action = VERBS[text]
            acts[action] += 1
            logged[(cdir, action, qid)] += 1
            mid = cur.get(qid)
            if klass(mid) != CLASS[action]:
                wrong.append(("%s %s: %s, message %s" % (cdir, qid, text, mid),
                              list(recent[qid])))
            if action == "delete" and mid:
                deleted[mid] += 1
            if action == "requeue":
                requeued.add(qid)
            if action == "release":
                released.add(qid)

    reported = collections.Counter()
    selected = collections.Counter()
    bad_json = 0
    for line in open(a.reports):
        try:
            r = json.loads(line)
        except ValueError:
            bad_json += 1
            continue
        selected[r["action"]] += r["selected"]
        for qid in r["acted_on"]:
            reported[(r["config_directory"], r["action"], qid)] += 1

    lost = []
    for mid in submitted:
        if delivered[mid]:
            continue
        if klass(mid) == "doomed" and deleted[mid]:
            continue
        lost.append(mid)
    # Once, and once more for each delivery that ended after its requeue.
    dup = sorted(mid for mid, n in delivered.items() if n > 1 + late[mid])
    explained = sum(1 for n in delivered.values() if n > 1) - len(dup)
    subset = set(submitted)
    unknown = sorted(mid for mid in delivered if mid not in subset)

    keep = sum(1 for mid in submitted if klass(mid) == "keep")
    doomed = len(submitted) - keep
    print("# submitted: %d (keep %d, doomed %d)" % (len(submitted), keep, doomed))
    print("# delivered: %d deliveries of %d Message-IDs; doomed deleted: %d, of them delivered too: %d"
          % (sum(delivered.values()), len(delivered),
             sum(1 for mid in deleted if klass(mid) == "doomed"),
             sum(1 for mid in deleted if klass(mid) == "doomed" and delivered[mid])))
    print("# postsuper lines: " + ", ".join("%s %d" % (k, acts[k]) for k in sorted(CLASS)))
    print("# selected by the reports: " + ", ".join("%s %d" % (k, selected[k]) for k in sorted(selected)))
    print("# queue IDs named again by a new message-id line: %d; new queue IDs with an"
          " inode number used before: %d" % (reused, inodes))
    for w, lines in wrong[:3]:
        print("# wrongly: " + w)
        for l in lines:                      # the ID's log lines up to then
            print("# wrongly:   " + l)
    for w, _ in wrong[3:10]:
        print("# wrongly: " + w)
    # Diagnosis only, not excused: a message released from hold while the
    # queue manager still had it in memory from before the hold, removed
    # by qmgr, and its delivery agent finding no file (Postfix's own race)
    print("# lost or not, released then removed by qmgr while a delivery agent"
          " found no file: %d (of them lost: %d)"
          % (len(vanished), sum(1 for mid in lost if mid in vanished)))
    for mid in lost[:10]:
        print("# lost: " + mid)
    print("# delivered more than once, explained by a delivery under way when the"
          " message was requeued (Postfix's own race): %d" % explained)
    for mid in dup[:10]:
        print("# duplicated: %s (%d times)" % (mid, delivered[mid]))
    for mid in unknown[:10]:
        print("# unknown: " + mid)
    if bad_json:
        print("# report lines that are not JSON: %d" % bad_json)
    mismatch = (reported - logged) + (logged - reported)
    for key in sorted(mismatch)[:10]:
        print("# reported %d, logged %d: %s %s %s"
              % ((reported[key], logged[key]) + key))

    # delete and hold always find something (the primary defers some doomed
    # mail; keep mail is always in flight); what a hold held, the same
    # round's release or requeue takes: one of the two, not each, is sure.
    print("acted %s" % ("yes" if acts["delete"] and acts["hold"]
                        and (acts["release"] or acts["requeue"]) else "no"))
    print("reports_match %s" % ("yes" if not mismatch and not bad_json else "no"))
    print("wrongly %d" % len(wrong))
    print("lost %d" % len(lost))
    print("duplicated %d" % len(dup))
    print("unknown %d" % len(unknown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
