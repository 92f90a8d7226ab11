"""Writes the pandas fixtures: pickles pandas writes of DataFrames, Series,
indexes, Categoricals, Timestamps, Timedeltas and NaT at protocols 2 to 5,
beside what pandas says they hold, in testdata/pandas/cases.json. Run with
Debian's interpreter and pandas, from the repository root:

    /usr/bin/python3 testdata/gen_pandas.py

With --stdout it prints the same JSON instead of writing it (the live
test, pandas_live_test.go, decodes what the installed pandas writes now).

Each case has a name, the protocol, the pickle (base64) and what it holds,
spelled for JSON by expect(): a DataFrame's column names, dtypes, values
and index; a Series' name, dtype, values and index; an Index's class, name
and labels; a Categorical's values, categories and ordered flag; a
Timestamp's or Timedelta's nanoseconds; beside it, what repr() prints
(pandas_repr_test.go). Values are spelled by value(): None
(and NaT, and a categorical's missing value) is null, a float is
{"float": repr}, a time is {"ns": nanoseconds since the epoch}, a tuple is
a list.
"""
import base64
import datetime
import hashlib
import io
import json
import os
import pickle
import sys
import zoneinfo

import dateutil.tz
import numpy as np
import pandas as pd
import pytz

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'pandas')


def value(v):
    if v is None or v is pd.NaT or v is pd.NA:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return {'float': repr(float(v))}
    if isinstance(v, str):
        return v
    if isinstance(v, pd.Timestamp):
        return dict({'ns': v.value}, **offset(v))
    if isinstance(v, pd.Timedelta):
        return {'duration_ns': v.value}
    if isinstance(v, tuple):
        return [value(x) for x in v]
    raise TypeError('no JSON spelling for %r' % (v,))


def offset(ts):
    """A tz-aware time's UTC offset in seconds, where it is not 0."""
    off = ts.utcoffset()
    return {'offset': int(off.total_seconds())} if off else {}


def values(seq):
    """The values of seq; a categorical's missing values (NaN to pandas'
    iteration, code -1 in the pickle) are null."""
    if isinstance(getattr(seq, 'dtype', None), pd.CategoricalDtype):
        return [None if missing else value(x) for x, missing in zip(list(seq), pd.isna(seq))]
    return [value(x) for x in list(seq)]


def multi_labels(ix):
    """A MultiIndex's labels: a missing one (code -1) is null."""
    return [[None if code < 0 else value(ix.levels[j][code]) for j, code in enumerate(codes)]
            for codes in zip(*ix.codes)]


def index(ix):
    return {'type': type(ix).__name__, 'name': value(ix.name),
            'names': [value(n) for n in ix.names],
            'labels': multi_labels(ix) if isinstance(ix, pd.MultiIndex) else values(ix)}


def expect(obj):
    if isinstance(obj, pd.DataFrame):
        return {'kind': 'DataFrame', 'columns': values(obj.columns),
                'dtypes': [str(t) for t in obj.dtypes],
                'values': [values(obj.iloc[:, j]) for j in range(obj.shape[1])],
                'index': index(obj.index)}
    if isinstance(obj, pd.Series):
        return {'kind': 'Series', 'name': value(obj.name), 'dtype': str(obj.dtype),
                'values': values(obj), 'index': index(obj.index)}
    if isinstance(obj, pd.Index):
        return dict(index(obj), kind='Index')
    if isinstance(obj, pd.Categorical):
        return {'kind': 'Categorical', 'values': values(obj),
                'categories': values(obj.categories), 'ordered': bool(obj.ordered)}
    if obj is pd.NaT:
        return {'kind': 'NaT'}
    if isinstance(obj, pd.Timestamp):
        return dict({'kind': 'Timestamp', 'ns': obj.value, 'naive': obj.tz is None}, **offset(obj))
    if isinstance(obj, pd.Timedelta):
        return {'kind': 'Timedelta', 'ns': obj.value}
    raise TypeError(type(obj))


