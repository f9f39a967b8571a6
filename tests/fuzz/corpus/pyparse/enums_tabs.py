from enum import Enum


class Tabbed(str, Enum):
	"""tabbed enumeration"""

	A = "a"
	B = "b"  # trailing

	def f(self):
		if self:
			return 1
		return 2

	C = "c"


class Mixed(Enum):
	X = "x"
