"""Writes testdata/types/samples.json: for every row of the type table
(pytype*.go), sample values pickled by CPython at every protocol.

TestTypeTable decodes each pickle, checks that the value lands in the row
(its Go type, or a call of one of its globals), writes it back at the same
protocol, and (live) has python3 load what Go wrote and compare it with the
sample. A row without samples here fails the test.

Run with any CPython 3.8 or later:  python3 testdata/gen_types.py
and, for the rows of third-party packages (numpy), with Debian's python3
and its packages:  /usr/bin/python3 testdata/gen_types.py --debian
which writes testdata/types/samples_debian.json; TestTypeTable checks
those live with /usr/bin/python3.
"""
import collections
import datetime
import decimal
import fractions
import json
import os
import pickle
import sys
import uuid

# Each row name maps to Python expressions; eval() of each is the sample.
SAMPLES = {
    "NoneType": ["None"],
    "bool": ["True", "False"],
    "int": ["0", "-1", "255", "2**31", "-(2**63)", "2**64 + 1", "10**40"],
    "float": ["0.0", "-1.5", "1e300", "float('inf')"],
    "complex": ["1+2j", "complex(0, -0.5)"],
    "str": ["''", "'abc'", "'caf\\u00e9 \\u20ac'", "'a\\nb'"],
    "bytes": ["b''", "b'abc'", "bytes(range(256))"],
    "bytearray": ["bytearray()", "bytearray(b'xyz')"],
    "list": ["[]", "[1, 'a', None]"],
    "tuple": ["()", "(1,)", "(1, 2, 3, 4)"],
    "dict": ["{}", "{'a': 1, 2: [3]}"],
    "set": ["set()", "{1, 2, 3}"],
    "frozenset": ["frozenset()", "frozenset({'a'})"],
    "range": ["range(3)", "range(1, 10, 2)"],
    "slice": ["slice(1, 5, 2)", "slice(None, 3, None)"],
    "object": ["object()"],
    "collections.OrderedDict": ["collections.OrderedDict()", "collections.OrderedDict([('b', 1), ('a', 2)])"],
    "collections.deque": ["collections.deque()", "collections.deque([1, 2, 3])", "collections.deque([1], maxlen=4)"],
    "collections.defaultdict": ["collections.defaultdict(list)", "collections.defaultdict(int, {'a': 1})"],
    "collections.Counter": ["collections.Counter()", "collections.Counter('abracadabra')"],
    "datetime.date": ["datetime.date(2024, 2, 29)", "datetime.date(1, 1, 1)"],
    "datetime.time": ["datetime.time(12, 30, 15, 250)", "datetime.time(0, 0, tzinfo=datetime.timezone.utc)"],
    "datetime.datetime": [
        "datetime.datetime(2024, 1, 2, 3, 4, 5, 6)",
        "datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)",
        "datetime.datetime(1999, 12, 31, 23, 59, tzinfo=datetime.timezone(datetime.timedelta(hours=-5), 'EST'))",
    ],
    "datetime.timedelta": ["datetime.timedelta(0)", "datetime.timedelta(days=-1, seconds=5, microseconds=7)"],
    "datetime.timezone": ["datetime.timezone.utc", "datetime.timezone(datetime.timedelta(hours=2))",
                          "datetime.timezone(datetime.timedelta(minutes=-90), 'X')"],
    "decimal.Decimal": ["decimal.Decimal('1.10')", "decimal.Decimal('-0')", "decimal.Decimal('NaN')",
                        "decimal.Decimal('1E+5')"],
    "uuid.UUID": ["uuid.UUID('12345678-1234-5678-1234-567812345678')"],
    "fractions.Fraction": ["fractions.Fraction(1, 3)", "fractions.Fraction(-7)"],
}

# The rows of third-party packages, sampled with Debian's python3.
DEBIAN_SAMPLES = {
    "numpy.ndarray": [
        "numpy.array([1.5, -2.0, 3.25])",
        "numpy.arange(6, dtype='>i4').reshape(2, 3)",
        "numpy.asfortranarray(numpy.arange(6, dtype=numpy.int16).reshape(2, 3))",
        "numpy.array([True, False])",
        "numpy.array(['ab', 'c'])",
        "numpy.array([b'x', b'yz'])",
        "numpy.array(['2024-01-02T03:04:05'], dtype='datetime64[s]')",
        "numpy.array([1, 'a', None], dtype=object)",
        "numpy.zeros((0, 3), dtype=numpy.float32)",
        "numpy.array(7, dtype=numpy.uint8)",
        "numpy.float64(1.5)",
        "numpy.int64(-3)",
    ],
    "numpy.dtype": ["numpy.dtype('<f8')", "numpy.dtype('>i2')", "numpy.dtype('<U5')", "numpy.dtype('M8[ns]')"],
}

