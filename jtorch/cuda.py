"""``jtorch.cuda``: answers from JAX's GPU devices. Without a GPU, ``is_available()`` is False
and ``device_count()`` 0; calls that need a GPU fail like a CPU-only PyTorch build."""
from . import _device
from . import _legacy
from . import random as _random

__all__ = ["is_available", "device_count", "current_device", "get_device_name", "synchronize", "manual_seed",
           "manual_seed_all", "seed", "seed_all", "initial_seed", "empty_cache", "memory_allocated",
           "max_memory_allocated", "memory_reserved", "is_bf16_supported", "set_device", "device",
           "get_device_capability", "is_initialized", "init", "FloatTensor", "DoubleTensor", "HalfTensor",
           "BFloat16Tensor", "LongTensor", "IntTensor", "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor"]

FloatTensor = _legacy.make_type("Float", "torch.cuda")
DoubleTensor = _legacy.make_type("Double", "torch.cuda")
HalfTensor = _legacy.make_type("Half", "torch.cuda")
BFloat16Tensor = _legacy.make_type("BFloat16", "torch.cuda")
LongTensor = _legacy.make_type("Long", "torch.cuda")
IntTensor = _legacy.make_type("Int", "torch.cuda")
ShortTensor = _legacy.make_type("Short", "torch.cuda")
CharTensor = _legacy.make_type("Char", "torch.cuda")
ByteTensor = _legacy.make_type("Byte", "torch.cuda")
BoolTensor = _legacy.make_type("Bool", "torch.cuda")


def is_available():
    """True when JAX sees a GPU."""
    return bool(_device.gpu_devices())


def device_count():
    """Number of GPUs JAX sees."""
    return len(_device.gpu_devices())


def _require():
    if not is_available():
        raise AssertionError("Torch not compiled with CUDA enabled")


def current_device():
    """Index of the current GPU (always 0)."""
    _require()
    return 0


def set_device(device):
    """Accepted for compatibility; jtorch places tensors by their own device."""
    _require()


def get_device_name(device=None):
    """The GPU's name as JAX reports it."""
    _require()
    return _device.gpu_devices()[0].device_kind


def get_device_capability(device=None):
    """Compute capability (major, minor) where JAX reports it."""
    _require()
    cc = getattr(_device.gpu_devices()[0], "compute_capability", "0.0")
    major, _, minor = str(cc).partition(".")
    return int(major), int(minor or 0)


def synchronize(device=None):
    """Wait for all queued GPU work."""
    import jax

    _require()
    jax.effects_barrier()


def is_initialized():
    """Whether CUDA is usable (True when JAX sees a GPU)."""
    return is_available()


def init():
    """Initialise CUDA: nothing to do with a GPU; AssertionError without one, like PyTorch."""
    _require()


def manual_seed(seed):
    """Seeds the one jtorch generator (GPU draws use it too)."""
    _random.manual_seed(seed)


manual_seed_all = manual_seed


def seed():
    """Seed the one jtorch generator non-deterministically (GPU draws use it too)."""
    _random.seed()


seed_all = seed


def initial_seed():
    """The seed of the generator GPU draws use; AssertionError without a GPU, like PyTorch."""
    _require()
    return _random.initial_seed()


def empty_cache():
    """No-op: XLA manages device memory."""


def memory_allocated(device=None):
    """Bytes in use on the GPU, where JAX reports it (0 otherwise)."""
    if not is_available():
        return 0
    stats = _device.gpu_devices()[0].memory_stats() or {}
    return int(stats.get("bytes_in_use", 0))


def max_memory_allocated(device=None):
    """Peak bytes in use on the GPU, where JAX reports it (0 otherwise)."""
    if not is_available():
        return 0
    stats = _device.gpu_devices()[0].memory_stats() or {}
    return int(stats.get("peak_bytes_in_use", 0))


memory_reserved = memory_allocated


def is_bf16_supported(including_emulation=True):
    """True with a GPU."""
    return is_available()


class device:
    """Context manager selecting a GPU (accepted for compatibility)."""

    def __init__(self, device):
        self.idx = device

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
