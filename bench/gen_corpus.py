"""Writes the benchmark corpus: the same payloads at several protocols.

    python3 bench/gen_corpus.py [DIR]            # full corpus, default bench/corpus
    python3 bench/gen_corpus.py --small DIR      # the small set the in-package
                                                 # benchmarks read (testdata/bench)

Everything is deterministic: each payload has its own seeded random.Random,
and the same interpreter writes the same bytes every time (CPython 3.11 made
the committed small set and the corpus the results were measured on).

Payloads (full size; --small divides the counts, see SMALL):

  records   200k dicts {"id": int, "name": str, "email": str, "score": float,
            "tags": [3 short str], "active": bool, "parent": None or int};
            the tag strings come from a small vocabulary, so CPython
            memoizes them as it would in real data
  ints      {"ints": 1.98M ints of mixed magnitude (8, 16, 32 and 64-bit,
            signed), "big": 20k ints beyond 2**64}: 2M ints in all. The two
            kinds are kept apart so that a typed decoder can read the first
            list into []int64 (the big ones go into []*big.Int)
  floats    2M floats of mixed exponent and sign, a few integral
  strings   500k strings of 5-40 characters, ~20% with non-ASCII characters
            (accented Latin, CJK, emoji)
  blobs     64 bytes objects of 512 KiB; 3 in 4 hold text-like bytes (< 0x80),
            1 in 4 uniform random bytes (which protocol 2 writes as
            _codecs.encode(latin1 str), half as long again)
  nested    a depth-12 tree of nodes {"name": str, "pos": (x, y, z),
            "meta": {"id": int, "weight": int}, "children": [nodes]}, 2 to
            4 children per node
  shared    a list of 1M references into a pool of 1000 small tuples, lists
            and strings (memo-heavy: nearly every item is a memo GET)
  intkeys   {"by_id": a 1M int -> float dict, "by_xy": a 200k (x, y) -> str
            dict}

Each payload is written at protocols 2, 4 and 5; records also at 0 (--small:
protocol 4, records also 0 and 2). Files are NAME.pPROTO.pkl; manifest.json
lists them with their sizes and SHA-256.
"""
import hashlib
import json
import os
import pickle
import random
import sys

# Bump when a payload changes, so that runners regenerate an old corpus.
VERSION = 1

PROTOCOLS = {
    'records': (0, 2, 4, 5),
    'ints': (2, 4, 5),
    'floats': (2, 4, 5),
    'strings': (2, 4, 5),
    'blobs': (2, 4, 5),
    'nested': (2, 4, 5),
    'shared': (2, 4, 5),
    'intkeys': (2, 4, 5),
}
SMALL_PROTOCOLS = {name: (4,) for name in PROTOCOLS}
SMALL_PROTOCOLS['records'] = (0, 2, 4)

# Divisors of the counts for --small (each pickle a few tens of KB to ~150 KB).
SMALL = {
    'records': 200, 'ints': 100, 'floats': 200, 'strings': 200,
    'blobs': 16, 'nested': 5, 'shared': 100, 'intkeys': 150,
}

FIRST = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Elif', 'Farid', 'Grace', 'Hiro',
         'Ines', 'Jonas', 'Kofi', 'Lena', 'Mateo', 'Nora', 'Olu', 'Priya',
         'Quentin', 'Rosa', 'Sven', 'Tomás', 'Uma', 'Viktor', 'Wen', 'Yara']
LAST = ['Abbott', 'Berg', 'Castro', 'Dubois', 'Eriksen', 'Fischer', 'García',
        'Hansen', 'Ito', 'Jensen', 'Kowalski', 'López', 'Müller', 'Nakamura',
        'Okafor', 'Petrov', 'Quinn', 'Rossi', 'Schmidt', 'Tanaka', 'Ueda',
        'Virtanen', 'Weber', 'Zhang']
TAGS = ['red', 'green', 'blue', 'new', 'old', 'vip', 'beta', 'trial', 'eu',
        'us', 'apac', 'mobile', 'web', 'api', 'free', 'pro', 'team', 'edu',
        'gov', 'test']
ASCII = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.'
ACCENTED = 'àáâäãåæçèéêëìíîïñòóôöøùúûüýÿßœžšł'
CJK = ''.join(chr(c) for c in range(0x4E00, 0x4E00 + 200))
EMOJI = ''.join(chr(c) for c in range(0x1F600, 0x1F640))


def records(n):
    rng = random.Random(1)
    out = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        out.append({
            'id': 1000 + i * 7 + rng.randrange(7),
            'name': f'{first} {last}',
            'email': f'{first.lower()}.{last.lower()}{rng.randrange(10000)}@mail.test',
            'score': round(rng.uniform(0, 100), rng.choice((1, 2, 6, 15))),
            'tags': rng.sample(TAGS, 3),
            'active': rng.random() < 0.7,
            'parent': None if rng.random() < 0.3 else rng.randrange(1000, 1000 + 7 * n),
        })
    return out


def mixed_int(rng):
    k = rng.randrange(4)
    if k == 0:
        return rng.randrange(256)                       # BININT1
    if k == 1:
        return rng.randrange(256, 65536)                # BININT2
    if k == 2:
        return rng.randrange(-2**31, 2**31)             # BININT
    v = rng.randrange(2**31, 2**63)                     # LONG1, 8 bytes
    return v if rng.random() < 0.5 else -v


