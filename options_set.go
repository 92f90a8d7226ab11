package pickle

// Options is a set of options joined, checked and compiled once by
// NewOptions. It is itself an Option: pass it to Marshal, Unmarshal,
// NewEncoder, NewDecoder, Scan (or anything else that takes options) as
// the only option and the call uses the compiled configuration as it is,
// without rebuilding or allocating it. Given with more options, they are
// layered on a copy, in order, as if its own options stood in its place.
//
// An Options is immutable and safe to share between goroutines.
type Options struct {
	list []Option // the options it was built from, nested Options flattened
	cfg  config   // their compiled result; never written after NewOptions
}

// NewOptions joins opts into one Option, checking every one of them now:
// a malformed class or global name, a protocol or limit out of range, an
// unknown encoding, a Go type bound to two classes or a class to two Go
// types, an extension code given two globals or a global two codes, an
// empty signing key. The error names the option at fault.
func NewOptions(opts ...Option) (*Options, error) {
	o := &Options{}
	for _, op := range opts {
		switch op := op.(type) {
		case nil:
		case *Options:
			if op != nil {
				o.list = append(o.list, op.list...)
			}
		default:
			o.list = append(o.list, op)
		}
	}
	c := defaultConfig()
	applyAll(c, o.list)
	if c.err != nil {
		return nil, c.err
	}
	o.cfg = *c.layer() // owns nothing: a later option copies what it writes
	return o, nil
}

// apply replays the options o was built from, so that o given among other
// options means exactly what its options would there.
func (o *Options) apply(c *config) {
	if o != nil {
		applyAll(c, o.list)
	}
}
