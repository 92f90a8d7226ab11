package pickle

import (
	"math/big"
	"reflect"
	"strings"
	"sync"
)

// This file describes Go types for the direct decoder (direct.go): for each
// type, how a decoded value is stored into memory of that type. A plan is
// made once per type and shared; it depends on nothing but the type.

// directKind is how the direct decoder stores into a type.
type directKind uint8

const (
	// dkUnsupported: the direct decoder leaves values of this type to the
	// general path (interfaces, complex numbers, time.Time, text
	// unmarshalers, ...).
	dkUnsupported directKind = iota
	dkBool
	dkInt  // signed, any size
	dkUint // unsigned, any size
	dkFloat32
	dkFloat64
	dkString
	dkBytes // a slice of a byte kind
	dkBigInt
	dkPointer
	dkSlice
	dkArray
	dkMap
	dkStruct
)

type directPlan struct {
	t    reflect.Type
	kind directKind
	size uintptr
	elem *directPlan // pointer, slice, array, map values
	key  *directPlan // map keys
	n    int         // array length
	// Structs: the fields as arshal_fields.go finds them, each with where it is
	// and how to store into it.
	fields  *structFields
	fplans  []*directPlan
	offsets []uintptr
	// slice is []t, for chunks of scalars that pointers point into
	// (newPointee).
	slice reflect.Type
	// scalar: only a scalar, or None, is stored into the type: a bool,
	// number, string or bytes, or a pointer to one (fillStruct).
	scalar bool
}

// isList reports whether a Python list or tuple goes into the type.
func (p *directPlan) isList() bool { return p.kind == dkSlice || p.kind == dkArray }

// isDict reports whether a Python dict goes into the type.
func (p *directPlan) isDict() bool { return p.kind == dkMap || p.kind == dkStruct }

var directPlans sync.Map // reflect.Type -> *directPlan

var bigIntValueType = reflect.TypeFor[big.Int]()

// planFor returns the plan for t.
func planFor(t reflect.Type) *directPlan {
	if p, ok := directPlans.Load(t); ok {
		return p.(*directPlan)
	}
	building := map[reflect.Type]*directPlan{}
	p := buildPlan(t, building)
	for typ, bp := range building {
		directPlans.LoadOrStore(typ, bp)
	}
	stored, _ := directPlans.Load(t)
	if stored != nil {
		return stored.(*directPlan)
	}
	return p
}

// buildPlan makes the plan of t; building holds the plans being made, so
// that recursive types refer to themselves.
func buildPlan(t reflect.Type, building map[reflect.Type]*directPlan) *directPlan {
	if p, ok := building[t]; ok {
		return p
	}
	if p, ok := directPlans.Load(t); ok {
		return p.(*directPlan)
	}
	p := &directPlan{t: t, size: t.Size()}
	building[t] = p
	if t == bigIntValueType {
		p.kind = dkBigInt
		return p
	}
	if modelTypes[t] || t == timeType ||
		t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface && isTextUnmarshaler(t) {
		// The model's own types, and types the general path treats
		// specially.
		return p // dkUnsupported
	}
	switch t.Kind() {
	case reflect.Bool:
		p.kind = dkBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.kind = dkInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		p.kind = dkUint
	case reflect.Float32:
		p.kind = dkFloat32
	case reflect.Float64:
		p.kind = dkFloat64
	case reflect.String:
		p.kind = dkString
	case reflect.Pointer:
		p.kind = dkPointer
		p.elem = buildPlan(t.Elem(), building)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			p.kind = dkBytes
			break
		}
		p.kind = dkSlice
		p.elem = buildPlan(t.Elem(), building)
	case reflect.Array:
		p.kind = dkArray
		p.n = t.Len()
		p.elem = buildPlan(t.Elem(), building)
	case reflect.Map:
		p.kind = dkMap
		p.key = buildPlan(t.Key(), building)
		p.elem = buildPlan(t.Elem(), building)
	case reflect.Struct:
		p.kind = dkStruct
		p.fields = cachedFields(t)
		p.fplans = make([]*directPlan, len(p.fields.list))
		p.offsets = make([]uintptr, len(p.fields.list))
		for i, f := range p.fields.list {
			off, ok := fieldOffset(t, f.index)
			if !ok {
				// Reached through an embedded pointer, which the
				// general path allocates.
				p.fplans[i] = &directPlan{t: f.typ}
				continue
			}
			p.offsets[i] = off
			p.fplans[i] = buildPlan(f.typ, building)
		}
	}
	switch p.kind {
	case dkInt, dkUint, dkFloat32, dkFloat64, dkBool, dkString:
		p.slice = reflect.SliceOf(t)
		p.scalar = true
	case dkBytes, dkBigInt:
		p.scalar = true
	case dkPointer:
		p.scalar = p.elem.scalar
	}
	return p
}

// fieldOffset returns the offset of the field at index within t, if no
// pointer lies on the way.
func fieldOffset(t reflect.Type, index []int) (uintptr, bool) {
	var off uintptr
	for i, x := range index {
		if i > 0 {
			if t.Kind() != reflect.Struct {
				return 0, false
			}
		}
		sf := t.Field(x)
		off += sf.Offset
		t = sf.Type
	}
	return off, true
}

// fieldFor finds the struct field a dict key names; hint is the field
// most likely meant (the one after the last found), checked first.
func (p *directPlan) fieldFor(key string, hint int) (int, bool) {
	list := p.fields.list
	if hint < len(list) && list[hint].name == key {
		return hint, true
	}
	if i, ok := p.fields.byName[key]; ok {
		return i, true
	}
	i, ok := p.fields.byFold[strings.ToLower(key)]
	return i, ok
}
