package snapshot

import (
	"errors"
	"fmt"
	"strings"
)

// Errors for errors.Is, one per reason a generation cannot be loaded. The
// pickle package's ErrSignature and ErrUnknownKey, and its decoding errors,
// are the others.
var (
	// ErrCorrupt: the file is cut short, its header is malformed, or its
	// seal does not match: a crash, a full disk or a changed byte.
	ErrCorrupt = errors.New("snapshot: corrupt file")
	// ErrUnsigned: an unsigned generation in a store that requires
	// signatures.
	ErrUnsigned = errors.New("snapshot: generation is not signed")
	// ErrNewerSchema: the generation was written with a schema version
	// newer than the program's; it is refused before any of it is decoded.
	ErrNewerSchema = errors.New("snapshot: schema newer than this program knows")
	// ErrNoMigration: the generation's schema is older and no chain of
	// migrations leads from it to the program's.
	ErrNoMigration = errors.New("snapshot: no migration from the generation's schema")
	// ErrEmpty: the directory holds no generation.
	ErrEmpty = errors.New("snapshot: no generation to load")
)

// A GenerationError says why one generation (or, with Record >= 0, one
// record of its journal) could not be loaded.
type GenerationError struct {
	Generation uint64
	Path       string
	// Record is the index of the journal record at fault, or -1 when the
	// snapshot itself is.
	Record int
	Err    error
}

func (e *GenerationError) Error() string {
	if e.Record >= 0 {
		return fmt.Sprintf("snapshot: generation %d, journal record %d (%s): %v", e.Generation, e.Record, e.Path, e.Err)
	}
	return fmt.Sprintf("snapshot: generation %d (%s): %v", e.Generation, e.Path, e.Err)
}

func (e *GenerationError) Unwrap() error { return e.Err }

// A LoadError is Load's error when no generation loads: every generation it
// tried, newest first, and why each failed.
type LoadError struct {
	Dir         string
	Generations []*GenerationError
}

func (e *LoadError) Error() string {
	if len(e.Generations) == 0 {
		return fmt.Sprintf("snapshot: %s: %v", e.Dir, ErrEmpty)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "snapshot: %s: none of %d generations loads:", e.Dir, len(e.Generations))
	for _, g := range e.Generations {
		b.WriteString("\n\t")
		b.WriteString(g.Error())
	}
	return b.String()
}

// Unwrap gives every generation's error, so that errors.Is(err, ErrCorrupt)
// asks whether any generation was corrupt; with none, ErrEmpty.
func (e *LoadError) Unwrap() []error {
	if len(e.Generations) == 0 {
		return []error{ErrEmpty}
	}
	errs := make([]error, len(e.Generations))
	for i, g := range e.Generations {
		errs[i] = g
	}
	return errs
}