def cases():
    nan = float('nan')
    yield 'frame_mixed', pd.DataFrame({
        'id': [1, 2, 3],
        'score': [1.5, nan, -0.25],
        'name': ['ann', None, 'cy'],
        'ok': [True, False, True],
        'grade': pd.Categorical(['b', None, 'a']),
        'seen': pd.to_datetime(['2020-01-02 03:04:05.000000006', None, '1969-12-31']),
    })
    # One 2-d int block whose values are Fortran-ordered (the array's
    # transpose), with int column labels and a string index.
    yield 'frame_2d', pd.DataFrame(np.arange(6, dtype=np.int64).reshape(3, 2),
                                   index=pd.Index(['x', 'y', 'z'], name='key'))
    yield 'frame_times', pd.DataFrame({
        'f32': np.array([0.5, 2.0], dtype=np.float32),
        'wait': pd.to_timedelta([1, None], unit='s'),
        'u8': np.array([0, 255], dtype=np.uint8),
    }, index=pd.DatetimeIndex(['2021-05-06', '2021-05-07'], name='day'))
    yield 'frame_multi', pd.DataFrame(
        {'v': [10, 20, 30]},
        index=pd.MultiIndex.from_tuples([(1, 'a'), (1, 'b'), (2, 'a')], names=['n', 's']))
    yield 'frame_empty', pd.DataFrame({'a': pd.Series([], dtype='float64')})
    yield 'series_labels', pd.Series([1.5, 2.5, nan], index=['a', 'b', 'c'], name='s')
    yield 'series_range', pd.Series([3, 1, 2], index=pd.RangeIndex(10, 16, 2))
    yield 'series_category', pd.Series(pd.Categorical(['lo', 'hi', None, 'lo'], categories=['lo', 'hi'], ordered=True), name='level')
    yield 'series_datetime', pd.Series(pd.to_datetime(['2000-02-29', None]))
    yield 'series_objects', pd.Series(['a', 1, None, 2.5])
    yield 'index_object', pd.Index(['p', 'q'], name='letters')
    yield 'index_int64', pd.Index([5, -7])
    yield 'index_float64', pd.Index([0.5, nan])
    yield 'index_range', pd.RangeIndex(0, 10, 3, name='r')
    yield 'index_datetime', pd.DatetimeIndex(['2020-01-01', None], name='d')
    yield 'index_timedelta', pd.TimedeltaIndex(['1 day', '-2 s'])
    yield 'index_categorical', pd.CategoricalIndex(['a', 'b', 'a'])
    yield 'index_multi', pd.MultiIndex.from_arrays([[1, 2, 2], ['x', None, 'y']], names=['i', 'j'])
    yield 'categorical', pd.Categorical(['x', 'y', None, 'x'], ordered=True)
    yield 'timestamp', pd.Timestamp('2020-01-02 03:04:05.123456789')
    yield 'timestamp_old', pd.Timestamp('1900-03-04')
    yield 'timedelta', pd.Timedelta(days=-1, nanoseconds=5)
    yield 'nat', pd.NaT
    # pandas' nullable arrays: masked (Int64, UInt8, Float64, boolean) and
    # StringArray (string), missing values pandas.NA.
    yield 'frame_nullable', pd.DataFrame({
        'i': pd.array([1, None, -3], dtype='Int64'),
        'u': pd.array([0, 255, None], dtype='UInt8'),
        'f': pd.array([0.5, None, 2.25], dtype='Float64'),
        'b': pd.array([True, None, False], dtype='boolean'),
        's': pd.array(['x', None, 'zz'], dtype='string'),
    })
    yield 'series_string', pd.Series(['a', None, 'c'], dtype='string', name='s')
    # Beyond display.max_rows: repr shows the first and last 5 rows.
    yield 'frame_long', pd.DataFrame({'i': np.arange(75) - 30, 'x': np.arange(75) / 8})
    yield 'series_long', pd.Series(np.arange(61) * 1e5, name='big')
    # Index reprs wrapped at display.width, and cut beyond max_seq_items.
    yield 'index_wrapped', pd.Index(['label%d' % i for i in range(12)], name='w')
    yield 'index_long', pd.Index(np.arange(150) * 7)
    # Wider than display.width too: repr keeps the first and last columns.
    yield 'frame_wide', pd.DataFrame({'c%d' % j: np.arange(70) * j for j in range(25)})
    # Time zone aware columns, one per kind of tzinfo pandas 1.5 keeps: a
    # winter and a summer time, and NaT.
    times = pd.to_datetime(['2020-01-02 03:04:05.000000006', '2020-07-01 12:00', None])
    yield 'frame_tz', pd.DataFrame({
        'utc': times.tz_localize('UTC'),  # pytz.utc
        'berlin': times.tz_localize('Europe/Berlin'),  # pytz's zone
        'fixed': times.tz_localize(pytz.FixedOffset(-120)),
        'tokyo': times.tz_localize(zoneinfo.ZoneInfo('Asia/Tokyo')),
        'paris': times.tz_localize(dateutil.tz.gettz('Europe/Paris')),  # dateutil's tzfile
        'dutc': times.tz_localize(dateutil.tz.tzutc()),
        'doff': times.tz_localize(dateutil.tz.tzoffset(None, 3600)),
        'dname': times.tz_localize(dateutil.tz.tzoffset('BRT', -10800)),
        'pyutc': times.tz_localize(datetime.timezone.utc),
        'pyoff': times.tz_localize(datetime.timezone(datetime.timedelta(hours=5, minutes=30))),
        'pyname': times.tz_localize(datetime.timezone(datetime.timedelta(hours=-3), 'BRT')),
        'naive': times,
    })
    yield 'series_tz', pd.Series(times.tz_localize(zoneinfo.ZoneInfo('Europe/Berlin')), name='at')
    yield 'index_datetime_tz', pd.DatetimeIndex(['2021-03-28 00:30', '2021-03-28 01:30', None], tz='America/New_York', name='d')
    yield 'frame_tz_index', pd.DataFrame({'v': [1.5, 2.5]}, index=pd.DatetimeIndex(['2022-10-30 00:30', '2022-10-30 01:30'], tz='UTC'))
    yield 'timestamp_tz', pd.Timestamp('2020-06-01 12:00', tz='Europe/Berlin')
    yield 'timestamp_zoneinfo', pd.Timestamp('2020-12-01 12:00', tz=zoneinfo.ZoneInfo('Asia/Kolkata'))


