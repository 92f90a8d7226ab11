package snapshot

import (
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"time"

	"github.com/pickle-go/pickle"
)

// Loaded says what Load loaded.
type Loaded struct {
	Generation uint64
	Path       string
	Schema     int       // the schema the generation was written with
	Written    time.Time // when it was written
	Writer     string    // who wrote it
	Records    int       // journal records replayed onto it
	// Skipped lists, newest first, every generation Load tried and could
	// not load before this one, and any journal records it dropped.
	Skipped []*GenerationError
}

// FellBack reports whether Load skipped anything to load what it loaded.
func (l *Loaded) FellBack() bool { return len(l.Skipped) > 0 }

// Load decodes the newest generation that verifies, decodes, migrates and
// replays into the value v points to, zeroing it before each attempt. Every
// generation or journal record it skips goes to Config.OnSkip and the logger
// and into Loaded.Skipped. When none loads, the error is a *LoadError that
// lists each generation and why it failed. Appends after Load extend the
// generation it loaded.
func (s *Store) Load(v any) (*Loaded, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil, fmt.Errorf("snapshot: Load(%T): want a non-nil pointer", v)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	gens, err := s.generations()
	if err != nil {
		return nil, fmt.Errorf("snapshot: Load: %w", err)
	}
	var skipped []*GenerationError
	for _, gen := range gens {
		rv.Elem().SetZero()
		l, journalErr, err := s.loadGeneration(gen, v)
		if err != nil {
			ge := asGenerationError(gen, s.path(gen, snapSuffix), err)
			s.bad[gen] = err
			s.report(ge)
			skipped = append(skipped, ge)
			continue
		}
		if journalErr != nil {
			s.report(journalErr)
			skipped = append(skipped, journalErr)
		}
		l.Skipped = skipped
		if s.head != gen {
			if err := s.closeJournal(); err != nil {
				return l, fmt.Errorf("snapshot: Load: closing the journal: %w", err)
			}
			s.head = gen
		}
		return l, nil
	}
	rv.Elem().SetZero()
	return nil, &LoadError{Dir: s.dir, Generations: skipped}
}

func asGenerationError(gen uint64, path string, err error) *GenerationError {
	var ge *GenerationError
	if errors.As(err, &ge) {
		return ge
	}
	return &GenerationError{Generation: gen, Path: path, Record: -1, Err: err}
}

// report tells the operator about a skip.
func (s *Store) report(ge *GenerationError) {
	level := slog.LevelWarn
	if errors.Is(ge.Err, ErrTornRecord) {
		level = slog.LevelInfo // the expected trace of a crash mid-Append
	}
	s.cfg.Logger.LogAttrs(context.Background(), level, "snapshot: skipped",
		slog.String("dir", s.dir),
		slog.Uint64("generation", ge.Generation),
		slog.Int("record", ge.Record),
		slog.String("path", ge.Path),
		slog.String("error", ge.Err.Error()))
	if s.cfg.OnSkip != nil {
		s.cfg.OnSkip(ge)
	}
}

// loadGeneration loads generation gen and its journal into v. A bad journal
// record does not fail the generation: the records before it are kept, and
// journalErr says what was dropped.
func (s *Store) loadGeneration(gen uint64, v any) (l *Loaded, journalErr *GenerationError, err error) {
	path := s.path(gen, snapSuffix)
	data, err := s.fs.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	h, body, err := s.openSnapshot(data, gen)
	if err != nil {
		return nil, nil, err
	}
	if err := s.decode(h, body, v); err != nil {
		return nil, nil, err
	}
	l = &Loaded{Generation: gen, Path: path, Schema: h.schema, Written: h.time, Writer: h.writer}
	n, journalErr, err := s.replay(gen, v)
	if err != nil {
		return nil, nil, err
	}
	l.Records = n
	return l, journalErr, nil
}

