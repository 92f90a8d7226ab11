"""Loads every pickle of a stream the way a victim would, for the scanner's
live tests: python load_stream.py IMPL STREAM [persid] < data

IMPL is c (pickle.Unpickler) or python (pickle._Unpickler); STREAM is
bytesio (no peek) or buffered (io.BufferedReader, which has peek). Payloads
in the tests are harmless: builtins.print of a marker, and os.getcwd, which
is replaced here by a function that prints RT_GETCWD. With persid, the
unpickler has a persistent_load that returns the id, as loaders of model
files have. Prints what ran, then
"end: " and why loading stopped.
"""
import io
import os
import pickle
import sys

_getcwd = os.getcwd


def getcwd():
    print('RT_GETCWD')
    return _getcwd()


os.getcwd = getcwd
try:
    import posix
    posix.getcwd = getcwd
except ImportError:
    pass

impl, stream = sys.argv[1], sys.argv[2]
data = sys.stdin.buffer.read()
f = io.BytesIO(data)
if stream == 'buffered':
    f = io.BufferedReader(f)
unpickler = pickle._Unpickler if impl == 'python' else pickle.Unpickler
if sys.argv[3:] == ['persid']:
    class WithPersistentLoad(unpickler):
        def persistent_load(self, pid):
            return pid
    unpickler = WithPersistentLoad
for _ in range(16):
    try:
        unpickler(f).load()
    except BaseException as e:
        print('end: %s: %s' % (type(e).__name__, e))
        break
sys.stdout.flush()
