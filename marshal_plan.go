package pickle

import (
	"reflect"
	"sync"
	"sync/atomic"
	"unsafe"
)

// This file makes the plans by which structs are written (marshal_planned.go
// walks them): once per Go struct type, for each field, where it sits and
// which writer writes it, with the per-type facts saveStruct would otherwise
// look up again for every field of every value (plainScalar,
// plainComposite, cachedFields: a sync.Map load each). Plans hold only what
// is true of the type; what depends on the options is checked once per
// struct (plannedConfig), and anything else goes the general way.
// TestMarshalPlanMatchesGeneral checks the plans' bytes against saveStruct's.

// structPlan is how to write the values of one struct type.
type structPlan struct {
	id     int // index of this plan's field-name memo in an encoder's plans
	typ    reflect.Type
	fields []fieldPlan
}

// fieldPlan is how to write one field of a struct, or (as a fieldPlan's
// item) one item of an array or slice.
type fieldPlan struct {
	name   string // the dict key, the very string cachedFields holds
	offset uintptr
	index  int // reflect's field index, for values that cannot be addressed
	typ    reflect.Type
	write  fieldWriter
	size   uintptr     // the size of a value of typ
	sub    *structPlan // the plan of a struct field (writeStruct)
	item   *fieldPlan  // how to write what a writeScalarPtr points to, or a writeScalarArray's items
}

// fieldWriter names how a field is written.
type fieldWriter uint8

const (
	writeGeneral     fieldWriter = iota // save(fieldInterface(fv)), as saveStruct
	writeQuick                          // saveQuick(fv)
	writeBool                           // a plain bool
	writeSigned                         // a plain int of size bytes
	writeUnsigned                       // a plain uint of size bytes
	writeFloat                          // a plain float of size bytes
	writeString                         // a plain string
	writeScalarPtr                      // a pointer to a plain bool or number: None or the value
	writeScalarSlice                    // a slice of float64, int64, int or string (saveSliceItems)
	writeScalarArray                    // an array of plain scalars, each by item
	writeStructSlice                    // a slice of plain structs (saveStructsAt)
	writeStruct                         // a plain struct with a plan of its own
)

var (
	structPlans  sync.Map // reflect.Type -> *structPlan, or nil when saveStruct writes it
	structPlanID atomic.Int64
)

// encodePlanFor returns the plan of struct type t, or nil for the structs
// written the general way: tuples (`pickle:",tuple"`), and structs with
// promoted fields (the path to them may cross a nil pointer) or omitempty
// fields (present or not per value).
func encodePlanFor(t reflect.Type) *structPlan {
	return cachedByType(&structPlans, t, makePlan)
}

func makePlan(t reflect.Type) *structPlan {
	sf := cachedFields(t)
	if sf.tuple {
		return nil
	}
	plan := &structPlan{typ: t, fields: make([]fieldPlan, len(sf.list))}
	for i, f := range sf.list {
		if len(f.index) != 1 || f.omitEmpty {
			return nil
		}
		fp := planValue(f.typ)
		fp.name, fp.offset, fp.index = f.name, t.Field(f.index[0]).Offset, f.index[0]
		plan.fields[i] = fp
	}
	plan.id = int(structPlanID.Add(1) - 1)
	return plan
}

// planValue chooses how values of t are written: the quick writers only for
// the types saveQuick would take (under plannedConfig), the general one
// otherwise.
func planValue(t reflect.Type) fieldPlan {
	fp := fieldPlan{typ: t, size: t.Size(), write: writeGeneral}
	if plainScalar(t) {
		switch t.Kind() {
		case reflect.Bool:
			fp.write = writeBool
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			fp.write = writeSigned
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			fp.write = writeUnsigned
		case reflect.Float32, reflect.Float64:
			fp.write = writeFloat
		case reflect.String:
			fp.write = writeString
		}
		return fp
	}
	if !plainComposite(t) {
		return fp
	}
	fp.write = writeQuick
	switch t.Kind() {
	case reflect.Pointer:
		item := planValue(t.Elem())
		fp.write, fp.item = writeScalarPtr, &item
	case reflect.Slice:
		switch {
		case plainScalar(t.Elem()) && sliceItemsKind(t.Elem()):
			fp.write = writeScalarSlice
		case t.Elem().Kind() == reflect.Struct && plainComposite(t.Elem()):
			// Its items' plan is looked up per slice, not here: the
			// struct may hold slices of t.
			fp.write = writeStructSlice
		}
	case reflect.Array:
		if plainScalar(t.Elem()) {
			item := planValue(t.Elem())
			fp.write, fp.item = writeScalarArray, &item
		}
	case reflect.Struct:
		if sub := encodePlanFor(t); sub != nil {
			fp.write, fp.sub = writeStruct, sub
		}
	}
	return fp
}

// sliceItemsKind reports whether saveSliceItems writes slices of t.
func sliceItemsKind(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Float64, reflect.Int64, reflect.String:
		return true
	case reflect.Int:
		return unsafe.Sizeof(int(0)) == 8
	}
	return false
}
