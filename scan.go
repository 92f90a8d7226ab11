package pickle

import (
	"fmt"
	"io"
	"slices"
	"sort"
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
	// External: safe as far as the pickle itself goes, but it refers to
	// objects outside it (persistent ids, out-of-band buffers), which
	// Python's plain pickle.load refuses (UnpicklingError) and which a
	// loader's persistent_load or buffers turn into whatever it decides.
	// Scan with KeepPersistentIDs (or PersistentLoad) when the loader is
	// trusted with persistent ids, with Buffers when the buffers are given.
	External
	// Suspicious: globals outside the allowlist.
	Suspicious
	// Dangerous: globals that run code or reach the system, as Python would
	// import and call them.
	Dangerous
	// Malformed: not a pickle Python could load; never safe.
	Malformed
)

var verdictNames = [...]string{"safe", "external", "suspicious", "dangerous", "malformed"}

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
	// Notes are findings about the bytes rather than a global or a
	// call: where CPython's unpicklers read them differently.
	Notes []Finding `json:"notes,omitempty"`
	// Readings are the ways of reading the stream that reach this pickle
	// as reported: "python" (pickle._Unpickler), "c" (_pickle before
	// 3.13.15 and 3.14.7, which ignores frame boundaries), "c-nopeek" (the
	// same reading a stream without peek, which drops the rest of a frame
	// that a read runs past) and "c-strict" (_pickle from those versions
	// on).
	Readings []string `json:"readings"`
	Error    string   `json:"error,omitempty"` // why it is malformed
	// Secondary is set on readings of bytes that are mainly something
	// else (a zip archive read as a pickle from byte 0, a member not named
	// *.pkl): their findings count, their failing to parse does not.
	Secondary bool `json:"secondary,omitempty"`
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
// and opens what ReadFile opens (compressed streams, zip archives such as
// PyTorch's .pt and .pth, tar archives) to scan each member; a container is
// also scanned as the pickle stream that pickle.load would read from its
// first byte.
// Options apply as to Unmarshal: AllowGlobals widens what counts as safe,
// FindClass renames, and the limits apply; Encoding does not (Python 2
// strings are read as Latin-1: see below). The error is only for
// failing to read r; a bad pickle is a Malformed verdict in the report.
//
// CPython's unpicklers do not all read the same bytes the same way (see
// readings): Scan follows each of them, and reports each pickle with the
// readings that reach it. Scan reads all of r into memory.
func Scan(r io.Reader, opts ...Option) (*ScanReport, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	cfg = cfg.layer()    // it may be compiled Options, shared: change a copy
	cfg.allowAll = false // the allowlist is what the verdict is about
	// What a pickle would do does not depend on how its Python 2 strings
	// decode: Latin-1 never fails, and gives every byte a character, so
	// the scanner reads them so whatever Encoding says. (ASCII or UTF-8
	// could only stop CPython earlier; bytes would only make a
	// STACK_GLOBAL of them fail.)
	cfg.encoding = encLatin1
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	rep := &ScanReport{}
	// Containers (compressors, zip and tar archives) are opened and their
	// pickles scanned (readfile.go). Either way, pickle.load of the same
	// file reads it as a pickle from byte 0, so the scanner reads it so
	// too.
	// A PyTorch checkpoint's own pickles are scanned as torch.load with
	// weights_only=True reads them (scan_torch.go).
	torch := sniffTorchScan(data, cfg)
	contained := scanContainers(data, cfg, torch, rep)
	n := len(rep.Pickles)
	switch {
	case torch != nil && torch.legacy:
		torch.scanLegacy(data, rep)
	case !scanNpy(data, "", cfg, rep):
		scanStream(data, "", cfg, rep)
	}
	if contained {
		secondary(rep.Pickles[n:])
	}
	for _, p := range rep.Pickles {
		rep.Verdict = max(rep.Verdict, p.Verdict)
	}
	return rep, nil
}

