"""Op family: indexing.

``Tensor.__getitem__`` / ``__setitem__`` follow PyTorch's indexing exactly: ints, slices, ``None``,
``...`` and ``True``/``False`` are applied first as views (``select``, ``slice_view``, ``unsqueeze``),
so basic indexing aliases the base; tensor, list, array and mask indices then gather a copy through
one Op (``IndexBackward0``), and assignment writes through the view (``copy_``/``fill_``) or through
one index_put Op and ``_inplace_from``. Advanced dims are placed like PyTorch: together where the
indexed dims are adjacent, first otherwise. Also here: gather/scatter, index_*, masked_*, nonzero,
take, put.

Differences from PyTorch, all forced by data-dependent shapes or tracing:

* Reading with a bool mask, ``nonzero``, ``argwhere`` and ``masked_select`` need concrete values:
  inside a compiled program they raise a RuntimeError. Writing through a single mask
  (``x[mask] = v``) never needs the count and compiles.
* Out-of-bounds indices raise PyTorch's errors eagerly; inside a compiled program they cannot be
  checked (reads clamp, writes are dropped).
* A 0-d integer tensor index is a ``select`` view eagerly (as in PyTorch, which reads its value);
  inside a compiled program it indexes with the traced value and returns a copy.
* Duplicate indices in a non-accumulating write (setitem, ``index_put``, ``scatter``,
  ``index_copy``, ``put``): the last write wins, deterministically on every backend (PyTorch's CPU
  behaviour; its docs call the result undefined).
"""
import operator
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor, legacy_type_name, scalar_type_name, wrap
from .common import broadcast_shapes, is_scalar, wrap_dim, write_out
from .._compile_errors import DataDependentOpError
from .dispatch import Op
from .pointwise import eq, register
from .views import _alias_op, _mark_view, _src_layout, expand, select, slice_view, unsqueeze

__all__ = ["gather", "scatter", "scatter_add", "scatter_reduce", "index_select", "index_add", "index_copy",
           "index_fill", "index_put", "index_reduce", "masked_fill", "masked_select", "masked_scatter", "nonzero",
           "argwhere", "take", "take_along_dim", "put"]

