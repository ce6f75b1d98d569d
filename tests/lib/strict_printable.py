#!/usr/bin/python3
"""strict_printable.py - each line of stdin as Postfix 3.9 and later's printable() leaves it

Postfix 3.7 and 3.8 keep a byte sequence that merely looks like UTF-8 (a
lead byte, then continuation bytes), so "postqueue -j" can print invalid
UTF-8; since 3.9 only valid UTF-8 is kept, and each other byte that is not
printable ASCII becomes "?". postmulti -Q always follows the later rule.
Applied to 3.7's output, this gives what the later rule gives on the
original bytes (what 3.7 replaced, the later rule replaces too).
"""
import sys


def char_len(b, i):
    c0 = b[i]
    if c0 < 0x80:
        return 1
    for n in (2, 3, 4):
        try:
            if len(b[i:i + n].decode("utf-8", "strict")) == 1:
                return n
        except UnicodeDecodeError:
            continue
    return 0


def main():
    for line in sys.stdin.buffer:
        out = bytearray()
        i = 0
        while i < len(line):
            c = line[i]
            if c == 0x0A or 0x20 <= c < 0x7F:
                out.append(c)
                i += 1
                continue
            n = char_len(line, i) if c >= 0x80 else 0
            if n > 1:
                out += line[i:i + n]
                i += n
            else:
                out += b"?"
                i += 1
        sys.stdout.buffer.write(bytes(out))


main()
