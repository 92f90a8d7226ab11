package pickle

import (
	"reflect"
	"testing"
)

// Regressions found reviewing the typed (direct) decoder: each pickle is
// decoded both ways (compareDirect), which must agree. CPython's
// pickle.loads of each was checked by hand where a comment gives it.

// reviewRecord is the struct the memo cases below fill.
type reviewRecord struct {
	A string    `pickle:"a"`
	B string    `pickle:"b"`
	T [2]string `pickle:"t"`
	L []string  `pickle:"l"`
}

// TestDirectMemoStoreThenFetchInPair: fillStruct defers the memo stores
// after a key or a value until the pair is taken; a memo fetch later in
// the same pair must still see them. Each pickle first puts "zz" in the
// slot the pair overwrites, then pops it.
func TestDirectMemoStoreThenFetchInPair(t *testing.T) {
	for _, tc := range []struct {
		name string
		data string
	}{
		// {'b': 'b', 'a': 'b'}: the key "b" is PUT into slot 0, and the
		// value fetched from it.
		{"key BINPUT, value BINGET", "\x80\x04\x8c\x02zz\x940}\x94(\x8c\x01bq\x00h\x00\x8c\x01ah\x00u."},
		// The same with MEMOIZE: slot 2 is where the key's MEMOIZE goes.
		{"key MEMOIZE, value BINGET", "\x80\x04\x8c\x02zzq\x020}\x94(\x8c\x01b\x94h\x02u."},
		{"key BINPUT, value LONG_BINGET", "\x80\x04\x8c\x02zz\x940}\x94(\x8c\x01bq\x00j\x00\x00\x00\x00u."},
		// {'t': ('x', 'x')}: a tuple's second item fetches the first.
		{"tuple item BINPUT, next item BINGET", "\x80\x04\x8c\x02zz\x940}\x94(\x8c\x01t\x8c\x01xq\x00h\x00\x86u."},
		// {'l': ['x', 'x'], 'a': 'x'}: a list's second item fetches the
		// first.
		{"list item BINPUT, next item BINGET", "\x80\x04\x8c\x02zz\x940}\x94(\x8c\x01l](\x8c\x01xq\x00h\x00e\x8c\x01ah\x00u."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			compareDirect(t, []byte(tc.data), reflect.TypeFor[reviewRecord](), nil)
		})
	}
}
