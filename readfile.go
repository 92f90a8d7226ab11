package pickle

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pickle-go/pickle/internal/container"
)

// This file reads pickles out of the files Python tools write around them
// (internal/container knows the containers); the pickle machine sees only
// the bytes inside.

// DefaultMaxDecompressedSize bounds what each decompressor may produce when
// ReadFile opens a compressed file: 4 GiB. It is an absolute size, not a
// ratio, because real pickles compress far beyond any ratio that would stop
// a bomb (arrays of zeros shrink a thousandfold in gzip and more in bz2 and
// zstd); 4 GiB is more than the decoded value of any pickle that fits a
// typical machine's memory, since ReadFile holds the decompressed bytes
// while it decodes them. Change it with MaxDecompressedSize.
const DefaultMaxDecompressedSize = 4 << 30

// MaxDecompressedSize bounds the bytes each decompressor may produce when
// reading a file (ReadFile, ReadContainer, EachStream); n <= 0 removes the
// bound. Past it, reading fails with a *LimitError (errors.Is ErrLimit).
// Bytes stored uncompressed (a plain file, a stored zip member) are not
// counted: they are on disk already.
func MaxDecompressedSize(n int64) Option {
	return optionFunc(func(c *config) { c.maxDecompressed = n })
}

// ContainerMember picks the member of a zip or tar archive to read, by its
// name in the archive, when it holds several pickles.
func ContainerMember(name string) Option {
	return optionFunc(func(c *config) { c.member = name })
}

// ReadFile reads the named file and unmarshals the pickle in it into v, with
// the same options and rules as Unmarshal. The file may be a plain pickle or
// one Python tools wrap it in: gzip, bz2, xz, lzma (the legacy "alone"
// format), zstd, zlib or lz4 compression, a zip or a tar archive with one
// pickle member (as pandas' to_pickle writes them), or these nested (a
// .tar.gz); a joblib file (joblib.dump, scikit-learn's models), its arrays
// read as *NDArray; numpy's .npy (an *NDArray) and .npz (a *Dict from each
// array's name to it, or with ContainerMember one array). The container is
// known by its first bytes, never by the file's name. An archive with
// several pickle members is an error naming them, unless ContainerMember
// picks one. A PyTorch checkpoint (torch.save's zip, or its legacy format)
// is read as torch.load reads it, its tensors becoming *NDArray values (see
// readfile_torch.go).
func ReadFile(name string, v any, opts ...Option) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("pickle: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("pickle: %w", err)
	}
	side := optionFunc(func(c *config) { c.sideDir = filepath.Dir(name) })
	if err := ReadContainer(f, st.Size(), v, append(opts[:len(opts):len(opts)], side)...); err != nil {
		return &placedError{name, err}
	}
	return nil
}

// placedError puts a place before an error's message, after its "pickle: ".
type placedError struct {
	where string
	err   error
}

func (e *placedError) Error() string {
	return "pickle: " + e.where + ": " + strings.TrimPrefix(e.err.Error(), "pickle: ")
}

func (e *placedError) Unwrap() error { return e.err }

// ReadContainer is ReadFile for a file already open, or data in memory
// (bytes.NewReader(data), len(data)). Zip archives need random access; to
// read a stream, read it into memory first.
func ReadContainer(r io.ReaderAt, size int64, v any, opts ...Option) error {
	cfg, err := newConfig(opts)
	if err != nil {
		return err
	}
	if ok, err := readTorch(r, size, v, cfg, opts); ok {
		return err
	}
	if npz, err := readNpz(r, size, v, cfg); npz {
		return err
	}
	s, data, err := container.One(r, size, containerOptions(cfg))
	if err != nil {
		return err
	}
	if s.Kind == container.Empty {
		return emptyError(s.Path)
	}
	if s.Kind == container.Npy {
		return readNpy(data, v, cfg)
	}
	// data is this function's own copy of the file: what is decoded may
	// share it (a joblib file's arrays do), as nothing else holds it.
	if err := Unmarshal(data, v, append(opts[:len(opts):len(opts)], ShareInput())...); err != nil {
		return notPickle(s, err)
	}
	return nil
}

