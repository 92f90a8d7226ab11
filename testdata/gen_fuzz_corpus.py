"""Writes regression inputs for the fuzz targets, in Go's corpus format,
from pickles CPython writes: the inputs issue 11 named, which crashed
Unmarshal into map[any]any before it had a fuzz target of its own.

Run with python3 from the repository root:
    python3 testdata/gen_fuzz_corpus.py
"""
import os
import pickle

HERE = os.path.dirname(os.path.abspath(__file__))

CASES = {
    'FuzzUnmarshalTyped': {
        'dict_tuple_key': pickle.dumps({(1, 2): 1}, 2),
        'dict_bytes_key': pickle.dumps({b'k': 1}, 4),
        'dict_nested_tuple_bytes_key': pickle.dumps({(1, (b'x', 'y'), ()): 'v'}, 0),
    },
}


def go_quote(data):
    out = []
    for c in bytearray(data):
        ch = chr(c)
        if ch in '"\\':
            out.append('\\' + ch)
        elif 32 <= c < 127:
            out.append(ch)
        else:
            out.append('\\x%02x' % c)
    return '"' + ''.join(out) + '"'


def main():
    for target, cases in sorted(CASES.items()):
        folder = os.path.join(HERE, 'fuzz', target)
        if not os.path.isdir(folder):
            os.makedirs(folder)
        for name, data in sorted(cases.items()):
            with open(os.path.join(folder, name), 'w') as f:
                f.write('go test fuzz v1\n[]byte(%s)\n' % go_quote(data))


if __name__ == '__main__':
    main()
