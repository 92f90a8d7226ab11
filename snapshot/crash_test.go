package snapshot

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The crash test runs a writer in a child process (this test binary again,
// with crashHelperEnv set), kills it with SIGKILL at a random moment, and
// checks that Load gives the state of the last Save or Append that returned,
// or of the one in flight, and nothing else. SIGKILL loses what the process
// had not handed to the kernel; a power cut, which loses what the kernel had
// not written, is what the fsyncs are for and is not simulated here.

const crashHelperEnv = "SNAPSHOT_CRASH_HELPER_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashHelperEnv); dir != "" {
		if err := crashHelper(dir); err != nil {
			fmt.Fprintln(os.Stderr, "crash helper:", err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashHelper loads the store (or starts it), then appends and compacts
// until killed, printing "begin OP" before each operation and "ack N" once
// it returned with N names in the state.
func crashHelper(dir string) error {
	s, err := openFS(dir, crashConfig(), choppyFS{})
	if err != nil {
		return err
	}
	var state counter
	if _, err := s.Load(&state); errors.Is(err, ErrEmpty) {
		if _, err := s.Save(state); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(out, "ready %d\n", state.N)
	out.Flush()
	for {
		if rand.IntN(8) == 0 {
			fmt.Fprintln(out, "begin save")
			out.Flush()
			if _, err := s.Save(state); err != nil {
				return err
			}
		} else {
			fmt.Fprintln(out, "begin append")
			out.Flush()
			name := strconv.Itoa(int(state.N))
			if err := s.Append(add{name}); err != nil {
				return err
			}
			state.N++
			state.Names = append(state.Names, name)
		}
		fmt.Fprintf(out, "ack %d\n", state.N)
		out.Flush()
	}
}

// choppyFS writes files a few bytes per system call. A kill cannot stop a
// write call to a regular file halfway, so without this SIGKILL would never
// leave a torn record or a half-written temporary file, as a power cut or a
// short write can.
type choppyFS struct{ osFS }

func (c choppyFS) CreateTemp(dir, pattern string) (file, error) {
	f, err := c.osFS.CreateTemp(dir, pattern)
	return choppyFile{f}, err
}

func (c choppyFS) OpenAppend(name string) (file, error) {
	f, err := c.osFS.OpenAppend(name)
	if err != nil {
		return nil, err
	}
	return choppyFile{f}, nil
}

type choppyFile struct{ file }

func (f choppyFile) Write(p []byte) (int, error) {
	const chunk = 16
	n := 0
	for len(p) > 0 {
		if n > 0 {
			time.Sleep(20 * time.Microsecond) // a slow disk: room for the kill
		}
		m, err := f.file.Write(p[:min(chunk, len(p))])
		n += m
		if err != nil {
			return n, err
		}
		p = p[m:]
	}
	return n, nil
}

func crashConfig() Config {
	cfg := testConfig(nil)
	cfg.Keep = 2
	return cfg
}

func TestCrashAtRandomPointsLosesNothingAcknowledged(t *testing.T) {
	runs := 220
	if testing.Short() {
		runs = 40 // go test -short, and the race detector's slower children
	}
	dir := t.TempDir()
	inFlight := map[string]int{}
	torn := 0 // Loads that dropped a torn record
	// Where a kill lands is random: go on past runs, up to five times as
	// many, until kills have landed during both a Save and an Append
	// (the race detector's slower children can miss Saves in 40).
	run := 0
	for ; run < runs || run < 5*runs && (inFlight["save"] == 0 || inFlight["append"] == 0); run++ {
		acked, op := crashOnce(t, dir, time.Duration(rand.IntN(4000))*time.Microsecond)
		inFlight[op]++

		var skips []*GenerationError
		cfg := crashConfig()
		cfg.OnSkip = func(ge *GenerationError) { skips = append(skips, ge) }
		s, err := Open(dir, cfg)
		require.NoError(t, err)
		var got counter
		_, err = s.Load(&got)
		require.NoError(t, err, "run %d", run)
		require.NoError(t, s.Close())
		for _, ge := range skips {
			require.ErrorIs(t, ge, ErrTornRecord, "run %d: only a torn record may be skipped", run)
			torn++
		}
		// The operation in flight may or may not have landed.
		maxN := acked
		if op == "append" {
			maxN++
		}
		require.True(t, got.N >= acked && got.N <= maxN, "run %d: loaded %d names; %d acknowledged, %s in flight", run, got.N, acked, op)
		require.Len(t, got.Names, int(got.N), "run %d", run)
		for i, name := range got.Names {
			require.Equal(t, strconv.Itoa(i), name, "run %d: name %d", run, i)
		}
	}
	t.Logf("%d kills; operation in flight when killed: %v; %d Loads dropped a torn record", run, inFlight, torn)
	require.NotZero(t, inFlight["save"], "no kill landed during a Save")
	require.NotZero(t, inFlight["append"], "no kill landed during an Append")
	if !testing.Short() {
		require.NotZero(t, torn, "no kill tore a record")
	}
}

// crashOnce starts the writer on dir, kills it after it has run for about
// wait, and returns the state it last acknowledged and what was in flight
// ("save", "append", or "none").
func crashOnce(t *testing.T, dir string, wait time.Duration) (acked int64, op string) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashHelperEnv+"="+dir)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := bufio.NewScanner(stdout)
	require.True(t, lines.Scan(), "the writer did not start")
	ready, ok := strings.CutPrefix(lines.Text(), "ready ")
	require.True(t, ok, "first line %q", lines.Text())
	acked, err = strconv.ParseInt(ready, 10, 64)
	require.NoError(t, err)
	time.AfterFunc(wait, func() { cmd.Process.Signal(syscall.SIGKILL) })
	op = "none"
	for lines.Scan() {
		if what, ok := strings.CutPrefix(lines.Text(), "begin "); ok {
			op = what
		} else if n, ok := strings.CutPrefix(lines.Text(), "ack "); ok {
			acked, err = strconv.ParseInt(n, 10, 64)
			require.NoError(t, err)
			op = "none"
		}
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "the writer must die by the signal, not exit")
	require.Equal(t, syscall.SIGKILL, exit.Sys().(syscall.WaitStatus).Signal(), "the writer stopped: %v", err)
	return acked, op
}
