package pickle

// An encoder keeps the 1 MiB segments its output was cut into (cut), to
// write the next pickle into, instead of allocating them again each call.
// A large pickle from Marshal allocated twice its size, the segments and
// the joined copy, and that second half was what made a collection start
// during the call, or not, by a margin of a few MB: the strings payload
// (14.6 MB) encoded at 99 to 265 MB/s run to run with a runtime.GC before
// each run, as the bench runner does: runs with a collection inside took
// 76 to 84 ms of CPU, those without 28 to 32.

// spareSegmentsMax bounds what an idle encoder in the pool holds (about
// 17 MiB, in memory a collection frees anyway: the pool drops its
// encoders after two).
const spareSegmentsMax = 16

// newSegment returns an empty segment for cut to go on in.
func (e *encoder) newSegment() []byte {
	var b []byte
	if n := len(e.spare); n > 0 {
		b, e.spare[n-1], e.spare = e.spare[n-1], nil, e.spare[:n-1]
	} else {
		b = make([]byte, 0, segmentSize+frameSizeTarget)
	}
	e.owned = append(e.owned, b)
	return b[:0]
}

// recycleSegments makes the segments of the last pickle spare. Only once
// nothing refers to them: the output was copied out of them (output), or
// the pickle is abandoned.
func (e *encoder) recycleSegments() {
	for _, b := range e.owned {
		if len(e.spare) < spareSegmentsMax {
			e.spare = append(e.spare, b[:0])
		}
	}
	clear(e.owned)
	e.owned = e.owned[:0]
}
