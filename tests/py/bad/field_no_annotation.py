class A:
    x:
