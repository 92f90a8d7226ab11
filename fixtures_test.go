package pickle

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The fixtures in testdata/fixtures were written by every CPython on the
// machine (testdata/gen_fixtures.py), each with a description of the value as
// Python saw it. These tests decode every fixture and compare.

type fixtureCase struct {
	Value   any    `json:"value"`
	Dis     string `json:"dis"`
	DisErr  string `json:"dis_error"`
	Safe    bool   `json:"safe"`
	Compare *bool  `json:"compare"`
}

type fixture struct {
	Writer   string
	Name     string // "<case>.p<N>"
	Protocol int
	Data     []byte
	Case     fixtureCase
}

// loadFixtures reads every fixture of every writer.
func loadFixtures(t testing.TB) []fixture {
	t.Helper()
	dirs, err := filepath.Glob("testdata/fixtures/*/expected.json")
	require.NoError(t, err)
	require.NotEmpty(t, dirs, "no fixtures: run python3 testdata/gen_fixtures.py")
	var all []fixture
	for _, path := range dirs {
		raw, err := os.ReadFile(path)
		require.NoError(t, err)
		var file struct {
			Writer string                 `json:"writer"`
			Cases  map[string]fixtureCase `json:"cases"`
		}
		require.NoError(t, json.Unmarshal(raw, &file))
		names := make([]string, 0, len(file.Cases))
		for name := range file.Cases {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			data, err := os.ReadFile(filepath.Join(filepath.Dir(path), name+".pkl"))
			require.NoError(t, err)
			p, err := strconv.Atoi(name[strings.LastIndex(name, ".p")+2:])
			require.NoError(t, err)
			all = append(all, fixture{file.Writer, name, p, data, file.Cases[name]})
		}
	}
	return all
}

// decodeOptions are the options a fixture decodes with: Python 2's str as
// Latin-1 (what CPython recommends for such data), and every global when the
// fixture needs more than the default allowlist.
func (f fixture) decodeOptions() []Option {
	var opts []Option
	if strings.HasPrefix(f.Writer, "2.") {
		opts = append(opts, Encoding("latin1"))
	}
	if !f.Case.Safe {
		opts = append(opts, AllowAllGlobals())
	}
	return opts
}

func TestFixturesDecode(t *testing.T) {
	fixtures := loadFixtures(t)
	for _, f := range fixtures {
		t.Run(f.Writer+"/"+f.Name, func(t *testing.T) {
			var v any
			require.NoError(t, Unmarshal(f.Data, &v, f.decodeOptions()...))
			if f.Case.Compare != nil && !*f.Case.Compare {
				return
			}
			got := describe(v)
			if err := matchDescription(f.Case.Value, got, map[float64]float64{}); err != nil {
				gotJSON, _ := json.Marshal(got)
				wantJSON, _ := json.Marshal(f.Case.Value)
				t.Fatalf("%v\n got %.2000s\nwant %.2000s", err, gotJSON, wantJSON)
			}
		})
	}
	t.Logf("%d fixtures", len(fixtures))
}

// TestFixturesUnsafeRefused checks that the default options refuse exactly
// the fixtures that need globals beyond the default allowlist.
func TestFixturesUnsafeRefused(t *testing.T) {
	for _, f := range loadFixtures(t) {
		if f.Case.Safe {
			continue
		}
		var v any
		var opts []Option
		if strings.HasPrefix(f.Writer, "2.") {
			opts = append(opts, Encoding("latin1"))
		}
		err := Unmarshal(f.Data, &v, opts...)
		require.ErrorIs(t, err, ErrForbiddenGlobal, "%s/%s", f.Writer, f.Name)
	}
}

// describe converts a decoded value into the fixtures' description format.
func describe(v any) any {
	d := describer{ids: map[any]int{}}
	return d.describe(v)
}

type describer struct {
	ids map[any]int
}

func (d *describer) identity(key any, desc map[string]any) (map[string]any, bool) {
	if id, ok := d.ids[key]; ok {
		return map[string]any{"t": "ref", "id": float64(id)}, true
	}
	id := len(d.ids)
	d.ids[key] = id
	desc["id"] = float64(id)
	return desc, false
}

func (d *describer) items(items []any) []any {
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = d.describe(it)
	}
	return out
}

