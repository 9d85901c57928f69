"""Dropout family: elementwise, channel-wise (``dropout1d/2d/3d``, feature alpha) and alpha dropout.

Masks are drawn from jtorch's generator (``jtorch.manual_seed`` reproduces them, in eager and
compiled mode); the streams differ from PyTorch's. Kept values are scaled by ``1 / (1 - p)`` (alpha
variants use SELU's affine correction), as in ATen's ``_dropout_impl``. With ``training=False``
or ``p == 0`` the input itself is returned.
"""
import math
import warnings

import jax.numpy as jnp

from ..._ops.dispatch import Op
from ..._ops.random_ops import _bits, _unit, _wide
from ._util import check_tensor

__all__ = ["dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout"]

_ALPHA = 1.7580993408473766


def _plain_kernel(x, bits, keep_p):
    keep = (_unit(bits) < keep_p).astype(x.dtype)
    return x * (keep / jnp.asarray(keep_p, x.dtype))


def _alpha_kernel(x, bits, keep_p, a, alpha_a, alpha_a_p):
    keep = (_unit(bits) < keep_p).astype(x.dtype)
    b = (keep - 1) * jnp.asarray(alpha_a, x.dtype) + jnp.asarray(alpha_a_p, x.dtype)
    return x * (keep * jnp.asarray(a, x.dtype)) + b


_dropout_op = Op("dropout", _plain_kernel, saves=(), grad_name="MulBackward0")
_alpha_op = Op("alpha_dropout", _alpha_kernel, saves=(), grad_name="AddBackward0")
_zero_op = Op("dropout", lambda x: x * jnp.zeros((), x.dtype), saves=(), grad_name="MulBackward0")


def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _noise_shape(input, feature):
    if not feature:
        return tuple(input.shape)
    if input.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    return tuple(input.shape[:2]) + (1,) * (input.ndim - 2)


def _run(input, p, training, inplace, feature, alpha):
    """ATen's ``_dropout_impl``: identity when not training, zeros at p=1, else masked and rescaled."""
    if p == 0 or not training or input.numel() == 0:
        return input
    if p == 1:
        res = _zero_op(input)
    else:
        bits = _bits(None, _noise_shape(input, feature), _wide(input.dtype.np))
        if alpha:
            a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
            res = _alpha_op(input, bits, 1 - p, a, _ALPHA * a, _ALPHA * a * p)
        else:
            res = _dropout_op(input, bits, 1 - p)
    if inplace:
        return input._inplace_from(res, "AddBackward0" if alpha else "MulBackward0")
    return res


def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability ``p`` and scale the rest by ``1 / (1 - p)``."""
    _check_p(p)
    check_tensor(input, "dropout")
    return _run(input, p, training, inplace, False, False)


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Dropout that keeps SELU's self-normalizing mean and variance."""
    _check_p(p)
    check_tensor(input, "alpha_dropout")
    return _run(input, p, training, inplace, False, True)


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Alpha dropout of whole channels (dim 1)."""
    _check_p(p)
    check_tensor(input, "feature_alpha_dropout")
    return _run(input, p, training, inplace, True, True)


def _channelwise(input, p, training, inplace, batched):
    """Feature dropout; an unbatched input gets a batch dim for the mask, as PyTorch does."""
    if batched or p == 0 or not training or input.numel() == 0:
        return _run(input, p, training, inplace, True, False)
    res = _run(input.unsqueeze(0), p, training, False, True, False).squeeze(0)
    return input._inplace_from(res, "MulBackward0") if inplace else res


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of ``(N, C, L)`` or ``(C, L)`` input with probability ``p``."""
    _check_p(p)
    check_tensor(input, "dropout1d")
    if input.ndim not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. Note that "
                           "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a "
                           "channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    return _channelwise(input, p, training, inplace, input.ndim == 3)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels (dim 1) with probability ``p``; a 3-D input is taken as ``(N, C, L)`` (PyTorch's
    legacy behaviour, with its warning)."""
    _check_p(p)
    check_tensor(input, "dropout2d")
    if input.ndim not in (3, 4):
        warnings.warn(f"dropout2d: Received a {input.ndim}-D input to dropout2d, which is deprecated and will "
                      "result in an error in a future release. To retain the behavior and silence this warning, "
                      "please use dropout instead. Note that dropout2d exists to provide channel-wise dropout on "
                      "inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension "
                      "(i.e. 3D or 4D inputs).", stacklevel=2)
    if input.ndim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout "
                      "behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. "
                      "This behavior will change in a future release to interpret the input as one without a "
                      "batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, "
                      "please switch to using dropout1d instead.", stacklevel=2)
    return _run(input, p, training, inplace, True, False)


def dropout3d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of ``(N, C, D, H, W)`` or ``(C, D, H, W)`` input with probability ``p``."""
    _check_p(p)
    check_tensor(input, "dropout3d")
    if input.ndim not in (4, 5):
        warnings.warn(f"dropout3d: Received a {input.ndim}-D input to dropout3d, which is deprecated and will "
                      "result in an error in a future release. To retain the behavior and silence this warning, "
                      "please use dropout instead. Note that dropout3d exists to provide channel-wise dropout on "
                      "inputs with 3 spatial dimensions, a channel dimension, and an optional batch dimension "
                      "(i.e. 4D or 5D inputs).", stacklevel=2)
    return _channelwise(input, p, training, inplace, input.ndim == 5)
