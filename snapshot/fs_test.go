package snapshot

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fullDisk is the real file system with room for only so many more bytes:
// a write past them writes what fits and fails with ENOSPC, as a full disk
// does.
type fullDisk struct {
	osFS
	room int
}

func (d *fullDisk) CreateTemp(dir, pattern string) (file, error) {
	f, err := d.osFS.CreateTemp(dir, pattern)
	return &fullFile{file: f, disk: d}, err
}

func (d *fullDisk) OpenAppend(name string) (file, error) {
	f, err := d.osFS.OpenAppend(name)
	if err != nil {
		return nil, err
	}
	return &fullFile{file: f, disk: d}, nil
}

type fullFile struct {
	file
	disk *fullDisk
}

func (f *fullFile) Write(p []byte) (int, error) {
	if len(p) <= f.disk.room {
		f.disk.room -= len(p)
		return f.file.Write(p)
	}
	n, _ := f.file.Write(p[:f.disk.room])
	f.disk.room = 0
	return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
}

func TestFullDiskDuringSaveKeepsThePreviousGeneration(t *testing.T) {
	older := counter{N: 1, Names: []string{"old"}}
	for room := 0; room < 200; room += 7 {
		dir := t.TempDir()
		_, err := mustOpen(t, dir, testConfig(nil)).Save(older)
		require.NoError(t, err)

		disk := &fullDisk{room: room}
		s, err := openFS(dir, testConfig(nil), disk)
		require.NoError(t, err)
		_, err = s.Save(counter{N: 2, Names: []string{"a longer name than the disk has room for"}})
		require.ErrorIs(t, err, syscall.ENOSPC, "room for %d bytes", room)
		assert.Equal(t, []string{genName(1, snapSuffix)}, dirNames(t, dir), "no temporary file is left behind")

		var got counter
		l, err := mustOpen(t, dir, testConfig(nil)).Load(&got)
		require.NoError(t, err)
		assert.Equal(t, older, got)
		assert.Empty(t, l.Skipped)
	}
}

func TestFullDiskDuringAppendKeepsEarlierRecords(t *testing.T) {
	for room := 0; room < 120; room += 5 {
		dir := t.TempDir()
		s := mustOpen(t, dir, testConfig(nil))
		_, err := s.Save(counter{})
		require.NoError(t, err)
		require.NoError(t, s.Append(add{"kept"}))
		require.NoError(t, s.Close())

		disk := &fullDisk{room: room}
		s2, err := openFS(dir, testConfig(nil), disk)
		require.NoError(t, err)
		var state counter
		_, err = s2.Load(&state)
		require.NoError(t, err)
		err = s2.Append(add{"a change longer than the disk has room for"})
		require.ErrorIs(t, err, syscall.ENOSPC, "room for %d bytes", room)

		// With room again, the store goes on where it was.
		disk.room = 1 << 20
		require.NoError(t, s2.Append(add{"later"}))
		var skips []*GenerationError
		var got counter
		_, err = mustOpen(t, dir, testConfig(&skips)).Load(&got)
		require.NoError(t, err)
		assert.Equal(t, counter{N: 2, Names: []string{"kept", "later"}}, got, "room for %d bytes", room)
		assert.Empty(t, skips)
	}
}

// failingStep fails one step of the file system: a sync, the rename, or the
// directory's sync.
type failingStep struct {
	osFS
	step string
}

var errInjected = errors.New("injected failure")

func (f failingStep) CreateTemp(dir, pattern string) (file, error) {
	fl, err := f.osFS.CreateTemp(dir, pattern)
	if f.step == "sync" {
		return syncFails{fl}, err
	}
	return fl, err
}

type syncFails struct{ file }

func (syncFails) Sync() error { return errInjected }

func (f failingStep) Rename(from, to string) error {
	if f.step == "rename" {
		return errInjected
	}
	return f.osFS.Rename(from, to)
}

func TestFailedSyncOrRenameKeepsThePreviousGeneration(t *testing.T) {
	for _, step := range []string{"sync", "rename"} {
		t.Run(step, func(t *testing.T) {
			dir := t.TempDir()
			_, err := mustOpen(t, dir, testConfig(nil)).Save(counter{N: 1})
			require.NoError(t, err)
			s, err := openFS(dir, testConfig(nil), failingStep{step: step})
			require.NoError(t, err)
			_, err = s.Save(counter{N: 2})
			require.ErrorIs(t, err, errInjected)
			assert.Equal(t, []string{genName(1, snapSuffix)}, dirNames(t, dir))
			var got counter
			_, err = mustOpen(t, dir, testConfig(nil)).Load(&got)
			require.NoError(t, err)
			assert.Equal(t, counter{N: 1}, got)
			_, err = os.Stat(filepath.Join(dir, genName(2, snapSuffix)))
			assert.ErrorIs(t, err, os.ErrNotExist)
		})
	}
}
