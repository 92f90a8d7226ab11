package snapshot

import (
	"crypto/hmac"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"

	"github.com/pickle-go/pickle"
)

// This file is the journal: the changes appended to a generation between
// Saves, each record a pickle framed with its length, seal and CRC (see the
// package documentation), and their replay by Load.

// ErrTornRecord: a journal's last record is cut short or fails its CRC, the
// trace of a crash during an Append that never returned. Load drops it.
var ErrTornRecord = errors.New("snapshot: torn journal record")

// frameOverhead is a record's bytes besides its body.
const frameOverhead = 4 + sealSize + 4

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// A Record is one change from a journal, handed to Config.Replay.
type Record struct {
	Generation uint64 // the generation whose journal holds it
	Index      int    // its place in the journal, from 0
	Schema     int    // the schema version the journal was written with
	body       []byte
	opts       []pickle.Option
}

// Decode unmarshals the change into the value v points to, as
// pickle.Unmarshal does, with the store's options.
func (r Record) Decode(v any) error {
	if err := pickle.Unmarshal(r.body, v, r.opts...); err != nil {
		return fmt.Errorf("snapshot: generation %d, journal record %d: %w", r.Generation, r.Index, err)
	}
	return nil
}

// appendRecord appends the frame of record index of journal gen to b.
func appendRecord(b []byte, key []byte, gen, index uint64, body []byte) []byte {
	start := len(b)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(body)))
	b = append(b, body...)
	b = append(b, recordSeal(key, gen, index, body)...)
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b[start:], castagnoli))
}

// journalScan is what scanning a journal found.
type journalScan struct {
	header  *header
	key     []byte
	bodies  [][]byte // the good records, in order
	goodEnd int      // the offset just after the last good record
	// bad, when not nil, says why the records from goodEnd on are not
	// read: ErrTornRecord for a torn tail, else a corrupt or forged record.
	bad error
}

// scanJournal checks the journal of generation gen and splits it into
// records. An error means the journal as a whole is unusable (its header).
func (s *Store) scanJournal(data []byte, gen uint64) (*journalScan, error) {
	h, n, key, err := s.openHeader(data, gen, kindJournal)
	if err != nil {
		return nil, err
	}
	if h.bodyLen != 0 || len(data) < n+sealSize {
		return nil, fmt.Errorf("%w: journal header cut short or with a body length", ErrCorrupt)
	}
	if !hmac.Equal(fileSeal(key, data[:n], nil), data[n:n+sealSize]) {
		return nil, sealError(key)
	}
	js := &journalScan{header: h, key: key}
	pos := n + sealSize
	for index := uint64(0); pos < len(data); index++ {
		rest := data[pos:]
		if len(rest) < 4 {
			js.bad = fmt.Errorf("%w: %d bytes where a record's length belongs", ErrTornRecord, len(rest))
			break
		}
		size := uint64(binary.LittleEndian.Uint32(rest))
		if size+frameOverhead > uint64(len(rest)) {
			js.bad = fmt.Errorf("%w: record of %d bytes cut short at %d", ErrTornRecord, size+frameOverhead, len(rest))
			break
		}
		frame := rest[:size+frameOverhead]
		sum := binary.LittleEndian.Uint32(frame[len(frame)-4:])
		if crc32.Checksum(frame[:len(frame)-4], castagnoli) != sum {
			if len(frame) == len(rest) {
				js.bad = fmt.Errorf("%w: the last record fails its CRC", ErrTornRecord)
			} else {
				js.bad = fmt.Errorf("%w: record at offset %d fails its CRC, with %d bytes after it", ErrCorrupt, pos, len(rest)-len(frame))
			}
			break
		}
		body := frame[4 : 4+size]
		if !hmac.Equal(recordSeal(key, gen, index, body), frame[4+size:4+size+sealSize]) {
			js.bad = fmt.Errorf("record at offset %d: %w", pos, sealError(key))
			break
		}
		js.bodies = append(js.bodies, body)
		pos += len(frame)
	}
	js.goodEnd = pos
	return js, nil
}

