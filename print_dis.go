package pickle

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file is a port of CPython 3.11's pickletools.dis. Each opcode's
// argument is read with readArg and shown as repr() of the value
// pickletools' reader makes of it; the stack and memo are emulated from the
// opcode table's stack pictures, as dis does, to indent MARK blocks and to
// check the pickle.

// Disassemble writes a symbolic disassembly of the first pickle in r to w:
// exactly what `python3 -m pickletools FILE` (CPython 3.11) prints for it.
// Each line shows an opcode's offset, code and name, indented four spaces per
// open MARK, and its argument in Python's repr notation; the last line is
// "highest protocol among opcodes = N".
//
// Like pickletools, Disassemble checks the pickle as it goes. An unknown
// opcode, a truncated argument, a stack underflow, a missing MARK, a bad memo
// key, input ending before STOP or a stack left non-empty after STOP stops it
// with an error that wraps ErrMalformed or ErrTruncated (errors.As with
// *DecodeError gives the offset and opcode); by then w has received what
// pickletools prints before it raises. An error reading r is returned in a
// *DecodeError too, and an error writing w as it is.
//
// Disassemble buffers its input, so it may read past the end of the pickle.
func Disassemble(w io.Writer, r io.Reader) error {
	out := bufio.NewWriter(w)
	d := disassembler{src: source{r: r}, out: out, memo: map[string]bool{}, maxProto: -1}
	err := d.run()
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	return err
}

// pyMaxStrDigits is Python's default sys.int_max_str_digits: int() refuses
// longer decimal text and repr() refuses ints with more digits.
const pyMaxStrDigits = 4300

// errIntTooLong is repr() refusing an int of more than pyMaxStrDigits
// digits, which only LONG1/LONG4 can hold.
var errIntTooLong = malformed("integer has more than %d decimal digits, which Python refuses to print", pyMaxStrDigits)

type disassembler struct {
	src      source
	out      *bufio.Writer
	line     []byte
	depth    int             // items on the emulated stack
	marks    []int           // stack indices of the markobjects on it
	markAt   []int64         // offsets of the MARKs not yet closed: pickletools' markstack
	memo     map[string]bool // memo keys stored into, as decimal text
	maxProto int
	raw      []rawSpan // bytes read as no opcodes (dis_raw.go)
}

func (d *disassembler) run() error {
	for {
		pos := d.src.offset()
		if skipped, err := d.skipRaw(pos); err != nil {
			return err
		} else if skipped {
			continue
		}
		code, err := d.src.readByte()
		if err == ErrTruncated {
			err = &kindError{ErrTruncated, "pickle exhausted before seeing STOP"}
		}
		if err != nil {
			return &DecodeError{Offset: pos, Err: err}
		}
		op := opcodes[code]
		if op == nil {
			return &DecodeError{Offset: pos, Err: malformed("opcode %s unknown", appendPyBytesRepr(nil, []byte{code}))}
		}
		if err := d.step(op, pos); err != nil {
			return &DecodeError{Offset: pos, Op: op.name, Err: err}
		}
		if code != opStop {
			continue
		}
		if _, err := fmt.Fprintf(d.out, "highest protocol among opcodes = %d\n", d.maxProto); err != nil {
			return err
		}
		if d.depth > 0 {
			return &DecodeError{Offset: pos, Op: op.name, Err: malformed("stack not empty after STOP: %d items left", d.depth)}
		}
		return nil
	}
}

