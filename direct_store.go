package pickle

import (
	"math"
	"math/big"
	"reflect"
	"unsafe"
)

// store puts v into dst, a value of the plan's type, converting it as the
// general path's convert does (unmarshal.go); false means the general path
// must decide. parent, when set, is the container dst belongs to, whose
// height grows with what is stored; asKey says v is a dict key, which
// tuples may fill a struct from.
func (d *direct) store(v *dval, p *directPlan, dst unsafe.Pointer, parent *dcont, asKey bool) bool {
	switch p.kind {
	case dkInt:
		if v.kind != dvInt {
			return false
		}
		return storeInt(v.n, p.size, dst)
	case dkFloat64:
		f, ok := v.toFloat()
		if ok {
			*(*float64)(dst) = f
		}
		return ok
	case dkString:
		if v.kind != dvStr {
			return false
		}
		*(*string)(dst) = v.str()
		return true
	case dkBool:
		if v.kind != dvBool {
			return false
		}
		*(*bool)(dst) = v.n != 0
		return true
	case dkUint:
		var n uint64
		switch v.kind {
		case dvInt:
			if v.n < 0 {
				return false
			}
			n = uint64(v.n)
		case dvBig:
			if !v.bigInt().IsUint64() {
				return false
			}
			n = v.bigInt().Uint64()
		default:
			return false
		}
		return storeUint(n, p.size, dst)
	case dkFloat32:
		f, ok := v.toFloat()
		if !ok || (!math.IsInf(f, 0) && !math.IsNaN(f) && math.Abs(f) > math.MaxFloat32) {
			return false
		}
		*(*float32)(dst) = float32(f)
		return true
	case dkBytes:
		switch v.kind {
		case dvNone:
			*(*[]byte)(dst) = nil
		case dvBytes, dvByteArray:
			*(*[]byte)(dst) = []byte(v.str()) // a copy, not zeroed first
		default:
			return false
		}
		return true
	case dkBigInt:
		switch v.kind {
		case dvInt:
			*(*big.Int)(dst) = *big.NewInt(v.n)
		case dvBig:
			*(*big.Int)(dst) = *new(big.Int).Set(v.bigInt())
		default:
			return false
		}
		return true
	case dkPointer:
		if v.kind == dvNone {
			*(*unsafe.Pointer)(dst) = nil
			return true
		}
		if v.kind == dvCont && v.cont().plan == p.elem {
			if v.cont().inPlace || !d.grow(parent, v.height()+1) {
				return false
			}
			c := v.cont()
			if c.plan.kind == dkSlice {
				c.slice()
			}
			*(*unsafe.Pointer)(dst) = c.boxed()
			d.conts.release(c)
			return true
		}
		nv := d.newPointee(p.elem)
		if !d.store(v, p.elem, nv, parent, false) {
			return false
		}
		*(*unsafe.Pointer)(dst) = nv
		return true
	case dkSlice:
		switch v.kind {
		case dvNone:
			*(*[]byte)(dst) = nil
			return true
		case dvCont:
			c := v.cont()
			if c.plan != p || !d.grow(parent, v.height()) {
				return false
			}
			*(*[]byte)(dst) = *(*[]byte)(c.slice())
			d.conts.release(c)
			return true
		case dvTuple:
			items := v.items()
			if len(items) == 0 {
				*(*[]byte)(dst) = []byte{}
				return true
			}
			if !d.grow(parent, v.height()) {
				return false
			}
			s := reflect.MakeSlice(p.t, len(items), len(items))
			base, size := s.UnsafePointer(), p.elem.size
			for i := range items {
				if !d.store(&items[i], p.elem, unsafe.Add(base, uintptr(i)*size), nil, false) {
					return false
				}
			}
			reflect.NewAt(p.t, dst).Elem().Set(s)
			return true
		}
		return false
	case dkArray:
		switch v.kind {
		case dvCont:
			c := v.cont()
			if c.plan != p || c.n != p.n || !d.grow(parent, v.height()) {
				return false
			}
			typedCopy(p, dst, c.ptr)
			d.conts.release(c)
			return true
		case dvTuple:
			items := v.items()
			if len(items) != p.n || !d.grow(parent, v.height()) {
				return false
			}
			for i := range items {
				if !d.store(&items[i], p.elem, unsafe.Add(dst, uintptr(i)*p.elem.size), nil, false) {
					return false
				}
			}
			return true
		}
		return false
	case dkMap:
		if v.kind != dvCont || v.cont().plan != p || !d.grow(parent, v.height()) {
			return false
		}
		*(*unsafe.Pointer)(dst) = *(*unsafe.Pointer)(v.cont().ptr)
		d.conts.release(v.cont())
		return true
	case dkStruct:
		switch {
		case v.kind == dvCont:
			c := v.cont()
			if c.plan != p || !d.grow(parent, v.height()) {
				return false
			}
			if c.inPlace {
				// Built in a list's spare capacity: it may only become
				// the item it was built as, where it already is.
				if dst != c.ptr {
					return false
				}
				d.conts.release(c)
				return true
			}
			typedCopy(p, dst, c.ptr)
			d.conts.release(c)
			return true
		case v.kind == dvTuple && (asKey || p.fields.tuple):
			// A tuple key, or a tuple into a tuple struct, fills the
			// struct field by field.
			items := v.items()
			if len(items) != len(p.fplans) || !d.grow(parent, v.height()) {
				return false
			}
			for i := range items {
				if !d.store(&items[i], p.fplans[i], unsafe.Add(dst, p.offsets[i]), nil, false) {
					return false
				}
			}
			return true
		}
		return false
	}
	return false
}

