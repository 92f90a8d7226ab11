package pickle

import (
	"bytes"
	"io"
	"math"
)

// source is the decoder's input: a whole []byte, or a buffered io.Reader. It
// enforces frame boundaries the way Python's own unpickler does (PEP 3154: no
// read may straddle the end of a frame, and a frame must be fully present), and
// it never trusts a declared length: on a []byte it checks the length against
// what is left, and on a stream it grows its buffer only as data arrives.
type source struct {
	buf  []byte    // buffered input; all of it for a []byte source
	pos  int       // next unread byte in buf
	base int64     // stream offset of buf[0]
	r    io.Reader // nil for a []byte source
	rerr error     // sticky read error from r

	// limit is the end of what may be read now: the end of the current
	// frame, or len(buf) outside frames.
	limit   int
	inFrame bool

	// framing is how FRAME is read: the decoder's strict rules, or those of
	// one of CPython's unpicklers, which the scanner follows too.
	framing framing
	// frameEnd is the stream offset where the furthest frame read in this
	// pickle ends: where a reader that reads whole frames goes on.
	frameEnd int64
	// dropped counts the bytes dropFrame skipped, for the scanner's trace.
	dropped int64
}

// framing is a way of reading FRAME.
type framing uint8

const (
	// framingDecoder: frames are enforced (no read straddles the end of
	// one, no FRAME before the last is used up), a frame must be wholly
	// present, and a frame may not run past STOP: CPython never writes
	// one, and its readers disagree where the next pickle then starts.
	framingDecoder framing = iota
	// framingCStrict: the C unpickler from 3.13.15 and 3.14.7 on
	// (CPython gh-154848): frames enforced and wholly present.
	framingCStrict
	// framingPython: the pure-Python unpickler (pickle._Unpickler) up to
	// 3.13: frames enforced, but a frame longer than the rest of the
	// input is taken to be the rest of the input.
	framingPython
	// framingLenient: the C unpickler before 3.13.15 and 3.14.7 reading
	// bytes (pickle.loads) or a file with peek: the n bytes of a frame
	// must be present, and frame boundaries are then ignored.
	framingLenient
	// framingNoPeek: the same unpickler reading a stream without peek
	// (io.BytesIO): its buffer holds the frame, and a read that runs past
	// the frame's end drops the rest of the frame and reads afresh from
	// the stream after it; a FRAME that the buffer holds changes nothing.
	framingNoPeek
)

func newBytesSource(data []byte) *source {
	return &source{buf: data, limit: len(data)}
}

// offset is the stream offset of the next unread byte.
func (s *source) offset() int64 { return s.base + int64(s.pos) }

// minReadChunk is the first buffer a stream gets; it doubles as data
// arrives, so a short stream that declares a huge length costs little.
const minReadChunk = 512

