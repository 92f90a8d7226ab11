package pickle

import (
	"math"
	"reflect"
	"time"
)

// This file gives Go code an NDArray's elements as typed slices, in
// row-major order whatever the memory order, by the rules Unmarshal follows
// for each element (ints that fit, floats exactly, ...).

// Float64s returns the elements as float64s: float arrays of any size, and
// ints and bools that convert exactly.
func (a *NDArray) Float64s() ([]float64, error) { return flatAs[float64](a) }

// Float32s returns the elements as float32s: float16 and float32 arrays, and
// values of other kinds that fit.
func (a *NDArray) Float32s() ([]float32, error) { return flatAs[float32](a) }

// Int64s returns the elements of an int (or uint below 2**63) array.
func (a *NDArray) Int64s() ([]int64, error) { return flatAs[int64](a) }

// Uint64s returns the elements of a uint (or non-negative int) array.
func (a *NDArray) Uint64s() ([]uint64, error) { return flatAs[uint64](a) }

// Bools returns the elements of a bool array.
func (a *NDArray) Bools() ([]bool, error) { return flatAs[bool](a) }

// Complex128s returns the elements of a complex (or float, or int) array.
func (a *NDArray) Complex128s() ([]complex128, error) { return flatAs[complex128](a) }

// Strings returns the elements of a U (unicode) or S (bytes) array, trailing
// NULs stripped as numpy does.
func (a *NDArray) Strings() ([]string, error) { return flatAs[string](a) }

// Times returns the elements of a datetime64 array as time.Time in UTC; NaT
// is an error.
func (a *NDArray) Times() ([]time.Time, error) { return flatAs[time.Time](a) }

// Durations returns the elements of a timedelta64 array; NaT, and units
// that do not fit a time.Duration exactly, are errors.
func (a *NDArray) Durations() ([]time.Duration, error) { return flatAs[time.Duration](a) }

// flatAs unmarshals the elements of a, in row-major order, into a []T.
func flatAs[T any](a *NDArray) ([]T, error) {
	flat := *a
	flat.Shape = []int{a.Len()}
	if a.Fortran {
		flat.Data, flat.Fortran = a.rowMajorData(), false
	}
	var out []T
	u := &unmarshaler{cfg: accessorConfig, budget: math.MaxInt64, shared: map[sharedKey]reflect.Value{}}
	if err := u.convertNDArray(&flat, reflect.ValueOf(&out).Elem()); err != nil {
		return nil, err
	}
	return out, nil
}

// accessorConfig is the configuration the accessors convert with: the
// defaults.
var accessorConfig, _ = newConfig(nil)
