class A(Enum):
    X = "x"
  # comment
 Y = 1
