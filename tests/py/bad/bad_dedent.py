class A(Enum):
    a = "1"
  b = "2"
