# Classes used by gen_fixtures.py.  The committed pickles refer to them as
# fixture_classes.<Name>, so do not rename or move anything here without
# regenerating the fixtures.  Must stay importable by Python 2.7 and 3.6+.


class Plain(object):
    """A plain new-style class with instance attributes."""

    def __init__(self):
        self.a = 1
        self.b = u'two'
        self.c = [1, 2]


class Slots(object):
    """A class with __slots__ (picklable only with protocol >= 2)."""

    __slots__ = ('x', 'y')

    def __init__(self, x=1, y=u'b'):
        self.x = x
        self.y = y


class GetStateTuple(object):
    """__getstate__/__setstate__ with a tuple as the state."""

    def __init__(self, a=1, b=u'x'):
        self.a = a
        self.b = b

    def __getstate__(self):
        return (self.a, self.b)

    def __setstate__(self, state):
        self.a, self.b = state


class ReduceArgs(object):
    """__reduce__ returning (cls, (args...))."""

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __reduce__(self):
        return (ReduceArgs, (self.x, self.y))


class MyList(list):
    """A list subclass whose __reduce__ returns state and listitems."""

    def __init__(self, items=(), tag=u'L'):
        list.__init__(self, items)
        self.tag = tag

    def __reduce__(self):
        return (MyList, (), self.__dict__, iter(list(self)), None)


class MyDict(dict):
    """A dict subclass whose __reduce__ returns state and dictitems."""

    def __init__(self, items=(), tag=u'D'):
        dict.__init__(self, items)
        self.tag = tag

    def __reduce__(self):
        return (MyDict, (), self.__dict__, None, iter(list(self.items())))


class KwNew(object):
    """__getnewargs_ex__ with keyword arguments (Python 3.6+, protocol 2+)."""

    def __new__(cls, a, b=0):
        self = object.__new__(cls)
        self.a = a
        self.b = b
        return self

    def __getnewargs_ex__(self):
        return ((self.a,), {'b': self.b})


class Outer(object):
    class Inner(object):
        """Nested class: pickled by qualname (no Python 2 support)."""

        def __init__(self):
            self.x = 1


class C:
    """pickletester.C (classic class on Python 2)."""

    def __eq__(self, other):
        return self.__dict__ == other.__dict__


# Classic classes for the Python 2 writers (new-style on Python 3, unused there).

class ClassicPlain:
    def __init__(self):
        self.a = 1
        self.b = [1, 2]


class ClassicEmpty:
    pass


class ClassicInitArgs:
    def __init__(self, x=1, y=u'y'):
        self.x = x
        self.y = y

    def __getinitargs__(self):
        return (self.x, self.y)


class ClassicGetState:
    def __init__(self):
        self.v = 5

    def __getstate__(self):
        return (u'state', self.v)

    def __setstate__(self, state):
        self.v = state[1]


# Classes for testdata/gen_fidelity.py.

class AttrDict(dict):
    """A dict subclass with instance attributes and the default reduce."""


class AttrList(list):
    """A list subclass with instance attributes and the default reduce."""


class SetterTarget(object):
    """Reduced with a state_setter (the 6-item __reduce__ of Python 3.8+)
    that this package cannot apply: a module-level function."""

    def __reduce__(self):
        return (SetterTarget, (), dict(self.__dict__), None, None, set_state)


def set_state(obj, state):
    obj.__dict__.update(state)


class SetterList(object):
    """Reduced to a list that list.append, as state_setter, fills."""

    def __reduce__(self):
        return (list, (), u'x', None, None, list.append)


class SetterDict(object):
    """Reduced to a dict that dict.update, as state_setter, fills."""

    def __reduce__(self):
        return (dict, (), {u'a': 1}, None, None, dict.update)


class SelfInArgs(object):
    """Reduced to a call whose arguments hold the object itself: CPython
    writes the call twice, and POPs the second to GET the first."""

    def __init__(self, items=None, n=0):
        self.items = items
        self.n = n

    def __reduce__(self):
        return (SelfInArgs, (self.items, self.n))

    def __repr__(self):
        return 'SelfInArgs(n=%d)' % self.n
