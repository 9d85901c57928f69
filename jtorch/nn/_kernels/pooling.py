"""Pooling: max/avg (1-3d, ceil_mode, padding, dilation), adaptive avg/max, lp pooling and
max_unpool.

Max pooling takes every window's values with strided slices and picks the first maximum with
``argmax`` (PyTorch's scan order), so the gradient goes to that one element as in PyTorch (JAX's
own max rule would split it between ties); indices are PyTorch's flat ``h * W + w`` positions.
Average pooling divisors (``count_include_pad``, ceil-mode overhang, ``divisor_override``) are
computed from the static shapes exactly as ATen does.
"""
import numpy as np
import jax.numpy as jnp
from jax import lax

from ... import _dtype as D
from ..._ops.dispatch import Op
from ..._tensor import scalar_type_name
from ._util import check_tensor, size_str
from ._window import pad_trailing, patches

__all__ = ["max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices", "max_pool2d_with_indices",
           "max_pool3d_with_indices", "avg_pool1d", "avg_pool2d", "avg_pool3d", "adaptive_avg_pool1d",
           "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool2d",
           "adaptive_max_pool3d", "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
           "adaptive_max_pool3d_with_indices", "lp_pool1d", "lp_pool2d", "lp_pool3d", "max_unpool1d",
           "max_unpool2d", "max_unpool3d"]

_WORDS = {1: "one", 2: "two", 3: "three"}


# ---- shapes ----
def _out_size(size, k, p, s, d, ceil_mode):
    """ATen's ``pooling_output_shape``."""
    out = (size + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def _high_pads(sizes, kernel, stride, padding, dilation, out):
    """Right padding so every window (ceil-mode overhang included) lies inside the padded input."""
    return tuple((o - 1) * s + d * (k - 1) + 1 - n - p
                 for n, k, s, p, d, o in zip(sizes, kernel, stride, padding, dilation, out))


def _lowest(dtype):
    return -np.inf if jnp.issubdtype(dtype, jnp.floating) else np.iinfo(dtype).min


# ---- kernels ----
def _window_max(x, kernel, stride, padding, dilation, out):
    """(values, kernel-offset argmax) of each window; the first maximum wins."""
    n = len(kernel)
    hi = _high_pads(x.shape[-n:], kernel, stride, padding, dilation, out)
    xp = pad_trailing(x, list(zip(padding, hi)), _lowest(x.dtype))
    cols = patches(xp, kernel, stride, dilation, out)
    axis = x.ndim - n
    arg = jnp.argmax(cols, axis=axis)
    vals = jnp.take_along_axis(cols, jnp.expand_dims(arg, axis), axis=axis).squeeze(axis)
    return vals, arg


def _flat_indices(arg, sizes, kernel, stride, padding, dilation, out):
    """PyTorch's flat input index (``h * W + w``) of each window's chosen offset."""
    n = len(kernel)
    offs = jnp.unravel_index(arg, kernel)
    flat = jnp.zeros(arg.shape, jnp.int64)
    for i in range(n):
        shape = [1] * arg.ndim
        shape[arg.ndim - n + i] = out[i]
        start = (np.arange(out[i]) * stride[i] - padding[i]).reshape(shape)
        coord = start + offs[i].astype(jnp.int64) * dilation[i]
        flat = flat * sizes[i] + coord
    return flat


def _max_pool_kernel(x, *, kernel, stride, padding, dilation, out):
    return _window_max(x, kernel, stride, padding, dilation, out)[0]


def _max_pool_indices_kernel(x, *, kernel, stride, padding, dilation, out):
    vals, arg = _window_max(x, kernel, stride, padding, dilation, out)
    return vals, _flat_indices(arg, x.shape[-len(kernel):], kernel, stride, padding, dilation, out)


def _avg_divisor(sizes, kernel, stride, padding, out, count_include_pad):
    """ATen's per-window divisor as a static array of shape ``out``."""
    div = np.ones((), np.int64)
    for n, k, s, p, o in zip(sizes, kernel, stride, padding, out):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, n + p)
        size = end - start
        if not count_include_pad:
            size = np.minimum(end, n) - np.maximum(start, 0)
        div = np.multiply.outer(div, size)
    return np.maximum(div, 1)