// step prints one opcode and applies it to the emulated stack and memo,
// following pickletools.dis statement by statement.
func (d *disassembler) step(op *opcode, pos int64) error {
	arg, err := d.readArg(op)
	if err != nil && err != errIntTooLong {
		return err // pickletools' genops raises before dis prints anything
	}
	d.maxProto = max(d.maxProto, op.proto)
	l := fmt.Appendf(d.line[:0], "%5d: ", pos)
	if err == errIntTooLong {
		// repr(arg) raises after the offset is printed; LONG1/LONG4 touch
		// neither marks nor memo, so nothing else happens before it.
		return d.write(l, err)
	}
	prefix := len(l)
	// repr(opcode.code)[1:-1]: printable ASCII as is, the rest as \xhh.
	if op.code < utf8.RuneSelf {
		l = append(l, op.code, ' ', ' ', ' ', ' ')
	} else {
		l = fmt.Appendf(l, `\x%02x `, op.code)
	}
	for range d.markAt {
		l = append(l, "    "...)
	}
	l = append(l, op.name...)

	// Does the opcode pop a MARK? POP does when the stack top is one.
	numToPop := len(op.before)
	below, popsMark := op.consumesMark()
	if op.code == opPop && d.topIsMark() {
		popsMark, below = true, 0
	}
	var markMsg, errMsg string
	if popsMark {
		if n := len(d.markAt); n > 0 {
			markPos := d.markAt[n-1]
			markMsg = fmt.Sprintf("(MARK at %d)", markPos)
			d.markAt = d.markAt[:n-1]
			m := len(d.marks)
			if m == 0 {
				// The markobject itself was popped as an ordinary item
				// (say by TUPLE1); dis's `while stack[-1] is not markobject`
				// empties the stack and fails with an IndexError.
				return d.write(l[:prefix], malformed("the markobject of the MARK at %d is no longer on the stack", markPos))
			}
			d.depth, d.marks = d.marks[m-1], d.marks[:m-1]
			numToPop = below
		} else {
			markMsg = "no MARK exists on stack"
			errMsg = markMsg
		}
	}

	// Check the memo.
	switch op.code {
	case opPut, opBinPut, opLongBinPut, opMemoize:
		key, shown := memoKey(arg), arg
		if op.code == opMemoize {
			key, shown = strconv.Itoa(len(d.memo)), []byte("None")
			markMsg = "(as " + key + ")"
		}
		switch {
		case d.memo[key]:
			errMsg = fmt.Sprintf("memo key %s already defined", shown)
		case d.depth == 0:
			errMsg = "stack is empty -- can't store into memo"
		case d.topIsMark():
			errMsg = "can't store markobject in the memo"
		default:
			d.memo[key] = true
		}
	case opGet, opBinGet, opLongBinGet:
		if !d.memo[memoKey(arg)] {
			errMsg = fmt.Sprintf("memo key %s has never been stored into", arg)
		}
	}

	if arg != nil || markMsg != "" {
		l = append(l, "          "[min(len(op.name), 10):]...)
		if arg != nil {
			l = append(append(l, ' '), arg...)
		}
		if markMsg != "" {
			l = append(append(l, ' '), markMsg...)
		}
	}
	d.line = append(l, '\n') // reused for the next line
	if err := d.write(d.line, nil); err != nil {
		return err
	}
	if errMsg != "" {
		return malformed("%s", errMsg)
	}

	// Emulate the stack effects.
	if d.depth < numToPop {
		return malformed("tries to pop %d items from stack with only %d items", numToPop, d.depth)
	}
	d.depth -= numToPop
	for len(d.marks) > 0 && d.marks[len(d.marks)-1] >= d.depth {
		d.marks = d.marks[:len(d.marks)-1]
	}
	for _, k := range op.after {
		if k == stMark {
			d.marks = append(d.marks, d.depth)
			d.markAt = append(d.markAt, pos)
		}
		d.depth++
	}
	return nil
}

func (d *disassembler) topIsMark() bool {
	return len(d.marks) > 0 && d.marks[len(d.marks)-1] == d.depth-1
}

// write writes b and returns err, or the write error.
func (d *disassembler) write(b []byte, err error) error {
	if _, werr := d.out.Write(b); werr != nil {
		return werr
	}
	return err
}

// memoKey is the memo key that a memo opcode's argument names: the int
// itself, with the bools of INT's "00"/"01" spelling equal to 0 and 1.
func memoKey(arg []byte) string {
	switch string(arg) {
	case "False":
		return "0"
	case "True":
		return "1"
	}
	return string(arg)
}

// readArg reads op's argument and returns repr() of the value pickletools'
// reader makes of it, or nil for an opcode without argument.
func (d *disassembler) readArg(op *opcode) ([]byte, error) {
	switch op.arg {
	case argNone:
		return nil, nil
	case argUint8:
		// FRAME: read_uint8 returns any 64-bit value, where readArg refuses
		// lengths beyond MaxInt64 that no frame can have.
		b, err := d.src.next(8)
		if err != nil {
			return nil, err
		}
		return strconv.AppendUint(nil, binary.LittleEndian.Uint64(b), 10), nil
	case argDecimalShort, argDecimalLong, argFloatLine, argStringLine, argNoEscapeLine:
		line, err := d.readLine()
		if err != nil {
			return nil, err
		}
		return lineArgRepr(op.arg, line)
	case argNoEscapeLinePair:
		var pair [2]string
		for i := range pair {
			line, err := d.readLine()
			if err == nil {
				pair[i], err = pyStringnl(line, false)
			}
			if err != nil {
				return nil, err
			}
		}
		return appendPyStrRepr(nil, pair[0]+" "+pair[1]), nil
	}
	var a argument
	if err := d.src.readArg(op.arg, &a); err != nil {
		return nil, err
	}
	switch op.arg {
	case argUint1, argUint2, argInt4, argUint4:
		return strconv.AppendInt(nil, a.n, 10), nil
	case argFloat8:
		return appendPyFloatRepr(nil, a.f), nil
	case argUnicodeLine, argUnicode1, argUnicode4, argUnicode8:
		return appendPyStrRepr(nil, string(a.b)), nil
	case argBytes1, argBytes4, argBytes8:
		return appendPyBytesRepr(nil, a.b), nil
	case argByteArray8:
		return appendPyByteArrayRepr(nil, a.b), nil
	case argString1, argString4:
		return appendPyStrRepr(nil, latin1String(a.b)), nil
	case argLong1, argLong4:
		return appendPyIntRepr(nil, a.n, a.bi)
	}
	panic("pickle: unhandled argument kind " + op.arg.String())
}

