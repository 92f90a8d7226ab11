package pickle

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file tests what the scanner and the decoder make of objects a pickle
// refers to outside itself: persistent ids and out-of-band buffers. Python's
// plain pickle.load refuses them, a loader's persistent_load (or buffers)
// decides what they become: the scanner calls them External, and
// KeepPersistentIDs, used by Scan and by the decoder alike, takes persistent
// ids as data.

var externalPickles = []struct {
	name string
	data string
	pid  bool // a persistent id, rather than an out-of-band buffer
	op   string
	// refused36 is how Python 3.6, which has no protocol 5, refuses it,
	// by unpickler; every later version raises UnpicklingError.
	refused36 map[string]string
}{
	{"PERSID p0", "Pa\n.", true, "PERSID", nil},
	{"BINPERSID p2", "\x80\x02X\x01\x00\x00\x00aQ.", true, "BINPERSID", nil},
	{"BINPERSID in a list", "\x80\x02]q\x00(K\x01X\x01\x00\x00\x00aQe.", true, "BINPERSID", nil},
	{"NEXT_BUFFER", "\x97.", false, "NEXT_BUFFER", map[string]string{"c": "UnpicklingError", "python": "KeyError"}},
	{"NEXT_BUFFER READONLY_BUFFER p5", "\x80\x05\x97\x98.", false, "NEXT_BUFFER", map[string]string{"c": "ValueError", "python": "ValueError"}},
	{"in a frame p5", "\x80\x05\x95\x03\x00\x00\x00\x00\x00\x00\x00\x97\x98.", false, "NEXT_BUFFER", map[string]string{"c": "ValueError", "python": "ValueError"}},
}

func TestScanExternal(t *testing.T) {
	for _, tc := range externalPickles {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.data)
			rep := scanBytes(t, data)
			assert.Equal(t, External, rep.Verdict, "%+v", rep)
			fs, _ := findingsOf(rep)
			require.NotEmpty(t, fs)
			assert.Equal(t, tc.op, fs[len(fs)-1].Op)
			assert.Equal(t, External, fs[len(fs)-1].Verdict)

			// Persistent ids are data for a caller whose loader resolves
			// them; buffers, when the caller gives them.
			kept := scanBytes(t, data, KeepPersistentIDs())
			hooked := scanBytes(t, data, PersistentLoad(func(pid any) (any, error) { return pid, nil }))
			given := scanBytes(t, data, Buffers([]byte("x")))
			if tc.pid {
				assert.Equal(t, Safe, kept.Verdict)
				assert.Equal(t, Safe, hooked.Verdict)
				assert.Equal(t, External, given.Verdict)
			} else {
				assert.Equal(t, External, kept.Verdict)
				assert.Equal(t, Safe, given.Verdict)
			}

			// The decoder agrees: refused without an option, read with
			// the one that makes the scan safe.
			var v any
			err := Unmarshal(data, &v)
			assert.ErrorIs(t, err, ErrUnsupported)
			if tc.pid {
				require.NoError(t, Unmarshal(data, &v, KeepPersistentIDs()))
				assert.Contains(t, Repr(v), "persistent_load('a')")
			} else {
				require.NoError(t, Unmarshal(data, &v, Buffers([]byte("x"))))
			}

			for _, ver := range liveVersions {
				for _, impl := range []string{"c", "python"} {
					out := loadStream(t, ver, impl, "bytesio", data)
					want := "end: UnpicklingError: "
					if ver == "3.6.15" && tc.refused36 != nil {
						want = "end: " + tc.refused36[impl] + ": "
					}
					assert.True(t, strings.HasPrefix(out, want), "%s %s: a plain load must refuse it: %q", ver, impl, out)
					if tc.pid {
						out = loadStream(t, ver, impl, "bytesio", data, "persid")
						assert.True(t, strings.HasPrefix(out, "end: EOFError"), "%s %s: a loader with persistent_load reads it: %q", ver, impl, out)
					}
				}
			}
		})
	}
}

// What the loader's persistent_load returns may be anything: a pickle that
// calls it, or imports by it, is judged as for any computed value.
func TestScanExternalUsedAsCode(t *testing.T) {
	for data, v := range map[string]Verdict{
		"Pa\n)R.":                      Suspicious, // calls what persistent_load returns
		"\x80\x04Pos\n\x8c\x01x\x93.":  Dangerous,  // imports a module it names
		"\x80\x04\x8c\x01aQ\x8c\x01b.": Safe,       // the id only, as the option says
	} {
		assert.Equal(t, v, scanBytes(t, []byte(data), KeepPersistentIDs()).Verdict, "%q", data)
	}
}
