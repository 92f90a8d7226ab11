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
Timestamp's or Timedelta's nanoseconds. Values are spelled by value(): None
(and NaT, and a categorical's missing value) is null, a float is
{"float": repr}, a time is {"ns": nanoseconds since the epoch}, a tuple is
a list.
"""
import base64
import datetime
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
    if v is None or v is pd.NaT:
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


def write_example():
    """frame.pkl: a small query result, for the README's example."""
    df = pd.DataFrame({
        'user': ['ann', 'bob', None],
        'score': [0.5, float('nan'), 2.0],
        'plan': pd.Categorical(['pro', 'free', 'pro']),
        'seen': pd.to_datetime(['2024-05-01 12:00', '2024-05-02 08:30', None]),
    })
    with open(os.path.join(OUT, 'frame.pkl'), 'wb') as f:
        pickle.dump(df, f, 4)


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
