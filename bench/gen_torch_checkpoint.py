"""Writes a PyTorch checkpoint for runbench's memory measurement: a
state_dict of float32 tensors of 64 MiB each (the last one smaller) adding
up to the bytes asked, saved with torch.save's default (zip) format.

Run with Debian's PyTorch:  /usr/bin/python3 gen_torch_checkpoint.py PATH BYTES
"""
import collections
import sys

import torch


def main():
    path, total = sys.argv[1], int(sys.argv[2])
    chunk = 64 << 20
    sd = collections.OrderedDict()
    i = 0
    while total > 0:
        n = min(chunk, total) // 4
        # Seeded values, not zeros: every byte is read for real.
        g = torch.Generator().manual_seed(i)
        sd["layer%d.weight" % i] = torch.rand(n, generator=g)
        total -= 4 * n
        i += 1
    torch.save(sd, path)


if __name__ == "__main__":
    main()
