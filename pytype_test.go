package pickle

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// typeSamples is testdata/types/samples.json (testdata/gen_types.py).
type typeSamples struct {
	Python    string                       `json:"python"`
	NoSamples map[string]string            `json:"no_samples"`
	Rows      map[string][]typeSampleEntry `json:"rows"`
}

type typeSampleEntry struct {
	Expr   string `json:"expr"`
	Proto  int    `json:"proto"`
	Pickle string `json:"pickle"`
}

// TestTypeTable walks the table of Python types.
func TestTypeTable(t *testing.T) {
	t.Run("allowlist", testTypeTableAllowlist)
	t.Run("spellings", testTypeTableSpellings)
	t.Run("samples", testTypeTableSamples)
}

// Every row's globals are admitted by the default allowlist exactly when the
// row says so, and the default allowlist admits nothing else but the
// protocol's machinery.
func testTypeTableAllowlist(t *testing.T) {
	cfg, err := newConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	machinery := map[Global]bool{globalReconstructor: true, py2Reconstructor: true}
	claimed := map[string]bool{}
	for _, row := range pyTypes {
		for _, c := range row.ctors {
			claimed[c.global.String()] = true
			if got := cfg.allowed(c.global.Module, c.global.Name); got != row.allowed {
				t.Errorf("%s (row %s): allowed by default = %v, the row says %v", c.global, row.name, got, row.allowed)
			}
		}
	}
	for name := range defaultAllowed {
		if !claimed[name] {
			mod, n, _ := strings.Cut(name, ".")
			if !machinery[Global{mod, n}] {
				t.Errorf("default allowlist admits %s, which no row claims", name)
			}
		}
	}
	if len(pyTypes) < 29 {
		t.Errorf("the table has %d rows; expected the builtins and the standard library's 29 at least", len(pyTypes))
	}
}

// No type's spelling appears outside its row's file: not as "module.name"
// in a string, nor as the pair "module", "name" in a composite literal.
// compat_tables.go is CPython's _compat_pickle rename tables, applied before
// rows are looked up, and is exempt.
func testTypeTableSpellings(t *testing.T) {
	type spelling struct {
		text string // module.name
		file string // the row's file
	}
	var spellings []spelling
	pairs := map[[2]string]string{}
	for _, row := range pyTypes {
		file := filepath.Base(row.file)
		if strings.Contains(row.name, ".") {
			spellings = append(spellings, spelling{row.name, file})
		}
		for _, c := range row.ctors {
			spellings = append(spellings, spelling{c.global.String(), file})
			pairs[[2]string{c.global.Module, c.global.Name}] = file
		}
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "compat_tables.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				s, ok := stringLit(n)
				if !ok {
					return true
				}
				for _, sp := range spellings {
					if sp.file != name && containsName(s, sp.text) {
						t.Errorf("%s: %q spells %s, which belongs in %s", fset.Position(n.Pos()), s, sp.text, sp.file)
					}
				}
			case *ast.CompositeLit:
				if len(n.Elts) != 2 {
					return true
				}
				a, ok1 := exprString(n.Elts[0])
				b, ok2 := exprString(n.Elts[1])
				if file, ok := pairs[[2]string{a, b}]; ok1 && ok2 && ok && file != name {
					t.Errorf("%s: {%q, %q} belongs in %s", fset.Position(n.Pos()), a, b, file)
				}
			}
			return true
		})
	}
	if checked < 40 {
		t.Fatalf("checked %d files; expected the whole package", checked)
	}
}

func stringLit(n *ast.BasicLit) (string, bool) {
	if n.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(n.Value)
	return s, err == nil
}

func exprString(e ast.Expr) (string, bool) {
	if lit, ok := e.(*ast.BasicLit); ok {
		return stringLit(lit)
	}
	if id, ok := e.(*ast.Ident); ok && id.Name == "builtinsModule" {
		return builtinsModule, true
	}
	return "", false
}

// containsName reports whether s holds name as a whole dotted name: not as
// part of a longer identifier or dotted path ("builtins.list.append" does
// not hold "builtins.list").
func containsName(s, name string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], name)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(name)
		before := start == 0 || !isNameByte(s[start-1]) && s[start-1] != '.'
		after := end == len(s) || !isNameByte(s[end]) && !(s[end] == '.' && end+1 < len(s) && isNameByte(s[end+1]))
		if before && after {
			return true
		}
		i = start + 1
	}
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func loadTypeSamples(t *testing.T, name string) typeSamples {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "types", name))
	if err != nil {
		t.Fatal(err)
	}
	var s typeSamples
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// Every row has samples; each CPython pickle of a sample decodes with the
// default options into the row (a value of its Go types, or a call of one of
// its globals), and what Go writes back at the same protocol CPython loads
// as the same value (live).
func testTypeTableSamples(t *testing.T) {
	samples := loadTypeSamples(t, "samples.json")
	debian := loadTypeSamples(t, "samples_debian.json")
	requests := map[string][]map[string]any{}
	labels := map[string][]string{}
	for _, row := range pyTypes {
		entries, python := samples.Rows[row.name], "3"
		if len(entries) == 0 {
			entries, python = debian.Rows[row.name], debianPython
		}
		if len(entries) == 0 {
			if why := samples.NoSamples[row.name]; why == "" {
				t.Errorf("row %s has no samples in testdata/gen_types.py", row.name)
			}
			continue
		}
		protos := map[int]bool{}
		for _, e := range entries {
			protos[e.Proto] = true
			label := row.name + " " + e.Expr + " protocol " + strconv.Itoa(e.Proto)
			data, err := hex.DecodeString(e.Pickle)
			if err != nil {
				t.Fatal(err)
			}
			var v any
			if err := Unmarshal(data, &v); err != nil {
				t.Errorf("%s: %v", label, err)
				continue
			}
			if !landsIn(v, row) {
				t.Errorf("%s: decoded to %s (%T), not a value of the row", label, typeName(v), v)
			}
			out, err := Marshal(v, Protocol(e.Proto))
			if err != nil {
				t.Errorf("%s: Marshal: %v", label, err)
				continue
			}
			if !bytes.Equal(out, data) {
				t.Errorf("%s: Go writes %x, CPython %s", label, out, e.Pickle)
			}
			requests[python] = append(requests[python], map[string]any{"op": "same", "a": e.Pickle, "b": hexOf(out)})
			labels[python] = append(labels[python], label)
		}
		for p := 0; p <= HighestProtocol; p++ {
			if !protos[p] {
				t.Errorf("row %s has no sample at protocol %d", row.name, p)
			}
		}
	}
	for _, python := range []string{"3", debianPython} {
		if len(requests[python]) == 0 {
			t.Errorf("no samples checked live with %s", python)
			continue
		}
		for i, r := range crossCheck(t, python, requests[python]) {
			if r["ok"] != true {
				t.Errorf("%s: %s loads Go's pickle differently: %v", labels[python][i], python, r)
			}
		}
	}
}

// landsIn reports whether a decoded value belongs to a row: its Go type is
// the row's, or it is a call of one of the row's globals.
func landsIn(v any, row *pyType) bool {
	if row == noneType {
		return v == nil
	}
	if typeOf(v) == row {
		return true
	}
	o, ok := v.(*Object)
	if !ok {
		return false
	}
	class := o.Class
	if class == any(globalReconstructor) && len(o.Args) == 3 {
		class = o.Args[0]
	}
	for _, c := range row.ctors {
		if class == any(c.global) {
			return true
		}
	}
	return false
}
