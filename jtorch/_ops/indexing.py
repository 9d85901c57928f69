"""Op family: indexing (being written)."""

__all__ = []
