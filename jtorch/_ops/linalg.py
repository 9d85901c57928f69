"""Op family: linalg (being written)."""

__all__ = []
