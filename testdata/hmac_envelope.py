"""The signed-pickle envelope in Python, as README.md shows it.

    python3 testdata/hmac_envelope.py sign KEY_ID KEY_HEX < pickle > envelope
    python3 testdata/hmac_envelope.py verify KEY_ID KEY_HEX < envelope > pickle
"""
import hashlib
import hmac
import struct
import sys


def sign(payload, key_id, key):
    head = b'PKLHMAC1' + bytes([len(key_id)]) + key_id + struct.pack('<Q', len(payload))
    return head + payload + hmac.new(key, head + payload, hashlib.sha256).digest()


def verify(env, keys):
    n = env[8]; key_id = env[9:9 + n]; size, = struct.unpack('<Q', env[9 + n:17 + n])
    body, tag = env[:17 + n + size], env[17 + n + size:]
    if env[:8] != b'PKLHMAC1' or len(tag) != 32 or not hmac.compare_digest(tag, hmac.new(keys[key_id], body, hashlib.sha256).digest()):
        raise ValueError('bad signature')
    return env[17 + n:17 + n + size]


if __name__ == '__main__':
    op, key_id, key = sys.argv[1], sys.argv[2].encode(), bytes.fromhex(sys.argv[3])
    data = sys.stdin.buffer.read()
    out = sign(data, key_id, key) if op == 'sign' else verify(data, {key_id: key})
    sys.stdout.buffer.write(out)
