"""Loads the pickles Go wrote (pandas_live_test.go) with pandas and says,
for each, whether pandas sees the value that was meant: a JSON object of
name to "ok" or what differs.

    /usr/bin/python3 testdata/pandas_load.py < CASES

CASES is a JSON list of {name, pickle (base64, what Go wrote), and either
want (base64, a pickle pandas wrote) or want_expr (a Python expression
building the value, with pd, np, nan, datetime and zoneinfo in scope)}.
"""
import base64
import datetime
import json
import pickle
import sys
import zoneinfo

import numpy as np
import pandas as pd


def names(v):
    if isinstance(v, pd.Index):
        return [list(v.names)]
    if isinstance(v, pd.Series):
        return [v.name, list(v.index.names)]
    if isinstance(v, pd.DataFrame):
        return [list(v.index.names), [str(t) for t in v.dtypes], type(v.columns).__name__]
    return []


def differs(got, want):
    if type(got) is not type(want):
        return 'type %s, not %s' % (type(got).__name__, type(want).__name__)
    if not (want.equals(got) if hasattr(want, 'equals') else want == got):
        return 'not equal:\n%s\nwanted:\n%s' % (got, want)
    if names(got) != names(want):
        return 'names or dtypes %r, not %r' % (names(got), names(want))
    return None


def main():
    out = {}
    for case in json.load(sys.stdin):
        try:
            got = pickle.loads(base64.b64decode(case['pickle']))
            if 'want' in case:
                want = pickle.loads(base64.b64decode(case['want']))
            else:
                want = eval(case['want_expr'], {'pd': pd, 'np': np, 'nan': float('nan'),
                                                 'datetime': datetime, 'zoneinfo': zoneinfo})
            out[case['name']] = differs(got, want) or 'ok'
        except Exception as e:  # reported per case, as the test wants
            out[case['name']] = 'error: %r' % (e,)
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