// A reading is one way a CPython unpickler reads a stream. They differ in
// how they take FRAME (decode_source.go's framing) and so where the next pickle of
// a stream starts.
type reading struct {
	name    string
	framing framing
	cText   bool // text arguments end at a NUL (machine.textArg)
}

// readings are those the scanner follows.
var readings = []reading{
	{"python", framingPython, false},   // pickle._Unpickler, every version
	{"c", framingLenient, true},        // _pickle before 3.13.15 and 3.14.7
	{"c-nopeek", framingNoPeek, true},  // the same, from a stream without peek
	{"c-strict", framingCStrict, true}, // _pickle from 3.13.15 and 3.14.7 on
}

// scanWorkPerByte bounds the bytes the readings decode together, per byte of
// input, so that a stream crafted to start many pickles at many places
// cannot make scanning quadratic.
const scanWorkPerByte = 16

// scanStream scans every pickle of one stream, in every reading: each
// reading starts at offset 0 and goes on, after each pickle, where that
// reader would start the next one. Reports of one pickle that the readings
// agree on are merged; where they disagree, each report has a note saying so.
func scanStream(data []byte, member string, cfg *config, rep *ScanReport) {
	if len(data) == 0 {
		rep.Pickles = append(rep.Pickles, PickleReport{Source: member, Verdict: Malformed, Error: "empty input"})
		return
	}
	all, spans, traces := readStream(data, member, cfg)
	regionNotes(all, spans, traces)
	rep.Pickles = append(rep.Pickles, mergeReadings(all)...)
}

// readStream reads every pickle of data in every reading, and returns a
// report of each, what each covers, and the opcodes each reading read.
func readStream(data []byte, member string, cfg *config) (all []PickleReport, spans []span, traces [][]opRead) {
	traces = make([][]opRead, len(readings))
	var ref []opRead // the first reading's trace, which the others mostly repeat
	work := scanWorkPerByte*int64(len(data)) + 1<<20
	for ri, rd := range readings {
		sink := &traceSink{ref: ref}
		seen := map[int64]bool{}
		todo := []int64{0}
		for len(todo) > 0 {
			start := todo[len(todo)-1]
			todo = todo[:len(todo)-1]
			if seen[start] || start >= int64(len(data)) {
				continue
			}
			seen[start] = true
			if work <= 0 {
				all = append(all, PickleReport{Source: member, Offset: start, Readings: []string{rd.name}, Verdict: Malformed,
					Error: "pickle: too many ways to read this stream; not scanned further"})
				spans = append(spans, span{ri, start, start})
				break
			}
			p, end, next := scanPickle(data, start, rd, cfg, sink)
			p.Source = member
			work -= max(end, start+1) - start
			all = append(all, p)
			spans = append(spans, span{ri, start, end})
			todo = append(todo, next...)
		}
		traces[ri] = sink.done()
		if ri == 0 {
			ref = traces[0]
		}
	}
	return all, spans, traces
}

// scanPickle reads one pickle at start as rd does, and returns its report
// where reading it ended, where rd may start the next one (nowhere after
// a malformed one: the stream cannot be followed past it). It traces the
// opcodes it reads into sink.
func scanPickle(data []byte, start int64, rd reading, cfg *config, sink *traceSink) (p PickleReport, end int64, next []int64) {
	obs := &observer{scanning: true, cfg: cfg, trace: sink}
	src := newBytesSource(data)
	src.pos, src.framing = int(start), rd.framing
	m := machine{src: src, cfg: cfg, obs: obs, cText: rd.cText}
	_, err := m.decode()
	p = PickleReport{Offset: start, Readings: []string{rd.name}, Globals: obs.globals, Calls: obs.calls}
	end = src.offset()
	if err != nil {
		p.Error = err.Error()
	} else {
		if obs.failed != nil {
			p.Error = obs.failed.Error()
		}
		if src.frameEnd > end {
			p.Notes = append(p.Notes, Finding{Offset: end - 1, Op: "STOP", Name: fmt.Sprintf("frame ending at offset %d", src.frameEnd),
				Verdict: Suspicious, Reason: fmt.Sprintf("the frame runs %d bytes past STOP: the pure-Python unpickler (and the C one "+
					"on a large frame or a stream without peek) starts the next pickle where the frame ends, the C one with peek right after STOP",
					src.frameEnd-end)})
			if rd.framing == framingPython || rd.framing == framingNoPeek {
				next = append(next, src.frameEnd)
			} else {
				next = append(next, end, src.frameEnd)
			}
		} else {
			next = append(next, end)
		}
	}
	for _, f := range append(append(p.Globals, p.Calls...), p.Notes...) {
		p.Verdict = max(p.Verdict, f.Verdict)
	}
	if p.Error != "" {
		p.Verdict = Malformed
	}
	return p, end, next
}

