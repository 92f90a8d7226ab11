package pickle

import "bytes"

// This file scans a PyTorch checkpoint as torch.load(weights_only=True)
// reads it: the globals its restricted unpickler admits (torchAllowed) are
// safe there, and so are persistent ids of the one form torch's own
// persistent_load takes, which name a storage beside the pickle. Anything
// else in the checkpoint keeps the verdict it has in any pickle.

// torchLegacyPickles is how many pickles start a legacy checkpoint: the
// magic number, the protocol version, sys_info, the object and the storage
// keys. Raw storage bytes follow them, which torch reads as no pickle.
const torchLegacyPickles = 5

// torchCheckpoint is what the scanner needs to know of a checkpoint.
type torchCheckpoint struct {
	legacy bool
	pkl    string // the zip member holding the object pickle
	cfg    *config
}

// sniffTorchScan returns the checkpoint data is, or nil if it is none.
func sniffTorchScan(data []byte, cfg *config) *torchCheckpoint {
	ok, legacy, zr := sniffTorch(bytes.NewReader(data), int64(len(data)))
	if !ok {
		return nil
	}
	t := &torchCheckpoint{legacy: legacy, cfg: cfg.layer()}
	AllowGlobals(torchAllowed...).apply(t.cfg)
	t.cfg.torchPIDs = true
	if zr != nil {
		_, pkl := torchZipLayout(zr)
		t.pkl = pkl.Name
	}
	return t
}

// memberConfig returns the config to scan a member of the checkpoint with.
func (t *torchCheckpoint) memberConfig(member string, cfg *config) *config {
	if t != nil && !t.legacy && member == t.pkl {
		return t.cfg
	}
	return cfg
}

// scanLegacy scans a legacy checkpoint: its pickles as torch reads them,
// and what follows them (the storages' bytes) as bytes that are mainly
// something else, whose findings count and whose failing to parse does not.
func (t *torchCheckpoint) scanLegacy(data []byte, rep *ScanReport) {
	n := len(rep.Pickles)
	scanStream(data, "", t.cfg, rep)
	seen := 0
	for i := n; i < len(rep.Pickles); i++ {
		if i > n && rep.Pickles[i].Offset != rep.Pickles[i-1].Offset {
			seen++
		}
		if seen >= torchLegacyPickles {
			secondary(rep.Pickles[i:])
			return
		}
	}
}

// isTorchStoragePID reports whether pid is of the form torch's
// persistent_load resolves to a storage: ('storage', storage type, key,
// location, numel), with the legacy format's sixth item, view_metadata,
// None. It checks the form only, as torch does before it reads the
// storage's bytes from the checkpoint; it runs nothing.
func isTorchStoragePID(pid any) bool {
	id, ok := pid.(Tuple)
	if !ok || len(id) != 5 && len(id) != 6 || !isText(id[0], "storage") {
		return false
	}
	g, ok := id[1].(Global)
	if !ok || typeByGlobal[g] != torchStorageRow {
		return false
	}
	_, keyOK := textOf(id[2])
	_, locOK := textOf(id[3])
	numel, numelOK := id[4].(int64)
	return keyOK && locOK && numelOK && numel >= 0 && (len(id) == 5 || id[5] == nil)
}
