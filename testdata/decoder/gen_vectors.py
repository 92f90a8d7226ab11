"""Records what CPython's C unpickler does with quirky and malformed pickles.

    python3 testdata/decoder/gen_vectors.py > testdata/decoder/vectors.json

The inputs are the bad-input corpus of CPython's Lib/test/pickletester.py
(test_bad_stack, test_bad_mark, test_truncated_data, quoting, numbers, memo,
extension codes, Python 2 compatibility) and further probes of the decoder
rules. For each input the file records pickle.loads' result: the repr of the
value, or the exception's type and message. decoder_test.go replays them.
"""
import json
import warnings
import pickle
import sys

# (input, options); options: encoding (as pickle.loads), "allow_all" when the
# input needs globals outside the decoder's default allowlist.
BAD_STACK = [
    b'.', b'0', b'1', b'2', b'(2', b'R', b')R', b'a', b'Na', b'b', b'Nb', b'd', b'e', b'(e',
    b'ibuiltins\nlist\n', b'l', b'o', b'(o', b'p1\n', b'q\x00', b'r\x00\x00\x00\x00', b's', b'Ns',
    b'NNs', b't', b'u', b'(u', b'}(Nu', b'\x81', b')\x81', b'\x85', b'\x86', b'N\x86', b'\x87',
    b'N\x87', b'NN\x87', b'\x90', b'(\x90', b'\x91', b'\x92', b')}\x92', b'\x93', b'Vlist\n\x93',
    b'\x94',
]
BAD_MARK = [
    b'N(.', b'N(2', b'cbuiltins\nlist\n)(R', b'cbuiltins\nlist\n()R', b']N(a',
    b'cbuiltins\nValueError\n)R}(b', b'cbuiltins\nValueError\n)R(}b', b'(Nd', b'N(p1\n',
    b'N(q\x00', b'N(r\x00\x00\x00\x00', b'}NN(s', b'}N(Ns', b'}(NNs', b'}((u',
    b'cbuiltins\nlist\n)(\x81', b'cbuiltins\nlist\n()\x81', b'N(\x85', b'NN(\x86', b'N(N\x86',
    b'NNN(\x87', b'NN(N\x87', b'N(NN\x87', b']((\x90', b'cbuiltins\nlist\n)}(\x92',
    b'cbuiltins\nlist\n)(}\x92', b'cbuiltins\nlist\n()}\x92', b'Vbuiltins\n(Vlist\n\x93',
    b'Vbuiltins\nVlist\n(\x93', b'N(\x94',
]
TRUNCATED = [
    b'', b'N', b'B', b'B\x03\x00\x00', b'B\x03\x00\x00\x00', b'B\x03\x00\x00\x00ab', b'C', b'C\x03',
    b'C\x03ab', b'F', b'F0.0', b'F0.00', b'G', b'G\x00\x00\x00\x00\x00\x00\x00', b'I', b'I0', b'J',
    b'J\x00\x00\x00', b'K', b'L', b'L0', b'L10', b'L0L', b'L10L', b'M', b'M\x00', b'S', b"S'abc'",
    b'T', b'T\x03\x00\x00', b'T\x03\x00\x00\x00', b'T\x03\x00\x00\x00ab', b'U', b'U\x03', b'U\x03ab',
    b'V', b'Vabc', b'X', b'X\x03\x00\x00', b'X\x03\x00\x00\x00', b'X\x03\x00\x00\x00ab', b'(c',
    b'(cbuiltins', b'(cbuiltins\n', b'(cbuiltins\nlist', b'Ng', b'Ng0', b'(i', b'(ibuiltins',
    b'(ibuiltins\n', b'(ibuiltins\nlist', b'Nh', b'Nj', b'Nj\x00\x00\x00', b'Np', b'Np0', b'Nq',
    b'Nr', b'Nr\x00\x00\x00', b'\x80', b'\x82', b'\x83', b'\x84\x01', b'\x84', b'\x84\x01\x00\x00',
    b'\x8a', b'\x8b', b'\x8b\x00\x00\x00', b'\x8c', b'\x8c\x03', b'\x8c\x03ab', b'\x8d',
    b'\x8d\x03\x00\x00\x00\x00\x00\x00', b'\x8d\x03\x00\x00\x00\x00\x00\x00\x00',
    b'\x8d\x03\x00\x00\x00\x00\x00\x00\x00ab', b'\x8e', b'\x8e\x03\x00\x00\x00\x00\x00\x00',
    b'\x8e\x03\x00\x00\x00\x00\x00\x00\x00', b'\x8e\x03\x00\x00\x00\x00\x00\x00\x00ab', b'\x96',
    b'\x96\x03\x00\x00\x00\x00\x00\x00', b'\x96\x03\x00\x00\x00\x00\x00\x00\x00',
    b'\x96\x03\x00\x00\x00\x00\x00\x00\x00ab', b'\x95', b'\x95\x02\x00\x00\x00\x00\x00\x00',
    b'\x95\x02\x00\x00\x00\x00\x00\x00\x00', b'\x95\x02\x00\x00\x00\x00\x00\x00\x00N',
    b"X''.", b'X\x00\x00\x00T',
]
QUOTING = [
    b"S'\\'\n.", b"S'\n.", b'S"\n.', b"S' \n.", b'S" \n.', b'S\'"\n.', b'S"\'\n.', b"S' ' \n.",
    b'S" " \n.', b"S ''\n.", b'S ""\n.', b'S \n.', b'S\n.', b'S.', b"S''\n.", b'S""\n.',
    b'S"\\n"\n.', b"S'\\n'\n.", b"S'a\\x41'\n.", b'S"it\'s"\n.', b"S'a\\'b'\n.", b"S'\\101'\n.",
    b"S'\\q'\n.", b"S'\\u1234'\n.", b"S'\\x4'\n.", b"S'\\777'\n.", b"S'a\\\nb'\n.",
    b"S'a\xe9'\n.", b'V\\x41\n.', b'Va\xe9\n.', b'V\\ud800\n.', b'V\\\\u0041\n.',
    b'V\\\\\\u0041\n.', b'V\\U0001F600\n.', b'V\\u12\n.', b'V\\U00110000\n.', b'V\\ud83d\\ude00\n.',
]
NUMBERS = [
    b'I9223372036854775807\n.', b'I9223372036854775807JUNK\n.', b'N.', b'\x88.', b'\x89.',
    b'I01\n.', b'I00\n.', b'I+1\n.', b'I 1\n.', b'I-0\n.', b'I+0\n.', b'I017\n.', b'I0x10\n.',
    b'I1_000\n.', b'I\n.', b'I1L\n.', b'I99999999999999999999999\n.', b'I-9223372036854775808\n.',
    b'I-9223372036854775809\n.', b'I 12 \n.', b'I0\n.', b'I000\n.', b'I0b101\n.',
    b'L12\n.', b'L 5L\n.', b'L0x10L\n.', b'L1_0L\n.', b'L017L\n.', b'LL\n.', b'L\n.', b'L-5L\n.',
    b'L' + b'9' * 4300 + b'\n.', b'L' + b'9' * 4301 + b'\n.', b'I' + b'9' * 4301 + b'\n.',
    b'F 1.5\n.', b'F1.5 \n.', b'F1_0\n.', b'F1e500\n.', b'Finf\n.', b'Fnan\n.', b'Finfinity\n.',
    b'F-inf\n.', b'FINF\n.', b'F1\n.', b'F-0.0\n.', b'F1e-400\n.', b'F0x10\n.', b'F.5\n.',
    b'F5.\n.', b'F1e5\n.', b'F\n.',
    b'\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x80.', b'\x8a\x00.', b'\x8a\x02\xff\xff.',
    b'\x8a\x01\x80.', b'\x8a\x08\x00\x00\x00\x00\x00\x00\x00\x80.',
    b'\x8a\x08\xff\xff\xff\xff\xff\xff\xff\x7f.', b'\x8a\x09\xff\xff\xff\xff\xff\xff\xff\xff\x00.',
    b'\x8b\xff\xff\xff\xff.', b'\x8b\x00\x00\x00\x00.', b'\x8b\x02\x00\x00\x00\x00\x01.',
    b'J\xff\xff\xff\xff.', b'M\xff\xff.', b'K\xff.', b'G\x7f\xf8\x00\x00\x00\x00\x00\x01.',
]
MEMO = [
    b'g0\np0', b'jens:', b'hens:', b'((Kdtp0\nh\x00l.)', b'((lp100000\ng100000\nt.',
    b'(]q\xffh\xfft.', b'(]r\x00\x00\x01\x00j\x00\x00\x01\x00t.', b'((l2t.', b'Va\np-1\n.',
    b']q\x05\x94h\x00.', b']q\x05\x94h\x01.', b'Nq\x01]\x94h\x01.', b'Np-1\n.',
    b'Np 1\ng1\n.', b'Np01\ng1\n.', b'Np+1\ng1\n.', b'Np1_0\ng10\n.', b'Nr\xff\xff\xff\x7f.',
    b'Np99999999999\n.', b'N\x94h\x00.', b']\x94(h\x00h\x00e.', b'}\x94K\x01h\x00s.',
    b'](h\x00t.', b'N\x94(h\x00\x94h\x01t.',
]
STRUCTURE = [
    b'NN.', b'(N.', b'(0N.', b'N(0.', b'(1N.', b'N.junk', b'N\x80\x02.', b'\x80\x02\x80\x03N.',
    b'\x80\x00N.', b'\x80\x06N.', b'\x80\x05N.', b'x', b'\x00', b'\xff', b'(K\x01d.',
    b'}(K\x01u.', b'}K\x01u.', b'(K\x01K\x02d.', b'}(K\x01K\x02K\x01K\x03u.', b'(]\x91.',
    b'(K\x01K\x01\x91.', b'\x8f(K\x01K\x02K\x01\x90.', b'\x8f(]\x90.', b'](K\x01e.', b'](e.',
    b'(e', b'N](e.', b'K\x01(K\x02e.', b'(K\x01K\x02l.', b'(K\x01K\x02t.', b')\x85.',
    b'K\x01K\x02K\x03\x87.', b'}K\x01]s.', b'}]K\x01s.', b'(]K\x01d.',
    b'}(K\x01G?\xf0\x00\x00\x00\x00\x00\x00\x88K\x02u.', b'\x8f(K\x01G?\xf0\x00\x00\x00\x00\x00\x00\x88\x90.',
    b'}(\x8c\x01a\x94K\x01h\x00K\x02u.', b'C\x03abc\x98.', b'\x97.', b'Pabc\n.', b'NQ.',
    b'\x82\x01.', b'\x82\x00.', b'\x83\x00\x00.', b'\x84\xff\xff\xff\xff.', b'\x84\x00\x00\x00\x80.',
    b'\x84\x01\x00\x00\x00.', b'\x82\xff.',
    b'\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00I42\n.',
    b'\x80\x04\x95\x64\x00\x00\x00\x00\x00\x00\x00N.',
    b'\x80\x04\x95\x01\x00\x00\x00\x00\x00\x00\x00NN.',
    b'\x80\x04\x95\x02\x00\x00\x00\x00\x00\x00\x00N\x95\x01\x00\x00\x00\x00\x00\x00\x00N.',
    b'\x95\xff\xff\xff\xff\xff\xff\xff\xff.',
    b'\x8e\x00\x00\x00\x00\x00\x00\x01\x00.', b'\x8d\xff\xff\xff\xff\xff\xff\xff\x7f.',
    b'\x80\x03B\xff\xff\xff\xffxyzq\x00.', b'\x80\x03X\xff\xff\xff\xffxyzq\x00.',
    b'\x80\x04\x8e\x04\x00\x00\x00\x01\x00\x00\x00\xe2\x82\xac\x00.',
    b'\x80\x03C\x04\xe2\x82\xac\x00.', b'\x80\x03B\x04\x00\x00\x00\xe2\x82\xac\x00.',
    b'\x80\x04\x8e\x04\x00\x00\x00\x00\x00\x00\x00\xe2\x82\xac\x00.',
    b'\x80\x04\x8d\x04\x00\x00\x00\x00\x00\x00\x00\xe2\x82\xac\x00.',
    b'\x80\x05\x96\x03\x00\x00\x00\x00\x00\x00\x00xxx.', b'\x80\x04\x8c\x04\xe2\x82\xac\x00.',
    b'X\x03\x00\x00\x00\xed\xa0\x80.', b'X\x02\x00\x00\x00\xed\xa0.', b'X\x01\x00\x00\x00\xff.',
    b'X\x06\x00\x00\x00\xed\xa0\xbd\xed\xb8\x80.', b'X\x04\x00\x00\x00\xf0\x9f\x98\x80.',
    b'\x80\x02U\x03a\x00\xa0.', b'T\x03\x00\x00\x00abc.', b'T\xff\xff\xff\xffabc.',
    b'\x80\x03U\x00q\x00.', b'\x80\x02X\x02\x00\x00\x00\xcf\x80.',
    b'\x80\x02c__builtin__\nset\nq\x00]q\x01(K\x01K\x02e\x85q\x02Rq\x03.',
    b'c__builtin__\nset\n(lp0\nI1\naI2\na\x85R.',
    b'\x80\x02c__builtin__\nfrozenset\n]\x85R.',
    b'\x80\x02c__builtin__\nbytearray\nX\x03\x00\x00\x00abcX\x07\x00\x00\x00latin-1\x86R.',
    b'\x80\x02c_codecs\nencode\nX\x02\x00\x00\x00\xc3\xa9X\x06\x00\x00\x00latin1\x86R.',
    b'\x80\x02c__builtin__\nbytes\n)R.', b'\x80\x02c__builtin__\ncomplex\nG?\xf0\x00\x00\x00\x00\x00\x00K\x02\x86R.',
    b'\x80\x02ccollections\nOrderedDict\n)R(K\x01K\x02K\x03K\x04u.',
    b'\x80\x02ccollections\nOrderedDict\n]](K\x01K\x02e\x85R.',
    b'(ibuiltins\nset\n.', b'(K\x05ibuiltins\nint\n.', b'(cbuiltins\nset\no.',
    b'cbuiltins\nint\n)R.', b'N)R.', b'cbuiltins\nint\nNR.', b'cbuiltins\nint\n)\x81.',
    b'cbuiltins\nint\nN\x81.', b'cbuiltins\nint\n)}\x92.', b'cbuiltins\nint\nN}\x92.',
    b'cbuiltins\nint\n)N\x92.', b'cbuiltins\nint\n]R.',
    b'c__builtin__\nlong\n.', b'\x80\x02c__builtin__\nlong\n.', b'\x80\x03c__builtin__\nlong\n.',
    b'\x80\x04cbuiltins\nstr.upper\n.', b'cbuiltins\nstr.upper\n.',
    b'\x80\x02\x8c\x08builtins\x8c\x09str.upper\x93.', b'c\xff\nlog\n.', b'cmath\n\xff\n.',
    b'c\nlog\n.', b'cmath\n\n.', b'\x8c\x00\x8c\x03log\x93.', b'N\x8c\x03log\x93.',
    b'\x8c\x04mathN\x93.', b'\x8c\x08builtins\x8c\x03set\x93)R.',
    b'\x8c\x08builtins\x94\x8c\x03set\x94h\x00h\x01\x93)R.',
    b'cos\nsystem\n.', b'\x80\x04\x8c\x02os\x8c\x06system\x93.',
]
PY2_BYTES = [
    (b"S'a\\x00\\xa0'\n.", 'bytes'), (b'U\x03a\x00\xa0.', 'bytes'), (b'\x80\x02U\x03a\x00\xa0.', 'bytes'),
    (b'T,\x01\x00\x00' + b'x' * 300 + b'.', 'bytes'), (b'V\\u03c0\n.', 'bytes'),
    (b'X\x02\x00\x00\x00\xcf\x80.', 'bytes'), (b"S'a\xe9'\n.", 'latin1'), (b"S'a\xe9'\n.", 'bytes'),
    (b"S'a\xc3\xa9'\n.", 'utf-8'), (b"S'a\xe9'\n.", 'utf-8'), (b'U\x02\xc3\xa9.', 'latin1'),
    (b"S'abc'\n.", 'ASCII'), (b"(S'a\xe9'\np0\ng0\nt.", 'latin1'),
]

