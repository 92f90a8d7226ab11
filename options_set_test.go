package pickle

import (
	"bytes"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

type optPoint struct{ X, Y int }
type optOther struct{ A int }

// TestNewOptionsRejects checks that every option that can be wrong is
// reported by NewOptions, by name, and that the same list passed to a call
// fails the same way.
func TestNewOptionsRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Option
		want string
	}{
		{"class name without a module", []Option{RegisterClass("Point", optPoint{})}, `RegisterClass("Point")`},
		{"class name with an empty part", []Option{RegisterClass("app..Point", optPoint{})}, `RegisterClass("app..Point")`},
		{"nil prototype", []Option{RegisterClass("app.Point", nil)}, `RegisterClass("app.Point"): nil prototype`},
		{"one type, two classes", []Option{RegisterClass("app.Point", optPoint{}), RegisterClass("app.P2", &optPoint{})}, `RegisterClass("app.P2")`},
		{"one class, two types", []Option{RegisterClass("app.Point", optPoint{}), RegisterClass("app.Point", optOther{})}, `RegisterClass("app.Point"): the class is already registered`},
		{"global without a module", []Option{AllowGlobals("os.path", "system")}, `AllowGlobals("system")`},
		{"protocol too high", []Option{Protocol(6)}, `Protocol(6)`},
		{"protocol negative", []Option{Protocol(-1)}, `Protocol(-1)`},
		{"depth zero", []Option{MaxDepth(0)}, `MaxDepth(0)`},
		{"memo negative", []Option{MaxMemo(-3)}, `MaxMemo(-3)`},
		{"stack zero", []Option{MaxStack(0)}, `MaxStack(0)`},
		{"digits zero", []Option{MaxIntDigits(0)}, `MaxIntDigits(0)`},
		{"unknown encoding", []Option{Encoding("koi8-r")}, `Encoding("koi8-r")`},
		{"bytes spelled otherwise", []Option{Encoding("BYTES")}, `Encoding("BYTES")`},
		{"extension code zero", []Option{Extension(0, "a", "B")}, `Extension(0, "a", "B")`},
		{"extension code reused", []Option{Extension(5, "a", "B"), Extension(5, "a", "C")}, `Extension(5, "a", "C"): code 5 already stands for a.B`},
		{"extension global recoded", []Option{Extension(5, "a", "B"), Extension(6, "a", "B")}, `Extension(6, "a", "B"): a.B already has code 5`},
		{"empty signing key", []Option{SignWith("k", nil)}, `SignWith: empty key`},
		{"long key id", []Option{SignWith(string(make([]byte, 256)), testKey)}, `SignWith: key id of 256 bytes`},
		{"error inside nested Options", []Option{mustOptions(t, MaxDepth(3)), Protocol(9)}, `Protocol(9)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := NewOptions(tc.opts...)
			require.Nil(t, o)
			require.ErrorContains(t, err, "pickle: "+tc.want)
			_, callErr := Marshal(nil, tc.opts...)
			require.EqualError(t, callErr, err.Error())
		})
	}
}

// TestNewOptionsAccepts checks what a set may repeat without conflict.
func TestNewOptionsAccepts(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Option
	}{
		{"nothing", nil},
		{"nil options", []Option{nil, (*Options)(nil)}},
		{"a class registered twice", []Option{RegisterClass("app.Point", optPoint{}), RegisterClass("app.Point", optPoint{})}},
		{"a class by value then by pointer", []Option{RegisterClass("app.Point", optPoint{}), RegisterClass("app.Point", &optPoint{})}},
		{"an extension registered twice", []Option{Extension(5, "a", "B"), Extension(5, "a", "B")}},
		{"a set inside itself", []Option{mustOptions(t, RegisterClass("app.Point", optPoint{})), RegisterClass("app.Point", optPoint{})}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewOptions(tc.opts...)
			require.NoError(t, err)
		})
	}
}

func mustOptions(t testing.TB, opts ...Option) *Options {
	t.Helper()
	o, err := NewOptions(opts...)
	require.NoError(t, err)
	return o
}

// TestOptionsMeanTheirList checks that a compiled set, alone or among other
// options in any position, writes and reads what its list would.
func TestOptionsMeanTheirList(t *testing.T) {
	base := []Option{RegisterClass("app.Point", optPoint{}), Protocol(3), Extension(240, "app", "Point")}
	set := mustOptions(t, base...)
	for _, tc := range []struct {
		name     string
		compiled []Option
		list     []Option
	}{
		{"alone", []Option{set}, base},
		{"then a protocol", []Option{set, Protocol(2)}, append(base[:len(base):len(base)], Protocol(2))},
		{"after a protocol", []Option{Protocol(0), set}, append([]Option{Protocol(0)}, base...)},
		{"between", []Option{Protocol(1), set, Protocol(5)}, append(append([]Option{Protocol(1)}, base...), Protocol(5))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := []any{optPoint{1, 2}, &optPoint{3, 4}}
			want, err := Marshal(v, tc.list...)
			require.NoError(t, err)
			got, err := Marshal(v, tc.compiled...)
			require.NoError(t, err)
			require.Equal(t, want, got)
			var back []optPoint
			require.NoError(t, Unmarshal(got, &back, tc.compiled...))
			require.Equal(t, []optPoint{{1, 2}, {3, 4}}, back)
		})
	}
}

// TestOptionsLayerOnACopy checks that options given after a compiled set,
// and Scan's own settings, change a copy and never the set.
func TestOptionsLayerOnACopy(t *testing.T) {
	set := mustOptions(t, AllowGlobals("app.*"), RegisterClass("app.Point", optPoint{}), Extension(7, "app", "Point"), AllowAllGlobals(), Encoding("utf-8"))
	_, err := Marshal(nil, set, AllowGlobals("other.Thing"), RegisterClass("other.Other", optOther{}), Extension(8, "other", "Other"))
	require.NoError(t, err)
	_, err = Scan(bytes.NewReader([]byte("N.")), set)
	require.NoError(t, err)
	require.Equal(t, map[string]bool{"app.*": true}, set.cfg.allow)
	require.Len(t, set.cfg.classByName, 1)
	require.Len(t, set.cfg.classByType, 2)
	require.Equal(t, map[int32]Global{7: {"app", "Point"}}, set.cfg.extensions)
	require.True(t, set.cfg.allowAll)
	require.Equal(t, encUTF8, set.cfg.encoding)
}

// TestOptionsAloneCostNoConfig pins the promise of NewOptions: a call given
// only the compiled set allocates no more than a call given no options.
func TestOptionsAloneCostNoConfig(t *testing.T) {
	set := mustOptions(t, manyClasses(50)...)
	data := []byte("\x80\x04K\x07.") // pickle.dumps(7, protocol=4)
	for _, tc := range []struct {
		name string
		call func(opts ...Option) error
	}{
		{"Marshal", func(opts ...Option) error { _, err := Marshal(int64(7), opts...); return err }},
		{"Unmarshal", func(opts ...Option) error { var v int; return Unmarshal(data, &v, opts...) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if raceEnabled {
				// Pools drop entries at random under -race; go test
				// without it (the README's command) runs this check.
				t.Skip("allocation counts are not repeatable under the race detector")
			}
			none := testing.AllocsPerRun(100, func() { require.NoError(t, tc.call()) })
			compiled := testing.AllocsPerRun(100, func() { require.NoError(t, tc.call(set)) })
			require.Equal(t, none, compiled)
		})
	}
	require.Zero(t, testing.AllocsPerRun(100, func() { _, _ = newConfig([]Option{set}) }))
}

// TestOptionsSharedAcrossGoroutines uses one compiled set from many
// goroutines, alone and with more options layered on it, through every
// entry point. Run it with -race (CI does).
func TestOptionsSharedAcrossGoroutines(t *testing.T) {
	set := mustOptions(t, append(manyClasses(20), RegisterClass("app.Point", optPoint{}), SignWith("k", testKey), VerifyWith(map[string][]byte{"k": testKey}))...)
	const goroutines, rounds = 8, 40
	var ok atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				v := optPoint{g, i}
				data, err := Marshal(v, set)
				if err != nil {
					errs <- err
					return
				}
				var back optPoint
				if err := Unmarshal(data, &back, set, MaxDepth(50+i)); err != nil {
					errs <- err
					return
				}
				var viaStream optPoint
				if err := NewDecoder(bytes.NewReader(data), AllowGlobals("x.y"), set).Decode(&viaStream); err != nil {
					errs <- err
					return
				}
				var buf bytes.Buffer
				if err := NewEncoder(&buf, set, Protocol(i%6)).Encode(v); err != nil {
					errs <- err
					return
				}
				if _, err := Scan(bytes.NewReader(data[:0]), set); err != nil {
					errs <- err
					return
				}
				if back != v || viaStream != v {
					errs <- errors.New("decoded another value")
					return
				}
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, int64(goroutines*rounds), ok.Load())
}
