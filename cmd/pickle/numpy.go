package main

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
)

// numpy's .npy and .npz files hold arrays, not pickle streams (an object
// array's pickle sits after a header): show and json read them whole with
// pickle.ReadContainer, and print the one value it gives (see eachValue).

// isNumpyFile reports whether r is a .npy file, or a zip whose members
// are all .npy files (numpy.savez).
func isNumpyFile(r io.ReaderAt, size int64) bool {
	var head [6]byte
	if n, _ := r.ReadAt(head[:], 0); n < len(head) {
		return false
	}
	if bytes.Equal(head[:], []byte("\x93NUMPY")) {
		return true
	}
	if !bytes.HasPrefix(head[:], []byte("PK\x03\x04")) {
		return false
	}
	z, err := zip.NewReader(r, size)
	if err != nil || len(z.File) == 0 {
		return false
	}
	for _, f := range z.File {
		if !strings.HasSuffix(f.Name, ".npy") {
			return false
		}
	}
	return true
}
