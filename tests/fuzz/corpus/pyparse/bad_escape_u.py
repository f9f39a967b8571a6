class A:
    x = "\u12"
