package pickle

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// FuzzScanStreams generates streams of several pickles and frames (frames
// that run past STOP, straddle arguments, nest, or are longer than the
// input; bytes objects that swallow what follows) and checks that every
// global CPython resolves when it loads them, with either unpickler and
// either kind of stream (testdata/scan/oracle.py), is named by a finding of
// the scan: nothing any reading could run goes unreported; and that every
// opcode two readings read differently lies in a finding naming both
// (checkRegions).
func FuzzScanStreams(f *testing.F) {
	for _, seed := range []string{
		"\x00\x01\x00\x02",         // two pickles
		"\x02\x10\x00\x01\x00\x01", // a frame over them
		"\x02\x03\x00\x01",         // a frame that ends inside the second
		"\x02\x40\x00\x01",         // a frame longer than the rest
		"\x04\x20\x00\x01\x00\x02", // bytes that swallow what follows
		"\x02\x08\x02\x04\x00\x01", // nested frames
		"\x03\x95\x00\x01\x00\x03",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, recipe []byte) {
		data := streamFromRecipe(recipe)
		rep, err := Scan(strings.NewReader(string(data)))
		if err != nil {
			t.Fatal(err)
		}
		checkRegions(t, data, rep)
		named, computed := map[string]bool{}, false
		for _, p := range rep.Pickles {
			for _, f := range append(append([]Finding(nil), p.Globals...), p.Calls...) {
				named[f.Name] = true
				computed = computed || strings.Contains(f.Name, "<")
			}
		}
		for _, name := range cpythonResolves(t, data) {
			module, attr, _ := strings.Cut(name, ".")
			if module == "" {
				continue // nothing is imported: CPython fails at once
			}
			m2, a2 := fixImports(module, attr)
			if !named[name] && !named[m2+"."+a2] && !computed {
				t.Fatalf("CPython resolves %s in %q; the scan names %v", name, data, named)
			}
		}
	})
}

// streamAtoms are the pickles streamFromRecipe strings together.
var streamAtoms = []string{
	"K\x01.",
	"cos\ngetcwd\n)R.",
	"\x80\x04\x8c\x05posix\x8c\x06getcwd\x93)R.",
	"\x80\x02cbuiltins\nprint\nX\x02\x00\x00\x00hi\x85R.",
	"]q\x00(K\x01K\x02e.",
	"\x80\x03C\x05hello.",
	"(I1\nI2\nl.",
	"N.",
	"\x80\x04c_codecs\nencode\n\x8c\x02bf\x8c\x05rot13\x86R\x8c\x06getcwd\x93)R.",
	"(ios\ngetcwd\n.",
	"F1\x00x\n0cos\ngetcwd\n)R.",
	"\x80\x04X\x02\x00\x00\x00osX\x06\x00\x00\x00getcwd\x93)R.",
	"\x80\x04\x8c\x02os\x94\x8c\x06getcwd\x94h\x00h\x01\x93)R.",
	"Pos\n\x8c\x06getcwd\x93)R.",
}

// streamFromRecipe builds a stream: each step of the recipe appends a
// pickle of streamAtoms, a FRAME header, a byte, or SHORT_BINBYTES's opcode
// and length, so that the frames and byte strings cover what follows by the
// recipe's lengths.
func streamFromRecipe(recipe []byte) []byte {
	var out []byte
	next := func() byte {
		if len(recipe) == 0 {
			return 0
		}
		b := recipe[0]
		recipe = recipe[1:]
		return b
	}
	for len(recipe) > 0 && len(out) < 1<<16 {
		switch next() % 5 {
		case 0, 1:
			out = append(out, streamAtoms[int(next())%len(streamAtoms)]...)
		case 2:
			out = binary.LittleEndian.AppendUint64(append(out, opFrame), uint64(next()))
		case 3:
			out = append(out, next())
		case 4:
			out = append(out, 'C', next())
		}
	}
	return out
}

// oracle is one testdata/scan/oracle.py per process, kept across inputs.
var oracle struct {
	sync.Mutex
	cmd *exec.Cmd
	in  *json.Encoder
	out *json.Decoder
}

// cpythonResolves returns what find_class is asked for when CPython loads
// every pickle of data (testdata/scan/oracle.py).
func cpythonResolves(t *testing.T, data []byte) []string {
	t.Helper()
	oracle.Lock()
	defer oracle.Unlock()
	if oracle.cmd == nil {
		cmd, stdin, stdout := startPython(t, "3", "testdata/scan/oracle.py")
		oracle.cmd, oracle.in, oracle.out = cmd, json.NewEncoder(stdin), json.NewDecoder(bufio.NewReader(stdout))
	}
	var names []string
	err := oracle.in.Encode(map[string]string{"hex": hex.EncodeToString(data)})
	if err == nil {
		err = oracle.out.Decode(&names)
	}
	if err != nil {
		oracle.cmd = nil // start another next time
		t.Fatalf("testdata/scan/oracle.py: %v", err)
	}
	return names
}
