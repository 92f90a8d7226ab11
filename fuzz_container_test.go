package pickle

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadContainer reads arbitrary bytes as a file (seeds: every fixture
// of testdata/gen_containers.py and testdata/gen_joblib.py, and
// testdata/fuzz/FuzzReadContainer). It must fail cleanly, within the
// decompression bound; and wrapping a plain pickle in gzip, a zip or a tar
// must not change what is read from it.
func FuzzReadContainer(f *testing.F) {
	files, err := filepath.Glob(filepath.Join(containersDir, "*"))
	if err != nil {
		f.Fatal(err)
	}
	joblibFiles, err := filepath.Glob(filepath.Join(joblibDir, "*"))
	if err != nil {
		f.Fatal(err)
	}
	files = append(files, joblibFiles...)
	for _, name := range files {
		if strings.HasSuffix(name, ".json") {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	bound := MaxDecompressedSize(1 << 20)
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		err := ReadContainer(bytes.NewReader(data), int64(len(data)), &v, bound)
		if err != nil && !strings.HasPrefix(err.Error(), "pickle: ") {
			t.Fatalf("error without its prefix: %v", err)
		}
		if len(data) == 0 || len(data) > 1<<16 || !(data[0] == 0x80 && len(data) > 1 && data[1] <= 5) {
			return // not a plain pickle by its first bytes
		}
		for kind, wrapped := range map[string][]byte{
			"gzip": gzipBytes(t, data),
			"zip":  zipBytes(t, "x.pkl", data),
			"tar":  tarBytes(t, "x.pkl", data),
		} {
			var w any
			werr := ReadContainer(bytes.NewReader(wrapped), int64(len(wrapped)), &w, bound)
			if (err == nil) != (werr == nil) {
				t.Fatalf("%s: plain: %v; wrapped: %v", kind, err, werr)
			}
			if err == nil && Repr(v) != Repr(w) {
				t.Fatalf("%s: plain gives %s, wrapped %s", kind, Repr(v), Repr(w))
			}
		}
	})
}

func gzipBytes(t testing.TB, data []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zipBytes(t testing.TB, name string, data []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err == nil {
		_, err = w.Write(data)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tarBytes(t testing.TB, name string, data []byte) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg})
	if err == nil {
		_, err = tw.Write(data)
	}
	if err == nil {
		err = tw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
