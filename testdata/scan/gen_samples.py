"""Writes malicious pickles for the scanner's tests.

    python3 testdata/scan/gen_samples.py

Nothing here is executed: pickle.dumps only records what a __reduce__ names.
The commands are harmless (`true`) in case anything ever loads a sample.
Each file is one technique scanners have been bypassed with.
"""
import io
import os
import pickle
import pickletools
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), 'wb') as f:
        f.write(data)


class Reduce(object):
    def __init__(self, func, args):
        self.func, self.args = func, args

    def __reduce__(self):
        return (self.func, self.args)


# os.system via GLOBAL (protocol 0) and STACK_GLOBAL (protocol 4).
write('os_system_p0.pkl', pickle.dumps(Reduce(os.system, ('true',)), 0))
write('os_system_p4.pkl', pickle.dumps(Reduce(os.system, ('true',)), 4))

# STACK_GLOBAL whose module and name come from the memo, far from the
# opcode that uses them.
write('stack_global_from_memo.pkl',
      b'\x80\x04' + b'\x8c\x05posix\x94' + b'\x8c\x06system\x94' + b'N0'
      + b'h\x00h\x01\x93\x94' + b'\x8c\x04true\x85R.')

# INST (protocol 0 classic instance): calls os.system('true').
write('inst_os_system.pkl', b"(S'true'\nios\nsystem\n.")

# A nested pickle loaded by pickle.loads.
inner = pickle.dumps(Reduce(os.system, ('true',)), 2)
write('nested_pickle_loads.pkl', pickle.dumps(Reduce(pickle.loads, (inner,)), 2))

# getattr chain: getattr(__import__('os'), 'system')('true').
write('getattr_chain.pkl',
      b'cbuiltins\ngetattr\n(cbuiltins\n__import__\n(S\'os\'\ntRS\'system\'\ntR(S\'true\'\ntR.')

# __import__ called by REDUCE.
write('import_reduce.pkl', b"c__builtin__\n__import__\n(S'os'\ntR.")

# BUILD on a global: sets attributes of a module-level object.
write('build_on_global.pkl', b'\x80\x02cos\npath\n}U\x03sepU\x01/sb.')

# A PyTorch-style zip archive holding the payload as archive/data.pkl.
buf = io.BytesIO()
with zipfile.ZipFile(buf, 'w') as z:
    z.writestr('archive/data.pkl', pickle.dumps(Reduce(os.system, ('true',)), 2))
    z.writestr('archive/version', '3\n')
write('model.pt', buf.getvalue())

# Two pickles in one file: a harmless one, then the payload.
write('concatenated.pkl', pickle.dumps([1, 2], 2) + pickle.dumps(Reduce(os.system, ('true',)), 2))

# Data that only looks like code is safe.
write('looks_like_code.pkl', pickle.dumps(['os.system', 'eval', {'__import__': 'subprocess'}], 4))

# A zip that is also a pickle (issue 12): its first member is named 'a\n', so
# that pickle.load of the archive reads the local header as a PERSID line and
# then the member's contents as opcodes, calling os.getcwd. The contents end
# in '2', after STOP, so that the CRC in the header is ASCII (the PERSID line
# must be); the other header fields are ASCII by the choice of date. A
# harmless archive/data.pkl follows.
buf = io.BytesIO()
with zipfile.ZipFile(buf, 'w', zipfile.ZIP_STORED) as z:
    z.writestr(zipfile.ZipInfo('a\n', date_time=(1980, 1, 1, 0, 0, 0)), b'0cos\ngetcwd\n)R.2')
    z.writestr(zipfile.ZipInfo('archive/data.pkl', date_time=(1980, 1, 1, 0, 0, 0)), pickle.dumps([1, 2], 2))
data = buf.getvalue()
assert all(c < 0x80 for c in data[:data.index(b'\n')]), data[:40]
write('zip_persid.pt', data)

# Plain records from otherwise dangerous modules (issue 12): suspicious, not
# dangerous. One file per protocol; in-memory files pickle from protocol 2.
import platform
import signal
import socket
import subprocess
import types

for proto in range(pickle.HIGHEST_PROTOCOL + 1):
    records = [types.SimpleNamespace(a=1), os.stat_result(range(10)), os.terminal_size((80, 24)),
               platform.uname(), socket.AF_INET, signal.SIGTERM, subprocess.CompletedProcess(['true'], 0)]
    if proto >= 2:
        records += [io.BytesIO(b'x'), io.StringIO(u'x')]
    write('plain_records_p%d.pkl' % proto, pickle.dumps(records, proto))
