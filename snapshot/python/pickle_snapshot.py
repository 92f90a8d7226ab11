"""Snapshots of pickled state, readable and writable by Go's
github.com/pickle-go/pickle/snapshot: versioned, signed, atomically written,
loaded newest first with fallback to the last generation that verifies.

Standard library only; Python 3.6 and later. The file format is documented in
the Go package (snapshot/doc.go); this module follows it byte for byte.

    store = Store('state/', key_id=b'k1', key=secret, schema=2)
    store.save({'weights': ...})          # a new generation, atomically
    store.append({'step': 1})             # a journal record, durable on return
    state, info = store.load(replay=apply_change)
    for skip in info['skipped']:          # alert an operator
        log.warning('skipped %s', skip)

Signing is on unless unsigned=True is passed. Load unpickles only what
verifies under one of the keys; an unsigned store trusts its directory.
"""
import hashlib
import hmac
import io
import os
import pickle
import re
import socket
import struct
import sys
import tempfile
import time
import zlib

MAGIC = b'PKLSNAP\x00'
FORMAT_VERSION = 1
RECORD_MAGIC = b'PKLSNAPR'
ENVELOPE_MAGIC = b'PKLHMAC1'
SEAL_SIZE = 32
_NAME = re.compile(r'^gen-(\d{20})\.snap$')


class SnapshotError(Exception):
    """Why one generation, or journal record, could not be loaded."""

    def __init__(self, generation, path, reason, record=-1):
        Exception.__init__(self, 'generation %d%s (%s): %s' % (
            generation, '' if record < 0 else ', journal record %d' % record, path, reason))
        self.generation, self.path, self.reason, self.record = generation, path, reason, record


class LoadError(Exception):
    """No generation loads; .errors lists each, newest first."""

    def __init__(self, directory, errors):
        lines = ['%s: none of %d generations loads:' % (directory, len(errors))] if errors else [
            '%s: no generation to load' % directory]
        Exception.__init__(self, '\n\t'.join(lines + [str(e) for e in errors]))
        self.errors = errors


def _crc32c(data, crc=0):
    # CRC-32C (Castagnoli), which zlib lacks; a table-driven loop is fast
    # enough for journal records.
    crc ^= 0xFFFFFFFF
    table = _CRC_TABLE
    for b in data:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _make_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _make_table()


def _seal_hash(key):
    return hashlib.sha256() if key is None else hmac.new(key, digestmod=hashlib.sha256)


def _body_seal_input(body, signed):
    return body[-32:] if signed else body


def _file_seal(key, head, body):
    h = _seal_hash(key)
    h.update(head)
    h.update(_body_seal_input(body, key is not None))
    return h.digest()


def _record_seal(key, gen, index, body):
    h = _seal_hash(key)
    h.update(RECORD_MAGIC + struct.pack('<QQ', gen, index))
    h.update(_body_seal_input(body, key is not None))
    return h.digest()


def _sign(payload, key_id, key):
    head = ENVELOPE_MAGIC + bytes([len(key_id)]) + key_id + struct.pack('<Q', len(payload))
    return head + payload + hmac.new(key, head + payload, hashlib.sha256).digest()


def _open_envelope(env, keys, expect_key_id):
    if env[:8] != ENVELOPE_MAGIC or len(env) < 17:
        raise ValueError('not a signed pickle')
    n = env[8]
    key_id = env[9:9 + n]
    if key_id != expect_key_id:
        raise ValueError('the envelope names another key than the header')
    size, = struct.unpack('<Q', env[9 + n:17 + n])
    body, tag = env[:17 + n + size], env[17 + n + size:]
    if len(tag) != 32 or not hmac.compare_digest(tag, hmac.new(keys[key_id], body, hashlib.sha256).digest()):
        raise ValueError('signature does not verify')
    return env[17 + n:17 + n + size]


