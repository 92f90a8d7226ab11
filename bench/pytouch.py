"""Times zeroing a new buffer in CPython: bytearray(N), which mallocs N bytes
and writes zeros over them.

    python3 bench/pytouch.py N REPS

Each run frees the buffer outside the timed region. Under CPython's default
settings a buffer this large is its own mapping, returned to the system when
freed, so every run touches fresh pages (a page fault each); with the freed
memory kept in the process (runbench's PYTHONMALLOC=malloc and glibc
settings) only the first run does. Prints one JSON object: N and every run's
nanoseconds.
"""
import json
import sys
import time


def main(argv):
    n, reps = int(argv[0]), int(argv[1])
    runs = []
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        b = bytearray(n)
        t1 = time.perf_counter_ns()
        del b
        runs.append(t1 - t0)
    print(json.dumps({'bytes': n, 'runs_ns': runs}), flush=True)


if __name__ == '__main__':
    main(sys.argv[1:])
