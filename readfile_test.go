package pickle

import (
	"bytes"
	"compress/gzip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pickle-go/pickle/internal/fixtures"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const containersDir = "testdata/containers"

// containerReprs reads what Python loaded from each fixture.
func containerReprs(t testing.TB) map[string]string {
	reprs, err := fixtures.Reprs(containersDir)
	require.NoError(t, err)
	return reprs
}

func TestReadFileMatchesPython(t *testing.T) {
	for name, want := range containerReprs(t) {
		t.Run(name, func(t *testing.T) {
			var v any
			require.NoError(t, ReadFile(filepath.Join(containersDir, name), &v))
			assert.Equal(t, want, Repr(v))
		})
	}
}

// Every container gives what Unmarshal gives for the plain pickle, typed
// targets included.
func TestReadFileTypedAsUnmarshal(t *testing.T) {
	plain, err := os.ReadFile(filepath.Join(containersDir, "plain.pkl"))
	require.NoError(t, err)
	type payload struct {
		Name string `pickle:"name"`
		N    int    `pickle:"n"`
		Raw  []byte `pickle:"raw"`
		Xs   []any  `pickle:"xs"`
		Pair [2]any `pickle:"pair"`
		Big  any    `pickle:"big"`
		Nest any    `pickle:"nested"`
	}
	var want payload
	require.NoError(t, Unmarshal(plain, &want, PlainValues()))
	require.Equal(t, "pickle", want.Name)
	for name := range containerReprs(t) {
		var got payload
		require.NoError(t, ReadFile(filepath.Join(containersDir, name), &got, PlainValues()), name)
		assert.Equal(t, want, got, name)
	}
}

func containerFile(t testing.TB, name string) []byte {
	data, err := os.ReadFile(filepath.Join(containersDir, name))
	require.NoError(t, err)
	return data
}

func readBytes(data []byte, opts ...Option) error {
	var v any
	return ReadContainer(bytes.NewReader(data), int64(len(data)), &v, opts...)
}

func TestReadContainerErrors(t *testing.T) {
	gz := containerFile(t, "obj.pkl.gz")
	corruptGz := bytes.Clone(gz)
	corruptGz[len(corruptGz)/2] ^= 0xff
	tests := []struct {
		name string
		data []byte
		opts []Option
		want []string // in the message
	}{
		{"empty", nil, nil, []string{"an empty file"}},
		{"text", []byte("hello, world\n"), nil, []string{"looks like text, not a pickle"}},
		{"binary", []byte{0xde, 0xad, 0xbe, 0xef}, nil, []string{"looks like binary data starting de ad be ef"}},
		{"corrupt gzip", corruptGz, nil, []string{"gzip data, after", "bytes in"}},
		{"truncated gzip", gz[:len(gz)-20], nil, []string{"gzip data, after", "unexpected EOF"}},
		{"two members", containerFile(t, "two.zip"), nil, []string{"2 pickle members", "a.pkl", "b.pkl", "ContainerMember"}},
		{"no such member", containerFile(t, "two.zip"), []Option{ContainerMember("c.pkl")}, []string{`no member "c.pkl"`, "a.pkl, b.pkl"}},
		{"zip without pickle", containerFile(t, "nopickle.zip"), nil, []string{"a zip without a pickle member (members: readme.txt)"}},
		{"tar without pickle", containerFile(t, "nopickle.tar"), nil, []string{"a tar without a pickle member (members: readme.txt)"}},
		{"gzip of nothing", gzipBytes(t, nil), nil, []string{"gzip data is empty"}},
		{"gzip of text", gzipBytes(t, []byte("just words")), nil, []string{"gzip data looks like text"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := readBytes(tt.data, tt.opts...)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "pickle: "), err.Error())
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestContainerMemberPicks(t *testing.T) {
	var v any
	require.NoError(t, ReadFile(filepath.Join(containersDir, "two.zip"), &v, ContainerMember("b.pkl")))
	assert.Equal(t, containerReprs(t)["plain.pkl"], Repr(v))
}

// Every compressor stops at the bound, with a *LimitError that says the
// size reached.
func TestMaxDecompressedSize(t *testing.T) {
	for name := range containerReprs(t) {
		data := containerFile(t, name)
		if bytes.Equal(data, containerFile(t, "plain.pkl")) || strings.HasPrefix(name, "plain") || strings.HasSuffix(name, ".tar") || name == "obj.zip" || name == "pandas_zip.pkl" || name == "pandas_tar.pkl" {
			continue // nothing decompressed, or deflate inside zip (below)
		}
		t.Run(name, func(t *testing.T) {
			err := readBytes(data, MaxDecompressedSize(100))
			require.Error(t, err)
			require.ErrorIs(t, err, ErrLimit)
			var le *LimitError
			require.ErrorAs(t, err, &le)
			assert.Equal(t, "MaxDecompressedSize", le.Limit)
			assert.EqualValues(t, 100, le.Value)
			assert.Contains(t, err.Error(), "exceeded: reached 101")
			require.NoError(t, readBytes(data, MaxDecompressedSize(1<<20)))
		})
	}
}

// A bomb: 64 MiB of zeros in 64 KiB of gzip stops at the bound, and
// quickly.
func TestDecompressionBomb(t *testing.T) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	require.NoError(t, err)
	zeros := make([]byte, 1<<20)
	zeros[0], zeros[1] = 0x80, 4 // a PROTO header, so it reads as a pickle
	for range 64 {
		_, err = zw.Write(zeros)
		require.NoError(t, err)
		zeros[0], zeros[1] = 0, 0
	}
	require.NoError(t, zw.Close())
	t.Logf("bomb: %d compressed bytes", buf.Len())
	err = readBytes(buf.Bytes(), MaxDecompressedSize(1<<20))
	require.ErrorIs(t, err, ErrLimit)
	assert.Contains(t, err.Error(), "gzip data")
	var v any
	err = ReadContainer(bytes.NewReader(buf.Bytes()), int64(buf.Len()), &v)
	require.Error(t, err, "64 MiB of zeros is no pickle")
	assert.NotErrorIs(t, err, ErrLimit)
}

// Every prefix of every fixture fails cleanly, with an error that names the
// container.
func TestTruncatedContainers(t *testing.T) {
	for name := range containerReprs(t) {
		data := containerFile(t, name)
		for n := range len(data) {
			err := readBytes(data[:n])
			if err == nil {
				// A tar's zero padding after the member may go.
				require.True(t, strings.Contains(name, "tar"), "%s[:%d] read", name, n)
				continue
			}
			require.True(t, strings.HasPrefix(err.Error(), "pickle: "), "%s[:%d]: %v", name, n, err)
		}
	}
}

// The live cross-check: python3 loads every stdlib-made fixture now, as
// the script did, and Go reads the same.
func TestReadFileLivePython(t *testing.T) {
	py, err := exec.LookPath("python3")
	require.NoError(t, err, "the live cross-check needs python3")
	script := `import sys
sys.path.insert(0, 'testdata')
import gen_containers as g
for name, data in sorted(g.stdlib_files().items()):
    if not name.startswith(('two', 'nopickle')):
        print(name + '\t' + repr(g.load_stdlib(name, data)))
`
	out, err := exec.Command(py, "-c", script).Output()
	require.NoError(t, err)
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		name, want, ok := strings.Cut(line, "\t")
		require.True(t, ok, line)
		// The script's bytes are made anew: compare what they hold, as
		// Go reads the committed file.
		var v any
		require.NoError(t, ReadFile(filepath.Join(containersDir, name), &v))
		assert.Equal(t, want, Repr(v), name)
		n++
	}
	require.GreaterOrEqual(t, n, 11)
}

// The live cross-check of the files only Debian's packages write: Debian's
// python3 reads the committed zstd, lz4 and pandas files back with
// zstandard, lz4.frame and pandas (.ci/run installs them), and Go reads the
// same. Without them it fails, never skips.
func TestReadFileLiveDebianPackages(t *testing.T) {
	const py = "/usr/bin/python3"
	script := `import sys
sys.path.insert(0, 'testdata')
import gen_containers as g
for name in g.DEBIAN_FILES:
    print(name + '\t' + repr(g.load_debian(name)))
`
	out, err := exec.Command(py, "-c", script).Output()
	require.NoError(t, err, "the live check needs Debian's python3 with python3-zstandard, python3-lz4 and python3-pandas")
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		name, want, ok := strings.Cut(line, "\t")
		require.True(t, ok, line)
		var v any
		require.NoError(t, ReadFile(filepath.Join(containersDir, name), &v))
		assert.Equal(t, want, Repr(v), name)
		n++
	}
	require.Equal(t, 8, n)
}

// BenchmarkReadContainer reads the payload of testdata/containers through
// each compressor, to see what each costs over the plain pickle.
func BenchmarkReadContainer(b *testing.B) {
	for _, name := range []string{"plain.pkl", "obj.pkl.gz", "obj.pkl.bz2", "obj.pkl.xz", "obj.pkl.zst", "obj.pkl.lz4", "obj.zip", "obj.tar"} {
		data := containerFile(b, name)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var v any
				if err := ReadContainer(bytes.NewReader(data), int64(len(data)), &v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
