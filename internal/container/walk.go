package container

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Options bound and steer a walk.
type Options struct {
	// MaxSize bounds the bytes each decompressor may produce; <= 0 means
	// no bound.
	MaxSize int64
	// OnLimit makes the error for a decompressor that went past MaxSize,
	// given MaxSize and the bytes it had produced by then.
	OnLimit func(max, reached int64) error
	// Member picks the archive member to read, by its name; "" takes the
	// only pickle member.
	Member string
	// AllMembers hands out every member of an archive, pickle or not
	// (Stream.Pickle tells), for a scanner that looks at everything.
	AllMembers bool
}

// maxDepth bounds how deep containers nest (a gzip in a tar in a zip ...):
// real files nest two deep, a crafted one could nest without end.
const maxDepth = 8

// A Stream is one pickle stream found in a file (or, with AllMembers, one
// member of an archive).
type Stream struct {
	// Path names the containers around the stream, outermost first:
	// "" for the file itself, "gzip data", "zip member a.pkl > bz2 data".
	Path string
	// Member is the innermost archive member's name, "" outside archives.
	Member string
	Kind   Kind   // what its first bytes are: Pickle, Unknown, Empty or Npy
	Head   []byte // its first bytes (up to 512), for Describe
	// Pickle reports whether the stream is taken for a pickle: by its
	// first bytes, or an archive member by a name ending .pkl or .pickle.
	Pickle bool
	R      io.Reader
}

// Each calls fn for every pickle stream in the file r of the given size, in
// order: the file itself, or what its compressors and archives hold. An
// archive without a pickle member is an error. fn must read the stream
// before it returns.
func Each(r io.ReaderAt, size int64, o Options, fn func(Stream) error) error {
	w := walker{o: o, fn: fn}
	// A small file gets a small buffer: most pickles are far below 64 KiB.
	buf := int(max(sniffLen, min(size, 64<<10)))
	return w.walk(nil, bufio.NewReaderSize(io.NewSectionReader(r, 0, size), buf), r, size, 0)
}

// One returns the bytes of the one pickle stream in the file: an archive
// with several pickle members is an error naming them, unless o.Member
// picks one.
func One(r io.ReaderAt, size int64, o Options) (Stream, []byte, error) {
	o.AllMembers = false
	var got Stream
	var data []byte
	var names []string
	err := Each(r, size, o, func(s Stream) error {
		names = append(names, s.Path)
		if len(names) > 1 {
			return nil // only the names are wanted now
		}
		b, err := io.ReadAll(s.R)
		got, data = s, b
		return err
	})
	if err != nil {
		return got, nil, err
	}
	if len(names) > 1 {
		return got, nil, fmt.Errorf("pickle: %d pickle members (%s): pick one with the ContainerMember option", len(names), strings.Join(names, ", "))
	}
	got.R = bytes.NewReader(data)
	return got, data, nil
}

type walker struct {
	o  Options
	fn func(Stream) error
}

func join(path []string, step string) []string {
	return append(path[:len(path):len(path)], step)
}

// walk looks at the bytes br will read (ra and size give random access to
// the same bytes when there is any, for zip) and hands out the streams in
// them.
func (w *walker) walk(path []string, br *bufio.Reader, ra io.ReaderAt, size int64, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("pickle: %s: containers nested more than %d deep", strings.Join(path, " > "), maxDepth)
	}
	head, err := br.Peek(sniffLen)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return err
	}
	kind, c := Sniff(head)
	switch kind {
	case Compressed:
		return w.decompress(path, br, c, depth)
	case Zip:
		if ra == nil {
			// A zip inside a compressor: zip wants random access, so
			// it is read whole (the compressor's bound holds).
			data, err := io.ReadAll(br)
			if err != nil {
				return err
			}
			ra, size = bytes.NewReader(data), int64(len(data))
		}
		return w.zip(path, ra, size, depth)
	case Tar:
		return w.tar(path, br, depth)
	}
	p := strings.Join(path, " > ")
	return w.fn(Stream{Path: p, Kind: kind, Head: head, Pickle: kind == Pickle, R: br})
}

func (w *walker) decompress(path []string, br *bufio.Reader, c *compressor, depth int) error {
	path = join(path, c.name+" data")
	in := &counter{r: br}
	rc, err := c.open(in, w.o.MaxSize)
	if err != nil {
		return &Error{Path: strings.Join(path, " > "), In: in.n, Err: err}
	}
	defer rc.Close()
	b := &bounded{r: rc, in: in, path: strings.Join(path, " > "), max: w.o.MaxSize, onLimit: w.o.OnLimit, trailer: c.trailer}
	return w.walk(path, bufio.NewReaderSize(b, 64<<10), nil, -1, depth+1)
}

// member hands out one archive member, read through m, if it is wanted:
// the one Options.Member names; else one named *.pkl or *.pickle, or, when
// byBytes (no member of the archive has such a name, as in pandas' zips of
// a file named without .pkl), one whose first bytes are a pickle's or a
// container's. With AllMembers the others are handed out too, unread
// further, with Pickle false.
func (w *walker) member(path []string, name string, m io.Reader, byBytes bool, depth int) error {
	br := bufio.NewReaderSize(m, 64<<10)
	head, err := br.Peek(sniffLen)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return err // memberErrors named the member
	}
	kind, _ := Sniff(head)
	wanted := w.o.Member == name
	if w.o.Member == "" {
		wanted = pickleName(name) || byBytes && kind != Unknown && kind != Empty && kind != Npy
	}
	if !wanted {
		if !w.o.AllMembers {
			return nil
		}
		return w.fn(Stream{Path: strings.Join(path, " > "), Member: name, Kind: kind, Head: head, R: br})
	}
	inner := &memberWalker{walker: w, name: name}
	return inner.walk(path, br, nil, -1, depth+1)
}

func pickleName(name string) bool {
	return strings.HasSuffix(name, ".pkl") || strings.HasSuffix(name, ".pickle")
}

// memberWalker tags the streams of an archive member with its name.
type memberWalker struct {
	*walker
	name string
}

func (m *memberWalker) walk(path []string, br *bufio.Reader, ra io.ReaderAt, size int64, depth int) error {
	fn := m.walker.fn
	sub := &walker{o: m.o, fn: func(s Stream) error {
		if s.Member == "" {
			s.Member = m.name
			s.Pickle = true // a member taken for a pickle stays one
		}
		return fn(s)
	}}
	return sub.walk(path, br, ra, size, depth)
}
