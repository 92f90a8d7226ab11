"""The Python side of the live tests in python_test.go.

    python python_peer.py write DIR KEY_HEX   # two generations and a journal
    python python_peer.py read DIR KEY_HEX    # prints the loaded state as JSON
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'python'))
import pickle_snapshot  # noqa: E402


def add(state, change):
    state['n'] += 1
    state['names'].append(change['name'])
    return state


def main():
    op, directory, key = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3])
    store = pickle_snapshot.Store(directory, key_id=b'k1', key=key, schema=1, writer='python_peer')
    if op == 'write':
        store.save({'n': 1, 'names': ['py0']})
        store.save({'n': 2, 'names': ['py0', 'py1']})
        store.append({'name': 'py2'})
        store.append({'name': 'py3'})
    elif op == 'read':
        state, info = store.load(replay=add)
        json.dump({'state': state, 'generation': info['generation'], 'records': info['records'],
                   'writer': info['writer'],
                   'skipped': [{'generation': e.generation, 'record': e.record, 'reason': str(e.reason)}
                               for e in info['skipped']]}, sys.stdout)
    else:
        raise SystemExit('unknown operation ' + op)


main()
