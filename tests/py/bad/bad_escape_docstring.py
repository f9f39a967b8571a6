class A:
    """ab\U00110000"""
