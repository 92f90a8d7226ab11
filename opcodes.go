package pickle

// This file is the one place that knows every pickle opcode: its byte, its
// name, how its argument is encoded, the protocol that introduced it and its
// effect on the stack. The decoder, the disassembler and the encoder read it;
// the rows follow Python's pickletools.opcodes.

// argKind says how an opcode's inline argument is encoded in the stream.
type argKind uint8

const (
	argNone             argKind = iota
	argUint1                    // one unsigned byte
	argUint2                    // little-endian uint16
	argInt4                     // little-endian int32
	argUint4                    // little-endian uint32
	argUint8                    // little-endian uint64
	argDecimalShort             // decimal text line; "00"/"01" are False/True for INT
	argDecimalLong              // decimal text line with an optional trailing 'L'
	argFloatLine                // float literal text line
	argFloat8                   // big-endian IEEE 754 binary64
	argStringLine               // quoted, backslash-escaped byte string line
	argNoEscapeLine             // raw text line (persistent id)
	argNoEscapeLinePair         // two raw text lines: module and name
	argUnicodeLine              // raw-unicode-escape text line
	argUnicode1                 // uint8 length + UTF-8
	argUnicode4                 // uint32 length + UTF-8
	argUnicode8                 // uint64 length + UTF-8
	argBytes1                   // uint8 length + bytes
	argBytes4                   // uint32 length + bytes
	argBytes8                   // uint64 length + bytes
	argByteArray8               // uint64 length + bytes
	argString1                  // uint8 length + Python 2 str
	argString4                  // int32 length + Python 2 str
	argLong1                    // uint8 length + little-endian two's complement
	argLong4                    // int32 length + little-endian two's complement
)

// argKindNames are pickletools' names for the argument descriptors.
var argKindNames = [...]string{
	argNone:             "",
	argUint1:            "uint1",
	argUint2:            "uint2",
	argInt4:             "int4",
	argUint4:            "uint4",
	argUint8:            "uint8",
	argDecimalShort:     "decimalnl_short",
	argDecimalLong:      "decimalnl_long",
	argFloatLine:        "floatnl",
	argFloat8:           "float8",
	argStringLine:       "stringnl",
	argNoEscapeLine:     "stringnl_noescape",
	argNoEscapeLinePair: "stringnl_noescape_pair",
	argUnicodeLine:      "unicodestringnl",
	argUnicode1:         "unicodestring1",
	argUnicode4:         "unicodestring4",
	argUnicode8:         "unicodestring8",
	argBytes1:           "bytes1",
	argBytes4:           "bytes4",
	argBytes8:           "bytes8",
	argByteArray8:       "bytearray8",
	argString1:          "string1",
	argString4:          "string4",
	argLong1:            "long1",
	argLong4:            "long4",
}

func (k argKind) String() string { return argKindNames[k] }

// stackKind names one slot of an opcode's stack picture, as pickletools'
// StackObject does.
type stackKind uint8

const (
	stAny stackKind = iota
	stMark
	stSlice // everything above the topmost mark
	stInt
	stIntOrBool
	stBool
	stFloat
	stNone
	stStr
	stBytes
	stBytesOrStr
	stByteArray
	stTuple
	stList
	stDict
	stSet
	stFrozenSet
	stBuffer
)

