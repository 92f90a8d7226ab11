package pickle

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	testKey  = []byte("0123456789abcdef0123456789abcdef")
	otherKey = []byte("fedcba9876543210fedcba9876543210")
)

func TestSignedRoundTrip(t *testing.T) {
	value := &List{"x", int64(1), Tuple{true}}
	data, err := Marshal(value, SignWith("k1", testKey))
	require.NoError(t, err)
	var v any
	require.NoError(t, Unmarshal(data, &v, VerifyWith(map[string][]byte{"k1": testKey})))
	assert.Equal(t, "['x', 1, (True,)]", Repr(v))

	// Key rotation: the reader holds the old and the new key.
	keys := map[string][]byte{"k1": testKey, "k2": otherKey}
	newData, err := Marshal(value, SignWith("k2", otherKey))
	require.NoError(t, err)
	require.NoError(t, Unmarshal(newData, &v, VerifyWith(keys)))
	require.NoError(t, Unmarshal(data, &v, VerifyWith(keys)))

	// A stream of signed pickles.
	var buf bytes.Buffer
	enc := NewEncoder(&buf, SignWith("k1", testKey))
	for i := range 3 {
		require.NoError(t, enc.Encode(int64(i)))
	}
	dec := NewDecoder(&buf, VerifyWith(keys))
	for i := range 3 {
		require.NoError(t, dec.Decode(&v))
		assert.Equal(t, int64(i), v)
	}
	assert.Equal(t, io.EOF, dec.Decode(&v))
}

// TestSignedTampering changes every byte of a signed pickle, and cuts it at
// every length: each is refused, with the error that says how.
func TestSignedTampering(t *testing.T) {
	data, err := Marshal(&List{"payload", int64(42)}, SignWith("k1", testKey))
	require.NoError(t, err)
	verify := VerifyWith(map[string][]byte{"k1": testKey})
	for i := range data {
		bad := append([]byte(nil), data...)
		bad[i] ^= 0x20
		var v any
		err := Unmarshal(bad, &v, verify)
		require.Error(t, err, "byte %d", i)
		switch {
		case i < 8:
			assert.ErrorIs(t, err, ErrNotSigned, "byte %d", i)
		case i == 8, i >= 9 && i < 11:
			// The key id (or its length) changed.
			if !errors.Is(err, ErrUnknownKey) && !errors.Is(err, ErrTruncated) {
				t.Errorf("byte %d: %v", i, err)
			}
		case i >= 11 && i < 19:
			// The payload length changed.
			if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrSignature) && !errors.Is(err, ErrMalformed) {
				t.Errorf("byte %d: %v", i, err)
			}
		default:
			assert.ErrorIs(t, err, ErrSignature, "byte %d", i)
		}
	}
	for n := range len(data) {
		var v any
		err := Unmarshal(data[:n], &v, verify)
		assert.ErrorIs(t, err, ErrTruncated, "cut at %d", n)
		err = NewDecoder(bytes.NewReader(data[:n]), verify).Decode(&v)
		if n == 0 {
			assert.Equal(t, io.EOF, err)
		} else {
			assert.ErrorIs(t, err, ErrTruncated, "stream cut at %d", n)
		}
	}
	var v any
	assert.ErrorIs(t, Unmarshal(data, &v, VerifyWith(map[string][]byte{"k1": otherKey})), ErrSignature)
	assert.ErrorIs(t, Unmarshal(data, &v, VerifyWith(map[string][]byte{"k2": testKey})), ErrUnknownKey)
	plain, _ := Marshal(int64(1))
	assert.ErrorIs(t, Unmarshal(plain, &v, VerifyWith(map[string][]byte{"k1": testKey})), ErrNotSigned)
}

// TestSignedInteropPython checks the envelope against the Python code in
// testdata/hmac_envelope.py (the README's): Python verifies what Go signs,
// and Go verifies what Python signs.
func TestSignedInteropPython(t *testing.T) {
	py := pythonPath(t, "3")
	keyHex := hex.EncodeToString(testKey)
	payload, err := Marshal(&Dict{}, Protocol(2))
	require.NoError(t, err)

	signed, err := Marshal(&Dict{}, Protocol(2), SignWith("prod-2026", testKey))
	require.NoError(t, err)
	cmd := exec.Command(py, "testdata/hmac_envelope.py", "verify", "prod-2026", keyHex)
	cmd.Stdin = bytes.NewReader(signed)
	out, err := cmd.Output()
	require.NoError(t, err, "Python refused Go's envelope")
	assert.Equal(t, payload, out)

	cmd = exec.Command(py, "testdata/hmac_envelope.py", "sign", "prod-2026", keyHex)
	cmd.Stdin = bytes.NewReader(payload)
	fromPython, err := cmd.Output()
	require.NoError(t, err)
	assert.Equal(t, signed, fromPython, "the same envelope, byte for byte")
	var v any
	require.NoError(t, Unmarshal(fromPython, &v, VerifyWith(map[string][]byte{"prod-2026": testKey})))

	fromPython[len(fromPython)-1] ^= 1
	cmd = exec.Command(py, "testdata/hmac_envelope.py", "verify", "prod-2026", keyHex)
	cmd.Stdin = bytes.NewReader(fromPython)
	_, err = cmd.Output()
	require.Error(t, err, "Python must refuse a tampered envelope")
}