// mergeReadings orders the reports by offset and merges those that only
// differ in their readings. Where readings of one offset still differ, each
// of their reports gets a note.
func mergeReadings(all []PickleReport) []PickleReport {
	sort.SliceStable(all, func(i, j int) bool { return all[i].Offset < all[j].Offset })
	var out []PickleReport
	for _, p := range all {
		merged := false
		for i := len(out) - 1; i >= 0 && out[i].Offset == p.Offset; i-- {
			if sameFindings(&out[i], &p) {
				out[i].Readings = append(out[i].Readings, p.Readings...)
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, p)
		}
	}
	for i := 0; i < len(out); {
		j := i + 1
		for j < len(out) && out[j].Offset == out[i].Offset {
			j++
		}
		if j-i > 1 {
			var how []string
			for _, p := range out[i:j] {
				h := strings.Join(p.Readings, ", ") + ": " + p.Verdict.String()
				if p.Error != "" {
					h += " (" + p.Error + ")"
				}
				how = append(how, h)
			}
			for k := i; k < j; k++ {
				out[k].Notes = append(out[k].Notes, Finding{Offset: out[k].Offset, Op: "READINGS", Name: "the pickle at this offset",
					Verdict: Suspicious, Reason: "CPython's unpicklers read these bytes differently: " + strings.Join(how, "; ")})
				out[k].Verdict = max(out[k].Verdict, Suspicious)
			}
		}
		i = j
	}
	return out
}

// sameFindings reports whether two reports of one offset say the same.
func sameFindings(a, b *PickleReport) bool {
	return a.Verdict == b.Verdict && a.Error == b.Error && slices.Equal(a.Globals, b.Globals) &&
		slices.Equal(a.Calls, b.Calls) && slices.Equal(a.Notes, b.Notes)
}

// secondary marks reports of bytes that are mainly something else: an
// archive read as a pickle, a member not named *.pkl. What they would run
// counts; that they are not pickles does not make the file malformed, nor
// do unpicklers that disagree only in how they fail on them (a READINGS
// note on a malformed report: a reading that ran something has its own).
func secondary(ps []PickleReport) {
	for i := range ps {
		p := &ps[i]
		p.Secondary = true
		p.Verdict = Safe
		for _, f := range append(append(p.Globals, p.Calls...), p.Notes...) {
			if f.Op == "READINGS" && p.Error != "" {
				continue
			}
			p.Verdict = max(p.Verdict, f.Verdict)
		}
	}
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
	// failed is the first error the scanner read past: a global name
	// CPython's own find_class refuses, which a loader's may accept.
	failed  error
	cfg     *config
	globals []Finding
	calls   []Finding
	pending []int // indices in globals admitted on probation
	leaked  bool  // one of them was used for something else
	// callees are the globals called, by index in calls.
	callees map[int]Global
	// trace, when set, records every opcode read (scan_regions.go);
	// dropped is the source's count of dropped bytes at the last one.
	trace   *traceSink
	dropped int64
}