// more reads at least one more byte into buf. It fails with io.EOF (or the
// reader's error) when none arrives.
func (s *source) more() error {
	if s.r == nil {
		return io.EOF
	}
	if s.rerr != nil {
		return s.rerr
	}
	if s.pos > 0 && !s.inFrame {
		// Drop consumed bytes; nothing keeps them.
		n := copy(s.buf, s.buf[s.pos:])
		s.base += int64(s.pos)
		s.buf = s.buf[:n]
		s.pos = 0
		s.limit = n // (a peek may read more before all is consumed)
	}
	if len(s.buf) == cap(s.buf) {
		// Double only a full buffer: whatever length the input declares, the
		// buffer stays within twice the data that really arrived.
		nb := make([]byte, len(s.buf), max(2*cap(s.buf), minReadChunk))
		copy(nb, s.buf)
		s.buf = nb
	}
	for {
		n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
		s.buf = s.buf[:len(s.buf)+n]
		if err != nil {
			s.rerr = err
		}
		if n > 0 {
			if !s.inFrame {
				s.limit = len(s.buf)
			}
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// ensure makes n bytes readable at pos, leaving a frame that is exactly used
// up. It returns ErrTruncated at the end of input, and a malformed error for
// a read that would straddle the end of a frame.
func (s *source) ensure(n int) error {
	for s.limit-s.pos < n {
		if s.inFrame {
			if s.pos < s.limit && !s.dropFrame() {
				return malformed("pickle exhausted before end of frame")
			}
			s.inFrame = false
			s.limit = len(s.buf)
			continue
		}
		if err := s.more(); err != nil {
			return readErr(err)
		}
	}
	return nil
}

func readErr(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return ErrTruncated
	}
	return err
}

// atEOF reports whether no byte is left, reading if needed.
func (s *source) atEOF() bool {
	for s.pos >= s.limit {
		if s.inFrame {
			s.inFrame = false
			s.limit = len(s.buf)
			continue
		}
		if s.more() != nil {
			return true
		}
	}
	return false
}

// peek returns the next n bytes, or fewer at the end of the input or of the
// current frame, reading if needed, without consuming them. The slice
// aliases the buffer: it is valid until the next read.
func (s *source) peek(n int) []byte {
	if s.atEOF() {
		return nil
	}
	for s.limit-s.pos < n && !s.inFrame && s.more() == nil {
	}
	return s.buf[s.pos:min(s.pos+n, s.limit)]
}

// readByte returns the next byte.
func (s *source) readByte() (byte, error) {
	if s.pos < s.limit {
		b := s.buf[s.pos]
		s.pos++
		return b, nil
	}
	if err := s.ensure(1); err != nil {
		return 0, err
	}
	b := s.buf[s.pos]
	s.pos++
	return b, nil
}

// next returns the next n bytes. The slice aliases the buffer: it is valid
// until the next read.
func (s *source) next(n int) ([]byte, error) {
	if n <= s.limit-s.pos {
		b := s.buf[s.pos : s.pos+n : s.pos+n]
		s.pos += n
		return b, nil
	}
	if err := s.ensure(n); err != nil {
		return nil, err
	}
	b := s.buf[s.pos : s.pos+n : s.pos+n]
	s.pos += n
	return b, nil
}

// nextLength returns the next n bytes for a length the input declared.
// Unlike next, n may be any uint64; a length the input cannot back fails
// without allocating for it.
func (s *source) nextLength(n uint64) ([]byte, error) {
	if n > math.MaxInt {
		if s.r == nil {
			return nil, ErrTruncated
		}
		return nil, malformed("length %d exceeds the maximum size", n)
	}
	return s.next(int(n))
}

// readLine returns the bytes up to the next '\n', without it. The slice
// aliases the buffer.
func (s *source) readLine() ([]byte, error) {
	for {
		if i := bytes.IndexByte(s.buf[s.pos:s.limit], '\n'); i >= 0 {
			line := s.buf[s.pos : s.pos+i : s.pos+i]
			s.pos += i + 1
			return line, nil
		}
		if s.inFrame {
			if s.pos < s.limit && !s.dropFrame() {
				return nil, malformed("pickle exhausted before end of frame")
			}
			s.inFrame = false
			s.limit = len(s.buf)
			continue
		}
		if err := s.more(); err != nil {
			if s.framing == framingPython && err == io.EOF {
				// The pure-Python unpickler takes a last line without
				// '\n', dropping its last byte as if it were one, and
				// then reads empty lines: GLOBAL imports the module it
				// has read before it fails.
				line := s.buf[s.pos:max(s.pos, len(s.buf)-1)]
				s.pos = len(s.buf)
				return line[:len(line):len(line)], nil
			}
			return nil, readErr(err)
		}
	}
}

// startFrame begins a frame of n bytes at pos. The whole frame must be present
// (a stream reads it now), and the previous frame must be used up.
func (s *source) startFrame(n uint64) error {
	if s.framing == framingNoPeek && s.inFrame {
		if n <= uint64(s.limit-s.pos) {
			return nil // in the buffer already: C rewinds and reads on
		}
		s.dropFrame()
	}
	if s.inFrame && s.pos < s.limit {
		return malformed("beginning of a new frame before end of current frame")
	}
	if n > math.MaxInt64 {
		return malformed("FRAME length %d exceeds the maximum size", n)
	}
	if s.framing == framingPython && s.r == nil && n > uint64(len(s.buf)-s.pos) {
		n = uint64(len(s.buf) - s.pos) // _Unframer reads what is there
	}
	if s.framing == framingLenient {
		if n > math.MaxInt {
			return ErrTruncated
		}
		if err := s.ensure(int(n)); err != nil {
			return err
		}
		s.frameEnd = max(s.frameEnd, s.offset()+int64(n))
		return nil
	}
	s.inFrame = false
	s.limit = len(s.buf)
	if n > math.MaxInt {
		return ErrTruncated
	}
	if err := s.ensure(int(n)); err != nil {
		return err
	}
	s.inFrame = true
	s.limit = s.pos + int(n)
	return nil
}

// endPickle is called after STOP. A frame that runs past STOP is refused
// under framingDecoder: CPython's readers then disagree where the next pickle
// starts (right after STOP, or where the frame ends, which is where the
// pure-Python reader and the C reader without peek go on). Otherwise
// frameEnd is left saying where the frame ends, and reading goes on after
// STOP.
func (s *source) endPickle() error {
	if s.inFrame {
		end := s.base + int64(s.limit)
		if s.pos < s.limit && s.framing == framingDecoder {
			return malformed("frame runs %d bytes past STOP", s.limit-s.pos)
		}
		s.frameEnd = max(s.frameEnd, end)
		s.inFrame = false
		s.limit = len(s.buf)
	}
	return nil
}

// dropFrame skips the rest of the frame for a read that runs past its end,
// as the C unpickler without peek does (framingNoPeek), and reports whether
// it did.
func (s *source) dropFrame() bool {
	if s.framing != framingNoPeek {
		return false
	}
	s.dropped += int64(s.limit - s.pos)
	s.pos = s.limit
	return true
}
