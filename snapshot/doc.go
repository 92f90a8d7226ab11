// Package snapshot keeps a program's state as versioned, signed pickles in a
// directory, so that a crash, a tampered file or a schema change never costs
// more than the newest generation, and never silently.
//
// A Store writes each Save as a new generation, atomically; Load decodes the
// newest generation that verifies, decodes and migrates, reporting each one
// it had to skip (through Config.OnSkip, a *GenerationError per generation,
// and a log/slog record); Append adds a change to a journal that Load
// replays onto its generation, and the next Save (or Compact) folds it into
// a new generation. python/pickle_snapshot.py, standard library only, reads
// and writes the same directories from Python.
//
// # Files
//
// Generations are numbered from 1. Generation n is the file
// gen-NNNNNNNNNNNNNNNNNNNN.snap (n in 20 decimal digits, so that names sort
// as numbers do) and its journal, if it has one, gen-NNNNNNNNNNNNNNNNNNNN.journal.
// Files are written under a temporary name starting with ".tmp-", synced,
// renamed into place, and the directory synced; a Store's first write
// removes temporary files a crash left behind.
//
// # Snapshot format
//
// Both kinds of file start with the same header, all integers little-endian:
//
//	magic           8 bytes  "PKLSNAP\x00"
//	format version  1 byte   1
//	kind            1 byte   'S' for a snapshot, 'J' for a journal
//	protocol        1 byte   the pickle protocol of the body, 0 to 5
//	schema version  4 bytes  uint32: the program's schema when written
//	time            8 bytes  int64: Unix nanoseconds when written
//	generation      8 bytes  uint64: n, so that a renamed file is refused
//	writer          1 byte length, then that many bytes: who wrote it
//	key id          1 byte length, then that many bytes; empty: unsigned
//	body length     8 bytes  uint64
//
// A snapshot's header is followed by its body, the pickle of the state:
// signed, the pickle pickle.SignWith writes (the "PKLHMAC1" envelope,
// tagged with the key the header names), unsigned, the bare pickle. Then
// comes the 32-byte seal, which binds the header to the body:
//
//	signed     HMAC-SHA256(key, header || the envelope's 32-byte tag)
//	unsigned   SHA-256(header || body)
//
// A journal's header (body length 0) is followed by its seal, computed with
// an empty body, then by records, one per Append:
//
//	length  4 bytes  uint32: the body's length
//	body    the pickle of the change, signed or not as the header says
//	seal    32 bytes: as above over "PKLSNAPR", the journal's generation
//	        and the record's index (8 bytes each), and the envelope's tag
//	        (signed) or the body (unsigned)
//	crc     4 bytes  CRC-32C of length, body and seal
//
// The CRC tells a record torn by a crash from one that was changed. A
// record cut short at the end of the journal, from an Append that never
// returned, is dropped; a bad record before the end stops the replay there
// and is reported.
//
// # Loading and falling back
//
// Load tries generations newest first. A generation is skipped, and
// reported, when its file is short or its header malformed (ErrCorrupt),
// its seal or signature does not verify (pickle.ErrSignature,
// pickle.ErrUnknownKey), it is unsigned in a signed store (ErrUnsigned), its
// schema is newer than the program's (ErrNewerSchema) or older with no
// migration to bridge the gap (ErrNoMigration), or its pickle does not
// decode or replay into the value. A journal whose header is damaged, or a
// bad record, does not fail its generation: the records before it are
// replayed, and the damage is reported as a *GenerationError naming the
// record. The value is zeroed before each attempt, so a failed attempt
// leaves nothing behind. Generations Load found bad do not count toward
// Config.Keep, and one of a newer schema is never removed: after a
// rollback, the old program must not destroy what the roll forward needs. When no generation loads, the
// error is a *LoadError listing every generation and why.
//
// # Migrations
//
// A generation written with an older schema is decoded into the value model
// (pickle.Unmarshal into an `any`), passed through the registered
// migrations from its version up to the program's, one version at a time,
// and the result mapped into the caller's value. Renamed classes are
// followed with Config.Renames or a pickle.FindClass option. Journal records
// are not migrated: Config.Replay sees each record's schema in
// Record.Schema, and Append refuses to extend a journal written with
// another schema, so after Load migrates, Save before appending.
//
// # Keeping old fixtures loading
//
// Every schema version a program ever wrote should stay loadable. The
// package's own tests show the pattern: testdata/schemas holds one store
// directory per past schema version, written once by the program of that
// version and never rewritten, and TestOldSchemasLoad opens each with the
// current Config and compares the result with what that version stored,
// migrated. When the schema changes, add a migration, bump Config.Schema,
// and commit a directory written by the new version (go test -run
// TestOldSchemasLoad -update-schema writes it).
//
// # Concurrency and trust
//
// A Store's methods are safe for concurrent use, but only one Store, in one
// process, may write a directory at a time; readers may be many. Signing
// detects changes to any generation, but not its removal: deleting the
// newest generation, or cutting off a journal's last records, is seen only
// as an older state.
package snapshot