// openSnapshot checks a snapshot file's header and seal and returns its body.
func (s *Store) openSnapshot(data []byte, gen uint64) (*header, []byte, error) {
	h, n, key, err := s.openHeader(data, gen, kindSnapshot)
	if err != nil {
		return nil, nil, err
	}
	if uint64(len(data)-n) < sealSize || h.bodyLen != uint64(len(data)-n-sealSize) {
		return nil, nil, fmt.Errorf("%w: header says the body is %d bytes; the file has %d after the header, with the %d-byte seal", ErrCorrupt, h.bodyLen, len(data)-n, sealSize)
	}
	body := data[n : len(data)-sealSize]
	if !hmac.Equal(fileSeal(key, data[:n], body), data[len(data)-sealSize:]) {
		return nil, nil, sealError(key)
	}
	if key != nil {
		// The seal named one key; the envelope must be tagged with it.
		if len(body) < 9 || len(body) < 9+int(body[8]) || string(body[9:9+int(body[8])]) != h.keyID {
			return nil, nil, fmt.Errorf("%w: the envelope names another key than the header's %q", ErrCorrupt, h.keyID)
		}
	}
	return h, body, nil
}

// openHeader parses and checks the header of a file of generation gen, and
// returns it with its length and the key that seals the file (nil when
// unsigned).
func (s *Store) openHeader(data []byte, gen uint64, kind byte) (*header, int, []byte, error) {
	h, n, err := parseHeader(data)
	if err != nil {
		return nil, 0, nil, err
	}
	if h.kind != kind {
		return nil, 0, nil, fmt.Errorf("%w: file of kind %q where %q belongs", ErrCorrupt, h.kind, kind)
	}
	if h.generation != gen {
		return nil, 0, nil, fmt.Errorf("%w: header says generation %d; the file name says %d", ErrCorrupt, h.generation, gen)
	}
	if h.keyID == "" {
		if !s.cfg.Unsigned {
			return nil, 0, nil, ErrUnsigned
		}
		return h, n, nil, nil
	}
	key, ok := s.keys[h.keyID]
	if !ok {
		return nil, 0, nil, fmt.Errorf("%w %q", pickle.ErrUnknownKey, h.keyID)
	}
	return h, n, key, nil
}

func sealError(key []byte) error {
	if key != nil {
		return fmt.Errorf("seal: %w", pickle.ErrSignature)
	}
	return fmt.Errorf("%w: the seal does not match", ErrCorrupt)
}

// decode unmarshals a snapshot's body into v, through the migrations when it
// was written with an older schema.
func (s *Store) decode(h *header, body []byte, v any) error {
	if h.schema > s.cfg.Schema {
		return fmt.Errorf("%w: written with schema %d; this program knows up to %d", ErrNewerSchema, h.schema, s.cfg.Schema)
	}
	opts := s.plainOpts
	if h.keyID != "" {
		opts = s.decOpts
	}
	if h.schema == s.cfg.Schema {
		return pickle.Unmarshal(body, v, opts...)
	}
	for from := h.schema; from < s.cfg.Schema; from++ {
		if s.migrations[from] == nil {
			return fmt.Errorf("%w: written with schema %d, and nothing migrates schema %d to %d", ErrNoMigration, h.schema, from, from+1)
		}
	}
	var m any
	if err := pickle.Unmarshal(body, &m, opts...); err != nil {
		return err
	}
	for from := h.schema; from < s.cfg.Schema; from++ {
		var err error
		if m, err = s.migrations[from](m); err != nil {
			return fmt.Errorf("migration from schema %d to %d: %w", from, from+1, err)
		}
	}
	if p, ok := v.(*any); ok {
		*p = m
		return nil
	}
	// The pickle package maps the value model into Go values only while
	// unmarshaling, so the migrated model goes through a pickle once more.
	data, err := pickle.Marshal(m, s.plainOpts...)
	if err != nil {
		return fmt.Errorf("re-encoding the migrated state: %w", err)
	}
	if err := pickle.Unmarshal(data, v, s.plainOpts...); err != nil {
		return fmt.Errorf("mapping the migrated state into %T: %w", v, err)
	}
	return nil
}

// readJournal reads generation gen's journal, if it has one.
func (s *Store) readJournal(gen uint64) ([]byte, error) {
	data, err := s.fs.ReadFile(s.path(gen, journalSuffix))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return data, err
}
