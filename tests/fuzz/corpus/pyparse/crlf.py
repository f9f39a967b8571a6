from enum import Enum
from typing import TypedDict


class Crlf(str, Enum):
    """crlf enumeration"""
    A = "a"
    B = """multi
line"""
    C = "c\
d"


class CrlfRow(TypedDict):
    x: Optional[
        str]
    y: int