def _avg_pool_kernel(x, *, kernel, stride, padding, out, count_include_pad, divisor_override):
    n = len(kernel)
    hi = _high_pads(x.shape[-n:], kernel, stride, padding, (1,) * n, out)
    xp = pad_trailing(x, list(zip(padding, hi)), 0)
    total = jnp.sum(patches(xp, kernel, stride, (1,) * n, out), axis=x.ndim - n)
    if divisor_override is not None:
        div = np.asarray(divisor_override)
    else:
        div = _avg_divisor(x.shape[-n:], kernel, stride, padding, out, count_include_pad)
    if jnp.issubdtype(x.dtype, jnp.integer):
        return (jnp.sign(total) * (jnp.abs(total) // div)).astype(x.dtype)
    return total / div.astype(x.dtype)


def _adaptive_bounds(size, out):
    """ATen's adaptive window ``[start, end)`` per output index."""
    i = np.arange(out)
    return (i * size) // out, -((-(i + 1) * size) // out)


def _adaptive_avg_kernel(x, *, out):
    n = len(out)
    sizes = x.shape[-n:]
    letters = "abc"[:n]
    outs = "xyz"[:n]
    mats, counts = [], np.ones((), np.int64)
    for size, o in zip(sizes, out):
        start, end = _adaptive_bounds(size, o)
        idx = np.arange(size)
        mats.append(((idx >= start[:, None]) & (idx < end[:, None])).astype(x.dtype))
        counts = np.multiply.outer(counts, end - start)
    spec = f"...{letters}," + ",".join(f"{o}{c}" for o, c in zip(outs, letters)) + f"->...{outs}"
    return jnp.einsum(spec, x, *mats, precision="highest") / counts.astype(x.dtype)


def _adaptive_gather(x, out):
    """(windows ``(..., *out, K)``, per-dim window starts) with short windows padded by repeating their
    last element (which never changes the first maximum)."""
    n = len(out)
    sizes = x.shape[-n:]
    lead = x.ndim - n
    idx, starts, ks = [], [], []
    for i, (size, o) in enumerate(zip(sizes, out)):
        start, end = _adaptive_bounds(size, o)
        k = int((end - start).max()) if o else 1
        pos = np.minimum(start[:, None] + np.arange(k), end[:, None] - 1)
        shape = [1] * (2 * n)
        shape[2 * i], shape[2 * i + 1] = o, k
        idx.append(pos.reshape(shape))
        starts.append(start)
        ks.append(k)
    g = x[(Ellipsis,) + tuple(idx)]
    perm = tuple(range(lead)) + tuple(lead + 2 * i for i in range(n)) + tuple(lead + 2 * i + 1 for i in range(n))
    g = jnp.transpose(g, perm).reshape(tuple(x.shape[:lead]) + tuple(out) + (-1,))
    return g, starts, ks


def _adaptive_window_max(x, out):
    g, starts, ks = _adaptive_gather(x, out)
    arg = jnp.argmax(g, axis=-1)
    vals = jnp.take_along_axis(g, arg[..., None], axis=-1)[..., 0]
    return vals, arg, starts, ks


def _adaptive_max_kernel(x, *, out):
    return _adaptive_window_max(x, out)[0]


def _adaptive_max_indices_kernel(x, *, out):
    vals, arg, starts, ks = _adaptive_window_max(x, out)
    n = len(out)
    sizes = x.shape[-n:]
    offs = jnp.unravel_index(arg, tuple(ks))
    flat = jnp.zeros(arg.shape, jnp.int64)
    for i in range(n):
        shape = [1] * arg.ndim
        shape[arg.ndim - n + i] = out[i]
        ends = -((-(np.arange(out[i]) + 1) * sizes[i]) // out[i])
        coord = jnp.minimum(starts[i].reshape(shape) + offs[i].astype(jnp.int64), ends.reshape(shape) - 1)
        flat = flat * sizes[i] + coord
    return vals, flat


def _max_unpool_kernel(x, idx, *, out):
    """Scatter ``x`` to ``idx`` in zeros; the gradient gathers at ``idx`` (every duplicate gets it, as in PyTorch)."""
    n = len(out)
    lead = x.shape[:x.ndim - n]
    size = int(np.prod(out))
    rows = int(np.prod(lead))
    where = (idx.reshape(rows, -1) + (np.arange(rows) * size)[:, None]).reshape(-1)
    vals = x.reshape(-1)
    frozen = lax.stop_gradient(vals)
    res = jnp.zeros((rows * size,), x.dtype).at[where].set(frozen)
    res = res + jnp.zeros_like(res).at[where].add(vals - frozen)
    return res.reshape(lead + tuple(out))


_max_pool_ops = {n: Op(f"max_pool{n}d", _max_pool_kernel, grad_name=f"MaxPool{n}DWithIndicesBackward0")
                 for n in (1, 2, 3)}
_max_pool_idx_ops = {n: Op(f"max_pool{n}d_with_indices", _max_pool_indices_kernel,
                           grad_name=f"MaxPool{n}DWithIndicesBackward0") for n in (1, 2, 3)}
_avg_pool_ops = {n: Op(f"avg_pool{n}d", _avg_pool_kernel, saves=(), grad_name=f"AvgPool{max(n, 2)}DBackward0")
                 for n in (1, 2, 3)}
_adaptive_avg_ops = {n: Op(f"adaptive_avg_pool{n}d", _adaptive_avg_kernel, saves=(),
                           grad_name=f"AdaptiveAvgPool{max(n, 2)}DBackward0") for n in (1, 2, 3)}
_adaptive_max_ops = {n: Op(f"adaptive_max_pool{n}d", _adaptive_max_kernel,
                           grad_name=f"AdaptiveMaxPool{max(n, 2)}DBackward0") for n in (1, 2, 3)}
_adaptive_max_idx_ops = {n: Op(f"adaptive_max_pool{n}d", _adaptive_max_indices_kernel,
                               grad_name=f"AdaptiveMaxPool{max(n, 2)}DBackward0") for n in (1, 2, 3)}
_max_unpool_op = Op("max_unpool", _max_unpool_kernel, saves=(), grad_name="MaxUnpool2DBackward0")


# ---- argument checks ----
def _tuple_arg(value, n, fn, what, allow_none=False):
    """A pooling size argument: an int or an n-sequence (ATen's messages)."""
    if value is None or (allow_none and isinstance(value, (list, tuple)) and len(value) == 0):
        return None
    if isinstance(value, (list, tuple)):
        if len(value) == 1:
            return (int(value[0]),) * n
        if len(value) != n:
            if n == 1:
                raise RuntimeError(f"{fn}() {what} must be an int, list of ints or tuple of ints of size 1 but got "
                                   f"size {len(value)}")
            lead = "must be a single int" if fn == "avg_pool3d" and what == "kernel_size" else (
                "must either be omitted, a single int" if what == "stride" else "must either be a single int")
            raise RuntimeError(f"{fn}: {what} {lead}, or a tuple of {_WORDS[n]} ints")
        return tuple(int(v) for v in value)
    return (int(value),) * n


def _pool_params(fn, n, kernel_size, stride, padding, dilation=1):
    k = _tuple_arg(kernel_size, n, fn, "kernel_size")
    s = _tuple_arg(stride, n, fn, "stride", allow_none=True) or k
    p = _tuple_arg(padding, n, fn, "padding")
    d = _tuple_arg(dilation, n, fn, "dilation")
    return k, s, p, d


def _check_window(k, s, p, d, n):
    names = ("H", "W") if n == 2 else (("T", "H", "W") if n == 3 else ("W",))
    if any(v <= 0 for v in k):
        if any(v == 0 for v in s):
            raise RuntimeError("stride should not be zero")
        raise RuntimeError("kernel size should be greater than zero, but got " +
                           " ".join(f"k{a}: {v}" for a, v in zip(names, k)))
    if any(v <= 0 for v in s):
        if any(v == 0 for v in s):
            raise RuntimeError("stride should not be zero")
        raise RuntimeError("stride should be greater than zero, but got " +
                           " ".join(f"d{a}: {v}" for a, v in zip(names, s)))
    if any(v <= 0 for v in d):
        raise RuntimeError("dilation should be greater than zero, but got " +
                           " ".join(f"dilation{a}: {v}" for a, v in zip(names, d)))
    for kk, pp, dd in zip(k, p, d):
        if pp < 0:
            raise RuntimeError(f"pad must be non-negative, but got pad: {pp}")
        if pp > ((kk - 1) * dd + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={pp}, "
                               f"kernel_size={kk} and dilation={dd}")


def _outputs(shape, n, k, s, p, d, ceil_mode):
    """Output sizes of the trailing ``n`` dims of ``shape``, with ATen's "Output size is too small" error."""
    sizes = tuple(shape[-n:])
    out = tuple(_out_size(*a, ceil_mode) for a in zip(sizes, k, p, s, d))
    if any(o < 1 for o in out):
        c = shape[-n - 1]
        lead = "x".join(map(str, (c,) + sizes))
        res = "x".join(map(str, (c,) + out))
        raise RuntimeError(f"Given input size: ({lead}). Calculated output size: ({res}). Output size is too small")
    return out


def _check_pool_input(input, n, fn, kind):
    """The input-rank checks of ATen's max/avg pooling."""
    check_tensor(input, fn)
    nonempty = all(s > 0 for s in input.shape[1:]) if input.ndim == n + 2 else all(s > 0 for s in input.shape)
    ok = input.ndim in (n + 1, n + 2)
    if kind == "max" and n in (2, 3):
        if not ok or not nonempty:
            raise RuntimeError(f"non-empty {n + 1}D or {n + 2}D (batch mode) tensor expected for input")
    elif n == 1:
        if not ok:
            raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input.ndim}-dimensional tensor for argument #1 "
                               f"'self' (while checking arguments for {fn})")
    elif not ok or not nonempty:
        if n == 3:
            raise RuntimeError("non-empty 4D or 5D (batch mode) tensor expected for input")
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but "
                           f"got:{size_str(input.shape)}")
    if input.dtype is D.bool or input.dtype.is_complex:
        raise NotImplementedError(f"\"{fn}\" not implemented for '{scalar_type_name(input.dtype)}'")


