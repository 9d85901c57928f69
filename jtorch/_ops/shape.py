"""Op family: shape (being written)."""

__all__ = []
