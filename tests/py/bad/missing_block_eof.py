class A(Enum):

# only comments
