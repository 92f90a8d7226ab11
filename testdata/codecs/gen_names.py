#!/usr/bin/env python3
"""Write names.json: which codec CPython's codecs.lookup finds for each of a
list of codec names, in every Python 3 below. codec_test.go checks the Go
helper codecNamed (codec.go) against it, and against a live python3.

Usage, from anywhere, with a python3 that can run pyenv:

    python3 testdata/codecs/gen_names.py            # writes names.json
    python3 testdata/codecs/gen_names.py --answer   # stdin: JSON list of hex
                                                    # names; stdout: answers

The names are the aliases (encodings.aliases) and module names of the three
codecs the package evaluates itself (latin_1, utf_8, ascii) in any of the
versions, spelled as a pickle or a user might (case, '-', ' ', '.', leading
and trailing punctuation), a sample of other codecs' names, and odd ones
(NUL, a lone surrogate, non-ASCII letters, digits and punctuation).

A name is stored as the hex of its UTF-8 bytes (lone surrogates as
'surrogatepass' writes them, as the Go package keeps them). An answer is
codecs.lookup(name).name, or "error: " and the exception's type. The output
is deterministic: rerunning produces an identical file.
"""
import codecs
import json
import os
import subprocess
import sys

VERSIONS = ["3.6.15", "3.7.16", "3.8.18", "3.9.18", "3.10.13", "3.11.7",
            "3.12.1", "3.13.0"]

OURS = ("latin_1", "utf_8", "ascii")

OTHERS = ["utf_8_sig", "utf-8-sig", "utf-16", "utf_16_le", "utf-32", "utf-7",
          "cp1252", "latin2", "latin_2", "iso8859_2", "iso-8859-15", "cp437",
          "punycode", "idna", "raw_unicode_escape", "unicode_escape",
          "rot13", "hex", "base64", "zlib", "mbcs", "oem", "charmap",
          "undefined", "bytes", "ASCII8", "utf9", "latin9", "l2", "us2"]

ODD = ["", ".", "_", "-", "latin.1", "latin..1", "utf.8", "a.scii",
       "ansi_x3.4.1968", "ansi.x3.4.1968", "iso.8859.1", "iso_8859.1",
       "ISO_646.IRV_1991", "iso_646_irv_1991", "iso-646.irv-1991",
       "latin1\x00", "lat\x00in1", "\x00", "latin1\udc80", "\udcff",
       "latin\u20141", "latin\u00a01", "utf\u00b78", "ascii\u200b",
       "\u00e9", "latin1\u00e9", "lat\u0130in1", "latin\u0661", "\u00b2",
       "asc\u00dfii", "u\u00b2", "\u3000latin1\u3000", "latin1\t\n",
       "utf-8\r", "la tin1", "utf 8", "us ascii", "US-ASCII", "Utf8",
       "ISO-8859-1", "Latin-1", "UTF-8", "L1", "Us-Ascii", "BYTES"]


def variants(name):
    out = [name, name.upper(), name.title(), name.replace("_", "-"),
           name.replace("_", " "), " " + name + " ", "--" + name, name + "!",
           name.replace("_", "."), name.replace("_", "__"),
           name.replace("_", "")]
    return out


def answer(name):
    try:
        return codecs.lookup(name).name
    except Exception as e:  # LookupError, ValueError, UnicodeEncodeError
        return "error: " + type(e).__name__


def serve():
    """--answer: one answer per hex name read from stdin."""
    names = json.load(sys.stdin)
    out = [answer(bytes.fromhex(h).decode("utf-8", "surrogatepass"))
           for h in names]
    json.dump(out, sys.stdout)


def aliases():
    """--aliases: this version's aliases of our codecs."""
    import encodings.aliases
    json.dump(sorted(k for k, v in encodings.aliases.aliases.items()
                     if v in OURS), sys.stdout)


def python(version):
    root = subprocess.check_output(["pyenv", "root"]).decode().strip()
    return os.path.join(root, "versions", version, "bin", "python")


def run(version, flag, stdin=None):
    out = subprocess.run([python(version), os.path.abspath(__file__), flag],
                         input=stdin, stdout=subprocess.PIPE, check=True)
    return json.loads(out.stdout.decode())


def main():
    keys = set(OURS) | {"iso8859_1"}
    for v in VERSIONS:
        keys.update(run(v, "--aliases"))
    names = []
    for k in sorted(keys):
        names.extend(variants(k))
    names.extend(OTHERS)
    names.extend(ODD)
    seen = set()
    names = [n for n in names if not (n in seen or seen.add(n))]
    hexes = [n.encode("utf-8", "surrogatepass").hex() for n in names]
    request = json.dumps(hexes).encode()
    answers = {v: run(v, "--answer", request) for v in VERSIONS}
    rows = [{"name": h, "answers": {v: answers[v][i] for v in VERSIONS}}
            for i, h in enumerate(hexes)]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "names.json")
    with open(path, "w") as f:
        json.dump({"versions": VERSIONS, "names": rows}, f, indent=1,
                  sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    if sys.argv[1:] == ["--answer"]:
        serve()
    elif sys.argv[1:] == ["--aliases"]:
        aliases()
    else:
        main()
