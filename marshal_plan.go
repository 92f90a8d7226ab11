package pickle

import (
	"math"
	"math/big"
	"reflect"
	"sync"
	"sync/atomic"
	"unsafe"
)

// This file writes structs by a plan made once per Go struct type: for each
// field, where it sits and which writer writes it, with the per-type facts
// saveStruct would otherwise look up again for every field of every value
// (plainScalar, plainComposite, cachedFields: a sync.Map load each). A
// struct is then one plan lookup and a walk over its fields. Plans hold only
// what is true of the type; what depends on the options is checked once per
// struct (plannedConfig), and anything else goes the general way.
// TestMarshalPlanMatchesGeneral checks the plan's bytes against saveStruct's.

// structPlan is how to write the values of one struct type.
type structPlan struct {
	id     int // index of this plan's field-name memo in an encoder's planNames
	fields []fieldPlan
}

// fieldPlan is one field of a structPlan.
type fieldPlan struct {
	name   string // the dict key, the very string cachedFields holds
	offset uintptr
	index  int // reflect's field index, for values that cannot be addressed
	typ    reflect.Type
	write  fieldWriter
	sub    *structPlan // the plan of a struct field (write is writeStructField)
	intLen uintptr     // the size of an integer or float field
}

// fieldWriter names how a field is written.
type fieldWriter uint8

const (
	writeGeneral     fieldWriter = iota // save(fieldInterface(fv)), as saveStruct
	writeQuick                          // saveQuick(fv)
	writeBool                           // a plain bool
	writeSigned                         // a plain int of intLen bytes
	writeUnsigned                       // a plain uint of intLen bytes
	writeFloat                          // a plain float of intLen bytes
	writeString                         // a plain string
	writeScalarPtr                      // a pointer to a plain bool or number: None or the value
	writeScalarSlice                    // a slice of float64, int64, int or string (saveSliceItems)
	writeStructField                    // a plain struct with a plan of its own
)

var (
	structPlans  sync.Map // reflect.Type -> *structPlan, or nil when saveStruct writes it
	structPlanID atomic.Int64
)

// encodePlanFor returns the plan of struct type t, or nil for the structs written
// the general way: tuples (`pickle:",tuple"`), and structs with promoted
// fields (the path to them may cross a nil pointer) or omitempty fields
// (present or not per value).
func encodePlanFor(t reflect.Type) *structPlan {
	return cachedByType(&structPlans, t, makePlan)
}

func makePlan(t reflect.Type) *structPlan {
	sf := cachedFields(t)
	if sf.tuple {
		return nil
	}
	plan := &structPlan{fields: make([]fieldPlan, len(sf.list))}
	for i, f := range sf.list {
		if len(f.index) != 1 || f.omitEmpty {
			return nil
		}
		sft := t.Field(f.index[0])
		fp := fieldPlan{name: f.name, offset: sft.Offset, index: f.index[0], typ: f.typ, intLen: f.typ.Size()}
		fp.write, fp.sub = planWriter(f.typ)
		plan.fields[i] = fp
	}
	plan.id = int(structPlanID.Add(1) - 1)
	return plan
}

