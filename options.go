package pickle

import (
	"fmt"
	"maps"
	"reflect"
	"strings"
)

// An Option configures encoding or decoding. Options are values: build them
// once and pass them to any number of calls, from any number of goroutines.
// An option that does not apply to an operation is ignored by it. Later
// options override earlier ones. To check a set of options once and pass it
// cheaply on every call, join them with NewOptions.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// Default limits. Each can be changed with the option of the same name.
const (
	DefaultMaxDepth      = 10000
	DefaultMaxMemo       = 1 << 26
	DefaultMaxStack      = 1 << 26
	DefaultMaxIntDigits  = 4300 // Python's sys.get_int_max_str_digits()
	defaultMaxFrameBytes = 1<<63 - 1
)

// stringEncoding is how Python 2 str values (STRING, BINSTRING,
// SHORT_BINSTRING) are decoded.
type stringEncoding uint8

const (
	encASCII stringEncoding = iota
	encLatin1
	encBytes
	encUTF8
)

type config struct {
	err error // the first invalid option

	// Encoding.
	protocol       int
	persistentID   func(v any) (pid any, ok bool, err error)
	bufferCallback func(b *PickleBuffer) (inBand bool)
	exactTime      bool
	numpy2         bool // NumpyModules(2)
	unsortedMaps   bool // UnsortedMaps

	// Decoding.
	allowAll       bool
	allow          map[string]bool // "module.name" or "module.*"
	encoding       stringEncoding
	findClass      func(module, name string) (string, string, error)
	persistentLoad func(pid any) (any, error)
	keepPIDs       bool // KeepPersistentIDs
	torchPIDs      bool // the scanner takes torch storage ids as safe (scan_torch.go)
	buffers        [][]byte
	buffersSet     bool
	extensions     map[int32]Global
	extensionCodes map[Global]int32 // extensions, the other way round
	maxDepth       int
	maxMemo        int
	maxStack       int
	maxIntDigits   int

	// Files (ReadFile).
	maxDecompressed int64
	member          string
	// sideDir is the directory of the file ReadFile reads, where joblib's
	// oldest format keeps each array in a file of its own; "" for the
	// reader-based forms, which then refuse such arrays.
	sideDir string

	// Both directions.
	classByName map[string]*classInfo // "module.QualName"
	classByType map[reflect.Type]*classInfo

	// Typed decoding.
	disallowUnknownFields bool
	shareInput            bool // ShareInput
	plain                 bool // PlainValues
	// noQuickPaths keeps Marshal off marshal_fast.go's quick paths, for
	// tests that compare.
	noQuickPaths bool
	// noStructPlans keeps Marshal's quick paths but writes structs
	// without their plans (marshal_plan.go), for tests that compare.
	noStructPlans bool

	// Signed pickles.
	signKeyID  string
	signKey    []byte
	verifyKeys map[string][]byte

	// Which maps this config may write to. A config copied from compiled
	// Options shares its maps; the first option to change one copies it
	// (owned), so that a list of k options costs O(k), not O(k^2).
	ownAllow, ownByName, ownByType, ownExtensions, ownExtensionCodes bool
}

func newConfig(opts []Option) (*config, error) {
	if len(opts) > 0 {
		if o, ok := opts[0].(*Options); ok && o != nil {
			if len(opts) == 1 {
				return &o.cfg, nil // compiled, validated, never written
			}
			c := o.cfg.layer()
			applyAll(c, opts[1:])
			return c, c.err
		}
	}
	c := defaultConfig()
	applyAll(c, opts)
	return c, c.err
}

func defaultConfig() *config {
	return &config{
		protocol:     DefaultProtocol,
		maxDepth:     DefaultMaxDepth,
		maxMemo:      DefaultMaxMemo,
		maxStack:     DefaultMaxStack,
		maxIntDigits: DefaultMaxIntDigits,

		maxDecompressed: DefaultMaxDecompressedSize,
	}
}

func applyAll(c *config, opts []Option) {
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
}

// layer returns a copy of c to apply more options to, leaving c as it is.
func (c *config) layer() *config {
	l := *c
	l.ownAllow, l.ownByName, l.ownByType, l.ownExtensions, l.ownExtensionCodes = false, false, false, false, false
	return &l
}

// owned returns *m, made the config's own to write to: copied first unless
// *own says it is already.
func owned[K comparable, V any](m *map[K]V, own *bool) map[K]V {
	if !*own {
		*m = maps.Clone(*m)
		if *m == nil {
			*m = map[K]V{}
		}
		*own = true
	}
	return *m
}

