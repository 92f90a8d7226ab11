package pickle

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadTorch reads a torch checkpoint whose pickle is fuzzed and whose
// storages are those of a fixture (which picks it): as a zip with correct
// checksums, or in the legacy format (seeds: testdata/torch's pickles). It
// must fail cleanly or give tensors whose bytes match their shape and
// dtype.
func FuzzReadTorch(f *testing.F) {
	names := []string{"views", "dtypes", "sequential"}
	type parts struct {
		members      map[string][]byte
		order        []string
		header, tail []byte
	}
	var fixtures []parts
	for i, name := range names {
		var p parts
		p.members, p.order = zipMembers(f, filepath.Join(torchDir, name+".zip.pt"))
		data, err := os.ReadFile(filepath.Join(torchDir, name+".legacy.pt"))
		if err != nil {
			f.Fatal(err)
		}
		h, o := torchLegacyPickleEnd(f, data, 3), torchLegacyPickleEnd(f, data, 4)
		p.header, p.tail = data[:h], data[o:]
		fixtures = append(fixtures, p)
		f.Add(uint8(i), p.members[name+".zip/data.pkl"], false)
		f.Add(uint8(i), data[h:o], true)
	}
	f.Fuzz(func(t *testing.T, which uint8, pkl []byte, legacy bool) {
		p := fixtures[int(which)%len(fixtures)]
		var file []byte
		if legacy {
			file = append(append(append([]byte{}, p.header...), pkl...), p.tail...)
		} else {
			file = storedZip(t, p.order, p.members, pkl)
		}
		var v any
		err := ReadContainer(bytes.NewReader(file), int64(len(file)), &v, MaxDecompressedSize(1<<20))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "pickle: ") {
				t.Fatalf("error without its prefix: %v", err)
			}
			return
		}
		found := map[string]*NDArray{}
		torchTensors(v, "", found)
		for name, a := range found {
			if err := a.validate(); err != nil {
				t.Fatalf("tensor %s: %v", name, err)
			}
		}
	})
}

// storedZip writes members, uncompressed as torch writes them, in order,
// data.pkl's bytes replaced by pkl.
func storedZip(t testing.TB, order []string, members map[string][]byte, pkl []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		b := members[name]
		if strings.HasSuffix(name, "/data.pkl") {
			b = pkl
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err == nil {
			_, err = w.Write(b)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipMembers returns a zip's members by name, and their names in order.
func zipMembers(t testing.TB, path string) (map[string][]byte, []string) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	members := map[string][]byte{}
	var order []string
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		members[f.Name] = b
		order = append(order, f.Name)
	}
	return members, order
}

// torchLegacyPickleEnd returns the offset just after the first n pickles.
func torchLegacyPickleEnd(t testing.TB, data []byte, n int) int {
	d := NewDecoder(bytes.NewReader(data), AllowAllGlobals())
	for range n {
		var v any
		if err := d.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return int(d.InputOffset())
}
