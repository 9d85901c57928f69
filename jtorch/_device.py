"""Device objects, mapped onto JAX devices.

``device('cpu')`` is JAX's CPU; ``device('cuda')`` / ``device('cuda:N')`` is the N-th JAX GPU.
Without a GPU, asking for CUDA fails as a CPU-only PyTorch build does
(``AssertionError: Torch not compiled with CUDA enabled``). ``'mps'`` is never available.
"""
import functools

import jax

__all__ = ["device"]

_TYPES = ("cpu", "cuda", "mps", "meta", "xla", "xpu")


class device:
    """``torch.device('cpu' | 'cuda' | 'cuda:0', index=None)``."""

    __slots__ = ("type", "index")

    def __new__(cls, type, index=None):
        if isinstance(type, device):
            return type
        self = object.__new__(cls)
        if isinstance(type, int):
            type, index = "cuda", type
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got ({type.__class__.__name__})")
        if ":" in type:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was passed explicitly: {type}")
            type, _, idx = type.partition(":")
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{idx}'")
            index = int(idx)
        if type not in _TYPES:
            raise RuntimeError(
                "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, "
                f"lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: {type}")
        self.type = type
        self.index = index
        return self

    def __repr__(self):
        return f"device(type='{self.type}')" if self.index is None else f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and self.type == other.type and self.index == other.index

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))

    def __enter__(self):
        from . import _factory_defaults

        self._prev = _factory_defaults.set_device(self)
        return self

    def __exit__(self, *exc):
        from . import _factory_defaults

        _factory_defaults.set_device(self._prev)


CPU = device("cpu")


@functools.lru_cache(maxsize=None)
def gpu_devices():
    """JAX's GPU devices (empty on a CPU-only machine)."""
    try:
        return tuple(jax.devices("gpu"))
    except RuntimeError:
        return ()


def to_jax_device(d):
    """The jax.Device for a jtorch device; raises like PyTorch when it does not exist."""
    d = device(d) if not isinstance(d, device) else d
    if d.type == "cpu":
        return jax.devices("cpu")[0]
    if d.type == "cuda":
        gpus = gpu_devices()
        if not gpus:
            raise AssertionError("Torch not compiled with CUDA enabled")
        index = d.index or 0
        if index >= len(gpus):
            raise RuntimeError(f"CUDA error: invalid device ordinal (device {index}, but {len(gpus)} visible)")
        return gpus[index]
    if d.type == "meta":
        raise NotImplementedError("jtorch has no meta device")
    raise RuntimeError(f"PyTorch is not linked with support for {d.type} devices")


def of_array(arr):
    """The jtorch device an array lives on (cpu for tracers)."""
    try:
        devs = arr.devices()
    except Exception:
        return CPU
    (d,) = devs if len(devs) == 1 else (next(iter(devs)),)
    if d.platform == "cpu":
        return CPU
    return device("cuda", gpu_devices().index(d) if d in gpu_devices() else 0)
