# -*- coding: utf-8 -*-
"""Generate the pickle fixtures under testdata/fixtures/.

Usage (from the repository root or anywhere):

    python3 testdata/gen_fixtures.py [--out DIR]

The driver (Python 3) runs this same file as a worker ("--worker") under
every CPython listed in INTERPRETERS (found via pyenv), collects the raw
pickles plus a JSON description of each pickled value, and writes

    <out>/<writer>/<case>.p<N>.pkl   raw pickle bytes
    <out>/<writer>/expected.json     descriptions, pickletools.dis text, flags

See testdata/fixtures/README.md for the description format.  The output is
deterministic: rerunning produces byte-identical files.

This file must stay valid Python 2.7 *and* Python 3.6+ syntax, because the
worker half of it runs under every interpreter.
"""
from __future__ import print_function

import binascii
import collections
import json
import os
import platform
import sys
import types

PY2 = sys.version_info[0] == 2

# Interpreters the fixtures are generated with (pyenv version names).  Every
# one is required; the driver fails if one is missing.
INTERPRETERS = ['2.7.18', '3.6.15', '3.7.16', '3.8.18', '3.9.18', '3.10.13',
                '3.11.7', '3.12.1', '3.13.0']

# The "dis" text is produced by this interpreter's pickletools (in-process in
# the driver); the driver re-executes itself under it if needed.
DIS_VERSION = '3.11.7'

HERE = os.path.dirname(os.path.abspath(__file__))

if PY2:
    text_type = unicode  # noqa: F821 (Python 2 only)
    int_types = (int, long)  # noqa: F821
else:
    text_type = str
    int_types = (int,)


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------

class Case(object):
    def __init__(self, name, fn, only=None, min_proto=0, min_py=None,
                 protos=None, dedupe=False):
        self.name = name
        self.fn = fn
        self.only = only            # None, 'py2' or 'py3'
        self.min_proto = min_proto  # lowest protocol to write
        self.min_py = min_py        # lowest (major, minor) to write
        self.protos = protos        # if set: only these protocols
        # Large cases: the driver stores each distinct (pickle, value) only
        # once, in the newest writer that produced it (see README.md).
        self.dedupe = dedupe

    def applies(self):
        if self.only == 'py2' and not PY2:
            return False
        if self.only == 'py3' and PY2:
            return False
        if self.min_py is not None and sys.version_info[:2] < self.min_py:
            return False
        return True

    def proto_ok(self, proto):
        if proto < self.min_proto:
            return False
        return self.protos is None or proto in self.protos


CASES = []


def add(name, fn, **opts):
    if any(c.name == name for c in CASES):
        raise ValueError('duplicate case ' + name)
    CASES.append(Case(name, fn, **opts))


def _const(v):
    return lambda: v


