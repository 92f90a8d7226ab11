"""Times CPython's pickle.loads and pickle.dumps on corpus files.

    python3 bench/pytime.py [-reps N] [-budget SECONDS] [-gc off] [-no-tracemalloc] DIR FILE...

For each file, read into memory first: loads, then dumps of what loads
returned (at the file's protocol), each up to REPS times with the cyclic
garbage collector off and up to REPS times with it on; the median of each,
and the minor page faults of every run. A series stops early, after at
least 3 runs, once its runs add up to more than BUDGET seconds (as
runbench's Go measurements do). Every loads run starts after a gc.collect() (a dumps series after one: a collection with the
whole object graph alive costs more than most dumps runs, and dumps makes no
cyclic garbage); the previous run's result is freed outside the timed region.
Then, once, tracemalloc measures the object graph loads builds (the memory
still traced after loads returns) and the peak during loads.

-gc off measures with the collector off only, and -no-tracemalloc leaves out
the memory: what runbench asks for when it runs this again with CPython's
freed memory kept in the process (PYTHONMALLOC=malloc and glibc's malloc
settings, in its environment).

Prints one JSON object per file on stdout.
"""
import gc
import json
import pickle
import resource
import sys
import time
import tracemalloc


def minor_faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def timed(fn, reps, budget, collect_each):
    """Returns the median time, every run's time, and every run's minor
    page faults (fresh pages the kernel had to map in)."""
    times, faults = [], []
    gc.collect()
    for _ in range(reps):
        if collect_each:
            gc.collect()
        f0 = minor_faults()
        t0 = time.perf_counter_ns()
        out = fn()
        t1 = time.perf_counter_ns()
        faults.append(minor_faults() - f0)
        del out
        times.append(t1 - t0)
        if len(times) >= 3 and sum(times) > budget * 1e9:
            break
    # The upper median for an even count, as runbench takes it.
    return sorted(times)[len(times) // 2], times, faults


def main(argv):
    reps, budget, modes, memory = 7, 1e9, ('off', 'on'), True
    while argv[:1] in (['-reps'], ['-budget'], ['-gc'], ['-no-tracemalloc']):
        if argv[0] == '-no-tracemalloc':
            memory = False
            argv = argv[1:]
            continue
        if argv[0] == '-reps':
            reps = int(argv[1])
        elif argv[0] == '-gc':
            modes = tuple(argv[1].split(','))
        else:
            budget = float(argv[1])
        argv = argv[2:]
    directory, files = argv[0], argv[1:]
    for name in files:
        with open(f'{directory}/{name}', 'rb') as f:
            data = f.read()
        proto = int(name.split('.')[-2][1:])  # NAME.pPROTO.pkl
        res = {'file': name, 'size': len(data), 'reps': reps,
               'python': sys.version.split()[0]}
        # loads first, with nothing else alive; then dumps of one result.
        for mode in modes:
            (gc.disable if mode == 'off' else gc.enable)()
            (res[f'loads_gc_{mode}_ns'], res[f'loads_gc_{mode}_all'],
             res[f'loads_gc_{mode}_faults']) = timed(
                lambda: pickle.loads(data), reps, budget, True)
        obj = pickle.loads(data)
        for mode in modes:
            (gc.disable if mode == 'off' else gc.enable)()
            (res[f'dumps_gc_{mode}_ns'], res[f'dumps_gc_{mode}_all'],
             res[f'dumps_gc_{mode}_faults']) = timed(
                lambda: pickle.dumps(obj, protocol=proto), reps, budget, False)
        gc.enable()
        del obj
        gc.collect()
        if not memory:
            print(json.dumps(res), flush=True)
            continue
        tracemalloc.start()
        obj = pickle.loads(data)
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del obj
        res['graph_bytes'] = current
        res['peak_bytes'] = peak
        print(json.dumps(res), flush=True)


if __name__ == '__main__':
    main(sys.argv[1:])
