"""Shape-combining ops: cat/stack and friends, flip/roll/rot90, repeat/tile/repeat_interleave,
broadcasting helpers, atleast_nd, diagonal builders, block_diag, cartesian_prod, trace, cross and
the trapezoid rule.

Every result is a new (contiguous) tensor computed by one jnp kernel through the op path, except
where PyTorch returns a view or the input itself (``broadcast_tensors``, ``atleast_*d``,
``cartesian_prod`` of one tensor), which is built from the view ops.
"""
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Size, Tensor, scalar_type_name
from . import views as V
from .common import broadcast_shapes as _broadcast_shape_pair
from .common import float_dtype_for, is_scalar, result_dtype, wrap_dim, wrap_dims, write_out
from .dispatch import Op

__all__ = ["cat", "concat", "concatenate", "stack", "hstack", "vstack", "row_stack", "dstack", "column_stack",
           "flip", "fliplr", "flipud", "roll", "rot90", "tile", "repeat_interleave", "broadcast_tensors",
           "broadcast_shapes", "atleast_1d", "atleast_2d", "atleast_3d", "diag", "diag_embed", "diagflat",
           "block_diag", "cartesian_prod", "trace", "cross", "trapezoid", "trapz", "cumulative_trapezoid"]


# ---- argument checks ----
def _tensor_list(tensors, fn):
    """``tensors`` as a tuple of Tensors, with PyTorch's TypeError for anything else."""
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{fn}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    return tuple(tensors)


def _promoted(tensors):
    """The dtype PyTorch's cat/stack give a list of tensors (promotion over all of them)."""
    d = tensors[0].dtype
    for t in tensors[1:]:
        if t.dtype is not d:
            d = D.promote_types(d, t.dtype)
    return d


def _check_input(x, fn, arg="input"):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument '{arg}' (position 1) must be Tensor, not {type(x).__name__}")


def _int_tuple(x, fn, arg):
    """A sequence of ints as a tuple; TypeError naming ``arg`` otherwise."""
    if isinstance(x, Tensor):
        x = x.tolist()
    if not isinstance(x, (list, tuple, Size)):
        raise TypeError(f"{fn}(): argument '{arg}' (position 2) must be tuple of ints, not {type(x).__name__}")
    return tuple(int(v) for v in x)


def _varargs(args):
    """``f(1, 2)`` and ``f((1, 2))`` both as ``(1, 2)`` (PyTorch's method-style size arguments)."""
    if len(args) == 1 and isinstance(args[0], (list, tuple, Size)):
        return tuple(int(v) for v in args[0])
    if len(args) == 1 and isinstance(args[0], Tensor) and args[0].ndim == 1:
        return tuple(args[0].tolist())
    return tuple(int(v) for v in args)


# ---- cat / stack ----
def _legacy_empty(shape):
    return shape == (0,)


def _cat_kernel(*arrays, dim, dtype):
    keep = [a for a in arrays if not _legacy_empty(a.shape)] or list(arrays)
    return jnp.concatenate([a.astype(dtype) for a in keep], axis=dim)


_cat_op = Op("cat", _cat_kernel, saves=())


def _check_cat(tensors, dim):
    """PyTorch's cat checks; returns the wrapped dim (1-D ``(0,)`` tensors are skipped)."""
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    ref = next((t for t in tensors if not _legacy_empty(t._arr.shape)), None)
    if ref is None:
        return 0
    d = wrap_dim(dim, ref.ndim)
    rshape = ref._arr.shape
    for i, t in enumerate(tensors):
        shape = t._arr.shape
        if _legacy_empty(shape):
            continue
        if len(shape) != len(rshape):
            raise RuntimeError(f"Tensors must have same number of dimensions: got {len(rshape)} and {len(shape)}")
        for k, (a, b) in enumerate(zip(rshape, shape)):
            if k != d and a != b:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected size {a} but got "
                                   f"size {b} for tensor number {i} in the list.")
    return d


def cat(tensors, dim=0, *, axis=None, out=None):
    """Concatenate along ``dim`` with PyTorch's type promotion; 1-D empty tensors are skipped (legacy rule)."""
    tensors = _tensor_list(tensors, "cat")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    if axis is not None:
        dim = axis
    d = _check_cat(tensors, dim)
    res = _cat_op(*tensors, dim=d, dtype=_promoted(tensors).np)
    return write_out(out, res)


