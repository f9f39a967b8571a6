from enum import Enum


class Deep(Enum):
    A = "a"
    def m(self):
        if self:
            for i in range(3):
                while i:
                    try:
                        pass
                    except Exception:
                        pass
        return None
    B = "b"
    class Inner(Enum):
        C = "c"
        class Innermost:
            D = "d"
    E = "e"
        # indented trailing comment
# column-zero comment


class Next(Enum):
    F = "f"
