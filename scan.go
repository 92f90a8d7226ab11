package pickle

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// This file is the scanner. It runs the decoder's own machine, so that the
// scanner and the decoder cannot disagree about what a pickle does: the same
// opcode table, memo, marks and frames, STACK_GLOBAL operands from wherever
// the stack got them. Nothing is resolved or executed. Where the decoder
// would stop at a global the allowlist refuses, the scanner notes it and goes
// on, to report everything.

// Verdict is the scanner's judgement of a pickle, worst last.
type Verdict int

const (
	// Safe: only globals the decoder's default allowlist admits (or those
	// admitted by the options given to Scan), or none at all.
	Safe Verdict = iota
	// Suspicious: globals outside the allowlist.
	Suspicious
	// Dangerous: globals that run code or reach the system, as Python would
	// import and call them.
	Dangerous
	// Malformed: not a pickle Python could load; never safe.
	Malformed
)

var verdictNames = [...]string{"safe", "suspicious", "dangerous", "malformed"}

func (v Verdict) String() string {
	if v >= 0 && int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return fmt.Sprintf("Verdict(%d)", int(v))
}

// MarshalText makes verdicts readable in JSON.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// Finding is one global a pickle references or one call it would make.
type Finding struct {
	Offset  int64   `json:"offset"`  // of the opcode
	Op      string  `json:"op"`      // the opcode, e.g. "STACK_GLOBAL" or "REDUCE"
	Name    string  `json:"name"`    // "module.name", or what is called
	Verdict Verdict `json:"verdict"` // safe, suspicious or dangerous
	Reason  string  `json:"reason,omitempty"`
}

// PickleReport is what the scanner found in one pickle.
type PickleReport struct {
	Source  string    `json:"source,omitempty"` // the member of an archive, if any
	Offset  int64     `json:"offset"`           // where the pickle starts
	Verdict Verdict   `json:"verdict"`
	Globals []Finding `json:"globals"`
	Calls   []Finding `json:"calls"`
	Error   string    `json:"error,omitempty"` // why it is malformed
}

// ScanReport is what the scanner found in a stream: every pickle in it, in
// order, and the worst verdict.
type ScanReport struct {
	Verdict Verdict        `json:"verdict"`
	Pickles []PickleReport `json:"pickles"`
}

// Scan reports what the pickles in r would do if Python loaded them: every
// global they reference and every call they would make, each with its byte
// offset, and a verdict per pickle. It reads every pickle concatenated in r,
// and opens PyTorch-style zip archives (.pt, .pth) to scan each *.pkl inside.
// Options apply as to Unmarshal: AllowGlobals widens what counts as safe,
// FindClass renames, Encoding and the limits apply. The error is only for
// failing to read r; a bad pickle is a Malformed verdict in the report.
func Scan(r io.Reader, opts ...Option) (*ScanReport, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	cfg.allowAll = false // the allowlist is what the verdict is about
	br := bufio.NewReader(r)
	magic, _ := br.Peek(4)
	rep := &ScanReport{}
	if bytes.Equal(magic, []byte("PK\x03\x04")) {
		if err := scanZip(br, cfg, rep); err != nil {
			return nil, err
		}
	} else if err := scanStream(br, "", cfg, rep); err != nil {
		return nil, err
	}
	for _, p := range rep.Pickles {
		rep.Verdict = max(rep.Verdict, p.Verdict)
	}
	return rep, nil
}

// scanStream scans every pickle of one stream.
func scanStream(r io.Reader, member string, cfg *config, rep *ScanReport) error {
	obs := &observer{scanning: true, cfg: cfg}
	m := machine{src: &source{r: r}, cfg: cfg, obs: obs}
	for first := true; ; first = false {
		start := m.src.offset()
		obs.reset()
		_, err := m.decode()
		if err == io.EOF {
			if first {
				rep.Pickles = append(rep.Pickles, PickleReport{Source: member, Verdict: Malformed, Error: "empty input"})
			}
			return nil
		}
		p := PickleReport{Source: member, Offset: start, Globals: obs.globals, Calls: obs.calls}
		for _, f := range append(obs.globals, obs.calls...) {
			p.Verdict = max(p.Verdict, f.Verdict)
		}
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				return err // reading failed
			}
			p.Verdict, p.Error = Malformed, err.Error()
			rep.Pickles = append(rep.Pickles, p)
			return nil // the stream cannot be followed past a bad pickle
		}
		rep.Pickles = append(rep.Pickles, p)
	}
}

// scanZip scans each pickle in a zip archive, as PyTorch saves models
// (archive/data.pkl, and any other *.pkl).
func scanZip(r io.Reader, cfg *config, rep *ScanReport) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		rep.Pickles = append(rep.Pickles, PickleReport{Verdict: Malformed, Error: "pickle: not a readable zip archive: " + err.Error()})
		return nil
	}
	found := false
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".pkl") {
			continue
		}
		found = true
		rc, err := f.Open()
		if err != nil {
			rep.Pickles = append(rep.Pickles, PickleReport{Source: f.Name, Verdict: Malformed, Error: err.Error()})
			continue
		}
		err = scanStream(rc, f.Name, cfg, rep)
		rc.Close()
		if err != nil {
			rep.Pickles = append(rep.Pickles, PickleReport{Source: f.Name, Verdict: Malformed, Error: err.Error()})
		}
	}
	if !found {
		rep.Pickles = append(rep.Pickles, PickleReport{Verdict: Malformed, Error: "pickle: zip archive holds no *.pkl member"})
	}
	return nil
}

// findingStatus is how the allowlist took a global.
type findingStatus uint8

