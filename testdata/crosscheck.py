"""Live cross-checks against the CPython running this script.

Reads JSON lines from stdin and writes one JSON line per input to stdout.
Each input is {"op": ..., ...}:

  {"op": "same", "a": HEX, "b": HEX, "encoding": "ASCII"}
      Load both pickles and report whether they hold the same value: equal
      types (tuple vs list, bytes vs str, int vs bool), equal contents
      (NaN equals NaN), and the same sharing and cycles (one object in a
      must be one object in b).
  {"op": "dumps", "expr": PYTHON_EXPR, "protocol": N}
      Evaluate the expression (the test's own, trusted) and pickle it.
  {"op": "loads", "data": HEX, "encoding": "ASCII"}
      Load a pickle; report repr or the error.

Works on Python 2.7 and 3.x. The fixture classes are importable.
"""
import collections
import json
import math
import os
import pickle
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture_classes  # noqa: E402,F401  (pickles refer to it)

PY2 = sys.version_info[0] == 2
if PY2:
    import cPickle as cpickle  # noqa: F401
    loads = pickle.loads
else:
    loads = pickle.loads


def load(data, encoding):
    if PY2:
        return pickle.loads(data)
    return pickle.loads(data, encoding=encoding)


ATOMS = (type(None), bool, int, float, complex, str, bytes)
if PY2:
    ATOMS = ATOMS + (long, unicode)  # noqa: F821


def same(a, b, seen, depth=0):
    """Structural equality that also checks identity is mirrored."""
    if depth > 2000:
        raise ValueError("too deep")
    if PY2 and isinstance(a, (int, long)) and isinstance(b, (int, long)) and not isinstance(a, bool) and not isinstance(b, bool):  # noqa: F821
        # Python 3's one int type cannot say which Python 2 type it was.
        return None if a == b else "%r vs %r" % (a, b)
    if PY2 and a in (int, long) and b in (int, long):  # noqa: F821
        # The int class itself: Python 3 writes builtins.int as
        # __builtin__.long below protocol 3.
        return None
    if type(a) is not type(b):
        return "type %s vs %s" % (type(a).__name__, type(b).__name__)
    if type(a).__module__ == "numpy" and hasattr(a, "dtype") and hasattr(a, "tobytes"):
        # numpy arrays and scalars: dtype, shape, memory order and bytes;
        # object arrays element by element.
        if a.dtype.str != b.dtype.str or a.shape != b.shape:
            return "numpy %s%r vs %s%r" % (a.dtype.str, a.shape, b.dtype.str, b.shape)
        if getattr(a, "flags", None) is not None and a.flags.f_contiguous != b.flags.f_contiguous and a.ndim > 1:
            return "numpy memory order differs"
        if a.dtype.hasobject:
            return same(a.tolist(), b.tolist(), seen, depth + 1)
        return None if a.tobytes("A") == b.tobytes("A") else "numpy data differs"
    if isinstance(a, float):
        if a != a and b != b:
            return None
        if a != b or math.copysign(1, a) != math.copysign(1, b):
            return "float %r vs %r" % (a, b)
        return None
    if isinstance(a, ATOMS):
        if isinstance(a, complex):
            return None if repr(a) == repr(b) else "complex %r vs %r" % (a, b)
        return None if a == b else "%r vs %r" % (a, b)
    if id(a) in seen:
        return None if seen[id(a)][1] is b else "identity of %s not kept" % type(a).__name__
    # Keep a alive: it may be a temporary (a state or reduce tuple), whose id
    # Python would otherwise reuse for the next one.
    seen[id(a)] = (a, b)
    if isinstance(a, collections.deque) and a.maxlen != b.maxlen:
        return "deque maxlen %r vs %r" % (a.maxlen, b.maxlen)
    if isinstance(a, collections.defaultdict):
        r = same(a.default_factory, b.default_factory, seen, depth + 1)
        if r:
            return "defaultdict factory: " + r
    if isinstance(a, (list, tuple, collections.deque)):
        if len(a) != len(b):
            return "len %d vs %d" % (len(a), len(b))
        for x, y in zip(a, b):
            r = same(x, y, seen, depth + 1)
            if r:
                return r
        return None
    if isinstance(a, dict):
        if len(a) != len(b):
            return "dict len %d vs %d" % (len(a), len(b))
        if list(map(repr_key, a.keys())) != list(map(repr_key, b.keys())) and type(a) is not dict:
            return "key order"
        for k in a:
            if k not in b:
                return "missing key %r" % (k,)
            r = same(a[k], b[k], seen, depth + 1)
            if r:
                return r
        return None
    if isinstance(a, (set, frozenset, bytearray)):
        return None if a == b else "%r vs %r" % (a, b)
    if isinstance(a, type) or callable(a) and not hasattr(a, '__dict__'):
        return None if a is b else "%r vs %r" % (a, b)
    # Instances: compare their state.
    sa, sb = state_of(a), state_of(b)
    if sa is None and sb is None:
        if a == b:
            return None
        # Objects without == (Python 2's xrange): compare how they reduce.
        return same(a.__reduce_ex__(2), b.__reduce_ex__(2), seen, depth + 1)
    return same(sa, sb, seen, depth + 1)


def repr_key(k):
    if PY2 and isinstance(k, (int, long)) and not isinstance(k, bool):  # noqa: F821
        return str(k)  # 1 and 1L: see same()
    return repr(k)


def state_of(obj):
    st = []
    if hasattr(obj, '__dict__'):
        st.append(obj.__dict__)
    slots = []
    for cls in type(obj).__mro__:
        slots.extend(getattr(cls, '__slots__', ()))
    for s in slots:
        if s not in ('__dict__', '__weakref__'):
            st.append(getattr(obj, s, '<unset>'))
    if isinstance(obj, list):
        st.append(list(obj))
    if isinstance(obj, dict):
        st.append(dict(obj))
    if not st:
        return None
    return tuple(st)


def main():
    out = sys.stdout
    for line in sys.stdin:
        req = json.loads(line)
        op = req["op"]
        try:
            if op == "same":
                enc = req.get("encoding", "ASCII")
                a = load(bytes(bytearray.fromhex(req["a"])), enc)
                b = load(bytes(bytearray.fromhex(req["b"])), enc)
                r = same(a, b, {})
                res = {"ok": r is None, "why": r}
            elif op == "dumps":
                import collections  # noqa: F401  (for expressions)
                obj = eval(req["expr"])
                data = pickle.dumps(obj, req["protocol"])
                res = {"data": bytearray(data).hex() if not PY2 else data.encode("hex")}
            elif op == "loads":
                v = load(bytes(bytearray.fromhex(req["data"])), req.get("encoding", "ASCII"))
                res = {"repr": repr(v)}
            else:
                res = {"error": "unknown op"}
        except Exception as e:  # noqa: BLE001 - reported to the test
            res = {"error": "%s: %s" % (type(e).__name__, e)}
        out.write(json.dumps(res) + "\n")
        out.flush()


main()
