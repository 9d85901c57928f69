"""Random number generation: one global :class:`Generator` (a seed and a counter).

Each random op draws with the key ``fold_in(key(seed), counter)`` and advances the counter,
so the same seed gives the same numbers in every run, and compiled code (which threads the
counter through the program) draws exactly what eager code draws. The streams differ from
PyTorch's: parity tests compare properties or copy values rather than seeds.
"""
import contextlib
import struct
import time

import numpy as np

__all__ = ["Generator", "manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state", "fork_rng",
           "default_generator"]

_DEFAULT_SEED = 67280421310721
_compiling = [False]  # set while jtorch.compile traces a program
_STATE_BYTES = 16


def _seed_value(seed):
    """A seed as PyTorch accepts it (anything ``int()`` takes), wrapped to 64 bits."""
    seed = int(seed)
    if seed < -0x8000_0000_0000_0000 or seed > 0xFFFF_FFFF_FFFF_FFFF:
        raise ValueError("Overflow when unpacking long long")
    return seed & 0xFFFF_FFFF_FFFF_FFFF


class Generator:
    """``torch.Generator``: an independent random stream (``manual_seed``, ``seed``, state).

    Differs from PyTorch: its state is 16 bytes (seed and counter), not the Mersenne Twister's.
    """

    __module__ = "jtorch"

    def __init__(self, device="cpu"):
        from ._device import device as Device, gpu_devices

        self.device = Device(device)
        if self.device.type == "cuda" and not gpu_devices():
            raise RuntimeError("Cannot get CUDA generator without ATen_cuda library. PyTorch splits its backend "
                               "into two shared libraries: a CPU library and a CUDA library; this error has "
                               "occurred because you are trying to use some CUDA functionality, but the CUDA "
                               "library has not been loaded by the dynamic linker for some reason.")
        self._seed = _DEFAULT_SEED
        self._counter = 0
        self._traced = None

    def manual_seed(self, seed):
        """Reset the stream to ``seed``; returns the generator."""
        self._seed = _seed_value(seed)
        self._counter = 0
        return self

    def seed(self):
        """Seed from a non-deterministic source; returns the new seed."""
        s = int.from_bytes(np.random.default_rng(time.time_ns()).bytes(8), "little") & 0x7FFF_FFFF_FFFF_FFFF
        self.manual_seed(s)
        return s

    def initial_seed(self):
        """The seed the stream was last reset to."""
        return self._seed

    def get_state(self):
        """The state as a uint8 tensor (seed and counter, 16 bytes)."""
        from ._ops.creation import tensor
        from . import _dtype as D

        raw = struct.pack("<QQ", self._seed, self._counter)
        return tensor(np.frombuffer(raw, dtype=np.uint8).copy(), dtype=D.uint8)

    def set_state(self, new_state):
        """Restore a state from ``get_state``; returns the generator."""
        from ._tensor import Tensor
        from . import _dtype as D

        if not isinstance(new_state, Tensor):
            raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
        if new_state.dtype is not D.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        raw = bytes(np.asarray(new_state.detach()._read(), dtype=np.uint8).tobytes())
        if len(raw) != _STATE_BYTES:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {_STATE_BYTES} but found the input RNG "
                               f"state size to be {len(raw)}")
        self._seed, self._counter = struct.unpack("<QQ", raw)
        return self

    def next_key_parts(self):
        """(seed, counter) for the next draw; advances the counter. Inside a compiled program the
        default generator's seed and counter are program inputs (traced), so every run draws anew."""
        c = self._counter
        self._counter = c + 1
        traced = self._traced
        if traced is not None:
            seed, counter, start = traced
            return seed, counter + (c - start)
        if _compiling[0]:
            from ._compile_errors import DataDependentOpError

            raise DataDependentOpError("random draws from a jtorch.Generator other than the default one cannot be "
                                       "threaded through a compiled program; use the default generator "
                                       "(jtorch.manual_seed) inside compiled functions")
        return self._seed, c

    def __repr__(self):
        return f"<torch._C.Generator object at {hex(id(self))}>"


default_generator = Generator()


def manual_seed(seed):
    """Seed the global generator (and, like PyTorch, return it)."""
    return default_generator.manual_seed(seed)


def seed():
    """Seed the global generator non-deterministically; returns the seed."""
    return default_generator.seed()


def initial_seed():
    """The global generator's seed."""
    return default_generator.initial_seed()


def get_rng_state():
    """The global generator's state as a uint8 tensor."""
    return default_generator.get_state()


def set_rng_state(new_state):
    """Restore the global generator's state (from ``get_rng_state``)."""
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices", device_type="cuda"):
    """Run the block, then restore the global RNG state as it was before."""
    if not enabled:
        yield
        return
    state = (default_generator._seed, default_generator._counter)
    try:
        yield
    finally:
        default_generator._seed, default_generator._counter = state
