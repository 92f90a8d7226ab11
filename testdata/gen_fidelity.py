# -*- coding: utf-8 -*-
"""Generate testdata/fidelity/expected.json: pickles CPython writes for the
cases of issue 11 (fidelity of the printer, encoder and decoder), with what
CPython makes of them.

Usage:

    python3 testdata/gen_fidelity.py

The driver runs this file as a worker ("--worker") under every CPython in
INTERPRETERS (via pyenv); each worker pickles every case that applies at every
protocol it has, with pickle.dumps, and loads the pickle back. The driver adds
what Python 3.11.7's pickletools prints for each pickle and writes one entry
per distinct (case, protocol, pickle):

    {"case": NAME, "protocol": N, "writers": ["3.8", ...], "hex": PICKLE,
     "dis": PICKLETOOLS_TEXT, "loaded": SHOWN}

where SHOWN is repr(pickle.loads(PICKLE)) followed by the instance
attributes if it has any, or for an instance with object's repr,
<module.Class {attributes}>
(where Pythons print the loaded value differently, the newest one's). The
output is deterministic. Must stay valid Python 2.7 syntax (the 2.7 worker).
"""
from __future__ import print_function

import binascii
import collections
import json
import os
import platform
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
INTERPRETERS = ['2.7.18', '3.6.15', '3.7.16', '3.8.18', '3.9.18', '3.10.13',
                '3.11.7', '3.12.1', '3.13.0']
DIS_VERSION = '3.11.7'
OUT = os.path.join(HERE, 'fidelity', 'expected.json')

# The OSError subclasses Python 3 writes as exceptions.OSError below
# protocol 3 (_compat_pickle.PYTHON3_OSERROR_EXCEPTIONS), and
# ModuleNotFoundError, which it writes as exceptions.ImportError.
RENAMED_EXCEPTIONS = [
    'BrokenPipeError', 'ChildProcessError', 'ConnectionAbortedError',
    'ConnectionError', 'ConnectionRefusedError', 'ConnectionResetError',
    'FileExistsError', 'FileNotFoundError', 'InterruptedError',
    'IsADirectoryError', 'NotADirectoryError', 'PermissionError',
    'ProcessLookupError', 'TimeoutError', 'ModuleNotFoundError']


def _fc():
    if HERE not in sys.path:
        sys.path.insert(0, HERE)
    import fixture_classes
    return fixture_classes


def _ordereddict_attrs():
    o = collections.OrderedDict([(u'a', 1)])
    o.x = 5
    return o


def _dict_subclass_attrs():
    d = _fc().AttrDict([(u'k', [1])])
    d.tag = u'D'
    return d


def _list_subclass_attrs():
    a = _fc().AttrList([1, u'two'])
    a.tag = u'L'
    return a


def _setter_target():
    o = _fc().SetterTarget()
    o.v = 1
    return o


def _self_in_args():
    o = _fc().SelfInArgs(n=7)
    o.items = [o]
    return o


# (name, make the value, lowest Python version)
CASES = [
    ('bytearray_squote', lambda: bytearray(b"a'b"), (2, 7)),
    ('bytearray_dquote', lambda: bytearray(b'a"b'), (2, 7)),
    ('bytearray_both_quotes', lambda: bytearray(b'a"\'\\b'), (2, 7)),
    ('ordereddict_attrs', _ordereddict_attrs, (2, 7)),
    ('dict_subclass_attrs', _dict_subclass_attrs, (2, 7)),
    ('list_subclass_attrs', _list_subclass_attrs, (2, 7)),
    ('state_setter_list', lambda: _fc().SetterList(), (3, 8)),
    ('state_setter_dict', lambda: _fc().SetterDict(), (3, 8)),
    ('state_setter_symbolic', _setter_target, (3, 8)),
    # Not a state_setter: REDUCE, POP, GET.
    ('reduce_self_in_args', _self_in_args, (2, 7)),
    # (eval: the names do not exist on Python 2.)
    ('exception_instance', lambda: eval('FileNotFoundError(2, u"x")'),
     (3, 6)),
]
for _name in RENAMED_EXCEPTIONS:
    CASES.append(('exception_' + _name,
                  (lambda n: lambda: eval(n))(_name), (3, 6)))

def _hex(b):
    return binascii.hexlify(b).decode('ascii')


def _shown(v):
    # repr, without addresses, and with the instance attributes (not
    # Python 2 OrderedDict's private ones), sorted.
    if isinstance(v, type):
        return repr(v)
    attrs = '{%s}' % ', '.join('%r: %r' % kv for kv in sorted(
        getattr(v, '__dict__', {}).items()) if not kv[0].startswith('_'))
    if type(v).__repr__ is object.__repr__:
        return '<%s.%s %s>' % (type(v).__module__, type(v).__name__, attrs)
    if attrs != '{}':
        return '%r %s' % (v, attrs)
    return repr(v)


def worker():
    import pickle
    out = {'version': platform.python_version(), 'pickles': []}
    for name, make, min_py in CASES:
        if sys.version_info[:2] < min_py:
            continue
        for proto in range(pickle.HIGHEST_PROTOCOL + 1):
            data = pickle.dumps(make(), proto)
            out['pickles'].append({'case': name, 'protocol': proto,
                                   'hex': _hex(data),
                                   'loaded': _shown(pickle.loads(data))})
    sys.stdout.write(json.dumps(out, sort_keys=True))


def driver():
    import io
    import pickletools
    if platform.python_version() != DIS_VERSION:
        exe = _interpreter(DIS_VERSION)
        os.execv(exe, [exe, os.path.abspath(__file__)])
    env = dict(os.environ, PYTHONHASHSEED='0', PYTHONDONTWRITEBYTECODE='1')
    entries = {}
    for ver in INTERPRETERS:
        res = json.loads(subprocess.check_output(
            [_interpreter(ver), '-B', '-s', os.path.abspath(__file__),
             '--worker'], env=env, cwd=HERE).decode('ascii'))
        if res['version'] != ver:
            raise SystemExit('%s reports version %s' % (ver, res['version']))
        writer = '.'.join(ver.split('.')[:2])
        for p in res['pickles']:
            key = (p['case'], p['protocol'], p['hex'])
            if key in entries:
                if entries[key]['loaded'] != p['loaded']:
                    # Pythons differ in how they print what they load; keep
                    # the newest.
                    entries[key]['loaded'] = p['loaded']
                entries[key]['writers'].append(writer)
                continue
            text = io.StringIO()
            pickletools.dis(bytes.fromhex(p['hex']), text)
            p['dis'] = text.getvalue()
            p['writers'] = [writer]
            entries[key] = p
    doc = {'pickles': [entries[k] for k in sorted(entries)]}
    if not os.path.isdir(os.path.dirname(OUT)):
        os.makedirs(os.path.dirname(OUT))
    with open(OUT, 'w') as f:
        f.write(json.dumps(doc, sort_keys=True, indent=1) + '\n')
    print('gen_fidelity: %d pickles' % len(entries), file=sys.stderr)


def _interpreter(ver):
    root = subprocess.check_output(['pyenv', 'root']).decode().strip()
    exe = os.path.join(root, 'versions', ver, 'bin', 'python')
    if not os.access(exe, os.X_OK):
        raise SystemExit('gen_fidelity: missing interpreter %s' % exe)
    return exe


if __name__ == '__main__':
    if sys.argv[1:2] == ['--worker']:
        worker()
    else:
        driver()
