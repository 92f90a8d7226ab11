"""Writes testdata/torch/: PyTorch checkpoints saved by torch.save in both
formats (the zip torch writes since 1.6, and the legacy sequence of pickles
that _use_new_zipfile_serialization=False writes), and expected.json, which
gives for every file the tensors in it as torch's own tolist() says, with
their dtype and shape, keyed by their path in the saved value.

torch_test.go reads each file with ReadFile and compares; expected.json
also lists the globals torch.load(weights_only=True) admits, which the Go
side must admit exactly. TestTorchLive runs this script with --out DIR
--seed N to check freshly saved checkpoints against the torch installed.
Run with Debian's PyTorch (python3-torch):
    /usr/bin/python3 testdata/gen_torch.py
"""
import argparse
import collections
import json
import math
import os

import torch
from torch._weights_only_unpickler import _get_allowed_globals

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch")


def sequential():
    # A tiny model: its state_dict has weights, biases, and BatchNorm's
    # running statistics with num_batches_tracked (int64).
    m = torch.nn.Sequential(
        torch.nn.Linear(3, 2),
        torch.nn.Conv2d(1, 2, kernel_size=2),
        torch.nn.BatchNorm1d(2),
    )
    m[2].num_batches_tracked += 3
    return m.state_dict()


def dtypes():
    base = torch.tensor([[0, 1.5, -2.25], [3.0, -0.125, 100.0]])
    out = collections.OrderedDict()
    for name in ["float16", "bfloat16", "float32", "float64", "int8", "int16",
                 "int32", "int64", "uint8", "bool", "complex64", "complex128"]:
        dt = getattr(torch, name)
        if dt.is_complex:
            out[name] = torch.complex(base, -base).to(dt)
        elif dt == torch.uint8:
            out[name] = base.abs().to(dt)
        else:
            out[name] = base.to(dt)
    out["scalar"] = torch.tensor(7.5)
    out["empty"] = torch.zeros(0, 3)
    return out


def views():
    # Tensors viewing one storage: a slice, a row, a transposed
    # (non-contiguous) view, an expanded view (stride 0) and a parameter.
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    return {
        "base": base,
        "slice": base[1:3, 2:5],
        "row": base[2],
        "transposed": base.t(),
        "expanded": torch.tensor([1.0, 2.0]).reshape(2, 1).expand(2, 3),
        "param": torch.nn.Parameter(torch.tensor([0.5, -0.5]), requires_grad=False),
        "items": [base[0], base[3]],
    }


def large():
    # Only with --large (TestTorchLive), too big for the repository: more
    # elements than the typed decoding budget of a small pickle alone
    # would allow, in dtypes Unmarshal converts one by one, and an
    # expanded view (stride 0) of 2**18 float32s, 1 MiB once copied.
    return {
        "h": (torch.arange(100000) % 2048 / 8).to(torch.float16),
        "b": (torch.arange(100000) % 2048 / 8 - 100).to(torch.bfloat16),
        "e": torch.tensor([2.5]).expand(1 << 18),
    }


CASES = {
    "sequential": sequential,
    "dtypes": dtypes,
    "views": views,
}


def plain(v):
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return repr(v)
    if isinstance(v, complex):
        return [plain(v.real), plain(v.imag)]
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


def tensors(value, path, out):
    if isinstance(value, torch.Tensor):
        t = value.detach()
        out[path] = {"dtype": str(t.dtype).replace("torch.", ""),
                     "shape": list(t.shape),
                     "values": plain(t.tolist())}
    elif isinstance(value, dict):
        for k, v in value.items():
            tensors(v, k if not path else path + "/" + k, out)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            tensors(v, path + "/" + str(i), out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=HERE)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--large", action="store_true")
    args = ap.parse_args()
    if args.large:
        CASES["large"] = large
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    expected = {"torch": torch.__version__, "files": {},
                "weights_only_globals": sorted(_get_allowed_globals())}
    for name, make in CASES.items():
        value = make()
        want = {}
        tensors(value, "", want)
        for fmt, zipped in (("zip", True), ("legacy", False)):
            fname = "%s.%s.pt" % (name, fmt)
            path = os.path.join(args.out, fname)
            torch.save(value, path, _use_new_zipfile_serialization=zipped)
            # What torch's own restricted loader admits, this file must
            # pass through too.
            torch.load(path, weights_only=True)
            expected["files"][fname] = want
    with open(os.path.join(args.out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
