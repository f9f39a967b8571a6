from enum import Enum

class Bom(Enum):
    """bom enumeration"""
    A = "a"
