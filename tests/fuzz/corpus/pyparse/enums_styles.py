import enum
from enum import Enum, StrEnum, auto, unique


@unique
class Color(StrEnum):
  RED = 'red'
  GREEN = 'green'
  BLUE = auto()


@enum.unique
@some.decorator(with_args=True,
                more=[1, 2])
class Plain(Enum):
  ONE = 1
  TWO = "two"
  THREE = b"bytes"
  FOUR = f"formatted {ONE}"
  FIVE = "a", "b"
  SIX = SEVEN = "chained"
  EIGHT: str = "annotated"
  NINE = "x" if True else "y"


class Qualified(enum.Enum):
  """Multi-line docstring.

  Second paragraph.
  """
  class Nested:
    INNER = "not a member of Qualified"

  A = "a"

  @property
  def upper(self):
    return self.value.upper()

  @classmethod
  def parse(cls, s: str) -> "Qualified":
    x: int = 1
    return cls(s)

  B = "b"


class OneLine(Enum): A = "a"; B = "b"


class OneLineDoc(Enum): "doc"


class WithPass(Enum):
  pass


class WithEllipsis(Enum):
  ...
