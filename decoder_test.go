package pickle

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decoderVector is one input of testdata/decoder/vectors.json with what
// CPython's C unpickler made of it.
type decoderVector struct {
	Group    string `json:"group"`
	Hex      string `json:"hex"`
	Encoding string `json:"encoding"`
	AllowAll bool   `json:"allow_all"`
	Repr     string `json:"repr"`
	Type     string `json:"type"`
	Error    string `json:"error"`
	Message  string `json:"message"`
}

func loadDecoderVectors(t testing.TB) []decoderVector {
	t.Helper()
	raw, err := os.ReadFile("testdata/decoder/vectors.json")
	require.NoError(t, err)
	var file struct {
		Cases []decoderVector `json:"cases"`
	}
	require.NoError(t, json.Unmarshal(raw, &file))
	require.NotEmpty(t, file.Cases)
	return file.Cases
}

// decoderDivergences are the inputs on which this decoder knowingly differs
// from CPython 3.11's C unpickler, and why.
var decoderDivergences = map[string]string{
	// CPython 3.11 allocates a dense memo or buffer from the declared size
	// and runs out of memory; 3.14 loads these (gh-115952). We never
	// allocate from a declared size.
	"4e72ffffff7f2e":                 "sparse memo: CPython <3.14 MemoryError",
	"4e7039393939393939393939390a2e": "sparse memo: CPython <3.14 MemoryError",
	// Python 3 has no module __builtin__, so at protocol 3 (no fix_imports)
	// the import fails; we cannot know which modules exist and keep the
	// allowlisted name.
	"8003635f5f6275696c74696e5f5f0a6c6f6e670a2e": "module existence is not checked",
}

// errorClassDivergences are inputs both reject, for different reasons.
var errorClassDivergences = map[string]string{
	// BINSTRING's length is signed; the C unpickler reads it as unsigned
	// and runs out of data, the Python one reports the negative count.
	"54ffffffff6162632e": "negative BINSTRING length: malformed, not truncated",
	// A length of 2**63-1: we report that the input cannot back it.
	"8dffffffffffffff7f2e": "huge BINUNICODE8 length: truncated",
}

// decodeFirst decodes the first pickle of data as pickle.loads does: bytes
// after STOP are not looked at.
func decodeFirst(data []byte, opts ...Option) (any, error) {
	var v any
	err := NewDecoder(bytes.NewReader(data), opts...).Decode(&v)
	if err == io.EOF {
		err = &DecodeError{Err: ErrTruncated}
	}
	return v, err
}

func TestDecodeMatchesCPythonVectors(t *testing.T) {
	for _, vec := range loadDecoderVectors(t) {
		data, err := hex.DecodeString(vec.Hex)
		require.NoError(t, err)
		name := vec.Group + "/" + strings.ToValidUTF8(string(data[:min(len(data), 40)]), "?")
		t.Run(name, func(t *testing.T) {
			opts := []Option{Encoding(vec.Encoding)}
			if vec.AllowAll {
				opts = append(opts, AllowAllGlobals())
			}
			v, err := decodeFirst(data, opts...)
			if reason, ok := decoderDivergences[vec.Hex]; ok {
				t.Logf("known divergence (%s): CPython %s %s; we %v %v", reason, vec.Error, vec.Message, Repr(v), err)
				return
			}
			if vec.Error != "" {
				require.Error(t, err, "CPython raised %s: %s", vec.Error, vec.Message)
				if vec.Error == "MemoryError" {
					return
				}
				if reason, ok := errorClassDivergences[vec.Hex]; ok {
					t.Logf("known divergence (%s): CPython %s %s; we %v", reason, vec.Error, vec.Message, err)
					return
				}
				if vec.Message == "pickle data was truncated" || vec.Error == "EOFError" {
					assert.ErrorIs(t, err, ErrTruncated)
				} else {
					assert.NotErrorIs(t, err, ErrTruncated, "CPython: %s: %s", vec.Error, vec.Message)
				}
				var de *DecodeError
				assert.ErrorAs(t, err, &de)
				assert.True(t, strings.HasPrefix(err.Error(), "pickle: "), err.Error())
				return
			}
			require.NoError(t, err, "CPython gave %s", vec.Repr)
			if strings.HasPrefix(vec.Repr, "<") {
				// A class or function: CPython resolved it, we keep its name.
				_, ok := v.(Global)
				assert.True(t, ok, "got %T", v)
				return
			}
			assert.Equal(t, vec.Repr, Repr(v))
		})
	}
}

