"""Writes the numpy fixtures: pickles numpy writes of arrays, scalars and
dtypes, beside what numpy says they hold, one JSON file per dtype in
testdata/numpy/. Run with Debian's interpreter and numpy, from the
repository root:

    /usr/bin/python3 testdata/gen_numpy.py

Each case has the pickle (base64), the protocol, the dtype's str, the
shape, whether the array is Fortran-ordered, the row-major bytes
(tobytes(order='C'), base64) and the elements as tolist() gives them,
spelled for JSON (see expect()). numpy 2's module names (numpy._core.*)
are produced by pickling through stand-ins registered under those names,
and each such pickle is loaded back here to check that it means the same
array.
"""
import base64
import json
import os
import pickle
import sys
import types

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'numpy')

# numpy 2's spellings: modules that hold stand-ins for numpy 1's functions.
_core = types.ModuleType('numpy._core')
_multiarray = types.ModuleType('numpy._core.multiarray')
_numeric = types.ModuleType('numpy._core.numeric')


def _reconstruct(*args):
    return np.core.multiarray._reconstruct(*args)


def scalar(*args):
    return np.core.multiarray.scalar(*args)


def _frombuffer(*args):
    return np.core.numeric._frombuffer(*args)


for fn, mod in ((_reconstruct, _multiarray), (scalar, _multiarray), (_frombuffer, _numeric)):
    fn.__module__ = mod.__name__
    setattr(mod, fn.__name__, fn)
sys.modules.update({'numpy._core': _core, 'numpy._core.multiarray': _multiarray,
                    'numpy._core.numeric': _numeric})
NUMPY2 = {
    np.core.multiarray._reconstruct: _reconstruct,
    np.core.multiarray.scalar: scalar,
    np.core.numeric._frombuffer: _frombuffer,
}


class Numpy2Pickler(pickle.Pickler):
    """Pickles arrays and scalars as numpy 2 does: the same reduce values
    under numpy._core's module names."""

    def __init__(self, f, proto):
        super().__init__(f, proto)
        self.protocol = proto

    def reducer_override(self, obj):
        if isinstance(obj, (np.ndarray, np.generic)) and not isinstance(obj, np.dtype):
            rv = obj.__reduce_ex__(self.protocol)
            if isinstance(rv, tuple) and rv[0] in NUMPY2:
                return (NUMPY2[rv[0]],) + tuple(rv[1:])
        return NotImplemented


def dumps(value, proto, numpy2=False):
    if not numpy2:
        return pickle.dumps(value, proto)
    import io
    buf = io.BytesIO()
    Numpy2Pickler(buf, proto).dump(value)
    data = buf.getvalue()
    back = pickle.loads(data)
    assert type(back) is type(value) and back.dtype == value.dtype and \
        np.asarray(back).tobytes() == np.asarray(value).tobytes() if value.dtype.kind != 'O' else np.array_equal(back, value), (value, back)
    return data


def b64(b):
    return base64.b64encode(b).decode('ascii')


def expect(x, kind):
    """An element of tolist() spelled for JSON: ints and floats as repr
    strings (exact), complex as [re, im], bytes as base64, datetime64 and
    timedelta64 as nanoseconds (a string) or null for NaT, objects as
    repr."""
    if kind == 'O':
        return repr(x)
    if kind in 'Mm':
        return time_ns(x)
    v = x.item()
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, complex):
        return [repr(v.real), repr(v.imag)]
    if isinstance(v, bytes):
        return b64(v)
    return v


UNIT_AS = {'W': 7 * 86400 * 10**18, 'D': 86400 * 10**18, 'h': 3600 * 10**18, 'm': 60 * 10**18,
           's': 10**18, 'ms': 10**15, 'us': 10**12, 'ns': 10**9, 'ps': 10**6, 'fs': 10**3, 'as': 1}