func (c *config) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// Protocol selects the pickle protocol the encoder writes, 0 to 5.
// DefaultProtocol is 4.
func Protocol(n int) Option {
	return optionFunc(func(c *config) {
		if n < 0 || n > HighestProtocol {
			c.fail(fmt.Errorf("pickle: Protocol(%d): want a protocol from 0 to %d", n, HighestProtocol))
			return
		}
		c.protocol = n
	})
}

// AllowGlobals admits more globals when decoding, in addition to the default
// allowlist. Each name is "module.qualname" (for example "collections.deque"
// or "mymod.Outer.Inner"), or "module.*" for every name in a module. Admitted
// globals that this package does not know how to build are decoded as Global
// and Object values.
func AllowGlobals(names ...string) Option {
	return optionFunc(func(c *config) {
		for _, n := range names {
			if !strings.Contains(n, ".") {
				c.fail(fmt.Errorf("pickle: AllowGlobals(%q): want \"module.name\" or \"module.*\"", n))
				return
			}
		}
		m := owned(&c.allow, &c.ownAllow)
		for _, n := range names {
			m[n] = true
		}
	})
}

// AllowAllGlobals admits every global. Nothing is executed still: unknown
// globals become Global values and calls become Object values that record the
// call, its arguments and its state, so that an encoder can write them back.
func AllowAllGlobals() Option {
	return optionFunc(func(c *config) { c.allowAll = true })
}

// Encoding selects how Python 2 8-bit strings (the STRING, BINSTRING and
// SHORT_BINSTRING opcodes) decode, as Python's pickle.load(encoding=...) does:
// "ASCII" (the default: a string with bytes above 0x7f is an error), "latin1"
// (each byte is one code point), "utf-8", or "bytes" (they decode as []byte;
// spelled exactly so, as CPython compares it). Any name CPython gives the
// three codecs ("latin-1", "cp819", "UTF8", ...) will do.
func Encoding(name string) Option {
	return optionFunc(func(c *config) {
		if name == "bytes" { // exactly, as CPython compares it: "BYTES" is an unknown codec there
			c.encoding = encBytes
			return
		}
		switch codecNamed(name) {
		case codecASCII:
			c.encoding = encASCII
		case codecLatin1:
			c.encoding = encLatin1
		case codecUTF8:
			c.encoding = encUTF8
		default:
			c.fail(fmt.Errorf("pickle: Encoding(%q): want \"ASCII\", \"latin1\", \"utf-8\" or \"bytes\"", name))
		}
	})
}

// FindClass installs a hook that maps a global's module and name, after
// Python 2 to 3 renames, to the ones to use, as overriding Python's
// Unpickler.find_class does: the place to follow renamed modules and classes.
// The mapped name must still pass the allowlist. An error from the hook stops
// decoding.
func FindClass(hook func(module, name string) (newModule, newName string, err error)) Option {
	return optionFunc(func(c *config) { c.findClass = hook })
}

// PersistentLoad installs the hook that resolves persistent ids (PERSID,
// BINPERSID), as Python's Unpickler.persistent_load. Without it, a persistent
// id is an error, or a *PersistentID value with KeepPersistentIDs or
// AllowAllGlobals.
func PersistentLoad(hook func(pid any) (any, error)) Option {
	return optionFunc(func(c *config) { c.persistentLoad = hook })
}

// KeepPersistentIDs decodes persistent ids (PERSID, BINPERSID) that no
// PersistentLoad hook resolves as *PersistentID values, to look at a pickle
// made for a loader with its own persistent_load (PyTorch's torch.load, for
// one) without resolving anything. For Scan it says that the caller's loader
// resolves persistent ids: they are then safe rather than External. Python's
// plain pickle.load refuses such pickles.
func KeepPersistentIDs() Option {
	return optionFunc(func(c *config) { c.keepPIDs = true })
}

// Buffers supplies the out-of-band buffers that a protocol 5 pickle refers to
// with NEXT_BUFFER, in order, as Python's pickle.loads(buffers=...). The
// decoder does not copy them.
func Buffers(bufs ...[]byte) Option {
	return optionFunc(func(c *config) {
		c.buffers = bufs
		c.buffersSet = true
	})
}

