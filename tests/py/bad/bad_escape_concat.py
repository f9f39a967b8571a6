class A(Enum):
    X = "a" "\x4z"
