class A(Enum):
    X = "\x4"
