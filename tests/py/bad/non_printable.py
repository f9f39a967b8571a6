class A(Enum):
    X = "x"  
