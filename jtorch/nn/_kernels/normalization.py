"""Normalization: batch/instance/layer/group/RMS norm, local response norm and ``normalize``.

Statistics use the biased variance for normalizing; running statistics (batch and instance
norm in training) are updated in place with the unbiased variance and ``momentum``, as in
PyTorch. Half-precision inputs compute their statistics in float32. ``eps`` and ``momentum``
are traced, so changing them never recompiles.
"""
import math

import jax.numpy as jnp
from jax import lax

from ..._grad_state import MODE
from ..._ops.dispatch import Op
from ..._tensor import scalar_type_name
from ._util import check_tensor, size_str

__all__ = ["batch_norm", "instance_norm", "layer_norm", "group_norm", "rms_norm", "local_response_norm",
           "normalize"]


def _acc(x):
    return x.astype(jnp.promote_types(x.dtype, jnp.float32))


def _moments(x, axes):
    """(mean, biased variance) over ``axes``, keeping dims."""
    xa = _acc(x)
    mean = jnp.mean(xa, axis=axes, keepdims=True)
    var = jnp.mean(jnp.square(xa - mean), axis=axes, keepdims=True)
    return mean, var


def _channel(v, ndim):
    return v.reshape((1, -1) + (1,) * (ndim - 2))


def _affine(x, mean, invstd, w, b, ndim):
    """``x * alpha + beta`` with ``alpha = invstd * w`` and ``beta = b - mean * alpha`` (ATen's CPU form)."""
    alpha = invstd if w is None else invstd * _channel(w, ndim)
    beta = -mean * alpha if b is None else _channel(b, ndim) - mean * alpha
    return (_acc(x) * alpha + beta).astype(x.dtype)


def _batch_norm_kernel(x, w, b, rm, rv, momentum, eps, *, training):
    axes = (0,) + tuple(range(2, x.ndim))
    if not training:
        invstd = lax.rsqrt(_channel(_acc(rv), x.ndim) + eps)
        return _affine(x, _channel(_acc(rm), x.ndim), invstd, w, b, x.ndim)
    mean, var = _moments(x, axes)
    out = _affine(x, mean, lax.rsqrt(var + eps), w, b, x.ndim)
    if rm is None:
        return out
    n = x.size // x.shape[1]
    new_rm = (1 - momentum) * rm + momentum * mean.reshape(-1).astype(rm.dtype)
    new_rv = (1 - momentum) * rv + momentum * (var.reshape(-1) * (n / max(n - 1, 1))).astype(rv.dtype)
    return out, lax.stop_gradient(new_rm), lax.stop_gradient(new_rv)


def _instance_norm_kernel(x, w, b, rm, rv, momentum, eps, *, use_input_stats):
    n, c = x.shape[0], x.shape[1]
    flat = x.reshape((1, n * c) + x.shape[2:])
    rep = (lambda v: None if v is None else jnp.tile(v, n))
    res = _batch_norm_kernel(flat, rep(w), rep(b), rep(rm), rep(rv), momentum, eps, training=use_input_stats)
    if isinstance(res, tuple):
        out, new_rm, new_rv = res
        return out.reshape(x.shape), new_rm.reshape(n, c).mean(0), new_rv.reshape(n, c).mean(0)
    return res.reshape(x.shape)


def _layer_norm_kernel(x, w, b, eps, *, k):
    axes = tuple(range(x.ndim - k, x.ndim))
    mean, var = _moments(x, axes)
    y = (_acc(x) - mean) * lax.rsqrt(var + eps)
    if w is not None:
        y = y * w
    if b is not None:
        y = y + b
    return y.astype(x.dtype)


def _group_norm_kernel(x, w, b, eps, *, groups):
    n, c = x.shape[0], x.shape[1]
    g = x.reshape(n, groups, -1)
    mean, var = _moments(g, (2,))
    y = ((_acc(g) - mean) * lax.rsqrt(var + eps)).reshape(x.shape)
    if w is not None:
        y = y * _channel(w, x.ndim)
    if b is not None:
        y = y + _channel(b, x.ndim)
    return y.astype(x.dtype)


