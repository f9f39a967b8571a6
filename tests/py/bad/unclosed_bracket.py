class A(TypedDict):
    x: Optional[
        str