// The opcode bytes, named as in CPython's pickle.py.
const (
	opMark            byte = '('
	opEmptyTuple      byte = ')'
	opStop            byte = '.'
	opPop             byte = '0'
	opPopMark         byte = '1'
	opDup             byte = '2'
	opBinBytes        byte = 'B'
	opShortBinBytes   byte = 'C'
	opFloat           byte = 'F'
	opBinFloat        byte = 'G'
	opInt             byte = 'I'
	opBinInt          byte = 'J'
	opBinInt1         byte = 'K'
	opLong            byte = 'L'
	opBinInt2         byte = 'M'
	opNone            byte = 'N'
	opPersID          byte = 'P'
	opBinPersID       byte = 'Q'
	opReduce          byte = 'R'
	opString          byte = 'S'
	opBinString       byte = 'T'
	opShortBinString  byte = 'U'
	opUnicode         byte = 'V'
	opBinUnicode      byte = 'X'
	opEmptyList       byte = ']'
	opAppend          byte = 'a'
	opBuild           byte = 'b'
	opGlobal          byte = 'c'
	opDict            byte = 'd'
	opAppends         byte = 'e'
	opGet             byte = 'g'
	opBinGet          byte = 'h'
	opInst            byte = 'i'
	opLongBinGet      byte = 'j'
	opList            byte = 'l'
	opObj             byte = 'o'
	opPut             byte = 'p'
	opBinPut          byte = 'q'
	opLongBinPut      byte = 'r'
	opSetItem         byte = 's'
	opTuple           byte = 't'
	opSetItems        byte = 'u'
	opEmptyDict       byte = '}'
	opProto           byte = 0x80
	opNewObj          byte = 0x81
	opExt1            byte = 0x82
	opExt2            byte = 0x83
	opExt4            byte = 0x84
	opTuple1          byte = 0x85
	opTuple2          byte = 0x86
	opTuple3          byte = 0x87
	opNewTrue         byte = 0x88
	opNewFalse        byte = 0x89
	opLong1           byte = 0x8a
	opLong4           byte = 0x8b
	opShortBinUnicode byte = 0x8c
	opBinUnicode8     byte = 0x8d
	opBinBytes8       byte = 0x8e
	opEmptySet        byte = 0x8f
	opAddItems        byte = 0x90
	opFrozenSet       byte = 0x91
	opNewObjEx        byte = 0x92
	opStackGlobal     byte = 0x93
	opMemoize         byte = 0x94
	opFrame           byte = 0x95
	opByteArray8      byte = 0x96
	opNextBuffer      byte = 0x97
	opReadOnlyBuffer  byte = 0x98
)

// opcode describes one opcode.
type opcode struct {
	code   byte
	name   string
	arg    argKind
	proto  int
	before []stackKind // stack picture consumed, bottom first
	after  []stackKind // stack picture produced, bottom first
	doc    string      // first line of pickletools' description
}

func sk(kinds ...stackKind) []stackKind { return kinds }

