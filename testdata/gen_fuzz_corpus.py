"""Writes seed inputs for the fuzz targets, in Go's corpus format: for
FuzzUnmarshalTyped, pickles CPython writes (the inputs issue 11 named,
which crashed Unmarshal into map[any]any before it had a fuzz target of its
own); for FuzzMarshalGo, programs that build graphs of Go values (see
graphFrom in fuzz_marshal_test.go: a node count, then (field, argument)
pairs; the last byte also picks the protocol).

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
    'FuzzMarshalGo': {
        'empty': b'',
        'one_node': b'\x00',
        'cycle_and_sharing': b'\x03\x00\x01\x01\x02\x02\x03',
        'nil_and_shared_lists': b'\x05\x05\x01\x05\x02\x15\x03',
        'interfaces': b'\x02\x0c\x05\x0c\x06\x1c\x07\x0d\x41\x0e\x07',
        'kids_maps_arrays': b'\x04\x00\x02\x10\x03\x20\x04\x03\x01\x13\x02\x04\x01',
        'func_in_interface': b'\x01\x0c\x0c',
        'chan_in_interface': b'\x01\x0c\x0d',
        'every_field': b'\x03\x05\x03\x15\x03\x25\x03\x06\x01\x07\x02\x08\x01\x09\x02\x0a\x02\x0b\x01',
        'nil_dict_after_dict': b'\x02\x06\x02\x16\x00\x01\x01\x0c\x0b\x02',
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
