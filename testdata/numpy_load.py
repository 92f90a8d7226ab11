"""Loads the pickles Go wrote (numpy_live_test.go) with numpy and prints,
for each, what numpy sees: a JSON list of {name, type, dtype, shape,
fortran, data (tobytes(order='C'), base64) or objects (repr of tolist())}.

    /usr/bin/python3 testdata/numpy_load.py DIR

DIR holds NAME.pkl files and, for out-of-band buffers, NAME.buf0, NAME.buf1,
... in order.
"""
import base64
import json
import os
import pickle
import sys

import numpy as np


def main(folder):
    out = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith('.pkl'):
            continue
        stem = name[:-4]
        bufs = []
        while os.path.exists(os.path.join(folder, '%s.buf%d' % (stem, len(bufs)))):
            with open(os.path.join(folder, '%s.buf%d' % (stem, len(bufs))), 'rb') as f:
                bufs.append(f.read())
        with open(os.path.join(folder, name), 'rb') as f:
            v = pickle.loads(f.read(), buffers=bufs)
        a = np.asarray(v)
        entry = {'name': stem, 'type': type(v).__module__ + '.' + type(v).__name__,
                 'dtype': a.dtype.str, 'shape': list(a.shape),
                 'fortran': bool(a.flags.f_contiguous and not a.flags.c_contiguous)}
        if a.dtype.kind == 'O':
            entry['objects'] = repr(a.tolist())
        else:
            entry['data'] = base64.b64encode(a.tobytes(order='C')).decode('ascii')
        out.append(entry)
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main(sys.argv[1])
