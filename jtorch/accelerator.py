"""``jtorch.accelerator``: the current accelerator (a GPU when JAX sees one)."""
from . import cuda
from ._device import device

__all__ = ["is_available", "current_accelerator", "device_count"]


def is_available():
    """True when a GPU is available."""
    return cuda.is_available()


def current_accelerator(check_available=False):
    """``device('cuda')`` with a GPU, else None."""
    return device("cuda") if cuda.is_available() else None


def device_count():
    """Number of GPUs."""
    return cuda.device_count()
