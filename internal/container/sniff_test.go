package container

import (
	"os"
	"path/filepath"
	"testing"
)

// Every fixture of testdata/gen_containers.py is known by its first bytes.
func TestSniffFixtures(t *testing.T) {
	tests := []struct {
		file string
		kind Kind
		comp string // the compressor's name, for Compressed
	}{
		{"plain.pkl", Pickle, ""},
		{"plain_p0.pkl", Unknown, ""},
		{"obj.pkl.gz", Compressed, "gzip"},
		{"obj.pkl.bz2", Compressed, "bz2"},
		{"obj.pkl.xz", Compressed, "xz"},
		{"obj.pkl.lzma", Compressed, "lzma"},
		{"obj.pkl.zlib", Compressed, "zlib"},
		{"obj.pkl.zst", Compressed, "zstd"},
		{"obj.pkl.lz4", Compressed, "lz4"},
		{"obj.pkl.gz.bz2", Compressed, "bz2"},
		{"obj.zip", Zip, ""},
		{"obj.tar", Tar, ""},
		{"obj.tar.gz", Compressed, "gzip"},
		{"pandas_gzip.pkl", Compressed, "gzip"},
		{"pandas_bz2.pkl", Compressed, "bz2"},
		{"pandas_xz.pkl", Compressed, "xz"},
		{"pandas_zstd.pkl", Compressed, "zstd"},
		{"pandas_zip.pkl", Zip, ""},
		{"pandas_tar.pkl", Tar, ""},
	}
	for _, tt := range tests {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "containers", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		kind, c := Sniff(data[:min(len(data), sniffLen)])
		name := ""
		if c != nil {
			name = c.name
		}
		if kind != tt.kind || name != tt.comp {
			t.Errorf("%s: Sniff = %d %q, want %d %q", tt.file, kind, name, tt.kind, tt.comp)
		}
	}
}

func TestDescribe(t *testing.T) {
	tarLike := make([]byte, 512)
	copy(tarLike, "S'")
	copy(tarLike[257:], "ustar") // a string holding "ustar": no checksum
	tests := []struct {
		head []byte
		want string
	}{
		{nil, "an empty file"},
		{[]byte("hello, world\n"), "text"},
		{[]byte("caf\xc3"), "text"}, // a rune cut by the end of head
		{[]byte("\x00\x01\x02"), "binary data starting 00 01 02"},
		{[]byte("\x1f\x8b\x08"), "gzip data"},
		{[]byte("\x93NUMPY\x01\x00"), "a numpy .npy file"},
		{tarLike, "binary data starting 53 27 00 00 00 00 00 00"},
		// The lzma guess needs a dictionary size liblzma would take.
		{[]byte("]\x00\x00\x80\x00\xff\xff\xff\xff\xff\xff\xff\xff"), "lzma data"},
		{[]byte("]\x01\x00\x80\x00\xff\xff\xff\xff\xff\xff\xff\xff"), "binary data starting 5d 01 00 80 00 ff ff ff"},
	}
	for _, tt := range tests {
		if got := Describe(tt.head); got != tt.want {
			t.Errorf("Describe(%q) = %q, want %q", tt.head, got, tt.want)
		}
	}
}