func (d *describer) pairs(items []DictItem) []any {
	out := make([]any, len(items))
	for i, it := range items {
		k := d.describe(it.Key)
		out[i] = []any{k, d.describe(it.Value)}
	}
	return out
}

func (d *describer) describe(v any) any {
	switch x := v.(type) {
	case nil:
		return map[string]any{"t": "none"}
	case bool:
		return map[string]any{"t": "bool", "v": x}
	case int64:
		return map[string]any{"t": "int", "v": strconv.FormatInt(x, 10)}
	case *big.Int:
		return map[string]any{"t": "int", "v": x.String()}
	case float64:
		return map[string]any{"t": "float", "v": string(appendPyFloatRepr(nil, x))}
	case complex128:
		return map[string]any{"t": "complex", "re": string(appendPyFloatRepr(nil, real(x))), "im": string(appendPyFloatRepr(nil, imag(x)))}
	case string:
		return map[string]any{"t": "str", "hex": hex.EncodeToString([]byte(x))}
	case []byte:
		return map[string]any{"t": "bytes", "hex": hex.EncodeToString(x)}
	case Global:
		return map[string]any{"t": "global", "module": x.Module, "name": x.Name}
	case *PickleBuffer:
		// A view of a buffer: out of band, its identity is the caller's.
		return map[string]any{"t": "picklebuffer", "hex": hex.EncodeToString(x.Data), "readonly": x.ReadOnly}
	case *PersistentID:
		// Written anew at each reference, as CPython does: its identity is
		// the loader's.
		return map[string]any{"t": "persistent_id", "pid": d.describe(x.ID)}
	case Tuple:
		desc := map[string]any{"t": "tuple"}
		if len(x) > 0 {
			var seen bool
			if desc, seen = d.identity(tupleID{&x[0], len(x)}, desc); seen {
				return desc
			}
		}
		desc["items"] = d.items(x)
		return desc
	}
	if o, key, ok, err := reduceValue(v, HighestProtocol, true); ok {
		// A standard library value: described as what CPython reduces it
		// to, with the identity the encoder's memo gives it.
		if err != nil {
			return map[string]any{"t": "unencodable " + err.Error()}
		}
		desc, seen := d.identity(key, map[string]any{})
		if !seen {
			d.object(desc, o)
		}
		return desc
	}
	desc, seen := d.identity(v, map[string]any{})
	if seen {
		return desc
	}
	switch x := v.(type) {
	case *ByteArray:
		desc["t"], desc["hex"] = "bytearray", hex.EncodeToString(*x)
	case *List:
		desc["t"], desc["items"] = "list", d.items(*x)
	case *Dict:
		desc["t"], desc["items"] = "dict", d.pairs(x.items)
	case *OrderedDict:
		desc["t"], desc["items"] = "ordereddict", d.pairs(x.items)
	case *Set:
		desc["t"], desc["items"] = "set", d.items(x.items)
	case *FrozenSet:
		desc["t"], desc["items"] = "frozenset", d.items(x.s.items)
		if x.Len() == 0 {
			delete(desc, "id")
		}
	case *Object:
		d.object(desc, x)
	default:
		desc["t"] = fmt.Sprintf("unexpected Go type %T", v)
	}
	return desc
}

// object describes a call and what the pickle then did to its result.
func (d *describer) object(desc map[string]any, x *Object) {
	kind := x.Kind.String()
	if x.Kind == CallObj {
		kind = "inst"
	}
	desc["t"], desc["kind"] = "object", kind
	desc["callable"] = d.describe(x.Class)
	desc["args"] = d.items(x.Args)
	if x.Kwargs != nil {
		desc["kwargs"] = d.pairs(x.Kwargs.items)
	}
	if x.HasState {
		desc["state"] = d.describe(x.State)
	}
	if len(x.ListItems) > 0 {
		desc["listitems"] = d.items(x.ListItems)
	}
	if len(x.DictItems) > 0 {
		desc["dictitems"] = d.pairs(x.DictItems)
	}
}

