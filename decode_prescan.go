package pickle

import (
	"bytes"
	"encoding/binary"
)

// A list or dict the pickler writes in batches (MARK items APPENDS, MARK
// keys and values SETITEMS, 1000 items at a time) grows batch by batch, and
// a large one built by doubling is copied, and allocated, about twice over.
// When the whole pickle is in memory, the decoder can instead look ahead
// once: batchesAhead walks the opcodes that follow, with the stack heights
// the opcode table gives, and counts the items of the batches to come, so
// that the list or dict is allocated once at its final size. The walk reads no values and stops at anything unexpected;
// its count is only a capacity, so a wrong one costs a reallocation, never
// a wrong value.

// stackEffect is an opcode's effect on the height of the stack.
type stackEffect struct {
	valid  bool
	toMark bool // pops everything above the topmost mark, and the mark
	below  int  // toMark: the items below the mark it pops too
	delta  int  // otherwise: the change in height
	pushes int  // toMark: the items it pushes afterwards
}

var stackEffects = func() (e [256]stackEffect) {
	for i := range opcodeList {
		op := &opcodeList[i]
		below, toMark := op.consumesMark()
		e[op.code] = stackEffect{valid: true, toMark: toMark, below: below,
			delta: len(op.after) - len(op.before), pushes: len(op.after)}
	}
	return e
}()

// quickStep is, for the commonest opcodes inside batches (pushes of
// scalars and memo references, memo stores, frames), their size and
// effect, so that batchesAhead steps over them without a branch on their
// kind: size counts the opcode and a fixed-size argument; len1 is 0xff
// when a one-byte length follows the opcode, and its bytes with it.
type quickStep struct {
	size  uint8
	len1  uint8
	delta int8
}

var quickSteps = func() (q [256]quickStep) {
	for i := range opcodeList {
		op := &opcodeList[i]
		eff := &stackEffects[op.code]
		if eff.toMark || eff.delta < 0 || op.code == opMark || op.code == opStop {
			continue
		}
		switch op.arg {
		case argNone, argUint1, argUint2, argInt4, argUint4, argUint8, argFloat8:
			n, _ := argSize(op.arg, make([]byte, 8))
			q[op.code] = quickStep{size: uint8(1 + n), delta: int8(eff.delta)}
		case argUnicode1, argBytes1, argString1, argLong1:
			q[op.code] = quickStep{size: 2, len1: 0xff, delta: int8(eff.delta)}
		}
	}
	return q
}()

// argSize returns the size of an argument of the given kind at the start of
// b, or false when b does not hold all of it.
func argSize(kind argKind, b []byte) (int, bool) {
	var n uint64
	switch kind {
	case argNone:
		return 0, true
	case argUint1:
		n = 1
	case argUint2:
		n = 2
	case argInt4, argUint4:
		n = 4
	case argUint8, argFloat8:
		n = 8
	case argDecimalShort, argDecimalLong, argFloatLine, argStringLine, argNoEscapeLine, argUnicodeLine:
		i := bytes.IndexByte(b, '\n')
		return i + 1, i >= 0
	case argNoEscapeLinePair:
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return 0, false
		}
		j := bytes.IndexByte(b[i+1:], '\n')
		return i + j + 2, j >= 0
	case argUnicode1, argBytes1, argString1, argLong1:
		if len(b) < 1 {
			return 0, false
		}
		n = 1 + uint64(b[0])
	case argUnicode4, argBytes4, argString4, argLong4:
		if len(b) < 4 {
			return 0, false
		}
		n = 4 + uint64(binary.LittleEndian.Uint32(b)) // a negative int4 is too long for b
	case argUnicode8, argBytes8, argByteArray8:
		if len(b) < 8 {
			return 0, false
		}
		n = binary.LittleEndian.Uint64(b)
		if n > uint64(len(b)) {
			return 0, false
		}
		n += 8
	default:
		return 0, false
	}
	if n > uint64(len(b)) {
		return 0, false
	}
	return int(n), true
}

// prescanBytesPerItem bounds the walk: batches whose items take more bytes
// than this each (records, say) cost more to walk than the copies the walk
// saves, and it gives up on them.
const prescanBytesPerItem = 48

// batchesAhead counts the stack items that the batches at the start of b
// add to the list or dict on top of the stack: runs of MARK ... closer
// (APPENDS or SETITEMS), each at its height, with FRAMEs between; a dict's
// items are keys and values. It stops at the first opcode of anything else
// at that height, and at anything it cannot walk (an invalid opcode, a
// truncated argument, a pop below the list, STOP); it returns the items
// counted in whole batches (0 when no batch follows), and the bytes
// walked. Once it has walked more than prescanBytesPerItem bytes per item
// counted and 4 KiB more, it gives up and returns -1 items.
func batchesAhead(b []byte, closer byte) (items, walked int) {
	var marksBuf [16]int
	marks := marksBuf[:0] // the height at each open MARK
	height := 0           // items above the list or dict
	pos := 0
	for pos < len(b) {
		if pos > prescanBytesPerItem*(items+height)+4096 {
			return -1, pos // not worth it: the caller grows the list as usual
		}
		code := b[pos]
		if q := quickSteps[code]; q.size != 0 && len(marks) > 0 && pos+1 < len(b) {
			pos += int(q.size) + int(q.len1&b[pos+1])
			height += int(q.delta)
			continue
		}
		if len(marks) == 0 && code != opMark && code != opFrame {
			break // the batches are over
		}
		op, eff := opcodes[code], &stackEffects[code]
		if op == nil || code == opStop {
			break
		}
		n, ok := argSize(op.arg, b[pos+1:])
		if !ok {
			break
		}
		pos += 1 + n
		switch {
		case code == opMark:
			marks = append(marks, height)
		case eff.toMark:
			if len(marks) == 0 {
				return items, pos
			}
			at := marks[len(marks)-1]
			marks = marks[:len(marks)-1]
			if len(marks) == 0 {
				// Back at the list or dict: a batch for it, or the walk
				// is over.
				if code != closer || at != 0 {
					return items, pos
				}
				items += height
				height = 0
				continue
			}
			height = at - eff.below + eff.pushes
		default:
			height += eff.delta
		}
		if len(marks) > 0 && height < marks[len(marks)-1] || height < 0 {
			break // pops below its mark, or the list or dict: not a batch
		}
	}
	return items, min(pos, len(b))
}
