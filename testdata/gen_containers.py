"""Writes testdata/containers: one small pickle in every container that
Python tools write around pickles, and expected.json, the repr of what
Python loads from each file.

Run with pyenv's python3 (the standard library's gzip, bz2, lzma, zlib,
zipfile and tarfile write their files); it then runs itself under Debian's
/usr/bin/python3 with --debian for what only Debian's packages write:
zstandard, lz4.frame and pandas' to_pickle with each compression.

It also writes the seeds of FuzzReadContainer in testdata/fuzz.
"""
import bz2
import gzip
import io
import json
import lzma
import os
import pickle
import subprocess
import sys
import tarfile
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'containers')
DEBIAN_PYTHON = '/usr/bin/python3'

# No sets (their repr follows hash order) and no floats whose repr could
# differ between versions: the Go test compares reprs.
PAYLOAD = {
    'name': 'pickle',
    'n': 42,
    'big': 2 ** 70,
    'xs': [1, 2.5, None, True, 'caf\xe9'],
    'raw': b'\x00\xff\x1f\x8b',
    'pair': (1, 'a'),
    'nested': {'k': [1, 2, 3], 7: 'int key'},
}
PLAIN = pickle.dumps(PAYLOAD, protocol=5)


def write(name, data):
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(data)


def zip_of(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            # A fixed timestamp, so that rerunning this script writes the
            # same bytes.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def tar_of(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w') as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def stdlib_files():
    """name -> bytes, and name -> how Python opens it, from the standard
    library alone."""
    return {
        'plain.pkl': PLAIN,
        'plain_p0.pkl': pickle.dumps(PAYLOAD, protocol=0),
        'obj.pkl.gz': gzip.compress(PLAIN, mtime=0),
        'obj.pkl.bz2': bz2.compress(PLAIN),
        'obj.pkl.xz': lzma.compress(PLAIN, format=lzma.FORMAT_XZ),
        'obj.pkl.lzma': lzma.compress(PLAIN, format=lzma.FORMAT_ALONE),
        'obj.pkl.zlib': zlib.compress(PLAIN),
        'obj.zip': zip_of([('obj.pkl', PLAIN)]),
        'obj.tar': tar_of([('obj.pkl', PLAIN)]),
        'obj.tar.gz': gzip.compress(tar_of([('obj.pkl', PLAIN)]), mtime=0),
        'obj.pkl.gz.bz2': bz2.compress(gzip.compress(PLAIN, mtime=0)),
        'two.zip': zip_of([('a.pkl', PLAIN), ('b.pkl', PLAIN)]),
        'nopickle.zip': zip_of([('readme.txt', b'no pickle here\n')]),
        'nopickle.tar': tar_of([('readme.txt', b'no pickle here\n')]),
    }


def load_stdlib(name, data):
    """Loads data as Python's own modules open name's container."""
    if name.endswith('.gz.bz2'):
        return pickle.loads(gzip.decompress(bz2.decompress(data)))
    if name.endswith('.tar.gz'):
        with tarfile.open(fileobj=io.BytesIO(data), mode='r:gz') as t:
            return pickle.load(t.extractfile(t.getmembers()[0]))
    if name.endswith('.gz'):
        return pickle.loads(gzip.decompress(data))
    if name.endswith('.bz2'):
        return pickle.loads(bz2.decompress(data))
    if name.endswith('.xz') or name.endswith('.lzma'):
        return pickle.loads(lzma.decompress(data))
    if name.endswith('.zlib'):
        return pickle.loads(zlib.decompress(data))
    if name.endswith('.zip'):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return pickle.loads(z.read(z.namelist()[0]))
    if name.endswith('.tar'):
        with tarfile.open(fileobj=io.BytesIO(data)) as t:
            return pickle.load(t.extractfile(t.getmembers()[0]))
    return pickle.loads(data)


PANDAS_COMPRESSIONS = ['gzip', 'bz2', 'xz', 'zip', 'tar', 'zstd']


DEBIAN_FILES = ['obj.pkl.zst', 'obj.pkl.lz4'] + ['pandas_%s.pkl' % c for c in PANDAS_COMPRESSIONS]


def load_debian(name):
    """Loads the file name of testdata/containers as the Debian package
    that wrote it reads it back."""
    import lz4.frame
    import pandas
    import zstandard
    path = os.path.join(OUT, name)
    if name.startswith('pandas_'):
        return pandas.read_pickle(path, compression=name[len('pandas_'):-len('.pkl')])
    with open(path, 'rb') as f:
        data = f.read()
    if name.endswith('.zst'):
        return pickle.loads(zstandard.ZstdDecompressor().decompressobj().decompress(data))
    return pickle.loads(lz4.frame.decompress(data))


def debian():
    """Writes the files only Debian's packages write; prints their reprs as
    Python loads them, as JSON."""
    import lz4.frame
    import pandas
    import zstandard
    write('obj.pkl.zst', zstandard.ZstdCompressor().compress(PLAIN))
    write('obj.pkl.lz4', lz4.frame.compress(PLAIN))
    for comp in PANDAS_COMPRESSIONS:
        pandas.to_pickle(PAYLOAD, os.path.join(OUT, 'pandas_%s.pkl' % comp), compression=comp)
    reprs = {name: repr(load_debian(name)) for name in DEBIAN_FILES}
    reprs['versions'] = {'python': sys.version.split()[0], 'pandas': pandas.__version__,
                         'zstandard': zstandard.__version__, 'lz4': lz4.__version__}
    json.dump(reprs, sys.stdout)


def go_quote(data):
    out = []
    for c in bytearray(data):
        if chr(c) in '"\\':
            out.append('\\' + chr(c))
        elif 32 <= c < 127:
            out.append(chr(c))
        else:
            out.append('\\x%02x' % c)
    return '"' + ''.join(out) + '"'


def fuzz_seeds(names):
    folder = os.path.join(HERE, 'fuzz', 'FuzzReadContainer')
    os.makedirs(folder, exist_ok=True)
    for name in names:
        with open(os.path.join(OUT, name), 'rb') as f:
            data = f.read()
        if len(data) > 4096:
            continue
        with open(os.path.join(folder, name.replace('.', '_')), 'w') as f:
            f.write('go test fuzz v1\n[]byte(%s)\n' % go_quote(data))


def main():
    if sys.argv[1:] == ['--debian']:
        debian()
        return
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    for name, data in sorted(stdlib_files().items()):
        write(name, data)
        if not name.startswith(('two', 'nopickle')):
            expected[name] = repr(load_stdlib(name, data))
    out = subprocess.run([DEBIAN_PYTHON, os.path.abspath(__file__), '--debian'],
                         check=True, stdout=subprocess.PIPE).stdout
    debian_reprs = json.loads(out)
    versions = debian_reprs.pop('versions')
    expected.update(debian_reprs)
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump({'python': sys.version.split()[0], 'debian': versions, 'repr': expected},
                  f, indent=1, sort_keys=True)
        f.write('\n')
    fuzz_seeds(sorted(os.listdir(OUT)))


if __name__ == '__main__':
    main()
