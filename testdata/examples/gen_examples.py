"""Writes the pickles the Example functions read.

    python3 testdata/examples/gen_examples.py

cache.pkl      a list of records, as a Python service caches them (protocol 4)
point_v1.pkl   an instance of oldapp.geometry.Point (x, y attributes), the
               class's old home and schema
point_v2.pkl   an instance of app.models.Point, the new schema (coords, label)
"""
import os
import pickle
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))


def module(name):
    """A module to define classes in, so pickle can find them by name."""
    parts = name.split('.')
    for i in range(1, len(parts) + 1):
        sub = '.'.join(parts[:i])
        if sub not in sys.modules:
            sys.modules[sub] = types.ModuleType(sub)
    return sys.modules[name]


def define(modname, clsname):
    mod = module(modname)
    cls = type(clsname, (object,), {'__module__': modname})
    setattr(mod, clsname, cls)
    return cls


def write(name, obj, protocol):
    with open(os.path.join(HERE, name), 'wb') as f:
        pickle.dump(obj, f, protocol)


records = [
    {'id': 1, 'name': 'Ada', 'email': 'ada@example.com', 'score': 97.5, 'tags': ['admin', 'ops'], 'active': True, 'parent': None},
    {'id': 2, 'name': 'Brian', 'email': 'brian@example.com', 'score': 88.0, 'tags': [], 'active': False, 'parent': 1},
]
write('cache.pkl', records, 4)

OldPoint = define('oldapp.geometry', 'Point')
p1 = OldPoint()
p1.x, p1.y = 3, 4
write('point_v1.pkl', p1, 2)

NewPoint = define('app.models', 'Point')
p2 = NewPoint()
p2.coords, p2.label = (5, 6), 'home'
write('point_v2.pkl', p2, 4)
