package container

import (
	"compress/zlib"
	"io"
)

// joblib before 0.10 compressed its main pickle as a z-file: "ZF", the
// length of the data in hex ("0x1f") padded with spaces to 19 bytes, then
// a zlib stream (joblib/numpy_pickle_compat.py, read_zfile). The length is
// not needed to read the stream, and the decompression bound holds anyway.
const zfileHeader = 2 + 19

func openZfile(r io.Reader, _ int64) (io.ReadCloser, error) {
	var head [zfileHeader]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, err
	}
	return zlib.NewReader(r)
}
