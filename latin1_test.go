package pickle

import (
	"testing"
	"unicode/utf8"
)

// TestLatin1String checks the decoding against its definition (byte n is
// code point n) for every byte value, alone and among others.
func TestLatin1String(t *testing.T) {
	all := make([]byte, 256)
	var want []byte
	for i := range all {
		all[i] = byte(i)
		want = utf8.AppendRune(want, rune(i))
	}
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"nil", nil, ""},
		{"ascii", []byte("abc\x00\x7f"), "abc\x00\x7f"},
		{"high only", []byte{0x80, 0xff}, "\u0080\u00ff"},
		{"mixed", []byte("caf\xe9 \xa3"), "café £"},
		{"every byte", all, string(want)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := latin1String(tt.in); got != tt.want {
				t.Errorf("latin1String(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
