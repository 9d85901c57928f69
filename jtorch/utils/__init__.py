"""``torch.utils``: data loading (``jtorch.utils.data``) and activation checkpointing."""
from . import checkpoint, data

__all__ = ["checkpoint", "data"]
