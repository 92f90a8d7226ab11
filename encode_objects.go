package pickle

import (
	"encoding/binary"
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// This file writes the symbolic parts of the value model: globals, reduce
// calls, objects, persistent ids and protocol 5 buffers, each with CPython's
// fallbacks at the protocols that lack an opcode for it.

// saveOther handles the model types saveValue does not.
func (e *encoder) saveOther(v any) error {
	switch x := v.(type) {
	case freshStr:
		return e.saveFreshStr(string(x))
	case *big.Int:
		return e.saveBigInt(x)
	case complex128:
		return e.saveComplex(x)
	case *ByteArray:
		return e.saveByteArray(x)
	case ByteArray:
		// A value, not shared with anything: a copy of it has an address
		// of its own for the memo entry CPython writes.
		return e.saveByteArray(&x)
	case BytesKey:
		return e.saveBytes([]byte(x))
	case *Set:
		return e.saveSet(x)
	case *FrozenSet:
		return e.saveFrozenSet(x)
	case *OrderedDict:
		if e.memoGet(x) {
			return nil
		}
		// OrderedDict.__reduce__: the attributes are the state, if any.
		return e.saveReduceFull(globalOrderedDict, emptyTupleValue, x, nil, x.items, x.Attrs, x.Attrs != nil && x.Attrs.Len() > 0, nil)
	case Global:
		return e.saveGlobal(x)
	case *Object:
		return e.saveObject(x)
	case *PersistentID:
		return e.savePersistentID(x.ID)
	case *PickleBuffer:
		return e.savePickleBuffer(x)
	case int8:
		e.saveInt(int64(x))
	case int16:
		e.saveInt(int64(x))
	case int32:
		e.saveInt(int64(x))
	case uint8:
		e.saveInt(int64(x))
	case uint16:
		e.saveInt(int64(x))
	case uint32:
		e.saveInt(int64(x))
	case uint:
		return e.saveBigInt(new(big.Int).SetUint64(uint64(x)))
	case uint64:
		return e.saveBigInt(new(big.Int).SetUint64(x))
	case float32:
		e.saveFloat(float64(x))
	case complex64:
		return e.saveComplex(complex128(x))
	default:
		return e.saveGo(v)
	}
	return nil
}

// saveReduce writes callable(*args) with REDUCE and memoizes the result under
// key (nil: numbered but never shared).
func (e *encoder) saveReduce(callable any, args Tuple, key any) error {
	return e.saveReduceFull(callable, args, key, nil, nil, nil, false, nil)
}

// saveReduceFull is _pickle.c's save_reduce without NEWOBJ: the call, then
// the memo, the list and dict items, and the state (with BUILD, or given to
// setter if not nil).
func (e *encoder) saveReduceFull(callable any, args Tuple, key any, listItems []any, dictItems []DictItem, state any, hasState bool, setter any) error {
	if err := e.save(callable); err != nil {
		return err
	}
	if err := e.save(args); err != nil {
		return err
	}
	e.writeOp(opReduce)
	return e.finishReduce(key, listItems, dictItems, state, hasState, setter)
}

func (e *encoder) finishReduce(key any, listItems []any, dictItems []DictItem, state any, hasState bool, setter any) error {
	if key != nil {
		if idx, ok := e.memo.lookup(key); ok {
			// Reached through its own arguments: drop the new object
			// and fetch the first one.
			e.writeOp(opPop)
			e.writeGet(idx)
			return nil
		}
	}
	e.memoPut(key)
	if len(listItems) > 0 {
		if err := e.batchList(listItems); err != nil {
			return err
		}
	}
	if len(dictItems) > 0 {
		if err := e.batchDict(dictItems); err != nil {
			return err
		}
	}
	if hasState && setter != nil && key != nil {
		// setter(obj, state), as CPython writes a state_setter at every
		// protocol: obj comes from the memo, TUPLE2 even below protocol 2,
		// and POP drops what the call returns.
		if err := e.save(setter); err != nil {
			return err
		}
		if err := e.save(key); err != nil {
			return err
		}
		if err := e.save(state); err != nil {
			return prependPath(err, ".__setstate__")
		}
		e.writeOp(opTuple2)
		e.writeOp(opReduce)
		e.writeOp(opPop)
	} else if hasState {
		if err := e.save(state); err != nil {
			return prependPath(err, ".__setstate__")
		}
		e.writeOp(opBuild)
	}
	return nil
}

// saveGlobal writes a reference to a module-level object.
func (e *encoder) saveGlobal(g Global) error {
	if e.cfg.numpy2 {
		g = numpy2Global(g)
	}
	if e.memoGet(g) {
		return nil
	}
	if g.Module == "" || g.Name == "" {
		return &EncodeError{Err: fmt.Errorf("invalid global name %q", g.String())}
	}
	if e.proto >= 2 {
		if code, ok := e.cfg.extensionCode(g); ok {
			switch {
			case code <= 0xff:
				e.write(opExt1, byte(code))
			case code <= 0xffff:
				e.write(opExt2, byte(code), byte(code>>8))
			default:
				e.writeOp(opExt4)
				e.buf = binary.LittleEndian.AppendUint32(e.buf, uint32(code))
			}
			return nil
		}
	}
	switch {
	case e.proto >= 4:
		// A module's __name__ and a class's __qualname__ are one object
		// per text in CPython (interned), but the two are two objects
		// even when equal (datetime.datetime).
		if err := e.saveInterned(&e.moduleNames, 1, g.Module); err != nil {
			return err
		}
		if err := e.saveInterned(&e.qualNames, 2, g.Name); err != nil {
			return err
		}
		e.writeOp(opStackGlobal)
	case strings.Contains(g.Name, "."):
		if err := e.saveNestedGlobal(g); err != nil {
			return err
		}
	default:
		if err := e.writeGlobalLines(opGlobal, g); err != nil {
			return err
		}
	}
	e.memoPut(g)
	return nil
}

// writeGlobalLines writes GLOBAL or INST with the module and name as text
// lines: renamed for Python 2 below protocol 3, ASCII below 3, UTF-8 at 3.
func (e *encoder) writeGlobalLines(op byte, g Global) error {
	module, name := g.Module, g.Name
	if strings.Contains(module+name, "\n") {
		return &EncodeError{Err: unsupported("global %q contains a newline and cannot be written below protocol 4", g.String())}
	}
	if e.proto < 3 {
		// Renamed for Python 2 as CPython renames, even where Python 3
		// reads the name back as another global: FileNotFoundError becomes
		// exceptions.OSError, which is builtins.OSError again
		// (_compat_pickle's PYTHON3_OSERROR_EXCEPTIONS). A name the
		// mapping does not rename but Python 3 would read as another (a
		// Python 2 name such as __builtin__.bytearray, which a pickle of
		// protocol 3 or more can hold) is no name CPython writes: refused.
		if m, n := reverseFixImports(module, name); m != module || n != name {
			module, name = m, n
		} else if m, n := fixImports(module, name); m != module || n != name {
			return &EncodeError{Err: unsupported("global %s cannot be written below protocol 3: Python would read it as %s.%s", g, m, n)}
		}
		if !isASCII(module) || !isASCII(name) {
			return &EncodeError{Err: unsupported("can't pickle global identifier %s using pickle protocol %d", g, e.proto)}
		}
	}
	e.write(op)
	e.buf = append(e.buf, module...)
	e.buf = append(e.buf, '\n')
	e.buf = append(e.buf, name...)
	e.buf = append(e.buf, '\n')
	return nil
}

// saveNestedGlobal writes a dotted name below protocol 4, where GLOBAL takes
// only top-level names, as CPython 3.13 does: getattr(getattr(mod.A, 'B'),
// 'C'), with only the result memoized.
func (e *encoder) saveNestedGlobal(g Global) error {
	parts := strings.Split(g.Name, ".")
	if slices.Contains(parts, "") {
		return &EncodeError{Err: unsupported("global %s has an empty name component and cannot be written below protocol 4", g)}
	}
	for range parts[1:] {
		if err := e.save(getattrGlobal); err != nil {
			return err
		}
		if e.proto < 2 {
			e.writeOp(opMark)
		}
	}
	if err := e.writeGlobalLines(opGlobal, Global{g.Module, parts[0]}); err != nil {
		return err
	}
	for _, attr := range parts[1:] {
		if err := e.saveFreshStr(attr); err != nil {
			return err
		}
		if e.proto < 2 {
			e.writeOp(opTuple)
		} else {
			e.writeOp(opTuple2)
		}
		e.writeOp(opReduce)
	}
	return nil
}

// saveObject writes a symbolic object the way it was built, or with CPython's
// fallback where the protocol lacks the opcode.
func (e *encoder) saveObject(o *Object) error {
	if !maybeCallable(o.Class) {
		// What the decoder refuses to call (a zero Object's nil Class,
		// say) is not written either.
		return &EncodeError{Err: fmt.Errorf("an Object's Class must be a Global, an Object or a PersistentID, not %s", typeName(o.Class))}
	}
	return e.saveReduced(o, o)
}

// saveReduced writes o, memoized under key: o itself, or the value o is the
// reduction of (nil for values without identity).
func (e *encoder) saveReduced(o *Object, key any) error {
	if key != nil && e.memoGet(key) {
		return nil
	}
	args := o.Args
	if args == nil {
		args = emptyTupleValue
	}
	switch o.Kind {
	case CallNewObj:
		if e.proto < 2 {
			return e.saveReduceFull(globalNewObj, append(Tuple{o.Class}, args...), key, o.ListItems, o.DictItems, o.State, o.HasState, o.Setter)
		}
		if err := e.save(o.Class); err != nil {
			return err
		}
		if err := e.save(args); err != nil {
			return err
		}
		e.writeOp(opNewObj)
	case CallNewObjEx:
		kwargs := o.Kwargs
		if kwargs == nil {
			kwargs = &Dict{}
		}
		if e.proto < 4 {
			// functools.partial(cls.__new__, cls, *args, **kwargs)(), as
			// CPython writes __newobj_ex__ below protocol 4.
			var newFunc any = &Object{Class: getattrGlobal, Args: Tuple{o.Class, "__new__"}}
			if g, ok := o.Class.(Global); ok {
				newFunc = Global{g.Module, g.Name + ".__new__"}
			}
			partial := &Object{
				Class:    partialGlobal,
				Args:     Tuple{newFunc},
				State:    Tuple{newFunc, append(Tuple{o.Class}, args...), kwargs, nil},
				HasState: true,
			}
			return e.saveReduceFull(partial, emptyTupleValue, key, o.ListItems, o.DictItems, o.State, o.HasState, o.Setter)
		}
		if err := e.save(o.Class); err != nil {
			return err
		}
		if err := e.save(args); err != nil {
			return err
		}
		if err := e.save(kwargs); err != nil {
			return err
		}
		e.writeOp(opNewObjEx)
	case CallInst, CallObj:
		g, isGlobal := o.Class.(Global)
		e.writeOp(opMark)
		if e.proto == 0 && isGlobal && !strings.Contains(g.Name, ".") {
			if err := e.saveItems(args); err != nil {
				return err
			}
			if err := e.writeGlobalLines(opInst, g); err != nil {
				return err
			}
		} else {
			if err := e.save(o.Class); err != nil {
				return err
			}
			if err := e.saveItems(args); err != nil {
				return err
			}
			e.writeOp(opObj)
		}
	default:
		return e.saveReduceFull(o.Class, args, key, o.ListItems, o.DictItems, o.State, o.HasState, o.Setter)
	}
	return e.finishReduce(key, o.ListItems, o.DictItems, o.State, o.HasState, o.Setter)
}

// savePersistentID writes a persistent id: PERSID's text at protocol 0,
// the pickled id and BINPERSID after.
func (e *encoder) savePersistentID(pid any) error {
	if e.proto == 0 {
		// CPython writes str(pid); anything but an ASCII str would come
		// back as a different value.
		s, ok := pid.(string)
		if !ok || !isASCII(s) || strings.Contains(s, "\n") {
			return &EncodeError{Err: unsupported("persistent ids at protocol 0 must be ASCII strings without newlines, not %s", Repr(pid))}
		}
		e.writeOp(opPersID)
		e.buf = append(e.buf, s...)
		e.buf = append(e.buf, '\n')
		return nil
	}
	if err := e.saveValue(pid); err != nil {
		return err
	}
	e.writeOp(opBinPersID)
	return nil
}

// savePickleBuffer writes a protocol 5 buffer, out of band when the buffer
// callback says so.
func (e *encoder) savePickleBuffer(b *PickleBuffer) error {
	if e.proto < 5 {
		return &EncodeError{Err: unsupported("PickleBuffer can only be pickled with protocol >= 5, not %d", e.proto)}
	}
	if e.memoGet(b) {
		return nil
	}
	inBand := true
	if e.cfg.bufferCallback != nil {
		inBand = e.cfg.bufferCallback(b)
	}
	if !inBand {
		e.writeOp(opNextBuffer)
		if b.ReadOnly {
			e.writeOp(opReadOnlyBuffer)
		}
		return nil
	}
	if b.ReadOnly {
		var hdr [9]byte
		h, err := e.bytesHeader(&hdr, uint64(len(b.Data)))
		if err != nil {
			return err
		}
		if err := e.writeLarge(h, b.Data); err != nil {
			return err
		}
	} else if err := e.writeByteArray8(b.Data); err != nil {
		return err
	}
	e.memoPut(b)
	return nil
}

// saveGo writes Go values outside the value model.
func (e *encoder) saveGo(v any) error {
	if o, key, ok, err := reduceValue(v, e.proto, e.cfg.exactTime); ok || err != nil {
		if err != nil {
			return &EncodeError{Err: err}
		}
		return e.saveReduced(o, key)
	}
	return e.saveReflect(v)
}
