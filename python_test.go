package pickle

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// This file runs CPython for the live cross-checks. Without python3 they
// fail rather than skip, so that CI cannot pass without them; set
// PICKLE_NO_PYTHON=1 to skip them deliberately.

// pythonPath finds the interpreter for version ("3" for python3, or a pyenv
// version such as "2.7.18").
func pythonPath(t testing.TB, version string) string {
	t.Helper()
	if os.Getenv("PICKLE_NO_PYTHON") == "1" {
		t.Skip("PICKLE_NO_PYTHON=1: live cross-checks against CPython skipped")
	}
	if filepath.IsAbs(version) {
		// An interpreter by path: Debian's /usr/bin/python3, with the
		// third-party packages the tests need.
		if _, err := os.Stat(version); err != nil {
			t.Fatalf("the live cross-checks need %s: %v", version, err)
		}
		return version
	}
	if version == "3" {
		p, err := exec.LookPath("python3")
		if err != nil {
			t.Fatalf("the live cross-checks need python3 on PATH (or PICKLE_NO_PYTHON=1): %v", err)
		}
		return p
	}
	root, err := exec.Command("pyenv", "root").Output()
	if err != nil {
		t.Fatalf("the live cross-checks need pyenv for Python %s: %v", version, err)
	}
	p := filepath.Join(string(root[:len(root)-1]), "versions", version, "bin", "python")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("the live cross-checks need Python %s: %v", version, err)
	}
	return p
}

// startPython starts script under the given Python, with pipes to its
// standard input and output.
func startPython(t testing.TB, version, script string) (*exec.Cmd, io.WriteCloser, io.ReadCloser) {
	t.Helper()
	cmd := exec.Command(pythonPath(t, version), script)
	cmd.Env = append(os.Environ(), "PYTHONHASHSEED=0")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, stdin, stdout
}

// crossCheck sends requests to testdata/crosscheck.py running under the given
// Python and returns one response per request.
func crossCheck(t testing.TB, version string, requests []map[string]any) []map[string]any {
	t.Helper()
	cmd, stdin, stdout := startPython(t, version, "testdata/crosscheck.py")
	writeErr := make(chan error, 1)
	go func() {
		w := bufio.NewWriter(stdin)
		enc := json.NewEncoder(w)
		for _, r := range requests {
			if err := enc.Encode(r); err != nil {
				writeErr <- err
				return
			}
		}
		if err := w.Flush(); err != nil {
			writeErr <- err
			return
		}
		writeErr <- stdin.Close()
	}()
	var responses []map[string]any
	dec := json.NewDecoder(bufio.NewReaderSize(stdout, 1<<20))
	for range requests {
		var r map[string]any
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("reading from Python %s: %v", version, err)
		}
		responses = append(responses, r)
	}
	if err := <-writeErr; err != nil {
		t.Fatalf("writing to Python %s: %v", version, err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("Python %s: %v", version, err)
	}
	return responses
}

func hexOf(b []byte) string { return fmt.Sprintf("%x", b) }