def _rms_norm_kernel(x, w, eps, *, k):
    axes = tuple(range(x.ndim - k, x.ndim))
    xa = _acc(x)
    y = xa * lax.rsqrt(jnp.mean(jnp.square(xa), axis=axes, keepdims=True) + eps)
    if w is not None:
        y = y * w
    return y.astype(x.dtype)


def _lrn_kernel(x, alpha, beta, k, *, size):
    sq = jnp.square(x)
    pads = [(0, 0)] * x.ndim
    pads[1] = (size // 2, (size - 1) // 2)
    sq = jnp.pad(sq, pads)
    c = x.shape[1]
    total = sum(lax.slice_in_dim(sq, i, i + c, axis=1) for i in range(size))
    return x / jnp.power(total / size * alpha + k, beta)


_batch_norm_op = Op("batch_norm", _batch_norm_kernel, grad_name="NativeBatchNormBackward0")
_instance_norm_op = Op("instance_norm", _instance_norm_kernel, grad_name="NativeBatchNormBackward0")
_layer_norm_op = Op("layer_norm", _layer_norm_kernel, grad_name="NativeLayerNormBackward0")
_group_norm_op = Op("group_norm", _group_norm_kernel, grad_name="NativeGroupNormBackward0")
_rms_norm_op = Op("rms_norm", _rms_norm_kernel, grad_name="MulBackward0")
_lrn_op = Op("local_response_norm", _lrn_kernel, grad_name="DivBackward0")


def _check_float(input, kernel):
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(input.dtype)}'")


def _check_sizes(c, **tensors):
    for name, t in tensors.items():
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")


def _check_same_dtype(input, running, params):
    if any(t is not None and t.dtype is not input.dtype for t in running):
        raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")
    if any(t is not None and t.dtype is not input.dtype for t in params):
        raise RuntimeError(f"mixed dtype (CPU): expect parameter to have scalar type of "
                           f"{scalar_type_name(input.dtype)}")


def _no_grad_running(running_mean, running_var):
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is not None and t.requires_grad and MODE.grad_enabled:
            raise RuntimeError(f"The function 'native_batch_norm' is not differentiable with respect to argument "
                               f"'{name}'. This input cannot have requires_grad True.")


def _write_running(running_mean, running_var, res):
    out, new_rm, new_rv = res
    running_mean._write_inplace(new_rm._read())
    running_var._write_inplace(new_rv._read())
    return out


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """Batch normalization over all dims but the channel dim (1).

    In training, normalizes with the batch statistics and, when running stats are given, updates
    them in place: ``running = (1 - momentum) * running + momentum * stat`` (unbiased variance).
    """
    check_tensor(input, "batch_norm")
    if training:
        size = input.shape
        if size[0] * math.prod(size[2:]) == 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input size {size}")
    if training and eps <= 0.0:
        raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    if eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    c = input.shape[1] if input.ndim > 1 else 0
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError(f"running_{'mean' if running_mean is None else 'var'} must be defined in evaluation mode")
    _check_sizes(c, running_mean=running_mean, running_var=running_var, weight=weight, bias=bias)
    _check_float(input, "batch_norm")
    _check_same_dtype(input, (running_mean, running_var), (weight, bias))
    _no_grad_running(running_mean, running_var)
    if not training:
        return _batch_norm_op(input, weight, bias, running_mean, running_var, momentum, eps, training=False)
    if running_mean is None or running_var is None:
        return _batch_norm_op(input, weight, bias, None, None, momentum, eps, training=True)
    res = _batch_norm_op(input, weight, bias, running_mean._read(), running_var._read(), momentum, eps,
                         training=True)
    return _write_running(running_mean, running_var, res)


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
                  momentum=0.1, eps=1e-5):
    """Normalize each (sample, channel) over its spatial dims; running stats (if given) get the batch mean of
    the per-instance statistics, as PyTorch's instance_norm does through batch_norm."""
    check_tensor(input, "instance_norm")
    if use_input_stats and math.prod(input.shape[2:]) == 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size {input.shape}")
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("Expected running_mean and running_var to be defined when use_input_stats is false")
    n, c = input.shape[0], input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                    ("bias", bias)):
        if t is not None and t.numel() * n != n * c:
            raise RuntimeError(f"{name} should contain {n * c} elements not {t.numel() * n}")
    _check_float(input, "batch_norm")
    _check_same_dtype(input, (running_mean, running_var), (weight, bias))
    _no_grad_running(running_mean, running_var)
    if running_mean is None or running_var is None:
        return _instance_norm_op(input, weight, bias, None, None, momentum, eps, use_input_stats=use_input_stats)
    if not use_input_stats:
        return _instance_norm_op(input, weight, bias, running_mean, running_var, momentum, eps,
                                 use_input_stats=False)
    res = _instance_norm_op(input, weight, bias, running_mean._read(), running_var._read(), momentum, eps,
                            use_input_stats=True)
    return _write_running(running_mean, running_var, res)