ALLOW_ALL = set()
for group in (BAD_STACK, BAD_MARK, TRUNCATED, QUOTING, NUMBERS, MEMO, STRUCTURE):
    for data in group:
        if b'ValueError' in data or b'list' in data or b'str.upper' in data or b'os' in data or b'math' in data or b'log' in data or b'builtins\nint' in data:
            ALLOW_ALL.add(data)


def run(data, encoding='ASCII'):
    try:
        v = pickle.loads(data, encoding=encoding)
    except Exception as e:  # noqa: BLE001 - we record every failure
        return {'error': type(e).__name__, 'message': str(e)}
    return {'repr': repr(v), 'type': type(v).__name__}


def main():
    warnings.simplefilter("ignore")
    cases = []
    for name, group in (('bad_stack', BAD_STACK), ('bad_mark', BAD_MARK), ('truncated', TRUNCATED),
                        ('quoting', QUOTING), ('numbers', NUMBERS), ('memo', MEMO),
                        ('structure', STRUCTURE)):
        for data in group:
            case = {'group': name, 'hex': data.hex(), 'encoding': 'ASCII', 'allow_all': data in ALLOW_ALL}
            case.update(run(data))
            cases.append(case)
    for data, enc in PY2_BYTES:
        case = {'group': 'py2', 'hex': data.hex(), 'encoding': enc, 'allow_all': False}
        case.update(run(data, enc))
        cases.append(case)
    json.dump({'python': sys.version.split()[0], 'cases': cases}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write('\n')


main()