concat = cat


def concatenate(tensors, axis=0, out=None, *, dim=None):
    """Alias of :func:`cat` (numpy's ``axis`` name)."""
    return cat(tensors, axis if dim is None else dim, out=out)


_stack_op = Op("stack", lambda *arrays, dim, dtype: jnp.stack([a.astype(dtype) for a in arrays], axis=dim),
               saves=())


def stack(tensors, dim=0, *, out=None):
    """Join same-shaped tensors along a new dim ``dim`` (PyTorch's type promotion)."""
    tensors = _tensor_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    shape = tensors[0]._arr.shape
    for i, t in enumerate(tensors[1:], 1):
        if t._arr.shape != shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(shape)} at entry 0 and "
                               f"{list(t._arr.shape)} at entry {i}")
    d = wrap_dim(dim, len(shape) + 1)
    return write_out(out, _stack_op(*tensors, dim=d, dtype=_promoted(tensors).np))


def _nonempty(tensors, fn):
    tensors = _tensor_list(tensors, fn)
    if not tensors:
        raise RuntimeError(f"{fn} expects a non-empty TensorList")
    return tensors


def hstack(tensors, *, out=None):
    """Concatenate along dim 1 (dim 0 for 1-D inputs) after ``atleast_1d``."""
    ts = _as_tuple(atleast_1d(*_nonempty(tensors, "hstack")))
    return cat(ts, 0 if ts[0].ndim == 1 else 1, out=out)


def vstack(tensors, *, out=None):
    """Concatenate along dim 0 after ``atleast_2d``."""
    return cat(_as_tuple(atleast_2d(*_nonempty(tensors, "vstack"))), 0, out=out)


row_stack = vstack


def dstack(tensors, *, out=None):
    """Concatenate along dim 2 after ``atleast_3d``."""
    return cat(_as_tuple(atleast_3d(*_nonempty(tensors, "dstack"))), 2, out=out)


def column_stack(tensors, *, out=None):
    """Stack 0-D/1-D tensors as columns (and 2-D ones as they are) along dim 1."""
    ts = _nonempty(tensors, "column_stack")
    cols = tuple(V.reshape(t, (t.numel(), 1)) if t.ndim <= 1 else t for t in ts)
    return cat(cols, 1, out=out)


# ---- flip / roll / rot90 ----
_flip_op = Op("flip", lambda a, *, dims: jnp.flip(a, dims), saves=())


def flip(input, dims):
    """Reverse the order of elements along ``dims`` (a copy, like PyTorch)."""
    _check_input(input, "flip")
    dims = wrap_dims(_int_tuple(dims, "flip", "dims"), input.ndim)
    if not dims or input.ndim == 0:
        return _flip_op(input, dims=())
    return _flip_op(input, dims=dims)


def _flip_method(self, *dims):
    """``Tensor.flip(*dims)``: accepts ``flip(0, 1)`` and ``flip((0, 1))``."""
    return flip(self, _varargs(dims))


def fliplr(input):
    """Flip dim 1 (needs >= 2 dims)."""
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input):
    """Flip dim 0 (needs >= 1 dim)."""
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


def _roll_kernel(a, *, shifts, dims):
    if dims is None:
        return jnp.roll(a.reshape(-1), shifts[0]).reshape(a.shape)
    return jnp.roll(a, shifts, dims)


_roll_op = Op("roll", _roll_kernel, saves=())


def roll(input, shifts, dims=None):
    """Roll elements along ``dims`` by ``shifts`` (over the flattened tensor when ``dims`` is None)."""
    _check_input(input, "roll")
    shifts = (int(shifts),) if is_scalar(shifts) else _int_tuple(shifts, "roll", "shifts")
    if dims is None or (isinstance(dims, (list, tuple)) and not dims):
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        return _roll_op(input, shifts=shifts, dims=None)
    dims = (dims,) if is_scalar(dims) else _int_tuple(dims, "roll", "dims")
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    dims = tuple(wrap_dim(d, input.ndim) for d in dims)
    return _roll_op(input, shifts=shifts, dims=dims)


_rot90_op = Op("rot90", lambda a, *, k, dims: jnp.rot90(a, k, dims), saves=())


