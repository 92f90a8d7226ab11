#!/usr/bin/env python3
"""Write vectors.json: inputs and CPython's outputs for pyrepr_test.go.

Run from anywhere with python3 (3.11); the output is deterministic:

    python3 testdata/pyrepr/gen_vectors.py

Sections:
  floats: {"bits": 16 hex digits of the IEEE 754 binary64, "repr": repr(x)}
  strings: {"utf8": hex of s.encode('utf-8', 'surrogatepass'), "repr": repr(s),
            "raw_unicode_escape": hex of the body of the UNICODE opcode that
            pickle.dumps(s, 0) writes}
  bytes: {"hex": hex of b, "repr": repr(b)}
  surrogatepass: {"hex": hex of b, "ok": whether b.decode('utf-8',
                  'surrogatepass') succeeds}

Strings use only code points whose printability cannot depend on the Unicode
version: characters assigned in Python's tables, plus code points that stay
unassigned for good (noncharacters) or for now in every version up to 15.1.
"""

import json
import math
import os
import pickle
import random
import struct
import sys
import unicodedata

rng = random.Random(20240611)


def bits(x):
    return struct.pack(">d", x).hex()


def from_bits(u):
    return struct.unpack(">d", struct.pack(">Q", u))[0]


# ---------------------------------------------------------------- floats

def float_inputs():
    xs = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 1.5, -2.5, 100.0,
          0.5, 123456789.0, 1234567890123456.0, 12345678901234567.0,
          123456789012345678.0, 9007199254740992.0, 9007199254740993.0,
          math.pi, math.e, 1e22, 1e23, 1e-7, 1e300, 1e-300,
          2.2250738585072014e-308, 2.225073858507201e-308,  # min normal, max subnormal
          5e-324, 1e-323, 1.7976931348623157e308, -1.7976931348623157e308,
          9999999999999998.0, 999999999999999.9, 0.00009999999999999999,
          math.inf, -math.inf, math.nan]
    specials = [0x0000000000000001, 0x000FFFFFFFFFFFFF, 0x0010000000000000,
                0x7FEFFFFFFFFFFFFF, 0x8000000000000001, 0x7FF8000000000000,
                0xFFF8000000000000, 0x7FF0000000000001, 0xFFFFFFFFFFFFFFFF,
                0x7FF4000000000000, 0x7FF0000000000000, 0xFFF0000000000000]
    xs += [from_bits(u) for u in specials]
    # Powers of ten and their neighbours, densely around the notation switches.
    for k in range(-325, 310):
        p = float(f"1e{k}")
        xs += [p, -p]
        if -8 <= k <= 20 or k % 25 == 0:
            xs += [math.nextafter(p, 0), math.nextafter(p, math.inf),
                   p * 1.5, p * 9.5, p * 1.25]
    # Every power of two: the asymmetric rounding interval at each binade edge.
    for k in range(-1074, 1024):
        xs.append(math.ldexp(1.0, k))
    # Subnormals.
    for _ in range(100):
        xs.append(from_bits(rng.getrandbits(52)))
    # Random bit patterns (includes NaN payloads and negative NaNs at random).
    for _ in range(2000):
        xs.append(from_bits(rng.getrandbits(64)))
    # Random values in and near the fixed-notation range, and short decimals.
    for _ in range(1500):
        e = rng.randint(-8, 20)
        x = rng.random() * 10.0 ** e
        xs += [x, float(f"{x:.{rng.randint(1, 17)}g}")]
    for _ in range(500):
        xs.append(float(rng.randint(-2**63, 2**63)))
        xs.append(rng.randint(-10**6, 10**6) / 10 ** rng.randint(0, 8))
    return xs


def float_vectors():
    out, seen = [], set()
    for x in float_inputs():
        b = bits(x)
        if b not in seen:
            seen.add(b)
            out.append({"bits": b, "repr": repr(x)})
    return out


# ---------------------------------------------------------------- strings

# Unassigned in every Unicode version up to 15.1 and in Python 3.11's 14.0.
STABLE_UNASSIGNED = [0x0378, 0x0379, 0x0380, 0x05FF, 0xFDD0, 0xFDEF, 0xFFFE,
                     0xFFFF, 0x1FFFE, 0x2FFFF, 0x40000, 0x50000, 0x9ABCD,
                     0xE0000, 0xEFFFF, 0x10FFFF]


def is_stable(cp):
    return unicodedata.category(chr(cp)) != "Cn" or cp in STABLE_UNASSIGNED


def random_code_point():
    r = rng.random()
    if r < 0.35:
        return rng.randint(0x00, 0x7F)
    if r < 0.5:
        return rng.randint(0x80, 0xFF)
    if r < 0.55:
        return rng.randint(0xD800, 0xDFFF)
    if r < 0.6:
        return rng.choice(STABLE_UNASSIGNED)
    lo, hi = (0x100, 0xFFFF) if r < 0.85 else (0x10000, 0x10FFFF)
    while True:
        cp = rng.randint(lo, hi)
        if is_stable(cp):
            return cp


