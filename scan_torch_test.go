package pickle

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// pyStr is a protocol 2 BINUNICODE of s.
func pyStr(s string) string {
	var n [4]byte
	binary.LittleEndian.PutUint32(n[:], uint32(len(s)))
	return "X" + string(n[:]) + s
}

// torchObjectPickle is a protocol 2 pickle of a dict whose items are the
// given (key, pickled value) pairs.
func torchObjectPickle(items ...string) []byte {
	var b strings.Builder
	b.WriteString("\x80\x02}(")
	for i := 0; i+1 < len(items); i += 2 {
		b.WriteString(pyStr(items[i]) + items[i+1])
	}
	b.WriteString("u.")
	return []byte(b.String())
}

// Pickled values for the crafted checkpoints.
var (
	storagePID = "(" + pyStr("storage") + "ctorch\nFloatStorage\n" + pyStr("0") + pyStr("cpu") + "K\x02tQ"
	// A storage id whose type is no torch storage: torch's
	// persistent_load would refuse it.
	fakeStoragePID = "(" + pyStr("storage") + "cbuiltins\nbytearray\n" + pyStr("0") + pyStr("cpu") + "K\x02tQ"
	otherPID       = "(" + pyStr("blob") + pyStr("x") + "tQ"
	osSystem       = "cos\nsystem\n(" + pyStr("echo hi") + "tR"
)

// torchZip is a checkpoint as torch.save writes it (archive/data.pkl
// beside archive/version and archive/data/0) around the object pickle.
func torchZip(t *testing.T, obj []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range []struct {
		name string
		data []byte
	}{{"archive/data.pkl", obj}, {"archive/version", []byte("3\n")}, {"archive/data/0", make([]byte, 8)}} {
		w, err := zw.Create(m.name)
		require.NoError(t, err)
		_, err = w.Write(m.data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// torchLegacy is a legacy checkpoint: the header pickles of a fixture
// (magic number, protocol version, sys_info), the object pickle, an empty
// list of storage keys.
func torchLegacy(t *testing.T, obj []byte) []byte {
	fixture, err := os.ReadFile(filepath.Join("testdata", "torch", "views.legacy.pt"))
	require.NoError(t, err)
	var headerEnd int64
	dec := NewDecoder(bytes.NewReader(fixture))
	for range 3 {
		var v any
		require.NoError(t, dec.Decode(&v))
		headerEnd = dec.InputOffset()
	}
	out := append(append([]byte(nil), fixture[:headerEnd]...), obj...)
	return append(out, "\x80\x02]q\x00."...)
}

// findingsNamed returns the findings of rep's primary pickles whose name
// contains name.
func findingsNamed(rep *ScanReport, name string) []Finding {
	var out []Finding
	for _, p := range rep.Pickles {
		if p.Secondary {
			continue
		}
		for _, f := range append(append([]Finding(nil), p.Globals...), p.Calls...) {
			if strings.Contains(f.Name, name) {
				out = append(out, f)
			}
		}
	}
	return out
}

// A checkpoint's pickles are scanned as torch.load(weights_only=True)
// admits them: torch's globals and its storage ids are safe there, and
// nothing else changes its verdict.
func TestScanTorchCheckpoint(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want Verdict
		// The verdict of the findings naming a storage id, if any.
		storageName string
		storage     Verdict
	}{
		{"zip storage", torchZip(t, torchObjectPickle("w", storagePID)), Safe, "'storage'", Safe},
		{"legacy storage", torchLegacy(t, torchObjectPickle("w", storagePID)), Safe, "'storage'", Safe},
		{"zip os.system", torchZip(t, torchObjectPickle("w", storagePID, "x", osSystem)), Dangerous, "'storage'", Safe},
		{"legacy os.system", torchLegacy(t, torchObjectPickle("w", storagePID, "x", osSystem)), Dangerous, "'storage'", Safe},
		{"zip other id", torchZip(t, torchObjectPickle("w", otherPID)), External, "'blob'", External},
		{"zip fake storage type", torchZip(t, torchObjectPickle("w", fakeStoragePID)), External, "'storage'", External},
		{"plain pickle, not a checkpoint", torchObjectPickle("w", storagePID), Suspicious, "'storage'", External},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := scanBytes(t, tt.data)
			require.Equal(t, tt.want, rep.Verdict, "%+v", rep)
			found := findingsNamed(rep, "persistent_load(("+tt.storageName)
			require.NotEmpty(t, found, "%+v", rep)
			for _, f := range found {
				require.Equal(t, tt.storage, f.Verdict, "%+v", f)
			}
			if tt.want == Dangerous {
				require.NotEmpty(t, findingsNamed(rep, "system"))
			}
		})
	}
}

// torch.save's own checkpoints (testdata/gen_torch.py) are safe, their
// storage ids included; the zip's other members and its byte-0 reading are
// still scanned, as secondary readings.
func TestScanTorchFixtures(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("testdata", "torch", "*.pt"))
	require.NoError(t, err)
	require.Len(t, names, 6)
	for _, name := range names {
		data, err := os.ReadFile(name)
		require.NoError(t, err)
		rep := scanBytes(t, data)
		require.Equal(t, Safe, rep.Verdict, "%s: %+v", name, rep)
		require.NotEmpty(t, findingsNamed(rep, "persistent_load(('storage'"), name)
		require.NotEmpty(t, findingsNamed(rep, "torch._utils._rebuild_tensor_v2"), name)
		secondaries := 0
		for _, p := range rep.Pickles {
			if p.Secondary {
				secondaries++
			}
		}
		require.Positive(t, secondaries, "%s: the storages' bytes or the zip read as pickles", name)
	}
}
