package snapshot

import (
	"io"
	"os"
	"path/filepath"
)

// This file is the store's only way to the file system, so that tests can put
// a failing disk under it (fs_test.go).

// fileSystem is what a Store does to files.
type fileSystem interface {
	CreateTemp(dir, pattern string) (file, error)
	// OpenAppend opens an existing file for appending, and reading its
	// length.
	OpenAppend(name string) (file, error)
	ReadFile(name string) ([]byte, error)
	// ReadPrefix reads at most n bytes from the start of a file.
	ReadPrefix(name string, n int) ([]byte, error)
	ReadDir(dir string) ([]os.DirEntry, error)
	Rename(from, to string) error
	Remove(name string) error
	// SyncDir makes the directory's entries (renames, removals) durable.
	SyncDir(dir string) error
}

// file is an open file.
type file interface {
	io.Writer
	Name() string
	Sync() error
	Close() error
	Truncate(size int64) error
}

// osFS is the real file system.
type osFS struct{}

func (osFS) CreateTemp(dir, pattern string) (file, error) { return os.CreateTemp(dir, pattern) }

func (osFS) OpenAppend(name string) (file, error) {
	return os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
}

func (osFS) ReadFile(name string) ([]byte, error)      { return os.ReadFile(name) }
func (osFS) ReadDir(dir string) ([]os.DirEntry, error) { return os.ReadDir(dir) }

func (osFS) ReadPrefix(name string, n int) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, n)
	m, err := io.ReadFull(f, b)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return b[:m], err
}
func (osFS) Rename(from, to string) error { return os.Rename(from, to) }
func (osFS) Remove(name string) error     { return os.Remove(name) }

func (osFS) SyncDir(dir string) error {
	d, err := os.Open(filepath.Clean(dir))
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
