package pickle

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pyreprVectors is testdata/pyrepr/vectors.json, written by gen_vectors.py
// with CPython 3.11.
type pyreprVectors struct {
	Python         string `json:"python"`
	UnidataVersion string `json:"unidata_version"`
	Floats         []struct {
		Bits string `json:"bits"`
		Repr string `json:"repr"`
	} `json:"floats"`
	Strings []struct {
		UTF8             string `json:"utf8"`
		Repr             string `json:"repr"`
		RawUnicodeEscape string `json:"raw_unicode_escape"`
	} `json:"strings"`
	Bytes []struct {
		Hex  string `json:"hex"`
		Repr string `json:"repr"`
	} `json:"bytes"`
	Surrogatepass []struct {
		Hex string `json:"hex"`
		OK  bool   `json:"ok"`
	} `json:"surrogatepass"`
}

func loadPyreprVectors(t *testing.T) *pyreprVectors {
	t.Helper()
	data, err := os.ReadFile("testdata/pyrepr/vectors.json")
	require.NoError(t, err)
	var v pyreprVectors
	require.NoError(t, json.Unmarshal(data, &v))
	require.NotEmpty(t, v.Floats)
	require.NotEmpty(t, v.Strings)
	require.NotEmpty(t, v.Bytes)
	require.NotEmpty(t, v.Surrogatepass)
	return &v
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

func floatFromHexBits(t *testing.T, s string) float64 {
	t.Helper()
	u, err := strconv.ParseUint(s, 16, 64)
	require.NoError(t, err)
	return math.Float64frombits(u)
}

func TestPyReprVectors(t *testing.T) {
	v := loadPyreprVectors(t)
	t.Logf("vectors from Python %s, Unicode %s", v.Python, v.UnidataVersion)

	t.Run("float", func(t *testing.T) {
		for _, c := range v.Floats {
			f := floatFromHexBits(t, c.Bits)
			assert.Equal(t, c.Repr, string(appendPyFloatRepr(nil, f)), "bits %s", c.Bits)
		}
	})
	t.Run("str", func(t *testing.T) {
		for _, c := range v.Strings {
			s := string(mustHex(t, c.UTF8))
			assert.Equal(t, c.Repr, string(appendPyStrRepr(nil, s)), "utf8 %s", c.UTF8)
			assert.Equal(t, c.RawUnicodeEscape, hex.EncodeToString(appendRawUnicodeEscape(nil, s)),
				"raw-unicode-escape of utf8 %s", c.UTF8)
			assert.True(t, isSurrogatepassUTF8([]byte(s)), "utf8 %s", c.UTF8)
		}
	})
	t.Run("bytes", func(t *testing.T) {
		for _, c := range v.Bytes {
			assert.Equal(t, c.Repr, string(appendPyBytesRepr(nil, mustHex(t, c.Hex))), "hex %s", c.Hex)
		}
	})
	t.Run("surrogatepass", func(t *testing.T) {
		for _, c := range v.Surrogatepass {
			assert.Equal(t, c.OK, isSurrogatepassUTF8(mustHex(t, c.Hex)), "hex %s", c.Hex)
		}
	})
}

func TestPyReprAppends(t *testing.T) {
	// Each function appends to dst and leaves its prefix alone.
	dst := []byte("x=")
	assert.Equal(t, "x=1e+16", string(appendPyFloatRepr(dst, 1e16)))
	assert.Equal(t, "x='a\\n'", string(appendPyStrRepr(dst, "a\n")))
	assert.Equal(t, `x=b"'"`, string(appendPyBytesRepr(dst, []byte("'"))))
	assert.Equal(t, `x=\u005c`, string(appendRawUnicodeEscape(dst, `\`)))
	assert.Equal(t, "x=", string(dst))
}

func TestPyReprInvalidUTF8(t *testing.T) {
	// Not a decoded str, so no Python counterpart: bytes that are neither
	// UTF-8 nor a surrogate sequence come out as \xhh (repr) or raw (protocol 0).
	s := "a\xffb\xed\xa0c\xe4\xb8"
	assert.Equal(t, `'a\xffb\xed\xa0c\xe4\xb8'`, string(appendPyStrRepr(nil, s)))
	assert.Equal(t, s, string(appendRawUnicodeEscape(nil, s)))
	assert.False(t, isSurrogatepassUTF8([]byte(s)))
}

func TestDecodeSurrogatepass(t *testing.T) {
	for _, c := range []struct {
		in   string
		r    rune
		size int
	}{
		{"a", 'a', 1}, {"\x00", 0, 1}, {"é!", 0xe9, 2}, {"\xef\xbf\xbd", 0xfffd, 3},
		{"😀", 0x1f600, 4}, {"\xed\x9f\xbf", 0xd7ff, 3}, {"\xed\xa0\x80\xed\xb0\x80", 0xd800, 3},
		{"\xed\xbf\xbfx", 0xdfff, 3}, {"\xff", -1, 1}, {"\xed\xa0", -1, 1}, {"\xc0\x80", -1, 1},
	} {
		r, size := decodeSurrogatepass(c.in)
		assert.Equal(t, c.r, r, "%q", c.in)
		assert.Equal(t, c.size, size, "%q", c.in)
	}
}

func TestPyFloatReprRoundTrips(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 100000; i++ {
		f := math.Float64frombits(r.Uint64())
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		s := string(appendPyFloatRepr(nil, f))
		g, err := strconv.ParseFloat(s, 64)
		require.NoError(t, err, s)
		require.Equal(t, math.Float64bits(f), math.Float64bits(g), s)
	}
}

// TestPyReprLive compares with the python3 on PATH for random inputs. It fails
// without python3 unless PICKLE_NO_PYTHON=1.
func TestPyReprLive(t *testing.T) {
	if os.Getenv("PICKLE_NO_PYTHON") == "1" {
		t.Skip("PICKLE_NO_PYTHON=1: not comparing with python3")
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is needed to cross-check repr (set PICKLE_NO_PYTHON=1 to skip): %v", err)
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0x5eed))

	var in bytes.Buffer
	var floats []float64
	var strs []string
	var byteStrs, maybeUTF8 [][]byte
	for i := 0; i < 300; i++ {
		f := randomFloat(r)
		floats = append(floats, f)
		writeLiveInput(&in, 'f', binary.BigEndian.AppendUint64(nil, math.Float64bits(f)))
		s := randomPyStr(r)
		strs = append(strs, s)
		writeLiveInput(&in, 's', []byte(s))
		b := randomBytes(r)
		byteStrs = append(byteStrs, b)
		writeLiveInput(&in, 'b', b)
		u := randomMaybeUTF8(r)
		maybeUTF8 = append(maybeUTF8, u)
		writeLiveInput(&in, 'u', u)
	}

	cmd := exec.Command(python, "-c", pyreprLiveScript)
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "python3: %s", stderr.String())
	lines := bufio.NewScanner(bytes.NewReader(out))
	lines.Buffer(nil, 1<<20)
	next := func() string {
		require.True(t, lines.Scan(), "python3 output ended early")
		return lines.Text()
	}
	t.Logf("python3 %s", next())

	skewed := 0
	for i := range floats {
		assert.Equal(t, next(), string(appendPyFloatRepr(nil, floats[i])),
			"float bits %016x", math.Float64bits(floats[i]))

		// repr, raw-unicode-escape, code points unassigned in Python; in hex
		got := strings.Split(next(), " ")
		s := strs[i]
		if unicodeVersionSkew(s, got[2:]) {
			skewed++
		} else {
			assert.Equal(t, got[0], hex.EncodeToString(appendPyStrRepr(nil, s)), "repr of utf8 %x", s)
		}
		assert.Equal(t, got[1], hex.EncodeToString(appendRawUnicodeEscape(nil, s)), "protocol 0 of utf8 %x", s)

		assert.Equal(t, next(), string(appendPyBytesRepr(nil, byteStrs[i])), "bytes %x", byteStrs[i])

		assert.Equal(t, next() == "1", isSurrogatepassUTF8(maybeUTF8[i]), "surrogatepass %x", maybeUTF8[i])
	}
	assert.False(t, lines.Scan(), "extra python3 output")
	assert.Less(t, skewed, len(strs)/4, "too many strings hit Unicode version differences")
	t.Logf("%d of %d strings skipped for repr: characters assigned in only one of Go's and Python's Unicode tables", skewed, len(strs))
}

// writeLiveInput writes one input line for pyreprLiveScript: kind, hex data.
func writeLiveInput(b *bytes.Buffer, kind byte, data []byte) {
	b.WriteByte(kind)
	b.WriteByte(' ')
	b.WriteString(hex.EncodeToString(data))
	b.WriteByte('\n')
}

// pyreprLiveScript answers one line per input line; see TestPyReprLive. The
// first line is the Python version.
const pyreprLiveScript = `
import pickle, struct, sys, unicodedata
print(sys.version.split()[0], unicodedata.unidata_version)
for line in sys.stdin:
    kind, _, arg = line.rstrip("\n").partition(" ")
    data = bytes.fromhex(arg)
    if kind == "f":
        print(repr(struct.unpack(">d", data)[0]))
    elif kind == "s":
        s = data.decode("utf-8", "surrogatepass")
        p = pickle.dumps(s, 0)
        assert p[:1] == b"V" and p.endswith(b"\np0\n."), p
        cn = [format(ord(c), "x") for c in s if unicodedata.category(c) == "Cn"]
        print(repr(s).encode().hex(), p[1:-5].hex(), *cn)
    elif kind == "b":
        print(repr(data))
    else:
        try:
            data.decode("utf-8", "surrogatepass")
            print(1)
        except UnicodeDecodeError:
            print(0)
`

// unicodeVersionSkew reports whether s has a code point that one of Go's and
// Python's Unicode tables assigns and the other does not; pyUnassigned lists
// (in hex) the code points of s that Python calls Cn.
func unicodeVersionSkew(s string, pyUnassigned []string) bool {
	py := map[rune]bool{}
	for _, h := range pyUnassigned {
		u, err := strconv.ParseUint(h, 16, 32)
		if err != nil {
			return true
		}
		py[rune(u)] = true
	}
	for i := 0; i < len(s); {
		r, n := decodeSurrogatepass(s[i:])
		i += n
		goAssigned := unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S,
			unicode.Z, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs)
		if goAssigned == py[r] {
			return true
		}
	}
	return false
}

func randomFloat(r *rand.Rand) float64 {
	switch r.IntN(4) {
	case 0:
		return math.Float64frombits(r.Uint64())
	case 1: // fixed-notation range and the switch to exponents
		return r.Float64() * math.Pow(10, float64(r.IntN(26)-7))
	case 2: // short decimals
		return float64(r.IntN(2000001)-1000000) / math.Pow(10, float64(r.IntN(12)))
	default: // neighbours of powers of ten
		p := math.Pow(10, float64(r.IntN(640)-324))
		return math.Float64frombits(math.Float64bits(p) + uint64(r.IntN(3)) - 1)
	}
}

var pyreprSpecialRunes = []rune{'\'', '"', '\\', '\t', '\n', '\r', 0, 0x1a, 0x7f,
	0xa0, 0xad, 0x300, 0x2028, 0x3000, 0xfeff, 0xfffd, 0xffff, 0xe000, 0x1f600, 0x10ffff}

// randomPyStr returns a random str in the surrogatepass form.
func randomPyStr(r *rand.Rand) string {
	var b []byte
	for n := r.IntN(16); n > 0; n-- {
		var c rune
		switch k := r.IntN(20); {
		case k < 7:
			c = rune(r.IntN(0x80))
		case k < 10:
			c = rune(0x80 + r.IntN(0x80))
		case k < 14:
			c = rune(0x100 + r.IntN(0xff00))
		case k < 16:
			c = rune(0x10000 + r.IntN(0x100000))
		case k < 17:
			c = rune(0xd800 + r.IntN(0x800))
		default:
			c = pyreprSpecialRunes[r.IntN(len(pyreprSpecialRunes))]
		}
		if 0xd800 <= c && c <= 0xdfff {
			b = append(b, 0xed, byte(0x80|c>>6&0x3f), byte(0x80|c&0x3f))
		} else {
			b = utf8.AppendRune(b, c)
		}
	}
	return string(b)
}

func randomBytes(r *rand.Rand) []byte {
	b := make([]byte, r.IntN(16))
	for i := range b {
		if r.IntN(2) == 0 {
			b[i] = `'"\ a`[r.IntN(5)]
		} else {
			b[i] = byte(r.IntN(256))
		}
	}
	return b
}

// randomMaybeUTF8 joins pieces of valid, surrogate and broken UTF-8.
func randomMaybeUTF8(r *rand.Rand) []byte {
	pieces := []string{"a", "\x80", "é", "中", "😀", "\xed\xa0\x80", "\xed\xbf\xbf",
		"\xed", "\xed\x9f\xbf", "\xff", "\xe4\xb8", "\xf0\x9f", "\xf4\x90\x80\x80", "\xc0\x80"}
	var b []byte
	for n := 1 + r.IntN(5); n > 0; n-- {
		b = append(b, pieces[r.IntN(len(pieces))]...)
	}
	if r.IntN(4) == 0 {
		b = binary.BigEndian.AppendUint16(b, uint16(r.Uint32()))
	}
	return b
}

func BenchmarkPyFloatRepr(b *testing.B) {
	fs := []float64{0, 1.5, 0.1, 123456789.0, 1e16, 1.2345678901234568e+17, 5e-324, math.Pi}
	var buf []byte
	for i := 0; i < b.N; i++ {
		buf = appendPyFloatRepr(buf[:0], fs[i%len(fs)])
	}
}

func BenchmarkPyStrRepr(b *testing.B) {
	for _, bc := range []struct{ name, s string }{
		{"ascii", "the quick brown fox jumps over the lazy dog's back\n"},
		{"mixed", "Grüße, 世界! \u00a0\u2028 😀 \xed\xa0\x80 tab\tend"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.s)))
			var buf []byte
			for i := 0; i < b.N; i++ {
				buf = appendPyStrRepr(buf[:0], bc.s)
			}
		})
	}
}

func BenchmarkRawUnicodeEscape(b *testing.B) {
	s := "Grüße, 世界! path\\to\\file\n 😀"
	b.SetBytes(int64(len(s)))
	var buf []byte
	for i := 0; i < b.N; i++ {
		buf = appendRawUnicodeEscape(buf[:0], s)
	}
}

func BenchmarkPyBytesRepr(b *testing.B) {
	bs := []byte("binary\x00\x01\xff data with 'quotes' and text")
	b.SetBytes(int64(len(bs)))
	var buf []byte
	for i := 0; i < b.N; i++ {
		buf = appendPyBytesRepr(buf[:0], bs)
	}
}
