package pickle

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// memoIndexProbe loads, for each hex index text t on stdin, the pickle
// N p<t>\n g<t>\n . with the C and the pure-Python unpickler, and reports
// int() of the text (up to a NUL for C), as a string, where the unpickler
// took the index, or the error's type. A MemoryError of the C unpickler
// comes after it took the index: its memo is an array, which a huge index
// cannot size.
const memoIndexProbe = `
import io, json, pickle, sys
out = []
for h in json.load(sys.stdin):
    t = bytes.fromhex(h)
    row = {}
    for name, load in (("c", pickle.loads),
                       ("py", lambda b: pickle._Unpickler(io.BytesIO(b)).load())):
        try:
            load(b"Np" + t + b"\ng" + t + b"\n.")
            row[name] = str(int(t.split(b"\0")[0] if name == "c" else t))
        except MemoryError:
            row[name] = str(int(t.split(b"\0")[0]))
        except Exception as e:
            row[name] = "error: " + type(e).__name__
    out.append(row)
json.dump(out, sys.stdout)
`

// TestParseMemoIndexLive checks parseMemoIndex against both of the python3
// unpicklers on PATH: the text as read whole must load in both, with the
// same index, exactly when parseMemoIndex takes it; cut at a NUL (as
// machine.textArg cuts it for C readings), exactly when the C unpickler
// loads it.
func TestParseMemoIndexLive(t *testing.T) {
	texts := []string{
		"0", "1", "01", "007", "+1", "-0", "-1", "-01", " 1", "1 ", "\t7\v\f\r",
		"1_0", "1__0", "_1", "1_", "0x10", "0o7", "1.0", "1e3", "", "  ", "+", "-",
		"1\x00", "1\x00junk", "\x001", " 2\x00 ", "\xd9\xa3", "1\xa0", "\xa01",
		"255", "256", "65536", "4294967296",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808",
		"18446744073709551616", "99999999999999999999",
		strings.Repeat("0", 29) + "1", strings.Repeat("0", 30) + "1",
		strings.Repeat("9", 30), strings.Repeat("1", 31),
		strings.Repeat("0", 40) + "1", strings.Repeat("0", 4299) + "7", strings.Repeat("0", 4300) + "7",
		strings.Repeat("0", 4000) + strings.Repeat("9", 300),
	}
	hexes := make([]string, len(texts))
	for i, s := range texts {
		hexes[i] = hex.EncodeToString([]byte(s))
	}
	request, err := json.Marshal(hexes)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(pythonPath(t, "3"), "-c", memoIndexProbe)
	cmd.Stdin = bytes.NewReader(request)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var answers []map[string]string
	if err := json.Unmarshal(out, &answers); err != nil {
		t.Fatal(err)
	}
	if len(answers) != len(texts) {
		t.Fatalf("python3 answered %d texts of %d", len(answers), len(texts))
	}
	accepted := 0
	for i, text := range texts {
		c, py := answers[i]["c"], answers[i]["py"]
		cOK, pyOK := !strings.HasPrefix(c, "error: "), !strings.HasPrefix(py, "error: ")
		check := func(reading string, in []byte, want string, ok bool) {
			got, err := parseMemoIndex(in)
			switch {
			case ok && (err != nil || strconv.FormatUint(got, 10) != want):
				t.Errorf("%s: parseMemoIndex(%q) = %d, %v; CPython reads %v", reading, in, got, err, want)
			case !ok && err == nil:
				t.Errorf("%s: parseMemoIndex(%q) = %d; CPython refuses it (%v)", reading, in, got, answers[i])
			case ok:
				accepted++
			}
		}
		check("whole line", []byte(text), c, cOK && pyOK && c == py)
		cut, _, _ := strings.Cut(text, "\x00")
		check("C reading", []byte(cut), c, cOK)
	}
	if accepted < 20 {
		t.Errorf("only %d readings accepted: the probe is not testing much", accepted)
	}
}