// readLine reads a newline-terminated argument as pickletools' read_stringnl
// does: one raw line, which the caller interprets. (pickletools parses these
// lines with Python's int(), float() and escape_decode, which accept other
// texts than the unpickler's readers, so the interpretation is done here.)
func (d *disassembler) readLine() ([]byte, error) {
	var a argument
	err := d.src.readArg(argNoEscapeLine, &a)
	return a.b, err
}

// lineArgRepr interprets a text-line argument as pickletools' readers do.
func lineArgRepr(kind argKind, line []byte) ([]byte, error) {
	switch kind {
	case argDecimalShort:
		switch string(line) { // read_decimalnl_short's hack for bools
		case "00":
			return []byte("False"), nil
		case "01":
			return []byte("True"), nil
		}
		return pyIntText(line)
	case argDecimalLong:
		return pyIntText(bytes.TrimSuffix(line, []byte("L")))
	case argFloatLine:
		f, ok := pyFloatText(line)
		if !ok {
			return nil, malformed("could not convert string to float: %s", appendPyBytesRepr(nil, line))
		}
		return appendPyFloatRepr(nil, f), nil
	}
	s, err := pyStringnl(line, kind == argStringLine)
	if err != nil {
		return nil, err
	}
	return appendPyStrRepr(nil, s), nil
}

// pyStringnl is the rest of pickletools' read_stringnl: strip the quotes if
// asked, undo the escapes with codecs.escape_decode, and decode as ASCII.
func pyStringnl(line []byte, stripQuotes bool) (string, error) {
	if stripQuotes {
		if len(line) == 0 || (line[0] != '"' && line[0] != '\'') {
			return "", malformed("no string quotes around %s", appendPyBytesRepr(nil, line))
		}
		if line[len(line)-1] != line[0] {
			return "", malformed("string quote %c not found at both ends of %s", line[0], appendPyBytesRepr(nil, line))
		}
		line = line[1:max(1, len(line)-1)] // a lone quote is an empty string
	}
	b, err := decodeStringEscape(line)
	if err != nil {
		return "", err
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return "", malformed("non-ASCII byte %#02x in a text argument (pickletools decodes it as ASCII)", c)
		}
	}
	return string(b), nil
}

// pyIntText returns repr(int(text)) for Python's int() of bytes in base 10.
func pyIntText(text []byte) ([]byte, error) {
	n, bi, err := parseTextInt(text, 10, pyMaxStrDigits)
	if errors.Is(err, ErrLimit) {
		return nil, malformed("integer text has more than %d digits, which Python refuses to convert", pyMaxStrDigits)
	}
	if err != nil {
		return nil, err
	}
	return appendPyIntRepr(nil, n, bi)
}

// appendPyIntRepr appends repr() of the int n, or bi if not nil; like repr,
// it refuses more than pyMaxStrDigits digits.
func appendPyIntRepr(dst []byte, n int64, bi *big.Int) ([]byte, error) {
	if bi == nil {
		return strconv.AppendInt(dst, n, 10), nil
	}
	// 2**14300 has 4305 digits: refuse longer ints without converting them.
	if bi.BitLen() > 14300 {
		return nil, errIntTooLong
	}
	start := len(dst)
	dst = bi.Append(dst, 10)
	digits := len(dst) - start
	if bi.Sign() < 0 {
		digits--
	}
	if digits > pyMaxStrDigits {
		return nil, errIntTooLong
	}
	return dst, nil
}

// pyFloatText parses text as Python's float() of bytes: surrounding ASCII
// whitespace, single underscores between digits, decimal and exponent
// forms, and inf, infinity and nan with a sign in any case; overflow gives
// an infinity.
func pyFloatText(text []byte) (float64, bool) {
	text = trimPySpace(text)
	isDigit := func(c byte) bool { return '0' <= c && c <= '9' }
	clean := make([]byte, 0, len(text))
	for i, c := range text {
		switch {
		case c == '_':
			if i == 0 || i+1 == len(text) || !isDigit(text[i-1]) || !isDigit(text[i+1]) {
				return 0, false
			}
		case isDigit(c) || strings.IndexByte(".eE+-", c) >= 0:
			clean = append(clean, c)
		default:
			switch strings.ToLower(string(text)) {
			case "inf", "+inf", "infinity", "+infinity":
				return math.Inf(1), true
			case "-inf", "-infinity":
				return math.Inf(-1), true
			case "nan", "+nan", "-nan":
				return math.NaN(), true
			}
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(string(clean), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return f, true
}