def string_inputs():
    ss = ["", "a", "hello world", "'", '"', "'\"", "\"'", "it's", 'say "hi"',
          "both ' and \"", "\\", "\\'", "\\\"", "'''", '"""', "a'b\"c\\d",
          "tab\there", "line\nbreak", "cr\rlf\r\n", "\x00\x01\x1a\x1f\x7f",
          "caf\u00e9", "na\u00efve \u00a0nbsp", "soft\u00adhyphen",
          "e\u0301 combining", "\u034f\u0300\u036f", "\u4e2d\u6587",
          "line\u2028sep\u2029para", "ideo\u3000space", "\u1680\u180e\u200b"
          "\u200c\u200d\u200e\u202f\u205f\u2060\u2066\ufeff",
          "\ue000\uf8ff\U000f0000\U0010fffd", "\ufffd\ufffe\uffff",
          "\U0001f600\U0001f468\u200d\U0001f469\u200d\U0001f467",
          "\U0001d11e\U00020000\U0002a6d6", "\U000e0001\U000e0041\U000e0100",
          "\ud800", "\udbff", "\udc00", "\udfff", "\ud83d\ude00",
          "x\udcffy\ud800z", "\ud800'", "\udfff\"'",
          "".join(map(chr, range(0x80))), "".join(map(chr, range(0x80, 0x100))),
          "".join(map(chr, STABLE_UNASSIGNED)), "\u0085\u061c\u06dd\u070f",
          "\U0001f1fa\U0001f1f8", "\u00ff\u0100\u07ff\u0800\uffff\U00010000"]
    ss += [chr(cp) for cp in range(0x300)]
    for cp in (0x0378, 0x0600, 0x0890, 0x1680, 0x2000, 0x200A, 0x200F,
               0x2028, 0x2029, 0x202A, 0x2064, 0x2065, 0x206F, 0x2FFF, 0x3000,
               0xD7FF, 0xE000, 0xF8FF, 0xF900, 0xFFF9, 0xFFFB, 0xFFFC,
               0x10000, 0x1D173, 0x1F3FB, 0x1FFFD, 0x2A6DF, 0xE007F, 0xE01EF,
               0xF0000, 0xFFFFD, 0x100000, 0x10FFFE):
        if is_stable(cp):
            ss.append(chr(cp))
    for _ in range(1000):
        ss.append("".join(chr(random_code_point())
                          for _ in range(rng.randint(0, 16))))
    return ss


def protocol0_unicode_body(s):
    data = pickle.dumps(s, 0)
    assert data[:1] == b"V", data
    end = data.index(b"\n")  # the body escapes every newline
    assert data[end:] == b"\np0\n.", data
    return data[1:end]


def string_vectors():
    out = []
    for s in string_inputs():
        assert all(is_stable(ord(c)) for c in s), ascii(s)
        out.append({"utf8": s.encode("utf-8", "surrogatepass").hex(),
                    "repr": repr(s),
                    "raw_unicode_escape": protocol0_unicode_body(s).hex()})
    return out


# ---------------------------------------------------------------- bytes

def bytes_vectors():
    bs = [b"", bytes(range(256)), b"'", b'"', b"'\"", b"it's", b'say "hi"',
          b"\\'", b"\\", b"\t\n\r\x0b\x0c"]
    bs += [bytes([i]) for i in range(256)]
    for _ in range(300):
        pool = rng.choice([b"ab'\"\\ \t\n", bytes(range(256))])
        bs.append(bytes(rng.choice(pool) for _ in range(rng.randint(0, 12))))
    return [{"hex": b.hex(), "repr": repr(b)} for b in bs]


# ---------------------------------------------------------------- surrogatepass

def accepts(b):
    try:
        b.decode("utf-8", "surrogatepass")
        return True
    except UnicodeDecodeError:
        return False


def surrogatepass_inputs():
    bs = [b"", b"abc", "\u00e9\u4e2d\U0001f600".encode()]
    # Every lead byte with every continuation class: 2-, 3- and 4-byte forms.
    cont = [0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF]
    for lead in range(0x80, 0x100):
        bs.append(bytes([lead]))
        for c1 in cont:
            bs.append(bytes([lead, c1]))
            for c2 in (0x41, 0x80, 0xBF, 0xC0):
                bs.append(bytes([lead, c1, c2]))
                if lead >= 0xF0:
                    bs.append(bytes([lead, c1, c2, 0x80]))
    for c1 in range(0x80, 0xC0):  # all ED xx yy second bytes
        bs.append(bytes([0xED, c1, 0x80]))
    bs += [b"\xed\xa0\x80\xed\xb0\x80", b"\xed\xa0", b"a\xed\xa0\x80b",
           b"\xed\xa0\x80\x80", b"\xf4\x90\x80\x80", b"\xf4\x8f\xbf\xbf",
           b"\xc0\x80", b"\xe0\x80\x80", b"\xf0\x80\x80\x80"]
    pieces = [b"a", b"\x80", b"\xc3\xa9", b"\xe4\xb8\xad", b"\xf0\x9f\x98\x80",
              b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xed", b"\xff", b"\xe4\xb8",
              b"\xf0\x9f"]
    for _ in range(300):
        bs.append(b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))))
    return bs


def surrogatepass_vectors():
    return [{"hex": b.hex(), "ok": accepts(b)} for b in surrogatepass_inputs()]


def main():
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"run with CPython 3.11, not {sys.version.split()[0]}")
    vectors = {
        "python": sys.version.split()[0],
        "unidata_version": unicodedata.unidata_version,
        "floats": float_vectors(),
        "strings": string_vectors(),
        "bytes": bytes_vectors(),
        "surrogatepass": surrogatepass_vectors(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json")
    with open(path, "w", encoding="utf-8") as f:  # one vector per line
        f.write("{\n")
        for i, (key, value) in enumerate(vectors.items()):
            f.write(f"{json.dumps(key)}: ")
            if isinstance(value, list):
                f.write("[\n" + ",\n".join(
                    json.dumps(v, ensure_ascii=False) for v in value) + "\n]")
            else:
                f.write(json.dumps(value))
            f.write(",\n" if i < len(vectors) - 1 else "\n}\n")
    print(path, {k: len(v) for k, v in vectors.items() if isinstance(v, list)})


if __name__ == "__main__":
    main()
