"""Top-level math and utility functions: ``diff``, ``isin``, ``combinations``, ``vander``, ``unravel_index``,
``gradient``, ``renorm``, and the function forms of tensor methods (``torch.detach``, ``torch.fill``,
``torch.is_same_size``...) plus a few global switches. Statistics live in ``extra_stats``, linear algebra in
``extra_linalg``, view helpers in ``extra_views`` and window functions in ``extra_windows``.

Each op is one jnp kernel through the one op path; gradients come from JAX and follow PyTorch's formulas
(the kernels compute what ATen computes, in the same order).
"""
import functools
import itertools
import warnings

import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor, scalar_type_name
from ..nn._kernels._util import size_str
from .common import float_dtype_for, result_dtype, wrap_dim, wrap_dims, write_out
from .dispatch import Op
from .pointwise import register
from .reduction import _vector_norm_kernel

__all__ = ["diff", "isin", "combinations", "vander", "unravel_index", "gradient", "renorm", "detach", "detach_",
           "fill", "fill_", "zero_", "is_same_size", "is_signed", "is_inference_mode_enabled", "is_anomaly_enabled",
           "set_anomaly_enabled", "get_device", "set_default_tensor_type"]


# ---- diff ----
def _diff_kernel(a, pre, app, *, n, axis, dtype):
    x = jnp.concatenate([p.astype(dtype) for p in (pre, a, app) if p is not None], axis)
    for _ in range(n):
        if x.shape[axis] == 0:
            break
        hi, lo = lax.slice_in_dim(x, 1, None, axis=axis), lax.slice_in_dim(x, 0, -1, axis=axis)
        x = hi != lo if x.dtype == jnp.bool_ else hi - lo
    return x


_diff_op = Op("diff", _diff_kernel, saves=(), grad_name="SubBackward0")


def _check_diff_edge(input, t, dim):
    if t.ndim != input.ndim:
        raise RuntimeError("diff expects prepend or append to be the same dimension as input")
    for i, (a, b) in enumerate(zip(input.shape, t.shape)):
        if i != dim and a != b:
            raise RuntimeError("diff expects the shape of tensor to prepend or append to match that of input "
                               f"except along the differencing dimension; input.size({i}) = {a}, but got "
                               f"tensor.size({i}) = {b}")


def diff(input, n=1, dim=-1, prepend=None, append=None, *, out=None):
    """The ``n``-th forward difference along ``dim`` (logical xor for bool), after concatenating ``prepend``
    and ``append``."""
    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = wrap_dim(dim, input.ndim)
    for t in (prepend, append):
        if t is not None:
            _check_diff_edge(input, t, d)
    dtype = result_dtype(*[t for t in (input, prepend, append) if t is not None])
    return write_out(out, _diff_op(input, prepend, append, n=int(n), axis=d, dtype=dtype.np))


# ---- isin / combinations / vander / unravel_index ----
_isin_op = Op("isin", lambda e, t, *, invert: jnp.isin(e, t, invert=invert), differentiable=False)


def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """Whether each element of ``elements`` is in ``test_elements`` (either may be a number); bool result."""
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError("isin() received an invalid combination of arguments: at least one of elements and "
                        "test_elements must be a Tensor")
    return _isin_op(elements, test_elements, invert=bool(invert))


@functools.lru_cache(maxsize=64)
def _combination_index(n, r, with_replacement):
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    idx = np.array(list(pick(range(n), r)), dtype=np.int64)
    return idx.reshape(-1, r)


def _combinations_kernel(a, *, r, with_replacement):
    return a[_combination_index(a.shape[0], r, with_replacement)]


_combinations_op = Op("combinations", _combinations_kernel, saves=(), grad_name="IndexBackward0")