// planWriter chooses a field's writer: the quick ones only for the types
// saveQuick would take (under plannedConfig), the general one otherwise.
func planWriter(t reflect.Type) (fieldWriter, *structPlan) {
	if plainScalar(t) {
		switch t.Kind() {
		case reflect.Bool:
			return writeBool, nil
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return writeSigned, nil
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			return writeUnsigned, nil
		case reflect.Float32, reflect.Float64:
			return writeFloat, nil
		case reflect.String:
			return writeString, nil
		}
	}
	if !plainComposite(t) {
		return writeGeneral, nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return writeScalarPtr, nil
	case reflect.Slice:
		if plainScalar(t.Elem()) && sliceItemsKind(t.Elem()) {
			return writeScalarSlice, nil
		}
	case reflect.Struct:
		if sub := encodePlanFor(t); sub != nil {
			return writeStructField, sub
		}
	}
	return writeQuick, nil
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

// plannedConfig reports whether the options let plans be used: the quick
// writers they choose are those quickValues would allow, which holds with
// no class registered and no hook wanting to see every value.
func (e *encoder) plannedConfig() bool {
	return !e.cfg.noQuickPaths && !e.cfg.noStructPlans && e.cfg.persistentID == nil && len(e.cfg.classByType) == 0
}

// saveStructPlanned writes a struct as saveStruct does, by its plan.
func (e *encoder) saveStructPlanned(rv reflect.Value, key any, plan *structPlan) error {
	if e.depth+2 > e.cfg.maxDepth {
		// A field may be too deep: saveStructFields says which.
		return e.saveStructFields(rv, key)
	}
	var base unsafe.Pointer
	if rv.CanAddr() {
		base = unsafe.Pointer(rv.UnsafeAddr())
	}
	e.openDict(key)
	names := e.planNames(plan)
	return e.batchItems(len(plan.fields), opSetItem, opSetItems, true, func(i int) error {
		f := &plan.fields[i]
		if err := e.saveFieldName(f, &names[i]); err != nil {
			return err
		}
		var err error
		if base != nil {
			err = e.saveFieldAt(f, unsafe.Add(base, f.offset))
		} else {
			err = e.saveFieldValue(f, rv.Field(f.index))
		}
		if err != nil {
			return prependPath(err, "."+f.name)
		}
		return nil
	})
}

// saveStructItems writes the items of a slice or array of plain structs
// with a plan, as saveSequence would write each by saveQuick, the plan
// looked up once for all of them; false for other items.
func (e *encoder) saveStructItems(rv reflect.Value) (bool, error) {
	t := rv.Type().Elem()
	if t.Kind() != reflect.Struct || !e.plannedConfig() || !plainComposite(t) {
		return false, nil
	}
	plan := encodePlanFor(t)
	if plan == nil {
		return false, nil
	}
	return true, e.batchItems(rv.Len(), opAppend, opAppends, false, func(i int) error {
		item := rv.Index(i)
		if e.depth+1 > e.cfg.maxDepth {
			return atIndex(e.save(item.Interface()), i) // for its error
		}
		if err := e.opcodeBoundary(); err != nil {
			return err
		}
		e.depth++
		err := e.saveStructPlanned(item, nil, plan)
		e.depth--
		if err != nil {
			return atIndex(err, i)
		}
		return nil
	})
}

// saveFieldName writes a field's name as saveStr(f.name) would. Within
// one pickle the name, once memoized, is always the same GET: idx keeps
// its memo index plus one (0 until known), so that later structs skip the
// string memo's probe.
func (e *encoder) saveFieldName(f *fieldPlan, idx *int32) error {
	if *idx > 0 {
		e.writeGet(int(*idx - 1))
		return nil
	}
	key := strIdentity(f.name, 0)
	if err := e.saveStrAs(key, f.name); err != nil {
		return err
	}
	if got, ok := e.strMemo.get(key); ok && got < math.MaxInt32 {
		*idx = int32(got + 1)
	}
	return nil
}

// planNames returns this pickle's memo of plan's field names (see
// saveFieldName), empty at the first struct of its type in the pickle.
func (e *encoder) planNames(plan *structPlan) []int32 {
	if plan.id >= len(e.plans) {
		e.plans = append(e.plans, make([]planMemo, plan.id+1-len(e.plans))...)
	}
	m := &e.plans[plan.id]
	if m.pickle != e.pickles || len(m.names) != len(plan.fields) {
		m.pickle = e.pickles
		if cap(m.names) < len(plan.fields) {
			m.names = make([]int32, len(plan.fields))
		}
		m.names = m.names[:len(plan.fields)]
		clear(m.names)
	}
	return m.names
}

// planMemo is an encoder's memo of one plan's field names, valid in the
// pickle numbered pickle (encoder.pickles).
type planMemo struct {
	pickle uint64
	names  []int32
}

// saveFieldAt writes the field at p as saveQuick or save would.
func (e *encoder) saveFieldAt(f *fieldPlan, p unsafe.Pointer) error {
	switch f.write {
	case writeBool, writeSigned, writeUnsigned, writeFloat, writeString:
		if err := e.opcodeBoundary(); err != nil {
			return err
		}
		return e.writeScalarAt(f, p)
	case writeScalarPtr:
		if err := e.opcodeBoundary(); err != nil {
			return err
		}
		if *(*unsafe.Pointer)(p) == nil {
			e.writeOp(opNone)
			return nil
		}
		return e.writeScalar(reflect.NewAt(f.typ.Elem(), *(*unsafe.Pointer)(p)).Elem())
	case writeScalarSlice:
		if err := e.opcodeBoundary(); err != nil {
			return err
		}
		hdr := (*sliceHeader)(p)
		if hdr.data == nil {
			e.writeOp(opNone)
			return nil
		}
		e.depth++
		e.openList(nil)
		_, err := e.saveSliceItemsAt(f.typ.Elem().Kind(), hdr.data, hdr.len)
		e.depth--
		return err
	case writeStructField:
		if err := e.opcodeBoundary(); err != nil {
			return err
		}
		e.depth++
		err := e.saveStructPlanned(reflect.NewAt(f.typ, p).Elem(), nil, f.sub)
		e.depth--
		return err
	}
	return e.saveFieldValue(f, reflect.NewAt(f.typ, p).Elem())
}

// saveFieldValue writes a field reached by reflection, as saveStruct does.
func (e *encoder) saveFieldValue(f *fieldPlan, fv reflect.Value) error {
	if f.write == writeGeneral {
		return e.save(fieldInterface(fv))
	}
	return e.saveQuick(fv)
}

// writeScalarAt is writeScalar for the plain scalar field at p.
func (e *encoder) writeScalarAt(f *fieldPlan, p unsafe.Pointer) error {
	switch f.write {
	case writeBool:
		e.saveBool(*(*bool)(p))
	case writeSigned:
		e.saveInt(loadSigned(p, f.intLen))
	case writeUnsigned:
		if u := loadUnsigned(p, f.intLen); u <= math.MaxInt64 {
			e.saveInt(int64(u))
		} else {
			return e.saveBigInt(new(big.Int).SetUint64(u))
		}
	case writeFloat:
		if f.intLen == 4 {
			e.saveFloat(float64(*(*float32)(p)))
		} else {
			e.saveFloat(*(*float64)(p))
		}
	case writeString:
		return e.saveStr(*(*string)(p))
	}
	return nil
}

// loadSigned reads a signed integer of size bytes: loadUnsigned's bits,
// sign-extended.
func loadSigned(p unsafe.Pointer, size uintptr) int64 {
	shift := 64 - 8*size
	return int64(loadUnsigned(p, size)<<shift) >> shift
}

func loadUnsigned(p unsafe.Pointer, size uintptr) uint64 {
	switch size {
	case 1:
		return uint64(*(*uint8)(p))
	case 2:
		return uint64(*(*uint16)(p))
	case 4:
		return uint64(*(*uint32)(p))
	}
	return *(*uint64)(p)
}
