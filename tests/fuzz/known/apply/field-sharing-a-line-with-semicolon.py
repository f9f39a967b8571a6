from typing import TypedDict


class T1Row(TypedDict):
    id: str; tags: int
    x: float