def _header(kind, protocol, schema, gen, writer, key_id, body_len, now=None):
    ns = int((time.time() if now is None else now) * 1e9)
    return (MAGIC + bytes([FORMAT_VERSION, ord(kind), protocol]) + struct.pack('<IqQ', schema, ns, gen)
            + bytes([len(writer)]) + writer + bytes([len(key_id)]) + key_id + struct.pack('<Q', body_len))


def _parse_header(data):
    """Returns (fields, header length); raises ValueError saying what is wrong."""
    if data[:8] != MAGIC:
        raise ValueError('no snapshot magic at offset 0')
    if len(data) < 41:
        raise ValueError('header cut short at %d bytes' % len(data))
    if data[8] != FORMAT_VERSION:
        raise ValueError('format version %d; this reader knows %d' % (data[8], FORMAT_VERSION))
    kind, protocol = chr(data[9]), data[10]
    schema, ns, gen = struct.unpack('<IqQ', data[11:31])
    pos = 31
    strings = []
    for field in ('writer', 'key id'):
        if pos >= len(data) or pos + 1 + data[pos] > len(data):
            raise ValueError('header cut short in its ' + field)
        strings.append(data[pos + 1:pos + 1 + data[pos]])
        pos += 1 + data[pos]
    if pos + 8 > len(data):
        raise ValueError('header cut short in its body length')
    body_len, = struct.unpack('<Q', data[pos:pos + 8])
    return dict(kind=kind, protocol=protocol, schema=schema, time=ns / 1e9, generation=gen,
                writer=strings[0].decode('utf-8', 'replace'), key_id=strings[1], body_len=body_len), pos + 8


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Store(object):
    """A directory of snapshot generations; see the module documentation."""

    def __init__(self, directory, key_id=None, key=None, verify_keys=None, unsigned=False,
                 schema=0, keep=3, protocol=4, writer=None, migrations=None, on_skip=None,
                 unpickler=None):
        if key is None and not unsigned:
            raise ValueError('no key; signing is required unless unsigned=True')
        if key is not None and not key_id:
            raise ValueError('an empty key id marks an unsigned file')
        self.dir, self.key_id, self.key = directory, key_id or b'', key
        self.keys = dict(verify_keys or {})
        if key is not None:
            self.keys[key_id] = key
        self.unsigned, self.schema, self.keep, self.protocol = unsigned, schema, keep, protocol
        self.writer = (writer or '%s@%s/%d' % (os.path.basename(sys.argv[0]), socket.gethostname(), os.getpid())).encode()[:255]
        self.migrations = dict(migrations or {})
        self.on_skip = on_skip
        # unpickler(file) -> an object with load(), e.g. a subclass of
        # pickle.Unpickler whose find_class follows renames.
        self.unpickler = unpickler or pickle.Unpickler
        self.head = 0
        self._journal = None  # [generation, key, records, end of the good records]
        self._cleaned = False
        os.makedirs(directory, exist_ok=True)

    def _remove_temps(self):
        # Before the first write, not on opening: a reader must not remove
        # the file a live writer is filling.
        if self._cleaned:
            return
        for name in os.listdir(self.dir):
            if name.startswith('.tmp-'):
                try:
                    os.remove(os.path.join(self.dir, name))
                except FileNotFoundError:
                    pass
        self._cleaned = True

    def _path(self, gen, suffix):
        return os.path.join(self.dir, 'gen-%020d%s' % (gen, suffix))

    def generations(self):
        """The snapshot generations, newest first."""
        gens = [int(m.group(1)) for m in map(_NAME.match, os.listdir(self.dir)) if m]
        return sorted((g for g in gens if g > 0), reverse=True)

    def _pickle(self, obj):
        body = pickle.dumps(obj, protocol=self.protocol)
        return body if self.key is None else _sign(body, self.key_id, self.key)

    def _write_atomic(self, path, data):
        self._remove_temps()
        fd, tmp = tempfile.mkstemp(prefix='.tmp-', dir=self.dir)
        try:
            with os.fdopen(fd, 'wb') as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            try:
                os.remove(tmp)
            except OSError:
                pass
            raise
        _fsync_dir(self.dir)

    def save(self, obj):
        """Writes obj as a new generation and returns its number."""
        body = self._pickle(obj)
        gens = self.generations()
        gen = gens[0] + 1 if gens else 1
        head = _header('S', self.protocol, self.schema, gen, self.writer, self.key_id if self.key else b'', len(body))
        self._write_atomic(self._path(gen, '.snap'), head + body + _file_seal(self.key, head, body))
        self.head = gen
        for old in ([gen] + gens)[self.keep:]:
            if self._newer_schema(old):
                continue  # a newer program's: a rollback must not destroy it
            for suffix in ('.snap', '.journal'):
                try:
                    os.remove(self._path(old, suffix))
                except FileNotFoundError:
                    pass
        return gen

    def _newer_schema(self, gen):
        try:
            with open(self._path(gen, '.snap'), 'rb') as f:
                h, _ = _parse_header(f.read(41 + 2 * 255))
        except (OSError, ValueError, struct.error):
            return False
        return h['schema'] > self.schema

    def append(self, change):
        """Adds change to the journal of the generation last saved or loaded."""
        if not self.head:
            raise ValueError('append before save or load: no generation to extend')
        path = self._path(self.head, '.journal')
        if self._journal is None or self._journal[0] != self.head:
            # The first append to this journal: create it, or find the end
            # of its good records (cutting off a torn one below).
            if not os.path.exists(path):
                head = _header('J', self.protocol, self.schema, self.head, self.writer, self.key_id if self.key else b'', 0)
                self._write_atomic(path, head + _file_seal(self.key, head, b''))
            with open(path, 'rb') as f:
                data = f.read()
            h, key, records, good_end, bad = self._scan_journal(data, self.head)
            if bad is not None and not bad.startswith('torn'):
                raise ValueError('journal of generation %d: %s; save to start a new journal' % (self.head, bad))
            if h['schema'] != self.schema or (h['key_id'] or None) != (self.key_id if self.key else None):
                raise ValueError('journal of generation %d was written with another schema or key; save to start a new journal' % self.head)
            self._journal = [self.head, key, len(records), good_end]
        _, key, index, good_end = self._journal
        body = self._pickle(change)
        frame = struct.pack('<I', len(body)) + body + _record_seal(key, self.head, index, body)
        frame += struct.pack('<I', _crc32c(frame))
        with open(path, 'r+b') as f:
            f.truncate(good_end)  # a torn record, from a crash or a failed append
            f.seek(good_end)
            f.write(frame)
            f.flush()
            os.fsync(f.fileno())
        self._journal[2:] = [index + 1, good_end + len(frame)]

    def _open_header(self, data, gen, kind):
        h, n = _parse_header(data)
        if h['kind'] != kind:
            raise ValueError('file of kind %r where %r belongs' % (h['kind'], kind))
        if h['generation'] != gen:
            raise ValueError('header says generation %d; the file name says %d' % (h['generation'], gen))
        if not h['key_id']:
            if not self.unsigned:
                raise ValueError('generation is not signed')
            return h, n, None
        if h['key_id'] not in self.keys:
            raise ValueError('signed with an unknown key id %r' % h['key_id'])
        return h, n, self.keys[h['key_id']]

    def _scan_journal(self, data, gen):
        """Returns (header, key, record bodies, end of the good records, why the rest is bad or None)."""
        h, n, key = self._open_header(data, gen, 'J')
        if h['body_len'] != 0 or len(data) < n + SEAL_SIZE:
            raise ValueError('journal header cut short')
        if not hmac.compare_digest(_file_seal(key, data[:n], b''), data[n:n + SEAL_SIZE]):
            raise ValueError('journal seal does not verify')
        pos, records, bad = n + SEAL_SIZE, [], None
        while pos < len(data):
            rest = len(data) - pos
            if rest < 4:
                bad = 'torn record: %d bytes where a length belongs' % rest
                break
            size, = struct.unpack('<I', data[pos:pos + 4])
            end = pos + 4 + size + SEAL_SIZE + 4
            if end > len(data):
                bad = 'torn record: cut short'
                break
            if _crc32c(data[pos:end - 4]) != struct.unpack('<I', data[end - 4:end])[0]:
                bad = 'torn record: the last record fails its CRC' if end == len(data) else 'record at offset %d fails its CRC' % pos
                break
            body = data[pos + 4:pos + 4 + size]
            if not hmac.compare_digest(_record_seal(key, gen, len(records), body), data[pos + 4 + size:end - 4]):
                bad = 'record at offset %d: seal does not verify' % pos
                break
            records.append(body)
            pos = end
        return h, key, records, pos, bad

    def _unpickle(self, body, key, key_id):
        if key is not None:
            body = _open_envelope(body, self.keys, key_id)
        return self.unpickler(io.BytesIO(body)).load()

    def _load_generation(self, gen, replay):
        path = self._path(gen, '.snap')
        with open(path, 'rb') as f:
            data = f.read()
        h, n, key = self._open_header(data, gen, 'S')
        if len(data) - n < SEAL_SIZE or h['body_len'] != len(data) - n - SEAL_SIZE:
            raise ValueError('header says the body is %d bytes; the file has %d after the header' % (h['body_len'], len(data) - n))
        body = data[n:len(data) - SEAL_SIZE]
        if not hmac.compare_digest(_file_seal(key, data[:n], body), data[len(data) - SEAL_SIZE:]):
            raise ValueError('seal does not verify')
        if h['schema'] > self.schema:
            raise ValueError('written with schema %d; this program knows up to %d' % (h['schema'], self.schema))
        for v in range(h['schema'], self.schema):
            if v not in self.migrations:
                raise ValueError('nothing migrates schema %d to %d' % (v, v + 1))
        state = self._unpickle(body, key, h['key_id'])
        for v in range(h['schema'], self.schema):
            state = self.migrations[v](state)
        info = dict(generation=gen, path=path, schema=h['schema'], time=h['time'], writer=h['writer'], records=0)
        journal_error = None
        jpath = self._path(gen, '.journal')
        if os.path.exists(jpath):
            with open(jpath, 'rb') as f:
                jdata = f.read()
            try:
                jh, jkey, records, _, bad = self._scan_journal(jdata, gen)
            except ValueError as e:
                records, bad = [], 'journal header: %s' % e
            if records and replay is None:
                raise ValueError('the journal has %d records and no replay function was given' % len(records))
            for i, rec in enumerate(records):
                try:
                    state = replay(state, self._unpickle(rec, jkey, jh['key_id']))
                except Exception as e:
                    raise SnapshotError(gen, jpath, e, record=i)
            info['records'] = len(records)
            if bad is not None:
                journal_error = SnapshotError(gen, jpath, bad, record=len(records))
        return state, info, journal_error

    def load(self, replay=None):
        """Returns (state, info) from the newest generation that loads.

        replay(state, change) -> state applies one journal record. info has
        'generation', 'path', 'schema', 'time', 'writer', 'records' and
        'skipped', a list of SnapshotError, each also passed to on_skip.
        """
        skipped = []
        for gen in self.generations():
            try:
                state, info, journal_error = self._load_generation(gen, replay)
            except Exception as e:
                err = e if isinstance(e, SnapshotError) else SnapshotError(gen, self._path(gen, '.snap'), e)
                skipped.append(err)
                if self.on_skip:
                    self.on_skip(err)
                continue
            if journal_error is not None:
                skipped.append(journal_error)
                if self.on_skip:
                    self.on_skip(journal_error)
            info['skipped'] = skipped
            self.head = gen
            return state, info
        raise LoadError(self.dir, skipped)
