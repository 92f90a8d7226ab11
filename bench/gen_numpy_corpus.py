"""Writes the numpy part of the benchmark corpus: one 100 MB float64 array.

    /usr/bin/python3 bench/gen_numpy_corpus.py [DIR]   # default bench/corpus

It needs numpy (Debian's python3-numpy), which the interpreter that writes
the rest of the corpus (gen_corpus.py, CPython 3.11 from pyenv) lacks, so
runbench runs it with the interpreter named by -numpy-python.

The array holds 12.5M float64s of mixed exponent and sign (seeded, so the
same numpy writes the same bytes every time), pickled as numpy pickles it:
at protocol 4, _reconstruct and a BUILD state holding the data as one
BINBYTES8; at protocol 5, _frombuffer with an in-band buffer
(BYTEARRAY8). Files are numpy.pPROTO.pkl; numpy_manifest.json lists them
as manifest.json lists gen_corpus.py's.
"""
import hashlib
import json
import os
import sys

import numpy

VERSION = 1
COUNT = 12_500_000  # 100,000,000 bytes of data


def main(argv):
    out = argv[0] if argv else os.path.join(os.path.dirname(__file__), 'corpus')
    os.makedirs(out, exist_ok=True)
    rng = numpy.random.default_rng(20261202)
    arr = rng.standard_normal(COUNT) * 10.0 ** rng.integers(-8, 9, COUNT)
    assert arr.dtype == numpy.float64 and arr.nbytes == 100_000_000
    import pickle
    manifest = {'version': VERSION, 'numpy': numpy.__version__,
                'python': sys.version.split()[0], 'files': []}
    for proto in (4, 5):
        name = f'numpy.p{proto}.pkl'
        data = pickle.dumps(arr, protocol=proto)
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)
        manifest['files'].append({
            'file': name, 'payload': 'numpy', 'protocol': proto,
            'size': len(data), 'sha256': hashlib.sha256(data).hexdigest(),
        })
    # Written last: a runner that finds the manifest finds complete files.
    with open(os.path.join(out, 'numpy_manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)


if __name__ == '__main__':
    main(sys.argv[1:])