// height is the nesting height of v: 0 for scalars.
func (v *dval) height() int32 {
	if v.kind == dvCont {
		return v.cont().h
	}
	return v.h
}

// toFloat converts a Python int or float as the general path does: ints
// only when exact.
func (v *dval) toFloat() (float64, bool) {
	switch v.kind {
	case dvFloat:
		return v.float(), true
	case dvInt:
		f := float64(v.n)
		if int64(f) != v.n || f >= 1<<63 {
			return 0, false
		}
		return f, true
	case dvBig:
		f, acc := new(big.Float).SetInt(v.bigInt()).Float64()
		return f, acc == big.Exact
	}
	return 0, false
}

func storeInt(n int64, size uintptr, dst unsafe.Pointer) bool {
	switch size {
	case 8:
		*(*int64)(dst) = n
	case 4:
		if int64(int32(n)) != n {
			return false
		}
		*(*int32)(dst) = int32(n)
	case 2:
		if int64(int16(n)) != n {
			return false
		}
		*(*int16)(dst) = int16(n)
	case 1:
		if int64(int8(n)) != n {
			return false
		}
		*(*int8)(dst) = int8(n)
	default:
		return false
	}
	return true
}

func storeUint(n uint64, size uintptr, dst unsafe.Pointer) bool {
	switch size {
	case 8:
		*(*uint64)(dst) = n
	case 4:
		if uint64(uint32(n)) != n {
			return false
		}
		*(*uint32)(dst) = uint32(n)
	case 2:
		if uint64(uint16(n)) != n {
			return false
		}
		*(*uint16)(dst) = uint16(n)
	case 1:
		if uint64(uint8(n)) != n {
			return false
		}
		*(*uint8)(dst) = uint8(n)
	default:
		return false
	}
	return true
}

// typedCopy copies a value of the plan's type from src to dst, with the
// write barriers the collector needs.
func typedCopy(p *directPlan, dst, src unsafe.Pointer) {
	reflect.NewAt(p.t, dst).Elem().Set(reflect.NewAt(p.t, src).Elem())
}

// grow records that a value of height h went into parent, and reports
// whether nesting stays within the general path's MaxDepth, with room to
// spare (the general path counts pointers as levels too).
func (d *direct) grow(parent *dcont, h int32) bool {
	if parent == nil {
		return int(h) <= d.cfg.maxDepth/2
	}
	if h+1 > parent.h {
		parent.h = h + 1
	}
	return int(parent.h) <= d.cfg.maxDepth/2
}