def rot90(input, k=1, dims=(0, 1)):
    """Rotate by 90 degrees ``k`` times in the plane of ``dims`` (from the first towards the second)."""
    _check_input(input, "rot90")
    dims = _int_tuple(dims, "rot90", "dims")
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if input.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {input.ndim}")
    a, b = wrap_dim(dims[0], input.ndim), wrap_dim(dims[1], input.ndim)
    if a == b:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}")
    return _rot90_op(input, k=int(k) % 4, dims=(a, b))


# ---- repeat / tile / repeat_interleave ----
def _repeat_kernel(a, *, reps):
    lead = len(reps) - a.ndim
    return jnp.tile(a.reshape((1,) * lead + a.shape), reps)


_repeat_op = Op("repeat", _repeat_kernel, saves=())


def repeat(self, *sizes):
    """``Tensor.repeat``: tile the tensor ``sizes`` times (new leading dims when ``sizes`` is longer)."""
    reps = _varargs(sizes)
    if len(reps) < self.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of "
                           "tensor")
    shape = (1,) * (len(reps) - self.ndim) + tuple(self._arr.shape)
    target = [n * r for n, r in zip(shape, reps)]
    for s in target:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {target}")
    return _repeat_op(self, reps=reps)


def tile(input, dims):
    """Like :meth:`Tensor.repeat`, padding ``dims`` with leading 1s when it is shorter than ``input.ndim``."""
    _check_input(input, "tile")
    dims = _int_tuple(dims, "tile", "dims")
    return repeat(input, (1,) * (input.ndim - len(dims)) + dims)


def _tile_method(self, *dims):
    """``Tensor.tile(*dims)``."""
    return tile(self, _varargs(dims))


def _ri_int_kernel(a, *, repeats, axis):
    return jnp.repeat(a, repeats, axis=axis)


def _ri_tensor_kernel(a, r, *, axis, total):
    if axis is None:
        a, axis = a.reshape(-1), 0
    r = jnp.broadcast_to(r.reshape(-1), (a.shape[axis],))
    return jnp.repeat(a, r, axis=axis, total_repeat_length=total)


_ri_int_op = Op("repeat_interleave", _ri_int_kernel, saves=(), grad_name="ViewBackward0")
_ri_tensor_op = Op("repeat_interleave", _ri_tensor_kernel, saves=(), grad_name="IndexSelectBackward0")


def _repeats_total(repeats, n):
    """The output length for tensor ``repeats`` (needs concrete values; checks signs like PyTorch)."""
    arr = repeats._read()
    if isinstance(arr, jax.core.Tracer):
        raise RuntimeError("repeat_interleave with a tensor of repeats has a data-dependent output size; pass "
                           "output_size= to use it inside jtorch.compile")
    host = np.asarray(arr).reshape(-1)
    if (host < 0).any():
        raise RuntimeError("repeats can not be negative")
    return int(host.sum()) * (n if host.size == 1 else 1)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Repeat each element ``repeats`` times along ``dim`` (flattened when None).

    With a tensor of repeats the output size depends on its values: inside ``jtorch.compile``
    pass ``output_size``. ``repeat_interleave(repeats)`` gives ``arange(len(repeats))`` repeated.
    """
    if repeats is None:
        from .creation import arange

        repeats = input
        if repeats.ndim != 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        input = arange(repeats.shape[0], dtype=D.int64)
    _check_input(input, "repeat_interleave")
    axis = None if dim is None else wrap_dim(dim, input.ndim)
    if not isinstance(repeats, Tensor):
        repeats = int(repeats)
        if repeats < 0:
            raise RuntimeError("Repeats must be non-negative")
        return _ri_int_op(input, repeats=repeats, axis=axis)
    if repeats.ndim > 1:
        raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
    if repeats.dtype.is_floating_point or repeats.dtype.is_complex or repeats.dtype is D.bool:
        raise NotImplementedError(f"\"repeat_interleave_cpu\" not implemented for '{scalar_type_name(repeats.dtype)}'")
    n = input.numel() if axis is None else input.shape[axis]
    if repeats.numel() != 1 and repeats.numel() != n:
        raise RuntimeError(f"repeats must have the same size as input along dim, but got repeats.size(0) = "
                           f"{repeats.numel()} and input.size({0 if axis is None else axis}) = {n}")
    total = int(output_size) if output_size is not None else _repeats_total(repeats, n)
    return _ri_tensor_op(input, repeats, axis=axis, total=total)


# ---- broadcasting ----
def broadcast_shapes(*shapes):
    """The broadcast of ``shapes`` (ints or sequences of ints) as a ``Size``, with PyTorch's errors."""
    shapes = tuple((s,) if isinstance(s, (int, np.integer)) else s for s in shapes if s is not None)
    for s in shapes:
        if not isinstance(s, (list, tuple, Size)):
            raise RuntimeError(f"Input shapes should be of type ints, a tuple of ints, or a list of ints, got {s}")
    if not shapes:
        return Size(())
    common = [1] * max(len(s) for s in shapes)
    for i, s in enumerate(shapes):
        for idx in range(-1, -1 - len(s), -1):
            n = int(s[idx])
            if n == common[idx]:
                continue
            if common[idx] == 1:
                if n < 0:
                    raise ValueError("Attempting to broadcast a dimension with negative length!")
                common[idx] = n
            if n != 1 and common[idx] != n:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {n} at {idx}! Mismatching argument "
                                   f"at index {i} had {tuple(s)}; but expected shape should be broadcastable to "
                                   f"{common}")
    return Size(common)