def combinations(input, r=2, with_replacement=False):
    """All length-``r`` combinations of the elements of a 1-D tensor, as rows (itertools order)."""
    if input.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {size_str(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return input.new_empty((0,))
    return _combinations_op(input, r=int(r), with_replacement=bool(with_replacement))


def _vander_kernel(x, *, n, increasing, dtype):
    x = x.astype(dtype)
    ones = jnp.ones((x.shape[0], min(n, 1)), dtype)
    powers = jnp.cumprod(jnp.broadcast_to(x[:, None], (x.shape[0], max(n - 1, 0))), axis=1)
    out = jnp.concatenate([ones, powers], axis=1)
    return out if increasing else out[:, ::-1]


_vander_op = Op("vander", _vander_kernel, saves=(), grad_name="FlipBackward0")


def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of 1-D ``x`` with ``N`` columns (powers decreasing unless ``increasing``);
    integer and bool inputs give int64."""
    if x.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x.shape[0] if N is None else int(N)
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    dtype = D.promote_types(x.dtype, D.int64)
    return _vander_op(x, n=n, increasing=bool(increasing), dtype=dtype.np)


def _unravel_kernel(idx, *, shape):
    idx = idx.astype(jnp.int64)
    coords = []
    for s in reversed(shape):
        coords.append(idx % s)
        idx = idx // s
    return tuple(reversed(coords))


_unravel_op = Op("unravel_index", _unravel_kernel, differentiable=False)


def unravel_index(indices, shape):
    """The coordinates in an array of ``shape`` of each flat index (int64 tensors, one per dim); indices wrap
    around like PyTorch's (floor division and modulo per dim)."""
    if not isinstance(indices, Tensor):
        raise TypeError(f"unravel_index(): argument 'indices' must be Tensor, not {type(indices).__name__}")
    if indices.dtype.is_floating_point or indices.dtype.is_complex or indices.dtype is D.bool:
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    shape = (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(s) for s in shape)
    if any(s < 0 for s in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {shape}")
    if not shape:
        return ()
    return _unravel_op(indices, shape=shape)


# ---- gradient ----
def _slice(x, axis, start, stop=None):
    n = x.shape[axis]
    start, stop, _ = slice(start, stop).indices(n)
    return lax.slice_in_dim(x, start, stop, axis=axis)


def _uniform_gradient(x, axis, h, edge_order):
    center = (_slice(x, axis, 2) - _slice(x, axis, 0, -2)) / h
    if edge_order == 1:
        first = (_slice(x, axis, 1, 2) - _slice(x, axis, 0, 1)) / h
        last = (_slice(x, axis, -1) - _slice(x, axis, -2, -1)) / h
    else:
        first = (-1.5 / h) * _slice(x, axis, 0, 1) + (2.0 / h) * _slice(x, axis, 1, 2) + (-0.5 / h) * _slice(
            x, axis, 2, 3)
        last = (0.5 / h) * _slice(x, axis, -3, -2) + (-2.0 / h) * _slice(x, axis, -2, -1) + (1.5 / h) * _slice(
            x, axis, -1)
    return jnp.concatenate([first, center / 2, last], axis)


def _coordinate_gradient(x, axis, coords, edge_order):
    dx = coords[1:] - coords[:-1]
    shape = [1] * x.ndim
    shape[axis] = -1
    dx1, dx2 = dx[:-1], dx[1:]
    a = (-dx2 / (dx1 * (dx1 + dx2))).reshape(shape)
    b = ((dx2 - dx1) / (dx1 * dx2)).reshape(shape)
    c = (dx1 / (dx2 * (dx1 + dx2))).reshape(shape)
    center = a * _slice(x, axis, 0, -2) + b * _slice(x, axis, 1, -1) + c * _slice(x, axis, 2)
    if edge_order == 1:
        first = (_slice(x, axis, 1, 2) - _slice(x, axis, 0, 1)) / dx[0]
        last = (_slice(x, axis, -1) - _slice(x, axis, -2, -1)) / dx[-1]
    else:
        h0, h1 = dx[0], dx[1]
        first = (-(2.0 * h0 + h1) / (h0 * (h0 + h1)) * _slice(x, axis, 0, 1) + (h0 + h1) / (h0 * h1) * _slice(
            x, axis, 1, 2) + (-h0) / (h1 * (h0 + h1)) * _slice(x, axis, 2, 3))
        g1, g2 = dx[-1], dx[-2]
        last = (g1 / (g2 * (g1 + g2)) * _slice(x, axis, -3, -2) - (g1 + g2) / (g1 * g2) * _slice(
            x, axis, -2, -1) + (2 * g1 + g2) / (g1 * (g1 + g2)) * _slice(x, axis, -1))
    return jnp.concatenate([first, center, last], axis)


def _gradient_kernel(x, *coords, dims, steps, edge_order, dtype):
    x = x.astype(dtype)
    out = []
    it = iter(coords)
    for axis, h in zip(dims, steps):
        if h is None:
            out.append(_coordinate_gradient(x, axis, next(it).astype(dtype), edge_order))
        else:
            out.append(_uniform_gradient(x, axis, h, edge_order))
    return tuple(out)


_gradient_op = Op("gradient", _gradient_kernel, saves=(), grad_name="CatBackward0")


def _gradient_spacing(spacing, n_dims):
    if isinstance(spacing, (list, tuple)):
        if len(spacing) != n_dims:
            raise RuntimeError(f"torch.gradient expected spacing to be unspecified, a scalar or it's spacing and dim "
                               f"arguments to have the same length, but got a spacing argument of length "
                               f"{len(spacing)} and a dim argument of length {n_dims}.")
        return list(spacing)
    if isinstance(spacing, Tensor):
        spacing = spacing.item()
    return [spacing] * n_dims


def gradient(input, *, spacing=1, dim=None, edge_order=1):
    """Central-difference estimate of the derivative of ``input`` along each of ``dim`` (all dims by default);
    ``spacing`` is a number, one number per dim, or one 1-D coordinate tensor per dim. Returns a tuple."""
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    dims = wrap_dims(dim, input.ndim) if dim is not None else tuple(range(input.ndim))
    steps = _gradient_spacing(spacing, len(dims))
    for d in dims:
        if input.shape[d] < edge_order + 1:
            raise RuntimeError("torch.gradient expected each dimension size to be at least edge_order+1")
    coords = [s for s in steps if isinstance(s, Tensor)]
    for d, s in zip(dims, steps):
        if isinstance(s, Tensor) and (s.ndim != 1 or s.shape[0] != input.shape[d]):
            raise RuntimeError(f"torch.gradient expected each tensor to be on the same device and to have size "
                               f"{input.shape[d]} along dimension {d}, but got {size_str(s.shape)}")
    dtype = float_dtype_for(result_dtype(input, *coords))
    static = tuple(None if isinstance(s, Tensor) else float(s) for s in steps)
    return _gradient_op(input, *coords, dims=dims, steps=static, edge_order=int(edge_order), dtype=dtype.np)


# ---- renorm ----
def _renorm_kernel(x, maxnorm, *, p, dim):
    axes = tuple(i for i in range(x.ndim) if i != dim)
    norm = _vector_norm_kernel(x, p=p, axis=axes, keepdims=True, dtype=None)
    factor = jnp.where(norm > maxnorm, maxnorm / (norm + 1e-7), jnp.ones((), norm.dtype))
    return x * factor.astype(x.dtype)


_renorm_op = Op("renorm", _renorm_kernel, grad_name="RenormBackward0")


def renorm(input, p, dim, maxnorm, *, out=None):
    """Rescale each slice along ``dim`` whose ``p``-norm exceeds ``maxnorm`` to norm ``maxnorm``."""
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
    if input.ndim <= 1:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {input.ndim} dimensions")
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                           f"{scalar_type_name(input.dtype)}")
    return write_out(out, _renorm_op(input, maxnorm, p=float(p), dim=wrap_dim(dim, input.ndim)))


# ---- function forms of tensor methods, switches ----
def detach(input):
    """``input.detach()``: a tensor sharing ``input``'s data with no autograd history."""
    return input.detach()


def detach_(input):
    """``input.detach_()``."""
    return input.detach_()


def fill(input, value):
    """A new tensor like ``input`` filled with ``value`` (a number or 0-d tensor); gradient flows to a tensor
    ``value`` only."""
    return input.clone().fill_(value)


def fill_(input, value):
    """``input.fill_(value)``."""
    return input.fill_(value)


def zero_(input):
    """``input.zero_()``."""
    return input.zero_()


def is_same_size(input, other):
    """Whether ``input`` and ``other`` have the same shape."""
    return tuple(input.shape) == tuple(other.shape)


def is_signed(input):
    """Whether ``input``'s dtype is signed."""
    return input.is_signed()


def get_device(input):
    """``input.get_device()``: -1 for CPU tensors, the device index otherwise."""
    return input.get_device()


def is_inference_mode_enabled():
    """Whether an ``inference_mode`` block is active."""
    from ..autograd.grad_mode import is_inference_mode_enabled as enabled

    return enabled()


def is_anomaly_enabled():
    """Whether anomaly detection is on (see ``jtorch.autograd.set_detect_anomaly``)."""
    from ..autograd.anomaly_mode import is_anomaly_enabled as enabled

    return enabled()


def set_anomaly_enabled(enabled, check_nan=True):
    """Switch anomaly detection on or off (it records nothing in jtorch; see ``jtorch.autograd``)."""
    from ..autograd.anomaly_mode import set_detect_anomaly

    set_detect_anomaly(enabled, check_nan)


def set_default_tensor_type(t):
    """Deprecated in PyTorch: set the default dtype (and the CUDA default device, for ``torch.cuda.*Tensor``)
    from a legacy tensor type or its name (``'torch.DoubleTensor'``). Floating types only."""
    from .._device import gpu_devices
    from .._legacy import parse_type
    from .creation import set_default_device

    if isinstance(t, D.dtype):
        raise TypeError("invalid type object: only floating-point types are supported as the default type")
    try:
        dtype, device = parse_type(t)
    except ValueError:
        if not isinstance(t, str):
            raise
        module, _, name = t.rpartition(".")
        raise AttributeError(f"module '{module}' has no attribute '{name}'") from None
    if device == "cuda" and not gpu_devices():
        raise TypeError(f"type torch.cuda.{scalar_type_name(dtype)}Tensor not available. Torch not "
                        "compiled with CUDA enabled.")
    warnings.warn("torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
                  "torch.set_default_dtype() and torch.set_default_device() as alternatives.", stacklevel=2)
    if not dtype.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    D.set_default_dtype(dtype)
    if device == "cuda":
        set_default_device("cuda")


register("diff", diff, inplace=False)
register("renorm", renorm)
register("is_same_size", is_same_size, inplace=False)
