package snapshot

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzLoad puts arbitrary bytes where the newest snapshot, or its journal,
// belongs. Load must not panic, and must give either exactly what was saved
// (when the bytes are the file as written), the previous generation, or the
// newest with a prefix of its journal: never anything else.
func FuzzLoad(f *testing.F) {
	cfg := testConfig(nil)
	dir := f.TempDir()
	s, err := Open(dir, cfg)
	if err != nil {
		f.Fatal(err)
	}
	// Fuzzing workers run this setup again: the files must come out the
	// same, byte for byte, for the seeds to mean what they say.
	s.now = func() time.Time { return time.Unix(1764633600, 0) }
	older, newer := counter{N: 1, Names: []string{"old"}}, counter{N: 2, Names: []string{"new"}}
	if _, err := s.Save(older); err != nil {
		f.Fatal(err)
	}
	if _, err := s.Save(newer); err != nil {
		f.Fatal(err)
	}
	for _, name := range []string{"a", "b"} {
		if err := s.Append(add{name}); err != nil {
			f.Fatal(err)
		}
	}
	s.Close()
	snap, err := os.ReadFile(filepath.Join(dir, genName(2, snapSuffix)))
	if err != nil {
		f.Fatal(err)
	}
	journal, err := os.ReadFile(filepath.Join(dir, genName(2, journalSuffix)))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(false, snap)
	f.Add(false, snap[:len(snap)/2])
	f.Add(true, journal)
	f.Add(true, journal[:len(journal)-5])
	withNames := func(c counter, names ...string) counter {
		c.N += int64(len(names))
		c.Names = append(append([]string(nil), c.Names...), names...)
		return c
	}
	f.Fuzz(func(t *testing.T, inJournal bool, data []byte) {
		dir := t.TempDir()
		gen1, _ := os.ReadFile(filepath.Join(s.dir, genName(1, snapSuffix)))
		files := map[string][]byte{genName(1, snapSuffix): gen1, genName(2, snapSuffix): snap, genName(2, journalSuffix): journal}
		if inJournal {
			files[genName(2, journalSuffix)] = data
		} else {
			files[genName(2, snapSuffix)] = data
		}
		for name, b := range files {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r, err := Open(dir, cfg)
		if err != nil {
			t.Fatal(err)
		}
		var got counter
		l, err := r.Load(&got)
		if err != nil {
			t.Fatalf("generation 1 is intact, yet Load failed: %v", err)
		}
		switch {
		case !inJournal && bytes.Equal(data, snap), inJournal && bytes.Equal(data, journal):
			if !equalCounter(got, withNames(newer, "a", "b")) || l.FellBack() {
				t.Fatalf("the files as written loaded as %+v, skipping %v", got, l.Skipped)
			}
		case !inJournal:
			if l.Generation != 1 || !equalCounter(got, withNames(older)) || len(l.Skipped) != 1 {
				t.Fatalf("a changed newest snapshot loaded as generation %d: %+v, skipping %v", l.Generation, got, l.Skipped)
			}
		default:
			ok := false
			for _, want := range []counter{newer, withNames(newer, "a"), withNames(newer, "a", "b")} {
				ok = ok || equalCounter(got, want)
			}
			if l.Generation != 2 || !ok {
				t.Fatalf("a changed journal loaded as generation %d: %+v", l.Generation, got)
			}
		}
	})
}

func equalCounter(a, b counter) bool {
	if a.N != b.N || len(a.Names) != len(b.Names) {
		return false
	}
	for i := range a.Names {
		if a.Names[i] != b.Names[i] {
			return false
		}
	}
	return true
}
