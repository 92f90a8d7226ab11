package snapshot

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pickle-go/pickle"
)

// DefaultKeep is how many generations a Store keeps when Config.Keep is 0.
const DefaultKeep = 3

// Config is what a Store is opened with.
type Config struct {
	// KeyID and Key sign every file the store writes, and verify what it
	// loads. Signing is required unless Unsigned is set.
	KeyID string
	Key   []byte
	// VerifyKeys are more keys Load accepts, by key id: the old keys,
	// while keys rotate.
	VerifyKeys map[string][]byte
	// Unsigned, an explicit choice, lets Load accept unsigned files, and
	// without a Key writes them (with a SHA-256 seal that detects
	// corruption, not tampering). With a Key too, files are written signed
	// and unsigned ones still read: the way to move a store to signing.
	// Without Unsigned, an unsigned generation is refused (ErrUnsigned).
	Unsigned bool

	// Schema is the version of the state's layout that the program writes,
	// 0 or more. Load migrates older generations up to it and refuses newer
	// ones.
	Schema int
	// Migrations rewrite decoded state from one schema version to the next.
	Migrations []Migration
	// Renames maps old class names ("module.Name", or "module:Qual.Name"
	// for a nested class) to new ones, for generations written before a
	// class moved; see pickle.FindClass.
	Renames map[string]string

	// Keep is how many generations to keep, the newest; older ones go
	// after each Save. 0 means DefaultKeep.
	Keep int
	// Protocol is the pickle protocol written, 2 to 5; 0 means
	// pickle.DefaultProtocol.
	Protocol int
	// Writer names the writer in each header; empty means the program's
	// name, host and process id.
	Writer string
	// Options go to every pickle.Marshal and pickle.Unmarshal: classes
	// (pickle.RegisterClass), allowed globals, limits, or a set of them
	// compiled by pickle.NewOptions. Open checks them.
	Options []pickle.Option

	// Replay applies one journal record to the state Load is building
	// (state is the pointer given to Load). Needed to load a journal.
	Replay func(state any, r Record) error
	// OnSkip is called for every generation, or journal record, that Load
	// skips, with why, before it tries the next.
	OnSkip func(*GenerationError)
	// Logger gets a warning for every skip, too; nil means slog.Default().
	Logger *slog.Logger
}

// A Migration rewrites state decoded into the value model (pickle.Unmarshal
// into an `any`) from schema version From to From+1.
type Migration struct {
	From    int
	Migrate func(v any) (any, error)
}

// A Store keeps generations of state in one directory.
type Store struct {
	dir        string
	cfg        Config
	fs         fileSystem
	keys       map[string][]byte // every key Load accepts
	encOpts    []pickle.Option
	decOpts    []pickle.Option // with VerifyWith when signed
	plainOpts  []pickle.Option // decoding without the envelope
	migrations map[int]func(any) (any, error)

	mu      sync.Mutex
	bad     map[uint64]error // generations Load found bad, and why: not counted as kept
	head    uint64           // the generation Append extends: last saved or loaded
	journal *journalWriter
	cleaned bool             // removeTemps has run
	now     func() time.Time // the clock headers record; tests fix it
}

// Open opens the store in dir, creating the directory if need be. The first
// Save or Append removes the temporary files a crashed writer left behind.
func Open(dir string, cfg Config) (*Store, error) {
	return openFS(dir, cfg, osFS{})
}

func openFS(dir string, cfg Config, fs fileSystem) (*Store, error) {
	if err := checkConfig(&cfg); err != nil {
		return nil, err
	}
	s := &Store{dir: dir, cfg: cfg, fs: fs, bad: map[uint64]error{}, migrations: map[int]func(any) (any, error){}, now: time.Now}
	s.keys = map[string][]byte{}
	for id, k := range cfg.VerifyKeys {
		s.keys[id] = k
	}
	if cfg.Key != nil {
		s.keys[cfg.KeyID] = cfg.Key
	}
	for _, m := range cfg.Migrations {
		if _, dup := s.migrations[m.From]; dup {
			return nil, fmt.Errorf("snapshot: Open: two migrations from schema %d", m.From)
		}
		if m.Migrate == nil || m.From < 0 {
			return nil, fmt.Errorf("snapshot: Open: migration from schema %d has no function or a negative version", m.From)
		}
		s.migrations[m.From] = m.Migrate
	}
	opts := append([]pickle.Option(nil), cfg.Options...)
	if len(cfg.Renames) > 0 {
		opts = append(opts, pickle.FindClass(renamer(cfg.Renames)))
	}
	// The options are checked and compiled once, here, so that Save and
	// Load pass them on without rebuilding them.
	plain, err := pickle.NewOptions(opts...)
	if err != nil {
		return nil, fmt.Errorf("snapshot: Open: %w", err)
	}
	enc := []pickle.Option{plain, pickle.Protocol(cfg.Protocol)}
	if cfg.Key != nil {
		enc = append(enc, pickle.SignWith(cfg.KeyID, cfg.Key))
	}
	encSet, err := pickle.NewOptions(enc...)
	if err != nil {
		return nil, fmt.Errorf("snapshot: Open: %w", err)
	}
	decSet, err := pickle.NewOptions(plain, pickle.VerifyWith(s.keys))
	if err != nil {
		return nil, fmt.Errorf("snapshot: Open: %w", err)
	}
	s.plainOpts = []pickle.Option{plain}
	s.encOpts = []pickle.Option{encSet}
	s.decOpts = []pickle.Option{decSet}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("snapshot: Open: %w", err)
	}
	return s, nil
}

