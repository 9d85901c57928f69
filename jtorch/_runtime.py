"""Top-level helpers scripts call that are not ops: type checks, thread and determinism settings."""
import os

from ._tensor import Tensor

__all__ = ["is_tensor", "is_storage", "numel", "is_nonzero", "typename", "set_num_threads", "get_num_threads",
           "set_num_interop_threads", "get_num_interop_threads", "use_deterministic_algorithms",
           "are_deterministic_algorithms_enabled", "set_float32_matmul_precision", "get_float32_matmul_precision",
           "set_warn_always", "is_warn_always_enabled"]

_settings = {"deterministic": False, "matmul_precision": "highest", "warn_always": False,
             "threads": os.cpu_count() or 1}


def is_tensor(obj):
    """Whether ``obj`` is a jtorch Tensor."""
    return isinstance(obj, Tensor)


def is_storage(obj):
    """Whether ``obj`` is a tensor storage."""
    from ._views import Storage

    return isinstance(obj, Storage)


def numel(input):
    """Number of elements of ``input``."""
    return input.numel()


def is_nonzero(input):
    """``bool(input)`` for a single-element tensor; RuntimeError otherwise (PyTorch's message)."""
    n = input.numel()
    if n == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if n > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(input.item())


def typename(obj):
    """``'torch.FloatTensor'`` for tensors, the qualified class name otherwise."""
    if isinstance(obj, Tensor):
        return obj.type()
    cls = type(obj)
    return f"{cls.__module__}.{cls.__qualname__}" if cls.__module__ != "builtins" else cls.__qualname__


def set_num_threads(n):
    """Recorded only: XLA manages its own CPU thread pool."""
    _settings["threads"] = int(n)


def get_num_threads():
    """The value last given to ``set_num_threads`` (the CPU count by default)."""
    return _settings["threads"]


set_num_interop_threads = set_num_threads
get_num_interop_threads = get_num_threads


def use_deterministic_algorithms(mode, *, warn_only=False):
    """Recorded only: XLA's CPU kernels are deterministic."""
    _settings["deterministic"] = bool(mode)


def are_deterministic_algorithms_enabled():
    """The value last given to ``use_deterministic_algorithms``."""
    return _settings["deterministic"]


def set_float32_matmul_precision(precision):
    """Sets JAX's default matmul precision ('highest', 'high' or 'medium')."""
    import jax

    if precision not in ("highest", "high", "medium"):
        raise RuntimeError(f"Invalid precision: {precision}")
    _settings["matmul_precision"] = precision
    jax.config.update("jax_default_matmul_precision",
                      {"highest": "highest", "high": "tensorfloat32", "medium": "bfloat16"}[precision])


def get_float32_matmul_precision():
    """The value last given to ``set_float32_matmul_precision``."""
    return _settings["matmul_precision"]


def set_warn_always(b):
    """Recorded only."""
    _settings["warn_always"] = bool(b)


def is_warn_always_enabled():
    """The value last given to ``set_warn_always``."""
    return _settings["warn_always"]
