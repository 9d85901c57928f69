"""cuDNN flags, accepted for compatibility (XLA chooses its own kernels)."""
from .. import cuda as _cuda

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available():
    """True when a GPU is available."""
    return _cuda.is_available()


def version():
    """None: jtorch does not use cuDNN directly."""
    return None


def is_acceptable(tensor):
    """Whether cuDNN would take ``tensor``: False, jtorch never calls cuDNN directly."""
    return False
