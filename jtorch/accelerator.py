"""``jtorch.accelerator``: the current accelerator (a GPU when JAX sees one)."""
from . import cuda
from ._device import device

__all__ = ["is_available", "current_accelerator", "device_count", "current_device_index", "set_device_index",
           "synchronize"]


def _require():
    if not cuda.is_available():
        raise RuntimeError("Cannot access accelerator device when none is available.")


def is_available():
    """True when a GPU is available."""
    return cuda.is_available()


def current_accelerator(check_available=False):
    """``device('cuda')`` with a GPU, else None."""
    return device("cuda") if cuda.is_available() else None


def device_count():
    """Number of GPUs."""
    return cuda.device_count()


def current_device_index():
    """Index of the current GPU (always 0); RuntimeError without one, like PyTorch."""
    _require()
    return 0


def set_device_index(device):
    """Accepted for compatibility (jtorch places tensors by their own device); RuntimeError without a GPU."""
    _require()


def synchronize(device=None):
    """Wait for queued GPU work; RuntimeError without a GPU, like PyTorch."""
    _require()
    cuda.synchronize()
