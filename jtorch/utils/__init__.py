"""``torch.utils``: the data loading utilities (``jtorch.utils.data``)."""
from . import data

__all__ = ["data"]
