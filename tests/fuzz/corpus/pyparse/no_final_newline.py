from enum import Enum

class NoNewline(Enum):
    A = "a"
    B = "b"