_MASK_DTYPES = (np.dtype(np.bool_), np.dtype(np.uint8))
_INDEX_DTYPES = (np.dtype(np.int64), np.dtype(np.int32))
_BOOL_INDEX = {True: np.zeros(1, np.int64), False: np.zeros(0, np.int64)}
_C_TYPE = {"float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
           "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
           "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}
_SEQUENCE_WARNING = (
    "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed in pytorch 2.9; "
    "use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be interpreted as tensor index, "
    "x[torch.tensor(seq)], which will result either in an error or a different result")
_DATA_DEPENDENT = ("{what} has a data-dependent output shape, so it cannot run inside a compiled program; compute "
                   "it eagerly, or write the step with torch.where / masked_fill instead")


def _traced(arr):
    return isinstance(arr, jax.core.Tracer)


def _tp_name(obj):
    """CPython's ``tp_name`` of ``obj``'s type, as PyTorch prints it."""
    t = type(obj)
    return t.__name__ if t.__module__ in ("builtins", "__main__") else f"{t.__module__.split('.')[0]}.{t.__name__}"


def _first_oob(arr, n, negative=True):
    """The first value of a concrete index array outside ``[-n, n)`` (``[0, n)``), or None."""
    if _traced(arr) or arr.size == 0:
        return None
    a = np.asarray(arr)
    bad = ((a < -n) if negative else (a < 0)) | (a >= n)
    return int(a[bad][0]) if bad.any() else None


# ---------------------------------------------------------------- kernels
@jax.custom_vjp
def _put_last(at, vals, idx):
    """``at[idx] = vals`` (``idx`` on the leading dims) where, among duplicates, the last write wins."""
    n = len(idx)
    dims = at.shape[:n]
    shape = vals.shape[:vals.ndim - (at.ndim - n)]
    norm = [jnp.broadcast_to(jnp.where(i < 0, i + s, i), shape).astype(jnp.int64) for i, s in zip(idx, dims)]
    lin = jnp.zeros(shape, jnp.int64)
    for i, s in zip(norm, dims):
        lin = lin * s + i
    order = jnp.arange(int(np.prod(shape)), dtype=jnp.int64).reshape(shape)
    last = jnp.full((int(np.prod(dims)),), -1, jnp.int64).at[lin].max(order)
    first = jnp.where(last[lin] == order, norm[0], dims[0])
    return at.at[(first,) + tuple(norm[1:])].set(vals, mode="drop")


def _put_last_fwd(at, vals, idx):
    return _put_last(at, vals, idx), idx


def _put_last_bwd(idx, ct):
    return ct.at[idx].set(0), ct[idx], None


_put_last.defvjp(_put_last_fwd, _put_last_bwd)


@jax.custom_vjp
def _scatter_prod(base, grid, s):
    """``base.at[grid].multiply(s)`` with PyTorch's gradient (JAX has none for repeated indices)."""
    return base.at[grid].multiply(s)


def _scatter_prod_fwd(base, grid, s):
    out = base.at[grid].multiply(s)
    return out, (base, grid, s, out)


def _scatter_prod_bwd(res, ct):
    base, grid, s, out = res
    one = jnp.ones((), base.dtype)
    masked_base = jnp.where(base == 0, one, base)
    g_base = ct * _scatter_prod(masked_base, grid, s) / masked_base
    s_zero = s == 0
    zeros_in_group = jnp.zeros(base.shape, jnp.int32).at[grid].add(s_zero.astype(jnp.int32))[grid]
    single = s_zero & (zeros_in_group == 1)
    without_zero = _scatter_prod(base, grid, jnp.where(single, one, s))
    g_s = jnp.where(single, (ct * without_zero)[grid], (ct * out)[grid] / jnp.where(s_zero, one, s))
    return g_base, None, g_s


_scatter_prod.defvjp(_scatter_prod_fwd, _scatter_prod_bwd)


def _no_derivative(fn, name):
    """``fn`` whose backward raises PyTorch's "derivative ... is not implemented" error."""
    g = jax.custom_vjp(fn, nondiff_argnums=(3,))
    g.defvjp(lambda a, grid, s, reduce: (fn(a, grid, s, reduce), None), _raise_no_derivative(name))
    return g


def _raise_no_derivative(name):
    def bwd(reduce, res, ct):
        raise RuntimeError(f"derivative for {name} is not implemented")
    return bwd


def _lowest(dtype, high=False):
    if jnp.issubdtype(dtype, jnp.floating):
        return jnp.inf if high else -jnp.inf
    if dtype == jnp.bool_:
        return high
    info = jnp.iinfo(dtype)
    return info.max if high else info.min


def _reduce_into(a, grid, s, reduce, include_self):
    """``a`` with ``s`` reduced into the positions ``grid`` (scatter_reduce's semantics)."""
    if reduce == "sum":
        return (a if include_self else a.at[grid].set(0)).at[grid].add(s)
    if reduce == "prod":
        return _scatter_prod(a if include_self else a.at[grid].set(1), grid, s)
    if reduce == "mean":
        total = (a if include_self else a.at[grid].set(0)).at[grid].add(s)
        count = jnp.full(a.shape, 1 if include_self else 0, a.dtype).at[grid].add(jnp.ones(s.shape, a.dtype))
        count = jnp.where(count == 0, jnp.ones((), a.dtype), count)
        if jnp.issubdtype(a.dtype, jnp.inexact):
            return total / count
        return jnp.floor_divide(total, count)
    high = reduce == "amin"
    base = a if include_self else a.at[grid].set(_lowest(a.dtype, high))
    return base.at[grid].min(s) if high else base.at[grid].max(s)


def _legacy_reduce(a, grid, s, reduce):
    return a.at[grid].add(s) if reduce == "add" else a.at[grid].multiply(s)


_legacy_reduce_nd = _no_derivative(_legacy_reduce, "aten::scatter")


def _atleast1(x):
    return x.reshape(1) if x.ndim == 0 else x


def _grid(idx, dim):
    """Index arrays addressing ``idx``'s elements, with ``idx`` itself along ``dim`` (scatter/gather)."""
    return tuple(idx if k == dim else lax.broadcasted_iota(idx.dtype, idx.shape, k) for k in range(idx.ndim))


def _fit(src, shape, dtype):
    """``src`` (an array or a number) cut or filled to ``shape``, as ``dtype``."""
    src = jnp.asarray(src).astype(dtype)
    if src.ndim == 0:
        return jnp.broadcast_to(src, shape)
    src = _atleast1(src)
    return src[tuple(slice(0, n) for n in shape)]


def _index_kernel(a, *idx, perm, pos):
    if perm is not None:
        a = jnp.transpose(a, perm)
    out = a[idx]
    if pos:
        nb = out.ndim - (a.ndim - len(idx))
        out = jnp.moveaxis(out, tuple(range(nb)), tuple(range(pos, pos + nb)))
    return out


def _index_put_kernel(a, v, *idx, perm, pos, accumulate):
    at = jnp.transpose(a, perm) if perm is not None else a
    rest = at.shape[len(idx):]
    b = jnp.broadcast_shapes(*(i.shape for i in idx))
    vals = jnp.broadcast_to(jnp.asarray(v).astype(a.dtype), rest[:pos] + b + rest[pos:])
    if pos:
        vals = jnp.moveaxis(vals, tuple(range(pos, pos + len(b))), tuple(range(len(b))))
    out = at.at[idx].add(vals) if accumulate else _put_last(at, vals, tuple(idx))
    return jnp.transpose(out, tuple(np.argsort(perm))) if perm is not None else out


def _mask_put_kernel(a, mask, v, *, d, accumulate):
    k = mask.ndim
    trail = a.ndim - d - k
    v = jnp.asarray(v).astype(a.dtype)
    c_axis = v.ndim - trail - 1
    if c_axis >= 0 and v.shape[c_axis] == 0:
        return a
    if c_axis >= 0 and v.shape[c_axis] != 1:
        full = jnp.broadcast_to(v, a.shape[:d] + (v.shape[c_axis],) + a.shape[d + k:])
        pos = jnp.maximum(jnp.cumsum(mask.reshape(-1)) - 1, 0).reshape(mask.shape)
        vals = jnp.take(full, pos, axis=d)
    elif c_axis >= 0:
        vals = v.reshape(v.shape[:c_axis] + (1,) * k + v.shape[c_axis + 1:])
    else:
        vals = v
    m = mask.astype(jnp.bool_).reshape(mask.shape + (1,) * trail)
    return jnp.where(m, a + vals if accumulate else vals, a)


def _gather_kernel(a, idx, *, dim):
    shape = idx.shape
    a, idx = _atleast1(a), _atleast1(idx)
    a = a[tuple(slice(0, n) if k != dim else slice(None) for k, n in enumerate(idx.shape))]
    return jnp.take_along_axis(a, idx, axis=dim).reshape(shape)


def _scatter_kernel(a, idx, src, *, dim, reduce):
    shape = a.shape
    a, idx = _atleast1(a), _atleast1(idx)
    grid = _grid(idx, dim)
    s = _fit(src, idx.shape, a.dtype)
    if reduce is None:
        out = _put_last(a, s, grid)
    elif reduce == "scatter_add":
        out = a.at[grid].add(s)
    else:
        out = _legacy_reduce_nd(a, grid, s, reduce)
    return out.reshape(shape)


def _scatter_reduce_kernel(a, idx, src, *, dim, reduce, include_self, along):
    shape = a.shape
    a, s = _atleast1(a), _atleast1(src)
    if along:
        idx = jnp.broadcast_to(idx.reshape((1,) * dim + (-1,) + (1,) * (s.ndim - dim - 1)), s.shape)
    else:
        idx = _atleast1(idx)
        s = _fit(s, idx.shape, a.dtype)
    return _reduce_into(a, _grid(idx, dim), s, reduce, include_self).reshape(shape)


def _index_select_kernel(a, idx, *, dim):
    if a.ndim == 0:
        return jnp.take(a.reshape(1), idx.reshape(-1), axis=0).reshape(())
    return jnp.take(a, idx.reshape(-1), axis=dim)


def _index_add_kernel(a, idx, src, alpha, *, dim):
    shape = a.shape
    a, src = _atleast1(a), _atleast1(src)
    where = (slice(None),) * dim + (idx.reshape(-1),)
    return a.at[where].add(src * jnp.asarray(alpha).astype(a.dtype)).reshape(shape)


def _index_copy_kernel(a, idx, src, *, dim):
    shape = a.shape
    a, src = jnp.moveaxis(_atleast1(a), dim, 0), jnp.moveaxis(_atleast1(src), dim, 0)
    return jnp.moveaxis(_put_last(a, src, (idx.reshape(-1),)), 0, dim).reshape(shape)


def _index_fill_kernel(a, idx, v, *, dim):
    shape = a.shape
    a = _atleast1(a)
    n = a.shape[dim]
    hit = jnp.zeros((n,), jnp.bool_).at[idx.reshape(-1)].set(True)
    hit = hit.reshape((n,) + (1,) * (a.ndim - dim - 1))
    return jnp.where(hit, jnp.asarray(v).astype(a.dtype), a).reshape(shape)


def _masked_fill_kernel(a, mask, v):
    return jnp.where(mask, jnp.asarray(v).astype(a.dtype), a)


def _masked_scatter_kernel(a, mask, src):
    shape = jnp.broadcast_shapes(a.shape, mask.shape)
    a, m = jnp.broadcast_to(a, shape).reshape(-1), jnp.broadcast_to(mask, shape).reshape(-1)
    if src.size == 0:
        return a.reshape(shape)
    pos = jnp.maximum(jnp.cumsum(m) - 1, 0)
    return jnp.where(m, src.reshape(-1)[pos], a).reshape(shape)


def _take_kernel(a, idx):
    return a.reshape(-1)[idx]


def _put_kernel(a, idx, src, *, accumulate):
    flat, i, s = a.reshape(-1), idx.reshape(-1), src.reshape(-1)
    out = flat.at[i].add(s) if accumulate else _put_last(flat, s, (i,))
    return out.reshape(a.shape)


_index_op = Op("index", _index_kernel, saves=())
_masked_select_op = Op("masked_select", _index_kernel, saves=())
_index_put_op = Op("index_put", _index_put_kernel, saves=())
_mask_put_op = Op("index_put", _mask_put_kernel, saves=())
_gather_op = Op("gather", _gather_kernel, saves=())
_scatter_op = Op("scatter", _scatter_kernel, saves=())
_scatter_value_op = Op("scatter", _scatter_kernel, saves=(), grad_name="ScatterBackward1")
_scatter_add_op = Op("scatter_add", _scatter_kernel, saves=())
_scatter_reduce_op = Op("scatter_reduce", _scatter_reduce_kernel, saves=())
_index_reduce_op = Op("index_reduce", _scatter_reduce_kernel, saves=())
_index_select_op = Op("index_select", _index_select_kernel, saves=())
_index_add_op = Op("index_add", _index_add_kernel, saves=())
_index_copy_op = Op("index_copy", _index_copy_kernel, saves=())
_index_fill_op = Op("index_fill", _index_fill_kernel, saves=())
_index_fill_tensor_op = Op("index_fill", _index_fill_kernel, saves=(), grad_name="IndexFillBackward1")
_masked_fill_op = Op("masked_fill", _masked_fill_kernel, saves=())
_masked_fill_tensor_op = Op("masked_fill", _masked_fill_kernel, saves=(), grad_name="MaskedFillBackward1")
_masked_scatter_op = Op("masked_scatter", _masked_scatter_kernel, saves=())
_take_op = Op("take", _take_kernel, saves=())
_put_op = Op("put", _put_kernel, saves=())
_any_op = Op("any", lambda a: jnp.any(a), differentiable=False)


# ---------------------------------------------------------------- parsing an index
def _items(index):
    """PyTorch's ``wrapTuple``: a tuple, or a short list holding slices/sequences/None/..., is a tuple."""
    if isinstance(index, tuple):
        return index
    if isinstance(index, list) and len(index) < 32:
        for x in index:
            if x is None or x is Ellipsis or isinstance(x, (Tensor, slice, list, tuple, range, np.ndarray)):
                warnings.warn(_SEQUENCE_WARNING, UserWarning, stacklevel=3)
                return tuple(index)
    return (index,)


def _item(obj):
    """One index normalised to an int, slice, None, Ellipsis, bool or Tensor."""
    t = type(obj)
    if t is int or t is slice or t is bool or obj is None or obj is Ellipsis or isinstance(obj, Tensor):
        return obj
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, (list, tuple, range, np.ndarray, str, bytes)):
        return _sequence_index(obj)
    try:
        return operator.index(obj)
    except TypeError:
        raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid "
                         f"indices (got {_tp_name(obj)})") from None


