"""``F.pad``: constant (negative pads crop), reflect, replicate and circular padding of the
trailing dims, with ATen's argument checks."""
import jax.numpy as jnp
from jax import lax

from ... import _dtype as D
from ..._ops.dispatch import Op
from ..._tensor import scalar_type_name
from ._util import check_tensor, size_str

__all__ = ["pad"]

_NON_CONSTANT_SIZES = ("Supported combinations for non-constant padding:\n"
                       "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
                       "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
                       "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
_JNP_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _constant_kernel(x, value, *, pairs):
    """``pairs`` are (lo, hi) for every dim, first dim first; negatives crop."""
    return lax.pad(x, jnp.asarray(value, x.dtype), [(lo, hi, 0) for lo, hi in pairs])


def _crop(x, pairs):
    idx = tuple(slice(max(-lo, 0), x.shape[i] - max(-hi, 0)) for i, (lo, hi) in enumerate(pairs))
    return x[idx]


def _mode_kernel(x, *, pairs, mode):
    """Reflect/replicate pad the original then crop negatives; circular crops first, then wraps (ATen's order)."""
    grow = [(max(lo, 0), max(hi, 0)) for lo, hi in pairs]
    if mode == "circular":
        return jnp.pad(_crop(x, pairs), grow, mode="wrap")
    return _crop(jnp.pad(x, grow, mode=_JNP_MODES[mode]), [(min(lo, 0), min(hi, 0)) for lo, hi in pairs])


_constant_op = Op("constant_pad_nd", _constant_kernel, saves=(), grad_name="ConstantPadNdBackward0")
_mode_ops = {m: Op(f"{m}_pad", _mode_kernel, saves=(), grad_name=f"{g}Backward0") for m, g in (
    ("reflect", "ReflectionPad"), ("replicate", "ReplicationPad"), ("circular", "CircularPad"))}


def _pairs(ndim, pad):
    """(lo, hi) per dim (first dim first) from PyTorch's last-dim-first flat ``pad``."""
    pairs = [(0, 0)] * ndim
    for i in range(len(pad) // 2):
        pairs[ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    return tuple(pairs)


def _check_mode_input(input, pad, mode):
    k = len(pad) // 2
    if input.ndim not in (k + 1, k + 2) or k > 3:
        raise NotImplementedError(f"Padding size {len(pad)} is not supported for {input.ndim}D input tensor.\n"
                                  + _NON_CONSTANT_SIZES)
    start = 1 if input.ndim == k + 2 else 0
    if mode != "circular" and any(s == 0 for s in input.shape[start:]):
        raise RuntimeError(f"Expected {k + 1}D or {k + 2}D (batch mode) tensor with possibly 0 batch size and other "
                           f"non-zero dimensions for input, but got: {size_str(input.shape)}")
    if mode != "circular" and input.dtype is D.bool:
        kind = "reflection" if mode == "reflect" else "replication"
        raise NotImplementedError(f"\"{kind}_pad{k}d\" not implemented for 'Bool'")
    for i in range(k):
        lo, hi = pad[2 * i], pad[2 * i + 1]
        dim = input.ndim - 1 - i
        size = input.shape[dim]
        if mode == "reflect" and (lo >= size or hi >= size):
            raise RuntimeError(f"Argument #{2 + 2 * k}: Padding size should be less than the corresponding input "
                               f"dimension, but got: padding ({lo}, {hi}) at dimension {dim} of input "
                               f"{size_str(input.shape)}")
        if mode == "circular" and (lo > size or hi > size):
            raise RuntimeError("Padding value causes wrapping around more than once.")


def pad(input, pad, mode="constant", value=None):
    """Pad the trailing dims by ``pad = (last_lo, last_hi, prev_lo, prev_hi, ...)``.

    ``'constant'`` pads any number of dims (negative pads crop); ``'reflect'``, ``'replicate'`` and
    ``'circular'`` pad the last 1-3 dims of a (batched) input, as in PyTorch.
    """
    check_tensor(input, "pad")
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError(f"Padding length should be less than or equal to two times the input dimension but got "
                           f"padding length {len(pad)} and input of dimension {input.ndim}")
    if mode == "constant":
        pairs = _pairs(input.ndim, pad)
        for (lo, hi), size in zip(pairs, input.shape):
            if size + lo + hi < 0:
                raise RuntimeError("narrow(): length must be non-negative.")
        return _constant_op(input, 0 if value is None else value, pairs=pairs)
    if mode not in _JNP_MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f"Padding mode \"{mode}\" doesn't take in value argument")
    _check_mode_input(input, pad, mode)
    if input.dtype.is_complex and mode != "circular":
        raise NotImplementedError(f"\"{mode}_pad\" not implemented for '{scalar_type_name(input.dtype)}'")
    return _mode_ops[mode](input, pairs=_pairs(input.ndim, pad), mode=mode)
