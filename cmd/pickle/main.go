// Command pickle looks inside Python pickle files without Python.
//
//	pickle dis FILE                                 disassemble, as python3 -m pickletools
//	pickle show [-allow-all] [-persistent-ids] [-encoding E] FILE
//	                                                print the value in Python notation
//	                                                (of each *.pkl member of a zip archive)
//	pickle recode -p N [-allow-all] [-persistent-ids] [-encoding E] FILE
//	                                                write it again at protocol N, to stdout
//	pickle scan [-json] [-persistent-ids] FILE...   report the globals and calls, and a verdict
//
// FILE may be "-" for standard input. The exit status is 0 on success, 1 when
// the input is not a pickle that can be read, and 2 for usage errors; scan
// exits as virus scanners do: 0 safe, 1 suspicious or dangerous, 2 malformed
// or unreadable, and 3 external (persistent ids or out-of-band buffers, and
// nothing worse: see pickle.External).
// -persistent-ids keeps persistent ids as PersistentID values, for pickles
// made for a loader with its own persistent_load (torch.load); scan then
// takes them as safe.
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pickle-go/pickle"
)

const usage = `usage:
  pickle dis FILE
  pickle show [-allow-all] [-persistent-ids] [-encoding E] FILE
  pickle recode -p N [-allow-all] [-persistent-ids] [-encoding E] FILE
  pickle scan [-json] [-persistent-ids] FILE...

FILE may be - for standard input.
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

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// oneFile opens the single FILE argument.
func oneFile(fs *flag.FlagSet, stdin io.Reader) (io.Reader, func(), error) {
	if fs.NArg() != 1 {
		return nil, nil, usageError{"want exactly one FILE"}
	}
	name := fs.Arg(0)
	if name == "-" {
		return bufio.NewReader(stdin), func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

func runDis(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("dis", stderr)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	r, done, err := oneFile(fs, stdin)
	if err != nil {
		return err
	}
	defer done()
	w := bufio.NewWriter(stdout)
	err = pickle.Disassemble(w, r)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}

// decodeFlags are the options shared by the commands that decode.
type decodeFlags struct {
	allowAll bool
	keepPIDs bool
	encoding string
}

func (d *decodeFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&d.allowAll, "allow-all", false, "admit every global; calls and objects are shown symbolically, never executed")
	fs.StringVar(&d.encoding, "encoding", "ASCII", "how to decode Python 2 str: ASCII, latin1, utf-8 or bytes")
	registerKeepPIDs(fs, &d.keepPIDs)
}

// registerKeepPIDs is the flag show and scan share for persistent ids.
func registerKeepPIDs(fs *flag.FlagSet, keep *bool) {
	fs.BoolVar(keep, "persistent-ids", false, "keep persistent ids as PersistentID values (the loader's persistent_load resolves them, as torch.load's does)")
}

func (d *decodeFlags) options() []pickle.Option {
	opts := []pickle.Option{pickle.Encoding(d.encoding)}
	if d.allowAll {
		opts = append(opts, pickle.AllowAllGlobals())
	}
	if d.keepPIDs {
		opts = append(opts, pickle.KeepPersistentIDs())
	}
	return opts
}

// eachPickle decodes every pickle in r, in order.
func eachPickle(r io.Reader, df decodeFlags, fn func(v any) error) error {
	dec := pickle.NewDecoder(r, df.options()...)
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
			if errors.Is(err, pickle.ErrForbiddenGlobal) && !df.allowAll {
				return fmt.Errorf("%w (rerun with -allow-all to keep it symbolically)", err)
			}
			var de *pickle.DecodeError
			if errors.As(err, &de) && (de.Op == "PERSID" || de.Op == "BINPERSID") && errors.Is(err, pickle.ErrUnsupported) && !df.keepPIDs {
				return fmt.Errorf("%w (rerun with -persistent-ids to keep it symbolically)", err)
			}
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
}

func runShow(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("show", stderr)
	var df decodeFlags
	df.register(fs)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	r, done, err := oneFile(fs, stdin)
	if err != nil {
		return err
	}
	defer done()
	w := bufio.NewWriter(stdout)
	show := func(v any) error {
		_, err := fmt.Fprintln(w, pickle.Repr(v))
		return err
	}
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(4); string(magic) == "PK\x03\x04" {
		// A zip archive, as torch.load and pickle scan take it: each
		// *.pkl member in turn.
		err = eachMember(br, func(name string, m io.Reader) error {
			if _, err := fmt.Fprintf(w, "%s:\n", name); err != nil {
				return err
			}
			return eachPickle(m, df, show)
		})
	} else {
		err = eachPickle(br, df, show)
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}

// eachMember calls fn with each *.pkl member of the zip archive in r.
func eachMember(r io.Reader, fn func(name string, m io.Reader) error) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".pkl") {
			continue
		}
		m, err := f.Open()
		if err != nil {
			return err
		}
		err = fn(f.Name, m)
		m.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return nil
}

func runRecode(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("recode", stderr)
	var df decodeFlags
	df.register(fs)
	proto := fs.Int("p", pickle.DefaultProtocol, "protocol to write, 0 to 5")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *proto < 0 || *proto > pickle.HighestProtocol {
		return usageError{fmt.Sprintf("-p %d: want a protocol from 0 to %d", *proto, pickle.HighestProtocol)}
	}
	r, done, err := oneFile(fs, stdin)
	if err != nil {
		return err
	}
	defer done()
	w := bufio.NewWriter(stdout)
	enc := pickle.NewEncoder(w, pickle.Protocol(*proto))
	err = eachPickle(r, df, enc.Encode)
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
	var keepPIDs bool
	registerKeepPIDs(fs, &keepPIDs)
	if err := fs.Parse(args); err != nil || fs.NArg() == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	opts := []pickle.Option{pickle.Encoding(*encoding)}
	if keepPIDs {
		opts = append(opts, pickle.KeepPersistentIDs())
	}
	worst := pickle.Safe
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	for _, name := range fs.Args() {
		rep, err := scanFile(name, stdin, opts...)
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
