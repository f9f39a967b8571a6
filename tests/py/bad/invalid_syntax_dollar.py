class A(Enum):
    X = $
