package pickle

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/pickle-go/pickle/internal/ptrtable"
)

// This file writes the builtin types of the value model, each as CPython's C
// pickler writes it at each protocol (_pickle.c: save_bool, save_long,
// save_float, save_unicode, save_bytes, save_tuple, save_list, save_dict,
// save_set, save_frozenset, save_bytearray).

// Identity keys for values without a pointer of their own.
type (
	tupleID struct {
		first *any
		n     int
	}
	bytesID struct {
		first *byte
		n     int
	}
	// bytesValue keys empty and one-byte bytes by value: CPython keeps one
	// object for each of them, so they are always shared.
	bytesValue string
)

func (e *encoder) saveBool(b bool) {
	switch {
	case e.proto >= 2 && b:
		e.writeOp(opNewTrue)
	case e.proto >= 2:
		e.writeOp(opNewFalse)
	case b:
		e.writeString("I01\n")
	default:
		e.writeString("I00\n")
	}
}

func (e *encoder) saveInt(v int64) {
	if v >= math.MinInt32 && v <= math.MaxInt32 {
		switch {
		case e.proto == 0:
			e.open()
			e.buf = append(e.buf, opInt)
			e.buf = strconv.AppendInt(e.buf, v, 10)
			e.buf = append(e.buf, '\n')
		case v >= 0 && v <= 0xff:
			e.write(opBinInt1, byte(v))
		case v >= 0 && v <= 0xffff:
			e.write(opBinInt2, byte(v), byte(v>>8))
		default:
			e.write(opBinInt, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
		}
		return
	}
	if e.proto >= 2 {
		// Minimal little-endian two's complement, as encode_long.
		var b [9]byte
		binary.LittleEndian.PutUint64(b[:], uint64(v))
		if v < 0 {
			b[8] = 0xff
		}
		abs := uint64(v)
		if v < 0 {
			abs = -abs
		}
		n := bits.Len64(abs)/8 + 1
		if v < 0 && n > 1 && b[n-1] == 0xff && b[n-2]&0x80 != 0 {
			n--
		}
		e.write(opLong1, byte(n))
		e.buf = append(e.buf, b[:n]...)
		return
	}
	e.open()
	e.buf = append(e.buf, opLong)
	e.buf = strconv.AppendInt(e.buf, v, 10)
	e.buf = append(e.buf, 'L', '\n')
}

func (e *encoder) saveBigInt(x *big.Int) error {
	if x.IsInt64() {
		e.saveInt(x.Int64())
		return nil
	}
	if e.proto >= 2 {
		b := encodeLong(x)
		if len(b) > math.MaxInt32 {
			return &EncodeError{Err: fmt.Errorf("int too large to pickle")}
		}
		if len(b) < 256 {
			e.write(opLong1, byte(len(b)))
		} else {
			e.open()
			e.buf = append(e.buf, opLong4)
			e.buf = binary.LittleEndian.AppendUint32(e.buf, uint32(len(b)))
		}
		e.buf = append(e.buf, b...)
		return nil
	}
	digits := x.String()
	if n := len(digits) - boolToInt(x.Sign() < 0); n > DefaultMaxIntDigits {
		// Python refuses to read (and to write) such text since
		// CVE-2020-10735.
		return &EncodeError{Err: unsupported("int of %d decimal digits exceeds Python's limit of %d for protocol %d; use protocol 2 or higher", n, DefaultMaxIntDigits, e.proto)}
	}
	e.open()
	e.buf = append(e.buf, opLong)
	e.buf = append(e.buf, digits...)
	e.buf = append(e.buf, 'L', '\n')
	return nil
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// encodeLong returns x as minimal little-endian two's complement, as
// pickle.encode_long.
func encodeLong(x *big.Int) []byte {
	n := x.BitLen()/8 + 1
	var mag *big.Int
	if x.Sign() >= 0 {
		mag = x
	} else {
		mag = new(big.Int).Lsh(big.NewInt(1), uint(8*n))
		mag.Add(mag, x)
	}
	be := mag.FillBytes(make([]byte, n))
	b := make([]byte, n)
	for i, c := range be {
		b[n-1-i] = c
	}
	if x.Sign() < 0 && n > 1 && b[n-1] == 0xff && b[n-2]&0x80 != 0 {
		b = b[:n-1]
	}
	return b
}

func (e *encoder) saveFloat(f float64) {
	if e.proto >= 1 {
		e.writeOp(opBinFloat)
		e.buf = binary.BigEndian.AppendUint64(e.buf, math.Float64bits(f))
		return
	}
	e.open()
	e.buf = append(e.buf, opFloat)
	e.buf = appendPyFloatRepr(e.buf, f)
	e.buf = append(e.buf, '\n')
}

// saveStr writes a str. Strings are memoized by identity, as CPython
// memoizes str objects: a Go string is the same object as another when it
// is the same bytes in memory (decoding gives one Python str referenced
// twice as such a string), and equal strings made apart are written apart.
// The empty string and one-character Latin-1 strings are one object each in
// CPython, and here.
func (e *encoder) saveStr(s string) error {
	return e.saveStrAs(strIdentity(s, 0), s)
}

// saveInterned writes a str that CPython keeps one object of per text, in
// a namespace of names (ns, not 0): a global's module or qualified name.
func (e *encoder) saveInterned(names *map[string]strKey, ns uint8, s string) error {
	if *names == nil {
		*names = map[string]strKey{}
	}
	key, ok := (*names)[s]
	if !ok {
		// The identity is a copy's, not s's: s may be the very bytes of a
		// str of the data or of the other namespace (a decoded pickle
		// shares them), which strMemo keeps one entry per address of, so
		// the name would be written anew at each use here but referred
		// back to once decoded and encoded again.
		key = strIdentity(strings.Clone(s), ns)
		(*names)[s] = key
	}
	return e.saveStrAs(key, s)
}

func (e *encoder) saveStrAs(key strKey, s string) error {
	// One probe finds the string or enters it under the index it is about
	// to get. (An error ends the pickle, so an entry for a string that
	// fails to write is never used.)
	if idx, ok := e.strMemo.getOrPut(key, e.memoLen); ok {
		e.writeGet(idx)
		return nil
	}
	if len(s) <= 0xff && e.proto >= 4 && validUTF8(s) {
		e.writeShortStrMemoized(s)
		return nil
	}
	if err := e.writeStr(s); err != nil {
		return err
	}
	e.memoPut(nil)
	return nil
}

// strKey is a string's identity: where its bytes are and how many, or, for
// the strings CPython keeps one of, 1 + its code point in n and p nil; ns
// tells data (0) from the names of globals (saveInterned).
type strKey struct {
	p  unsafe.Pointer
	n  int
	ns uint8
}

func strIdentity(s string, ns uint8) strKey {
	switch {
	case len(s) == 0:
		return strKey{ns: ns}
	case len(s) == 1 && s[0] < utf8.RuneSelf:
		return strKey{n: 1 + int(s[0]), ns: ns}
	case len(s) == 2 && s[0] >= 0xc2 && s[0] <= 0xc3 && s[1]&0xc0 == 0x80:
		return strKey{n: 1 + int(rune(s[0]&0x1f)<<6|rune(s[1]&0x3f)), ns: ns}
	}
	return strKey{p: unsafe.Pointer(unsafe.StringData(s)), n: len(s), ns: ns}
}

// strMemo maps string identities to memo indices: by where their bytes
// are, which a map keyed by a pointer finds fastest. Two strings at one
// address but of different lengths or namespaces (a string and its
// prefix) keep the first; the second is written anew each time, which is
// only less sharing.
type strMemo struct {
	byPtr ptrtable.Table // memo index << 32 | length << 2 | ns; Dense
	small map[strKey]int // the empty and one-character strings
}

// newStrMemo returns an empty strMemo: its table Dense, for strings
// packed as close as the decoder's arena packs them.
func newStrMemo() strMemo { return strMemo{byPtr: ptrtable.Table{Dense: true}} }

func packStrEntry(idx int, k strKey) (uint64, bool) {
	if idx > math.MaxUint32 || k.n >= 1<<30 {
		return 0, false
	}
	return uint64(idx)<<32 | uint64(k.n)<<2 | uint64(k.ns), true
}

func (m *strMemo) get(k strKey) (int, bool) {
	if k.p == nil {
		idx, ok := m.small[k]
		return idx, ok
	}
	en, ok := m.byPtr.Get(k.p)
	if !ok || uint32(en) != uint32(k.n)<<2|uint32(k.ns) {
		return 0, false
	}
	return int(en >> 32), true
}

// getOrPut returns the index of k, or, when k has none, gives it idx (if
// it can: see strMemo) and reports false.
func (m *strMemo) getOrPut(k strKey, idx int) (int, bool) {
	if k.p == nil {
		if old, ok := m.small[k]; ok {
			return old, true
		}
		m.put(k, idx)
		return 0, false
	}
	en, ok := packStrEntry(idx, k)
	if !ok {
		return m.get(k)
	}
	old, found := m.byPtr.GetOrAdd(k.p, en)
	if !found || uint32(old) != uint32(k.n)<<2|uint32(k.ns) {
		return 0, false
	}
	return int(old >> 32), true
}

func (m *strMemo) put(k strKey, idx int) {
	if k.p == nil {
		if m.small == nil {
			m.small = map[strKey]int{}
		}
		m.small[k] = idx
		return
	}
	en, ok := packStrEntry(idx, k)
	if !ok {
		return
	}
	m.byPtr.Add(k.p, en)
}

func (m *strMemo) len() int { return m.byPtr.Len() + len(m.small) }

func (m *strMemo) clear() {
	m.byPtr.Clear()
	clear(m.small)
}

// writeShortStrMemoized writes SHORT_BINUNICODE, s and MEMOIZE (protocol 4
// and up, s of at most 255 valid bytes) into the output with one check of
// its room, and numbers s in the memo: what writeStr and memoPut(nil)
// write, for the commonest strings.
func (e *encoder) writeShortStrMemoized(s string) {
	e.open()
	n := len(e.buf)
	if cap(e.buf)-n < len(s)+3 {
		e.buf = slices.Grow(e.buf, len(s)+3)
	}
	b := e.buf[n : n+len(s)+3]
	b[0], b[1] = opShortBinUnicode, byte(len(s))
	copy(b[2:], s)
	b[len(b)-1] = opMemoize
	e.buf = e.buf[:n+len(b)]
	e.memoLen++
}

// saveFreshStr writes a str that CPython creates anew while pickling (such as
// the text of bytes at protocols 0 to 2): numbered in the memo, never shared.
func (e *encoder) saveFreshStr(s string) error {
	if err := e.writeStr(s); err != nil {
		return err
	}
	e.memoPut(nil)
	return nil
}

func (e *encoder) writeStr(s string) error {
	if !isSurrogatepassUTF8Str(s) {
		return &EncodeError{Err: fmt.Errorf("string %q is not valid UTF-8", truncateForError(s))}
	}
	if e.proto == 0 {
		e.open()
		e.buf = append(e.buf, opUnicode)
		e.buf = appendRawUnicodeEscape(e.buf, s)
		e.buf = append(e.buf, '\n')
		return nil
	}
	var hdr [9]byte
	var h []byte
	switch n := uint64(len(s)); {
	case n <= 0xff && e.proto >= 4:
		hdr[0], hdr[1] = opShortBinUnicode, byte(n)
		h = hdr[:2]
	case n <= 0xffffffff:
		hdr[0] = opBinUnicode
		binary.LittleEndian.PutUint32(hdr[1:], uint32(n))
		h = hdr[:5]
	case e.proto >= 4:
		hdr[0] = opBinUnicode8
		binary.LittleEndian.PutUint64(hdr[1:], n)
		h = hdr[:9]
	default:
		return &EncodeError{Err: unsupported("serializing a string larger than 4 GiB requires pickle protocol 4 or higher")}
	}
	return e.writeLargeString(h, s)
}

// writeLargeString is writeLarge for a string payload, without copying it to
// a []byte first.
func (e *encoder) writeLargeString(header []byte, s string) error {
	if len(s) < frameSizeTarget || e.w != nil {
		if len(s) >= frameSizeTarget {
			return e.writeLarge(header, []byte(s))
		}
		e.write(header...)
		e.buf = append(e.buf, s...)
		return nil
	}
	e.commitFrame()
	e.buf = append(e.buf, header...)
	e.buf = append(e.buf, s...)
	return nil
}

func isSurrogatepassUTF8Str(s string) bool {
	return validUTF8(s) || isSurrogatepassUTF8([]byte(s))
}

func truncateForError(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

func bytesMemoKey(b []byte) any {
	if len(b) <= 1 {
		return bytesValue(b)
	}
	return bytesID{&b[0], len(b)}
}

func (e *encoder) saveBytes(b []byte) error {
	key := bytesMemoKey(b)
	if e.memoGet(key) {
		return nil
	}
	if e.proto < 3 {
		// No bytes opcode before protocol 3: CPython writes
		// _codecs.encode(text, 'latin1'), which Python 2 loads as str.
		if len(b) == 0 {
			return e.saveReduce(globalBytes, emptyTupleValue, key)
		}
		return e.saveReduce(globalCodecsEncode, Tuple{freshStr(latin1String(b)), "latin1"}, key)
	}
	var hdr [9]byte
	h, err := e.bytesHeader(&hdr, uint64(len(b)))
	if err != nil {
		return err
	}
	if err := e.writeLarge(h, b); err != nil {
		return err
	}
	e.memoPut(key)
	return nil
}

// bytesHeader returns the opcode and length for a bytes payload of n bytes.
func (e *encoder) bytesHeader(hdr *[9]byte, n uint64) ([]byte, error) {
	switch {
	case n <= 0xff:
		hdr[0], hdr[1] = opShortBinBytes, byte(n)
		return hdr[:2], nil
	case n <= 0xffffffff:
		hdr[0] = opBinBytes
		binary.LittleEndian.PutUint32(hdr[1:], uint32(n))
		return hdr[:5], nil
	case e.proto >= 4:
		hdr[0] = opBinBytes8
		binary.LittleEndian.PutUint64(hdr[1:], n)
		return hdr[:9], nil
	}
	return nil, &EncodeError{Err: unsupported("serializing a bytes object larger than 4 GiB requires pickle protocol 4 or higher")}
}

// freshStr marks a string CPython creates while pickling; see saveFreshStr.
type freshStr string

var emptyTupleValue = Tuple{}

func (e *encoder) saveByteArray(ba *ByteArray) error {
	if e.memoGet(ba) {
		return nil
	}
	if e.proto < 5 {
		if len(*ba) == 0 {
			return e.saveReduce(globalByteArray, emptyTupleValue, ba)
		}
		return e.saveReduce(globalByteArray, Tuple{append([]byte(nil), *ba...)}, ba)
	}
	if err := e.writeByteArray8(*ba); err != nil {
		return err
	}
	e.memoPut(ba)
	return nil
}

func (e *encoder) writeByteArray8(b []byte) error {
	var hdr [9]byte
	hdr[0] = opByteArray8
	binary.LittleEndian.PutUint64(hdr[1:], uint64(len(b)))
	return e.writeLarge(hdr[:], b)
}

func (e *encoder) saveTuple(t Tuple) error {
	n := len(t)
	if n == 0 {
		if e.proto >= 1 {
			e.writeOp(opEmptyTuple)
		} else {
			e.write(opMark, opTuple)
		}
		return nil
	}
	key := tupleID{&t[0], n}
	if idx, ok := e.memo.lookupTuple(key); ok {
		e.writeGet(idx)
		return nil
	}
	if n <= 3 && e.proto >= 2 {
		if err := e.saveItems(t); err != nil {
			return err
		}
		if idx, ok := e.memo.lookupTuple(key); ok {
			// The tuple was reached through its own items: drop what
			// was pushed and fetch it from the memo.
			for range n {
				e.writeOp(opPop)
			}
			e.writeGet(idx)
			return nil
		}
		e.writeOp(opTuple1 + byte(n-1))
		e.memoPutTuple(key)
		return nil
	}
	e.writeOp(opMark)
	if err := e.saveItems(t); err != nil {
		return err
	}
	if idx, ok := e.memo.lookupTuple(key); ok {
		if e.proto >= 1 {
			e.writeOp(opPopMark)
		} else {
			for range n + 1 {
				e.writeOp(opPop)
			}
		}
		e.writeGet(idx)
		return nil
	}
	e.writeOp(opTuple)
	e.memoPutTuple(key)
	return nil
}

func (e *encoder) saveItems(items []any) error {
	for i, it := range items {
		if err := e.save(it); err != nil {
			return atIndex(err, i)
		}
	}
	return nil
}

func (e *encoder) saveList(l *List) error {
	// One probe finds the list or enters it under the index it is about
	// to get (memoPut(nil) below).
	if idx, ok := e.memo.lists.GetOrAdd(unsafe.Pointer(l), uint64(e.memoLen)); ok {
		e.writeGet(int(idx))
		return nil
	}
	if e.proto >= 1 {
		e.writeOp(opEmptyList)
	} else {
		e.write(opMark, opList)
	}
	e.memoPut(nil)
	items := *l
	if e.proto == 0 {
		return e.batchList(items) // no BINFLOAT, so no float runs
	}
	// Floats are written in runs where no hook needs to see them.
	floatRuns := !e.cfg.noQuickPaths && e.cfg.persistentID == nil && e.depth+1 <= e.cfg.maxDepth
	for b := e.batches(len(items), batchExactList); b.more(); b = b.next() {
		if b.marked() {
			e.writeOp(opMark)
		}
		end := b.end
		for i := b.start; i < end; i++ {
			// The type is asked here, not by a call per item, which cost
			// lists without floats (shared) 9% of their time.
			if _, isFloat := items[i].(float64); isFloat && floatRuns {
				n, err := e.saveFloatRun(items[i:end])
				if err != nil {
					return err
				}
				if i += n; i == end {
					break
				}
			}
			if done, err := e.saveQuickItem(items[i]); done {
				if err != nil {
					return atIndex(err, i)
				}
				continue
			}
			if err := e.save(items[i]); err != nil {
				return atIndex(err, i)
			}
		}
		e.writeOp(b.closer(opAppend, opAppends))
	}
	return nil
}

// batchList writes list items added by a reduce (or a protocol 0 list), as
// _pickle.c's batch_list: a trailing batch of one item is a plain APPEND.
func (e *encoder) batchList(items []any) error {
	for b := e.batches(len(items), batchIterated); b.more(); b = b.next() {
		if b.marked() {
			e.writeOp(opMark)
		}
		for i := b.start; i < b.end; i++ {
			if err := e.save(items[i]); err != nil {
				return atIndex(err, i)
			}
		}
		e.writeOp(b.closer(opAppend, opAppends))
	}
	return nil
}

func (e *encoder) saveDict(d *Dict) error {
	// As saveList: entered under the index openDict gives it.
	if idx, ok := e.memo.dicts.GetOrAdd(unsafe.Pointer(d), uint64(e.memoLen)); ok {
		e.writeGet(int(idx))
		return nil
	}
	return e.saveDictKeyed(d, nil, false)
}

// saveDictKeyed writes a dict memoized under key. fieldNames says its keys are
// struct fields, for error paths.
func (e *encoder) saveDictKeyed(d *Dict, key any, fieldNames bool) error {
	e.openDict(key)
	items := d.items
	saveItem := e.saveItem
	if fieldNames {
		saveItem = e.saveField
	}
	for b := e.batches(len(items), batchExactDict); b.more(); b = b.next() {
		if b.marked() {
			e.writeOp(opMark)
		}
		for i := b.start; i < b.end; i++ {
			if err := saveItem(items[i]); err != nil {
				return err
			}
		}
		e.writeOp(b.closer(opSetItem, opSetItems))
	}
	return nil
}

// openDict writes an empty dict, memoized under key: items follow.
func (e *encoder) openDict(key any) { e.openEmpty(opEmptyDict, opDict, key) }

// openEmpty writes an empty container, memoized under key: its empty
// opcode from protocol 1, MARK and its building opcode at 0.
func (e *encoder) openEmpty(empty, build byte, key any) {
	if e.proto >= 1 {
		e.writeOp(empty)
	} else {
		e.write(opMark, build)
	}
	e.memoPut(key)
}

// saveField writes a struct field as a dict item; errors name the field.
func (e *encoder) saveField(it DictItem) error {
	if err := e.saveStr(it.Key.(string)); err != nil {
		return err
	}
	if err := e.save(it.Value); err != nil {
		return prependPath(err, "."+it.Key.(string))
	}
	return nil
}

func (e *encoder) saveItem(it DictItem) error {
	if done, err := e.saveQuickItem(it.Key); !done {
		err = e.save(it.Key)
		if err != nil {
			return atKey(err, it.Key)
		}
	} else if err != nil {
		return atKey(err, it.Key)
	}
	done, err := e.saveQuickItem(it.Value)
	if !done {
		err = e.save(it.Value)
	}
	if err != nil {
		return atKey(err, it.Key)
	}
	return nil
}

// saveQuickItem writes v, as save would, if it is of one of the commonest
// types (int64, float64, str, tuple, list, dict) and no hook needs to see
// it, going straight to its writer; it reports whether it did.
func (e *encoder) saveQuickItem(v any) (bool, error) {
	if e.cfg.noQuickPaths || e.cfg.persistentID != nil || e.depth >= e.cfg.maxDepth {
		return false, nil
	}
	if e.gets.n > 0 {
		if idx, ok := e.gets.get(&v); ok {
			if err := e.opcodeBoundary(); err != nil {
				return true, err
			}
			e.writeGet(idx)
			return true, nil
		}
	}
	memoLen := e.memoLen
	e.lastGet = -1
	var err error
	switch x := v.(type) {
	case int64:
		if err = e.opcodeBoundary(); err == nil {
			e.saveInt(x)
		}
	case float64:
		if err = e.opcodeBoundary(); err == nil {
			e.saveFloat(x)
		}
	case string:
		if err = e.opcodeBoundary(); err == nil {
			err = e.saveStr(x)
		}
	case Tuple:
		if x == nil {
			return false, nil // None, by save
		}
		if err = e.opcodeBoundary(); err == nil {
			e.depth++
			err = e.saveTuple(x)
			e.depth--
		}
	case *List:
		if x == nil {
			return false, nil // None, by save
		}
		if err = e.opcodeBoundary(); err == nil {
			e.depth++
			err = e.saveList(x)
			e.depth--
		}
	case *Dict:
		if x == nil {
			return false, nil // None, by save
		}
		if err = e.opcodeBoundary(); err == nil {
			e.depth++
			err = e.saveDict(x)
			e.depth--
		}
	default:
		return false, nil
	}
	if e.lastGet >= 0 && e.memoLen == memoLen && err == nil {
		// Written as a GET (nothing new was numbered): the next time v
		// comes, it is one probe.
		e.gets.put(&v, e.lastGet)
	}
	return true, err
}

// batchDict writes dict items added by a reduce, as _pickle.c's batch_dict:
// a trailing batch of one pair is a plain SETITEM.
func (e *encoder) batchDict(items []DictItem) error {
	for b := e.batches(len(items), batchIterated); b.more(); b = b.next() {
		if b.marked() {
			e.writeOp(opMark)
		}
		for i := b.start; i < b.end; i++ {
			if err := e.saveItem(items[i]); err != nil {
				return err
			}
		}
		e.writeOp(b.closer(opSetItem, opSetItems))
	}
	return nil
}

func (e *encoder) saveSet(s *Set) error {
	if e.memoGet(s) {
		return nil
	}
	return e.saveSetItems(s.items, s)
}

// saveSetItems writes a set of items, memoized under key.
func (e *encoder) saveSetItems(items []any, key any) error {
	if e.proto < 4 {
		list := List(append([]any(nil), items...))
		return e.saveReduce(globalSet, Tuple{&list}, key)
	}
	e.writeOp(opEmptySet)
	e.memoPut(key)
	for b := e.batches(len(items), batchSet); b.more(); b = b.next() {
		e.writeOp(opMark) // batchSet marks every batch
		if err := e.saveItems(items[b.start:b.end]); err != nil {
			return err
		}
		e.writeOp(opAddItems)
	}
	return nil
}

func (e *encoder) saveFrozenSet(f *FrozenSet) error {
	if e.memoGet(f) {
		return nil
	}
	if e.proto < 4 {
		items := List(append([]any(nil), f.s.items...))
		return e.saveReduce(globalFrozenSet, Tuple{&items}, f)
	}
	e.writeOp(opMark)
	if err := e.saveItems(f.s.items); err != nil {
		return err
	}
	if idx, ok := e.memo.lookup(f); ok {
		e.writeOp(opPopMark)
		e.writeGet(idx)
		return nil
	}
	e.writeOp(opFrozenSet)
	e.memoPut(f)
	return nil
}

func (e *encoder) saveComplex(c complex128) error {
	// copyreg's dispatch table reduces complex to complex(real, imag).
	return e.saveReduce(globalComplex, Tuple{real(c), imag(c)}, nil)
}

// atIndex and atKey add a path element to an encoding error.
func atIndex(err error, i int) error {
	return prependPath(err, "["+strconv.Itoa(i)+"]")
}

func atKey(err error, key any) error {
	if s, ok := key.(string); ok {
		return prependPath(err, "["+strconv.Quote(s)+"]")
	}
	return prependPath(err, "["+Repr(key)+"]")
}

func prependPath(err error, elem string) error {
	if ee, ok := err.(*EncodeError); ok {
		return &EncodeError{Path: elem + ee.Path, Err: ee.Err}
	}
	return err
}
