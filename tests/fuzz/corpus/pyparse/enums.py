from enum import Enum


class ProjectStatusType(str, Enum):
    ACTIVE = "active"
    DONE = "done"


class Strange(str, Enum):
    X = "x"


class Direction(str, Enum):
    """`sort_dir` enumeration: how lists are sorted."""
    ASC = "asc"
    DESC = "desc"


class SortOrder(str, Enum):
    UP = "up"


class Helper(str, Enum):  # schemerge: ignore
    A = "a"