// matchDescription compares a fixture's description with ours. Identity ids
// may be numbered differently (set iteration order differs between Python
// versions), so it maps the fixture's ids onto ours and checks the mapping is
// consistent.
func matchDescription(want, got any, ids map[float64]float64) error {
	w, ok1 := want.(map[string]any)
	g, ok2 := got.(map[string]any)
	if !ok1 || !ok2 {
		return fmt.Errorf("malformed description %v / %v", want, got)
	}
	wt, gt := w["t"], g["t"]
	if wt == "str8" && gt == "bytes" {
		// Python 2 str where Python 3 has bytes: the state of datetime's
		// types, which decode to Go values and describe as Python 3
		// pickles them.
		if w["hex"] != g["hex"] {
			return fmt.Errorf("str8 %s described as bytes %s", w["hex"], g["hex"])
		}
		return nil
	}
	if wt == "str8" && gt == "str" {
		// Python 2 str, decoded as Latin-1.
		s, _ := hex.DecodeString(g["hex"].(string))
		var b []byte
		for _, r := range string(s) {
			if r > 0xff {
				return fmt.Errorf("str8 decoded to non-Latin-1 text %q", s)
			}
			b = append(b, byte(r))
		}
		if hex.EncodeToString(b) != w["hex"] {
			return fmt.Errorf("str8 %s decoded to %q", w["hex"], s)
		}
		return nil
	}
	if wt != gt {
		return fmt.Errorf("type %v, want %v (%v)", gt, wt, want)
	}
	if wid, ok := w["id"].(float64); ok {
		gid, ok := g["id"].(float64)
		if !ok {
			return fmt.Errorf("%v has no identity", gt)
		}
		if prev, seen := ids[wid]; seen && prev != gid {
			return fmt.Errorf("identity %v maps to both %v and %v", wid, prev, gid)
		}
		ids[wid] = gid
		if wt == "ref" {
			return nil
		}
	}
	for _, key := range []string{"v", "hex", "module", "name", "kind", "re", "im"} {
		if fmt.Sprint(w[key]) != fmt.Sprint(g[key]) {
			if key == "v" && wt == "float" && w[key] == g[key] {
				continue
			}
			return fmt.Errorf("%s %s: got %v, want %v", wt, key, g[key], w[key])
		}
	}
	for _, key := range []string{"callable", "state"} {
		if (w[key] == nil) != (g[key] == nil) {
			return fmt.Errorf("%s %s: got %v, want %v", wt, key, g[key], w[key])
		}
		if w[key] != nil {
			if err := matchDescription(w[key], g[key], ids); err != nil {
				return fmt.Errorf("%s: %w", key, err)
			}
		}
	}
	for _, key := range []string{"items", "args", "kwargs", "listitems", "dictitems"} {
		wi, _ := w[key].([]any)
		gi, _ := g[key].([]any)
		if len(wi) != len(gi) {
			return fmt.Errorf("%s %s: %d items, want %d", wt, key, len(gi), len(wi))
		}
		if (wt == "set" || wt == "frozenset") && key == "items" {
			if err := matchUnordered(wi, gi, ids); err != nil {
				return err
			}
			continue
		}
		for i := range wi {
			if err := matchItem(wi[i], gi[i], ids); err != nil {
				return fmt.Errorf("%s %s[%d]: %w", wt, key, i, err)
			}
		}
	}
	return nil
}

// matchItem compares a description or a [key, value] pair.
func matchItem(want, got any, ids map[float64]float64) error {
	if wp, ok := want.([]any); ok {
		gp, ok := got.([]any)
		if !ok || len(gp) != len(wp) {
			return fmt.Errorf("got %v, want pair %v", got, want)
		}
		for i := range wp {
			if err := matchDescription(wp[i], gp[i], ids); err != nil {
				return err
			}
		}
		return nil
	}
	return matchDescription(want, got, ids)
}

// matchUnordered matches set elements in any order.
func matchUnordered(want, got []any, ids map[float64]float64) error {
	used := make([]bool, len(got))
	for _, w := range want {
		found := false
		for j, g := range got {
			if used[j] {
				continue
			}
			trial := make(map[float64]float64, len(ids))
			for k, v := range ids {
				trial[k] = v
			}
			if matchDescription(w, g, trial) == nil {
				used[j], found = true, true
				for k, v := range trial {
					ids[k] = v
				}
				break
			}
		}
		if !found {
			return fmt.Errorf("set element %v not found", w)
		}
	}
	return nil
}
