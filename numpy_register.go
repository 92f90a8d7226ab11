package pickle

// This file is numpy's only entry into the package's lists of Python types.
// Until those lists become one table of types, every hook numpy needs into
// them is here, in registerNumpy, each under a comment naming the list, so
// that turning numpy into rows of that table touches this one place.

func init() { registerNumpy() }

func registerNumpy() {
	// Hook: defaultAllowed (globals.go). These globals build data and run
	// nothing of consequence: admitted without options.
	for _, g := range numpyDataGlobals() {
		defaultAllowed[g.Module+"."+g.Name] = true
	}

	// Hook: builtinCalls (call.go). The calls numpy's pickles make,
	// evaluated into *Dtype and *NDArray; BUILD completes both through
	// their buildState methods (the stateBuilder interface).
	builtinCalls[globalDtype] = callDtype
	for _, g := range []Global{globalReconstruct, globalReconstruct2} {
		builtinCalls[g] = callReconstruct
		// Hook: plainChecks (call.go). _reconstruct allocates the
		// shape it is given.
		plainChecks[g] = reconstructNotPlain
	}
	for _, g := range []Global{globalFrombuffer, globalFrombuffer2} {
		builtinCalls[g] = callFrombuffer
	}
	for _, g := range []Global{globalScalar, globalScalar2} {
		builtinCalls[g] = callScalar
	}
	// Hook: plainChecks (call.go). numpy.ndarray is admitted as
	// _reconstruct's argument; called, it allocates.
	plainChecks[globalNDArray] = ndarrayNotPlain

	// Hook: dangerousModules and dangerousNames (dangerous.go). numpy's
	// own gadgets: they run code, load pickles or touch files.
	dangerousModules["numpy.testing"] = "runs code (numpy.testing's runstring executes a string)"
	dangerousModules["numpy.f2py"] = "compiles and runs programs"
	dangerousModules["numpy.distutils"] = "runs programs"
	dangerousModules["numpy.ctypeslib"] = "loads native libraries"
	dangerousModules["numpy.lib.npyio"] = "file system access and nested pickles"
	for _, name := range []string{"load", "save", "savez", "savez_compressed", "loadtxt", "savetxt", "genfromtxt", "fromfile", "memmap", "fromregex"} {
		dangerousNames["numpy."+name] = "file system access (numpy.load also loads nested pickles)"
	}
}

// numpyDataGlobals are the globals numpy's pickles of arrays, scalars and
// dtypes name, numpy 1's and numpy 2's spellings.
func numpyDataGlobals() []Global {
	return []Global{
		globalNDArray, globalDtype,
		globalReconstruct, globalScalar, globalFrombuffer,
		globalReconstruct2, globalScalar2, globalFrombuffer2,
	}
}