def _pattern_text(n):
    # ASCII letters only: keeps repr() (and so the dis text) compact.
    s = u'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
    return (s * (n // len(s) + 1))[:n]


def _pattern_bytes(n, shift=0):
    # Printable ASCII without quote or backslash: compact repr().
    alphabet = [c for c in range(32, 127) if c not in (34, 39, 92)]
    alphabet = alphabet[shift:] + alphabet[:shift]
    reps = n // len(alphabet) + 1
    return bytes(bytearray(alphabet * reps)[:n])


# Payloads of >= 64 KiB only matter for framing: protocols 4 and 5, Python 3
# writers only, deduplicated across writers (keeps the fixture tree small).
BIG = dict(only='py3', protos=(4, 5), dedupe=True)
# Large containers: batching (protocol 1+; 2 stands for 1-3) and framing/
# ADDITEMS (4; 5 is the same but for the header), deduplicated across writers.
LARGE = dict(protos=(2, 4), dedupe=True)

# --- None / bool ------------------------------------------------------------
add('none', _const(None))
add('bool_true', _const(True))
add('bool_false', _const(False))

# --- ints at every encoding boundary ----------------------------------------
for _name, _v in [
        ('int_0', 0), ('int_1', 1), ('int_255', 255), ('int_256', 256),
        ('int_65535', 65535), ('int_65536', 65536),
        ('int_neg1', -1), ('int_neg128', -128), ('int_neg129', -129),
        ('int_neg255', -255), ('int_neg256', -256),
        ('int_neg65535', -65535), ('int_neg65536', -65536),
        ('int_2p31m1', 2**31 - 1), ('int_2p31', 2**31),
        ('int_neg2p31', -2**31), ('int_neg2p31m1', -2**31 - 1),
        ('int_2p32', 2**32),
        ('int_2p63m1', 2**63 - 1), ('int_2p63', 2**63),
        ('int_neg2p63', -2**63), ('int_neg2p63m1', -2**63 - 1),
        ('int_2p64m1', 2**64 - 1), ('int_2p64', 2**64),
        ('int_neg2p64', -2**64),
        ('int_2p100', 2**100), ('int_neg2p100', -(2**100)),
        ('int_2p2048', 2**2048),
        ('int_2000digits', int('1234567890' * 200)),
]:
    add(_name, _const(_v))

# --- floats -------------------------------------------------------------------
for _name, _v in [
        ('float_0', 0.0), ('float_neg0', -0.0), ('float_1_5', 1.5),
        ('float_neg2_5', -2.5), ('float_1e16', 1e16), ('float_1em5', 1e-5),
        ('float_1e300', 1e300), ('float_5em324', 5e-324),
        ('float_min_normal', 2.2250738585072014e-308),
        ('float_inf', float('inf')), ('float_neginf', float('-inf')),
        ('float_nan', float('nan')), ('float_0_1', 0.1),
        ('float_third', 1 / 3.),
]:
    add(_name, _const(_v))

# --- complex ------------------------------------------------------------------
add('complex_1_2', lambda: complex(1, 2))
add('complex_neg0_inf', lambda: complex(-0.0, float('inf')))

# --- text (str on Python 3, unicode on Python 2) ------------------------------
for _name, _v in [
        ('str_empty', u''),
        ('str_abc', u'abc'),
        ('str_quotes', u'it\'s "q"'),
        ('str_backslashes', u'a\\b\\\\c\\u0041\\n'),
        ('str_controls', u'\n\r\t\x00\x1a'),
        ('str_latin1_cafe', u'caf\xe9'),
        ('str_latin1_80_ff', u'\x80\xff'),
        ('str_bmp_pi', u'\u03c0'),
        ('str_bmp_cjk', u'\u65e5\u672c\u8a9e'),
        ('str_astral', u'\U0001F600\U0001D11E'),
        ('str_lone_surrogate', u'\ud800'),
        ('str_lone_surrogate_mid', u'a\udfffb'),
        ('str_surrogate_pair_codepoints', u'\ud83d\ude00'),
        ('str_len255', _pattern_text(255)),
        ('str_len256', _pattern_text(256)),
        # 128 chars but 256 UTF-8 bytes: SHORT_BINUNICODE limit is on bytes.
        ('str_128_eacute', u'\xe9' * 128),
]:
    add(_name, _const(_v))
add('str_len70000', lambda: _pattern_text(70000), **BIG)

# --- bytes (Python 3) -----------------------------------------------------------
add('bytes_empty', _const(b''), only='py3')
add('bytes_abc', _const(b'abc'), only='py3')
add('bytes_len255', lambda: _pattern_bytes(255), only='py3')
add('bytes_all256', lambda: bytes(bytearray(range(256))), only='py3')
add('bytes_len300', lambda: _pattern_bytes(300), only='py3')
add('bytes_len70000', lambda: _pattern_bytes(70000), **BIG)

# --- Python 2 str (8-bit) -------------------------------------------------------
add('str8_empty', _const(b''), only='py2')
add('str8_abc', _const(b'abc'), only='py2')
add('str8_nonascii', _const(b'\xe9\x00\xff'), only='py2')
add('str8_all256', lambda: bytes(bytearray(range(256))), only='py2')
add('str8_len300', lambda: _pattern_bytes(300), only='py2')

# --- bytearray ------------------------------------------------------------------
add('bytearray_empty', lambda: bytearray())
add('bytearray_small', lambda: bytearray(b'ab\x00\xff'))
add('bytearray_len70000', lambda: bytearray(_pattern_bytes(70000)), **BIG)

# --- Python 2 only scalars ------------------------------------------------------
add('long_5', lambda: long(5), only='py2')  # noqa: F821
add('long_2p100', lambda: long(2**100), only='py2')  # noqa: F821
add('int_2p40', _const(1099511627776), only='py2')  # a py2 int, not long

# --- containers -----------------------------------------------------------------
add('tuple_0', lambda: ())
add('tuple_1', lambda: (1,))
add('tuple_2', lambda: (1, 2))
add('tuple_3', lambda: (1, 2, 3))
add('tuple_4', lambda: (1, 2, 3, 4))
add('list_0', lambda: [])
add('list_1', lambda: [1])
add('list_2', lambda: [1, 2])
add('dict_0', lambda: {})
add('dict_1', lambda: {1: 2})
add('dict_str_keys', lambda: {u'a': 1, u'b': 2})


def _dict_key_kinds():
    # No 0/1/0.0/1.0 keys: they would collide with False/True.
    d = {}
    d[42] = u'int'
    d[u'key'] = u'str'
    d[b'bkey'] = u'bytes'  # str8 on Python 2
    d[(1, u'x')] = u'tuple'
    d[frozenset([3, 4])] = u'frozenset'
    d[2.5] = u'float'
    d[True] = u'true'
    d[False] = u'false'
    d[None] = u'none'
    d[2**100] = u'bigint'
    return d


add('dict_key_kinds', _dict_key_kinds)
add('set_0', lambda: set())
add('set_123', lambda: set([1, 2, 3]))
add('frozenset_0', lambda: frozenset())
add('frozenset_12', lambda: frozenset([1, 2]))
add('set_strs', lambda: set([u'a', u'b', u'hello', u'world', u'\xe9t\xe9']))
add('nested_deep', lambda: [1, [2, [3, [4, (5, {u'k': [6, {u'deep': (
    7, [8, frozenset([9]), [u'ten', {u'eleven': [[[12]]]}]])}]})]]]])

# --- identity / sharing / recursion ---------------------------------------------


def _shared_list_twice():
    x = [1, 2]
    return [x, x]


def _shared_dict_values():
    d = {u'k': 1}
    return {u'a': d, u'b': d}


def _shared_tuple_twice():
    t = (1, [2])
    return [t, t]


def _list_self_ref():
    a = [1]
    a.append(a)
    return a


def _dict_self_ref():
    d = {u'a': 1}
    d[u'self'] = d
    return d


def _recursive_tuple_via_list():
    a = []
    t = (a, 1)
    a.append(t)
    return t


def _recursive_list_via_tuple():
    a = []
    t = (a, 1)
    a.append(t)
    return a


def _set_with_shared_frozenset():
    fs = frozenset([1, 2])
    return [set([fs, 3]), fs]


def _pickletester_data():
    # pickletester.create_data(), i.e. the value of DATA0..DATA4.
    from fixture_classes import C
    c = C()
    c.foo = 1
    c.bar = 2
    x = [0, 1, 2.0, 3.0 + 0j]
    uint1max = 0xff
    uint2max = 0xffff
    int4max = 0x7fffffff
    x.extend([1, -1,
              uint1max, -uint1max, -uint1max - 1,
              uint2max, -uint2max, -uint2max - 1,
              int4max, -int4max, -int4max - 1])
    y = ('abc', 'abc', c, c)  # native str: str8 on Python 2 (as upstream)
    x.append(y)
    x.append(y)
    x.append(5)
    return x


add('shared_list_twice', _shared_list_twice)
add('shared_dict_values', _shared_dict_values)
add('shared_tuple_twice', _shared_tuple_twice)
add('list_self_ref', _list_self_ref)
add('dict_self_ref', _dict_self_ref)
add('recursive_tuple_via_list', _recursive_tuple_via_list)
add('recursive_list_via_tuple', _recursive_list_via_tuple)
add('set_with_shared_frozenset', _set_with_shared_frozenset)
add('pickletester_data', _pickletester_data)
add('ordereddict_ba',
    lambda: collections.OrderedDict([(u'b', 1), (u'a', 2)]))

# --- large ------------------------------------------------------------------------
add('large_list_range2500', lambda: list(range(2500)), **LARGE)
add('large_dict_2500', lambda: dict((i, -i) for i in range(2500)), **LARGE)
add('large_set_2500', lambda: set(range(2500)), **LARGE)
# > 256 memoized objects: LONG_BINPUT/LONG_BINGET (protocols 1-3).
def _memo_300_strs():
    a = [u'm%03d' % i for i in range(300)]
    a.append(a[299])  # LONG_BINGET at protocols 1-3
    a.append(a[0])
    return a


add('memo_300_strs', _memo_300_strs, dedupe=True)
# ~180 KB at protocol 4: several 64 KiB frames.
add('large_list_20000_strs', lambda: [u's%05d' % i for i in range(20000)],
    protos=(4,), dedupe=True)
add('large_mixed_100k_bytes',
    lambda: [[1, 2], _pattern_bytes(100 * 1024), [3],
             _pattern_bytes(100 * 1024, shift=7), [4, [5]]],
    only='py3', protos=(4,), dedupe=True)

# --- user classes (fixture_classes.py) --------------------------------------------


def _fc():
    import fixture_classes
    return fixture_classes


add('obj_plain', lambda: _fc().Plain())
add('obj_slots', lambda: _fc().Slots(), min_proto=2)
add('obj_getstate_tuple', lambda: _fc().GetStateTuple())
add('obj_reduce_args', lambda: _fc().ReduceArgs(3, u'four'))
add('obj_list_subclass', lambda: _fc().MyList([1, u'two', [3]], tag=u'L'))
add('obj_dict_subclass',
    lambda: _fc().MyDict([(u'k', 1), (u'j', [2])], tag=u'D'))
add('obj_getnewargs_ex', lambda: _fc().KwNew(1, b=[2]),
    only='py3', min_py=(3, 6), min_proto=2)
add('obj_nested_class', lambda: _fc().Outer.Inner())
add('global_class_ref', lambda: _fc().Plain)
add('global_nested_class_ref', lambda: _fc().Outer.Inner)

# Python 2 classic classes.
add('classic_plain', lambda: _fc().ClassicPlain(), only='py2')
add('classic_empty', lambda: _fc().ClassicEmpty(), only='py2')
add('classic_initargs', lambda: _fc().ClassicInitArgs(), only='py2')
add('classic_getstate', lambda: _fc().ClassicGetState(), only='py2')

# --- stdlib objects -------------------------------------------------------------


def _range():
    if PY2:
        return xrange(1, 7, 2)  # noqa: F821
    return range(1, 7, 2)


def _datetime():
    import datetime
    return datetime.datetime(2024, 1, 2, 3, 4, 5, 6)


def _decimal():
    import decimal
    return decimal.Decimal('1.10')


add('std_range', _range)
add('std_datetime', _datetime)
add('std_decimal', _decimal)
add('std_deque', lambda: collections.deque([1, 2]))

# --- standard library data types, which decode to Go values ---------------------
# Values are built fresh in each case, and no two distinct but equal
# immutable objects (datetimes, Decimals, ...) appear in one value: the Go
# side has no identity for those and shares equal ones (as it does strings).
import datetime as _dt  # noqa: E402
import decimal as _decimal_mod  # noqa: E402
import fractions as _fractions  # noqa: E402
import uuid as _uuid  # noqa: E402

PY3 = dict(only='py3')
_UUID = '12345678-1234-5678-1234-567812345678'


def _tz(*args):
    return _dt.timezone(*args)


def _td(*args, **kw):
    return _dt.timedelta(*args, **kw)


# datetime.datetime: naive, aware (UTC, fixed offset with and without name,
# seconds in the offset), extremes; fold=1 stays symbolic in Go.
add('dt_naive_seconds', lambda: _dt.datetime(2024, 1, 2, 3, 4, 5))
add('dt_naive_midnight', lambda: _dt.datetime(2024, 2, 29))
add('dt_min', lambda: _dt.datetime.min)
add('dt_max', lambda: _dt.datetime.max)
add('dt_utc', lambda: _dt.datetime(2024, 1, 2, 3, 4, 5, 6,
                                    tzinfo=_dt.timezone.utc), **PY3)
add('dt_fixed', lambda: _dt.datetime(2024, 1, 2, 3, 4, tzinfo=_tz(
    _td(hours=5, minutes=30))), **PY3)
add('dt_fixed_named', lambda: _dt.datetime(1999, 12, 31, 23, 59, 59, 999999,
                                            tzinfo=_tz(_td(hours=-8), u'PST')),
    **PY3)
add('dt_fixed_seconds', lambda: _dt.datetime(2024, 1, 2, tzinfo=_tz(
    _td(seconds=3661))), only='py3', min_py=(3, 7))
add('dt_fold', lambda: _dt.datetime(2024, 11, 3, 1, 30, fold=1),
    only='py3', min_py=(3, 6))
add('dt_tz_microseconds', lambda: _dt.datetime(2024, 1, 2, tzinfo=_tz(
    _td(seconds=1, microseconds=5))), only='py3', min_py=(3, 7))
add('dt_tz_empty_name', lambda: _dt.datetime(2024, 1, 2, tzinfo=_tz(
    _td(0), u'')), **PY3)


def _dt_shared():
    d = _dt.datetime(2024, 1, 2, 3, 4, 5, 6)
    return [d, d, {u'k': d}]


def _dt_shared_tz():
    tz = _tz(_td(hours=2), u'X')
    return [_dt.datetime(2024, 1, 1, tzinfo=tz),
            _dt.datetime(2024, 6, 1, 12, tzinfo=tz), tz,
            _dt.datetime(2024, 1, 1, tzinfo=_dt.timezone.utc),
            _dt.time(1, tzinfo=_dt.timezone.utc)]


add('dt_shared', _dt_shared)
add('dt_shared_tz', _dt_shared_tz, **PY3)

# datetime.date and datetime.time.
add('date_basic', lambda: _dt.date(2024, 1, 2))
add('date_min', lambda: _dt.date.min)
add('date_max', lambda: _dt.date.max)
add('time_basic', lambda: _dt.time(3, 4, 5, 6))
add('time_midnight', lambda: _dt.time())
add('time_utc', lambda: _dt.time(1, 2, 3, tzinfo=_dt.timezone.utc), **PY3)
add('time_fixed_named', lambda: _dt.time(23, 59, 59, 999999, tzinfo=_tz(
    _td(hours=-2), u'Y')), **PY3)
add('time_fold', lambda: _dt.time(1, 30, fold=1), only='py3', min_py=(3, 6))

# datetime.timedelta: time.Duration when it fits, else symbolic.
add('td_basic', lambda: _dt.timedelta(-1, 5, 7))
add('td_zero', lambda: _dt.timedelta(0))
add('td_microseconds', lambda: [_td(microseconds=1), _td(microseconds=-1)])
add('td_duration_max', lambda: _td(days=106751, seconds=85636,
                                   microseconds=854775))
add('td_beyond_duration', lambda: _td(days=106751, seconds=85636,
                                      microseconds=854776))
add('td_max', lambda: _dt.timedelta.max)

# datetime.timezone on its own.
add('tz_utc', lambda: _dt.timezone.utc, **PY3)
add('tz_fixed', lambda: _tz(_td(hours=1)), **PY3)
add('tz_named', lambda: _tz(_td(hours=-3), u'X'), **PY3)
add('tz_min', lambda: _dt.timezone.min, **PY3)
add('tz_empty_name', lambda: _tz(_td(hours=1), u''), **PY3)

# decimal.Decimal (no signaling NaN: Python cannot compare one, and the live
# round trip test compares; stdlib_test.go covers it).
add('decimal_specials', lambda: [_decimal_mod.Decimal(s) for s in (
    'NaN', 'NaN7', '-NaN', 'Infinity', '-Infinity', '-0', '0E-10', '0.000',
    '1E+5', '0.000001', '1E-7', '-123456789012345678901234567890.123456789',
    '1E+999999999999999999', '1E-999999999999999999')])

# uuid.UUID; one pickled with is_safe stays symbolic.
add('uuid_basic', lambda: _uuid.UUID(_UUID))
add('uuid_extremes', lambda: [_uuid.UUID(int=0), _uuid.UUID(int=2**128 - 1)])
add('uuid_is_safe', lambda: _uuid.UUID(int=5, is_safe=_uuid.SafeUUID.safe),
    only='py3', min_py=(3, 7))

# collections.deque, defaultdict, Counter.


def _deque_self_ref():
    d = collections.deque([1])
    d.append(d)
    return d


def _defaultdict_self_ref():
    d = collections.defaultdict(dict)
    d[u'me'] = d
    return d


add('deque_empty', lambda: collections.deque())
add('deque_one', lambda: collections.deque([u'x']))
add('deque_maxlen', lambda: collections.deque([1, 2, 3], maxlen=5))
add('deque_maxlen0', lambda: collections.deque(maxlen=0))
add('deque_nested', lambda: collections.deque([collections.deque([1]), [2]]))
add('deque_self_ref', _deque_self_ref, **PY3)
add('large_deque_1001', lambda: collections.deque(range(1001)), **LARGE)
add('defaultdict_list',
    lambda: collections.defaultdict(list, [(1, [2]), (u'a', [])]))
add('defaultdict_none', lambda: collections.defaultdict(None, {1: 2}))
add('defaultdict_int_empty', lambda: collections.defaultdict(int))
add('defaultdict_ordereddict',
    lambda: collections.defaultdict(collections.OrderedDict))
add('obj_defaultdict_factory',
    lambda: collections.defaultdict(_fc().Plain, {1: 2}))
add('defaultdict_self_ref', _defaultdict_self_ref)
add('large_defaultdict_1001',
    lambda: collections.defaultdict(set, ((i, -i) for i in range(1001))),
    **LARGE)
add('counter_basic', lambda: collections.Counter([u'b', u'a', u'b']))
add('counter_empty', lambda: collections.Counter())

# fractions.Fraction: (num, den) from 3.11 on, ('n/d',) before.
add('fraction_third', lambda: _fractions.Fraction(1, 3))
add('fraction_values', lambda: [_fractions.Fraction(-7, 2),
                                _fractions.Fraction(5),
                                _fractions.Fraction(2**100, 3)])


# All of them as dict keys, shared, and nested.
def _stdlib_keys():
    # (The values are not the names of the classes: CPython writes a
    # class's name anew, not shared with an equal str.)
    d = {}
    d[_dt.datetime(2024, 1, 1)] = 1
    d[_dt.date(2024, 1, 1)] = 2
    d[_dt.time(1, 2)] = 3
    d[_dt.timedelta(1)] = 4
    d[_decimal_mod.Decimal('1.5')] = 5
    d[_uuid.UUID(_UUID)] = 6
    d[_fractions.Fraction(1, 3)] = 7
    if not PY2:
        d[_dt.datetime(2024, 1, 1, tzinfo=_dt.timezone.utc)] = 8
        d[_dt.timezone(_td(hours=1))] = 9
    return d


def _stdlib_nested():
    f = _fractions.Fraction(1, 3)
    dec = _decimal_mod.Decimal('2.5')
    u = _uuid.UUID(_UUID)
    dq = collections.deque([f, dec, _dt.date(2024, 1, 2)])
    return [dq, dq, {u'f': f, u'u': u, u'dec': dec},
            collections.defaultdict(list, {u'd': [dq]}),
            collections.Counter({u: 1, u'x': 2})]


add('stdlib_keys', _stdlib_keys)
add('stdlib_nested', _stdlib_nested)


# ---------------------------------------------------------------------------
# describe(): Python's own view of the pickled object, as JSON
# ---------------------------------------------------------------------------

def _hex(b):
    return binascii.hexlify(b).decode('ascii')


def _is_global(obj):
    if isinstance(obj, type):
        return True
    if PY2 and isinstance(obj, types.ClassType):
        return True
    return isinstance(obj, (types.FunctionType, types.BuiltinFunctionType))


def _std_reduce(obj):
    """The reduction of a deque or Fraction as CPython 3.11 and later make it,
    whichever Python runs: Python 2 reduces a deque to deque(list[, maxlen]),
    Pythons before 3.11 a Fraction to Fraction('n/d'). The Go decoder turns
    every form into one value, which it describes one way. (A uuid.UUID is
    described as at protocol 2 at every protocol, for the same reason: see
    Describer.reduce.)"""
    t = type(obj)
    if t is collections.deque:
        args = () if obj.maxlen is None else ((), obj.maxlen)
        return (t, args, None, iter(obj))
    if t is _fractions.Fraction:
        return (t, (obj.numerator, obj.denominator))
    return None


class Describer(object):
    def __init__(self, proto):
        self.proto = proto
        self.ids = {}
        self.keep = []       # keep every visited object alive (stable id())
        self.compare = True  # False if the pickle is not structurally described

    def _new_id(self, obj):
        n = len(self.ids)
        self.ids[id(obj)] = n
        self.keep.append(obj)
        return n

    def text(self, s):
        if not PY2:
            return s.encode('utf-8', 'surrogatepass')
        if self.proto == 0:
            # UNICODE (raw-unicode-escape) keeps every code point, even the
            # two halves of a surrogate pair.
            return b''.join(c.encode('utf-8') for c in s)
        # BINUNICODE holds s.encode('utf-8'), which on Python 2 joins a
        # high+low surrogate pair into one 4-byte sequence.
        return s.encode('utf-8')

    def glob(self, obj):
        import pickle
        name = getattr(obj, '__qualname__', None) if not PY2 else None
        if name is None:
            name = obj.__name__
        return {'t': 'global', 'module': pickle.whichmodule(obj, name),
                'name': name}

    def d(self, obj):
        t = type(obj)
        if obj is None:
            return {'t': 'none'}
        if t is bool:
            return {'t': 'bool', 'v': obj}
        if t in int_types:
            return {'t': 'int', 'v': str(obj)}
        if t is float:
            return {'t': 'float', 'v': repr(obj)}
        if t is complex:
            return {'t': 'complex', 're': repr(obj.real), 'im': repr(obj.imag)}
        if t is text_type:
            return {'t': 'str', 'hex': _hex(self.text(obj))}
        if t is bytes:
            return {'t': 'str8' if PY2 else 'bytes', 'hex': _hex(obj)}
        if _is_global(obj):
            return self.glob(obj)
        if t is tuple and not obj:
            return {'t': 'tuple', 'items': []}
        if t is frozenset and not obj:
            return {'t': 'frozenset', 'items': []}
        if id(obj) in self.ids:
            return {'t': 'ref', 'id': self.ids[id(obj)]}
        if t in (tuple, list, set, frozenset):
            n = self._new_id(obj)
            return {'t': t.__name__, 'id': n,
                    'items': [self.d(x) for x in obj]}
        if t is dict or t is collections.OrderedDict:
            n = self._new_id(obj)
            items = [[self.d(k), self.d(v)] for k, v in obj.items()]
            return {'t': 'dict' if t is dict else 'ordereddict', 'id': n,
                    'items': items}
        if t is bytearray:
            n = self._new_id(obj)
            return {'t': 'bytearray', 'id': n, 'hex': _hex(bytes(obj))}
        if PY2 and t is types.InstanceType:
            return self.inst(obj)
        return self.reduce(obj)

    def inst(self, obj):
        # Python 2 classic instance: what cPickle/pickle save_inst write.
        n = self._new_id(obj)
        cls = obj.__class__
        out = {'t': 'object', 'id': n, 'kind': 'inst',
               'callable': self.d(cls)}
        if hasattr(obj, '__getinitargs__'):
            args = list(obj.__getinitargs__())
        else:
            args = []
        self.keep.append(args)
        out['args'] = [self.d(a) for a in args]
        if hasattr(obj, '__getstate__'):
            state = obj.__getstate__()
        else:
            state = obj.__dict__
        self.keep.append(state)
        # Both Python 2 picklers always write BUILD, even for an empty dict.
        out['state'] = self.d(state)
        return out

    def reduce(self, obj):
        if PY2:
            import copy_reg as copyreg
        else:
            import copyreg
        proto = self.proto
        rv = _std_reduce(obj)
        if type(obj) is _uuid.UUID and getattr(obj, 'is_safe', None) in (
                None, getattr(getattr(_uuid, 'SafeUUID', None), 'unknown', 0)):
            # A UUID without is_safe becomes a Go value, which has one form:
            # UUID.__new__(UUID) and BUILD, which protocols 0 and 1 spell
            # copyreg._reconstructor(UUID, object, None) and BUILD. With
            # is_safe it stays symbolic, as pickled.
            proto = max(proto, 2)
            rv = obj.__reduce_ex__(proto)
        if rv is not None:
            pass
        elif copyreg.dispatch_table.get(type(obj)) is not None:
            rv = copyreg.dispatch_table[type(obj)](obj)
        else:
            rv = obj.__reduce_ex__(proto)
        if not isinstance(rv, tuple):
            raise TypeError('describe: unsupported reduce value %r' % (rv,))
        self.keep.append(rv)
        n = self._new_id(obj)
        func, args = rv[0], rv[1]
        fname = getattr(func, '__name__', '')
        out = {'t': 'object', 'id': n}
        if proto >= 2 and fname == '__newobj__':
            out['kind'] = 'newobj'
            out['callable'] = self.d(args[0])
            out['args'] = [self.d(a) for a in args[1:]]
        elif proto >= 2 and fname == '__newobj_ex__':
            cls, nargs, kwargs = args
            if proto < 4:
                # CPython writes functools.partial(cls.__new__, cls, *args,
                # **kwargs) here: not described structurally.
                self.compare = False
            out['kind'] = 'newobj_ex'
            out['callable'] = self.d(cls)
            out['args'] = [self.d(a) for a in nargs]
            out['kwargs'] = [[self.d(k), self.d(v)] for k, v in kwargs.items()]
        else:
            out['kind'] = 'reduce'
            out['callable'] = self.d(func)
            out['args'] = [self.d(a) for a in args]
        state = rv[2] if len(rv) > 2 else None
        listitems = rv[3] if len(rv) > 3 else None
        dictitems = rv[4] if len(rv) > 4 else None
        if state is not None:
            out['state'] = self.d(state)
        if listitems is not None:
            listitems = list(listitems)
            self.keep.append(listitems)
            out['listitems'] = [self.d(x) for x in listitems]
        if dictitems is not None:
            dictitems = list(dictitems)
            self.keep.append(dictitems)
            out['dictitems'] = [[self.d(k), self.d(v)] for k, v in dictitems]
        return out


# ---------------------------------------------------------------------------
# Worker: runs under each interpreter, prints JSON on stdout
# ---------------------------------------------------------------------------

def worker():
    import pickle
    if os.environ.get('PYTHONHASHSEED') != '0':
        raise SystemExit('worker: PYTHONHASHSEED=0 is required')
    if HERE not in sys.path:
        sys.path.insert(0, HERE)
    if PY2:
        import cPickle
        writers = [('2.7', cPickle.dumps), ('2.7-py', pickle.dumps)]
    else:
        writers = [('%d.%d' % sys.version_info[:2], pickle.dumps)]
    result = {'version': platform.python_version(), 'writers': {},
              'skipped': []}
    for wname, dumps in writers:
        cases = {}
        for c in CASES:
            if not c.applies():
                continue
            for proto in range(pickle.HIGHEST_PROTOCOL + 1):
                if not c.proto_ok(proto):
                    continue
                key = '%s.p%d' % (c.name, proto)
                obj = c.fn()
                try:
                    data = dumps(obj, proto)
                except Exception as e:
                    msg = '%s: %s.p%d: %s: %s' % (
                        wname, c.name, proto, type(e).__name__, e)
                    print('skip ' + msg, file=sys.stderr)
                    result['skipped'].append(msg)
                    continue
                desc = Describer(proto)
                value = desc.d(obj)
                # Self-check: the description must survive a round trip
                # through the same interpreter's unpickler.
                again = Describer(proto).d(pickle.loads(data))
                if again != value:
                    raise SystemExit('worker: %s: %s: description of the '
                                     'reloaded value differs' % (wname, key))
                entry = {'hex': _hex(data), 'value': value}
                if not desc.compare:
                    entry['compare'] = False
                cases[key] = entry
        result['writers'][wname] = cases
    out = json.dumps(result, sort_keys=True)
    sys.stdout.write(out)
    sys.stdout.flush()


# ---------------------------------------------------------------------------
# Driver (Python 3 only)
# ---------------------------------------------------------------------------

# Globals a safe-by-default decoder accepts (both spellings).
SAFE_GLOBALS = set(
    [(m, n) for m in ('builtins', '__builtin__')
     for n in ('set', 'frozenset', 'bytearray', 'bytes', 'complex', 'int',
               'float', 'str', 'range', 'slice', 'object', 'list', 'dict',
               'tuple')] +
    [('_codecs', 'encode'), ('copyreg', '_reconstructor'),
     ('copy_reg', '_reconstructor'), ('collections', 'OrderedDict'),
     ('collections', 'defaultdict'), ('collections', 'Counter'),
     ('collections', 'deque')] +
    [('datetime', n) for n in ('date', 'time', 'datetime', 'timedelta',
                               'timezone')] +
    [('decimal', 'Decimal'), ('uuid', 'UUID'), ('fractions', 'Fraction')])


def _pyenv_root():
    import subprocess
    try:
        out = subprocess.check_output(['pyenv', 'root'])
        return out.decode().strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    root = os.environ.get('PYENV_ROOT') or os.path.expanduser('~/.pyenv')
    return root


def _interpreter(root, ver):
    exe = os.path.join(root, 'versions', ver, 'bin', 'python')
    if not os.access(exe, os.X_OK):
        raise SystemExit('gen_fixtures: missing interpreter %s (%s)'
                         % (ver, exe))
    return exe


def _fix_name(proto, module, name):
    """Map a Python 2 global name the way Python 3's Unpickler does."""
    import _compat_pickle
    if proto < 3:
        if (module, name) in _compat_pickle.NAME_MAPPING:
            return _compat_pickle.NAME_MAPPING[(module, name)]
        if module in _compat_pickle.IMPORT_MAPPING:
            return _compat_pickle.IMPORT_MAPPING[module], name
    return module, name


def _map_globals(desc, proto):
    """Rewrite Python 2 global names in a description (2.7 writers)."""
    if isinstance(desc, dict):
        if desc.get('t') == 'global':
            desc['module'], desc['name'] = _fix_name(
                proto, desc['module'], desc['name'])
        for v in desc.values():
            _map_globals(v, proto)
    elif isinstance(desc, list):
        for v in desc:
            _map_globals(v, proto)


def _pickle_globals(data):
    """The (module, name) pairs a pickle looks up, by simulating the stack.

    Returns (proto, set of pairs, ok); ok is False if a STACK_GLOBAL operand
    could not be resolved to a string.
    """
    import pickletools
    mark = object()
    stack, memo, found = [], {}, set()
    proto, ok = 0, True
    strings = ('UNICODE', 'BINUNICODE', 'SHORT_BINUNICODE', 'BINUNICODE8',
               'STRING', 'BINSTRING', 'SHORT_BINSTRING')
    for op, arg, pos in pickletools.genops(data):
        name = op.name
        if name == 'PROTO':
            proto = arg
        if name in ('GLOBAL', 'INST'):
            module, gname = arg.split(' ', 1)
            found.add((module, gname))
        if name == 'STACK_GLOBAL':
            gname, module = stack.pop(), stack.pop()
            if isinstance(module, str) and isinstance(gname, str):
                found.add((module, gname))
            else:
                ok = False
            stack.append(None)
            continue
        if name in ('PUT', 'BINPUT', 'LONG_BINPUT'):
            memo[arg] = stack[-1]
            continue
        if name == 'MEMOIZE':
            memo[len(memo)] = stack[-1]
            continue
        if name in ('GET', 'BINGET', 'LONG_BINGET'):
            stack.append(memo.get(arg))
            continue
        before, after = op.stack_before, op.stack_after
        if pickletools.markobject in before or (
                name == 'POP' and stack and stack[-1] is mark):
            while stack and stack[-1] is not mark:
                stack.pop()
            if stack:
                stack.pop()
            npop = (before.index(pickletools.markobject)
                    if pickletools.markobject in before else 0)
        else:
            npop = len(before)
        if npop:
            del stack[-npop:]
        if name in strings:
            stack.append(arg)
        elif pickletools.markobject in after:
            stack.append(mark)
        else:
            stack.extend([None] * len(after))
    return proto, found, ok


def _safe_by_loading(data):
    # Fallback for pickles pickletools cannot parse (protocol-0 STRING with
    # non-ASCII bytes): load them with a find_class that refuses anything
    # outside the allowlist.
    import io
    import pickle

    class Refused(Exception):
        pass

    class Checker(pickle._Unpickler):
        def find_class(self, module, name):
            if ((module, name) not in SAFE_GLOBALS and
                    _fix_name(self.proto, module, name) not in SAFE_GLOBALS):
                raise Refused(module, name)
            return pickle._Unpickler.find_class(self, module, name)

    # A Python 2 str must become text for Decimal('1.10'), bytes for
    # some other constructors: try both.
    error = None
    for encoding in ('latin1', 'bytes'):
        try:
            Checker(io.BytesIO(data), encoding=encoding).load()
        except Refused:
            return False
        except Exception as e:
            error = e
            continue
        return True
    raise error


def _safe(data):
    try:
        proto, found, ok = _pickle_globals(data)
    except Exception:
        return _safe_by_loading(data)
    if not ok:
        return False
    for module, name in found:
        if (module, name) in SAFE_GLOBALS:
            continue
        if _fix_name(proto, module, name) in SAFE_GLOBALS:
            continue
        return False
    return True


def _dis(data):
    import io
    import pickletools
    out = io.StringIO()
    try:
        pickletools.dis(data, out)
    except Exception as e:
        return None, repr(e)
    return out.getvalue(), None


def _writer_order(writer):
    # '3.13' > '3.6' > '2.7' > '2.7-py'
    major, minor = writer.split('-')[0].split('.')
    return (int(major), int(minor), not writer.endswith('-py'))


def driver(argv):
    import argparse
    import subprocess

    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', default=os.path.join(HERE, 'fixtures'),
                        help='output directory (default: %(default)s)')
    args = parser.parse_args(argv)

    root = _pyenv_root()
    if platform.python_version() != DIS_VERSION:
        exe = _interpreter(root, DIS_VERSION)
        print('gen_fixtures: re-executing under %s' % exe, file=sys.stderr)
        os.execv(exe, [exe, os.path.abspath(__file__)] + argv)

    exes = [(ver, _interpreter(root, ver)) for ver in INTERPRETERS]
    env = dict(os.environ)
    for k in ('PYTHONPATH', 'PYTHONHOME', 'PYTHONSTARTUP', 'PYTHONOPTIMIZE',
              'PYTHONIOENCODING', 'PYTHONUTF8'):
        env.pop(k, None)
    env['PYTHONHASHSEED'] = '0'
    env['PYTHONDONTWRITEBYTECODE'] = '1'

    procs = []
    for ver, exe in exes:
        p = subprocess.Popen([exe, '-B', '-s', os.path.abspath(__file__),
                              '--worker'], env=env, cwd=HERE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        procs.append((ver, p))
    results = []
    failed = False
    for ver, p in procs:
        out, err = p.communicate()
        if err:
            sys.stderr.write(err.decode('utf-8', 'replace'))
        if p.returncode != 0:
            print('gen_fixtures: worker %s failed (exit %d)'
                  % (ver, p.returncode), file=sys.stderr)
            failed = True
            continue
        res = json.loads(out.decode('ascii'))
        if res['version'] != ver:
            raise SystemExit('gen_fixtures: %s reports version %s'
                             % (ver, res['version']))
        results.append(res)
    if failed:
        raise SystemExit(1)

    # (writer, version, cases), newest writer first ('2.7' before '2.7-py').
    writers = []
    for res in results:
        for writer, cases in res['writers'].items():
            for key, entry in cases.items():
                if writer.startswith('2.'):
                    _map_globals(entry['value'], int(key.rsplit('.p', 1)[1]))
            writers.append((writer, res['version'], cases))
    writers.sort(key=lambda w: _writer_order(w[0]), reverse=True)

    # Large cases: keep each distinct (pickle, value) once, in the newest
    # writer that produced it.
    dedupe = set(c.name for c in CASES if c.dedupe)
    seen = set()
    deduped = 0
    for writer, version, cases in writers:
        for key in sorted(cases):
            if key.rsplit('.p', 1)[0] not in dedupe:
                continue
            sig = (key, cases[key]['hex'],
                   json.dumps(cases[key]['value'], sort_keys=True))
            if sig in seen:
                del cases[key]
                deduped += 1
            else:
                seen.add(sig)

    total_files = 0
    for writer, version, cases in sorted(writers, key=lambda w: w[0]):
        wdir = os.path.join(args.out, writer)
        if not os.path.isdir(wdir):
            os.makedirs(wdir)
        for fn in os.listdir(wdir):
            if fn.endswith('.pkl') or fn == 'expected.json':
                os.remove(os.path.join(wdir, fn))
        expected = {}
        for key in sorted(cases):
            entry = cases[key]
            data = bytes.fromhex(entry['hex'])
            value = entry['value']
            e = {'value': value, 'safe': _safe(data)}
            text, err = _dis(data)
            if err is None:
                e['dis'] = text
            else:
                e['dis_error'] = err
            if entry.get('compare') is False:
                e['compare'] = False
            expected[key] = e
            with open(os.path.join(wdir, key + '.pkl'), 'wb') as f:
                f.write(data)
            total_files += 1
        doc = {'writer': writer, 'version': version, 'cases': expected}
        with open(os.path.join(wdir, 'expected.json'), 'wb') as f:
            f.write((json.dumps(doc, sort_keys=True, indent=1) + '\n')
                    .encode('ascii'))
        total_files += 1
        print('%-7s %4d pickles' % (writer, len(cases)), file=sys.stderr)
    skipped = [s for res in results for s in res['skipped']]
    print('gen_fixtures: wrote %d files under %s; %d pickles skipped (see '
          '"skip" lines above); %d large-case duplicates not stored'
          % (total_files, args.out, len(skipped), deduped), file=sys.stderr)


if __name__ == '__main__':
    if sys.argv[1:2] == ['--worker']:
        worker()
    elif PY2:
        raise SystemExit('gen_fixtures: run the driver with Python 3')
    else:
        driver(sys.argv[1:])
