#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Module with code around the classes."""
import os, sys as system
import typing

if typing.TYPE_CHECKING:
    from foo import Bar

__all__ = ["A", "B"]

X = {
    "class": "not a class",
    'q': """
class Fake(Enum):
    A = "a"
""",
}


def helper(a, b=2, *args, **kwargs) -> dict:
    """Docstring."""
    c = [
        x for x in range(10)
        if x % 2
    ]
    return {k: v for k, v in kwargs.items()}


async def ahelper():
    async with x as y:
        await y


@decorator
def decorated():
    pass


class A(typing.Generic[T], metaclass=Meta, **extra):
    model_config = {
        "extra": "forbid",
    }
    value: int = field(default_factory=lambda: 0)
    items = [i for i in range(3)]
    other = x == y
    walrus = (y := 10)
    lam = lambda: "x"
    neg = -1
    text = "in A"  # a comment with "quotes" and 'apostrophes'


class B(A):
    pass


try:
    import foo
except ImportError:
    foo = None
else:
    pass
finally:
    pass

with open(__file__) as fh:
    data = fh.read()

while False:
    break

for i in range(3):
    continue

print(f"done {A!r:>10} {'nested'} {{braces}}", rb'raw\bytes', Rb"x", BR'y', fR'{1}', F"z")
number = 1_000_000 + 0x_FF + 0o17 + 0b1010 + 1.5e-3 + 2j + .5 + 1E+10


class Lambdas:
    F = lambda x=1, *a, y=2, **k: x
    G = H = "chained is not a member"
    I = (lambda: 0)()
    J: int = (lambda z=3: z)()
