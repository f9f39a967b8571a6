from enum import \
    Enum


class Cont(str, \
           Enum):
    A = \
        "a"
    B = "b" \
        "c"
    field: \
        int
    x = 1 + \
        2


class AfterCont(Enum):
    Z = "z"
