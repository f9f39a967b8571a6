class A:
    ()
    X = ()
    Y = (("y"))
    Z = ("z",)
