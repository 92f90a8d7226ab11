package container

import (
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"io"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"
	"github.com/ulikunitz/xz/lzma"
)

// A compressor is one compressed format: how to know it and how to open it.
type compressor struct {
	name  string
	match func(head []byte) bool
	// open takes the bound on the output, which an open may use to bound
	// its own allocations.
	open func(r io.Reader, max int64) (io.ReadCloser, error)
	// trailer, if set, is what the compressed bytes end with: the xz
	// reader takes a stream cut after a block for a whole one, so the
	// footer's magic "YZ" is checked.
	trailer string
}

func magic(m string) func([]byte) bool {
	return func(head []byte) bool { return bytes.HasPrefix(head, []byte(m)) }
}

// compressors are tried in order: those with a real magic number first, the
// guesses (lzma's header, zlib's two bytes) last.
var compressors = []compressor{
	{"gzip", magic("\x1f\x8b"), func(r io.Reader, _ int64) (io.ReadCloser, error) { return gzip.NewReader(r) }, ""},
	{"bz2", magic("BZh"), func(r io.Reader, _ int64) (io.ReadCloser, error) { return io.NopCloser(bzip2.NewReader(r)), nil }, ""},
	{"xz", magic("\xfd7zXZ\x00"), func(r io.Reader, _ int64) (io.ReadCloser, error) {
		xr, err := xz.NewReader(r)
		return io.NopCloser(xr), err
	}, "YZ"},
	{"zstd", magic("\x28\xb5\x2f\xfd"), openZstd, ""},
	{"lz4", magic("\x04\x22\x4d\x18"), func(r io.Reader, _ int64) (io.ReadCloser, error) { return io.NopCloser(lz4.NewReader(r)), nil }, ""},
	{"joblib z-file", magic("ZF0x"), openZfile, ""},
	{"lzma", isLZMAAlone, openLZMAAlone, ""},
	{"zlib", isZlib, func(r io.Reader, _ int64) (io.ReadCloser, error) { return zlib.NewReader(r) }, ""},
}

// openZstd decodes on the calling goroutine: a file is read once, in order,
// and the decoder's default goroutines would outlive a reader left unclosed.
func openZstd(r io.Reader, _ int64) (io.ReadCloser, error) {
	d, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
	if err != nil {
		return nil, err
	}
	return d.IOReadCloser(), nil
}

// openLZMAAlone opens the legacy .lzma format. Its reader allocates the
// dictionary its header asks for, up to 4 GiB, before reading anything
// else; but a dictionary (a window on the output already written) larger
// than the bounded output is never used whole, so the header's size is cut
// to the bound first: a match reaching farther would have gone past the
// bound anyway.
func openLZMAAlone(r io.Reader, bound int64) (io.ReadCloser, error) {
	var head [lzma.HeaderLen]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, err
	}
	if bound > 0 {
		dict := binary.LittleEndian.Uint32(head[1:5])
		binary.LittleEndian.PutUint32(head[1:5], uint32(min(int64(dict), max(bound, lzma.MinDictCap))))
	}
	lr, err := lzma.NewReader(io.MultiReader(bytes.NewReader(head[:]), r))
	return io.NopCloser(lr), err
}