// A Stream is one pickle stream found in a file by EachStream.
type Stream struct {
	// Path names the containers around it, outermost first: "" for a
	// plain file, "gzip data", "zip member a.pkl (data at offset 30)".
	Path string
	// Member is the name of the archive member it is, "" outside archives.
	Member string
	R      io.Reader
}

// EachStream calls fn with each pickle stream in the file r of the given
// size, in order: the file itself when it is a plain pickle, else what its
// compressors and archives hold (every pickle member of an archive). fn
// reads the stream (with NewDecoder or Disassemble) before it returns; its
// error stops the walk and is returned. Options bound decompression as in
// ReadContainer.
func EachStream(r io.ReaderAt, size int64, fn func(Stream) error, opts ...Option) error {
	cfg, err := newConfig(opts)
	if err != nil {
		return err
	}
	return container.Each(r, size, containerOptions(cfg), func(s container.Stream) error {
		if s.Kind == container.Empty {
			return emptyError(s.Path)
		}
		if err := fn(Stream{Path: s.Path, Member: s.Member, R: s.R}); err != nil {
			return notPickle(s, err)
		}
		return nil
	})
}

func containerOptions(cfg *config) container.Options {
	return container.Options{
		MaxSize: cfg.maxDecompressed,
		Member:  cfg.member,
		OnLimit: func(max, reached int64) error {
			return &LimitError{Limit: "MaxDecompressedSize", Value: max, Reached: reached}
		},
	}
}

func emptyError(path string) error {
	if path == "" {
		return fmt.Errorf("pickle: an empty file: %w", ErrTruncated)
	}
	return fmt.Errorf("pickle: %s is empty: %w", path, ErrTruncated)
}

// notPickle adds to a decoding error, for bytes that do not start as a
// pickle does and fail at once as malformed, what they look like.
func notPickle(s container.Stream, err error) error {
	var de *DecodeError
	if s.Kind == container.Pickle || !errors.As(err, &de) || de.Offset > 0 ||
		!errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTruncated) {
		return err
	}
	where := "the file"
	if s.Path != "" {
		where = s.Path
	}
	return &placedError{fmt.Sprintf("%s looks like %s, not a pickle", where, container.Describe(s.Head)), err}
}

// scanContainers scans the pickles inside data, if data is a container,
// and reports whether data starts as one (a zip found only by its
// directory at the end may start as a pickle): every member of an archive is scanned, those
// not taken for pickles (not named *.pkl, in PyTorch's zips) as secondary
// readings, since a loader of another format may unpickle any of them.
// What fails to open is a malformed report. The object pickle of a
// PyTorch checkpoint (torch, if data is one) is scanned with torch's config.
func scanContainers(data []byte, cfg *config, torch *torchCheckpoint, rep *ScanReport) bool {
	o := containerOptions(cfg)
	o.AllMembers = true
	each, starts := container.Each, true
	kind, _ := container.Sniff(data[:min(len(data), 512)])
	switch kind {
	case container.Zip, container.Tar, container.Compressed:
	default:
		// A zip is what a zip reader takes for one: torch.load looks at
		// the first bytes, Python's zipfile for the directory at the end.
		if _, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err != nil {
			return false
		}
		each, starts = container.EachZip, false
	}
	err := each(bytes.NewReader(data), int64(len(data)), o, func(s container.Stream) error {
		source := s.Member
		if source == "" {
			source = s.Path
		}
		n := len(rep.Pickles)
		member, err := io.ReadAll(s.R)
		if (len(member) > 0 || err == nil) && !scanNpy(member, source, cfg, rep) {
			scanStream(member, source, torch.memberConfig(s.Member, cfg), rep)
		}
		if err != nil {
			// What was read is scanned anyway: not every loader checks
			// the CRC.
			rep.Pickles = append(rep.Pickles, PickleReport{Source: source, Verdict: Malformed, Error: err.Error()})
		}
		if s.Member != "" && !s.Pickle && s.Kind != container.Npy {
			secondary(rep.Pickles[n:])
		}
		return nil
	})
	if err != nil {
		rep.Pickles = append(rep.Pickles, PickleReport{Verdict: Malformed, Error: err.Error()})
	}
	return starts
}
