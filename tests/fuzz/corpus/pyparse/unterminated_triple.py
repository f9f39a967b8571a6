class A(Enum):
    """doc
    X = "x"
