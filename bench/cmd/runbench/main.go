// Command runbench measures this library against CPython's pickle module and
// the other Go pickle libraries on the corpus bench/gen_corpus.py writes, and
// writes RESULTS.md and results.svg. Run it from the bench directory:
//
//	cd bench && go run ./cmd/runbench
//
// It generates the corpus if it is missing (or older than the generator),
// times CPython's pickle.loads and pickle.dumps on every file (pytime.py),
// then every Go implementation, then prints the tables and writes the files.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"
)

type corpusFile struct {
	File     string `json:"file"`
	Payload  string `json:"payload"`
	Protocol int    `json:"protocol"`
	Size     int    `json:"size"`
	SHA256   string `json:"sha256"`
}

type manifest struct {
	Version int          `json:"version"`
	Small   bool         `json:"small"`
	Python  string       `json:"python"`
	Files   []corpusFile `json:"files"`
}

// pyResult is one line of pytime.py's output.
type pyResult struct {
	File         string  `json:"file"`
	Size         int     `json:"size"`
	Reps         int     `json:"reps"`
	Python       string  `json:"python"`
	LoadsOff     float64 `json:"loads_gc_off_ns"`
	LoadsOffAll  []int64 `json:"loads_gc_off_all"`
	LoadsOffFlt  []int64 `json:"loads_gc_off_faults"` // minor page faults of each run
	LoadsOn      float64 `json:"loads_gc_on_ns"`
	LoadsOnAll   []int64 `json:"loads_gc_on_all"`
	DumpsOff     float64 `json:"dumps_gc_off_ns"`
	DumpsOffAll  []int64 `json:"dumps_gc_off_all"`
	DumpsOffFlt  []int64 `json:"dumps_gc_off_faults"`
	DumpsOn      float64 `json:"dumps_gc_on_ns"`
	DumpsOnAll   []int64 `json:"dumps_gc_on_all"`
	GraphBytes   int64   `json:"graph_bytes"`
	PeakBytes    int64   `json:"peak_bytes"`
	ErrorMessage string  `json:"error"`
}

// fileResults is everything measured on one corpus file.
type fileResults struct {
	File   corpusFile
	Py     *pyResult
	PyKept *pyResult // gc off only, with keptMemoryEnv
	Go     []result
	Mem    []memResult
}

