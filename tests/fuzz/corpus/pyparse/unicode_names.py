from enum import Enum
from typing import TypedDict


class Café(Enum):
    """café enumeration"""
    NAÏVE = "naïve"
    ÉTÉ = "été"
    日本 = "日本"
    x = "é"; y = "ü"


class ÜberRow(TypedDict):
    größe: int
    名前: str  # コメント
    señal: "Optional[str]"