// opcodeList lists all 68 opcodes, sorted by byte.
var opcodeList = []opcode{
	{opMark, "MARK", argNone, 0, nil, sk(stMark), "Push markobject onto the stack."},
	{opEmptyTuple, "EMPTY_TUPLE", argNone, 1, nil, sk(stTuple), "Push an empty tuple."},
	{opStop, "STOP", argNone, 0, sk(stAny), nil, "Stop the unpickling machine."},
	{opPop, "POP", argNone, 0, sk(stAny), nil, "Discard the top stack item, shrinking the stack by one item."},
	{opPopMark, "POP_MARK", argNone, 1, sk(stMark, stSlice), nil, "Pop all the stack objects at and above the topmost markobject."},
	{opDup, "DUP", argNone, 0, sk(stAny), sk(stAny, stAny), "Push the top stack item onto the stack again, duplicating it."},
	{opBinBytes, "BINBYTES", argBytes4, 3, nil, sk(stBytes), "Push a Python bytes object."},
	{opShortBinBytes, "SHORT_BINBYTES", argBytes1, 3, nil, sk(stBytes), "Push a Python bytes object."},
	{opFloat, "FLOAT", argFloatLine, 0, nil, sk(stFloat), "Newline-terminated decimal float literal."},
	{opBinFloat, "BINFLOAT", argFloat8, 1, nil, sk(stFloat), "Float stored in binary form, with 8 bytes of data."},
	{opInt, "INT", argDecimalShort, 0, nil, sk(stIntOrBool), "Push an integer or bool."},
	{opBinInt, "BININT", argInt4, 1, nil, sk(stInt), "Push a four-byte signed integer."},
	{opBinInt1, "BININT1", argUint1, 1, nil, sk(stInt), "Push a one-byte unsigned integer."},
	{opLong, "LONG", argDecimalLong, 0, nil, sk(stInt), "Push a long integer."},
	{opBinInt2, "BININT2", argUint2, 1, nil, sk(stInt), "Push a two-byte unsigned integer."},
	{opNone, "NONE", argNone, 0, nil, sk(stNone), "Push None on the stack."},
	{opPersID, "PERSID", argNoEscapeLine, 0, nil, sk(stAny), "Push an object identified by a persistent ID."},
	{opBinPersID, "BINPERSID", argNone, 1, sk(stAny), sk(stAny), "Push an object identified by a persistent ID."},
	{opReduce, "REDUCE", argNone, 0, sk(stAny, stAny), sk(stAny), "Push an object built from a callable and an argument tuple."},
	{opString, "STRING", argStringLine, 0, nil, sk(stBytesOrStr), "Push a Python string object."},
	{opBinString, "BINSTRING", argString4, 1, nil, sk(stBytesOrStr), "Push a Python string object."},
	{opShortBinString, "SHORT_BINSTRING", argString1, 1, nil, sk(stBytesOrStr), "Push a Python string object."},
	{opUnicode, "UNICODE", argUnicodeLine, 0, nil, sk(stStr), "Push a Python Unicode string object."},
	{opBinUnicode, "BINUNICODE", argUnicode4, 1, nil, sk(stStr), "Push a Python Unicode string object."},
	{opEmptyList, "EMPTY_LIST", argNone, 1, nil, sk(stList), "Push an empty list."},
	{opAppend, "APPEND", argNone, 0, sk(stList, stAny), sk(stList), "Append an object to a list."},
	{opBuild, "BUILD", argNone, 0, sk(stAny, stAny), sk(stAny), "Finish building an object, via __setstate__ or dict update."},
	{opGlobal, "GLOBAL", argNoEscapeLinePair, 0, nil, sk(stAny), "Push a global object (module.attr) on the stack."},
	{opDict, "DICT", argNone, 0, sk(stMark, stSlice), sk(stDict), "Build a dict out of the topmost stack slice, after markobject."},
	{opAppends, "APPENDS", argNone, 1, sk(stList, stMark, stSlice), sk(stList), "Extend a list by a slice of stack objects."},
	{opGet, "GET", argDecimalShort, 0, nil, sk(stAny), "Read an object from the memo and push it on the stack."},
	{opBinGet, "BINGET", argUint1, 1, nil, sk(stAny), "Read an object from the memo and push it on the stack."},
	{opInst, "INST", argNoEscapeLinePair, 0, sk(stMark, stSlice), sk(stAny), "Build a class instance."},
	{opLongBinGet, "LONG_BINGET", argUint4, 1, nil, sk(stAny), "Read an object from the memo and push it on the stack."},
	{opList, "LIST", argNone, 0, sk(stMark, stSlice), sk(stList), "Build a list out of the topmost stack slice, after markobject."},
	{opObj, "OBJ", argNone, 1, sk(stMark, stAny, stSlice), sk(stAny), "Build a class instance."},
	{opPut, "PUT", argDecimalShort, 0, nil, nil, "Store the stack top into the memo.  The stack is not popped."},
	{opBinPut, "BINPUT", argUint1, 1, nil, nil, "Store the stack top into the memo.  The stack is not popped."},
	{opLongBinPut, "LONG_BINPUT", argUint4, 1, nil, nil, "Store the stack top into the memo.  The stack is not popped."},
	{opSetItem, "SETITEM", argNone, 0, sk(stDict, stAny, stAny), sk(stDict), "Add a key+value pair to an existing dict."},
	{opTuple, "TUPLE", argNone, 0, sk(stMark, stSlice), sk(stTuple), "Build a tuple out of the topmost stack slice, after markobject."},
	{opSetItems, "SETITEMS", argNone, 1, sk(stDict, stMark, stSlice), sk(stDict), "Add an arbitrary number of key+value pairs to an existing dict."},
	{opEmptyDict, "EMPTY_DICT", argNone, 1, nil, sk(stDict), "Push an empty dict."},
	{opProto, "PROTO", argUint1, 2, nil, nil, "Protocol version indicator."},
	{opNewObj, "NEWOBJ", argNone, 2, sk(stAny, stAny), sk(stAny), "Build an object instance."},
	{opExt1, "EXT1", argUint1, 2, nil, sk(stAny), "Extension code."},
	{opExt2, "EXT2", argUint2, 2, nil, sk(stAny), "Extension code."},
	{opExt4, "EXT4", argInt4, 2, nil, sk(stAny), "Extension code."},
	{opTuple1, "TUPLE1", argNone, 2, sk(stAny), sk(stTuple), "Build a one-tuple out of the topmost item on the stack."},
	{opTuple2, "TUPLE2", argNone, 2, sk(stAny, stAny), sk(stTuple), "Build a two-tuple out of the top two items on the stack."},
	{opTuple3, "TUPLE3", argNone, 2, sk(stAny, stAny, stAny), sk(stTuple), "Build a three-tuple out of the top three items on the stack."},
	{opNewTrue, "NEWTRUE", argNone, 2, nil, sk(stBool), "Push True onto the stack."},
	{opNewFalse, "NEWFALSE", argNone, 2, nil, sk(stBool), "Push False onto the stack."},
	{opLong1, "LONG1", argLong1, 2, nil, sk(stInt), "Long integer using one-byte length."},
	{opLong4, "LONG4", argLong4, 2, nil, sk(stInt), "Long integer using found-byte length."},
	{opShortBinUnicode, "SHORT_BINUNICODE", argUnicode1, 4, nil, sk(stStr), "Push a Python Unicode string object."},
	{opBinUnicode8, "BINUNICODE8", argUnicode8, 4, nil, sk(stStr), "Push a Python Unicode string object."},
	{opBinBytes8, "BINBYTES8", argBytes8, 4, nil, sk(stBytes), "Push a Python bytes object."},
	{opEmptySet, "EMPTY_SET", argNone, 4, nil, sk(stSet), "Push an empty set."},
	{opAddItems, "ADDITEMS", argNone, 4, sk(stSet, stMark, stSlice), sk(stSet), "Add an arbitrary number of items to an existing set."},
	{opFrozenSet, "FROZENSET", argNone, 4, sk(stMark, stSlice), sk(stFrozenSet), "Build a frozenset out of the topmost slice, after markobject."},
	{opNewObjEx, "NEWOBJ_EX", argNone, 4, sk(stAny, stAny, stAny), sk(stAny), "Build an object instance."},
	{opStackGlobal, "STACK_GLOBAL", argNone, 4, sk(stStr, stStr), sk(stAny), "Push a global object (module.attr) on the stack."},
	{opMemoize, "MEMOIZE", argNone, 4, sk(stAny), sk(stAny), "Store the stack top into the memo.  The stack is not popped."},
	{opFrame, "FRAME", argUint8, 4, nil, nil, "Indicate the beginning of a new frame."},
	{opByteArray8, "BYTEARRAY8", argByteArray8, 5, nil, sk(stByteArray), "Push a Python bytearray object."},
	{opNextBuffer, "NEXT_BUFFER", argNone, 5, nil, sk(stBuffer), "Push an out-of-band buffer object."},
	{opReadOnlyBuffer, "READONLY_BUFFER", argNone, 5, sk(stBuffer), sk(stBuffer), "Make an out-of-band buffer object read-only."},
}

// opcodes indexes opcodeList by byte; a nil entry is an invalid opcode.
var opcodes [256]*opcode

func init() {
	for i := range opcodeList {
		op := &opcodeList[i]
		if opcodes[op.code] != nil {
			panic("pickle: duplicate opcode " + op.name)
		}
		opcodes[op.code] = op
	}
}

// consumesMark reports whether the opcode pops everything down to the topmost
// mark, and how many items below the mark it pops too.
func (op *opcode) consumesMark() (below int, ok bool) {
	for i, k := range op.before {
		if k == stMark {
			return i, true
		}
	}
	return 0, false
}

// opName names an opcode byte for error messages.
func opName(code byte) string {
	if op := opcodes[code]; op != nil {
		return op.name
	}
	return "invalid opcode"
}
