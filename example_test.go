package pickle_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strings"

	"github.com/pickle-go/pickle"
)

// Read a cache a Python service wrote (testdata/examples/cache.pkl, a list of
// dicts) into Go structs.
func Example_readCache() {
	type Record struct {
		ID     int64    `pickle:"id"`
		Name   string   `pickle:"name"`
		Email  string   `pickle:"email"`
		Score  float64  `pickle:"score"`
		Tags   []string `pickle:"tags"`
		Active bool     `pickle:"active"`
		Parent *int64   `pickle:"parent"`
	}
	data, err := os.ReadFile("testdata/examples/cache.pkl")
	if err != nil {
		log.Fatal(err)
	}
	var records []Record
	if err := pickle.Unmarshal(data, &records); err != nil {
		log.Fatal(err)
	}
	for _, r := range records {
		parent := "none"
		if r.Parent != nil {
			parent = fmt.Sprint(*r.Parent)
		}
		fmt.Printf("%d %s %v %.1f %v parent=%s\n", r.ID, r.Name, r.Tags, r.Score, r.Active, parent)
	}
	// Output:
	// 1 Ada [admin ops] 97.5 true parent=none
	// 2 Brian [] 88.0 false parent=1
}

// Decode into `any` to look at a pickle without declaring types; the values
// print in Python's notation.
func Example_any() {
	data, err := os.ReadFile("testdata/examples/cache.pkl")
	if err != nil {
		log.Fatal(err)
	}
	var v any
	if err := pickle.Unmarshal(data, &v); err != nil {
		log.Fatal(err)
	}
	first := (*v.(*pickle.List))[0].(*pickle.Dict)
	name, _ := first.Get("name")
	fmt.Println(name)
	fmt.Println(first.Keys())
	// Output:
	// Ada
	// [id name email score tags active parent]
}

// Point is a Go type for the Python class app.models.Point.
type Point struct {
	X, Y  int
	Label string
}

// Write a struct that Python loads as an instance of its own class (here a
// class named app.models.Point with attributes coords and label; a dataclass
// works the same way).
func Example_writeForPython() {
	type PythonPoint struct {
		Coords [2]int `pickle:"coords"`
		Label  string `pickle:"label"`
	}
	data, err := pickle.Marshal(PythonPoint{[2]int{5, 6}, "home"},
		pickle.RegisterClass("app.models.Point", PythonPoint{}), pickle.Protocol(2))
	if err != nil {
		log.Fatal(err)
	}
	// What Python runs when it loads it: NEWOBJ of the class, then BUILD
	// with the attributes.
	var v any
	if err := pickle.Unmarshal(data, &v, pickle.AllowAllGlobals()); err != nil {
		log.Fatal(err)
	}
	fmt.Println(pickle.Repr(v))
	// Output:
	// app.models.Point(coords=[5, 6], label='home')
}

