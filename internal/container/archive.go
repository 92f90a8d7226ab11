package container

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"strings"
)

// This file reads the archives: every regular member in turn, handed to
// walker.member, which keeps those that hold pickles.

// counting counts the pickle streams handed out, to say so when an archive
// has no pickle member. A .npy member counts (a scanner is handed it with
// AllMembers): numpy's .npz is a zip of them, and numpy.load unpickles an
// object array's.
func (w *walker) counting(n *int) *walker {
	return &walker{o: w.o, fn: func(s Stream) error {
		if s.Pickle || s.Kind == Npy {
			*n++
		}
		return w.fn(s)
	}}
}

// EachZip is Each for a zip archive that may not start as one (a zip
// reader looks for the directory at the end): it calls fn with every pickle
// stream in its members.
func EachZip(r io.ReaderAt, size int64, o Options, fn func(Stream) error) error {
	w := walker{o: o, fn: fn}
	return w.zip(nil, r, size, 0)
}

func (w *walker) zip(path []string, ra io.ReaderAt, size int64, depth int) error {
	zr, err := zip.NewReader(ra, size)
	p := strings.Join(join(path, "zip archive"), " > ")
	if err != nil {
		return &Error{Path: p, In: -1, Err: err}
	}
	var n int
	cw := w.counting(&n)
	var names []string
	byBytes := true
	for _, f := range zr.File {
		byBytes = byBytes && !pickleName(f.Name)
	}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		names = append(names, f.Name)
		off, _ := f.DataOffset()
		mpath := join(path, fmt.Sprintf("zip member %s (data at offset %d)", f.Name, off))
		m, err := f.Open()
		if err != nil {
			return &Error{Path: strings.Join(mpath, " > "), In: -1, Err: err}
		}
		err = cw.member(mpath, f.Name, &memberErrors{r: m, path: strings.Join(mpath, " > ")}, byBytes, depth)
		m.Close()
		if err != nil {
			return err
		}
	}
	return w.noPickle(n, p, "zip", names)
}

func (w *walker) tar(path []string, br *bufio.Reader, depth int) error {
	in := &counter{r: br}
	tr := tar.NewReader(in)
	p := strings.Join(join(path, "tar archive"), " > ")
	var n int
	cw := w.counting(&n)
	var names []string
	for {
		at := in.n
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return &Error{Path: p, In: at, Err: err}
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		names = append(names, h.Name)
		mpath := join(path, fmt.Sprintf("tar member %s (header at offset %d)", h.Name, at))
		// A tar is read once, in order: a name cannot be looked for
		// ahead, so the bytes always count.
		if err := cw.member(mpath, h.Name, &memberErrors{r: tr, path: strings.Join(mpath, " > ")}, true, depth); err != nil {
			return err
		}
	}
	return w.noPickle(n, p, "tar", names)
}

// noPickle is the error for an archive none of whose members was handed out.
func (w *walker) noPickle(n int, path, kind string, names []string) error {
	switch {
	case n > 0:
		return nil
	case w.o.Member != "":
		return fmt.Errorf("pickle: %s: no member %q (members: %s)", path, w.o.Member, list(names))
	default:
		return fmt.Errorf("pickle: %s: a %s without a pickle member (members: %s)", path, kind, list(names))
	}
}

func list(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// memberErrors wraps the errors of reading a member (a bad CRC, a cut
// member) in an *Error naming it, so that they are not taken for the end
// of a pickle.
type memberErrors struct {
	r    io.Reader
	path string
	n    int64
}

func (m *memberErrors) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	m.n += int64(n)
	if err != nil && err != io.EOF {
		if _, ok := err.(*Error); !ok {
			err = &Error{Path: m.path, In: -1, Out: m.n, Err: err}
		}
	}
	return n, err
}
