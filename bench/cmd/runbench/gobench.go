package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strings"

	ogorek "github.com/kisielk/og-rek"
	gopickle "github.com/nlpodyssey/gopickle/pickle"
	"github.com/pickle-go/pickle"
)

// The implementations, as the report names them.
const (
	implCopy      = "memcpy (ceiling)"
	implAny       = "pickle → any"
	implAnyShared = "pickle → any, ShareInput"
	implArrayKept = "pickle → NDArray, reused"
	implTyped     = "pickle → typed"
	implTypedKept = "pickle → typed, reused slice"
	implEncAny    = "pickle ← any"
	implEncTyped  = "pickle ← typed"
	implOgrek     = "og-rek → any"
	implOgrekEnc  = "og-rek ← any"
	implOgrekPy   = "og-rek PyDict → any"
	implOgrekPyE  = "og-rek PyDict ← any"
	implGopickle  = "gopickle → any"
	implCPyLoads  = "CPython loads, gc off"
	implCPyLoadsG = "CPython loads, gc on"
	implCPyLoadsK = "CPython loads, gc off, memory kept"
	implCPyDumps  = "CPython dumps, gc off"
	implCPyDumpsG = "CPython dumps, gc on"
	implCPyDumpsK = "CPython dumps, gc off, memory kept"
)