def time_ns(x):
    """A datetime64 (since the epoch) or timedelta64 in nanoseconds, as a
    decimal string of any size; null for NaT, "inexact" below a
    nanosecond, "nonlinear" for a timedelta in years or months."""
    v = int(x.view('i8'))
    if v == -2**63:
        return None
    unit, count = np.datetime_data(x.dtype)
    if unit in ('Y', 'M'):
        if x.dtype.kind == 'm':
            return 'nonlinear'
        return str(int(x.astype('M8[D]').view('i8')) * 86400 * 10**9)
    attos = v * count * UNIT_AS[unit]
    if attos % 10**9:
        return 'inexact'
    return str(attos // 10**9)


def values(a):
    return [expect(x, a.dtype.kind) for x in a.reshape(-1, order='C')]


def case(name, a, proto, numpy2=False):
    """A fixture: the pickle, and the array as numpy loads it back (which
    may differ from what was pickled: a big-endian unicode array comes back
    native below protocol 5); pickled_dtype is the dtype that was
    pickled."""
    data = dumps(a, proto, numpy2)
    back = pickle.loads(data)
    return {
        'name': name, 'protocol': proto, 'numpy2': numpy2,
        'pickle': b64(data), 'pickled_dtype': a.dtype.str,
        'dtype': back.dtype.str, 'shape': list(back.shape),
        'fortran': bool(back.flags.f_contiguous and not back.flags.c_contiguous),
        'scalar': isinstance(back, np.generic),
        'data': b64(back.tobytes(order='C')) if back.dtype.kind != 'O' else None,
        'values': values(np.asarray(back)),
    }


NS_DAY = 86400 * 10**9
SAMPLES = {
    'b1': [True, False, True, True, False, False],
    'i1': [-128, 127, 0, -1, 5, 100],
    'i2': [-32768, 32767, 0, -1, 300, -300],
    'i4': [-2**31, 2**31 - 1, 0, -1, 70000, 5],
    'i8': [-2**63, 2**63 - 1, 0, -1, 2**40, 5],
    'u1': [0, 255, 1, 2, 3, 128],
    'u2': [0, 65535, 1, 2, 3, 40000],
    'u4': [0, 2**32 - 1, 1, 2, 3, 2**31],
    'u8': [0, 2**64 - 1, 1, 2**63, 3, 2**62],
    'f2': [1.5, -0.0, float('inf'), float('nan'), 65504.0, 6e-08],
    'f4': [1.5, -0.0, float('-inf'), float('nan'), 3.4028234663852886e+38, 1e-45],
    'f8': [1.5, -0.0, float('inf'), float('nan'), 1e308, 5e-324],
    'c8': [1 + 2j, -0.0j, complex('inf'), 3.5, -1j, 1e-45j],
    'c16': [1 + 2j, -0.0j, complex('nan+1j'), 3.5, -1j, 5e-324j],
    'U5': ['', 'a', 'h\xe9llo', '\U0001f600x', 'abcde', 'z'],
    'S3': [b'', b'ab', b'\x00x', b'abc', b'\xff', b'z'],
    'O': [1, 'x', None, 2.5, b'b', (1, 2)],
    'M8[ns]': [0, 1, -1, 1700000000123456789, 'NaT', -NS_DAY],
    'm8[ns]': [0, 1, -1, 1700000000123456789, 'NaT', -NS_DAY],
}
UNITS = ['Y', 'M', 'W', 'D', 'h', 'm', 's', 'ms', 'us', 'ns', 'ps', 'fs', 'as', '10ms', '3D']


def sample(typestr, order='<'):
    vals = SAMPLES[typestr]
    dt = np.dtype(typestr)
    if dt.kind in 'Mm':
        a = np.array([np.iinfo(np.int64).min if v == 'NaT' else v for v in vals], dtype='i8').view(typestr)
    else:
        a = np.array(vals, dtype=object if dt.kind == 'O' else dt)
    if order == '>' and dt.byteorder not in '|':
        a = a.astype(dt.newbyteorder('>'))
    return a


def shapes(a):
    """The shapes each dtype is pickled in: 1-d, C and Fortran 2-d, 3-d,
    0-d, and empty."""
    yield '1d', a
    yield '2d_c', a.reshape(2, 3)
    yield '2d_f', np.asfortranarray(a.reshape(2, 3))
    yield '3d_f', np.asfortranarray(a.reshape(3, 1, 2))
    yield '0d', np.array(a[1], dtype=a.dtype) if a.dtype.kind != 'O' else np.array(a[1:2], dtype=object).reshape(())
    yield 'empty', a[:0]
    yield 'empty_2x0', a[:0].reshape(2, 0)


def main():
    os.makedirs(OUT, exist_ok=True)
    for typestr in SAMPLES:
        cases = []
        for order in '<>':
            a = sample(typestr, order)
            if order == '>' and a.dtype.byteorder in '|=':
                continue
            for shape, arr in shapes(a):
                protos = range(6) if shape in ('1d', '2d_f') and order == '<' else (2, 5)
                for proto in protos:
                    cases.append(case('%s_%s_p%d' % (order, shape, proto), arr, proto))
            for proto in (0, 2, 4):
                if a.dtype.kind != 'O':  # an object array's element is the object
                    cases.append(case('%s_scalar_p%d' % (order, proto), a[3], proto))
            if order == '<':
                for proto in (2, 5):
                    cases.append(case('numpy2_2d_f_p%d' % proto, np.asfortranarray(a.reshape(2, 3)), proto, True))
                if a.dtype.kind != 'O':
                    cases.append(case('numpy2_scalar_p2', a[3], 2, True))
        write(typestr.replace('[', '_').replace(']', ''), cases)
    write_units()
    write_dtypes()
    write_out_of_band()
    write_records()
    write_fuzz_seeds()
    write_feature_cache()
    write_reprs()


def write_units():
    cases = []
    for kind in 'Mm':
        for unit in UNITS:
            t = '%s8[%s]' % (kind, unit)
            for order in '<>':
                a = np.array([0, 1, -1, 7, 1000000, np.iinfo(np.int64).min], dtype='i8').view('<' + t)
                if order == '>':
                    a = a.astype(a.dtype.newbyteorder('>'))
                cases.append(case('%s%s' % (order, t), a, 2))
    write('datetime_units', cases)


def write_dtypes():
    cases = []
    for s in ['f8', '>f8', '<i2', '>u4', 'b1', 'i1', 'u1', 'f2', '>c8', 'c16', 'U3', '>U3', 'S3', 'S0',
              'O', 'V4', 'M8', '<M8[ns]', '>m8[10ms]', 'M8[D]', 'm8[us]']:
        d = np.dtype(s)
        for proto in (0, 2, 4):
            cases.append({'name': '%s_p%d' % (s, proto), 'protocol': proto,
                          'pickle': b64(pickle.dumps(d, proto)), 'dtype': d.str})
    write('dtypes', cases)
    refused = []
    for s in [[('a', '<i4'), ('b', 'f8')], '(2,)f4']:
        refused.append({'name': repr(s), 'pickle': b64(pickle.dumps(np.dtype(s), 2))})
    write('dtypes_structured', refused)


def write_out_of_band():
    """Protocol 5 pickles whose data travels out of band, with the buffers
    (base64) in the order the callback saw them."""
    cases = []
    arrays = {
        'f8_2d_c': np.arange(6, dtype='<f8').reshape(2, 3),
        'i4_2d_f': np.asfortranarray(np.arange(6, dtype='<i4').reshape(2, 3)),
        'u2_be_1d': np.arange(4, dtype='>u2'),
        'two_arrays': (np.arange(3, dtype='<f4'), np.arange(2, dtype='|u1')),
    }
    for name, value in arrays.items():
        bufs = []
        data = pickle.dumps(value, 5, buffer_callback=bufs.append)
        first = value[0] if isinstance(value, tuple) else value
        c = case(name, first, 5)
        c['pickle'] = b64(data)
        c['buffers'] = [b64(bytes(b.raw())) for b in bufs]
        cases.append(c)
    write('out_of_band', cases)


def write_records():
    """Arrays and scalars inside containers, as a feature cache holds them."""
    record = {
        'X': np.asfortranarray(sample('f8').reshape(2, 3)),
        'Y': np.float32(2.5),
        'Z': [np.int64(3), np.uint8(200)],
        'names': np.array(['a', 'bc']),
    }
    keys = {np.float64(1.5): 'a', np.int64(2): 'b', 3: 'c'}
    assert keys[1.5] == 'a' and keys[2] == 'b'
    write('records', [{'name': 'record_p%d' % p, 'protocol': p, 'pickle': b64(pickle.dumps(record, p))} for p in (2, 5)] +
          [{'name': 'scalar_keys_p2', 'protocol': 2, 'pickle': b64(pickle.dumps(keys, 2))}])


class Hostile:
    """Pickles as numpy's reduction of an array with the state given: how
    the fuzz seeds spell shapes and data numpy would refuse."""

    def __init__(self, state, call=None):
        self.state, self.call = state, call

    def __reduce__(self):
        if self.call:
            return self.call
        return (np.core.multiarray._reconstruct, (np.ndarray, (0,), b'b'), self.state)


def write_fuzz_seeds():
    """Seeds for the fuzz targets that decode (FuzzRoundTrip,
    FuzzUnmarshalTyped): numpy's arrays, scalars and dtypes, and hostile
    states: shapes whose product overflows, negative dimensions, data
    shorter or longer than the shape, absurd dtypes."""
    f8 = np.dtype('f8')
    seeds = {
        'numpy_f8_2d_f_p2': pickle.dumps(np.asfortranarray(sample('f8').reshape(2, 3)), 2),
        'numpy_i4_be_p5': pickle.dumps(sample('i4', '>'), 5),
        'numpy_u5_p0': pickle.dumps(sample('U5').reshape(3, 2), 0),
        'numpy_object_p2': pickle.dumps(sample('O'), 2),
        'numpy_m8_p4': pickle.dumps(sample('M8[ns]'), 4),
        'numpy_scalars_p2': pickle.dumps([np.float16(1.5), np.int8(-1), np.str_('ab'), np.dtype('>m8[10ms]')], 2),
        'numpy_shape_overflow': pickle.dumps(Hostile((1, (2**62, 2**62), f8, False, b'')), 2),
        'numpy_negative_dim': pickle.dumps(Hostile((1, (-1, 2), f8, False, b'')), 2),
        'numpy_data_short': pickle.dumps(Hostile((1, (2,), f8, False, b'\x00' * 15)), 2),
        'numpy_data_long': pickle.dumps(Hostile((1, (2,), f8, False, b'\x00' * 17)), 2),
        'numpy_absurd_dtype': pickle.dumps(Hostile(None, (np.dtype, ('U99999999999', False, True))), 2),
        'numpy_huge_reconstruct': pickle.dumps(Hostile(None, (np.core.multiarray._reconstruct, (np.ndarray, (2**40,), b'b'))), 2),
    }
    sys.path.insert(0, HERE)
    from gen_fuzz_corpus import go_quote
    for target in ('FuzzRoundTrip', 'FuzzUnmarshalTyped'):
        folder = os.path.join(HERE, 'fuzz', target)
        os.makedirs(folder, exist_ok=True)
        for name, data in sorted(seeds.items()):
            with open(os.path.join(folder, name), 'w') as f:
                f.write('go test fuzz v1\n[]byte(%s)\n' % go_quote(data))


def write_feature_cache():
    """features.pkl: a small feature cache, for the README's example."""
    cache = {
        'ids': np.arange(3, dtype='int64'),
        'X': np.array([[0.5, 1.5], [2.5, 3.5], [4.5, 5.5]], dtype='float32'),
        'label': np.str_('cat'),
        'when': np.datetime64('2024-05-01T12:00:00', 'ns'),
    }
    with open(os.path.join(OUT, 'features.pkl'), 'wb') as f:
        pickle.dump(cache, f, 4)


def write_reprs():
    """repr(arr) as numpy prints it, beside the pickle (protocol 4 and, for
    a few, 2 and 5): numeric, bool and str arrays of 0 to 3 dimensions,
    positional and scientific floats with nan and inf, padding, line
    wrapping at 75 columns, and the summary ("...") beyond 1000
    elements."""
    arrs = {
        'f8_1d': np.array([1., 2.]),
        'f8_pad': np.array([0.1, 0.25, 100.]),
        'f8_sci': np.array([1.5, 1e-5]),
        'f8_sci_big_exp': np.array([1e100, 1e-5]),
        'f8_sci_int': np.array([1e20, 1.]),
        'f8_nonfinite': np.array([np.nan, np.inf, -1.]),
        'f8_sci_nonfinite': np.array([1e-5, -np.inf, np.nan, 1.]),
        'f8_all_nan': np.array([np.nan]),
        'f8_neg_zero': np.array([-0.0, 1.]),
        'f8_8_digits': np.array([0.12345678912, 123.5]),
        'f8_wrap': np.arange(30.) * 1.1,
        'f8_2d': np.array([[1.5, 2], [3, 4]]),
        'f8_2d_fortran': np.asfortranarray(np.arange(6.).reshape(2, 3)),
        'f8_summary': np.arange(2000.),
        'f8_0d': np.array(3.5),
        'f8_empty': np.array([], dtype=np.float64),
        'f8_empty_2x0': np.zeros((2, 0)),
        'f4_1d': np.array([0.1, 2.], dtype=np.float32),
        'i8_1d': np.array([1, 10, -3]),
        'i4_2d': np.array([[1, 2], [3, 4]], dtype=np.int32),
        'i4_0d': np.array(3, dtype=np.int32),
        'u1_1d': np.array([1, 255], dtype=np.uint8),
        'u8_big': np.array([2**64 - 1, 0], dtype=np.uint64),
        'i8_3d': np.arange(24).reshape(2, 3, 4),
        'i8_2d_summary': np.arange(1200).reshape(2, 600),
        'i8_3d_summary': np.arange(3000).reshape(10, 10, 30),
        'i2_big_endian': np.array([1, -2], dtype='>i2'),
        'b1_1d': np.array([True, False]),
        'b1_2d': np.array([[True]]),
        'b1_0d': np.array(True),
        'U_1d': np.array(['a', 'bcd']),
        'U_non_ascii': np.array(['h\u00e9llo', '\U0001f600', "it's"]),
        'U_0d': np.array('ab'),
        'S_1d': np.array([b'ab', b'c']),
        'U_wrap': np.array(['word%d' % i for i in range(20)]),
    }
    cases = []
    for name, a in arrs.items():
        # numpy loads a big-endian array of numbers in native order, at
        # every protocol, and prints it so.
        protos = (2, 4, 5) if name in ('f8_1d', 'i4_2d', 'U_1d', 'i2_big_endian') else (4,)
        for proto in protos:
            data = pickle.dumps(a, proto)
            back = pickle.loads(data)
            cases.append({'name': '%s_p%d' % (name, proto), 'protocol': proto,
                          'pickle': b64(data), 'repr': repr(back)})
    write('repr', cases)


def write(name, cases):
    with open(os.path.join(OUT, name + '.json'), 'w') as f:
        json.dump(cases, f, indent=0, ensure_ascii=True)
        f.write('\n')


if __name__ == '__main__':
    main()
