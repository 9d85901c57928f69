"""Helpers shared by the op families: argument checks with PyTorch's errors, promotion."""
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, wrap

__all__ = ["wrap_dim", "wrap_dims", "result_dtype", "broadcast_shapes", "as_tensor_arg", "write_out",
           "float_dtype_for", "np_dtype", "is_scalar", "tensor_type_error"]

_SCALARS = (int, float, bool, complex, np.number, np.bool_)


def is_scalar(x):
    """Whether ``x`` is a Python (or numpy) number, not a tensor."""
    return isinstance(x, _SCALARS)


def wrap_dim(dim, ndim):
    """A non-negative dim index for a tensor of ``ndim`` dims, with PyTorch's IndexError."""
    if isinstance(dim, Tensor):
        dim = dim.__index__()
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if dim < lo or dim > hi:
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})")
    return int(dim) % max(ndim, 1)


def wrap_dims(dims, ndim):
    """Normalise a dim or a sequence of dims; repeated dims raise like PyTorch."""
    if dims is None:
        return tuple(range(ndim))
    if isinstance(dims, (int, np.integer)):
        return (wrap_dim(dims, ndim),)
    out = tuple(wrap_dim(d, ndim) for d in dims)
    seen = set()
    for d in out:
        if d in seen:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
        seen.add(d)
    return out


from ..random import _compiling  # noqa: E402

_SCALAR_ARRAYS = {}
_SCALAR_CACHE_SIZE = 4096


def scalar_operand(value, np_dtype):
    """A Python number as an op argument of ``np_dtype``.

    Numbers seen before become cached 0-d JAX arrays (a jitted call takes those faster than
    Python numbers); first sightings pass through as Python numbers, so a value that changes
    every step (a learning rate) costs no array creation. While a compiled program is traced they
    stay Python numbers (literals in the program, not captured arrays).
    """
    if _compiling[0]:
        return value
    key = (type(value), value, np_dtype)
    hit = _SCALAR_ARRAYS.get(key)
    if hit is None:
        if len(_SCALAR_ARRAYS) >= _SCALAR_CACHE_SIZE:
            _SCALAR_ARRAYS.clear()
        _SCALAR_ARRAYS[key] = 1
        return value
    if hit.__class__ is int:
        import jax.numpy as jnp

        hit = _SCALAR_ARRAYS[key] = jnp.asarray(value, np_dtype)
    return hit


_PAIR_DTYPES = {}


def result_dtype(*args):
    """torch's result_type over tensors and Python scalars."""
    if len(args) == 2:
        a, b = args
        if isinstance(a, Tensor):
            da = a._arr.dtype
            if isinstance(b, Tensor):
                db = b._arr.dtype
                if da == db:
                    return D.from_np(da)
            elif b.__class__ in (int, float, bool):
                key = (da, a._arr.ndim == 0, b.__class__, D._default[0])
                hit = _PAIR_DTYPES.get(key)
                if hit is None:
                    hit = _PAIR_DTYPES[key] = D.result_type_of([] if key[1] else [D.from_np(da)],
                                                               [D.from_np(da)] if key[1] else [],
                                                               [D.scalar_dtype(b)])
                return hit
    dims, zeros, scalars = [], [], []
    for x in args:
        if isinstance(x, Tensor):
            (dims if x._arr.ndim else zeros).append(D.from_np(x._arr.dtype))
        elif x is not None:
            scalars.append(D.scalar_dtype(x))
    return D.result_type_of(dims, zeros, scalars)


def float_dtype_for(d):
    """The dtype a float-only op computes in: integers and bool go to the default dtype."""
    return d if (d.is_floating_point or d.is_complex) else D.get_default_dtype()


def np_dtype(d):
    return d.np


def broadcast_shapes(*shapes):
    """Broadcast shapes like PyTorch, raising its RuntimeError naming the mismatch."""
    first = shapes[0]
    if all(s == first for s in shapes):
        return tuple(first)
    ndim = max(len(s) for s in shapes)
    out = [1] * ndim
    for s in shapes:
        for i, n in enumerate(s):
            j = ndim - len(s) + i
            if n == 1:
                continue
            if out[j] == 1:
                out[j] = n
            elif out[j] != n:
                raise RuntimeError(f"The size of tensor a ({out[j]}) must match the size of tensor b ({n}) "
                                   f"at non-singleton dimension {j}")
    return tuple(out)


def as_tensor_arg(x, name="other"):
    """Accept a Tensor or a Python number as an op argument; TypeError otherwise."""
    if isinstance(x, Tensor) or is_scalar(x):
        return x
    if isinstance(x, np.ndarray):
        from .creation import tensor

        return tensor(x)
    raise TypeError(f"{name} must be Tensor or Number, not {type(x).__name__}")


def tensor_type_error(fn, x, arg="input"):
    return TypeError(f"{fn}(): argument '{arg}' (position 1) must be Tensor, not {type(x).__name__}")


def write_out(out, result):
    """Implement ``out=``: write ``result`` into ``out`` (resizing it if needed) and return it."""
    if out is None:
        return result
    if isinstance(result, tuple):
        for o, r in zip(out, result):
            write_out(o, r)
        return out
    if not isinstance(out, Tensor):
        raise TypeError(f"argument 'out' must be Tensor, not {type(out).__name__}")
    if out.shape == result.shape:
        return out._inplace_from(result)
    if out._base is not None:
        raise RuntimeError("output with shape must be resizable; got a view")
    arr = result._read()
    if arr.dtype != out._arr.dtype:
        arr = arr.astype(out._arr.dtype)
    fresh = wrap(arr)
    out._st = fresh._st
    out._arr = arr
    out._ver = 0
    out._view = None
    out._vc[0] += 1
    return out
