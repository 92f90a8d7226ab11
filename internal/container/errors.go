package container

import (
	"fmt"
	"io"
)

// Error says which container failed and where: In is how many bytes of the
// container the failing reader had taken when it failed (decompressors read
// ahead, so the fault is at or before it), Out how many it had produced.
type Error struct {
	Path string // e.g. "gzip data" or "zip member data.pkl > gzip data"
	In   int64  // -1 when not known
	Out  int64
	Err  error
}

func (e *Error) Error() string {
	if e.In < 0 {
		return fmt.Sprintf("pickle: %s: %v", e.Path, e.Err)
	}
	return fmt.Sprintf("pickle: %s, after %d bytes in and %d out: %v", e.Path, e.In, e.Out, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// counter counts the bytes read through it, and keeps the last two.
type counter struct {
	r    io.Reader
	n    int64
	tail [2]byte
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	for _, b := range p[max(0, n-2):n] {
		c.tail[0], c.tail[1] = c.tail[1], b
	}
	return n, err
}

// bounded is a decompressor's output: it fails once more than max bytes
// come out, and wraps the decompressor's errors in an *Error, so that a
// corrupt or cut stream is not taken for the end of a pickle.
type bounded struct {
	r    io.Reader
	in   *counter
	path string
	max  int64 // <= 0: no bound
	out  int64
	// onLimit makes the error for exceeding max, given max and the bytes
	// produced by then.
	onLimit func(max, reached int64) error
	// trailer is what the compressed input must end with, for a
	// decompressor that may take a cut stream for a whole one.
	trailer string
	err     error
}

func (b *bounded) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.max > 0 && int64(len(p)) > b.max-b.out+1 {
		p = p[:b.max-b.out+1] // one byte past the bound is enough to know
	}
	n, err := b.r.Read(p)
	b.out += int64(n)
	if b.max > 0 && b.out > b.max {
		b.err = b.fail(b.limitErr())
		return 0, b.err
	}
	if err == io.EOF && b.trailer != "" && (b.in.n < 2 || string(b.in.tail[:]) != b.trailer) {
		err = fmt.Errorf("ends without its footer: %w", io.ErrUnexpectedEOF)
	}
	if err != nil && err != io.EOF {
		b.err = b.fail(err)
		return n, b.err
	}
	return n, err
}

func (b *bounded) limitErr() error {
	if b.onLimit != nil {
		return b.onLimit(b.max, b.out)
	}
	return fmt.Errorf("more than %d bytes decompressed", b.max)
}

func (b *bounded) fail(err error) error {
	return &Error{Path: b.path, In: b.in.n, Out: b.out, Err: err}
}
