@dataclass
x = 1
