//go:build race

package pickle

// raceEnabled: the race detector is on. It makes sync.Pool drop a random
// share of what is put into it, so allocation counts are not repeatable.
const raceEnabled = true
