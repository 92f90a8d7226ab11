package pickle

import "strings"

// This file classifies globals for the scanner. Safe is what the decoder's
// default allowlist admits; dangerous is what code execution or system access
// needs in Python; everything else is suspicious, since an allowlist, not a
// blocklist, is what keeps a loader safe.

// dangerousModules are modules whose members run code, reach the operating
// system, or load further code.
var dangerousModules = map[string]string{
	"os":               "operating system access",
	"posix":            "operating system access",
	"nt":               "operating system access",
	"subprocess":       "runs programs",
	"_posixsubprocess": "runs programs",
	"_winapi":          "operating system access",
	"msvcrt":           "operating system access",
	"pty":              "runs programs",
	"commands":         "runs programs (Python 2)",
	"popen2":           "runs programs (Python 2)",
	"platform":         "runs programs",
	"socket":           "network access",
	"_socket":          "network access",
	"ssl":              "network access",
	"http.client":      "network access",
	"http.server":      "network access",
	"urllib.request":   "network access",
	"urllib2":          "network access",
	"httplib":          "network access",
	"ftplib":           "network access",
	"smtplib":          "network access",
	"telnetlib":        "network access",
	"requests":         "network access",
	"asyncio":          "runs programs and network access",
	"multiprocessing":  "runs processes",
	"shutil":           "file system access",
	"tempfile":         "file system access",
	"io":               "file system access",
	"_io":              "file system access",
	"runpy":            "runs code",
	"code":             "runs code",
	"codeop":           "compiles code",
	"types":            "builds functions and code objects",
	"importlib":        "imports code",
	"_imp":             "imports code",
	"imp":              "imports code",
	"zipimport":        "imports code",
	"pkgutil":          "imports code (pkgutil.resolve_name reaches anything)",
	"marshal":          "loads code objects",
	"ctypes":           "calls native code",
	"_ctypes":          "calls native code",
	"webbrowser":       "runs programs",
	"pickle":           "loads nested pickles",
	"_pickle":          "loads nested pickles",
	"cPickle":          "loads nested pickles",
	"shelve":           "loads nested pickles",
	"dill":             "loads nested pickles and code",
	"cloudpickle":      "loads nested pickles and code",
	"joblib":           "loads nested pickles",
	"numpy.testing":    "runs code (numpy.testing's runstring executes a string)",
	"numpy.f2py":       "compiles and runs programs",
	"numpy.distutils":  "runs programs",
	"numpy.ctypeslib":  "loads native libraries",
	"numpy.lib.npyio":  "file system access and nested pickles",
	"sys":              "interpreter internals",
	"gc":               "interpreter internals",
	"inspect":          "interpreter internals",
	"pydoc":            "runs programs (pagers)",
	"timeit":           "runs code",
	"profile":          "runs code",
	"cProfile":         "runs code",
	"trace":            "runs code",
	"pdb":              "runs code",
	"bdb":              "runs code",
	"doctest":          "runs code",
	"idlelib":          "runs code",
	"ensurepip":        "runs programs",
	"pip":              "runs programs",
	"venv":             "runs programs",
	"distutils":        "runs programs",
	"setuptools":       "runs programs",
	"signal":           "process control",
	"operator":         "attrgetter, methodcaller and friends reach any attribute",
	"_operator":        "attrgetter, methodcaller and friends reach any attribute",
	// pandas' readers and writers (read_pickle loads nested pickles) and
	// its expression evaluator.
	"pandas.io":               "file system and network access, nested pickles",
	"pandas.core.computation": "evaluates expressions (pandas.eval)",
}

// dangerousBuiltins are the builtins (builtins, __builtin__) that run code,
// open files, or reach arbitrary attributes.
var dangerousBuiltins = map[string]string{
	"eval":       "runs code",
	"exec":       "runs code",
	"execfile":   "runs code (Python 2)",
	"compile":    "compiles code",
	"open":       "file system access",
	"file":       "file system access (Python 2)",
	"input":      "runs code (Python 2) and reads input",
	"raw_input":  "reads input",
	"getattr":    "reaches any attribute",
	"setattr":    "changes any attribute",
	"delattr":    "changes any attribute",
	"__import__": "imports code",
	"reload":     "imports code (Python 2)",
	"breakpoint": "runs the debugger",
	"help":       "runs a pager",
	"globals":    "interpreter internals",
	"locals":     "interpreter internals",
	"vars":       "interpreter internals",
	"apply":      "calls anything (Python 2)",
}