func main() {
	var (
		corpusDir = flag.String("corpus", "corpus", "corpus directory (generated there when missing)")
		python    = flag.String("python", "", "CPython 3.11 interpreter (default: python3 if it is 3.11, else pyenv's 3.11)")
		reps      = flag.Int("reps", 7, "runs per measurement (the median is reported)")
		peerReps  = flag.Int("peer-reps", 7, "runs per measurement of og-rek and gopickle")
		only      = flag.String("only", "", "measure only the files whose name matches this regexp (for a quick look; the full run writes the results)")
		outDir    = flag.String("out", ".", "where to write RESULTS.md and results.svg")
		noWrite   = flag.Bool("n", false, "print the tables but write no files")
		libRev    = flag.String("lib-rev", "", "what library revision is measured, for the report (default: from git)")
		torchPy   = flag.String("torch-python", "/usr/bin/python3", "the interpreter with PyTorch (Debian's python3-torch) that saves the checkpoint")
		torchSize = flag.Int64("torch-bytes", 1<<30, "bytes of tensors in the PyTorch checkpoint whose peak memory is measured; 0 skips it")
		torchOnly = flag.Bool("torch-only", false, "measure only the PyTorch checkpoint's memory, print its table and write nothing")
		numpyPy   = flag.String("numpy-python", "/usr/bin/python3", "CPython with numpy, which writes and times the numpy rows (\"none\" leaves them out)")
	)
	quiet := flag.Duration("wait-quiet", 0, "first wait up to this long for other work on the machine to stop (it skews the numbers)")
	flag.DurationVar(&budget, "budget", budget, "after 3 runs, a measurement stops once its runs take longer than this in all")
	flag.Parse()
	start := time.Now()
	logf := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "[%5.0fs] "+format+"\n", append([]any{time.Since(start).Seconds()}, args...)...)
	}
	if _, err := os.Stat("gen_corpus.py"); err != nil {
		fatalf("run runbench from the bench directory: cd bench && go run ./cmd/runbench")
	}
	if *torchOnly {
		var b strings.Builder
		(&report{Torch: measureTorch(*torchPy, "gen_torch_checkpoint.py", ".", *torchSize, logf)}).torchTable(&b)
		fmt.Print(b.String())
		return
	}
	if *quiet > 0 {
		waitQuiet(*quiet, logf)
	}
	meter := newCPUMeter()
	loadStart := loadAvg()
	logf("load average at start: %s", loadStart)
	py, pyVersion, err := findPython(*python)
	if err != nil {
		fatalf("%v", err)
	}
	logf("CPython: %s (%s)", py, pyVersion)

	man, err := ensureCorpus(py, *corpusDir, logf)
	if err != nil {
		fatalf("%v", err)
	}
	var npMan *numpyManifest
	if *numpyPy != "none" {
		if npMan, err = ensureNumpyCorpus(*numpyPy, *corpusDir, logf); err != nil {
			fatalf("%v (-numpy-python none leaves the numpy rows out)", err)
		}
		logf("numpy rows: numpy %s under CPython %s (%s)", npMan.Numpy, npMan.Python, *numpyPy)
	}
	var files, npFiles []corpusFile
	var filter *regexp.Regexp
	if *only != "" {
		filter = regexp.MustCompile(*only)
	}
	for _, f := range man.Files {
		if filter == nil || filter.MatchString(f.File) {
			files = append(files, f)
		}
	}
	if npMan != nil {
		for _, f := range npMan.Files {
			if filter == nil || filter.MatchString(f.File) {
				npFiles = append(npFiles, f)
			}
		}
	}
	files = append(files, npFiles...)
	if len(files) == 0 {
		fatalf("no corpus file matches %q", *only)
	}

	// CPython first, in a process of its own, then Go here: nothing runs
	// beside what is measured.
	all := make([]*fileResults, len(files))
	byName := map[string]*fileResults{}
	for i, f := range files {
		all[i] = &fileResults{File: f}
		byName[f.File] = all[i]
	}
	logf("CPython: loads and dumps, gc off and on, up to %d runs each (at least %d, and fewer past %v in all), then tracemalloc", *reps, minReps, budget)
	gotPy := func(r *pyResult) {
		fr := byName[r.File]
		if fr == nil {
			return
		}
		fr.Py = r
		logf("  %-16s loads %7.1f / %7.1f MB/s (gc off / on), dumps %7.1f / %7.1f MB/s", r.File,
			mbps(r.Size, int64(r.LoadsOff)), mbps(r.Size, int64(r.LoadsOn)), mbps(r.Size, int64(r.DumpsOff)), mbps(r.Size, int64(r.DumpsOn)))
	}
	pyFiles := files[:len(files)-len(npFiles)]
	if err := runPython(py, *corpusDir, pyFiles, *reps, nil, gotPy); err != nil {
		fatalf("%v", err)
	}
	if len(npFiles) > 0 {
		if err := runPython(*numpyPy, *corpusDir, npFiles, *reps, nil, gotPy); err != nil {
			fatalf("%v", err)
		}
	}
	// Again with the memory CPython frees kept in its process, as Go's heap
	// keeps its own: gc off only, and no tracemalloc, to keep the run short.
	logf("CPython with its freed memory kept (%s): loads and dumps, gc off", strings.Join(keptMemoryEnv, " "))
	gotKept := func(r *pyResult) {
		fr := byName[r.File]
		if fr == nil {
			return
		}
		fr.PyKept = r
		logf("  %-16s loads %7.1f MB/s, dumps %7.1f MB/s (gc off, memory kept); page faults a loads %s, kept %s", r.File, mbps(r.Size, int64(r.LoadsOff)), mbps(r.Size, int64(r.DumpsOff)),
			faultsOf(fr.Py), faultsOf(r))
	}
	if err := runPython(py, *corpusDir, pyFiles, *reps, keptMemoryEnv, gotKept, "-gc", "off", "-no-tracemalloc"); err != nil {
		fatalf("%v", err)
	}
	if len(npFiles) > 0 {
		if err := runPython(*numpyPy, *corpusDir, npFiles, *reps, keptMemoryEnv, gotKept, "-gc", "off", "-no-tracemalloc"); err != nil {
			fatalf("%v", err)
		}
	}
	logf("the cost of touching fresh memory: zeroing %s in Go and in CPython, %d runs each", human(touchBytes), touchReps)
	touch := measureTouch(py, "pytouch.py")
	if touch.Err != "" {
		logf("  FAILED: %s", touch.Err)
	} else {
		logf("  Go %.0f MB/s fresh, %.0f warm; CPython %.0f MB/s fresh, %.0f with memory kept", mbps(touchBytes, touch.GoFresh), mbps(touchBytes, touch.GoWarm), mbps(touchBytes, touch.PyFresh), mbps(touchBytes, touch.PyKept))
	}

	logf("Go: up to %d runs per measurement (og-rek and gopickle: %d), fewer (at least %d) past %v in all", *reps, *peerReps, minReps, budget)
	for _, fr := range all {
		data, err := readFile(*corpusDir, fr.File.File)
		if err != nil {
			fatalf("%v", err)
		}
		logf("  %s (%s)", fr.File.File, human(float64(len(data))))
		fr.Go, fr.Mem = goResults(fr.File, data, *reps, *peerReps, logf)
	}
	logf("Go: snapshot journal Append latency, %d runs", appendRuns)
	appendRes := measureAppend(".")
	var torchRes *torchResult
	if *torchSize > 0 {
		torchRes = measureTorch(*torchPy, "gen_torch_checkpoint.py", ".", *torchSize, logf)
	}
	elapsed := time.Since(start)
	loadEnd := loadAvg()
	otherCPU, otherCores := meter.others()
	logf("load average at end: %s; other processes used %v of CPU (%.2f cores on average)", loadEnd, otherCPU.Round(time.Second), otherCores)

	rep := &report{
		Files:     all,
		Command:   command(),
		Date:      time.Now().UTC(),
		Elapsed:   elapsed,
		Python:    pyVersion,
		PythonBin: py,
		Reps:      *reps,
		PeerReps:  *peerReps,
		Partial:   filter != nil,
		LoadStart: loadStart,
		Library:   libRevision(*libRev),
		LoadEnd:   loadEnd,
		OtherCPU:  otherCPU,
		OtherCore: otherCores,
		Append:    appendRes,
		Torch:     torchRes,
		Touch:     touch,
	}
	tables := rep.tables()
	fmt.Print(tables)
	if *noWrite || filter != nil {
		logf("partial run or -n: RESULTS.md and results.svg left as they were")
		return
	}
	md := rep.markdown(tables)
	if err := os.WriteFile(filepath.Join(*outDir, "RESULTS.md"), []byte(md), 0o644); err != nil {
		fatalf("%v", err)
	}
	if err := os.WriteFile(filepath.Join(*outDir, "results.svg"), []byte(rep.svg()), 0o644); err != nil {
		fatalf("%v", err)
	}
	logf("wrote %s and %s", filepath.Join(*outDir, "RESULTS.md"), filepath.Join(*outDir, "results.svg"))
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "runbench: "+format+"\n", args...)
	os.Exit(1)
}