// Extension registers an extension code (EXT1, EXT2, EXT4) for a global, as
// Python's copyreg.add_extension: the decoder reads the code as the global
// (which must still pass the allowlist), and the encoder writes the global as
// the code at protocol 2 and up. A code given two globals, or a global two
// codes, is an error.
func Extension(code int32, module, name string) Option {
	return optionFunc(func(c *config) {
		g := Global{module, name}
		if code <= 0 {
			c.fail(fmt.Errorf("pickle: Extension(%d, %q, %q): the code must be positive", code, module, name))
			return
		}
		// copyreg.add_extension refuses both conflicts too: a reader
		// and a writer would disagree on what the code means.
		if prev, ok := c.extensions[code]; ok && prev != g {
			c.fail(fmt.Errorf("pickle: Extension(%d, %q, %q): code %d already stands for %s", code, module, name, code, prev))
			return
		}
		if prev, ok := c.extensionCode(g); ok && prev != code {
			c.fail(fmt.Errorf("pickle: Extension(%d, %q, %q): %s already has code %d", code, module, name, g, prev))
			return
		}
		owned(&c.extensions, &c.ownExtensions)[code] = g
		owned(&c.extensionCodes, &c.ownExtensionCodes)[g] = code
	})
}

func positiveLimit(name string, n int, set func(*config)) Option {
	return optionFunc(func(c *config) {
		if n <= 0 {
			c.fail(fmt.Errorf("pickle: %s(%d) must be positive", name, n))
			return
		}
		set(c)
	})
}

// MaxDepth limits nesting: marks open at once while decoding, and the depth
// of containers that encoding, typed decoding and printing walk. Default
// DefaultMaxDepth.
func MaxDepth(n int) Option {
	return positiveLimit("MaxDepth", n, func(c *config) { c.maxDepth = n })
}

// MaxMemo limits the number of memo entries a pickle may define. Default
// DefaultMaxMemo.
func MaxMemo(n int) Option {
	return positiveLimit("MaxMemo", n, func(c *config) { c.maxMemo = n })
}

// MaxStack limits the number of items on the decoder's stack. Default
// DefaultMaxStack.
func MaxStack(n int) Option {
	return positiveLimit("MaxStack", n, func(c *config) { c.maxStack = n })
}

// MaxIntDigits limits the digits of a decimal integer in a protocol 0 or 1
// pickle (INT, LONG), as Python's sys.set_int_max_str_digits does. Default
// DefaultMaxIntDigits, Python's own default.
func MaxIntDigits(n int) Option {
	return positiveLimit("MaxIntDigits", n, func(c *config) { c.maxIntDigits = n })
}

// PersistentIDFunc installs the encoder's persistent id hook, as Python's
// Pickler.persistent_id: for every value about to be written, fn may return a
// persistent id (ok true) to write instead of the value. The id itself is
// written as an ordinary value.
func PersistentIDFunc(fn func(v any) (pid any, ok bool, err error)) Option {
	return optionFunc(func(c *config) { c.persistentID = fn })
}

// BufferCallback sets the encoder's out-of-band buffer hook, as Python's
// pickle.dumps(buffer_callback=...), for protocol 5: fn is called with each
// *PickleBuffer written; when it returns false the buffer is left out of the
// pickle (NEXT_BUFFER) and the caller must hand it to the decoder with the
// Buffers option, in the same order; when it returns true the data is
// written in the pickle.
func BufferCallback(fn func(b *PickleBuffer) (inBand bool)) Option {
	return optionFunc(func(c *config) { c.bufferCallback = fn })
}

// extensionCode returns the extension code registered for g.
func (c *config) extensionCode(g Global) (int32, bool) {
	code, ok := c.extensionCodes[g]
	return code, ok
}

// DisallowUnknownFields makes decoding into a struct fail when the dict or
// instance state has a key no field takes, as encoding/json's
// Decoder.DisallowUnknownFields does.
func DisallowUnknownFields() Option {
	return optionFunc(func(c *config) { c.disallowUnknownFields = true })
}

// UnsortedMaps makes Marshal and Encoder write the items of Go maps, and
// the members of Go sets (map[T]struct{}), in the order Go ranges over
// them, rather than sorted by key. Python is told nothing different: the
// dict or set loaded is the same either way. What changes is the bytes:
// Go ranges over a map in an order it chooses anew each time, so the same
// map is then written differently from one call to the next, and a
// pickle can no longer be compared, hashed or signed as a fingerprint of
// its value. What it buys is the sort: for a map keyed by integers, the
// larger part of writing it. Maps of the model (*Dict, *Set) keep their
// own order either way.
func UnsortedMaps() Option {
	return optionFunc(func(c *config) { c.unsortedMaps = true })
}

// ExactTime makes Marshal fail on a time.Time or time.Duration with a
// fraction of a microsecond, which datetime and timedelta cannot hold, rather
// than round it to the nearest microsecond (half to even, as CPython's
// datetime.fromtimestamp and timedelta round).
func ExactTime() Option {
	return optionFunc(func(c *config) { c.exactTime = true })
}
