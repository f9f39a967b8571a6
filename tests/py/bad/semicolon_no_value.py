class A(Enum):
    A = 1; B =