// command is how this run was started, as a shell line from the repository.
func command() string {
	line := "cd bench && go run ./cmd/runbench"
	for _, a := range os.Args[1:] {
		if strings.ContainsAny(a, " \t'\"$*?[]|&;<>()") {
			a = strconv.Quote(a)
		}
		line += " " + a
	}
	return line
}

// findPython returns a CPython 3.11 interpreter and its version.
func findPython(flagValue string) (string, string, error) {
	version := func(bin string) string {
		out, err := exec.Command(bin, "-c", "import sys; print(sys.version.split()[0])").Output()
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(out))
	}
	if flagValue != "" {
		v := version(flagValue)
		if v == "" {
			return "", "", fmt.Errorf("cannot run %s", flagValue)
		}
		return flagValue, v, nil
	}
	if v := version("python3"); strings.HasPrefix(v, "3.11.") {
		return "python3", v, nil
	}
	if root, err := exec.Command("pyenv", "root").Output(); err == nil {
		matches, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(root)), "versions", "3.11.*", "bin", "python3"))
		for _, m := range matches {
			if v := version(m); v != "" {
				return m, v, nil
			}
		}
	}
	if v := version("python3"); v != "" {
		return "python3", v, nil // not 3.11: the report says which it was
	}
	return "", "", fmt.Errorf("no python3 found; pass -python")
}

// generatorVersion reads VERSION from gen_corpus.py.
func generatorVersion() (int, error) {
	src, err := os.ReadFile("gen_corpus.py")
	if err != nil {
		return 0, err
	}
	m := regexp.MustCompile(`(?m)^VERSION = (\d+)`).FindSubmatch(src)
	if m == nil {
		return 0, fmt.Errorf("gen_corpus.py has no VERSION line")
	}
	return strconv.Atoi(string(m[1]))
}