# Rows with no value CPython pickles as that type, and why.
NO_SAMPLES = {
    "pickle.PickleBuffer": "a PickleBuffer pickles in band as bytes or bytearray; "
                           "only NEXT_BUFFER makes one (see the out-of-band tests)",
    "torch.Tensor": "torch's pickles exist only inside checkpoints, with persistent "
                    "ids for their storages, and its globals are admitted only there; "
                    "testdata/gen_torch.py writes checkpoints with Debian's torch, "
                    "which torch_test.go checks",
    "torch.storage.TypedStorage": "see torch.Tensor",
    "torch.tensortype": "see torch.Tensor",
    "torch.dtype": "see torch.Tensor",
    "joblib.numpy_pickle.NumpyArrayWrapper": "joblib writes the wrapper only with the array's bytes after it, "
                                             "which pickle.dumps cannot; testdata/gen_joblib.py writes joblib's "
                                             "files with Debian's joblib, which readfile_joblib_test.go checks",
    "joblib.numpy_pickle_compat.NDArrayWrapper": "its array is in a file next to the pickle; "
                                                 "see joblib.numpy_pickle.NumpyArrayWrapper",
    "joblib.numpy_pickle_compat.ZNDArrayWrapper": "see joblib.numpy_pickle_compat.NDArrayWrapper",
    "pandas.DataFrame": "Marshal writes a DataFrame's columns as blocks of their own (pandas "
                        "consolidates them on load), not byte for byte as pandas; "
                        "testdata/gen_pandas.py writes pandas' pickles with Debian's pandas, "
                        "which pandas_*_test.go check at every protocol",
    "pandas.Series": "see pandas.DataFrame",
    "pandas.Index": "see pandas.DataFrame",
    "pandas.Categorical": "see pandas.DataFrame",
    "pandas.CategoricalDtype": "see pandas.DataFrame",
    "pandas.arrays.DatetimeArray": "see pandas.DataFrame",
    "pandas.Timestamp": "see pandas.DataFrame",
    "pandas.Timedelta": "see pandas.DataFrame",
    "pandas.NaT": "see pandas.DataFrame",
    "pandas.core.internals.managers.BlockManager": "see pandas.DataFrame",
    "pandas.DatetimeTZDtype": "see pandas.DataFrame (frame_tz, series_tz, index_datetime_tz)",
    "pandas.arrays.MaskedArray": "see pandas.DataFrame (frame_nullable)",
    "pandas.arrays.StringArray": "see pandas.DataFrame (frame_nullable, series_string)",
    "pandas.StringDtype": "see pandas.DataFrame (frame_nullable, series_string)",
    "pandas.BaseMaskedDtype": "see pandas.DataFrame (frame_nullable)",
    "pandas.NA": "see pandas.DataFrame (series_string)",
    "tzinfo": "pytz's, zoneinfo's and dateutil's zones, sampled inside pandas' tz-aware "
              "values by testdata/gen_pandas.py (frame_tz has each kind); Marshal writes "
              "zoneinfo's getattr(ZoneInfo, '_unpickle') as one global, not byte for byte",
    "dateutil.tz._ttinfo": "exists only in a dateutil tzfile's state; see tzinfo",
}


def main():
    debian = sys.argv[1:] == ["--debian"]
    if debian:
        import numpy  # noqa: F401  (for the expressions)
    samples = DEBIAN_SAMPLES if debian else SAMPLES
    out = {"python": sys.version.split()[0], "no_samples": NO_SAMPLES, "rows": {}}
    for name, exprs in samples.items():
        rows = []
        for expr in exprs:
            value = eval(expr)
            for proto in range(pickle.HIGHEST_PROTOCOL + 1):
                rows.append({"expr": expr, "proto": proto, "pickle": pickle.dumps(value, proto).hex()})
        out["rows"][name] = rows
    here = os.path.dirname(os.path.abspath(__file__))
    name = "samples_debian.json" if debian else "samples.json"
    with open(os.path.join(here, "types", name), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
