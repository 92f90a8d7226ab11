"""What CPython resolves when it loads a stream, for FuzzScanStreams.

Reads JSON lines {"hex": DATA} from stdin and writes, for each, a JSON list
of every "module.name" that find_class was asked for while loading every
pickle of DATA (up to 16) with the C and the pure-Python unpickler, from a
BytesIO (no peek) and from a BufferedReader (peek). Nothing the pickles name
is called unless it only builds plain data: every other global is a
function that does nothing. persistent_load returns the id. Memory is
capped, so that a pickle asking for a huge allocation fails.
"""
import io
import json
import pickle
import resource
import sys

resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

PLAIN = {('builtins', n) for n in ('set', 'frozenset', 'list', 'dict', 'tuple', 'int', 'float', 'str',
                                   'complex', 'object', 'slice')}
PLAIN |= {('copyreg', '_reconstructor'), ('_codecs', 'encode')}


def nothing(*args, **kwargs):
    return None


def recording(base, found):
    class Unpickler(base):
        def find_class(self, module, name):
            found.add(module + '.' + name)
            if (module, name) in PLAIN:
                return super().find_class(module, name)
            return nothing

        def persistent_load(self, pid):
            return pid
    return Unpickler


for line in sys.stdin:
    data = bytes.fromhex(json.loads(line)['hex'])
    found = set()
    for base in (pickle.Unpickler, pickle._Unpickler):
        for peek in (False, True):
            f = io.BytesIO(data)
            if peek:
                f = io.BufferedReader(f)
            for _ in range(16):
                try:
                    recording(base, found)(f).load()
                except Exception:
                    break
    sys.stdout.write(json.dumps(sorted(found)) + '\n')
    sys.stdout.flush()