// ensureCorpus returns the corpus manifest, generating the corpus first when
// it is missing, incomplete, or from another version of the generator.
func ensureCorpus(py, dir string, logf func(string, ...any)) (*manifest, error) {
	want, err := generatorVersion()
	if err != nil {
		return nil, err
	}
	read := func() (*manifest, string) {
		b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
		if err != nil {
			return nil, "no manifest"
		}
		var m manifest
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, "bad manifest: " + err.Error()
		}
		if m.Version != want || m.Small {
			return nil, fmt.Sprintf("generator version %d, small=%v", m.Version, m.Small)
		}
		for _, f := range m.Files {
			st, err := os.Stat(filepath.Join(dir, f.File))
			if err != nil || st.Size() != int64(f.Size) {
				return nil, f.File + " missing or of the wrong size"
			}
		}
		return &m, ""
	}
	if m, _ := read(); m != nil {
		logf("corpus: %d files in %s", len(m.Files), dir)
		return m, nil
	}
	_, why := read()
	logf("corpus: generating in %s (%s)", dir, why)
	cmd := exec.Command(py, "gen_corpus.py", dir)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("gen_corpus.py: %v", err)
	}
	m, why := read()
	if m == nil {
		return nil, fmt.Errorf("corpus still unusable after generating it: %s", why)
	}
	return m, nil
}

// faultsOf is the median of the page faults of r's loads runs (gc off).
func faultsOf(r *pyResult) string {
	if r == nil || len(r.LoadsOffFlt) == 0 {
		return "—"
	}
	return humanCount(uint64(median(r.LoadsOffFlt)))
}

// runPython runs pytime.py over the files, with env added to this process's
// environment and flags before the files, handing each result to got.
func runPython(py, dir string, files []corpusFile, reps int, env []string, got func(*pyResult), flags ...string) error {
	args := []string{"pytime.py", "-reps", strconv.Itoa(reps), "-budget", strconv.FormatFloat(budget.Seconds(), 'f', -1, 64)}
	args = append(append(args, flags...), dir)
	for _, f := range files {
		args = append(args, f.File)
	}
	cmd := exec.Command(py, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	sc := bufio.NewScanner(out)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r pyResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return fmt.Errorf("pytime.py printed %q: %v", sc.Text(), err)
		}
		got(&r)
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("pytime.py: %v", err)
	}
	return nil
}

// machine describes this machine for the report.
func machine() []string {
	var lines []string
	cpu, _ := os.ReadFile("/proc/cpuinfo")
	var model, mhz, cache, flags string
	n := 0
	for _, l := range strings.Split(string(cpu), "\n") {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "processor":
			n++
		case "model name":
			model = v
		case "cpu MHz":
			mhz = v
		case "cache size":
			cache = v
		case "flags":
			flags = v
		}
	}
	cpuLine := fmt.Sprintf("CPU: %s, %d logical CPUs", model, n)
	if mhz != "" {
		cpuLine += ", " + mhz + " MHz"
	}
	if cache != "" {
		cpuLine += ", cache " + cache
	}
	var ext []string
	for _, f := range []string{"avx2", "avx512f", "bmi2", "sse4_2"} {
		if strings.Contains(" "+flags+" ", " "+f+" ") {
			ext = append(ext, f)
		}
	}
	if len(ext) > 0 {
		cpuLine += " (" + strings.Join(ext, ", ") + ")"
	}
	lines = append(lines, cpuLine)
	if mem, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(mem), "\n") {
			if strings.HasPrefix(l, "MemTotal:") {
				f := strings.Fields(l)
				if len(f) >= 2 {
					kb, _ := strconv.ParseFloat(f[1], 64)
					lines = append(lines, fmt.Sprintf("Memory: %.1f GiB", kb/(1<<20)))
				}
			}
		}
	}
	if v, err := os.ReadFile("/proc/version"); err == nil {
		f := strings.Fields(string(v))
		if len(f) >= 3 {
			lines = append(lines, "Kernel: "+f[0]+" "+f[2])
		}
	}
	if out, err := exec.Command("go", "version").Output(); err == nil {
		lines = append(lines, "`go version`: "+strings.TrimSpace(string(out)))
	}
	lines = append(lines, fmt.Sprintf("runbench built with %s, GOMAXPROCS=%d, GOGC=%s", runtime.Version(), runtime.GOMAXPROCS(0), envOr("GOGC", "100 (default)")))
	return lines
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// loadAvg returns the 1, 5 and 15-minute load averages.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// libRevision says which revision of the library this run measures.
func libRevision(given string) string {
	if given != "" {
		return given
	}
	out, err := exec.Command("git", "-C", "..", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown (not a git checkout)"
	}
	rev := "commit " + strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "-C", "..", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench").Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
		rev += ", with uncommitted changes"
	}
	return rev
}
