package pickle

import (
	"errors"
	"fmt"
	"io"
)

// Sentinel errors. Every error the decoder returns wraps one of them, so that
// errors.Is tells what went wrong; errors.As with *DecodeError tells where.
var (
	// ErrMalformed: the input is not a pickle Python could load.
	ErrMalformed = errors.New("malformed pickle")
	// ErrTruncated: the input ends inside a pickle. It also matches
	// io.ErrUnexpectedEOF.
	ErrTruncated = fmt.Errorf("pickle data was truncated: %w", io.ErrUnexpectedEOF)
	// ErrForbiddenGlobal: the pickle references a global that the allowlist
	// does not admit. errors.As with *GlobalError gives its name.
	ErrForbiddenGlobal = errors.New("forbidden global")
	// ErrLimit: decoding or encoding would exceed a limit. Every error that
	// matches it is a *LimitError: errors.As tells which limit, and how far.
	ErrLimit = errors.New("limit exceeded")
	// ErrUnsupported: the pickle is valid but asks for something this package
	// cannot represent without more configuration (a persistent id without a
	// PersistentLoad hook, an unregistered extension code, out-of-band buffers
	// without the Buffers option), or a value cannot be written at the
	// protocol asked for (a PickleBuffer below protocol 5).
	ErrUnsupported = errors.New("unsupported pickle feature")
)

// DecodeError reports where decoding failed: the byte offset of the opcode
// being executed and its name.
type DecodeError struct {
	Offset int64  // offset of the opcode's first byte in the stream
	Op     string // opcode name, or "" before any opcode was read
	Err    error  // what went wrong; wraps one of the sentinels
}

func (e *DecodeError) Error() string {
	if e.Op == "" {
		return fmt.Sprintf("pickle: at offset %d: %v", e.Offset, e.Err)
	}
	return fmt.Sprintf("pickle: %s at offset %d: %v", e.Op, e.Offset, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// GlobalError reports a global the allowlist refused.
type GlobalError struct {
	Module, Name string
}

func (e *GlobalError) Error() string {
	return fmt.Sprintf("global %s.%s is not allowed (see AllowGlobals)", e.Module, e.Name)
}

func (e *GlobalError) Unwrap() error { return ErrForbiddenGlobal }

// NotPlainError reports a call of an allowed global that is not plain data:
// _codecs.encode with a codec other than latin1, or a constructor asked to
// allocate more than MaxPlainAlloc. It wraps ErrForbiddenGlobal.
type NotPlainError struct {
	Global Global
	Reason string
}

func (e *NotPlainError) Error() string {
	return fmt.Sprintf("call of %s is not allowed: %s", e.Global, e.Reason)
}

func (e *NotPlainError) Unwrap() error { return ErrForbiddenGlobal }

// LimitError reports which limit was exceeded, and by how much. Every error
// that matches ErrLimit is one.
type LimitError struct {
	Limit   string // the option that sets it, e.g. "MaxDepth", or what a fixed limit bounds
	Value   int64  // the limit in force
	Reached int64  // the size reached when decoding or encoding stopped
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%s limit of %d exceeded: reached %d", e.Limit, e.Value, e.Reached)
}

func (e *LimitError) Unwrap() error { return ErrLimit }

// SideFileError reports an array that joblib before 0.10 kept in a file of
// its own beside the pickle (NDArrayWrapper, ZNDArrayWrapper), read from
// bytes that came with no directory: ReadFile, given the pickle's path,
// reads such files. It wraps ErrUnsupported.
type SideFileError struct {
	Name string // the array file's base name, as the pickle gives it
}

func (e *SideFileError) Error() string {
	return fmt.Sprintf("the array is in the file %q next to this one: read it with ReadFile, which knows the directory", e.Name)
}

func (e *SideFileError) Unwrap() error { return ErrUnsupported }

// kindError is a message that wraps a sentinel without repeating its text.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

func malformed(format string, args ...any) error {
	return &kindError{ErrMalformed, fmt.Sprintf(format, args...)}
}

func unsupported(format string, args ...any) error {
	return &kindError{ErrUnsupported, fmt.Sprintf(format, args...)}
}
