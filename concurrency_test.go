package pickle

import (
	"bytes"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestConcurrentUse shares one set of options (allowlist, class registry,
// hooks, signing keys) among goroutines that each decode and encode with
// their own Decoders and Encoders. Run it with -race (CI does).
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
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, in := range inputs {
				if i%8 != g {
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
				_ = Repr(back)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}