// removeTemps removes the temporary files a crashed writer left behind. It
// runs before a Store first writes, not in Open: a reader opening the
// directory must not remove the file a live writer is filling.
func (s *Store) removeTemps() error {
	if s.cleaned {
		return nil
	}
	entries, err := s.fs.ReadDir(s.dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) {
			if err := s.fs.Remove(filepath.Join(s.dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("removing a leftover temporary file: %w", err)
			}
		}
	}
	s.cleaned = true
	return nil
}

func checkConfig(cfg *Config) error {
	switch {
	case cfg.Key == nil && !cfg.Unsigned:
		return errors.New("snapshot: Open: no Key; signing is required unless Config.Unsigned is set")
	case cfg.Key != nil && len(cfg.Key) == 0:
		return errors.New("snapshot: Open: empty Key")
	case cfg.Key != nil && cfg.KeyID == "":
		return errors.New("snapshot: Open: empty KeyID; an empty key id marks an unsigned file")
	case len(cfg.KeyID) > 255:
		return fmt.Errorf("snapshot: Open: key id of %d bytes; at most 255", len(cfg.KeyID))
	case cfg.Schema < 0 || int64(cfg.Schema) > math.MaxUint32:
		return fmt.Errorf("snapshot: Open: schema version %d out of range", cfg.Schema)
	case cfg.Keep < 0:
		return fmt.Errorf("snapshot: Open: Keep %d is negative", cfg.Keep)
	case cfg.Protocol != 0 && (cfg.Protocol < 2 || cfg.Protocol > pickle.HighestProtocol):
		return fmt.Errorf("snapshot: Open: protocol %d; want 2 to %d", cfg.Protocol, pickle.HighestProtocol)
	}
	if cfg.Keep == 0 {
		cfg.Keep = DefaultKeep
	}
	if cfg.Protocol == 0 {
		cfg.Protocol = pickle.DefaultProtocol
	}
	if cfg.Writer == "" {
		host, _ := os.Hostname()
		cfg.Writer = fmt.Sprintf("%s@%s/%d", filepath.Base(os.Args[0]), host, os.Getpid())
	}
	if len(cfg.Writer) > 255 {
		cfg.Writer = cfg.Writer[:255]
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return nil
}

// renamer is the FindClass hook for Config.Renames.
func renamer(renames map[string]string) func(module, name string) (string, string, error) {
	return func(module, name string) (string, string, error) {
		to, ok := renames[module+"."+name]
		if !ok {
			if to, ok = renames[module+":"+name]; !ok {
				return module, name, nil
			}
		}
		// "module:Qual.Name" splits at the colon, for nested classes;
		// "module.Name" at the last dot.
		i := strings.IndexByte(to, ':')
		if i < 0 {
			i = strings.LastIndexByte(to, '.')
		}
		if i <= 0 || i == len(to)-1 {
			return "", "", fmt.Errorf("snapshot: rename of %s.%s to %q: want \"module.Name\" or \"module:Qual.Name\"", module, name, to)
		}
		return to[:i], to[i+1:], nil
	}
}

// Dir is the store's directory.
func (s *Store) Dir() string { return s.dir }

// generations lists the snapshot generations in the directory, newest first.
func (s *Store) generations() ([]uint64, error) {
	entries, err := s.fs.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var gens []uint64
	for _, e := range entries {
		if g, ok := parseGenName(e.Name(), snapSuffix); ok {
			gens = append(gens, g)
		}
	}
	sort.Slice(gens, func(i, j int) bool { return gens[i] > gens[j] })
	return gens, nil
}

const (
	snapSuffix    = ".snap"
	journalSuffix = ".journal"
	tempPrefix    = ".tmp-"
)

func (s *Store) path(gen uint64, suffix string) string {
	return filepath.Join(s.dir, genName(gen, suffix))
}

// Close closes the journal, if one is open.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closeJournal()
}
