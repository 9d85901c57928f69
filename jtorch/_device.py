"""Device objects, mapped onto JAX devices.

``device('cpu')`` is JAX's CPU; ``device('cuda')`` / ``device('cuda:N')`` is the N-th JAX GPU.
As in PyTorch, the default device is the CPU even when a GPU exists (JAX's default device is set
to match).
Without a GPU, asking for CUDA fails as a CPU-only PyTorch build does
(``AssertionError: Torch not compiled with CUDA enabled``). ``'mps'`` is never available.
"""
import functools
import re

import jax

__all__ = ["device"]

_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia", "xla",
          "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")
_DEVICE_STRING = re.compile(r"([a-zA-Z_]+)(?::(0|[1-9][0-9]*))?")


def _no_accelerator():
    return RuntimeError("Cannot access accelerator device when none is available.")


class device:
    """``torch.device('cpu' | 'cuda' | 'cuda:0')``, ``device(type, index=None)`` or ``device(int)`` (a GPU).

    Equality, hashing, ``str`` and ``repr`` follow PyTorch (a device never equals a string).
    """

    __slots__ = ("type", "index", "_prev")

    def __new__(cls, type, index=None):
        if isinstance(type, device):
            return type
        if isinstance(type, int) and not isinstance(type, bool):
            return cls._from_ordinal(type)
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got "
                            f"({type.__class__.__name__}), but expected one of:\n * (torch.device device)\n"
                            " * (str type, int index = -1)\n")
        if index is not None:
            if not isinstance(index, int) or isinstance(index, bool):
                raise TypeError(f"device(): argument 'index' (position 2) must be int, not {index.__class__.__name__}")
            if index < 0:
                raise RuntimeError("Device index must not be negative")
        if not type:
            raise RuntimeError("Device string must not be empty")
        m = _DEVICE_STRING.fullmatch(type)
        if m is None:
            raise RuntimeError(f"Invalid device string: '{type}'")
        name, idx = m.group(1), m.group(2)
        if name not in _TYPES:
            raise RuntimeError(
                "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, "
                f"lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: {type}")
        if idx is not None:
            if index is not None:
                raise RuntimeError(
                    f"type (string) must not include an index because index was passed explicitly: {type}")
            index = int(idx)
        self = object.__new__(cls)
        self.type = name
        self.index = index
        return self

    @classmethod
    def _from_ordinal(cls, ordinal):
        """``device(n)``: the n-th GPU (PyTorch's current accelerator); RuntimeError without one."""
        if ordinal < 0:
            raise RuntimeError("Device index must not be negative")
        if not gpu_devices():
            raise _no_accelerator()
        return cls("cuda", ordinal)

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        return isinstance(other, device) and self.type == other.type and self.index == other.index

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))

    def __enter__(self):
        self._prev = set_default(self)
        return self

    def __exit__(self, *exc):
        set_default(self._prev)


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
    devices_of = getattr(arr, "devices", None)
    if devices_of is None:
        return CPU
    try:
        devs = devices_of()
    except Exception:
        return CPU
    (d,) = devs if len(devs) == 1 else (next(iter(devs)),)
    if d.platform == "cpu":
        return CPU
    return device("cuda", gpu_devices().index(d) if d in gpu_devices() else 0)


def set_default(d):
    """Make ``d`` the default device of jtorch's factories and of JAX's new arrays; returns the previous one.

    JAX would otherwise put new arrays on a GPU when one exists, while PyTorch's default device is
    the CPU; a device that does not exist here is left to fail when a tensor is created on it.
    """
    from . import _factory_defaults

    prev = _factory_defaults.set_device(d)
    if d.type in ("cpu", "cuda") and (d.type == "cpu" or gpu_devices()):
        jax.config.update("jax_default_device", to_jax_device(d))
    return prev


if gpu_devices():
    set_default(CPU)