// Old pickles name a class that has since moved: FindClass maps the old path
// to the new one, and the registered Go type takes it from there.
func Example_migrateClassPath() {
	data, err := os.ReadFile("testdata/examples/point_v1.pkl") // oldapp.geometry.Point
	if err != nil {
		log.Fatal(err)
	}
	moved := pickle.FindClass(func(module, name string) (string, string, error) {
		if module == "oldapp.geometry" && name == "Point" {
			return "app.models", "Point", nil
		}
		return module, name, nil
	})
	var v any
	err = pickle.Unmarshal(data, &v, moved, pickle.RegisterClass("app.models.Point", VersionedPoint{}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", v)
	// Output:
	// {X:3 Y:4 Label:}
}

// VersionedPoint reads two versions of a class's state: {x, y} from old
// pickles and {coords, label} from new ones.
type VersionedPoint Point

// PickleSetState takes the state of a decoded instance, as __setstate__.
func (p *VersionedPoint) PickleSetState(state any) error {
	d, ok := state.(*pickle.Dict)
	if !ok {
		return errors.New("state is not a dict")
	}
	var fields struct {
		X      int    `pickle:"x"`
		Y      int    `pickle:"y"`
		Coords [2]int `pickle:"coords"`
		Label  string `pickle:"label"`
	}
	// Re-encode the state and decode it into the union of both schemas.
	raw, err := pickle.Marshal(d)
	if err != nil {
		return err
	}
	if err := pickle.Unmarshal(raw, &fields); err != nil {
		return err
	}
	if _, isV2 := d.Get("coords"); isV2 {
		*p = VersionedPoint{X: fields.Coords[0], Y: fields.Coords[1], Label: fields.Label}
	} else {
		*p = VersionedPoint{X: fields.X, Y: fields.Y}
	}
	return nil
}

// A set-state hook reads both versions of a schema.
func Example_setStateHook() {
	reg := pickle.RegisterClass("app.models.Point", VersionedPoint{})
	for _, file := range []string{"point_v1.pkl", "point_v2.pkl"} {
		data, err := os.ReadFile("testdata/examples/" + file)
		if err != nil {
			log.Fatal(err)
		}
		var p VersionedPoint
		err = pickle.Unmarshal(data, &p, reg, pickle.FindClass(func(module, name string) (string, string, error) {
			if module == "oldapp.geometry" {
				module = "app.models"
			}
			return module, name, nil
		}))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %+v\n", file, p)
	}
	// Output:
	// point_v1.pkl: {X:3 Y:4 Label:}
	// point_v2.pkl: {X:5 Y:6 Label:home}
}

// Refuse what you did not expect: the default allowlist admits builtin data
// only, and the error names the global.
func Example_safeByDefault() {
	data, err := os.ReadFile("testdata/examples/point_v1.pkl")
	if err != nil {
		log.Fatal(err)
	}
	var v any
	err = pickle.Unmarshal(data, &v)
	fmt.Println(errors.Is(err, pickle.ErrForbiddenGlobal))
	fmt.Println(err)
	// Output:
	// true
	// pickle: GLOBAL at offset 2: global oldapp.geometry.Point is not allowed (see AllowGlobals)
}

// Read a batch of Graphite's pickle protocol, a list of
// (path, (timestamp, value)) tuples (testdata/shapes/graphite.p2.pkl, written
// by CPython), into Go structs: the blank field tagged `pickle:",tuple"`
// makes a struct a tuple of its fields, in order. Marshal writes such a
// struct back as a tuple.
func Example_graphite() {
	type Point struct {
		_         struct{} `pickle:",tuple"`
		Timestamp int64
		Value     float64
	}
	type Metric struct {
		_     struct{} `pickle:",tuple"`
		Path  string
		Point Point
	}
	data, err := os.ReadFile("testdata/shapes/graphite.p2.pkl")
	if err != nil {
		log.Fatal(err)
	}
	var batch []Metric
	if err := pickle.Unmarshal(data, &batch); err != nil {
		log.Fatal(err)
	}
	for _, m := range batch {
		fmt.Println(m.Path, m.Point.Timestamp, m.Point.Value)
	}
	// Output:
	// servers.a.cpu 1700000000 0.5
	// servers.b.cpu 1700000060 12.25
	// servers.a.load 1700000000 3
}

// Hand a Python cache (testdata/examples/cache.pkl) to code written for JSON:
// PlainValues stores encoding/json's shapes (map[string]any, []any), and
// json.Marshal of decoded values writes their data.
func Example_plainJSON() {
	data, err := os.ReadFile("testdata/examples/cache.pkl")
	if err != nil {
		log.Fatal(err)
	}
	var v any
	if err := pickle.Unmarshal(data, &v, pickle.PlainValues()); err != nil {
		log.Fatal(err)
	}
	first := v.([]any)[0].(map[string]any)
	out, err := json.Marshal(first)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(out))
	// Output:
	// {"active":true,"email":"ada@example.com","id":1,"name":"Ada","parent":null,"score":97.5,"tags":["admin","ops"]}
}

// Join the options a program passes on every call into one set, checked
// once where it is built: a malformed class name is reported here, not at
// the first call.
func ExampleNewOptions() {
	type Point struct {
		X int `pickle:"x"`
		Y int `pickle:"y"`
	}
	if _, err := pickle.NewOptions(pickle.RegisterClass("Point", Point{})); err != nil {
		fmt.Println(err)
	}
	opts, err := pickle.NewOptions(
		pickle.RegisterClass("app.models.Point", Point{}),
		pickle.AllowGlobals("collections.OrderedDict"),
		pickle.Protocol(2),
	)
	if err != nil {
		log.Fatal(err)
	}
	data, err := pickle.Marshal(Point{1, 2}, opts)
	if err != nil {
		log.Fatal(err)
	}
	var back Point
	if err := pickle.Unmarshal(data, &back, opts); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", back)
	// More options are layered on a copy of the set; the set is unchanged.
	data, err = pickle.Marshal(Point{1, 2}, opts, pickle.Protocol(0))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("protocol 0: %t\n", data[0] != 0x80)
	// Output:
	// pickle: RegisterClass("Point"): want "module.QualName"
	// {X:1 Y:2}
	// protocol 0: true
}

// Decode a pickle into a Go struct: dict keys fill the fields their tags
// name.
func ExampleUnmarshal() {
	// pickle.dumps({'name': 'Ada', 'scores': [97.5, 88.0]}, protocol=2)
	data := []byte("\x80\x02}q\x00(X\x04\x00\x00\x00nameq\x01X\x03\x00\x00\x00Adaq\x02" +
		"X\x06\x00\x00\x00scoresq\x03]q\x04(G@X`\x00\x00\x00\x00\x00G@V\x00\x00\x00\x00\x00\x00eu.")
	var rec struct {
		Name   string    `pickle:"name"`
		Scores []float64 `pickle:"scores"`
	}
	if err := pickle.Unmarshal(data, &rec); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", rec)
	// Output:
	// {Name:Ada Scores:[97.5 88]}
}

// Read pickles written one after another to a stream, as repeated
// pickle.dump calls write them, until io.EOF.
func ExampleNewDecoder() {
	// pickle.dumps(1, protocol=4) + pickle.dumps('two', protocol=0) +
	// pickle.dumps([3.5], protocol=2)
	stream := strings.NewReader("\x80\x04K\x01.Vtwo\np0\n.\x80\x02]q\x00G@\x0c\x00\x00\x00\x00\x00\x00a.")
	dec := pickle.NewDecoder(stream)
	for {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(pickle.Repr(v))
	}
	// Output:
	// 1
	// 'two'
	// [3.5]
}

// Bind a Python class to a Go struct: its instances decode into the struct,
// and the struct encodes as Python wrote the instance.
func ExampleRegisterClass() {
	type Point struct {
		X int `pickle:"x"`
		Y int `pickle:"y"`
	}
	// pickle.dumps(app.Point(1, 2), protocol=2), where app.Point is a plain
	// class whose __init__ sets the attributes x and y.
	data := []byte("\x80\x02capp\nPoint\nq\x00)\x81q\x01}q\x02(X\x01\x00\x00\x00xq\x03K\x01X\x01\x00\x00\x00yq\x04K\x02ub.")
	opts, err := pickle.NewOptions(pickle.RegisterClass("app.Point", Point{}), pickle.Protocol(2))
	if err != nil {
		log.Fatal(err)
	}
	var v any
	if err := pickle.Unmarshal(data, &v, opts); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%T %+v\n", v, v)
	again, err := pickle.Marshal(v, opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("same bytes as Python:", bytes.Equal(again, data))
	// Output:
	// pickle_test.Point {X:1 Y:2}
	// same bytes as Python: true
}

// Check what a pickle would do before anyone loads it: Scan runs nothing.
func ExampleScan() {
	// pickle.dumps(Evil(), protocol=2), where Evil.__reduce__ returns
	// (os.system, ('echo pwned',)); on Linux os.system is posix.system.
	data := []byte("\x80\x02cposix\nsystem\nq\x00X\n\x00\x00\x00echo pwnedq\x01\x85q\x02Rq\x03.")
	rep, err := pickle.Scan(bytes.NewReader(data))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Verdict)
	for _, p := range rep.Pickles {
		for _, f := range append(p.Globals, p.Calls...) {
			fmt.Println(f.Offset, f.Op, f.Name, f.Verdict)
		}
	}
	// Output:
	// dangerous
	// 2 GLOBAL posix.system dangerous
	// 38 REDUCE posix.system dangerous
}

// Sign pickles so that a reader holding the key can tell that nothing
// changed them on the way: Unmarshal with VerifyWith checks the signature
// before it decodes a byte of the pickle.
func ExampleSignWith() {
	key := []byte("a secret shared by writer and reader")
	data, err := pickle.Marshal(map[string]int{"answer": 42}, pickle.SignWith("k1", key))
	if err != nil {
		log.Fatal(err)
	}
	verify := pickle.VerifyWith(map[string][]byte{"k1": key})
	var v map[string]int
	if err := pickle.Unmarshal(data, &v, verify); err != nil {
		log.Fatal(err)
	}
	fmt.Println(v)

	data[len(data)-40]++ // a byte of the pickle, changed in transit
	err = pickle.Unmarshal(data, &v, verify)
	fmt.Println(errors.Is(err, pickle.ErrSignature))
	// Output:
	// map[answer:42]
	// true
}
