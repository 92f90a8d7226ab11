// Command pickle looks inside Python pickle files without Python.
//
//	pickle dis FILE                                 disassemble, as python3 -m pickletools
//	pickle show [-allow-all] [-persistent-ids] [-encoding E] FILE
//	                                                print the value in Python notation
//	pickle json [-nan error|null|string] [-allow-all] [-persistent-ids] [-encoding E] FILE
//	                                                print the value as JSON, one line a pickle
//	pickle recode -p N [-allow-all] [-persistent-ids] [-encoding E] FILE
//	                                                write it again at protocol N, to stdout
//	pickle scan [-json] [-allow GLOBAL]... [-persistent-ids] FILE...
//	                                                report the globals and calls, and a verdict
//
// FILE may be "-" for standard input. It may be a plain pickle or a pickle
// that Python tools wrapped: gzip, bz2, xz, lzma, zstd, zlib or lz4
// compression, a zip or a tar archive (pandas' to_pickle writes each), a
// joblib file, or numpy's .npy or .npz, known by its first bytes (see
// pickle.ReadFile). The commands read each pickle inside, and print an
// archive member's name before its pickles; show and json print a numpy
// file's arrays as one value.
//
// json prints what pickle.Plain makes of each value, as encoding/json
// writes it: dicts are objects, their keys made strings as Python's
// json.dumps makes them (1 -> "1", True -> "true") or, where json.dumps has
// none (a tuple, bytes), the key's Python repr; lists, tuples, sets and
// frozensets are arrays; bytes and bytearrays are base64 strings; ints of
// any size are numbers; an object is {"__class__": "module.Name", ...its
// attributes, or "__state__"}, with "__args__" when its class was called
// with arguments; a class or function is its "module.Name". NaN and the
// infinities have no JSON spelling: such a value is an error, unless -nan
// null writes them as null (as pandas' to_json does) or -nan string as the
// strings "NaN", "Infinity" and "-Infinity".
//
// Every command takes -max-decompressed BYTES, the bound on what a
// decompressor may produce (pickle.MaxDecompressedSize). show, json and
// recode also take what a pickle may need to load at all: -extension
// CODE=module.name (copyreg.add_extension), -buffer FILE for each
// out-of-band buffer of protocol 5, -max-int-digits N (0 for no limit, as
// sys.set_int_max_str_digits), and -member NAME to read one archive member. The exit status is 0 on success, 1 when
// the input is not a pickle that can be read, and 2 for usage errors; scan
// exits as virus scanners do: 0 safe, 1 suspicious or dangerous, 2 malformed
// or unreadable, and 3 external (persistent ids or out-of-band buffers, and
// nothing worse: see pickle.External).
// -persistent-ids keeps persistent ids as PersistentID values, for pickles
// made for a loader with its own persistent_load (torch.load); scan then
// takes them as safe.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/pickle-go/pickle"
)

