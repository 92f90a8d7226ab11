package pickle

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// This file is what the machine offers a loader that reads more than
// opcodes: joblib's unpickler, on BUILD of a NumpyArrayWrapper, reads the
// array's bytes (or a whole nested pickle, for an object array) from the
// file right after the BUILD opcode, and then goes on with opcodes.

// rawBuild makes the value a bare instance becomes on BUILD, from the
// state and the input that follows BUILD.
type rawBuild func(state any, in rawInput) (v any, err error)

// rawInput is the input right after the BUILD being applied.
type rawInput interface {
	// readRaw returns the next n bytes, which the caller may keep (they
	// may share the input's memory, never the decoder's buffer). A length
	// the input cannot back fails with ErrTruncated before anything is
	// allocated for it (a stream grows its buffer as bytes arrive).
	readRaw(n int) ([]byte, error)
	// decodeNested decodes the whole pickle that follows, with the same
	// options, as plain pickle.load would (no raw builds inside it).
	decodeNested() (any, error)
	// sideFile returns the bytes of the file of that base name next to the
	// file being read (ReadFile), with the options' bounds.
	sideFile(name string) (data []byte, cfg *config, err error)
}

// replaceBuilt puts v where target, the object BUILD completed, was: on the
// stack, and in the memo entry CPython puts between NEWOBJ and BUILD.
func (m *machine) replaceBuilt(target, v any) {
	m.stack[len(m.stack)-1] = v
	if last, ok := m.memo.get(m.lastPut); ok && last == target {
		m.memo.put(m.lastPut, v)
	}
}

// leaveFrame ends the current frame, which must be used up: the loaders
// that read past BUILD read the file itself, not a frame (joblib commits
// the frame before it writes an array).
func (m *machine) leaveFrame() error {
	s := m.src
	if !s.inFrame {
		return nil
	}
	if s.pos < s.limit {
		return malformed("data follows BUILD inside a frame, %d bytes before its end", s.limit-s.pos)
	}
	s.inFrame = false
	s.limit = len(s.buf)
	return nil
}

func (m *machine) readRaw(n int) ([]byte, error) {
	if n <= 0 {
		// Python reads nothing from the file, and a frame goes on.
		return []byte{}, nil
	}
	if err := m.leaveFrame(); err != nil {
		return nil, err
	}
	start := m.src.offset()
	b, err := m.src.next(n)
	if err != nil {
		m.noteRawCut(start, "array data", err)
		return nil, err
	}
	m.noteRaw(start, "array data")
	if m.src.r == nil && m.cfg.shareInput {
		// The whole input is in memory, stays as it is, and may be
		// shared (ShareInput; ReadFile's own buffer always may): the
		// array shares it rather than double the memory a large model
		// takes.
		return b, nil
	}
	return bytes.Clone(b), nil
}

func (m *machine) decodeNested() (any, error) {
	if err := m.leaveFrame(); err != nil {
		return nil, err
	}
	sub := getMachine(m.src, m.cfg)
	sub.nested = true
	// The scanner sees the nested pickle's globals and calls as its own.
	sub.obs, sub.cText = m.obs, m.cText
	defer putMachine(sub)
	start := m.src.offset()
	v, err := sub.decode()
	if err == nil {
		m.noteRaw(start, "the object array's own pickle")
	} else {
		m.noteRawCut(start, "the object array's own pickle", err)
	}
	if err == io.EOF {
		return nil, ErrTruncated
	}
	return v, err
}

// rawSpan is bytes a raw build read past BUILD, as no opcodes.
type rawSpan struct {
	start, end int64
	what       string
}

// noteRaw records that the bytes from start up to the source's offset were
// read raw, if the machine is asked to.
func (m *machine) noteRaw(start int64, what string) {
	if m.raw != nil {
		*m.raw = append(*m.raw, rawSpan{start, m.src.offset(), what})
	}
}

// noteRawCut records, when the input ends inside raw bytes, that they run
// from start to its end: the disassembler shows them so, and then that the
// input ended, rather than reading the bytes as opcodes.
func (m *machine) noteRawCut(start int64, what string, err error) {
	if m.raw != nil && (errors.Is(err, ErrTruncated) || errors.Is(err, io.EOF)) {
		*m.raw = append(*m.raw, rawSpan{start, m.src.base + int64(len(m.src.buf)), what})
	}
}

func (m *machine) sideFile(name string) ([]byte, *config, error) {
	if m.cfg.sideDir == "" {
		return nil, nil, &SideFileError{Name: name}
	}
	// joblib writes base names; a path could reach any file.
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) || filepath.IsAbs(name) {
		return nil, nil, malformed("array file name %q is not a plain file name", name)
	}
	data, err := os.ReadFile(filepath.Join(m.cfg.sideDir, name))
	if err != nil {
		return nil, nil, err
	}
	return data, m.cfg, nil
}
