package pickle

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestConcurrentUse shares one set of options (allowlist, class registry,
// hooks, signing keys) among goroutines that each decode and encode with
// their own Decoders and Encoders. Run it with -race (CI does). Each
// goroutine counts the pickles it decoded, wrote and read back the same:
// goroutines that silently did nothing, or failed on everything, fail it.
func TestConcurrentUse(t *testing.T) {
	opts := append([]Option{
		AllowGlobals("fixture_classes.*"),
		Encoding("latin1"),
		FindClass(func(m, n string) (string, string, error) { return m, n, nil }),
	}, fixtureClasses...)
	var inputs [][]byte
	for i, f := range loadFixtures(t) {
		if i%7 == 0 && len(f.Data) < 1<<14 {
			inputs = append(inputs, f.Data)
		}
	}
	signing := []Option{SignWith("k", testKey), VerifyWith(map[string][]byte{"k": testKey})}
	const goroutines = 8
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	var done [goroutines]int
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, in := range inputs {
				if i%goroutines != g {
					continue
				}
				var v any
				if err := NewDecoder(bytes.NewReader(in), opts...).Decode(&v); err != nil {
					continue // a fixture that needs AllowAllGlobals
				}
				var buf bytes.Buffer
				if err := NewEncoder(&buf, append(opts, signing...)...).Encode(v); err != nil {
					errs <- err
					return
				}
				var back any
				if err := Unmarshal(buf.Bytes(), &back, append(opts, signing...)...); err != nil {
					errs <- err
					return
				}
				if Repr(back) != Repr(v) {
					errs <- fmt.Errorf("goroutine %d, input %d: read back %s, wrote %s", g, i, Repr(back), Repr(v))
					return
				}
				done[g]++
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	// A fixture may need AllowAllGlobals; nearly all do not.
	share := len(inputs) / goroutines
	require.Greater(t, share, 50, "too few inputs for a goroutine")
	total := 0
	for g, n := range done {
		require.GreaterOrEqual(t, n, share*9/10, "goroutine %d decoded %d of its %d inputs", g, n, share)
		total += n
	}
	t.Logf("%d of %d inputs decoded, written and read back", total, len(inputs))
}