# pandas 2.x forms. No pandas 2 is installed here, so these pickles are
# written by pandas 1.5 through Pandas2Pickler, which swaps in, for the
# objects below, the reduce tuples pandas 2.x returns for them, as read in
# pandas 2.x's sources; pickle.py writes every byte. Where pandas 2 writes
# as 1.5 does (BlockManager.__reduce__ and Block.__reduce__ in
# _libs/internals.pyx, SingleBlockManager.__getstate__ in
# core/internals/managers.py, _new_Index and RangeIndex, Categorical), no
# case is needed.
#
# - Index.__reduce__ (core/indexes/base.py) is (_new_Index, (type(self),
#   {"data": ..., "name": ...})), and pandas 2.0 removed Int64Index,
#   UInt64Index and Float64Index: a numeric index is an Index.
# - Timestamp.__reduce__ (_libs/tslibs/timestamps.pyx) is
#   (_unpickle_timestamp, (self._value, None, self.tzinfo, self._creso)) and
#   Timedelta.__reduce__ (timedeltas.pyx) is (_timedelta_unpickle,
#   (self._value, self._creso)): the value counts units of the resolution,
#   NPY_FR_s = 7 to NPY_FR_ns = 10. pandas 1.5 loads these equal (checked).
# - pandas 2 keeps datetime64 columns in seconds, milliseconds and
#   microseconds: NDArrayBacked's Cython pickle (_libs/arrays.pyx has no
#   __reduce__) of a DatetimeArray whose dtype and values are M8[s].
# - StringDtype.__reduce__ (core/arrays/string_.py, pandas 2.3 on) is
#   (StringDtype, (self.storage, self.na_value)): na_value pandas.NA for
#   "string", NaN for pandas 3's default "str", whose StringArray holds NaN
#   where values are missing.
# - Cython 3, which builds pandas 2.1 and later, checks the checksum
#   against md5, sha256 and sha1 of the member names ("_dtype _ndarray")
#   and writes the first of its list: the sha256 and sha1 ones are written
#   here too.
CYTHON3_CHECKSUMS = {
    algo: int(getattr(hashlib, algo)(b'_dtype _ndarray').hexdigest()[:7], 16)
    for algo in ('sha256', 'sha1')}


