package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHintsNameFlags: where a flag would let a pickle load, the error names
// the flag and not the library's Go option, and the flag does let it load.
func TestHintsNameFlags(t *testing.T) {
	for _, tc := range []struct {
		name  string
		input []byte
		hint  string
		goOpt string
		flag  []string
	}{
		{"PERSID", []byte("(Pa\n."), "rerun with -persistent-ids", "KeepPersistentIDs", []string{"-persistent-ids"}},
		{"BINPERSID", []byte("\x80\x02X\x01\x00\x00\x00aQ."), "rerun with -persistent-ids", "KeepPersistentIDs", []string{"-persistent-ids"}},
		{"NEXT_BUFFER", []byte("\x80\x05\x97."), "rerun with -buffer FILE", "Buffers option", nil},
	} {
		code, _, errOut := runCmd(tc.input, "show", "-")
		assert.Equal(t, 1, code, tc.name)
		assert.Contains(t, errOut, tc.hint, tc.name)
		assert.Contains(t, errOut, tc.name+" at offset", tc.name)
		assert.NotContains(t, errOut, tc.goOpt, tc.name)
		if tc.flag != nil {
			code, out, errOut := runCmd(tc.input, append(append([]string{"show"}, tc.flag...), "-")...)
			assert.Equal(t, 0, code, "%s: %s", tc.name, errOut)
			assert.Contains(t, out, "persistent_load", tc.name)
		}
	}
}
