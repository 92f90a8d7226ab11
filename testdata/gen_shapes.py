"""Generate testdata/shapes/expected.json: what CPython writes and loads for
the Go shapes of issue 16 (times, decimals, sets, tuples as structs,
namedtuples, enums, slots).

Usage (from anywhere), with Python 3.11:

    python3 testdata/gen_shapes.py

Every expected value in the file is CPython's own answer; the Go tests
(shapes_test.go) compare against it. Pickles are hex. The output is
deterministic: rerunning produces an identical file.
"""
import datetime
import decimal
import fractions
import json
import os
import pickle
import sys

if os.environ.get("PYTHONHASHSEED") != "0":
    # Set pickles follow str hashes: fix them, for identical output.
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import shape_classes  # noqa: E402  (the pickles refer to it)

EPOCH = datetime.datetime(1970, 1, 1)


def hexp(v, proto=4):
    return pickle.dumps(v, proto).hex()


def times():
    """Nanosecond instants as datetime holds them: datetime.fromtimestamp
    and timedelta(microseconds=float) both round half to even
    (_PyTime_ROUND_HALF_EVEN); a float of nanoseconds/1000 below 2**53 is
    exact, so the ties below are real ties."""
    out = []
    secs = [0, 1, -1, 1700000000, 253402300799]  # the last: 9999-12-31T23:59:59
    nsecs = [0, 1000, 499, 500, 501, 1500, 2500, 3500, 999999499,
             999999500, 999999501, 123456789]
    for s in secs:
        for ns in nsecs:
            case = {"sec": s, "nsec": ns}
            try:
                dt = EPOCH + datetime.timedelta(seconds=s, microseconds=ns / 1000.0)
                case["iso"] = dt.isoformat()
                case["pickle"] = hexp(dt)
            except OverflowError as e:
                case["error"] = str(e)
            out.append(case)
    return out


def durations():
    out = []
    for ns in [0, 500, 1500, 2500, -500, -1500, -2500, 1499, -1501,
               86400 * 10**9 + 500, -(86400 * 10**9) - 1500,
               9223372036854775807, -9223372036854775808]:
        if abs(ns) < 2**53:
            td = datetime.timedelta(microseconds=ns / 1000.0)
        else:
            # Beyond a float's exact integers: Python's exact rational
            # rounding, also half to even.
            td = datetime.timedelta(microseconds=round(fractions.Fraction(ns, 1000)))
        out.append({"ns": ns, "us": td // datetime.timedelta(microseconds=1),
                    "pickle": hexp(td)})
    return out


DECIMALS = ['1.10', '0.1', '-0', '2.5', '1E+400', '-1E+400', '1E-400', '1e308',
            '1.7976931348623157e308', '1.7976931348623159e308', 'Infinity',
            '-Infinity', 'NaN', 'sNaN', '123456789012345678901234567890.5',
            '0.30000000000000001665', '5e-324', '2.4703282292062328e-324',
            '9007199254740993', '-1.5E-7', '1E+999999999999999999']


def decimals():
    """float(d) is the nearest float (repr); Fraction(d) the exact value."""
    out = []
    for text in DECIMALS:
        d = decimal.Decimal(text)
        case = {"text": text, "str": str(d), "pickle": hexp(d)}
        try:
            case["float"] = repr(float(d))
        except ValueError as e:
            case["float_error"] = str(e)
        if d.is_finite() and abs(d.adjusted()) < 4000:
            f = fractions.Fraction(d)
            case["fraction"] = [str(f.numerator), str(f.denominator)]
        out.append(case)
    return out


def sets():
    """Sets and frozensets at every protocol, with their items sorted."""
    out = []
    for name, value in [("set", {'b', 'a', 'c'}), ("frozenset", frozenset(['x', 'y'])),
                        ("empty", set()), ("ints", {3, 1, 2})]:
        for proto in range(pickle.HIGHEST_PROTOCOL + 1):
            out.append({"name": name, "protocol": proto, "pickle": hexp(value, proto),
                        "items": sorted(value)})
    return out


GRAPHITE = [('servers.a.cpu', (1700000000, 0.5)),
            ('servers.b.cpu', (1700000060, 12.25)),
            ('servers.a.load', (1700000000, 3.0))]


def graphite():
    """Graphite's pickle protocol: a list of (path, (timestamp, value)); the
    carbon client writes protocol 2, here every protocol. Also written to
    graphite.p2.pkl for the Example."""
    with open(os.path.join(HERE, "shapes", "graphite.p2.pkl"), "wb") as f:
        f.write(pickle.dumps(GRAPHITE, 2))
    return [{"protocol": p, "pickle": hexp(GRAPHITE, p), "value": GRAPHITE}
            for p in range(pickle.HIGHEST_PROTOCOL + 1)]


def namedtuples():
    """Instances of a collections.namedtuple and a typing.NamedTuple."""
    out = []
    for name, value in [("Point", shape_classes.Point(1, 2.5)),
                        ("Sample", shape_classes.Sample('cpu', 0.5, ('a', 'b')))]:
        for p in range(pickle.HIGHEST_PROTOCOL + 1):
            out.append({"class": name, "protocol": p, "pickle": hexp(value, p),
                        "items": list(value), "fields": list(value._fields)})
    return out


def enums():
    """Members of an Enum, a str-mixin Enum and an IntEnum, with their
    values."""
    out = []
    for member in [shape_classes.Color.RED, shape_classes.Color.GREEN,
                   shape_classes.Mode.WRITE, shape_classes.Level.HIGH]:
        for p in range(pickle.HIGHEST_PROTOCOL + 1):
            out.append({"class": type(member).__name__, "name": member.name,
                        "value": member.value, "protocol": p, "pickle": hexp(member, p)})
    return out


def plain_cases():
    """Values json.dumps can write (sets and deques through default=list,
    in Python's iteration order), with the JSON it writes: what Plain's
    values must marshal to."""
    import collections
    return [
        {'a': [1, 2.5, None, True], 'b': (1, 'x'), 7: 'int key', -5: 'neg',
         2.5: 'float key', 1e100: 'big float', 0.1: 'short', None: 'none key',
         False: 'bool key'},
        {'nested': {'x': {'y': [{'z': 1}]}}, 'set': {1, 2, 3},
         'fs': frozenset(['a']), 'big': 2**100, 'text': 'caf\u00e9'},
        [collections.OrderedDict([('k', 1), ('j', 2)]), collections.Counter('aab'),
         collections.defaultdict(list, {'a': [1]}), collections.deque([1, 2])],
        ((), [], {}, ''),
    ]


def plain():
    out = []
    for i, value in enumerate(plain_cases()):
        for p in range(pickle.HIGHEST_PROTOCOL + 1):
            out.append({"case": i, "protocol": p, "pickle": hexp(value, p),
                        "json": json.dumps(value, default=list)})
    return out


def slots():
    """A dataclass(slots=True): state (None, {slot: value}); protocols 0
    and 1 cannot pickle it."""
    out = []
    for p in range(pickle.HIGHEST_PROTOCOL + 1):
        case = {"protocol": p}
        try:
            case["pickle"] = hexp(shape_classes.SPoint(1, 2), p)
        except TypeError as e:
            case["error"] = str(e)
        out.append(case)
    return out


def main():
    doc = {
        "slots": slots(),
        "plain": plain(),
        "enums": enums(),
        "graphite": graphite(),
        "namedtuples": namedtuples(),
        "times": times(),
        "durations": durations(),
        "decimals": decimals(),
        "sets": sets(),
    }
    path = os.path.join(HERE, "shapes", "expected.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")


main()
