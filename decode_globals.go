package pickle

import "strings"

// This file decides which globals a pickle may reference: Python 2 to 3
// renames (fix_imports), the user's FindClass hook, and the allowlist.

// The protocol's own machinery: globals CPython's pickles name that are
// not types. The types' globals are in the type table (pytype.go), which
// also fills defaultAllowed.
var (
	globalReconstructor    = Global{"copyreg", "_reconstructor"}
	py2Reconstructor       = Global{"copy_reg", "_reconstructor"}
	globalNewObj           = Global{"copyreg", "__newobj__"}
	globalNewObjEx         = Global{"copyreg", "__newobj_ex__"}
	getattrGlobal          = Global{"builtins", "getattr"}
	partialGlobal          = Global{"functools", "partial"}
	extensionRegistryScope = "copyreg._extension_registry"
)

func init() {
	// copyreg._reconstructor(cls, base, state) is how protocols 0 and 1
	// write an instance: it builds plain data when cls is allowed.
	allowGlobal(globalReconstructor)
	allowGlobal(py2Reconstructor)
}

// allowed reports whether the allowlist admits module.name.
func (c *config) allowed(module, name string) bool {
	if c.allowAll {
		return true
	}
	full := module + "." + name
	return defaultAllowed[full] || c.allow[full] || c.allow[module+".*"] || c.classByName[full] != nil
}

// allowedNew reports whether g is cls.__new__ for an allowed cls: as allowed
// as cls, since calling it is what NEWOBJ does.
func (c *config) allowedNew(g Global) bool {
	owner, ok := strings.CutSuffix(g.Name, ".__new__")
	return ok && c.allowed(g.Module, owner)
}

// fixImports maps a Python 2 module and name to their Python 3 spelling, as
// Python's unpickler does for protocols below 3.
func fixImports(module, name string) (string, string) {
	if v, ok := compatNameMapping[module+"\x00"+name]; ok {
		m, n, _ := strings.Cut(v, "\x00")
		return m, n
	}
	if m, ok := compatImportMapping[module]; ok {
		return m, name
	}
	return module, name
}

// reverseFixImports maps a Python 3 module and name to the spelling Python 2
// understands, as Python's pickler does for protocols below 3.
func reverseFixImports(module, name string) (string, string) {
	if v, ok := compatReverseNameMapping[module+"\x00"+name]; ok {
		m, n, _ := strings.Cut(v, "\x00")
		return m, n
	}
	if m, ok := compatReverseImportMapping[module]; ok {
		return m, name
	}
	return module, name
}

// resolveGlobal turns a module and name read from the pickle into the value
// the decoder pushes, or refuses it.
func (m *machine) resolveGlobal(module, name string) (any, error) {
	if module == "" {
		return nil, malformed("empty module name")
	}
	if m.proto < 3 {
		module, name = fixImports(module, name)
	}
	var err error
	if m.cfg.findClass != nil && name != "" {
		if module, name, err = m.cfg.findClass(module, name); err != nil {
			return nil, err
		}
	}
	for _, part := range strings.Split(name, ".") {
		if part == "<locals>" {
			err = malformed("can't get local object %s.%s", module, name)
		}
	}
	if name == "" {
		err = malformed("empty global name in module %q", module)
	}
	if m.proto < 4 && strings.Contains(name, ".") {
		// Python looks dotted names up attribute by attribute only from
		// protocol 4 on; before, "str.upper" is a missing attribute.
		err = malformed("can't get attribute %q on module %q at protocol %d", name, module, m.proto)
	}
	if err != nil {
		if m.obs != nil && m.obs.scanning {
			// Python has imported the module before it fails; a loader
			// with its own find_class may not fail at all, so the scanner
			// notes the error and reads on.
			m.obs.global(m, Global{module, name}, findingRefused)
			if m.obs.failed == nil {
				m.obs.failed = &DecodeError{Offset: m.opStart, Op: opName(m.opCode), Err: err}
			}
			return Global{module, name}, nil
		}
		return nil, err
	}
	return m.admit(Global{module, name})
}

// admit checks a global against the allowlist. A global that is not allowed
// itself but may still become an allowed one is admitted as a pendingGlobal,
// good for one construct only: builtins.getattr and mod.A (when mod.A.B is
// allowed) for getattr(mod.A, "B"), which CPython 3.13 writes for nested
// classes below protocol 4; functools.partial for partial(cls.__new__, cls,
// *args, **kwargs)(), which CPython writes for NEWOBJ_EX below protocol 4.
// cls.__new__ is as allowed as cls: calling it is what NEWOBJ does.
func (m *machine) admit(g Global) (any, error) {
	if m.cfg.allowed(g.Module, g.Name) {
		m.obs.global(m, g, findingAllowed)
		return g, nil
	}
	if m.cfg.allowedNew(g) {
		m.obs.global(m, g, findingAllowed)
		return g, nil
	}
	if g == getattrGlobal || g == partialGlobal || m.cfg.allowsBelow(g) {
		m.obs.global(m, g, findingPending)
		m.pending++
		m.probation = true
		m.lastPending = g
		return pendingGlobal{g}, nil
	}
	if m.obs != nil && m.obs.scanning {
		// The scanner keeps going with what Python would have imported.
		m.obs.global(m, g, findingRefused)
		return g, nil
	}
	return nil, &GlobalError{Module: g.Module, Name: g.Name}
}

// pendingGlobal is a global on probation; see admit. Each one on the stack
// is counted in machine.pending, and STOP fails unless all were consumed.
type pendingGlobal struct{ g Global }

// allowsBelow reports whether the allowlist admits a name nested in g.
func (c *config) allowsBelow(g Global) bool {
	if defaultOwners[g] {
		return true
	}
	prefix := g.Module + "." + g.Name + "."
	for name := range c.allow {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	for name := range c.classByName {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// foldGetattr turns getattr(mod.A, "B") into the global mod.A.B, as Python
// resolves it; ok is false when the call has another shape.
func (m *machine) foldGetattr(callable any, args Tuple) (v any, ok bool, err error) {
	isGetattr := callable == any(getattrGlobal) || callable == any(pendingGlobal{getattrGlobal})
	if !isGetattr || len(args) != 2 {
		return nil, false, nil
	}
	attr, ok := args[1].(string)
	if !ok || attr == "" || strings.Contains(attr, ".") {
		return nil, false, nil
	}
	var owner Global
	switch x := args[0].(type) {
	case Global:
		owner = x
	case pendingGlobal:
		owner = x.g
		m.pending--
	default:
		return nil, false, nil
	}
	if _, ok := callable.(pendingGlobal); ok {
		m.pending--
	}
	v, err = m.admit(Global{owner.Module, owner.Name + "." + attr})
	return v, true, err
}