# ---- max pooling ----
def _max_pool(input, n, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    fn = f"max_pool{n}d"
    _check_pool_input(input, n, fn, "max")
    k, s, p, d = _pool_params(fn, n, kernel_size, stride, padding, dilation)
    if n == 1:
        for what, v, lo in (("kernel_size", k[0], 1), ("stride", s[0], 1), ("padding", p[0], 0),
                            ("dilation", d[0], 1)):
            if v < lo:
                cond = "non-negative" if lo == 0 else "greater than zero"
                raise RuntimeError(f"max_pool1d() {what} must be {cond}, but got {v}")
        if p[0] > k[0] // 2:
            raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but got padding={p[0]} "
                               f"and kernel_size={k[0]}")
        out = (_out_size(input.shape[-1], k[0], p[0], s[0], d[0], ceil_mode),)
        if out[0] < 1:
            raise RuntimeError(f"max_pool1d() Invalid computed output size: {out[0]}")
    else:
        _check_window(k, s, p, d, n)
        out = _outputs(input.shape, n, k, s, p, d, ceil_mode)
    static = dict(kernel=k, stride=s, padding=p, dilation=d, out=out)
    if return_indices:
        return _max_pool_idx_ops[n](input, **static)
    return _max_pool_ops[n](input, **static)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """1-D max pooling; ``return_indices`` also returns flat input positions (int64)."""
    return _max_pool(input, 1, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """2-D max pooling; ``return_indices`` also returns flat ``h * W + w`` positions (int64)."""
    return _max_pool(input, 2, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """3-D max pooling; ``return_indices`` also returns flat input positions (int64)."""
    return _max_pool(input, 3, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    """:func:`max_pool1d` returning ``(values, indices)``."""
    return _max_pool(input, 1, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    """:func:`max_pool2d` returning ``(values, indices)``."""
    return _max_pool(input, 2, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    """:func:`max_pool3d` returning ``(values, indices)``."""
    return _max_pool(input, 3, kernel_size, stride, padding, dilation, ceil_mode, True)


# ---- average pooling ----
def _avg_pool(input, n, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    fn = f"avg_pool{n}d"
    _check_pool_input(input, n, fn, "avg")
    if n == 1:
        for what, v in (("kernel_size", kernel_size), ("stride", stride), ("padding", padding)):
            if isinstance(v, (list, tuple)) and len(v) != 1 and not (what == "stride" and len(v) == 0):
                raise RuntimeError(f"avg_pool1d() argument '{what}' should contain one int (got {len(v)})")
    k, s, p, _ = _pool_params(fn, n, kernel_size, stride, padding)
    d = (1,) * n
    _check_window(k, s, p, d, n)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    if n == 1:
        _outputs(tuple(input.shape[:-1]) + (1, input.shape[-1]), 2, (1,) + k, (1,) + s, (0,) + p, (1, 1), ceil_mode)
    out = _outputs(input.shape, n, k, s, p, d, ceil_mode)
    if input.dtype.is_complex or input.dtype is D.bool:
        raise NotImplementedError(f"\"{fn}\" not implemented for '{scalar_type_name(input.dtype)}'")
    return _avg_pool_ops[n](input, kernel=k, stride=s, padding=p, out=out, count_include_pad=bool(count_include_pad),
                            divisor_override=None if divisor_override is None else int(divisor_override))


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """1-D average pooling."""
    return _avg_pool(input, 1, kernel_size, stride, padding, ceil_mode, count_include_pad, None)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """2-D average pooling (integer inputs divide with truncation, like PyTorch)."""
    return _avg_pool(input, 2, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """3-D average pooling."""
    return _avg_pool(input, 3, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


# ---- adaptive pooling ----
def _adaptive_out(input, output_size, n, fn):
    if isinstance(output_size, (list, tuple)):
        if n == 1 and len(output_size) != 1:
            raise RuntimeError(f"{fn}() argument 'output_size' should contain one int (got {len(output_size)})")
        sizes = tuple(output_size) if len(output_size) != 1 else tuple(output_size) * n
    else:
        sizes = (output_size,) * n
    if len(sizes) != n:
        raise RuntimeError(f"{fn}: output_size must be {n}")
    return tuple(int(input.shape[input.ndim - n + i]) if v is None else int(v) for i, v in enumerate(sizes))


def _check_adaptive_input(input, n, fn):
    check_tensor(input, fn)
    if n == 1:
        if input.ndim not in (2, 3):
            raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input.ndim}-dimensional tensor for argument #1 "
                               f"'self' (while checking arguments for {fn})")
    elif input.ndim not in (n + 1, n + 2):
        sep = ": " if "max" in fn else " "
        raise RuntimeError(f"{fn}(): Expected {n + 1}D or {n + 2}D tensor, but got{sep}{size_str(input.shape)}")
    name = fn.replace("1d", "2d")
    for i in range(1 if input.ndim == n + 2 else 0, input.ndim):
        if input.shape[i] == 0:
            raise RuntimeError(f"{name}(): Expected input to have non-zero size for non-batch dimensions, but input "
                               f"has sizes {size_str(input.shape)} with dimension {i} being empty")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"{name}\" not implemented for '{scalar_type_name(input.dtype)}'")


def _adaptive_avg(input, output_size, n):
    fn = f"adaptive_avg_pool{n}d"
    _check_adaptive_input(input, n, fn)
    out = _adaptive_out(input, output_size, n, fn)
    return _adaptive_avg_ops[n](input, out=out)


def adaptive_avg_pool1d(input, output_size):
    """Average over ATen's adaptive windows ``[floor(i*L/O), ceil((i+1)*L/O))``."""
    return _adaptive_avg(input, output_size, 1)


def adaptive_avg_pool2d(input, output_size):
    """2-D adaptive average pooling; ``None`` in ``output_size`` keeps that input size."""
    return _adaptive_avg(input, output_size, 2)


def adaptive_avg_pool3d(input, output_size):
    """3-D adaptive average pooling."""
    return _adaptive_avg(input, output_size, 3)


def _adaptive_max(input, output_size, n, return_indices):
    fn = f"adaptive_max_pool{n}d"
    _check_adaptive_input(input, n, fn)
    out = _adaptive_out(input, output_size, n, fn)
    if return_indices:
        return _adaptive_max_idx_ops[n](input, out=out)
    return _adaptive_max_ops[n](input, out=out)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """Max over adaptive windows; ``return_indices`` also returns flat input positions."""
    return _adaptive_max(input, output_size, 1, return_indices)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """2-D adaptive max pooling; ``return_indices`` also returns flat ``h * W + w`` positions."""
    return _adaptive_max(input, output_size, 2, return_indices)


def adaptive_max_pool3d(input, output_size, return_indices=False):
    """3-D adaptive max pooling."""
    return _adaptive_max(input, output_size, 3, return_indices)


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    """:func:`adaptive_max_pool1d` returning ``(values, indices)``."""
    return _adaptive_max(input, output_size, 1, True)


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    """:func:`adaptive_max_pool2d` returning ``(values, indices)``."""
    return _adaptive_max(input, output_size, 2, True)


def adaptive_max_pool3d_with_indices(input, output_size, return_indices=False):
    """:func:`adaptive_max_pool3d` returning ``(values, indices)``."""
    return _adaptive_max(input, output_size, 3, True)


# ---- power-average pooling ----
def _lp_pool(input, n, norm_type, kernel_size, stride, ceil_mode):
    from ..._ops.activation import relu
    from ..._ops.pointwise import abs as _abs, sign

    k = _tuple_arg(kernel_size, n, f"lp_pool{n}d", "kernel_size")
    pooled = _avg_pool(input.pow(norm_type), n, k, stride, 0, ceil_mode, True, None)
    return (sign(pooled) * relu(_abs(pooled))).mul(int(np.prod(k))).pow(1.0 / norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """``(sum over window of x**p) ** (1/p)`` (PyTorch's formulation through avg_pool1d)."""
    return _lp_pool(input, 1, norm_type, kernel_size, stride, ceil_mode)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """2-D power-average pooling."""
    return _lp_pool(input, 2, norm_type, kernel_size, stride, ceil_mode)


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """3-D power-average pooling."""
    return _lp_pool(input, 3, norm_type, kernel_size, stride, ceil_mode)


# ---- unpooling ----
def _max_unpool(input, indices, n, kernel_size, stride, padding, output_size):
    fn = f"max_unpool{n}d"
    check_tensor(input, fn)
    k = _tuple_arg(kernel_size, n, fn, "kernel_size")
    s = _tuple_arg(stride, n, fn, "stride", allow_none=True) or k
    p = _tuple_arg(padding, n, fn, "padding")
    sizes = tuple(input.shape[-n:])
    default = tuple((i - 1) * ss - 2 * pp + kk for i, ss, pp, kk in zip(sizes, s, p, k))
    if output_size is None:
        out = default
    else:
        out = tuple(int(v) for v in output_size)
        if len(out) == n + 2:
            out = out[2:]
        elif len(out) == n + 1 and input.ndim == n + 1:
            out = out[1:]
        if len(out) != n:
            raise ValueError(f"output_size should be a sequence containing {n} or {n + 2} elements, but it has a "
                             f"length of '{len(out)}'")
        for o, dflt, ss in zip(out, default, s):
            if o < dflt - ss or o > dflt + ss:
                raise ValueError(f"invalid output_size \"{list(out)}\" (dim {len(out) - n} must be between "
                                 f"{dflt - ss} and {dflt + ss})")
    if tuple(indices.shape) != tuple(input.shape):
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor "
                           f"({size_str(input.shape)}) but got indices tensor with shape: {size_str(indices.shape)}")
    return _max_unpool_op(input, indices, out=out)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Place each value at its max-pool index in a zero tensor (partial inverse of max_pool1d)."""
    return _max_unpool(input, indices, 1, kernel_size, stride, padding, output_size)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Partial inverse of :func:`max_pool2d` given its indices."""
    return _max_unpool(input, indices, 2, kernel_size, stride, padding, output_size)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Partial inverse of :func:`max_pool3d` given its indices."""
    return _max_unpool(input, indices, 3, kernel_size, stride, padding, output_size)
