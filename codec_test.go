package pickle

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// codecNameRow is one name of testdata/codecs/names.json (written by
// gen_names.py) with each Python's codecs.lookup(name).name, or its error.
type codecNameRow struct {
	Name    string            `json:"name"` // hex of the UTF-8 bytes
	Answers map[string]string `json:"answers"`
}

func loadCodecNames(t *testing.T) []codecNameRow {
	t.Helper()
	raw, err := os.ReadFile("testdata/codecs/names.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Versions []string       `json:"versions"`
		Names    []codecNameRow `json:"names"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	for _, row := range file.Names {
		if len(row.Answers) != len(file.Versions) {
			t.Fatalf("names.json: %s has %d answers, want one per version %v", row.Name, len(row.Answers), file.Versions)
		}
	}
	return file.Names
}

// codecOfLookup reads the codec from the name of a CodecInfo.
func codecOfLookup(answer string) codec {
	switch answer {
	case "iso8859-1":
		return codecLatin1
	case "utf-8":
		return codecUTF8
	case "ascii":
		return codecASCII
	}
	return codecOther
}

// agreed is the codec every Python found for the row's name, and whether
// they agreed.
func (row codecNameRow) agreed() (codec, bool) {
	first, n := codecOther, 0
	for _, a := range row.Answers {
		c := codecOfLookup(a)
		if n > 0 && c != first {
			return codecOther, false
		}
		first, n = c, n+1
	}
	return first, true
}

func (row codecNameRow) text(t *testing.T) string {
	b, err := hex.DecodeString(row.Name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCodecNamed checks codecNamed against what Pythons 3.6 to 3.13 answer:
// the codec they all find, and codecOther where they differ.
func TestCodecNamed(t *testing.T) {
	counts := map[codec]int{}
	for _, row := range loadCodecNames(t) {
		name := row.text(t)
		want, _ := row.agreed()
		counts[want]++
		if got := codecNamed(name); got != want {
			t.Errorf("codecNamed(%q) = %d, want %d (Python: %v)", name, got, want, row.Answers)
		}
	}
	for c := codecOther; c <= codecASCII; c++ {
		if counts[c] < 20 {
			t.Errorf("names.json has %d names of codec %d, want at least 20", counts[c], c)
		}
	}
}

// TestCodecNamedLive asks the python3 on PATH about every name of the
// fixture and checks codecNamed against its answers (a name the fixture's
// Pythons disagree on must be codecOther).
func TestCodecNamedLive(t *testing.T) {
	rows := loadCodecNames(t)
	hexes := make([]string, len(rows))
	for i, row := range rows {
		hexes[i] = row.Name
	}
	request, err := json.Marshal(hexes)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(pythonPath(t, "3"), "testdata/codecs/gen_names.py", "--answer")
	cmd.Stdin = strings.NewReader(string(request))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3 gen_names.py --answer: %v", err)
	}
	var answers []string
	if err := json.Unmarshal(out, &answers); err != nil {
		t.Fatal(err)
	}
	if len(answers) != len(rows) {
		t.Fatalf("python3 answered %d names of %d", len(answers), len(rows))
	}
	for i, row := range rows {
		name := row.text(t)
		live := codecOfLookup(answers[i])
		got := codecNamed(name)
		if _, agreed := row.agreed(); !agreed && got == codecOther {
			continue
		}
		if got != live {
			t.Errorf("codecNamed(%q) = %d, python3 finds %d (%s)", name, got, live, answers[i])
		}
	}
}
