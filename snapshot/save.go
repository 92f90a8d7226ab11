package snapshot

import (
	"errors"
	"fmt"
	"os"
	"reflect"

	"github.com/pickle-go/pickle"
)

// Save writes v as a new generation and returns its number. The file is
// written under a temporary name, synced, renamed into place and the
// directory synced before Save returns; only then are generations beyond
// Config.Keep removed. A crash at any point leaves the previous generation
// loadable. Appends after Save go to the new generation's journal, so Save
// is also how a journal is compacted.
func (s *Store) Save(v any) (uint64, error) {
	body, err := pickle.Marshal(v, s.encOpts...)
	if err != nil {
		return 0, fmt.Errorf("snapshot: Save: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	gens, err := s.generations()
	if err != nil {
		return 0, fmt.Errorf("snapshot: Save: %w", err)
	}
	gen := uint64(1)
	if len(gens) > 0 {
		gen = gens[0] + 1
	}
	head := appendHeader(nil, s.header(kindSnapshot, gen, uint64(len(body))))
	seal := fileSeal(s.cfg.Key, head, body)
	if err := s.writeAtomic(s.path(gen, snapSuffix), head, body, seal); err != nil {
		return 0, fmt.Errorf("snapshot: Save of generation %d: %w", gen, err)
	}
	if err := s.closeJournal(); err != nil {
		return gen, fmt.Errorf("snapshot: Save: closing the old journal: %w", err)
	}
	s.head = gen
	if err := s.prune(append([]uint64{gen}, gens...)); err != nil {
		return gen, fmt.Errorf("snapshot: Save: generation %d is saved, but removing old ones failed: %w", gen, err)
	}
	return gen, nil
}

// Compact folds the journal into a new generation, for a program that does
// not hold its state in memory: it loads the newest good state into the
// value v points to, as Load does, and saves it. A program that holds its
// state compacts by calling Save with it.
func (s *Store) Compact(v any) (uint64, *Loaded, error) {
	l, err := s.Load(v)
	if err != nil {
		return 0, l, err
	}
	gen, err := s.Save(reflect.ValueOf(v).Elem().Interface())
	return gen, l, err
}

// newerSchema reports whether generation gen's header names a schema newer
// than the program's. A header that does not parse is no reason to keep a
// file.
func (s *Store) newerSchema(gen uint64) bool {
	if errors.Is(s.bad[gen], ErrNewerSchema) {
		return true
	}
	head, err := s.fs.ReadPrefix(s.path(gen, snapSuffix), maxHeader)
	if err != nil {
		return false
	}
	h, _, err := parseHeader(head)
	return err == nil && h.schema > s.cfg.Schema
}

// header is the header of a file this store writes now.
func (s *Store) header(kind byte, gen, bodyLen uint64) *header {
	keyID := ""
	if s.cfg.Key != nil {
		keyID = s.cfg.KeyID
	}
	return &header{
		kind:       kind,
		protocol:   s.cfg.Protocol,
		schema:     s.cfg.Schema,
		time:       s.now(),
		generation: gen,
		writer:     s.cfg.Writer,
		keyID:      keyID,
		bodyLen:    bodyLen,
	}
}

// writeAtomic makes name hold chunks, or leaves it as it was.
func (s *Store) writeAtomic(name string, chunks ...[]byte) (err error) {
	if err := s.removeTemps(); err != nil {
		return err
	}
	f, err := s.fs.CreateTemp(s.dir, tempPrefix+"*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			s.fs.Remove(f.Name())
		}
	}()
	for _, c := range chunks {
		if _, err := f.Write(c); err != nil {
			return err
		}
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := s.fs.Rename(f.Name(), name); err != nil {
		return err
	}
	return s.fs.SyncDir(s.dir)
}

// prune removes the generations, and their journals, older than the newest
// Keep that are not known to be bad, except those of a newer schema. gens
// is newest first. The snapshot goes
// before its journal: a journal without its snapshot is never read, but a
// snapshot without its journal would load as an older state.
func (s *Store) prune(gens []uint64) error {
	kept := 0
	var errs []error
	for _, g := range gens {
		if kept < s.cfg.Keep {
			if s.bad[g] == nil {
				kept++
			}
			continue
		}
		if s.newerSchema(g) {
			// Written by a newer version of the program: after a rollback,
			// the old version must not destroy what the roll forward needs.
			continue
		}
		for _, suffix := range []string{snapSuffix, journalSuffix} {
			if err := s.fs.Remove(s.path(g, suffix)); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
		}
		delete(s.bad, g)
	}
	return errors.Join(errs...)
}
