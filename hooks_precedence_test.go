package pickle

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

// Types with every hook, each hook leaving its own mark in what it makes.
type hpReducer struct{ S string }

func (hpReducer) PickleReduce() (*Object, error) {
	return &Object{Class: Global{"hp", "by_method_reduce"}, Args: Tuple{}}, nil
}
func (hpReducer) PickleGetState() (any, error) { return "by-method-getstate", nil }

type hpGetter struct{ S string }

func (hpGetter) PickleGetState() (any, error) { return "by-method-getstate", nil }

type hpBare struct{ S string }

var hpFuncs = ClassFuncs{
	Reduce: func(any) (*Object, error) {
		return &Object{Class: Global{"hp", "by_funcs_reduce"}, Args: Tuple{}}, nil
	},
	GetState: func(any) (any, error) { return "by-funcs-getstate", nil },
}

var hpMarks = []string{"by-persistent-id", "by_method_reduce", "by_funcs_reduce", "by-funcs-getstate", "by-method-getstate", "by-fields"}

// TestHookPrecedenceEncoding pins the order Marshal's doc gives.
func TestHookPrecedenceEncoding(t *testing.T) {
	claim := PersistentIDFunc(func(v any) (any, bool, error) {
		_, ok := v.(hpReducer)
		return "by-persistent-id", ok, nil
	})
	for _, tc := range []struct {
		name string
		v    any
		opts []Option
		want string
	}{
		{"PersistentIDFunc before everything", hpReducer{"by-fields"}, []Option{claim, RegisterClassFuncs("hp.T", hpReducer{}, hpFuncs)}, "by-persistent-id"},
		{"PickleReduce before ClassFuncs", hpReducer{"by-fields"}, []Option{RegisterClassFuncs("hp.T", hpReducer{}, hpFuncs)}, "by_method_reduce"},
		{"ClassFuncs.Reduce before any state", hpGetter{"by-fields"}, []Option{RegisterClassFuncs("hp.T", hpGetter{}, hpFuncs)}, "by_funcs_reduce"},
		{"ClassFuncs.GetState before PickleGetState", hpGetter{"by-fields"}, []Option{RegisterClassFuncs("hp.T", hpGetter{}, ClassFuncs{GetState: hpFuncs.GetState})}, "by-funcs-getstate"},
		{"PickleGetState before the fields", hpGetter{"by-fields"}, []Option{RegisterClass("hp.T", hpGetter{})}, "by-method-getstate"},
		{"the fields last", hpBare{"by-fields"}, []Option{RegisterClass("hp.T", hpBare{})}, "by-fields"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := Marshal(tc.v, tc.opts...)
			require.NoError(t, err)
			for _, mark := range hpMarks {
				require.Equal(t, mark == tc.want, bytes.Contains(data, []byte(mark)), "mark %s in %q", mark, data)
			}
		})
	}
}

type hpIn struct{ Init, State, S string }

func (p *hpIn) PickleInit(Tuple, *Dict) error { p.Init = "method"; return nil }
func (p *hpIn) PickleSetState(any) error      { p.State = "method"; return nil }

type hpFields struct{ Init, State, S string }

// TestHookPrecedenceDecoding pins the order Unmarshal's doc gives.
func TestHookPrecedenceDecoding(t *testing.T) {
	state := NewDict(1)
	state.Set("S", "fields")
	instance := func(module string, args Tuple) []byte {
		data, err := Marshal(&Object{Class: Global{module, "In"}, Kind: CallNewObj, Args: args, State: state, HasState: true})
		require.NoError(t, err)
		return data
	}
	funcs := ClassFuncs{
		Init:     func(ptr any, _ Tuple, _ *Dict) error { ptr.(*hpIn).Init = "funcs"; return nil },
		SetState: func(ptr any, _ any) error { ptr.(*hpIn).State = "funcs"; return nil },
	}
	renamed := FindClass(func(m, n string) (string, string, error) {
		if m == "old" {
			m = "hp"
		}
		return m, n, nil
	})
	for _, tc := range []struct {
		name string
		data []byte
		opts []Option
		want hpFields
	}{
		{"ClassFuncs before methods", instance("hp", Tuple{"x"}), []Option{RegisterClassFuncs("hp.In", hpIn{}, funcs)}, hpFields{"funcs", "funcs", ""}},
		{"methods before the fields", instance("hp", Tuple{"x"}), []Option{RegisterClass("hp.In", hpIn{})}, hpFields{"method", "method", ""}},
		{"FindClass picks the class first", instance("old", Tuple{"x"}), []Option{renamed, RegisterClass("hp.In", hpIn{})}, hpFields{"method", "method", ""}},
		{"the fields last", instance("hp", nil), []Option{RegisterClass("hp.In", hpFields{})}, hpFields{"", "", "fields"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v any
			require.NoError(t, Unmarshal(tc.data, &v, tc.opts...))
			switch got := v.(type) {
			case hpIn:
				require.Equal(t, tc.want, hpFields(got))
			case hpFields:
				require.Equal(t, tc.want, got)
			default:
				t.Fatalf("decoded %T", v)
			}
		})
	}
	// Arguments with no hook to take them are an error.
	var v hpFields
	require.Error(t, Unmarshal(instance("hp", Tuple{"x"}), &v, RegisterClass("hp.In", hpFields{})))
}
