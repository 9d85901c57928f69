"""Op family: activation (being written)."""

__all__ = []
