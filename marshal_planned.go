package pickle

import (
	"math"
	"math/big"
	"reflect"
	"unsafe"
)

// This file writes structs by their plans (marshal_plan.go): one plan
// lookup per struct, or per slice of structs, and then a walk over the
// fields, each read where it sits and written by its writer, as saveStruct
// and saveQuick would write it.

// plannedConfig reports whether the options let plans be used: the quick
// writers they choose are those quickValues would allow, which holds with
// no class registered and no hook wanting to see every value.
func (e *encoder) plannedConfig() bool {
	return !e.cfg.noQuickPaths && !e.cfg.noStructPlans && e.cfg.persistentID == nil && len(e.cfg.classByType) == 0
}

// saveStructPlanned writes a struct as saveStruct does, by its plan.
func (e *encoder) saveStructPlanned(rv reflect.Value, key any, plan *structPlan) error {
	if !rv.CanAddr() {
		return e.saveStructFieldsOf(nil, rv, key, plan)
	}
	return e.saveStructAt(unsafe.Pointer(rv.UnsafeAddr()), key, plan)
}

// saveStructAt writes the struct at base by its plan.
func (e *encoder) saveStructAt(base unsafe.Pointer, key any, plan *structPlan) error {
	return e.saveStructFieldsOf(base, reflect.Value{}, key, plan)
}

// saveStructFieldsOf writes a struct, read at base or, when base is nil
// (a struct that cannot be addressed), through rv.
func (e *encoder) saveStructFieldsOf(base unsafe.Pointer, rv reflect.Value, key any, plan *structPlan) error {
	if e.depth+2 > e.cfg.maxDepth {
		// A field may be too deep: saveStructFields says which.
		if base != nil {
			rv = reflect.NewAt(plan.typ, base).Elem()
		}
		return e.saveStructFields(rv, key)
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
			fv := rv.Field(f.index)
			if !fv.CanInterface() {
				fv = readableField(rv, []int{f.index}) // see fieldByIndex
			}
			err = e.saveFieldValue(f, fv)
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
	switch {
	case plan == nil:
		return false, nil
	case rv.Kind() == reflect.Slice:
		return true, e.saveStructsAt(rv.UnsafePointer(), rv.Len(), plan)
	case rv.CanAddr():
		return true, e.saveStructsAt(unsafe.Pointer(rv.UnsafeAddr()), rv.Len(), plan)
	}
	return false, nil
}

// saveStructsAt writes n structs of plan's type, one after another from
// p, as the items of a list.
func (e *encoder) saveStructsAt(p unsafe.Pointer, n int, plan *structPlan) error {
	size := plan.typ.Size()
	return e.batchItems(n, opAppend, opAppends, false, func(i int) error {
		item := unsafe.Add(p, uintptr(i)*size)
		if e.depth+1 > e.cfg.maxDepth {
			return atIndex(e.save(reflect.NewAt(plan.typ, item).Elem().Interface()), i) // for its error
		}
		if err := e.opcodeBoundary(); err != nil {
			return err
		}
		e.depth++
		err := e.saveStructAt(item, nil, plan)
		e.depth--
		if err != nil {
			return atIndex(err, i)
		}
		return nil
	})
}

// saveFieldName writes a field's name as save(f.name) would. Within
// one pickle the name, once memoized, is always the same GET: idx keeps
// its memo index plus one (0 until known), so that later structs skip the
// string memo's probe.
func (e *encoder) saveFieldName(f *fieldPlan, idx *int32) error {
	// The name is an object of its own to CPython's save, which may
	// close a full frame before it, as before the value.
	if err := e.opcodeBoundary(); err != nil {
		return err
	}
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
	var items *structPlan
	switch f.write {
	case writeGeneral, writeQuick:
		return e.saveFieldValue(f, reflect.NewAt(f.typ, p).Elem())
	case writeStructSlice:
		if items = encodePlanFor(f.typ.Elem()); items == nil {
			return e.saveQuick(reflect.NewAt(f.typ, p).Elem())
		}
	}
	if err := e.opcodeBoundary(); err != nil {
		return err
	}
	var err error
	switch f.write {
	case writeScalarPtr:
		ptr := *(*unsafe.Pointer)(p)
		if ptr == nil {
			e.writeOp(opNone)
			return nil
		}
		return e.writeScalarAt(f.item, ptr)
	case writeScalarSlice, writeStructSlice:
		hdr := (*sliceHeader)(p)
		if hdr.data == nil {
			e.writeOp(opNone)
			return nil
		}
		e.depth++
		e.openList(nil)
		if items != nil {
			err = e.saveStructsAt(hdr.data, hdr.len, items)
		} else {
			_, err = e.saveSliceItemsAt(f.typ.Elem().Kind(), hdr.data, hdr.len)
		}
		e.depth--
		return err
	case writeScalarArray:
		e.depth++
		e.openList(nil)
		err = e.saveScalarsAt(f.item, p, f.typ.Len())
		e.depth--
		return err
	case writeStruct:
		e.depth++
		err = e.saveStructAt(p, nil, f.sub)
		e.depth--
		return err
	}
	return e.writeScalarAt(f, p)
}

// saveScalarsAt writes n plain scalars, one after another from p, as the
// items of a list.
func (e *encoder) saveScalarsAt(item *fieldPlan, p unsafe.Pointer, n int) error {
	return e.batchItems(n, opAppend, opAppends, false, func(i int) error {
		if err := e.opcodeBoundary(); err != nil {
			return err
		}
		if err := e.writeScalarAt(item, unsafe.Add(p, uintptr(i)*item.size)); err != nil {
			return atIndex(err, i)
		}
		return nil
	})
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
		e.saveInt(loadSigned(p, f.size))
	case writeUnsigned:
		if u := loadUnsigned(p, f.size); u <= math.MaxInt64 {
			e.saveInt(int64(u))
		} else {
			return e.saveBigInt(new(big.Int).SetUint64(u))
		}
	case writeFloat:
		if f.size == 4 {
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
