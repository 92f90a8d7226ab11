"""Classes the pickles of gen_shapes.py refer to, as shape_classes.<Name>:
do not rename or move anything here without regenerating them. Python 3.10+
(slots dataclasses)."""
import collections
import dataclasses
import enum
import typing

Point = collections.namedtuple('Point', 'x y')


class Sample(typing.NamedTuple):
    name: str
    value: float
    tags: tuple = ()


class Color(enum.Enum):
    RED = 1
    GREEN = 2


class Mode(str, enum.Enum):
    READ = 'r'
    WRITE = 'w'


class Level(enum.IntEnum):
    LOW = 10
    HIGH = 20


@dataclasses.dataclass(slots=True)
class SPoint:
    x: int
    y: int