class Pandas2Pickler(pickle._Pickler):
    """pickle.py's Pickler, reducing as pandas 2.x does (see above): unit is
    the resolution Timestamps, Timedeltas and datetime arrays are written
    in ('s', 'ms', 'us' or 'ns'); checksum the NDArrayBacked checksum;
    string_na, when given, StringDtype's na_value."""

    RESO = {'s': 7, 'ms': 8, 'us': 9, 'ns': 10}

    def __init__(self, file, protocol, unit='ns', checksum=None, string_na=None):
        super().__init__(file, protocol)
        self.unit, self.checksum, self.string_na = unit, checksum, string_na

    def reducer_override(self, obj):
        per = {'s': 10**9, 'ms': 10**6, 'us': 10**3, 'ns': 1}[self.unit]
        if type(obj).__name__ in ('Int64Index', 'UInt64Index', 'Float64Index'):
            new_index = obj.__reduce__()[0]
            return new_index, (pd.Index, {'data': obj._data, 'name': obj.name})
        if isinstance(obj, pd.Timestamp) and obj is not pd.NaT:
            fn, args = obj.__reduce__()
            return fn, (obj.value // per, None, obj.tz, self.RESO[self.unit])
        if isinstance(obj, pd.Timedelta) and obj is not pd.NaT:
            fn, args = obj.__reduce__()
            return fn, (obj.value // per, self.RESO[self.unit])
        if isinstance(obj, pd.StringDtype) and self.string_na is not None:
            return pd.StringDtype, ('python', self.string_na)
        if isinstance(obj, pd.arrays.StringArray) and self.string_na is not pd.NA:
            fn, args, (dtype, data, attrs) = obj.__reduce_ex__(self.proto)
            data = data.copy()
            data[pd.isna(data)] = self.string_na
            return fn, args, (dtype, data, attrs)
        if isinstance(obj, (pd.arrays.DatetimeArray, pd.Categorical)):
            fn, (cls, checksum, none), (dtype, data, attrs) = obj.__reduce_ex__(self.proto)
            if isinstance(obj, pd.arrays.DatetimeArray) and self.unit != 'ns':
                data = data.astype('M8[%s]' % self.unit)
                dtype = data.dtype if obj.tz is None else pd.DatetimeTZDtype(self.unit, obj.tz)
            return fn, (cls, self.checksum or checksum, none), (dtype, data, attrs)
        return NotImplemented


def pandas2_cases():
    """(name, object pandas 1.5 holds, Pandas2Pickler's options, dtypes
    pandas 2 gives the columns where 1.5's differ)."""
    times = pd.to_datetime(['2020-01-02 03:04:05', None, '1969-12-31 23:59:59'])
    yield 'pandas2_index_int64', pd.Index([5, -7], name='n'), {}, None
    yield 'pandas2_index_float64', pd.Index([0.5, float('nan')]), {}, None
    yield 'pandas2_frame_int_labels', pd.DataFrame({'v': [1.5, 2.5]}, index=pd.Index([10, 20])), {}, None
    for unit in ('s', 'ms', 'us'):
        yield 'pandas2_timestamp_' + unit, pd.Timestamp('2020-01-02 03:04:05'), {'unit': unit}, None
        yield 'pandas2_timestamp_tz_' + unit, pd.Timestamp('1969-07-20 20:17:40', tz='UTC'), {'unit': unit}, None
        yield 'pandas2_timedelta_' + unit, pd.Timedelta(days=-1, seconds=5), {'unit': unit}, None
        yield 'pandas2_frame_datetime_' + unit, pd.DataFrame({'t': times, 'tz': times.tz_localize('Asia/Tokyo')}), \
            {'unit': unit}, ['datetime64[%s]' % unit, 'datetime64[%s, Asia/Tokyo]' % unit]
        yield 'pandas2_series_datetime_' + unit, pd.Series(times, name='t'), {'unit': unit}, ['datetime64[%s]' % unit]
    strings = pd.Series(['a', None, 'c'], dtype='string', name='s')
    yield 'pandas2_string', strings, {'string_na': pd.NA}, ['string']
    yield 'pandas3_str', strings, {'string_na': float('nan')}, ['str']
    for algo, checksum in sorted(CYTHON3_CHECKSUMS.items()):
        yield 'pandas2_checksum_' + algo, pd.DataFrame({
            'c': pd.Categorical(['x', None, 'y']), 't': times}), {'checksum': checksum}, None


def pandas2_expect(want):
    """want, as pandas 2 names the index classes: Index for the numeric
    ones it removed."""
    for ix in (want, want.get('index')):
        if isinstance(ix, dict) and ix.get('type') in ('Int64Index', 'UInt64Index', 'Float64Index'):
            ix['type'] = 'Index'
    return want


def pandas2_pickle(obj, proto, options):
    f = io.BytesIO()
    Pandas2Pickler(f, proto, **options).dump(obj)
    return f.getvalue()


def write_example():
    """frame.pkl: a small query result, for the README's example, and
    frame.txt, what pandas prints for it."""
    df = pd.DataFrame({
        'user': ['ann', 'bob', None],
        'score': [0.5, float('nan'), 2.0],
        'plan': pd.Categorical(['pro', 'free', 'pro']),
        'seen': pd.to_datetime(['2024-05-01 12:00', '2024-05-02 08:30', None]),
    })
    with open(os.path.join(OUT, 'frame.pkl'), 'wb') as f:
        pickle.dump(df, f, 4)
    # What print(df) shows: cmd/pickle's show prints the same.
    with open(os.path.join(OUT, 'frame.txt'), 'w') as f:
        print(df, file=f)


def main():
    os.makedirs(OUT, exist_ok=True)
    out = {'python': sys.version.split()[0], 'pandas': pd.__version__,
           'numpy': np.__version__, 'cases': []}
    for name, obj in cases():
        want = expect(obj)
        for proto in (2, 3, 4, 5):
            data = pickle.dumps(obj, proto)
            back = pickle.loads(data)
            if obj is pd.NaT:
                assert back is pd.NaT
            elif hasattr(obj, 'equals'):
                assert obj.equals(back), name
            else:
                assert back == obj, name
            out['cases'].append({'name': name, 'proto': proto,
                                 'pickle': base64.b64encode(data).decode(),
                                 'expect': want, 'repr': repr(obj)})
    for name, obj, options, dtypes in pandas2_cases():
        want = pandas2_expect(expect(obj))
        if dtypes is not None:
            want['dtypes' if 'dtypes' in want else 'dtype'] = dtypes if 'dtypes' in want else dtypes[0]
        for proto in (2, 3, 4, 5):
            data = pandas2_pickle(obj, proto, options)
            if dtypes is None:
                # pandas 1.5 reads these forms too: what it loads equals
                # what was pickled.
                back = pickle.loads(data)
                assert obj.equals(back) if hasattr(obj, 'equals') else back == obj, name
                assert type(back) is type(obj), name
            out['cases'].append({'name': name, 'proto': proto, 'pandas2': True, 'pandas15_loads': dtypes is None,
                                 'pickle': base64.b64encode(data).decode(),
                                 'expect': want})
    if sys.argv[1:] == ['--stdout']:
        # pandas_live_test.go: the same cases, made now, compared live.
        json.dump(out, sys.stdout)
        return
    write_example()
    with open(os.path.join(OUT, 'cases.json'), 'w') as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