const (
	findingAllowed findingStatus = iota // admitted
	findingPending                      // admitted for one construct only
	findingRefused                      // outside the allowlist
	findingUnknown                      // an unregistered extension code
)

// observer records, for the scanner (and tests), the globals and calls the
// machine meets.
type observer struct {
	scanning bool // keep going past refused globals, persistent ids, buffers
	cfg      *config
	globals  []Finding
	calls    []Finding
	pending  []int // indices in globals admitted on probation
	leaked   bool  // one of them was used for something else
	// callees are the globals called, by index in calls.
	callees map[int]Global
}

func (o *observer) reset() {
	o.globals, o.calls, o.pending, o.leaked, o.callees = nil, nil, nil, false, nil
}

func (o *observer) global(m *machine, g Global, st findingStatus) {
	if o == nil {
		return
	}
	f := Finding{Offset: m.opStart, Op: opName(m.opCode), Name: g.String()}
	switch st {
	case findingPending:
		o.pending = append(o.pending, len(o.globals))
		f.Reason = "admitted only as part of the construct CPython writes for nested names or NEWOBJ_EX"
	case findingRefused:
		f.Verdict, f.Reason = Suspicious, "not in the allowlist"
	case findingUnknown:
		f.Verdict, f.Reason = Suspicious, "an extension code; Python looks it up in copyreg's registry"
	}
	if why := classifyGlobal(g); why != "" {
		f.Verdict, f.Reason = Dangerous, why
	}
	o.globals = append(o.globals, f)
}

// settle decides the globals admitted on probation when the pickle ends:
// used as intended, they are what they led to; otherwise they count as the
// globals they are.
func (o *observer) settle(consumed bool) {
	consumed = consumed && !o.leaked
	for _, i := range o.pending {
		f := &o.globals[i]
		if consumed {
			if f.Verdict != Dangerous || f.Name == "builtins.getattr" || f.Name == "functools.partial" {
				f.Verdict, f.Reason = Safe, "used only for the construct CPython writes for nested names or NEWOBJ_EX"
			}
			continue
		}
		f.Reason = "used for something other than the construct it was admitted for"
		if f.Verdict < Suspicious {
			f.Verdict = Suspicious
		}
	}
	o.pending = nil
}

// call records a call and returns its index in calls.
func (o *observer) call(m *machine, callable any) int {
	f := Finding{Offset: m.opStart, Op: opName(m.opCode)}
	switch c := callable.(type) {
	case Global:
		f.Name = c.String()
		if why := classifyGlobal(c); why != "" {
			f.Verdict, f.Reason = Dangerous, why
		} else if !o.cfg.allowed(c.Module, c.Name) {
			f.Verdict, f.Reason = Suspicious, "calls a global outside the allowlist"
		}
	case pendingGlobal:
		f.Name = c.g.String()
		if o.callees == nil {
			o.callees = map[int]Global{}
		}
		o.callees[len(o.calls)] = c.g
		f.Reason = "part of the construct CPython writes for nested names or NEWOBJ_EX"
		if c.g != getattrGlobal && c.g != partialGlobal {
			f.Verdict, f.Reason = Suspicious, "calls a global outside the allowlist"
		}
	case *Object:
		f.Name = "the result of " + Repr(c.Class) + "(...)"
		if !c.pending {
			f.Verdict, f.Reason = Suspicious, "calls what an earlier call returned"
		}
	default:
		f.Name = "a " + typeName(callable)
		f.Verdict, f.Reason = Suspicious, "calls a value that is not a global"
	}
	o.calls = append(o.calls, f)
	return len(o.calls) - 1
}

// misused marks a call of a global admitted on probation that was not the
// construct it was admitted for.
func (o *observer) misused(i int) {
	f := &o.calls[i]
	f.Verdict, f.Reason = Suspicious, "calls a global outside the allowlist"
	if g, ok := o.callees[i]; ok {
		if why := classifyGlobal(g); why != "" {
			f.Verdict, f.Reason = Dangerous, why
		}
	}
}

// build notes BUILD on something the pickle did not make: in Python that
// sets attributes of a module-level object.
func (o *observer) build(m *machine, target any) error {
	if o == nil || !o.scanning {
		return nil
	}
	if madeByPickle(target) {
		return nil
	}
	f := Finding{Offset: m.opStart, Op: "BUILD", Name: typeName(target), Verdict: Dangerous,
		Reason: "sets attributes of an object the pickle did not create"}
	if g, ok := target.(Global); ok {
		f.Name = g.String()
	}
	o.calls = append(o.calls, f)
	return nil
}

func (o *observer) persistentID(m *machine, pid any) {
	if o == nil {
		return
	}
	o.calls = append(o.calls, Finding{Offset: m.opStart, Op: opName(m.opCode), Name: "persistent_load(" + Repr(pid) + ")",
		Reason: "the loader's persistent_load decides what this is"})
}

// FormatReport writes a scan report for people: the verdict and why, then
// every finding that is not safe.
func FormatReport(w io.Writer, name string, rep *ScanReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", name, rep.Verdict)
	for i, p := range rep.Pickles {
		where := fmt.Sprintf("pickle %d at offset %d", i+1, p.Offset)
		if p.Source != "" {
			where = name + "/" + p.Source + ": " + where
		}
		fmt.Fprintf(&b, "  %s: %s", where, p.Verdict)
		if p.Error != "" {
			fmt.Fprintf(&b, ": %s", p.Error)
		}
		b.WriteString("\n")
		for _, f := range append(append([]Finding(nil), p.Globals...), p.Calls...) {
			if f.Verdict == Safe {
				continue
			}
			fmt.Fprintf(&b, "    offset %d %s %s: %s (%s)\n", f.Offset, f.Op, f.Name, f.Verdict, f.Reason)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
