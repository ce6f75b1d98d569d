#!/usr/bin/python3
"""queue_filter.py - which messages a -Q filter selects, computed from postqueue -j

Usage: queue_filter.py NOW CONFIG_DIR=PQ_FILE... -- FILTER...

Reads each instance's "postqueue -c CONFIG_DIR -j" output, applies the
filters as the manual describes them (all must pass), and prints
"CONFIG_DIR QUEUE_ID" for each selected message, sorted. It is written
from the manual, not from src/qwork.c: the scenario compares the two.
"""
import fnmatch
import json
import sys

UNITS_T = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
UNITS_S = {"k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}


def number(text, units):
    if text[-1:].lower() in units and text[:-1].isdigit():
        return int(text[:-1]) * units[text[-1:].lower()]
    return int(text)


def addr_match(pat, addr, null):
    if pat == "<>":
        return null
    if any(c in pat for c in "*?["):
        return fnmatch.fnmatchcase(addr.lower(), pat.lower())
    if pat.startswith("@"):
        return "@" in addr and addr.rsplit("@", 1)[1].lower() == pat[1:].lower()
    return addr.lower() == pat.lower()


def passes(msg, filters, now, null_sender):
    age = now - msg["arrival_time"]
    for name, val in filters:
        if name == "queue" and msg["queue_name"] not in val.split(","):
            return False
        if name == "id" and msg["queue_id"] not in val.split(","):
            return False
        if name == "sender" and not addr_match(val, msg["sender"], null_sender(msg)):
            return False
        if name == "recipient" and not any(addr_match(val, r["address"], False)
                                           for r in msg["recipients"]):
            return False
        if name == "older" and not age > number(val, UNITS_T):
            return False
        if name == "younger" and not age < number(val, UNITS_T):
            return False
        if name == "larger" and not msg["message_size"] > number(val, UNITS_S):
            return False
        if name == "smaller" and not msg["message_size"] < number(val, UNITS_S):
            return False
        if name == "reason" and not any(val.lower() in r.get("delay_reason", "").lower()
                                        for r in msg["recipients"]):
            return False
    return True


def main():
    args = sys.argv[1:]
    now = int(args.pop(0))
    sep = args.index("--")
    sources, filters = args[:sep], [f.split("=", 1) for f in args[sep + 1:]]
    out = []
    for src in sources:
        cdir, path = src.split("=", 1)
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                msg = json.loads(line)
                # The scenario's only null-sender mail shows as MAILER-DAEMON.
                if passes(msg, filters, now, lambda m: m["sender"] == "MAILER-DAEMON"):
                    out.append("%s %s" % (cdir, msg["queue_id"]))
    for line in sorted(out):
        print(line)


main()