func (o *observer) reset() {
	o.globals, o.calls, o.pending, o.leaked, o.callees, o.failed = nil, nil, nil, false, nil, nil
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

// computed reports whether v is a value the pickle computed, which may be a
// str when Python runs the pickle: the result of a call, or what the
// loader's persistent_load returns.
func computed(v any) bool {
	switch v.(type) {
	case *Object, *PersistentID:
		return true
	}
	return false
}

// computedGlobal notes a STACK_GLOBAL whose module or name a call computed,
// and returns the global that stands for it.
func (o *observer) computedGlobal(m *machine, module, name any) Global {
	spell := func(v any) string {
		if s, ok := v.(string); ok {
			return s
		}
		return "<" + Repr(v) + ">"
	}
	g := Global{spell(module), spell(name)}
	o.globals = append(o.globals, Finding{Offset: m.opStart, Op: opName(m.opCode), Name: g.String(), Verdict: Dangerous,
		Reason: "imports a module or name that calls in the pickle compute: whatever they return"})
	return g
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
		} else if !o.cfg.allowed(c.Module, c.Name) && !o.cfg.allowedNew(c) {
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

// notPlain marks the call being made as one that is not plain data.
func (o *observer) notPlain(why string) {
	f := &o.calls[len(o.calls)-1]
	if f.Verdict < Suspicious {
		f.Verdict, f.Reason = Suspicious, why
	}
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

// persistentID notes a persistent id: Python's plain pickle.load refuses it,
// and a loader's persistent_load makes of it what it decides, which the
// scanner cannot see. That is External, not suspicious (every PyTorch
// checkpoint has them), unless the options say the loader is trusted with
// them.
func (o *observer) persistentID(m *machine, pid any) {
	if o == nil {
		return
	}
	f := Finding{Offset: m.opStart, Op: opName(m.opCode), Name: "persistent_load(" + Repr(pid) + ")", Verdict: External,
		Reason: "a persistent id: pickle.load refuses it; a loader's persistent_load decides what it becomes"}
	switch {
	case o.cfg.keepPIDs || o.cfg.persistentLoad != nil:
		f.Verdict, f.Reason = Safe, "a persistent id, left to the loader's persistent_load as the options say"
	case o.cfg.torchPIDs && isTorchStoragePID(pid):
		f.Verdict, f.Reason = Safe, "a storage of the checkpoint, as torch.load's persistent_load reads it"
	}
	o.calls = append(o.calls, f)
}

// outOfBand notes an out-of-band buffer that the options do not supply.
func (o *observer) outOfBand(m *machine) {
	o.calls = append(o.calls, Finding{Offset: m.opStart, Op: opName(m.opCode), Name: fmt.Sprintf("out-of-band buffer %d", m.nextBuffer),
		Verdict: External, Reason: "pickle.load refuses it without buffers=; the loader's buffers decide what it is"})
}

// FormatReport writes a scan report for people: the verdict and why, then
// every finding that is not safe.
func FormatReport(w io.Writer, name string, rep *ScanReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", name, rep.Verdict)
	for i, p := range rep.Pickles {
		if p.Secondary && p.Verdict == Safe {
			continue // bytes that are no pickle, and would run nothing if read as one
		}
		where := fmt.Sprintf("pickle %d at offset %d", i+1, p.Offset)
		if len(p.Readings) > 0 && len(p.Readings) < len(readings) {
			where += " (read so by " + strings.Join(p.Readings, ", ") + ")"
		}
		if p.Source != "" {
			where = name + "/" + p.Source + ": " + where
		}
		if p.Secondary {
			where += " (secondary)"
		}
		fmt.Fprintf(&b, "  %s: %s", where, p.Verdict)
		if p.Error != "" {
			fmt.Fprintf(&b, ": %s", p.Error)
		}
		b.WriteString("\n")
		for _, f := range append(append(append([]Finding(nil), p.Globals...), p.Calls...), p.Notes...) {
			if f.Verdict == Safe {
				continue
			}
			fmt.Fprintf(&b, "    offset %d %s %s: %s (%s)\n", f.Offset, f.Op, f.Name, f.Verdict, f.Reason)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
