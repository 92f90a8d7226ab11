"""Writes testdata/types/samples.json: for every row of the type table
(pytype*.go), sample values pickled by CPython at every protocol.

TestTypeTable decodes each pickle, checks that the value lands in the row
(its Go type, or a call of one of its globals), writes it back at the same
protocol, and (live) has python3 load what Go wrote and compare it with the
sample. A row without samples here fails the test.

Run with any CPython 3.8 or later:  python3 testdata/gen_types.py
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

# Rows with no value CPython pickles as that type, and why.
NO_SAMPLES = {
    "pickle.PickleBuffer": "a PickleBuffer pickles in band as bytes or bytearray; "
                           "only NEXT_BUFFER makes one (see the out-of-band tests)",
    "numpy.ndarray": "numpy is not installed in the CPythons this script runs with; "
                     "testdata/gen_numpy.py writes numpy's pickles with Debian's numpy, "
                     "which numpy_*_test.go check at every protocol",
    "numpy.dtype": "see numpy.ndarray",
    "pandas.DataFrame": "pandas is not installed in the CPythons this script runs with; "
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
}


def main():
    out = {"python": sys.version.split()[0], "no_samples": NO_SAMPLES, "rows": {}}
    for name, exprs in SAMPLES.items():
        rows = []
        for expr in exprs:
            value = eval(expr)
            for proto in range(pickle.HIGHEST_PROTOCOL + 1):
                rows.append({"expr": expr, "proto": proto, "pickle": pickle.dumps(value, proto).hex()})
        out["rows"][name] = rows
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "types", "samples.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