const usage = `usage:
  pickle dis FILE
  pickle show [-allow-all] [-persistent-ids] [-encoding E] FILE
  pickle json [-nan error|null|string] [-allow-all] [-persistent-ids] [-encoding E] FILE
  pickle recode -p N [-allow-all] [-persistent-ids] [-encoding E] FILE
  pickle scan [-json] [-allow GLOBAL]... [-persistent-ids] FILE...

FILE may be - for standard input; a plain pickle, or one compressed (gzip,
bz2, xz, lzma, zstd, zlib, lz4) or archived (zip, tar) as pandas writes it;
a joblib file; numpy's .npy or .npz (show and json).
-max-decompressed BYTES bounds what a decompressor may produce. show, json
and recode also take -extension CODE=module.name, -buffer FILE (repeatable),
-max-int-digits N and -member NAME.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, args := args[0], args[1:]
	var err error
	switch cmd {
	case "dis":
		err = runDis(args, stdin, stdout, stderr)
	case "show":
		err = runShow(args, stdin, stdout, stderr)
	case "recode":
		err = runRecode(args, stdin, stdout, stderr)
	case "json":
		err = runJSON(args, stdin, stdout, stderr)
	case "scan":
		return runScan(args, stdin, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "pickle: unknown command %q\n%s", cmd, usage)
		return 2
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage)
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "pickle %s: %v\n%s", cmd, err, usage)
		return 2
	default:
		fmt.Fprintf(stderr, "pickle %s: %v\n", cmd, err)
		return 1
	}
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// newFlags returns a flag set that reports errors instead of exiting. Its
// usage is the command's, printed once by run (-h is not an error).
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	return fs
}

// parse parses the flags; -h is passed on as flag.ErrHelp.
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return usageError{err.Error()}
}

// input is a FILE argument opened for random access, as zip archives need.
type input struct {
	r    io.ReaderAt
	size int64
	f    *os.File // nil for standard input
}

func (in input) close() {
	if in.f != nil {
		in.f.Close()
	}
}

// open opens a FILE argument; standard input is read whole.
func open(name string, stdin io.Reader) (input, error) {
	if name == "-" {
		data, err := io.ReadAll(stdin)
		if err != nil {
			return input{}, err
		}
		return input{r: bytes.NewReader(data), size: int64(len(data))}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return input{}, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return input{}, err
	}
	return input{r: f, size: st.Size(), f: f}, nil
}

// oneFile opens the single FILE argument.
func oneFile(fs *flag.FlagSet, stdin io.Reader) (input, error) {
	if fs.NArg() != 1 {
		return input{}, usageError{"want exactly one FILE"}
	}
	return open(fs.Arg(0), stdin)
}

// eachStream calls fn with each pickle stream in the FILE argument (see
// pickle.EachStream), after writing to w the name of the archive member it
// is, if any.
func eachStream(fs *flag.FlagSet, stdin io.Reader, w io.Writer, opts []pickle.Option, fn func(r io.Reader) error) error {
	in, err := oneFile(fs, stdin)
	if err != nil {
		return err
	}
	defer in.close()
	return streamsIn(in, w, opts, fn)
}

// eachValue calls fn with each value in the FILE argument: the values of
// its pickle streams, or the one value of a PyTorch checkpoint, whose
// pickle needs the storages beside it, or of a numpy file (.npy, .npz),
// which holds arrays rather than pickles: pickle.ReadContainer reads those
// whole.
func eachValue(fs *flag.FlagSet, stdin io.Reader, w io.Writer, df decodeFlags, fn func(v any) error) error {
	in, err := oneFile(fs, stdin)
	if err != nil {
		return err
	}
	defer in.close()
	if pickle.IsTorchCheckpoint(in.r, in.size) || isNumpyFile(in.r, in.size) {
		var v any
		if err := pickle.ReadContainer(in.r, in.size, &v, df.set); err != nil {
			return withHint(err, df)
		}
		return fn(v)
	}
	started := false
	err = streamsIn(in, w, []pickle.Option{df.set}, func(r io.Reader) error {
		return eachPickle(r, df, func(v any) error {
			started = true
			return fn(v)
		})
	})
	var side *pickle.SideFileError
	if err != nil && !started && in.f != nil && errors.As(err, &side) {
		// joblib's format before 0.10 keeps each array in a file beside
		// the pickle: ReadFile knows the directory.
		var v any
		if rerr := pickle.ReadFile(in.f.Name(), &v, df.set); rerr != nil {
			return withHint(rerr, df)
		}
		return fn(v)
	}
	return err
}

// streamsIn is eachStream for a file already open.
func streamsIn(in input, w io.Writer, opts []pickle.Option, fn func(r io.Reader) error) error {
	return pickle.EachStream(in.r, in.size, func(s pickle.Stream) error {
		if s.Member != "" {
			if _, err := fmt.Fprintf(w, "%s:\n", s.Member); err != nil {
				return err
			}
		}
		return fn(s.R)
	}, opts...)
}

// maxDecompressed registers -max-decompressed.
func maxDecompressed(fs *flag.FlagSet) *int64 {
	return fs.Int64("max-decompressed", pickle.DefaultMaxDecompressedSize, "bound on the bytes a decompressor may produce; 0 for none")
}

func runDis(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("dis", stderr)
	max := maxDecompressed(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	w := bufio.NewWriter(stdout)
	err := eachStream(fs, stdin, w, []pickle.Option{pickle.MaxDecompressedSize(*max)}, func(r io.Reader) error {
		// Read whole, so that joblib's array bytes are found and shown as
		// one line each (pickle.DisassembleJoblib).
		data, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		return pickle.DisassembleJoblib(w, data)
	})
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}

// decodeFlags are the options shared by the commands that decode: those a
// pickle may need to load at all among them.
type decodeFlags struct {
	allowAll        bool
	keepPIDs        bool
	encoding        string
	maxDecompressed *int64
	maxIntDigits    int
	member          string
	extensions      []pickle.Option
	buffers         [][]byte
	set             *pickle.Options // compile's result
}

func (d *decodeFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&d.allowAll, "allow-all", false, "admit every global; calls and objects are shown symbolically, never executed")
	fs.StringVar(&d.encoding, "encoding", "ASCII", "how to decode Python 2 str: ASCII, latin1, utf-8 or bytes")
	d.maxDecompressed = maxDecompressed(fs)
	fs.IntVar(&d.maxIntDigits, "max-int-digits", pickle.DefaultMaxIntDigits, "most digits of an int written as text, as sys.set_int_max_str_digits; 0 for no limit")
	fs.StringVar(&d.member, "member", "", "read only this member of a zip or tar archive")
	fs.Func("extension", "CODE=module.name: the global an extension code stands for, as copyreg.add_extension (split at the last dot); repeatable", func(v string) error {
		code, global, ok := strings.Cut(v, "=")
		dot := strings.LastIndexByte(global, '.')
		n, err := strconv.ParseInt(code, 10, 32)
		if !ok || dot <= 0 || dot == len(global)-1 || err != nil {
			return fmt.Errorf("want CODE=module.name, not %q", v)
		}
		d.extensions = append(d.extensions, pickle.Extension(int32(n), global[:dot], global[dot+1:]))
		return nil
	})
	fs.Func("buffer", "FILE: the next out-of-band buffer of a protocol 5 pickle, as pickle.loads(buffers=...); repeatable", func(name string) error {
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		d.buffers = append(d.buffers, data)
		return nil
	})
	registerKeepPIDs(fs, &d.keepPIDs)
}

// registerKeepPIDs is the flag show and scan share for persistent ids.
func registerKeepPIDs(fs *flag.FlagSet, keep *bool) {
	fs.BoolVar(keep, "persistent-ids", false, "keep persistent ids as PersistentID values (the loader's persistent_load resolves them, as torch.load's does)")
}

// parse parses args and compiles the decoding flags (see compile).
func (d *decodeFlags) parse(fs *flag.FlagSet, args []string) error {
	if err := parse(fs, args); err != nil {
		return err
	}
	return d.compile()
}

// compile checks the flags once, before any input is read (a bad -encoding
// is a usage error), into the options every decoder of the command shares.
func (d *decodeFlags) compile() error {
	digits := d.maxIntDigits
	if digits == 0 {
		digits = math.MaxInt // as Python's sys.set_int_max_str_digits(0)
	}
	opts := []pickle.Option{pickle.Encoding(d.encoding), pickle.MaxDecompressedSize(*d.maxDecompressed), pickle.MaxIntDigits(digits)}
	if d.allowAll {
		opts = append(opts, pickle.AllowAllGlobals())
	}
	if d.keepPIDs {
		opts = append(opts, pickle.KeepPersistentIDs())
	}
	if d.member != "" {
		opts = append(opts, pickle.ContainerMember(d.member))
	}
	if d.buffers != nil {
		opts = append(opts, pickle.Buffers(d.buffers...))
	}
	set, err := pickle.NewOptions(append(opts, d.extensions...)...)
	if err != nil {
		return usageError{err.Error()}
	}
	d.set = set
	return nil
}

// eachPickle decodes every pickle in r, in order.
func eachPickle(r io.Reader, df decodeFlags, fn func(v any) error) error {
	dec := pickle.NewDecoder(r, df.set)
	for n := 0; ; n++ {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			if n == 0 {
				return errors.New("empty input")
			}
			return nil
		}
		if err != nil {
			return withHint(err, df)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
}

// withHint adds to err the flag that would let the pickle load, if any.
func withHint(err error, df decodeFlags) error {
	var le *pickle.LimitError
	var de *pickle.DecodeError
	switch {
	case errors.As(err, &de) && (de.Op == "PERSID" || de.Op == "BINPERSID") && errors.Is(err, pickle.ErrUnsupported) && !df.keepPIDs:
		// The library's message names its Go option; the command's
		// names the flag instead.
		return &hintedError{fmt.Sprintf("pickle: %s at offset %d: a persistent id was found (rerun with -persistent-ids to keep it symbolically)", de.Op, de.Offset), err}
	case errors.Is(err, pickle.ErrForbiddenGlobal) && !df.allowAll:
		return fmt.Errorf("%w (rerun with -allow-all to keep it symbolically)", err)
	case errors.As(err, &le) && le.Limit == "MaxIntDigits":
		return fmt.Errorf("%w (rerun with -max-int-digits N, or 0 for no limit)", err)
	case errors.Is(err, pickle.ErrUnsupported) && strings.Contains(err.Error(), "extension code"):
		return fmt.Errorf("%w (rerun with -extension CODE=module.name)", err)
	case errors.As(err, &de) && de.Op == "NEXT_BUFFER" && errors.Is(err, pickle.ErrUnsupported):
		return &hintedError{fmt.Sprintf("pickle: NEXT_BUFFER at offset %d: the pickle refers to out-of-band data (rerun with -buffer FILE for each buffer)", de.Offset), err}
	}
	return err
}

// hintedError is a library error told in the command's words: msg names a
// flag where the library's message names a Go option. errors.Is and As
// still see the library's error.
type hintedError struct {
	msg string
	err error
}

func (e *hintedError) Error() string { return e.msg }
func (e *hintedError) Unwrap() error { return e.err }

func runShow(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("show", stderr)
	var df decodeFlags
	df.register(fs)
	if err := df.parse(fs, args); err != nil {
		return err
	}
	w := bufio.NewWriter(stdout)
	show := func(v any) error {
		_, err := fmt.Fprintln(w, pickle.Repr(v))
		return err
	}
	err := eachValue(fs, stdin, w, df, show)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}

// runJSON prints each value as JSON, one line each (see the package doc
// for the form).
func runJSON(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("json", stderr)
	var df decodeFlags
	df.register(fs)
	nan := nanFlag{name: "error"}
	fs.Var(&nan, "nan", "what NaN and infinite floats become: error (encoding/json's rule), null (as pandas' to_json), "+
		`or string ("NaN", "Infinity", "-Infinity")`)
	if err := df.parse(fs, args); err != nil {
		return err
	}
	w := bufio.NewWriter(stdout)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	write := func(v any) error {
		p := pickle.Plain(v)
		if nan.replace != nil {
			p = replaceNonFinite(p, nan.replace)
		}
		if err := enc.Encode(p); err != nil {
			var ue *json.UnsupportedValueError
			if nan.replace == nil && errors.As(err, &ue) && (ue.Str == "NaN" || strings.HasSuffix(ue.Str, "Inf")) {
				return fmt.Errorf("pickle: the value has no JSON form: %w (rerun with -nan null or -nan string)", err)
			}
			return fmt.Errorf("pickle: the value has no JSON form: %w", err)
		}
		return nil
	}
	// Member names would not be JSON: each value stands alone.
	err := eachValue(fs, stdin, io.Discard, df, write)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}

func runRecode(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("recode", stderr)
	var df decodeFlags
	df.register(fs)
	proto := fs.Int("p", pickle.DefaultProtocol, "protocol to write, 0 to 5")
	if err := df.parse(fs, args); err != nil {
		return err
	}
	if *proto < 0 || *proto > pickle.HighestProtocol {
		return usageError{fmt.Sprintf("-p %d: want a protocol from 0 to %d", *proto, pickle.HighestProtocol)}
	}
	w := bufio.NewWriter(stdout)
	enc := pickle.NewEncoder(w, pickle.Protocol(*proto))
	// Member names are not written: the output is one pickle stream. A
	// PyTorch checkpoint or a numpy file is read whole, as show reads it,
	// and written as one plain pickle (tensors as numpy arrays).
	err := eachValue(fs, stdin, io.Discard, df, enc.Encode)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}

// runScan scans each file and returns the exit status of the worst verdict:
// 0 when all are safe, 3 when the worst is external, 1 when one is
// suspicious or dangerous, 2 when one is malformed or cannot be read (and for
// usage errors).
func runScan(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("scan", stderr)
	asJSON := fs.Bool("json", false, "write one JSON report per file")
	// Accepted as show's is; a scan does not depend on it (see pickle.Scan).
	encoding := fs.String("encoding", "ASCII", "accepted for show's sake; scan reads Python 2 str as Latin-1 whatever it says")
	var allow []string
	fs.Func("allow", "admit GLOBAL (module.name or module.*) as safe, as pickle.AllowGlobals; repeatable", func(g string) error {
		allow = append(allow, g)
		return nil
	})
	var keepPIDs bool
	registerKeepPIDs(fs, &keepPIDs)
	maxDec := maxDecompressed(fs)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if err != nil || fs.NArg() == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	opts := []pickle.Option{pickle.Encoding(*encoding), pickle.MaxDecompressedSize(*maxDec)}
	if len(allow) > 0 {
		opts = append(opts, pickle.AllowGlobals(allow...))
	}
	if keepPIDs {
		opts = append(opts, pickle.KeepPersistentIDs())
	}
	// Checked once for all the files.
	set, err := pickle.NewOptions(opts...)
	if err != nil {
		fmt.Fprintf(stderr, "pickle scan: %v\n%s", err, usage)
		return 2
	}
	worst := pickle.Safe
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	for _, name := range fs.Args() {
		rep, err := scanFile(name, stdin, set)
		if err != nil {
			fmt.Fprintf(stderr, "pickle scan: %s: %v\n", name, err)
			worst = pickle.Malformed
			continue
		}
		if *asJSON {
			out, _ := json.Marshal(struct {
				File string `json:"file"`
				*pickle.ScanReport
			}{name, rep})
			fmt.Fprintf(w, "%s\n", out)
		} else if err := pickle.FormatReport(w, name, rep); err != nil {
			return 2
		}
		worst = max(worst, rep.Verdict)
	}
	return scanStatus[worst]
}

// scanStatus is the exit status of each verdict.
var scanStatus = map[pickle.Verdict]int{pickle.Safe: 0, pickle.External: 3, pickle.Suspicious: 1, pickle.Dangerous: 1, pickle.Malformed: 2}

func scanFile(name string, stdin io.Reader, opts ...pickle.Option) (*pickle.ScanReport, error) {
	if name == "-" {
		return pickle.Scan(stdin, opts...)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return pickle.Scan(f, opts...)
}
