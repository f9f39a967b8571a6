class A(Enum):
    X = "abc
