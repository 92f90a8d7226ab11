package snapshot_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/pickle-go/pickle/snapshot"
)

// A service checkpoints its state, journals changes between checkpoints,
// and after a bad deploy corrupts the newest checkpoint, loads the previous
// one and tells the operator.
func Example() {
	type State struct {
		Users []string `pickle:"users"`
	}
	type AddUser struct {
		Name string `pickle:"name"`
	}
	dir, err := os.MkdirTemp("", "snapshot-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	cfg := snapshot.Config{
		KeyID:  "2026-12",
		Key:    []byte("a secret from the key store, not the source"),
		Schema: 1,
		Keep:   3,
		Replay: func(state any, r snapshot.Record) error {
			var a AddUser
			if err := r.Decode(&a); err != nil {
				return err
			}
			s := state.(*State)
			s.Users = append(s.Users, a.Name)
			return nil
		},
		OnSkip: func(e *snapshot.GenerationError) {
			fmt.Printf("ALERT: skipped generation %d (corrupt: %v)\n", e.Generation, errors.Is(e, snapshot.ErrCorrupt))
		},
	}
	store, err := snapshot.Open(dir, cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	if _, err := store.Save(State{Users: []string{"ada"}}); err != nil {
		log.Fatal(err)
	}
	if err := store.Append(AddUser{"brian"}); err != nil { // durable when it returns
		log.Fatal(err)
	}
	if _, err := store.Save(State{Users: []string{"ada", "brian", "chen"}}); err != nil {
		log.Fatal(err)
	}
	// A bad disk, or a bad deploy, cuts the newest generation short.
	newest := filepath.Join(dir, "gen-00000000000000000002.snap")
	if err := os.Truncate(newest, 30); err != nil {
		log.Fatal(err)
	}

	var state State
	loaded, err := store.Load(&state)
	if err != nil {
		log.Fatal(err) // a *snapshot.LoadError lists every generation and why
	}
	fmt.Println("loaded generation", loaded.Generation, "with", loaded.Records, "journal record:", state.Users)
	// Output:
	// ALERT: skipped generation 2 (corrupt: true)
	// loaded generation 1 with 1 journal record: [ada brian]
}
