package pickle

import (
	"reflect"
	"sort"
	"strings"
	"sync"
)

// This file finds the fields of a struct type as encoding/json does, reading
// `pickle:"name,omitempty"` tags, and caches the result per type.
//
// Exported fields are used under their Go name unless a tag renames them;
// `pickle:"-"` leaves a field out. The fields of an embedded struct are
// promoted as if they were the outer struct's, unless the embedded field has
// a tag name. When two fields end up with one name, the shallower wins, then
// the tagged one; two equal candidates cancel each other, as in
// encoding/json. One tagged field never hides the untagged others. A blank
// field `_ struct{}` tagged `pickle:",tuple"` makes the struct a tuple of its
// fields; tagged `pickle:",slots"`, an instance of a class with __slots__.

type field struct {
	name      string
	index     []int // reflect.Value.FieldByIndex path
	typ       reflect.Type
	omitEmpty bool
	tagged    bool
}

type structFields struct {
	// tuple is set by a blank field tagged `pickle:",tuple"`: the
	// struct is a Python tuple of its fields, in order (arshal_tuple.go).
	tuple bool
	// slots is set by a blank field tagged `pickle:",slots"`: a
	// registered class's instances have __slots__, and their state is
	// the (None, slots) pair CPython writes for them.
	slots  bool
	list   []field        // declaration order
	byName map[string]int // exact name -> index in list
	byFold map[string]int // lower-cased name -> index in list
}

var fieldCache sync.Map // reflect.Type -> *structFields

func cachedFields(t reflect.Type) *structFields {
	return cachedByType(&fieldCache, t, typeFields)
}

// cachedByType returns build(t), built once per type into cache.
func cachedByType[T any](cache *sync.Map, t reflect.Type, build func(reflect.Type) T) T {
	if v, ok := cache.Load(t); ok {
		return v.(T)
	}
	v, _ := cache.LoadOrStore(t, build(t))
	return v.(T)
}

func typeFields(t reflect.Type) *structFields {
	type queued struct {
		typ   reflect.Type
		index []int
	}
	var all []field
	taken := map[string]bool{} // names settled at a shallower depth, kept or cancelled
	current := []queued{}
	next := []queued{{typ: t}}
	visited := map[reflect.Type]bool{}
	tuple, slots := false, false
	for len(next) > 0 {
		current, next = next, current[:0]
		count := map[string]int{}
		var level []field
		for _, q := range current {
			if visited[q.typ] {
				continue
			}
			visited[q.typ] = true
			for i := 0; i < q.typ.NumField(); i++ {
				sf := q.typ.Field(i)
				if sf.Name == "_" {
					if len(q.index) == 0 {
						_, opts, _ := strings.Cut(sf.Tag.Get("pickle"), ",")
						tuple = tuple || hasOption(opts, "tuple")
						slots = slots || hasOption(opts, "slots")
					}
					continue
				}
				if sf.Anonymous {
					ft := sf.Type
					if ft.Kind() == reflect.Pointer {
						ft = ft.Elem()
					}
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("pickle")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				index := append(append([]int(nil), q.index...), i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
					next = append(next, queued{ft, index})
					continue
				}
				f := field{
					name:      name,
					index:     index,
					typ:       sf.Type,
					omitEmpty: hasOption(opts, "omitempty"),
					tagged:    name != "",
				}
				if f.name == "" {
					f.name = sf.Name
				}
				level = append(level, f)
				count[f.name]++
			}
		}
		// Within one depth, a name taken twice is kept only if exactly one
		// of the candidates is tagged.
		for _, f := range level {
			if taken[f.name] {
				continue
			}
			if count[f.name] > 1 {
				tagged := 0
				for _, g := range level {
					if g.name == f.name && g.tagged {
						tagged++
					}
				}
				if tagged != 1 || !f.tagged {
					continue
				}
			}
			all = append(all, f)
		}
		for _, f := range level {
			taken[f.name] = true
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return indexLess(all[i].index, all[j].index) })
	sf := &structFields{tuple: tuple, slots: slots, list: all, byName: map[string]int{}, byFold: map[string]int{}}
	for i, f := range all {
		sf.byName[f.name] = i
		if _, ok := sf.byFold[strings.ToLower(f.name)]; !ok {
			sf.byFold[strings.ToLower(f.name)] = i
		}
	}
	return sf
}

func indexLess(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

func hasOption(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == want {
			return true
		}
	}
	return false
}

// lookup finds the field for a key: the exact name, else a case-insensitive
// match, as encoding/json does.
func (sf *structFields) lookup(key string) (*field, bool) {
	if i, ok := sf.byName[key]; ok {
		return &sf.list[i], true
	}
	if i, ok := sf.byFold[strings.ToLower(key)]; ok {
		return &sf.list[i], true
	}
	return nil, false
}

// isEmptyValue reports whether v is empty for omitempty, as encoding/json.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}
