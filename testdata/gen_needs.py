"""Writes testdata/needs: pickles that load only with an option, for the
command's flags (-extension, -buffer, -max-int-digits), and expected.json,
the repr of what Python loads from each with that option (for oob.pkl, the
JSON of its bytes).

Run with pyenv's python3 (3.11 or later: sys.set_int_max_str_digits).
"""
import base64
import collections
import copyreg
import json
import os
import pickle
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'needs')
EXT_CODE = 240  # in the range copyreg reserves for private use


def write(name, data):
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}

    # An extension code: the pickle names collections.OrderedDict by 240.
    copyreg.add_extension('collections', 'OrderedDict', EXT_CODE)
    data = pickle.dumps(collections.OrderedDict(a=1), protocol=2)
    copyreg.remove_extension('collections', 'OrderedDict', EXT_CODE)
    assert b'\x82\xf0' in data, 'EXT1 240'
    write('ext.pkl', data)
    copyreg.add_extension('collections', 'OrderedDict', EXT_CODE)
    expected['ext.pkl'] = repr(pickle.loads(data))
    copyreg.remove_extension('collections', 'OrderedDict', EXT_CODE)

    # An out-of-band buffer: the pickle holds none of its bytes.
    bufs = []
    data = pickle.dumps(pickle.PickleBuffer(b'out of band'), protocol=5, buffer_callback=bufs.append)
    write('oob.pkl', data)
    write('oob.buf0', bytes(bufs[0].raw()))
    with open(os.path.join(OUT, 'oob.buf0'), 'rb') as f:
        loaded = pickle.loads(data, buffers=[f.read()])
    # Go shows a PickleBuffer where Python gives back the buffer itself:
    # compare the bytes, as pickle json prints them (base64).
    expected['oob.pkl'] = json.dumps(base64.b64encode(bytes(loaded)).decode())

    # An int of 5000 digits in protocol 0's text: past Python's default
    # limit of 4300, loaded once the limit is lifted.
    sys.set_int_max_str_digits(0)
    n = 7 ** 5916
    assert len(str(n)) == 5000
    data = pickle.dumps(n, protocol=0)
    write('bigint.pkl', data)
    expected['bigint.pkl'] = repr(pickle.loads(data))

    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump({'python': sys.version.split()[0], 'repr': expected}, f, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