def broadcast_tensors(*tensors):
    """Expand all tensors to their common shape (views; a tensor already of that shape is returned as is)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shape = _broadcast_shape_pair(*[t._arr.shape for t in tensors]) if tensors else ()
    return tuple(t if t._arr.shape == shape else V.expand(t, shape) for t in tensors)


# ---- atleast_nd ----
def _as_tuple(x):
    return x if isinstance(x, tuple) else (x,)


def _each(tensors, one):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        return tuple(one(t) for t in tensors[0])
    if len(tensors) == 1:
        return one(tensors[0])
    return tuple(one(t) for t in tensors)


def _atleast_1d(t):
    return V.reshape(t, (1,)) if t.ndim == 0 else t


def _atleast_2d(t):
    if t.ndim == 0:
        return V.reshape(t, (1, 1))
    return V.unsqueeze(t, 0) if t.ndim == 1 else t


def _atleast_3d(t):
    if t.ndim == 0:
        return V.reshape(t, (1, 1, 1))
    if t.ndim == 1:
        return V.unsqueeze(V.unsqueeze(t, 0), -1)
    return V.unsqueeze(t, -1) if t.ndim == 2 else t


def atleast_1d(*tensors):
    """View each tensor with at least 1 dim (a tuple for several tensors or a list)."""
    return _each(tensors, _atleast_1d)


def atleast_2d(*tensors):
    """View each tensor with at least 2 dims (1-D ``(n,)`` becomes ``(1, n)``)."""
    return _each(tensors, _atleast_2d)


def atleast_3d(*tensors):
    """View each tensor with at least 3 dims (``(n,)`` -> ``(1, n, 1)``, ``(m, n)`` -> ``(m, n, 1)``)."""
    return _each(tensors, _atleast_3d)


# ---- diagonals ----
def _embed(a, offset, dim1, dim2):
    m = a.shape[-1]
    n = m + abs(offset)
    rows = np.arange(m) + max(-offset, 0)
    cols = np.arange(m) + max(offset, 0)
    out = jnp.zeros(a.shape[:-1] + (n, n), a.dtype).at[..., rows, cols].set(a)
    return jnp.moveaxis(out, (-2, -1), (dim1, dim2))


_diag_embed_op = Op("diag_embed", lambda a, *, offset, dim1, dim2: _embed(a, offset, dim1, dim2), saves=())
_diagflat_op = Op("diagflat", lambda a, *, offset: _embed(a.reshape(-1), offset, 0, 1), saves=(),
                  grad_name="DiagEmbedBackward0")
_diag_copy_op = Op("diag", lambda a, *, offset: jnp.diagonal(a, offset), saves=(), grad_name="DiagonalBackward0")


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """Tensor whose diagonals (``offset``) in the planes ``dim1``/``dim2`` hold the last dim of ``input``."""
    _check_input(input, "diag_embed")
    n = input.ndim + 1
    a, b = wrap_dim(dim1, n), wrap_dim(dim2, n)
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return _diag_embed_op(input, offset=int(offset), dim1=a, dim2=b)


def diag(input, diagonal=0, *, out=None):
    """1-D input: a square matrix with it on diagonal ``diagonal``; 2-D input: a copy of that diagonal."""
    _check_input(input, "diag")
    if input.ndim == 1:
        res = _diag_embed_op(input, offset=int(diagonal), dim1=0, dim2=1)
    elif input.ndim == 2:
        res = _diag_copy_op(input, offset=int(diagonal))
    else:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")
    return write_out(out, res)


def diagflat(input, offset=0):
    """A 2-D tensor with the flattened input on diagonal ``offset``."""
    _check_input(input, "diagflat")
    return _diagflat_op(input, offset=int(offset))


def _block_diag_kernel(*arrays, dtype):
    mats = [a.reshape(1, 1) if a.ndim == 0 else a.reshape(1, a.shape[0]) if a.ndim == 1 else a for a in arrays]
    width = sum(m.shape[1] for m in mats)
    rows, col = [], 0
    for m in mats:
        rows.append(jnp.pad(m.astype(dtype), ((0, 0), (col, width - col - m.shape[1]))))
        col += m.shape[1]
    return jnp.concatenate(rows, axis=0)


_block_diag_op = Op("block_diag", _block_diag_kernel, saves=())


def block_diag(*tensors):
    """Block-diagonal matrix of the inputs (0-D as 1x1, 1-D as one row), with type promotion."""
    for i, t in enumerate(tensors):
        if t.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has "
                               f"{t.ndim} dimensions")
    if not tensors:
        from .creation import zeros

        return zeros(1, 0)
    return _block_diag_op(*tensors, dtype=_promoted(tensors).np)


def cartesian_prod(*tensors):
    """Cartesian product of 1-D tensors as rows of a 2-D tensor (one tensor is returned as is)."""
    from .creation import meshgrid

    for t in tensors:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    if any(t.dtype is not tensors[0].dtype for t in tensors):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    grids = meshgrid(*tensors, indexing="ij")
    return stack([V.reshape(g, (-1,)) for g in grids], 1)


_trace_op = Op("trace", lambda a, *, dtype: jnp.trace(a, dtype=dtype), saves=())


def trace(input):
    """Sum of the main diagonal of a matrix; integer and bool inputs give int64."""
    _check_input(input, "trace")
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    d = input.dtype
    return _trace_op(input, dtype=(d if d.is_floating_point or d.is_complex else D.int64).np)


# ---- cross ----
_cross_op = Op("linalg_cross", lambda a, b, *, dim: jnp.cross(a, b, axis=dim), saves="others")


def linalg_cross(input, other, *, dim=-1, out=None):
    """``torch.linalg.cross``: cross product of 3-vectors along ``dim``, broadcasting the other dims."""
    _check_input(input, "linalg_cross")
    _check_input(other, "linalg_cross", "other")
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    d = wrap_dim(dim, input.ndim)
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got {input.shape[d]} and "
                           f"{other.shape[d]}")
    if input.dtype is not other.dtype:
        raise RuntimeError(f"expected scalar type {scalar_type_name(input.dtype)} but found "
                           f"{scalar_type_name(other.dtype)}")
    shape = _broadcast_shape_pair(input._arr.shape, other._arr.shape)
    a = input if input._arr.shape == shape else V.expand(input, shape)
    b = other if other._arr.shape == shape else V.expand(other, shape)
    return write_out(out, _cross_op(a, b, dim=d))


_CROSS_WARNED = []


def cross(input, other, dim=None, *, out=None):
    """``torch.cross``: like :func:`torch.linalg.cross`; without ``dim`` (deprecated, warns once) it uses
    the first dim of size 3."""
    if dim is None:
        if not _CROSS_WARNED:
            _CROSS_WARNED.append(True)
            warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the "
                          "dim explicitly or simply use torch.linalg.cross.\nThe default value of dim will change to "
                          "agree with that of linalg.cross in a future release.", UserWarning, stacklevel=2)
        dim = next((i for i, n in enumerate(input.shape) if n == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    return linalg_cross(input, other, dim=dim, out=out)


# ---- trapezoid ----
def _trapz_dx(y, dx, *, dim, dtype):
    y = y.astype(dtype)
    n = y.shape[dim]
    if n == 0:
        return jnp.zeros(y.shape[:dim] + y.shape[dim + 1:], dtype)
    ends = lax.index_in_dim(y, 0, dim, False) + lax.index_in_dim(y, n - 1, dim, False)
    return ((jnp.sum(y, axis=dim) - ends * 0.5) * dx).astype(dtype)


def _pairs(y, dim):
    n = y.shape[dim]
    return lax.slice_in_dim(y, 0, max(n - 1, 0), axis=dim), lax.slice_in_dim(y, min(1, n), n, axis=dim)


def _spacing(x, y, dim):
    if x.ndim == 1:
        shape = [1] * y.ndim
        shape[dim] = x.shape[0] - 1
        return jnp.diff(x).reshape(shape)
    return jnp.diff(x, axis=dim)


def _trapz_x(y, x, *, dim, dtype):
    y, x = y.astype(dtype), x.astype(dtype)
    if y.shape[dim] == 0:
        return jnp.zeros(y.shape[:dim] + y.shape[dim + 1:], dtype)
    left, right = _pairs(y, dim)
    return jnp.sum(_spacing(x, y, dim) * (left + right), axis=dim) / 2


def _ctrapz_dx(y, dx, *, dim, dtype):
    left, right = _pairs(y.astype(dtype), dim)
    return jnp.cumsum((dx / 2 * (left + right)).astype(dtype), axis=dim)


def _ctrapz_x(y, x, *, dim, dtype):
    y, x = y.astype(dtype), x.astype(dtype)
    left, right = _pairs(y, dim)
    return jnp.cumsum(_spacing(x, y, dim) * (left + right) / 2, axis=dim)


_trapz_dx_op = Op("trapezoid", _trapz_dx, saves=(), grad_name="MulBackward1")
_trapz_x_op = Op("trapezoid", _trapz_x, saves="inputs", grad_name="DivBackward1")
_ctrapz_dx_op = Op("cumulative_trapezoid", _ctrapz_dx, saves=(), grad_name="CumsumBackward0")
_ctrapz_x_op = Op("cumulative_trapezoid", _ctrapz_x, saves="inputs", grad_name="CumsumBackward0")


def _trapz_args(name, y, x, dx, dim):
    _check_input(y, name, "y")
    d = wrap_dim(dim, y.ndim)
    if (x is not None and dx is not None) or (x is not None and not isinstance(x, Tensor)):
        raise TypeError(f"{name}() received an invalid combination of arguments: pass a Tensor x or a number dx")
    if isinstance(x, Tensor):
        if x.ndim == 1 and x.shape[0] != y.shape[d]:
            raise RuntimeError(f"{name}: There must be one `x` value for each sample point")
        if x.ndim != 1 and x.ndim != y.ndim:
            raise RuntimeError(f"{name}: x must have one dimension or the same number of dimensions as y")
        return d, x, float_dtype_for(result_dtype(y, x))
    dx = 1 if dx is None else dx
    return d, dx, float_dtype_for(result_dtype(y, dx))


def trapezoid(y, x=None, *, dx=None, dim=-1):
    """Integral of ``y`` along ``dim`` by the trapezoid rule, with sample points ``x`` or spacing ``dx``."""
    d, step, dtype = _trapz_args("trapezoid", y, x, dx, dim)
    if isinstance(step, Tensor):
        return _trapz_x_op(y, step, dim=d, dtype=dtype.np)
    return _trapz_dx_op(y, step, dim=d, dtype=dtype.np)


trapz = trapezoid


def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """Running trapezoid-rule integral of ``y`` along ``dim`` (one element shorter than ``y`` there)."""
    d, step, dtype = _trapz_args("cumulative_trapezoid", y, x, dx, dim)
    if isinstance(step, Tensor):
        return _ctrapz_x_op(y, step, dim=d, dtype=dtype.np)
    return _ctrapz_dx_op(y, step, dim=d, dtype=dtype.np)


def _repeat_interleave_method(self, repeats, dim=None, *, output_size=None):
    """``Tensor.repeat_interleave(repeats, dim=None)``."""
    return repeat_interleave(self, repeats, dim, output_size=output_size)


for _name, _fn in (("flip", _flip_method), ("fliplr", fliplr), ("flipud", flipud), ("roll", roll),
                   ("rot90", rot90), ("repeat", repeat), ("tile", _tile_method),
                   ("repeat_interleave", _repeat_interleave_method), ("diag", diag), ("diag_embed", diag_embed),
                   ("diagflat", diagflat), ("trace", trace), ("cross", cross)):
    setattr(Tensor, _name, _fn)