def _normalized_shape(normalized_shape, fn):
    if isinstance(normalized_shape, int):
        raise TypeError(f"{fn}(): argument 'normalized_shape' (position 2) must be tuple of ints, not int")
    return tuple(int(s) for s in normalized_shape)


def _check_normalized(input, shape, weight, bias, star_sep=", "):
    k = len(shape)
    if k == 0 or input.ndim < k or tuple(input.shape[input.ndim - k:]) != shape:
        raise RuntimeError(f"Given normalized_shape={size_str(shape)}, expected input with shape "
                           f"[*{star_sep}{', '.join(map(str, shape))}], but got input of size{size_str(input.shape)}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                               f"{size_str(t.shape)} and normalized_shape = {size_str(shape)}")


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalize over the trailing ``normalized_shape`` dims, then ``* weight + bias`` elementwise."""
    check_tensor(input, "layer_norm")
    shape = _normalized_shape(normalized_shape, "layer_norm")
    _check_normalized(input, shape, weight, bias)
    _check_float(input, "LayerNormKernelImpl")
    return _layer_norm_op(input, weight, bias, eps, k=len(shape))


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """``input / sqrt(mean(input**2) + eps) * weight`` over the trailing dims; ``eps=None`` is the dtype's eps."""
    check_tensor(input, "rms_norm")
    shape = _normalized_shape(normalized_shape, "rms_norm")
    _check_normalized(input, shape, weight, None, star_sep="")
    _check_float(input, "rms_norm")
    if eps is None:
        from ... import _dtype as D

        eps = float(D.finfo(input.dtype).eps)
    return _rms_norm_op(input, weight, eps, k=len(shape))


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Normalize over channel groups (and spatial dims) per sample, then a per-channel affine."""
    check_tensor(input, "group_norm")
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.ndim}")
    n, c = input.shape[0], input.shape[1]
    size = [n * c // num_groups, num_groups] + list(input.shape[2:])
    if size[0] * math.prod(size[2:]) == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {size}")
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {size_str(input.shape)} and num_groups={num_groups}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.ndim != 1 or t.numel() != c):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of channels in input, "
                               f"but got {name} of shape {size_str(t.shape)} and input of shape "
                               f"{size_str(input.shape)}")
    _check_float(input, "GroupNormKernelImpl")
    return _group_norm_op(input, weight, bias, eps, groups=int(num_groups))


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """``x / (k + alpha / size * sum of x**2 over ``size`` neighbouring channels) ** beta``."""
    check_tensor(input, "local_response_norm")
    if input.ndim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality                          input (got {input.ndim} "
                         f"dimensions)")
    if input.numel() == 0:
        return input
    return _lrn_op(input, alpha, beta, k, size=int(size))


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """``input / max(||input||_p over dim, eps)``."""
    from ..._ops.common import write_out

    check_tensor(input, "normalize")
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    return write_out(out, input / denom)
