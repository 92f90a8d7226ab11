package pickle

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkNumpyFiles reads every .npy and .npz file dir's expected.json
// describes and compares it; it returns how many files it read.
func checkNumpyFiles(t *testing.T, dir string) int {
	e := readJoblibExpected(t, dir)
	for name, want := range e.Npy {
		t.Run(name, func(t *testing.T) {
			var v any
			require.NoError(t, ReadFile(filepath.Join(dir, name), &v))
			checkJoblibValue(t, name, want, v)
		})
	}
	for name, want := range e.Npz {
		t.Run(name, func(t *testing.T) {
			var arrays map[string]any
			require.NoError(t, ReadFile(filepath.Join(dir, name), &arrays))
			require.Len(t, arrays, len(want))
			for key, raw := range want {
				checkJoblibValue(t, key, raw, arrays[key])
				var one any
				require.NoError(t, ReadFile(filepath.Join(dir, name), &one, ContainerMember(key)))
				checkJoblibValue(t, key, raw, one)
			}
		})
	}
	return len(e.Npy) + len(e.Npz)
}

func TestReadFileNumpy(t *testing.T) {
	require.Equal(t, 13, checkNumpyFiles(t, joblibDir))
}

// An .npz reads into a struct by member name, arrays into slices.
func TestReadFileNpzStruct(t *testing.T) {
	var got struct {
		F8 []float64 `pickle:"f8"`
		B1 []bool    `pickle:"b1"`
		S3 *NDArray  `pickle:"S3"`
	}
	require.NoError(t, ReadFile(filepath.Join(joblibDir, "arrays_compressed.npz"), &got))
	assert.Equal(t, []float64{1.5, -2.25, 1e300}, got.F8)
	assert.Equal(t, []bool{true, false, true}, got.B1)
	assert.Equal(t, "|S3", got.S3.Dtype.String())
	var m map[string]*NDArray
	err := ReadFile(filepath.Join(joblibDir, "arrays.npz"), &m, ContainerMember("nope"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `no member "nope"`)
}

// npyFile writes a .npy file of the given version around header and data.
func npyFile(major byte, header string, data []byte) []byte {
	b := []byte("\x93NUMPY")
	b = append(b, major, 0)
	if major == 1 {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(header)))
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(header)))
	}
	b = append(b, header...)
	return append(b, data...)
}

func TestNpyHeaders(t *testing.T) {
	eight := make([]byte, 8)
	for _, c := range []struct {
		name string
		file []byte
		want string // the array's String, or "" for an error
		err  error
	}{
		{"plain", npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }\n", eight), "numpy.ndarray(shape=(1,), dtype='<f8')", nil},
		{"no trailing comma, other key order", npyFile(1, "{'shape': (2, 1), 'fortran_order': True, 'descr': '<i4'}", eight), "numpy.ndarray(shape=(2, 1), dtype='<i4')", nil},
		{"native order", npyFile(2, "{'descr': '=u8', 'fortran_order': False, 'shape': ()}", eight), "numpy.ndarray(shape=(), dtype='<u8')", nil},
		{"timedelta with a count", npyFile(1, "{'descr': '<m8[10ms]', 'fortran_order': False, 'shape': (1,)}", eight), "numpy.ndarray(shape=(1,), dtype='<m8[10ms]')", nil},
		{"truncated data", npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,)}", eight), "", ErrTruncated},
		{"trailing data", npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)}", eight), "", ErrMalformed},
		{"shape overflows", npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4611686018427387904)}", eight), "", ErrMalformed},
		{"huge shape, no data", npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776,)}", eight), "", ErrTruncated},
		{"dimension too long", npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999999,)}", eight), "", ErrMalformed},
		{"huge header declared", npyFile(2, strings.Repeat(" ", 10001), nil), "", ErrLimit},
		{"huge descr", npyFile(1, "{'descr': '<U"+strings.Repeat("9", 5000)+"', 'fortran_order': False, 'shape': (1,)}", eight), "", ErrUnsupported},
		{"structured dtype", npyFile(1, "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,)}", eight), "", ErrUnsupported},
		{"unknown key", npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", eight), "", ErrMalformed},
		{"key twice", npyFile(1, "{'descr': '<f8', 'descr': '<f8', 'shape': (1,)}", eight), "", ErrMalformed},
		{"a key missing", npyFile(1, "{'descr': '<f8', 'shape': (1,)}", eight), "", ErrMalformed},
		{"header cut", npyFile(1, "{'descr': '<f8'", nil)[:14], "", ErrTruncated},
		{"version 4", npyFile(4, "{}", nil), "", ErrUnsupported},
		{"3.0 header not UTF-8", npyFile(3, "{'descr': '\xff', 'fortran_order': False, 'shape': ()}", eight), "", ErrMalformed},
	} {
		t.Run(c.name, func(t *testing.T) {
			var v any
			err := ReadContainer(bytes.NewReader(c.file), int64(len(c.file)), &v)
			if c.err != nil {
				require.ErrorIs(t, err, c.err)
				assert.True(t, strings.HasPrefix(err.Error(), "pickle: "), err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, v.(*NDArray).String())
		})
	}
}

// Scan looks into .npy files and .npz members as numpy.load(allow_pickle=True)
// does: an object array's pickle is scanned, a plain array has none.
func TestScanNumpyFiles(t *testing.T) {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(joblibDir, name))
		require.NoError(t, err)
		return data
	}
	evil := npyFile(1, "{'descr': '|O', 'fortran_order': False, 'shape': (1,)}", []byte("cposix\nsystem\n."))
	for _, c := range []struct {
		name    string
		data    []byte
		verdict Verdict
		pickles int
		global  string
	}{
		{"plain array", read("npy_f8.npy"), Safe, 0, ""},
		{"object array", read("npy_obj.npy"), Safe, 1, ""},
		// A zip's reports end with its bytes read as a pickle from byte 0,
		// as pickle.load would (secondary).
		{"npz", read("arrays.npz"), Safe, 2, ""},
		{"npz compressed", read("arrays_compressed.npz"), Safe, 2, ""},
		{"object array naming posix.system", evil, Dangerous, 1, "posix.system"},
		{"npz member naming posix.system", zipBytes(t, "b.npy", evil), Dangerous, 2, "posix.system"},
		{"bad header", npyFile(1, "{'descr': 1}", nil), Malformed, 1, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep, err := Scan(bytes.NewReader(c.data))
			require.NoError(t, err)
			assert.Equal(t, c.verdict, rep.Verdict)
			require.Len(t, rep.Pickles, c.pickles)
			if c.global != "" {
				p := rep.Pickles[0]
				assert.False(t, p.Secondary, "a .npy member is no secondary reading")
				require.NotEmpty(t, p.Globals)
				assert.Equal(t, c.global, p.Globals[0].Name)
			}
		})
	}
}