def ints(n):
    rng = random.Random(2)
    nbig = n // 100
    small = [mixed_int(rng) for _ in range(n - nbig)]
    big = []
    for _ in range(nbig):
        v = rng.randrange(2**64, 2**rng.choice((65, 80, 100, 128, 200)))
        big.append(v if rng.random() < 0.5 else -v)
    return {'ints': small, 'big': big}


def floats(n):
    rng = random.Random(3)
    out = []
    for i in range(n):
        k = i % 5
        if k == 0:
            out.append(rng.random())
        elif k == 1:
            out.append(rng.uniform(-1e6, 1e6))
        elif k == 2:
            out.append(rng.gauss(0, 1) * 10 ** rng.randrange(-30, 30))
        elif k == 3:
            out.append(float(rng.randrange(-100000, 100000)))
        else:
            out.append(round(rng.uniform(0, 1000), 2))
    return out


def random_string(rng):
    n = rng.randrange(5, 41)
    if rng.random() >= 0.2:
        return ''.join(rng.choice(ASCII) for _ in range(n))
    alphabet = rng.choice((ACCENTED, CJK, EMOJI))
    # Mostly ASCII with non-ASCII characters mixed in, as real text is.
    return ''.join(rng.choice(alphabet) if rng.random() < 0.4 else rng.choice(ASCII)
                   for _ in range(n))


def strings(n):
    rng = random.Random(4)
    return [random_string(rng) for _ in range(n)]


def blobs(n, size=512 * 1024):
    rng = random.Random(5)
    out = []
    for i in range(n):
        if i % 4 == 3:
            out.append(rng.randbytes(size))
        else:
            out.append(bytes(b & 0x7F for b in rng.randbytes(size)))
    return out


def nested(levels):
    rng = random.Random(6)
    counter = [0]

    def node(depth):
        counter[0] += 1
        d = {
            'name': f'n{counter[0]}',
            'pos': (rng.random(), rng.random(), float(depth)),
            'meta': {'id': counter[0], 'weight': rng.randrange(1000)},
            'children': [],
        }
        if depth < levels:
            d['children'] = [node(depth + 1) for _ in range(rng.choice((2, 3, 4)))]
        return d

    return node(1)


def shared(n, pool_size=1000):
    rng = random.Random(7)
    pool = []
    for i in range(pool_size):
        k = i % 3
        if k == 0:
            pool.append((i, random_string(rng)))
        elif k == 1:
            pool.append([i, rng.randrange(1 << 20), rng.random()])
        else:
            pool.append(random_string(rng))
    return [pool[rng.randrange(pool_size)] for _ in range(n)]


def intkeys(n_id, n_xy):
    rng = random.Random(8)
    by_id = {}
    while len(by_id) < n_id:
        by_id[mixed_int(rng)] = rng.uniform(-1000, 1000)
    by_xy = {}
    while len(by_xy) < n_xy:
        by_xy[(rng.randrange(-5000, 5000), rng.randrange(-5000, 5000))] = f'cell{len(by_xy)}'
    return {'by_id': by_id, 'by_xy': by_xy}


def build(name, div):
    if name == 'records':
        return records(200_000 // div)
    if name == 'ints':
        return ints(2_000_000 // div)
    if name == 'floats':
        return floats(2_000_000 // div)
    if name == 'strings':
        return strings(500_000 // div)
    if name == 'blobs':
        return blobs(64 // div if div <= 16 else 4, 512 * 1024 if div == 1 else 32 * 1024)
    if name == 'nested':
        return nested(12 if div == 1 else 12 - div)
    if name == 'shared':
        return shared(1_000_000 // div, 1000 if div == 1 else 100)
    if name == 'intkeys':
        return intkeys(1_000_000 // div, 200_000 // div)
    raise ValueError(name)


def main(argv):
    small = '--small' in argv
    args = [a for a in argv if a != '--small']
    if len(args) > 1:
        sys.exit('usage: gen_corpus.py [--small] [DIR]')
    here = os.path.dirname(os.path.abspath(__file__))
    out = args[0] if args else os.path.join(here, 'corpus')
    os.makedirs(out, exist_ok=True)
    protocols = SMALL_PROTOCOLS if small else PROTOCOLS
    manifest = {'version': VERSION, 'small': small,
                'python': sys.version.split()[0], 'files': []}
    for name, protos in protocols.items():
        value = build(name, SMALL[name] if small else 1)
        for proto in protos:
            data = pickle.dumps(value, protocol=proto)
            fname = f'{name}.p{proto}.pkl'
            with open(os.path.join(out, fname), 'wb') as f:
                f.write(data)
            manifest['files'].append({
                'file': fname, 'payload': name, 'protocol': proto,
                'size': len(data), 'sha256': hashlib.sha256(data).hexdigest(),
            })
            print(f'{fname:20} {len(data):>11,} bytes', flush=True)
        del value
    # Written last: a runner that finds the manifest finds a complete corpus.
    with open(os.path.join(out, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main(sys.argv[1:])
