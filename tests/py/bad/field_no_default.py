class A:
    x: int =
