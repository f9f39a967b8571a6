class A(Enum):
    X = 
