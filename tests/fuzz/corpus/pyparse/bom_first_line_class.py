class Bom2(Enum): A = "a"
