"""``jtorch.backends``: the flags scripts set (cudnn, mps, ...); they change nothing on XLA."""
from . import cuda, cudnn, mps

__all__ = ["cudnn", "mps", "cuda"]
