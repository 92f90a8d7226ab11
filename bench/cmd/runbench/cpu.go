package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The machine may be shared: these measure how much CPU went to work other
// than this run, from /proc/stat (every process) less getrusage (this one
// and the Python processes it ran and waited for).

const clockTick = 100 // USER_HZ: /proc/stat counts in hundredths of a second

// machineBusy returns the CPU time the whole machine has spent busy.
func machineBusy() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return 0
	}
	var busy int64
	// user nice system idle iowait irq softirq steal ...
	for i, v := range f[1:] {
		if i == 3 || i == 4 || i >= 8 {
			continue // idle, iowait, and guest time (already in user)
		}
		n, _ := strconv.ParseInt(v, 10, 64)
		busy += n
	}
	return time.Duration(busy) * time.Second / clockTick
}

// ownCPU returns the CPU time of this process and its waited-for children.
func ownCPU() time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}

// cpuMeter measures the CPU time others used over an interval.
type cpuMeter struct {
	start      time.Time
	busy, self time.Duration
}

func newCPUMeter() cpuMeter {
	return cpuMeter{time.Now(), machineBusy(), ownCPU()}
}

// others returns the CPU time spent by other processes since the meter
// started, and that as an average number of busy cores.
func (m cpuMeter) others() (time.Duration, float64) {
	d := (machineBusy() - m.busy) - (ownCPU() - m.self)
	if d < 0 {
		d = 0
	}
	return d, d.Seconds() / time.Since(m.start).Seconds()
}

// waitQuiet waits, up to limit, until other work has used less than a tenth
// of a core over a 10-second window.
func waitQuiet(limit time.Duration, logf func(string, ...any)) {
	deadline := time.Now().Add(limit)
	for {
		m := newCPUMeter()
		time.Sleep(10 * time.Second)
		_, cores := m.others()
		if cores < 0.1 {
			logf("machine quiet (other work: %.2f cores)", cores)
			return
		}
		if time.Now().After(deadline) {
			logf("machine still busy (other work: %.2f cores); measuring anyway", cores)
			return
		}
		logf("other work is using %.2f cores: waiting for a quiet machine", cores)
	}
}