// dangerousNames are members of otherwise harmless modules that serve as
// gadgets: they call, or reach, whatever they are given.
var dangerousNames = map[string]string{
	"functools.partial": "calls anything it is given",
	"functools.reduce":  "calls anything it is given",
	// numpy's file readers and writers; numpy.load also loads pickles.
	"numpy.load":             "file system access and nested pickles",
	"numpy.save":             "file system access",
	"numpy.savez":            "file system access",
	"numpy.savez_compressed": "file system access",
	"numpy.loadtxt":          "file system access",
	"numpy.savetxt":          "file system access",
	"numpy.genfromtxt":       "file system access",
	"numpy.fromfile":         "file system access",
	"numpy.fromregex":        "file system access",
	"numpy.memmap":           "file system access",
	// pandas' readers and writers and eval, as the top-level package names
	// them.
	"pandas.eval":           "evaluates expressions",
	"pandas.read_pickle":    "file system access and nested pickles",
	"pandas.to_pickle":      "file system access",
	"pandas.read_csv":       "file system and network access",
	"pandas.read_table":     "file system and network access",
	"pandas.read_json":      "file system and network access",
	"pandas.read_html":      "file system and network access",
	"pandas.read_excel":     "file system and network access",
	"pandas.read_parquet":   "file system and network access",
	"pandas.read_sql":       "database access",
	"pandas.read_hdf":       "file system access",
	"pandas.read_clipboard": "runs programs (the clipboard tools)",
}

// attributeModules are modules that are often reachable as attributes of
// other modules (mod.os.system), so a later dotted component naming one is
// as dangerous as a first.
var attributeModules = map[string]bool{
	"os": true, "sys": true, "subprocess": true, "builtins": true, "__builtin__": true,
	"importlib": true, "ctypes": true, "posix": true, "nt": true, "pty": true,
	"socket": true, "shutil": true, "runpy": true, "marshal": true, "pickle": true,
	"_pickle": true, "webbrowser": true, "operator": true,
}

// plainRecords are constructors of plain records in otherwise dangerous
// modules, as CPython pickles them: os.stat(), os.times(), platform.uname(),
// types.SimpleNamespace, enum members of socket and signal, in-memory
// files, a finished subprocess's record. Building one runs no code of
// consequence, so they are suspicious (outside the default allowlist), not
// dangerous. The names are exact: nothing reached through them is exempt.
var plainRecords = map[string]bool{}

func init() {
	for _, mod := range []string{"os", "posix", "nt"} {
		for _, name := range []string{"stat_result", "statvfs_result", "terminal_size", "times_result", "uname_result", "sched_param"} {
			plainRecords[mod+"."+name] = true
		}
	}
	for _, name := range []string{
		"types.SimpleNamespace", "platform.uname_result",
		"socket.AddressFamily", "socket.SocketKind", "socket.MsgFlag", "socket.AddressInfo",
		"signal.Signals", "signal.Handlers", "signal.Sigmasks",
		"subprocess.CompletedProcess",
		"io.BytesIO", "io.StringIO", "_io.BytesIO", "_io.StringIO",
	} {
		plainRecords[name] = true
	}
}

// isPlainConstant reports whether g is an enum constant Python 3.6 and older
// pickle by name: signal.SIGTERM, socket.AF_INET. Referenced, it is an int.
func isPlainConstant(g Global) bool {
	upper := func(s string) bool {
		for _, c := range s {
			if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
				return false
			}
		}
		return true
	}
	switch g.Module {
	case "signal":
		return strings.HasPrefix(g.Name, "SIG") && upper(g.Name)
	case "socket":
		return (strings.HasPrefix(g.Name, "AF_") || strings.HasPrefix(g.Name, "SOCK_")) && upper(g.Name)
	}
	return false
}

// classifyGlobal says why a global is dangerous, or "" if it is not.
// Dotted names are checked component by component.
func classifyGlobal(g Global) string {
	if plainRecords[g.Module+"."+g.Name] || isPlainConstant(g) {
		return ""
	}
	if t := typeByGlobal[g]; t != nil && t.allowed {
		// A row of the type table the default allowlist admits builds
		// data, even in a module whose other names are gadgets (joblib's
		// array wrappers beside joblib.load).
		return ""
	}
	if i := strings.IndexByte(g.Module, 0); i >= 0 {
		// CPython from 3.11 on imports a module name only up to a NUL:
		// "os\x00anything" is os.
		if why := classifyGlobal(Global{g.Module[:i], g.Name}); why != "" {
			return why + " (CPython imports the module name up to its NUL)"
		}
	}
	parts := strings.Split(g.Module+"."+g.Name, ".")
	for i := 1; i <= len(parts); i++ {
		prefix := strings.Join(parts[:i], ".")
		if why, ok := dangerousModules[prefix]; ok {
			return prefix + ": " + why
		}
	}
	if why := dangerousNames[g.Module+"."+g.Name]; why != "" {
		return why
	}
	for i, p := range parts {
		if i > 0 && attributeModules[p] {
			return p + " reached as an attribute"
		}
		prevBuiltins := i > 0 && (parts[i-1] == "builtins" || parts[i-1] == "__builtin__" || parts[i-1] == "__builtins__")
		if why, ok := dangerousBuiltins[p]; ok && (prevBuiltins || i > 0 && p == "__import__") {
			return "builtins." + p + ": " + why
		}
		if i > 0 && strings.HasPrefix(p, "__") && strings.HasSuffix(p, "__") && p != "__new__" && p != "__main__" {
			return "reaches the special attribute " + p
		}
	}
	return ""
}