// replay applies generation gen's journal to v and returns how many records
// it applied. A record Replay refuses fails the generation; a bad journal
// header or record only ends the replay there, and journalErr reports it.
func (s *Store) replay(gen uint64, v any) (n int, journalErr *GenerationError, err error) {
	data, err := s.readJournal(gen)
	if err != nil || data == nil {
		return 0, nil, err
	}
	path := s.path(gen, journalSuffix)
	js, err := s.scanJournal(data, gen)
	if err != nil {
		// Journals are created whole (a temporary file renamed), so a
		// bad header is damage, not a crash; the snapshot still stands,
		// and is a newer state than any older generation.
		return 0, &GenerationError{Generation: gen, Path: path, Record: 0, Err: fmt.Errorf("journal header: %w", err)}, nil
	}
	if len(js.bodies) > 0 && s.cfg.Replay == nil {
		return 0, nil, &GenerationError{Generation: gen, Path: path, Record: 0, Err: fmt.Errorf("the journal has %d records and Config.Replay is nil", len(js.bodies))}
	}
	opts := s.plainOpts
	if js.key != nil {
		opts = s.decOpts
	}
	for i, body := range js.bodies {
		r := Record{Generation: gen, Index: i, Schema: js.header.schema, body: body, opts: opts}
		if err := s.cfg.Replay(v, r); err != nil {
			return 0, nil, &GenerationError{Generation: gen, Path: path, Record: i, Err: err}
		}
	}
	if js.bad != nil {
		journalErr = &GenerationError{Generation: gen, Path: path, Record: len(js.bodies), Err: js.bad}
	}
	return len(js.bodies), journalErr, nil
}

// journalWriter is the open journal Append writes to.
type journalWriter struct {
	f       file
	gen     uint64
	key     []byte
	size    int64 // the length of the good records
	records uint64
}

// Append adds change to the journal of the generation last saved or loaded,
// and returns once it is durable: a Load after a crash replays it. The
// journal is created on the first Append after a Save.
func (s *Store) Append(change any) error {
	body, err := pickle.Marshal(change, s.encOpts...)
	if err != nil {
		return fmt.Errorf("snapshot: Append: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.head == 0 {
		return errors.New("snapshot: Append before Save or Load: no generation to extend")
	}
	if s.journal == nil {
		if s.journal, err = s.openJournal(s.head); err != nil {
			return fmt.Errorf("snapshot: Append to generation %d: %w", s.head, err)
		}
	}
	j := s.journal
	frame := appendRecord(nil, j.key, j.gen, j.records, body)
	if _, err := j.f.Write(frame); err != nil {
		return s.abandonAppend(err)
	}
	if err := j.f.Sync(); err != nil {
		return s.abandonAppend(err)
	}
	j.size += int64(len(frame))
	j.records++
	return nil
}

// abandonAppend cuts a failed record off the journal, so that the next
// Append does not follow garbage, and closes it; the next Append reopens it.
func (s *Store) abandonAppend(err error) error {
	j := s.journal
	if terr := j.f.Truncate(j.size); terr == nil {
		j.f.Sync()
	}
	s.closeJournal()
	return fmt.Errorf("snapshot: Append to generation %d: %w", j.gen, err)
}

// openJournal opens generation gen's journal for appending, creating it or
// cutting off a torn last record.
func (s *Store) openJournal(gen uint64) (*journalWriter, error) {
	path := s.path(gen, journalSuffix)
	data, err := s.fs.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		head := appendHeader(nil, s.header(kindJournal, gen, 0))
		if err := s.writeAtomic(path, head, fileSeal(s.cfg.Key, head, nil)); err != nil {
			return nil, err
		}
		data, err = s.fs.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	js, err := s.scanJournal(data, gen)
	if err != nil {
		return nil, err
	}
	switch {
	case js.bad != nil && !errors.Is(js.bad, ErrTornRecord):
		return nil, fmt.Errorf("record %d: %w; Save to start a new journal", len(js.bodies), js.bad)
	case js.header.schema != s.cfg.Schema:
		return nil, fmt.Errorf("the journal was written with schema %d, this program writes %d; Save to start a new journal", js.header.schema, s.cfg.Schema)
	case js.header.keyID != s.cfg.KeyID && s.cfg.Key != nil, js.key != nil && s.cfg.Key == nil:
		return nil, fmt.Errorf("the journal is sealed with key %q, this store signs with %q; Save to start a new journal", js.header.keyID, s.cfg.KeyID)
	}
	f, err := s.fs.OpenAppend(path)
	if err != nil {
		return nil, err
	}
	if js.goodEnd < len(data) {
		// A torn record from a crash: cut it off before appending.
		if err := f.Truncate(int64(js.goodEnd)); err != nil {
			f.Close()
			return nil, err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, err
		}
	}
	return &journalWriter{f: f, gen: gen, key: js.key, size: int64(js.goodEnd), records: uint64(len(js.bodies))}, nil
}

// closeJournal closes the open journal, if any.
func (s *Store) closeJournal() error {
	if s.journal == nil {
		return nil
	}
	err := s.journal.f.Close()
	s.journal = nil
	return err
}
