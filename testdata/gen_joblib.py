"""Writes testdata/joblib: joblib files (every compressor joblib offers),
scikit-learn models saved with joblib.dump, and expected.json, what Python
loads from each.

Run with Debian's /usr/bin/python3, which has joblib, scikit-learn, numpy
and lz4 (pyenv's interpreters have none of them):

    /usr/bin/python3 testdata/gen_joblib.py [OUTDIR]

(the live test, TestJoblibLive, writes a fresh set into a temporary OUTDIR).

An array is described by its dtype.str as dumped, its shape, and its bytes
in C order as dumped (joblib.load swaps big-endian arrays to native order;
the Go reader keeps the order the file has, as it does for numpy's own
pickles), or, for an object array, the repr of tolist().
"""
import json
import os
import sys

import joblib
import numpy as np
import sklearn
from sklearn.linear_model import LinearRegression, LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'joblib')


def arrays():
    f = np.arange(6, dtype='<f8').reshape(2, 3) / 4
    return {
        'name': 'joblib',
        'n': 7,
        'f8': np.array([1.5, -2.25, 1e300]),
        'f4': np.array([0.5, -3.0], dtype='<f4'),
        'f2': np.array([1.0, 65504.0], dtype='<f2'),
        'i1': np.array([-128, 127], dtype='i1'),
        'i2': np.array([-300, 300], dtype='<i2'),
        'i4': np.array([[1, 2], [3, 4]], dtype='<i4'),
        'i8': np.array([-(2 ** 62), 2 ** 62], dtype='<i8'),
        'u1': np.array([0, 255], dtype='u1'),
        'u2': np.array([65535], dtype='<u2'),
        'u4': np.array([2 ** 32 - 1], dtype='<u4'),
        'u8': np.array([2 ** 64 - 1], dtype='<u8'),
        'b1': np.array([True, False, True]),
        'c8': np.array([1 + 2j], dtype='<c8'),
        'c16': np.array([1.5 - 0.5j, 3j], dtype='<c16'),
        'U5': np.array(['caf\xe9', 'x'], dtype='<U5'),
        'S3': np.array([b'ab', b'xyz'], dtype='S3'),
        'M8': np.array(['2024-01-02T03:04:05'], dtype='<M8[ns]'),
        'm8': np.array([90], dtype='<m8[s]'),
        'big': np.array([1, 256], dtype='>i4'),
        'fortran': np.asfortranarray(f),
        'fortran3': np.asfortranarray(np.arange(24, dtype='<i2').reshape(2, 3, 4)),
        'zero_d': np.array(3.25),
        'empty': np.zeros((0, 3)),
        'obj': np.array([1, 'two', None, (3, 4)], dtype=object),
        'shared': [f, f],
    }


def describe(v):
    if isinstance(v, np.ndarray):
        if v.dtype.hasobject:
            return {'dtype': v.dtype.str, 'shape': list(v.shape), 'repr': repr(v.tolist())}
        return {'dtype': v.dtype.str, 'shape': list(v.shape),
                'fortran': bool(v.flags.f_contiguous and not v.flags.c_contiguous),
                'hex': v.tobytes(order='C').hex()}
    if isinstance(v, list):
        return [describe(x) for x in v]
    return {'repr': repr(v)}


def dump(name, value, **kw):
    path = os.path.join(OUT, name)
    joblib.dump(value, path, **kw)
    # What joblib reads back must be what was dumped.
    back = joblib.load(path)
    assert set(back) == set(value) if isinstance(value, dict) else True
    return path


def sklearn_models():
    # Small, fixed data: the models and their predictions are exact
    # functions of it (lbfgs is deterministic).
    X = np.array([[0.0, 1.0], [1.0, 0.5], [2.0, 2.5], [3.0, 1.0], [4.0, 3.5], [5.0, 0.0],
                  [1.5, 3.0], [3.5, 2.0], [0.5, 0.0]])
    y3 = np.array(['a', 'a', 'b', 'b', 'c', 'c', 'a', 'b', 'a'])
    y2 = np.array([0, 0, 0, 1, 1, 1, 0, 1, 0])
    yr = X @ np.array([1.5, -0.75]) + 0.25 + np.array([0.1, -0.1, 0.05, 0, 0.02, -0.03, 0.04, -0.02, 0.01])
    probe = np.array([[0.0, 0.0], [2.5, 1.5], [4.5, 3.0], [1.0, 2.0], [5.0, 5.0]])
    models = {
        'logreg3.joblib': LogisticRegression(C=10.0).fit(X, y3),
        'logreg2.joblib': LogisticRegression().fit(X, y2),
        'linreg.joblib': LinearRegression().fit(X, yr),
    }
    out = {}
    for name, m in models.items():
        joblib.dump(m, os.path.join(OUT, name))
        pred = m.predict(probe)
        out[name] = {
            'class': type(m).__module__ + '.' + type(m).__name__,
            'probe': probe.tolist(),
            'predict': pred.tolist(),
            'coef_': describe(np.asarray(m.coef_)),
            'intercept_': describe(np.asarray(m.intercept_)),
        }
        if hasattr(m, 'classes_'):
            out[name]['classes_'] = describe(m.classes_)
    return out


