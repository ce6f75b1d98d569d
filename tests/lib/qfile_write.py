#!/usr/bin/python3
"""qfile_write.py - write a queue file with hostile addresses, as Postfix lays one out

Usage: qfile_write.py QUEUE_DIRECTORY SEED

Writes a finished queue file (mode 0700, owned by postfix) into the
directory QUEUE_DIRECTORY (e.g. .../hold), named as Postfix names it (a
short queue ID: microseconds and inode number, so that postsuper -s leaves
it alone), and prints that name. The file has a size
record, a time record, a sender and recipient records whose bytes are what
an attacker could send (control bytes, invalid UTF-8, quotes, a NUL, an
empty address, a 20 kB address, thousands of recipients), then content.
showq reads it as any other message: the scenario compares postqueue -j
with postmulti -Q list -j on it.
"""
import os
import random
import shutil
import sys
import time


def record(rtype, data):
    out = bytearray([ord(rtype)])
    n = len(data)
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            break
    return bytes(out) + data


def main():
    path, seed = sys.argv[1], int(sys.argv[2])
    rnd = random.Random(seed)
    sender = b'a\x01"b\\ c\xff\xc3\xa9@example.com'
    rcpts = [b"a@example.com", b"ab\x00cd@example.com", b"", b"x" * 20000 + b"@example.net",
             b"tab\there@example.com", b"\xe2\x82(@example.org", b"@r1,@r2:we ird@example.com",
             b"\xf0\x9f\x93\xa7@example.com", b"a.@example.com"]
    rcpts += [bytes(rnd.choice(b"abc.\x00\x7f\xc3\xa9\xff \"\\@") for _ in range(rnd.randint(1, 12)))
              + b"@example.com" for _ in range(200)]
    rcpts += [b"bulk%d@example.net" % i for i in range(3000)]
    content = (record("N", b"Subject: hostile") + record("N", b"") + record("N", b"body"))
    head = record("T", b"%d 123456" % int(time.time()))
    env = record("S", sender) + b"".join(record("R", r) for r in rcpts)
    size = b"%15d %15d %15d %15d %15d" % (len(content), 0, len(rcpts), 0, len(content))
    data = (record("C", size) + head + env + record("M", b"") + content + record("X", b"")
            + record("E", b""))
    tmp = os.path.join(path, "tmp-%d" % os.getpid())
    with open(tmp, "wb") as fh:
        fh.write(data)
    shutil.chown(tmp, "postfix", "postfix")
    os.chmod(tmp, 0o700)
    name = "%05X%X" % (rnd.randrange(1000000), os.stat(tmp).st_ino)
    os.rename(tmp, os.path.join(path, name))
    print(name)


main()