def _sequence_index(obj):
    """A list or array index as a tensor: bool/uint8 stay masks, anything else becomes int64."""
    from .creation import tensor

    t = tensor(obj)
    if t._arr.dtype in _MASK_DTYPES or t.dtype is D.int64:
        return t
    return tensor(obj, dtype=D.int64)


def _count_dims(items):
    n = 0
    for obj in items:
        if isinstance(obj, Tensor):
            n += obj.ndim if obj._arr.dtype in _MASK_DTYPES else 1
        elif obj is not None and obj is not Ellipsis and type(obj) is not bool:
            n += 1
    return n


def _select(t, dim, index, real_dim):
    shape = t._arr.shape
    if not shape:
        if index == 0:
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` "
                             "in C++ to convert a 0-dim tensor to a number")
        raise IndexError(f"index {index} is out of bounds for dimension 0 with size 0")
    n = shape[dim]
    if index < -n or index >= n:
        raise IndexError(f"index {index} is out of bounds for dimension {real_dim} with size {n}")
    return select(t, dim, index)


def _slice(t, dim, s):
    step = s.step
    if step is not None:
        step = operator.index(step)
        if step == 0:
            raise ValueError("slice step cannot be zero")
    return slice_view(t, dim, s.start, s.stop, step)


def _is_full(s, n):
    """Whether slice ``s`` keeps a whole dim of size ``n`` (PyTorch then skips the slice op)."""
    start, stop, step = s.start, s.stop, s.step
    return ((start is None or (type(start) is int and start == 0))
            and (step is None or (type(step) is int and step == 1))
            and (stop is None or (type(stop) is int and stop >= n)))


def _alias(t):
    shape, stride, offset = _src_layout(t)
    return _mark_view(_alias_op(t, shape=shape), t, shape, stride, offset)


def _tensor_item(result, dim, t, real_dim, entries):
    """Apply one tensor index at ``dim``: 0-d ints select, 0-d bools add a dim, others are recorded."""
    arr = t._read()
    dt = arr.dtype
    if dt in _MASK_DTYPES:
        if arr.ndim:
            entries.append((dim, arr, "mask"))
            return result, dim + arr.ndim
        result = unsqueeze(result, dim)
        entries.append((dim, arr.reshape(1), "mask") if _traced(arr) else (dim, _BOOL_INDEX[bool(arr)], "idx"))
        return result, dim + 1
    if dt.kind in "iu":
        if not arr.ndim:
            if _traced(arr):
                entries.append((dim, arr, "sel"))
                return result, dim + 1
            return _select(result, dim, int(arr), real_dim), dim
        if dt in _INDEX_DTYPES:
            entries.append((dim, arr, "idx"))
            return result, dim + 1
    raise IndexError("tensors used as indices must be long, int, byte or bool tensors")


def _apply_basic(self, items):
    """PyTorch's ``applySlicing``: apply the basic indices as views, record the advanced ones.

    Returns the view and a list of ``(dim, array, kind)`` (dims of the view; kind is ``idx``,
    ``mask`` or ``sel`` for a traced 0-d int, which removes its dim).
    """
    items = [_item(obj) for obj in items]
    ndim = self.ndim
    spec = _count_dims(items)
    if spec > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    result, dim, entries = self, 0, []
    for i, obj in enumerate(items):
        t = type(obj)
        if t is int:
            result = _select(result, dim, obj, i)
        elif t is slice:
            if not _is_full(obj, result._arr.shape[dim]):
                result = _slice(result, dim, obj)
            dim += 1
        elif obj is None:
            result = unsqueeze(result, dim)
            dim += 1
        elif obj is Ellipsis:
            dim += ndim - spec
        elif t is bool:
            result = unsqueeze(result, dim)
            entries.append((dim, _BOOL_INDEX[obj], "idx"))
            dim += 1
        else:
            result, dim = _tensor_item(result, dim, obj, i, entries)
    return result, entries


def _check_mask(shape, mask, d):
    for j, n in enumerate(mask.shape):
        if d + j >= len(shape) or n != shape[d + j]:
            raise IndexError(f"The shape of the mask {list(mask.shape)} at index {j} does not match the shape of the "
                             f"indexed tensor {list(shape)} at index {d + j}")


def _expand_masks(src, entries, what="Indexing with a boolean mask"):
    """Replace each mask by the index arrays of its true elements (needs concrete values)."""
    if all(k != "mask" for _, _, k in entries):
        return entries
    out = []
    for d, arr, kind in entries:
        if kind != "mask":
            out.append((d, arr, kind))
            continue
        _check_mask(src.shape, arr, d)
        if _traced(arr):
            raise DataDependentOpError(_DATA_DEPENDENT.format(what=what))
        for j, col in enumerate(np.nonzero(np.asarray(arr))):
            out.append((d + j, col.astype(np.int64), "idx"))
    return out


def _plan(src, entries):
    """Check the advanced indices; return (arrays, perm, pos, result shape) for the index kernels."""
    shape = src.shape
    real = [a.shape for _, a, k in entries if k != "sel"]
    try:
        b = np.broadcast_shapes(*real)
    except ValueError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together with shapes "
                         + ", ".join(str(list(s)) for s in real)) from None
    ordinal = 0
    for d, a, kind in entries:
        if kind == "sel":
            continue
        bad = _first_oob(a, shape[d])
        if bad is not None:
            raise IndexError(f"index {bad} is out of bounds for dimension {ordinal} with size {shape[d]}")
        ordinal += 1
    dims = [d for d, _, _ in entries]
    rest = [d for d in range(len(shape)) if d not in dims]
    perm = tuple(dims + rest)
    remaining = [d for d in range(len(shape)) if all(d != e or k != "sel" for e, _, k in entries)]
    where = [remaining.index(d) for d, _, k in entries if k != "sel"]
    pos = where[0] if where and where == list(range(where[0], where[0] + len(where))) else 0
    rest_shape = tuple(shape[d] for d in rest)
    result = rest_shape[:pos] + tuple(b) + rest_shape[pos:]
    return [a for _, a, _ in entries], (None if perm == tuple(range(len(shape))) else perm), pos, result


# ---------------------------------------------------------------- __getitem__
def __getitem__(self, index):
    """``self[index]`` with PyTorch's semantics: basic indices give views, advanced ones copies."""
    t = type(index)
    if t is int:
        return _select(self, 0, index, 0)
    if t is slice:
        return _slice(self, 0, index)
    if index is None:
        return unsqueeze(self, 0)
    if index is Ellipsis:
        return _alias(self)
    result, entries = _apply_basic(self, _items(index))
    if not entries:
        return _alias(result) if result is self else result
    return _gather(result, entries, _index_op)


def _gather(src, entries, the_op):
    entries = _expand_masks(src, entries)
    arrays, perm, pos, _ = _plan(src, entries)
    return the_op(src, *arrays, perm=perm, pos=pos)


# ---------------------------------------------------------------- __setitem__
def _setitem_value(self, value):
    if isinstance(value, Tensor) or isinstance(value, (int, float, complex, np.integer)):
        return value
    raise TypeError(f"can't assign a {_tp_name(value)} to a {legacy_type_name(self._arr.dtype)}")


def _strip_leading_ones(value):
    shape = value.shape
    k = 0
    while k < len(shape) and shape[k] == 1:
        k += 1
    return value.view(shape[k:]) if k else value


def _copy_to(dst, value):
    """PyTorch's ``copy_to``: copy (same shape), fill (number or 0-d), or broadcast-copy."""
    if not isinstance(value, Tensor):
        return dst.fill_(value)
    if value.shape == dst.shape:
        return dst.copy_(value)
    if value.ndim == 0:
        return dst.fill_(value)
    return dst.copy_(_strip_leading_ones(value))


def __setitem__(self, index, value):
    """``self[index] = value``: writes through the indexed view, or one index_put for advanced indices.

    ``value`` is a number (converted to this dtype) or a tensor (broadcast; cast for basic indices,
    the same dtype required for advanced ones, as in PyTorch). Differs from PyTorch: duplicate
    indices write the last value deterministically on every backend.
    """
    value = _setitem_value(self, value)
    if type(index) is bool or index is None:
        if index is not False:
            _copy_to(unsqueeze(self, 0), value)
        return
    if index is Ellipsis:
        _copy_to(self, value)
        return
    sliced, entries = _apply_basic(self, _items(index))
    if not entries:
        _copy_to(sliced, value)
        return
    if isinstance(value, Tensor):
        value = _strip_leading_ones(value)
    sliced._inplace_from(_put(sliced, entries, value, False), "IndexPutBackward0")


def __delitem__(self, index):
    raise TypeError("Tensor does not support deleting items")


def _put(target, entries, value, accumulate):
    """``target`` with ``value`` written (or added) at the advanced ``entries``; out of place."""
    single_mask = len(entries) == 1 and entries[0][2] == "mask"
    if single_mask and not accumulate and (not isinstance(value, Tensor) or value.numel() == 1):
        if entries[0][1].dtype != np.bool_:
            raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype unsigned char")
    elif isinstance(value, Tensor) and value.dtype is not target.dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{scalar_type_name(target.dtype)} for the destination and {scalar_type_name(value.dtype)} "
                           "for the source.")
    if single_mask:
        return _mask_put(target, entries[0], value, accumulate)
    entries = _expand_masks(target, entries, "index_put with a boolean mask among other indices")
    arrays, perm, pos, result = _plan(target, entries)
    _check_value_shape(value, result)
    return _index_put_op(target, value, *arrays, perm=perm, pos=pos, accumulate=accumulate)


def _check_value_shape(value, result, exact=None):
    """``value`` broadcasts to the indexing result shape; ``exact()`` gives the shape to report."""
    vshape = tuple(value.shape) if isinstance(value, Tensor) else ()
    try:
        ok = np.broadcast_shapes(vshape, result) == tuple(result)
    except ValueError:
        ok = False
    if not ok:
        shown = list(result) if exact is None else list(exact())
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(vshape)} cannot be broadcast to indexing "
                           f"result of shape {shown}")


def _mask_put(target, entry, value, accumulate):
    """Write through one bool mask with ``where`` (no data-dependent shape, so it compiles)."""
    d, mask, _ = entry
    shape = target.shape
    _check_mask(shape, mask, d)
    k = mask.ndim
    vshape = tuple(value.shape) if isinstance(value, Tensor) else ()
    c_axis = len(vshape) - (len(shape) - d - k) - 1
    per_element = c_axis >= 0 and vshape[c_axis] != 1
    known = not _traced(mask)

    def with_count():
        return shape[:d] + (int(np.count_nonzero(np.asarray(mask))),) + shape[d + k:]

    if per_element and known:
        _check_value_shape(value, with_count())
    else:
        guess = shape[:d] + (vshape[c_axis] if per_element else 1,) + shape[d + k:]
        _check_value_shape(value, guess, with_count if known else None)
    return _mask_put_op(target, mask, value, d=d, accumulate=accumulate)


# ---------------------------------------------------------------- index_put
def _index_entries(input, indices, fn, position):
    """Entries for ``index_put``-style index lists (tensors on consecutive leading dims)."""
    if not isinstance(indices, (tuple, list)):
        raise TypeError(f"{fn}(): argument 'indices' (position 2) must be tuple of Tensors, not "
                        f"{type(indices).__name__}")
    entries, dim = [], 0
    for k, t in enumerate(indices):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {k} in argument {position}, but got {type(t).__name__}")
        arr = t._read()
        if arr.dtype in _MASK_DTYPES:
            entries.append((dim, arr, "mask"))
            dim += max(arr.ndim, 1)
        elif arr.dtype in _INDEX_DTYPES:
            entries.append((dim, arr, "idx"))
            dim += 1
        else:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    if dim > input.ndim:
        raise IndexError(f"too many indices for tensor of dimension {input.ndim} (got {dim})")
    return entries


def index_put(input, indices, values, accumulate=False):
    """``input`` with ``values`` put (or, with ``accumulate``, added) at ``input[indices]``.

    Differs from PyTorch: duplicate indices without ``accumulate`` keep the last value.
    """
    if not isinstance(values, Tensor):
        raise TypeError(f"index_put(): argument 'values' (position 3) must be Tensor, not {type(values).__name__}")
    return _put(input, _index_entries(input, indices, "index_put", 1), values, bool(accumulate))


# ---------------------------------------------------------------- gather / scatter
def _check_index_dtype(index, fn, message=None):
    if index._arr.dtype not in _INDEX_DTYPES:
        raise RuntimeError(message or f"{fn}(): Expected dtype int32/int64 for index")


def _check_bounds(index, n, message, error=RuntimeError, negative=True):
    bad = _first_oob(index._read(), n, negative)
    if bad is not None:
        raise error(message.format(v=bad, n=n))


def _nonempty_shape(t):
    return tuple(t.shape) or (1,)


def _scatter_checks(input, dim, index, src):
    """PyTorch's scatter dtype and shape checks; returns the wrapped dim."""
    d = wrap_dim(dim, input.ndim)
    _check_index_dtype(index, "scatter")
    ishape, xshape = _nonempty_shape(index), _nonempty_shape(input)
    if len(ishape) != len(xshape):
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if isinstance(src, Tensor):
        sshape = _nonempty_shape(src)
        if len(sshape) != len(ishape):
            raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
        if any(ishape[k] > sshape[k] or (k != d and ishape[k] > xshape[k]) for k in range(len(ishape))):
            raise RuntimeError(f"Expected index {list(index.shape)} to be no larger than self {list(input.shape)} "
                               f"apart from dimension {d} and to be no larger size than src {list(src.shape)}")
        if src.dtype is not input.dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    elif any(k != d and ishape[k] > xshape[k] for k in range(len(ishape))):
        raise RuntimeError(f"Expected index {list(index.shape)} to be no larger than self {list(input.shape)} apart "
                           f"from dimension {d}")
    _check_bounds(index, xshape[d], f"index {{v}} is out of bounds for dimension {d} with size {{n}}",
                  negative=False)
    return d


def gather(input, dim, index, *, sparse_grad=False, out=None):
    """Values of ``input`` along ``dim`` at ``index`` (``out[i][j] = input[i][index[i][j]]`` for dim 1).

    ``sparse_grad`` is accepted and ignored: gradients are always dense.
    """
    d = wrap_dim(dim, input.ndim)
    _check_index_dtype(index, "gather")
    ishape, xshape = _nonempty_shape(index), _nonempty_shape(input)
    if len(ishape) != len(xshape):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for k in range(len(ishape)):
        if k != d and ishape[k] > xshape[k]:
            raise RuntimeError(f"Size does not match at dimension {k} expected index {list(index.shape)} to be no "
                               f"larger than self {list(input.shape)} apart from dimension {d}")
    _check_bounds(index, xshape[d], f"index {{v}} is out of bounds for dimension {d} with size {{n}}",
                  negative=False)
    return write_out(out, _gather_op(input, index, dim=d))


def _src_or_value(src, value, fn):
    if src is not None and value is not None:
        raise TypeError(f"{fn}() received an invalid combination of arguments - got both src and value")
    src = value if src is None else src
    if src is None:
        raise TypeError(f"{fn}() missing required argument 'src' or 'value'")
    if not isinstance(src, Tensor) and not is_scalar(src):
        raise TypeError(f"{fn}(): argument 'src' must be Tensor or Number, not {type(src).__name__}")
    return src


def scatter(input, dim, index, src=None, value=None, *, reduce=None, out=None):
    """``input`` with ``src`` (a tensor, or the number ``value``) written along ``dim`` at ``index``.

    ``reduce='add'``/``'multiply'`` combines instead of overwriting (no gradient, as in PyTorch).
    Differs from PyTorch: duplicate indices keep the last value deterministically.
    """
    src = _src_or_value(src, value, "scatter")
    if reduce is not None and reduce not in ("add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    d = _scatter_checks(input, dim, index, src)
    the_op = _scatter_op if isinstance(src, Tensor) else _scatter_value_op
    return write_out(out, the_op(input, index, src, dim=d, reduce=reduce))


def scatter_add(input, dim, index, src, *, out=None):
    """``input`` with ``src`` added along ``dim`` at ``index`` (duplicates accumulate)."""
    d = _scatter_checks(input, dim, index, src)
    return write_out(out, _scatter_add_op(input, index, src, dim=d, reduce="scatter_add"))


_SCATTER_REDUCES = ("sum", "prod", "mean", "amax", "amin")


def scatter_reduce(input, dim, index, src, reduce, *, include_self=True, out=None):
    """``input`` with ``src`` reduced (sum, prod, mean, amax, amin) into it along ``dim`` at ``index``.

    Integer ``mean`` rounds down; ``max``/``min`` are accepted for amax/amin, as in PyTorch.
    """
    reduce = {"max": "amax", "min": "amin"}.get(reduce, reduce)
    if reduce not in _SCATTER_REDUCES:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    d = _scatter_checks(input, dim, index, src)
    return write_out(out, _scatter_reduce_op(input, index, src, dim=d, reduce=reduce,
                                             include_self=bool(include_self), along=False))


# ---------------------------------------------------------------- index_* along one dim
def _vector_index(index, message, error=IndexError):
    if index.ndim > 1:
        raise error(message)


def _check_source(input, source, fn):
    """index_add / index_reduce: ``source`` has ``input``'s dtype; returns both (non-empty) shapes."""
    if source.dtype is not input.dtype:
        raise RuntimeError(f"{fn}(): self ({scalar_type_name(input.dtype)}) and source "
                           f"({scalar_type_name(source.dtype)}) must have the same scalar type")
    return _nonempty_shape(input), _nonempty_shape(source)


def index_select(input, dim, index, *, out=None):
    """The slices of ``input`` along ``dim`` at the positions in the 1-D ``index``."""
    d = wrap_dim(dim, input.ndim)
    _vector_index(index, "index_select(): Index is supposed to be a vector")
    _check_index_dtype(index, "index_select", message="index_select(): Expected dtype int32 or int64 for index")
    if input.ndim == 0:
        if index.numel() != 1:
            raise IndexError(f"index_select(): Index to scalar can have only 1 value, got {index.numel()} value(s)")
        _check_bounds(index, 1, "index out of range in self", IndexError, negative=False)
    else:
        _check_bounds(index, input.shape[d], "INDICES element is out of DATA bounds, id={v} axis_dim={n}",
                      negative=False)
    return write_out(out, _index_select_op(input, index, dim=d))


def index_add(input, dim, index, source, *, alpha=1, out=None):
    """``input`` with ``alpha * source`` added along ``dim`` at ``index`` (duplicates accumulate)."""
    d = wrap_dim(dim, input.ndim)
    _check_index_dtype(index, "index_add", message="index_add_(): Expected dtype int32/int64 for index but got: "
                       f"{scalar_type_name(index.dtype)}")
    if index.ndim > 1:
        raise IndexError(f"index_add_(): Index is supposed to be a vector, but got dim: {index.ndim} with type: "
                         f"{scalar_type_name(index.dtype)} and size: {list(index.shape)}")
    xshape, sshape = _check_source(input, source, "index_add_")
    if index.numel() != sshape[d]:
        raise RuntimeError(f"index_add_(): Number of indices ({index.numel()}) should be equal to source.size(dim): "
                           f"({sshape[d]}), for dim: {d}")
    if xshape[:d] + xshape[d + 1:] != sshape[:d] + sshape[d + 1:]:
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the specified dimension. "
                           f"Got self.shape = {list(input.shape)} source.shape = {list(source.shape)}")
    _check_bounds(index, xshape[d], f"index {{v}} is out of bounds for dimension {d} with size {{n}}",
                  negative=False)
    return write_out(out, _index_add_op(input, index, source, alpha, dim=d))


def _joined(shape, d):
    return " ".join(str(n) for k, n in enumerate(shape) if k != d)


def index_copy(input, dim, index, source, *, out=None):
    """``input`` with the slices of ``source`` copied along ``dim`` at ``index``.

    Differs from PyTorch: duplicate indices keep the last slice deterministically.
    """
    d = wrap_dim(dim, input.ndim)
    if index.dtype is not D.int64:
        raise RuntimeError(f"index_copy_(): Expected a long tensor for index, but got {scalar_type_name(index.dtype)}")
    if index.ndim > 1:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {index.ndim})")
    xshape, sshape = _nonempty_shape(input), _nonempty_shape(source)
    if index.numel() != sshape[d]:
        raise IndexError(f"index_copy_(): Number of indices ({index.numel()}) should be equal to source.size(dim) "
                         f"({sshape[d]})")
    if xshape[:d] + xshape[d + 1:] != sshape[:d] + sshape[d + 1:]:
        raise RuntimeError("index_copy_(): Source/destination tensor must have same slice shapes. Destination slice "
                           f"shape: {_joined(xshape, d)} at dimension {d} and source slice shape: "
                           f"{_joined(sshape, d)} at dimension 0.")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"index_copy_(): self and source expected to have the same dtype, but got (self) "
                           f"{scalar_type_name(input.dtype)} and (source) {scalar_type_name(source.dtype)}")
    _check_bounds(index, xshape[d], f"index_copy_(): index {{v}} is out of bounds for dimension {d} with size {{n}}",
                  IndexError, negative=False)
    return write_out(out, _index_copy_op(input, index, source, dim=d))


def index_fill(input, dim, index, value):
    """``input`` with ``value`` (a number or 0-d tensor) at the slices along ``dim`` listed in ``index``."""
    d = wrap_dim(dim, input.ndim)
    if index.dtype is not D.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    _vector_index(index, "Index has to be a vector/scalar", RuntimeError)
    n = _nonempty_shape(input)[d]
    _check_bounds(index, n, f"index {{v}} is out of bounds for dimension {d} with size {{n}}", IndexError)
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError("index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value.ndim} dimension(s).")
        return _index_fill_tensor_op(input, index, value, dim=d)
    return _index_fill_op(input, index, value, dim=d)


_INDEX_REDUCES = ("prod", "mean", "amax", "amin")


def index_reduce(input, dim, index, source, reduce, *, include_self=True, out=None):
    """``input`` with the slices of ``source`` reduced (prod, mean, amax, amin) along ``dim`` at ``index``."""
    if reduce not in _INDEX_REDUCES:
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got {reduce}.")
    d = wrap_dim(dim, input.ndim)
    _check_index_dtype(index, "index_reduce", message="index_reduce_(): Expected dtype int32/int64 for index but "
                       f"got: {scalar_type_name(index.dtype)}")
    _vector_index(index, "index_reduce_(): Index is supposed to be a vector")
    xshape, sshape = _check_source(input, source, "index_reduce_")
    if index.numel() != sshape[d]:
        raise RuntimeError(f"index_reduce_(): Number of indices ({index.numel()}) should be equal to "
                           f"source.size(dim): ({sshape[d]}), for dim: {d}")
    if xshape[:d] + xshape[d + 1:] != sshape[:d] + sshape[d + 1:]:
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the specified dimension. "
                           f"Got self.shape = {list(input.shape)} source.shape = {list(source.shape)}")
    _check_bounds(index, xshape[d], "index out of range in self", IndexError, negative=False)
    return write_out(out, _index_reduce_op(input, index, source, dim=d, reduce=reduce,
                                           include_self=bool(include_self), along=True))


# ---------------------------------------------------------------- masked_*
def _check_mask_dtype(mask, message):
    if mask.dtype is not D.bool:
        raise RuntimeError(message)


def masked_fill(input, mask, value):
    """``input`` with ``value`` (a number or 0-d tensor) where ``mask`` is true (``mask`` broadcasts)."""
    _check_mask_dtype(mask, "masked_fill_ only supports boolean masks, but got mask with dtype "
                      f"{_C_TYPE.get(mask.dtype.name, mask.dtype.name)}")
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value.ndim} dimension(s).")
        broadcast_shapes(tuple(input.shape), tuple(mask.shape))
        return _masked_fill_tensor_op(input, mask, value)
    if not is_scalar(value):
        raise TypeError(f"masked_fill(): argument 'value' must be Number, not {type(value).__name__}")
    broadcast_shapes(tuple(input.shape), tuple(mask.shape))
    return _masked_fill_op(input, mask, value)


def masked_select(input, mask, *, out=None):
    """The elements of ``input`` where ``mask`` is true, as a 1-D tensor (both broadcast). Eager only."""
    _check_mask_dtype(mask, "masked_select: expected BoolTensor for mask")
    shape = broadcast_shapes(tuple(input.shape), tuple(mask.shape)) or (1,)
    src = expand(input, shape) if tuple(input.shape) != shape else input
    m = mask._read()
    if _traced(m):
        raise DataDependentOpError(_DATA_DEPENDENT.format(what="masked_select"))
    cols = np.nonzero(np.broadcast_to(np.asarray(m).reshape(mask.shape or (1,)), shape))
    arrays, perm, pos, _ = _plan(src, [(d, c.astype(np.int64), "idx") for d, c in enumerate(cols)])
    return write_out(out, _masked_select_op(src, *arrays, perm=perm, pos=pos))


def masked_scatter(input, mask, source):
    """``input`` with consecutive elements of ``source`` written where ``mask`` is true (both broadcast)."""
    if mask.dtype is not D.bool:
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with dtype "
                           f"{scalar_type_name(mask.dtype)}")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"masked_scatter: expected self and source to have same dtypes but got"
                           f"{scalar_type_name(input.dtype)} and {scalar_type_name(source.dtype)}")
    shape = broadcast_shapes(tuple(input.shape), tuple(mask.shape))
    m = mask._read()
    if not _traced(m):
        count = int(np.count_nonzero(np.broadcast_to(np.asarray(m), shape)))
        if source.numel() < count:
            raise RuntimeError("Number of elements of source < number of ones in mask")
    return _masked_scatter_op(input, mask, source)


# ---------------------------------------------------------------- nonzero, take, put
def nonzero(input, *, out=None, as_tuple=False):
    """Indices of the nonzero elements: an ``(n, ndim)`` int64 tensor, or a tuple of 1-D tensors.

    Eager only (the count is data-dependent); computed on the host from the concrete values.
    """
    arr = input._read()
    if _traced(arr):
        raise DataDependentOpError(_DATA_DEPENDENT.format(what="nonzero"))
    host = np.asarray(arr)
    if as_tuple:
        return tuple(wrap(jnp.asarray(c, jnp.int64)) for c in np.nonzero(host.reshape(host.shape or (1,))))
    if host.ndim == 0:
        found = np.zeros((int(host != 0), 0), np.int64)
    else:
        found = np.stack(np.nonzero(host), -1)
    return write_out(out, wrap(jnp.asarray(found, jnp.int64)))


def argwhere(input):
    """``nonzero(input)``: an ``(n, ndim)`` tensor of the indices of nonzero elements. Eager only."""
    return nonzero(input)


def take(input, index):
    """``input.flatten()[index]``, shaped like ``index``."""
    if index.dtype is not D.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {scalar_type_name(index.dtype)}")
    _check_bounds(index, input.numel(), "out of range: tried to access index {v} on a tensor of {n} elements.",
                  IndexError)
    return _take_op(input, index)


def take_along_dim(input, indices, dim=None, *, out=None):
    """Values of ``input`` at ``indices`` along ``dim`` (both broadcast apart from ``dim``), or flat."""
    if dim is None:
        return gather(input.reshape(-1), 0, indices.reshape(-1), out=out)
    if indices.dtype is not D.int64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{scalar_type_name(indices.dtype)}")
    if input.ndim != indices.ndim:
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same number of dimensions, "
                           f"but got {input.ndim} dimensions for input, and {indices.ndim} dimensions for indices")
    d = wrap_dim(dim, input.ndim)
    target = list(input.shape)
    target[d] = indices.shape[d]
    shape = list(broadcast_shapes(tuple(target), tuple(indices.shape)))
    idx = expand(indices, shape) if list(indices.shape) != shape else indices
    shape[d] = input.shape[d]
    src = expand(input, shape) if list(input.shape) != shape else input
    return gather(src, d, idx, out=out)


def put(input, index, source, accumulate=False):
    """``input`` with ``source``'s elements written (or added) at the flat positions ``index``.

    Differs from PyTorch: duplicate indices without ``accumulate`` keep the last value.
    """
    if index.dtype is not D.int64:
        raise RuntimeError(f"put_(): Expected a long tensor for index, but got {scalar_type_name(index.dtype)}")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"put_(): self and source expected to have the same dtype, but got self.dtype = "
                           f"{scalar_type_name(input.dtype)} and source.dtype = {scalar_type_name(source.dtype)}")
    if source.numel() != index.numel():
        raise IndexError(f"put_(): Expected source and index to have the same number of elements, but got "
                         f"source.numel() = {source.numel()}, index.numel() = {index.numel()}")
    _check_bounds(index, input.numel(), "out of range: tried to access index {v} on a tensor of {n} elements.",
                  IndexError)
    return _put_op(input, index, source, accumulate=bool(accumulate))


# ---------------------------------------------------------------- __contains__ and methods
def __contains__(self, element):
    """``element in self``: whether any element equals ``element`` (a number or a broadcastable tensor)."""
    if isinstance(element, Tensor):
        return bool(_any_op(eq(element, self)).item())
    if is_scalar(element):
        return bool(_any_op(eq(self, element)).item())
    raise RuntimeError(f"Tensor.__contains__ only supports Tensor or scalar, but you passed in a {type(element)}.")


def _index_put_method(self, indices, values, accumulate=False):
    if not isinstance(values, Tensor):
        raise TypeError(f"index_put(): argument 'values' (position 2) must be Tensor, not {type(values).__name__}")
    return _put(self, _index_entries(self, indices, "index_put", 0), values, bool(accumulate))


Tensor.__getitem__ = __getitem__
Tensor.__setitem__ = __setitem__
Tensor.__delitem__ = __delitem__
Tensor.__contains__ = __contains__
register("gather", gather, inplace=False)
for _name in ("scatter", "scatter_add", "scatter_reduce", "index_add", "index_copy", "index_fill",
              "index_reduce", "masked_fill", "masked_scatter", "put"):
    register(_name, globals()[_name])
register("index_put", _index_put_method)
for _name in ("index_select", "masked_select", "nonzero", "argwhere", "take", "take_along_dim"):
    setattr(Tensor, _name, globals()[_name])