def nested_global():
    # An object array's elements are a whole pickle after the wrapper's
    # BUILD, which joblib.load reads with plain pickle.load: the scanner
    # must see the globals in it.
    joblib.dump({'a': np.array([os.system, 1], dtype=object)}, os.path.join(OUT, 'nested_global.joblib'))
    return {'nested_global.joblib': os.system.__module__ + '.system'}


def numpy_files():
    """numpy.save at each format version, savez and savez_compressed."""
    from numpy.lib import format as npformat
    value = arrays()
    npy = {}
    for key in ['f8', 'i4', 'U5', 'M8', 'big', 'fortran3', 'zero_d', 'empty', 'obj']:
        name = 'npy_%s.npy' % key
        np.save(os.path.join(OUT, name), value[key], allow_pickle=True)
        npy[name] = describe(value[key])
    for version in [(2, 0), (3, 0)]:
        name = 'npy_v%d.npy' % version[0]
        with open(os.path.join(OUT, name), 'wb') as f:
            npformat.write_array(f, value['fortran'], version=version)
        npy[name] = describe(value['fortran'])
    members = {k: value[k] for k in ['f8', 'b1', 'S3', 'obj']}
    np.savez(os.path.join(OUT, 'arrays.npz'), **members)
    np.savez_compressed(os.path.join(OUT, 'arrays_compressed.npz'), **members)
    npz = {k: describe(v) for k, v in members.items()}
    for name in ['arrays.npz', 'arrays_compressed.npz']:
        back = np.load(os.path.join(OUT, name), allow_pickle=True)
        assert sorted(back.files) == sorted(members)
    return npy, {'arrays.npz': npz, 'arrays_compressed.npz': npz}


def old_format():
    """joblib's format before 0.10, which joblib 1.2 still loads: each
    array in a file of its own next to the main pickle, as numpy.save
    writes it (NDArrayWrapper), or with compression as a z-file ("ZF",
    the length in hex padded to 19 bytes, then zlib) of the array's raw
    bytes (ZNDArrayWrapper), the main pickle then a z-file too. joblib
    1.2 has the classes and write_zfile but no writer: this is what
    joblib 0.9's dump did, and joblib.load must read it back."""
    import pickle
    from joblib.numpy_pickle_compat import NDArrayWrapper, ZNDArrayWrapper, write_zfile
    value = {'f8': np.array([1.5, -2.25]), 'fortran': np.asfortranarray(np.arange(6, dtype='<i4').reshape(2, 3)),
             'U5': np.array(['ab', 'caf\xe9'])}
    out = {}
    for name, compress in [('old.pkl', False), ('old_z.pkl', True)]:
        wrapped = {}
        for i, (key, a) in enumerate(sorted(value.items())):
            fname = '%s_%02d.npy' % (name, i + 1)
            if compress:
                fname += '.z'
                _, init_args, state = a.__reduce__()
                with open(os.path.join(OUT, fname), 'wb') as f:
                    write_zfile(f, state[-1], 3)
                wrapped[key] = ZNDArrayWrapper(fname, init_args, state[:-1])
            else:
                np.save(os.path.join(OUT, fname), a)
                wrapped[key] = NDArrayWrapper(fname, np.ndarray)
        path = os.path.join(OUT, name)
        data = pickle.dumps(wrapped, protocol=2)
        with open(path, 'wb') as f:
            if compress:
                write_zfile(f, data, 3)
            else:
                f.write(data)
        back = joblib.load(path)
        for key, a in value.items():
            assert back[key].dtype == a.dtype and np.array_equal(back[key], a), key
        out[name] = {k: describe(v) for k, v in value.items()}
    return out


def main():
    global OUT
    if len(sys.argv) > 1:
        OUT = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    value = arrays()
    want = {k: describe(v) for k, v in value.items()}
    files = {}
    for name, kw in [
        ('arrays.joblib', {}),
        ('arrays_p0.joblib', {'protocol': 0}),
        ('arrays_p1.joblib', {'protocol': 1}),
        ('arrays_p2.joblib', {'protocol': 2}),
        ('arrays_p5.joblib', {'protocol': 5}),
        ('arrays.joblib.z', {'compress': ('zlib', 3)}),
        ('arrays.joblib.gz', {'compress': ('gzip', 3)}),
        ('arrays.joblib.bz2', {'compress': ('bz2', 3)}),
        ('arrays.joblib.xz', {'compress': ('xz', 3)}),
        ('arrays.joblib.lzma', {'compress': ('lzma', 3)}),
        ('arrays.joblib.lz4', {'compress': ('lz4', 3)}),
    ]:
        dump(name, value, **kw)
        files[name] = want
    npy, npz = numpy_files()
    expected = {
        'versions': {'python': sys.version.split()[0], 'joblib': joblib.__version__,
                     'numpy': np.__version__, 'sklearn': sklearn.__version__},
        'arrays': files,
        'sklearn': sklearn_models(),
        'scan': nested_global(),
        'npy': npy,
        'npz': npz,
        'old': old_format(),
    }
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