// goResults measures every Go implementation on one corpus file.
func goResults(f corpusFile, data []byte, reps, peerReps int, logf func(string, ...any)) ([]result, []memResult) {
	var out []result
	add := func(r result) {
		out = append(out, r)
		if r.Err != "" {
			logf("    %-28s FAILED: %s", r.Impl, short(r.Err, 200))
		} else {
			logf("    %-28s %9.1f MB/s  (%d runs)", r.Impl, mbps(len(data), r.Ns), len(r.Runs))
		}
	}
	proto := f.Protocol

	// The ceiling: copying the bytes into a buffer allocated beforehand.
	buf := make([]byte, len(data))
	r, _ := measure(implCopy, "copy", reps, func() (any, error) { copy(buf, data); return nil, nil })
	add(r)
	buf = nil

	// This library into `any`, and back.
	r, vAny := measure(implAny, "decode", reps, func() (any, error) {
		var v any
		err := pickle.Unmarshal(data, &v)
		return v, err
	})
	add(r)
	if r.Err == "" {
		r, enc := measure(implEncAny, "encode", reps, func() (any, error) {
			return pickle.Marshal(vAny, pickle.Protocol(proto))
		})
		if r.Err == "" {
			if b := enc.([]byte); bytes.Equal(b, data) {
				r.Note = "= CPython's bytes"
			} else {
				r.Note = fmt.Sprintf("%d bytes, CPython's %d", len(b), len(data))
			}
		}
		add(r)
	}
	vAny = nil
	if f.Payload == "numpy" {
		// The array's data can be the input's own bytes: no copy at all.
		r, _ := measure(implAnyShared, "decode", reps, func() (any, error) {
			var v any
			err := pickle.Unmarshal(data, &v, pickle.ShareInput())
			return v, err
		})
		add(r)
		// Into the NDArray the last run filled: its Data's room is
		// reused, so no page is fresh (as with CPython's memory kept).
		kept := new(pickle.NDArray)
		r, _ = measure(implArrayKept, "decode", reps, func() (any, error) {
			return nil, pickle.Unmarshal(data, kept)
		})
		r.Note = "the same NDArray each run"
		add(r)
	}

	// This library into the payload's Go types, and back.
	if tt, ok := typedTargets[f.Payload]; ok {
		r, typed := measure(implTyped, "decode", reps, func() (any, error) {
			v := tt.new()
			err := pickle.Unmarshal(data, v)
			return v, err
		})
		r.Note = tt.name
		add(r)
		if r.Err == "" && f.Payload == "numpy" {
			// Into the slice the last run filled: Unmarshal reuses its
			// backing array, so no page is fresh (as with CPython's
			// memory kept).
			reused := typed
			r, _ := measure(implTypedKept, "decode", reps, func() (any, error) {
				return nil, pickle.Unmarshal(data, reused)
			})
			r.Note = tt.name + ", the same one each run"
			add(r)
		}
		if r.Err == "" {
			v := deref(typed)
			r, _ := measure(implEncTyped, "encode", reps, func() (any, error) {
				if tt.encode == nil {
					return pickle.Marshal(v, pickle.Protocol(proto))
				}
				w, err := tt.encode(v)
				if err != nil {
					return nil, err
				}
				return pickle.Marshal(w, pickle.Protocol(proto))
			})
			r.Note = tt.name
			add(r)
		}
	}

	// og-rek, in its default configuration (dicts into map[any]any).
	r, vOg := measure(implOgrek, "decode", peerReps, func() (any, error) {
		return ogorek.NewDecoder(bytes.NewReader(data)).Decode()
	})
	r.Peer = true
	add(r)
	if r.Err == "" {
		r, _ := measure(implOgrekEnc, "encode", peerReps, func() (any, error) {
			var b bytes.Buffer
			b.Grow(len(data))
			err := ogorek.NewEncoderWithConfig(&b, &ogorek.EncoderConfig{Protocol: proto}).Encode(vOg)
			return b.Bytes(), err
		})
		r.Peer = true
		add(r)
	} else {
		add(result{Impl: implOgrekEnc, Op: "encode", Peer: true, Err: "not measured: og-rek could not decode this file"})
		// Its other mode decodes dicts into ogórek.Dict, which takes
		// any hashable key: measured only where the default fails.
		r, vOg := measure(implOgrekPy, "decode", peerReps, func() (any, error) {
			return ogorek.NewDecoderWithConfig(bytes.NewReader(data), &ogorek.DecoderConfig{PyDict: true}).Decode()
		})
		r.Peer = true
		r.Note = "only where the default mode fails"
		add(r)
		if r.Err == "" {
			r, _ := measure(implOgrekPyE, "encode", peerReps, func() (any, error) {
				var b bytes.Buffer
				b.Grow(len(data))
				err := ogorek.NewEncoderWithConfig(&b, &ogorek.EncoderConfig{Protocol: proto}).Encode(vOg)
				return b.Bytes(), err
			})
			r.Peer = true
			add(r)
		}
	}
	vOg = nil

	// gopickle, which only decodes.
	r, _ = measure(implGopickle, "decode", peerReps, func() (any, error) {
		u := gopickle.NewUnpickler(bytes.NewReader(data))
		return u.Load()
	})
	r.Peer = true
	add(r)

	// Memory: what each decoder's result holds, and the peak on the way.
	var mem []memResult
	addMem := func(m memResult) {
		mem = append(mem, m)
		if m.Err == "" {
			logf("    memory %-15s graph %s, peak %s", m.Impl, human(float64(m.Graph)), human(float64(m.Peak)))
		}
	}
	addMem(measureMemory(implAny, func() (any, error) {
		var v any
		err := pickle.Unmarshal(data, &v)
		return v, err
	}))
	if tt, ok := typedTargets[f.Payload]; ok {
		addMem(measureMemory(implTyped, func() (any, error) {
			v := tt.new()
			err := pickle.Unmarshal(data, v)
			return v, err
		}))
	}
	addMem(measureMemory(implOgrek, func() (any, error) {
		return ogorek.NewDecoder(bytes.NewReader(data)).Decode()
	}))
	addMem(measureMemory(implGopickle, func() (any, error) {
		u := gopickle.NewUnpickler(bytes.NewReader(data))
		return u.Load()
	}))
	// The input must stay alive through the last measurement: freed during
	// it, it would offset the memory the result holds.
	runtime.KeepAlive(data)
	return out, mem
}

func mbps(n int, ns int64) float64 {
	if ns <= 0 {
		return 0
	}
	return float64(n) / 1e6 / (float64(ns) / 1e9)
}

func short(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func readFile(dir, name string) ([]byte, error) {
	return os.ReadFile(dir + "/" + name)
}
