"""Apple MPS: never available in jtorch."""


def is_available():
    """Always False."""
    return False


def is_built():
    """Always False."""
    return False