func TestUnmarshalRejectsTrailingData(t *testing.T) {
	var v any
	err := Unmarshal([]byte("N.junk"), &v)
	require.ErrorIs(t, err, ErrMalformed)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, int64(2), de.Offset)
}

func TestUnmarshalEmptyInput(t *testing.T) {
	var v any
	err := Unmarshal(nil, &v)
	require.ErrorIs(t, err, ErrTruncated)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

func TestDecoderStream(t *testing.T) {
	// Three pickles back to back, as Python's pickle.dump writes them.
	stream := []byte("\x80\x02K\x01.\x80\x04\x95\x06\x00\x00\x00\x00\x00\x00\x00]\x94K\x02a.N.")
	dec := NewDecoder(bytes.NewReader(stream))
	var got []string
	for {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		got = append(got, Repr(v))
	}
	assert.Equal(t, []string{"1", "[2]", "None"}, got)

	dec = NewDecoder(bytes.NewReader([]byte("K\x01.K")))
	var v any
	require.NoError(t, dec.Decode(&v))
	err := dec.Decode(&v)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

func TestDecodeInvalidTarget(t *testing.T) {
	var iue *InvalidUnmarshalError
	require.ErrorAs(t, Unmarshal([]byte("N."), nil), &iue)
	var v any
	require.ErrorAs(t, Unmarshal([]byte("N."), v), &iue)
}

func TestDecodeIdentity(t *testing.T) {
	// x = []; [x, x] at protocol 2, and a list that contains itself.
	var v any
	require.NoError(t, Unmarshal([]byte("\x80\x02]q\x00(]q\x01h\x01e."), &v))
	outer := *v.(*List)
	require.Len(t, outer, 2)
	a, b := outer[0].(*List), outer[1].(*List)
	require.Same(t, a, b)
	*a = append(*a, int64(7))
	assert.Equal(t, "[[7], [7]]", Repr(v))

	require.NoError(t, Unmarshal([]byte("\x80\x02]q\x00h\x00a."), &v))
	l := v.(*List)
	require.Same(t, l, (*l)[0].(*List))
	assert.Equal(t, "[[...]]", Repr(v))
}

func TestDecodeDictKeyEquality(t *testing.T) {
	// {1: 'a', 1.0: 'b', True: 'c'} written key by key at protocol 2.
	var v any
	data := []byte("\x80\x02}(K\x01X\x01\x00\x00\x00aG?\xf0\x00\x00\x00\x00\x00\x00X\x01\x00\x00\x00b\x88X\x01\x00\x00\x00cu.")
	require.NoError(t, Unmarshal(data, &v))
	d := v.(*Dict)
	require.Equal(t, 1, d.Len())
	got, ok := d.Get(int64(1))
	require.True(t, ok)
	assert.Equal(t, "c", got)
	assert.Equal(t, int64(1), d.Keys()[0], "the first key is kept")
}

func TestDecodeForbiddenGlobal(t *testing.T) {
	var v any
	err := Unmarshal([]byte("\x80\x04\x8c\x02os\x8c\x06system\x93."), &v)
	require.ErrorIs(t, err, ErrForbiddenGlobal)
	var ge *GlobalError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, GlobalError{"os", "system"}, *ge)
	assert.Contains(t, err.Error(), "os.system")

	require.NoError(t, Unmarshal([]byte("cos\nsystem\n."), &v, AllowGlobals("os.system")))
	assert.Equal(t, Global{"os", "system"}, v)
	require.NoError(t, Unmarshal([]byte("cos\nsystem\n."), &v, AllowGlobals("os.*")))
	err = Unmarshal([]byte("cos\nsystem\n."), &v, AllowGlobals("posix.*"))
	require.ErrorIs(t, err, ErrForbiddenGlobal)
}

func TestDecodeFindClass(t *testing.T) {
	// An instance of old.Point, renamed to new.Point.
	data := []byte("\x80\x02cold\nPoint\n)\x81}X\x01\x00\x00\x00xK\x01sb.")
	hook := FindClass(func(module, name string) (string, string, error) {
		if module == "old" {
			return "new", name, nil
		}
		return module, name, nil
	})
	var v any
	require.NoError(t, Unmarshal(data, &v, hook, AllowGlobals("new.Point")))
	obj := v.(*Object)
	assert.Equal(t, Global{"new", "Point"}, obj.Class)
	assert.Equal(t, "new.Point(x=1)", Repr(v))

	boom := errors.New("boom")
	err := Unmarshal(data, &v, FindClass(func(string, string) (string, string, error) { return "", "", boom }))
	require.ErrorIs(t, err, boom)
}

func TestDecodeLimits(t *testing.T) {
	var v any
	deep := append(bytes.Repeat([]byte("("), 100), 'N', '.')
	require.ErrorIs(t, Unmarshal(deep, &v, MaxDepth(50)), ErrLimit)
	require.NoError(t, Unmarshal(deep, &v, MaxDepth(100)))

	wide := append(bytes.Repeat([]byte("N"), 100), '.')
	var le *LimitError
	require.ErrorAs(t, Unmarshal(wide, &v, MaxStack(50)), &le)
	assert.Equal(t, "MaxStack", le.Limit)

	memoMany := []byte("N\x94\x94\x94\x94.")
	require.ErrorIs(t, Unmarshal(memoMany, &v, MaxMemo(3)), ErrLimit)

	digits := []byte("I" + strings.Repeat("9", 100) + "\n.")
	require.ErrorIs(t, Unmarshal(digits, &v, MaxIntDigits(99)), ErrLimit)
	require.NoError(t, Unmarshal(digits, &v, MaxIntDigits(100)))
}

func TestDecodeBuffers(t *testing.T) {
	var v any
	data := []byte("\x80\x05\x97\x97\x98\x86.")
	require.ErrorIs(t, Unmarshal(data, &v), ErrUnsupported)
	require.ErrorIs(t, Unmarshal(data, &v, Buffers([]byte("a"))), ErrMalformed)
	require.NoError(t, Unmarshal(data, &v, Buffers([]byte("a"), []byte("b"))))
	tup := v.(Tuple)
	assert.Equal(t, &PickleBuffer{Data: []byte("a")}, tup[0])
	assert.Equal(t, &PickleBuffer{Data: []byte("b"), ReadOnly: true}, tup[1])
}

func TestDecodePersistentID(t *testing.T) {
	var v any
	data := []byte("\x80\x02]q\x00(X\x03\x00\x00\x00keyq\x01QPplain\ne.")
	require.ErrorIs(t, Unmarshal(data, &v), ErrUnsupported)
	require.NoError(t, Unmarshal(data, &v, PersistentLoad(func(pid any) (any, error) {
		return "loaded:" + pid.(string), nil
	})))
	assert.Equal(t, "['loaded:key', 'loaded:plain']", Repr(v))
	require.NoError(t, Unmarshal(data, &v, AllowAllGlobals()))
	assert.Equal(t, "[persistent_load('key'), persistent_load('plain')]", Repr(v))
}

func TestDecodeExtension(t *testing.T) {
	var v any
	require.ErrorIs(t, Unmarshal([]byte("\x80\x02\x82\x05."), &v), ErrUnsupported)
	require.NoError(t, Unmarshal([]byte("\x80\x02\x82\x05."), &v, Extension(5, "collections", "OrderedDict")))
	assert.Equal(t, Global{"collections", "OrderedDict"}, v)
}

// TestDecodeTruncatedPrefixes cuts valid pickles at every length: each prefix
// must fail with ErrTruncated, on a []byte and on a stream.
func TestDecodeTruncatedPrefixes(t *testing.T) {
	for _, vec := range loadDecoderVectors(t) {
		if vec.Error != "" || vec.AllowAll {
			continue
		}
		data, _ := hex.DecodeString(vec.Hex)
		data = data[:bytes.LastIndexByte(data, '.')+1]
		for n := 0; n < len(data); n++ {
			var v any
			err := Unmarshal(data[:n], &v, Encoding(vec.Encoding))
			if !errors.Is(err, ErrTruncated) {
				// A cut may also end a pickle early with something valid.
				if err == nil || !errors.Is(err, ErrMalformed) {
					t.Errorf("%x cut at %d: %v", data, n, err)
				}
			}
			_, err2 := decodeFirst(data[:n], Encoding(vec.Encoding))
			assert.Equal(t, errors.Is(err, ErrTruncated), errors.Is(err2, ErrTruncated), "%x cut at %d: %v / %v", data, n, err, err2)
		}
	}
}
