"""Reductions: sums and means, max/min and their arg/amax forms, std/var, norms, logsumexp, scans
(cumsum, cummax, ...), all/any, order statistics (median, mode, kthvalue, quantile), sorting
(sort, topk) and counting (unique, bincount, histc, searchsorted), each over all elements or over
``dim`` (with ``keepdim``), as PyTorch defines them.

Gradients follow PyTorch's conventions, written into the kernels so that JAX's derivative is
PyTorch's: reductions that pick a value without returning an index (``max()``, ``median()``)
share the gradient evenly among the elements equal to the result; those that return indices
(``max(dim)``, ``sort``, ``topk``, ``median(dim)``, ``cummax``...) gather the values at those
indices, so the whole gradient goes to the returned index. Ops whose output shape depends on the
data (``unique``, ``unique_consecutive``, ``bincount``) run eagerly only.
"""
import builtins
import functools
import math
import operator
import sys
import types
import warnings

import jax
import jax.numpy as jnp
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor, scalar_type_name
from .common import wrap_dim, wrap_dims, write_out
from .dispatch import Op
from .pointwise import maximum, minimum, register

__all__ = ["sum", "mean", "nansum", "nanmean", "prod", "max", "min", "amax", "amin", "aminmax", "argmax", "argmin",
           "std", "var", "std_mean", "var_mean", "norm", "logsumexp", "cumsum", "cumprod", "cummax", "cummin",
           "logcumsumexp", "all", "any", "count_nonzero", "median", "nanmedian", "mode", "kthvalue", "quantile",
           "nanquantile", "sort", "argsort", "msort", "topk", "unique", "unique_consecutive", "bincount", "histc",
           "searchsorted", "bucketize", "return_types"]

_I64 = jnp.int64


# ---- named tuples (torch.return_types) ----
return_types = types.ModuleType("jtorch.return_types", "Named tuples returned by ops with several outputs.")
sys.modules[return_types.__name__] = return_types


class _StructSeq(tuple):
    """A tuple with named fields, like ``torch.return_types.*``: built from one sequence,
    indexable and unpackable, with the fields as attributes; a JAX pytree."""

    __slots__ = ()
    _names = ()

    def __new__(cls, sequence):
        seq = tuple(sequence)
        if len(seq) != len(cls._names):
            raise TypeError(f"torch.return_types.{cls.__name__}() takes a {len(cls._names)}-sequence "
                            f"({len(seq)}-sequence given)")
        return tuple.__new__(cls, seq)

    def __repr__(self):
        fields = ",\n".join(f"{n}={v!r}" for n, v in zip(self._names, self))
        return f"torch.return_types.{type(self).__name__}(\n{fields})"

    def __reduce__(self):
        return (type(self), (tuple(self),))


def structseq(name, fields):
    """The ``return_types.<name>`` type with these fields (made on first use; shared by op families)."""
    cls = getattr(return_types, name, None)
    if cls is None:
        attrs = {"__slots__": (), "_names": tuple(fields), "__module__": return_types.__name__}
        attrs.update({f: property(operator.itemgetter(i)) for i, f in enumerate(fields)})
        cls = type(name, (_StructSeq,), attrs)
        jax.tree_util.register_pytree_node(cls, lambda s: (tuple(s), None), lambda _, c, cls=cls: cls(c))
        setattr(return_types, name, cls)
    return cls


_VI = ("values", "indices")
_Max, _Min, _Median, _NanMedian, _Mode, _Kth, _Sort, _Topk, _Cummax, _Cummin = (
    structseq(n, _VI) for n in ("max", "min", "median", "nanmedian", "mode", "kthvalue", "sort", "topk", "cummax",
                                "cummin"))
_Aminmax = structseq("aminmax", ("min", "max"))


# ---- argument helpers ----
def _dims(input, dim):
    """Normalised reduction axes: None for all (also for any dim of a 0-d input), else a tuple."""
    if dim is None or (isinstance(dim, (list, tuple)) and len(dim) == 0):
        return None
    axes = wrap_dims(dim, input.ndim)
    return axes if input.ndim else None


def _dim(input, dim, default=None):
    """One wrapped dim (``default`` when None)."""
    return wrap_dim(default if dim is None else dim, input.ndim)


def _size(input, d):
    """Length of dim ``d`` (a 0-d tensor counts as one element)."""
    return input.shape[d] if input.ndim else 1


def _is_float(d):
    return d.is_floating_point or d.is_complex


def _long_if_int(d):
    """The accumulation dtype of sum/prod/cumsum: integers and bool become int64."""
    return d if _is_float(d) else D.int64


def _check_dim_nonempty(input, d, name, shown=None):
    if input.ndim and input.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d if shown is None else shown} to have non-zero size.")


def _check_not_bool(input, name):
    if input.dtype is D.bool:
        raise NotImplementedError(f"\"{name}\" not implemented for 'Bool'")


def _is_traced(t):
    return isinstance(t._read(), jax.core.Tracer)


def _eager_only(name, *tensors):
    """Data-dependent output shapes cannot be traced: fail clearly inside a compiled function."""
    if builtins.any(isinstance(t, Tensor) and _is_traced(t) for t in tensors):
        from .._compile_errors import DataDependentOpError

        raise DataDependentOpError(f"{name}() has an output shape that depends on the data, so it cannot run inside "
                                   f"a compiled (traced) function; call it outside jtorch.compile")


def _on_0d_as_1d(kernel):
    """A ``dim`` kernel that treats a 0-d array as its one-element 1-d version, as PyTorch does."""
    def run(a, *args, dim, **static):
        if a.ndim:
            return kernel(a, *args, dim=dim, **static)
        out = kernel(a.reshape(1), *args, dim=0, **static)
        return tuple(o.reshape(()) for o in out) if isinstance(out, tuple) else out.reshape(())
    return run


def _gather_at(a, idx, dim, keepdim):
    """``(values, indices)`` for indices (with a kept ``dim``): the gradient goes to those indices."""
    values = jnp.take_along_axis(a, idx, axis=dim)
    if not keepdim:
        values, idx = jnp.squeeze(values, dim), jnp.squeeze(idx, dim)
    return values, idx.astype(_I64)


def _nan_mask(a):
    return a != a


# ---- sums, means, products ----
def _sum_kernel(a, *, axis, keepdims, dtype):
    return jnp.sum(a, axis=axis, keepdims=keepdims, dtype=dtype)


def _prod_kernel(a, *, axis, keepdims, dtype):
    return jnp.prod(a, axis=axis, keepdims=keepdims, dtype=dtype)


def _nanmean_kernel(a, *, axis, keepdims, dtype):
    a = a.astype(dtype)
    keep = ~_nan_mask(a)
    total = jnp.sum(jnp.where(keep, a, 0), axis=axis, keepdims=keepdims)
    return total / jnp.sum(keep, axis=axis, keepdims=keepdims).astype(total.dtype)


_sum_op = Op("sum", _sum_kernel, saves=())
_sum_dim_op = Op("sum", _sum_kernel, saves=(), grad_name="SumBackward1")
_mean_op = Op("mean", lambda a, *, axis, keepdims, dtype: jnp.mean(a, axis=axis, keepdims=keepdims, dtype=dtype),
              saves=())
_mean_dim_op = Op("mean", _mean_op.fn, saves=(), grad_name="MeanBackward1")
_nansum_op = Op("nansum", lambda a, *, axis, keepdims, dtype: jnp.nansum(a, axis=axis, keepdims=keepdims, dtype=dtype))
_nanmean_op = Op("nanmean", _nanmean_kernel, grad_name="DivBackward0")
_prod_op = Op("prod", _prod_kernel, saves="inputs+out")
_prod_dim_op = Op("prod", _prod_kernel, saves="inputs+out", grad_name="ProdBackward1")


def sum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Sum of all elements, or over ``dim`` (int or tuple); integer and bool inputs sum to int64."""
    if isinstance(dim, D.dtype):
        dim, dtype = None, dim
    axis = _dims(input, dim)
    the_op = _sum_op if dim is None else _sum_dim_op
    res = the_op(input, axis=axis, keepdims=bool(keepdim), dtype=(dtype or _long_if_int(input.dtype)).np)
    return write_out(out, res)


def nansum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Sum treating NaN as zero (NaN elements get a zero gradient); integers sum to int64."""
    res = _nansum_op(input, axis=_dims(input, dim), keepdims=bool(keepdim),
                     dtype=(dtype or _long_if_int(input.dtype)).np)
    return write_out(out, res)


def mean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Mean of all elements, or over ``dim``; needs a floating or complex dtype."""
    d = dtype or input.dtype
    if not _is_float(d):
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point or "
                           f"complex dtype. Got: {scalar_type_name(d)}")
    the_op = _mean_op if dim is None else _mean_dim_op
    return write_out(out, the_op(input, axis=_dims(input, dim), keepdims=bool(keepdim), dtype=d.np))


def nanmean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Mean of the non-NaN elements (NaN where there are none)."""
    if not _is_float(input.dtype):
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype but got "
                           f"{scalar_type_name(input.dtype)}")
    res = _nanmean_op(input, axis=_dims(input, dim), keepdims=bool(keepdim), dtype=(dtype or input.dtype).np)
    return write_out(out, res)


def prod(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Product of all elements or over one ``dim`` (an int, as in PyTorch); integers give int64.

    The gradient is exact with zeros (the product of the other elements).
    """
    if isinstance(dim, (tuple, list)):
        raise TypeError(f"prod(): argument 'dim' (position 2) must be int, not {type(dim).__name__}")
    the_op = _prod_op if dim is None else _prod_dim_op
    axis = None if dim is None else _dims(input, dim)
    res = the_op(input, axis=axis, keepdims=bool(keepdim), dtype=(dtype or _long_if_int(input.dtype)).np)
    return write_out(out, res)


# ---- max / min ----
def _shared(pick, nan_matches):
    """``pick(a, axis, keepdims)`` (a max/min/median-like reduction) whose gradient is shared
    evenly among the elements equal to the result: PyTorch's ``evenly_distribute_backward``
    (``nan_matches``: a NaN result is matched by the NaN elements; max(), median()) and amax's
    ``grad / count * mask`` (a NaN result gives NaN gradients to its whole slice, written as an
    explicit term because XLA folds ``x * mask`` into a select)."""
    @functools.partial(jax.custom_jvp, nondiff_argnums=(1, 2))
    def reduce(a, axis, keepdims):
        return pick(a, axis, keepdims)

    @reduce.defjvp
    def reduce_jvp(axis, keepdims, primals, tangents):
        (a,), (t,) = primals, tangents
        v = reduce(a, axis, keepdims)
        kept = v if keepdims or axis is None else jnp.expand_dims(v, axis)
        hit = a == kept
        if nan_matches:
            hit = hit | (_nan_mask(kept) & _nan_mask(a))
        hit = hit.astype(t.dtype)
        count = jnp.sum(hit, axis=axis, keepdims=keepdims)
        out = jnp.sum(t * hit, axis=axis, keepdims=keepdims) / count
        if not nan_matches:
            out = out + jnp.sum(t, axis=axis, keepdims=keepdims) * jnp.where(count == 0, jnp.nan, 0).astype(t.dtype)
        return v, out
    return reduce


def _jmax(a, axis, keepdims):
    return jnp.max(a, axis=axis, keepdims=keepdims)


def _jmin(a, axis, keepdims):
    return jnp.min(a, axis=axis, keepdims=keepdims)


_max_all, _min_all = _shared(_jmax, True), _shared(_jmin, True)
_amax, _amin = _shared(_jmax, False), _shared(_jmin, False)


@_on_0d_as_1d
def _pick_dim(a, *, dim, keepdim, largest):
    idx = (jnp.argmax if largest else jnp.argmin)(a, axis=dim, keepdims=True)
    return _gather_at(a, idx, dim, keepdim)


_max_all_op = Op("max", lambda a: _max_all(a, None, False), saves="inputs+out", grad_name="MaxBackward1")
_min_all_op = Op("min", lambda a: _min_all(a, None, False), saves="inputs+out", grad_name="MinBackward1")
_max_dim_op = Op("max", _pick_dim, saves=())
_min_dim_op = Op("min", _pick_dim, saves=())
_amax_op = Op("amax", lambda a, *, axis, keepdims: _amax(a, axis, keepdims), saves="inputs+out")
_amin_op = Op("amin", lambda a, *, axis, keepdims: _amin(a, axis, keepdims), saves="inputs+out")
_aminmax_op = Op("aminmax", lambda a, *, axis, keepdims: (_amin(a, axis, keepdims), _amax(a, axis, keepdims)),
                 saves="inputs+out")


def _max_min(name, all_op, dim_op, cls, pair, largest, input, dim, keepdim, out, other):
    if other is not None or isinstance(dim, Tensor):
        return pair(input, dim if other is None else other, out=out)
    if dim is None:
        if input.numel() == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify "
                               "the reduction dim with the 'dim' argument.")
        return write_out(out, all_op(input))
    d = wrap_dim(dim, input.ndim)
    _check_dim_nonempty(input, d, name)
    return cls(write_out(out, dim_op(input, dim=d, keepdim=bool(keepdim), largest=largest)))


def max(input, dim=None, keepdim=False, *, out=None, other=None):
    """``max(input)``: the largest element (gradient shared evenly among ties);
    ``max(input, dim, keepdim)``: ``(values, indices)`` of the first maximum along ``dim``
    (gradient to that index); ``max(input, other)``: elementwise :func:`maximum`."""
    return _max_min("max", _max_all_op, _max_dim_op, _Max, maximum, True, input, dim, keepdim, out, other)


def min(input, dim=None, keepdim=False, *, out=None, other=None):
    """Like :func:`max`, for the smallest element (``min(input, other)`` is :func:`minimum`)."""
    return _max_min("min", _min_all_op, _min_dim_op, _Min, minimum, False, input, dim, keepdim, out, other)


def _check_amax_dims(input, dim, name):
    if input.numel() != 0:
        return
    if dim is None or (isinstance(dim, (list, tuple)) and len(dim) == 0):
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                           "reduction dim with the 'dim' argument.")
    for d in (dim if isinstance(dim, (list, tuple)) else (dim,)):
        _check_dim_nonempty(input, wrap_dim(d, input.ndim), name, shown=d)


def amax(input, dim=(), keepdim=False, *, out=None):
    """Largest value over ``dim`` (int or tuple; all by default); the gradient is shared evenly among ties."""
    _check_amax_dims(input, dim, "amax")
    return write_out(out, _amax_op(input, axis=_dims(input, dim), keepdims=bool(keepdim)))


def amin(input, dim=(), keepdim=False, *, out=None):
    """Smallest value over ``dim``; the gradient is shared evenly among ties."""
    _check_amax_dims(input, dim, "amin")
    return write_out(out, _amin_op(input, axis=_dims(input, dim), keepdims=bool(keepdim)))


def aminmax(input, *, dim=None, keepdim=False, out=None):
    """``(min, max)`` over all elements or one ``dim``, as ``torch.return_types.aminmax``."""
    if dim is None:
        if input.numel() == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
                               "identity.")
        axis = None
    else:
        d = wrap_dim(dim, input.ndim)
        if input.ndim and input.shape[d] == 0:
            raise IndexError(f"aminmax: Expected reduction dim {d} to have non-zero size.")
        axis = _dims(input, d)
    return _Aminmax(write_out(out, _aminmax_op(input, axis=axis, keepdims=bool(keepdim))))


def _arg_kernel(a, *, dim, keepdim, largest):
    f = jnp.argmax if largest else jnp.argmin
    if dim is None:
        return f(a.reshape(-1)).reshape((1,) * a.ndim if keepdim else ()).astype(_I64)
    return f(a, axis=dim, keepdims=keepdim).astype(_I64)


_arg_op = Op("argmax", _arg_kernel, differentiable=False)


def _arg(name, input, dim, keepdim, largest):
    if input.dtype is D.bool:
        raise RuntimeError(f"{name}(): does not support bool input")
    if dim is None:
        if input.numel() == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        return _arg_op(input, dim=None, keepdim=bool(keepdim), largest=largest)
    d = wrap_dim(dim, input.ndim)
    _check_dim_nonempty(input, d, name)
    return _arg_op(input, dim=d if input.ndim else None, keepdim=bool(keepdim), largest=largest)


def argmax(input, dim=None, keepdim=False, *, out=None):
    """Index (int64) of the first maximum over ``dim``, or of the flattened tensor when ``dim`` is None."""
    return write_out(out, _arg("argmax", input, dim, keepdim, True))


def argmin(input, dim=None, keepdim=False, *, out=None):
    """Index (int64) of the first minimum over ``dim``, or of the flattened tensor."""
    return write_out(out, _arg("argmin", input, dim, keepdim, False))


# ---- std / var ----
def _safe_sqrt(v):
    """sqrt whose gradient at 0 is 0 (PyTorch's std backward masks a zero result)."""
    zero = v == 0
    return jnp.where(zero, 0, jnp.sqrt(jnp.where(zero, 1, v)))


def _var_parts(a, axis, correction, keepdims):
    n = a.size if axis is None else math.prod(a.shape[i] for i in axis)
    mean = jnp.mean(a, axis=axis, keepdims=True)
    d = a - mean
    sq = jnp.real(d * jnp.conj(d)) if jnp.iscomplexobj(d) else d * d
    var = jnp.sum(sq, axis=axis, keepdims=keepdims) / builtins.max(n - correction, 0)
    return var, (mean if keepdims else jnp.squeeze(mean, axis))


_var_op = Op("var", lambda a, *, axis, correction, keepdims: _var_parts(a, axis, correction, keepdims)[0])
_std_op = Op("std", lambda a, *, axis, correction, keepdims: _safe_sqrt(_var_parts(a, axis, correction, keepdims)[0]),
             saves="inputs+out")
_var_mean_op = Op("var_mean", lambda a, *, axis, correction, keepdims: _var_parts(a, axis, correction, keepdims))
_std_mean_op = Op("std_mean", lambda a, *, axis, correction, keepdims: _std_parts(a, axis, correction, keepdims),
                  saves="inputs+out")


def _std_parts(a, axis, correction, keepdims):
    var, mean = _var_parts(a, axis, correction, keepdims)
    return _safe_sqrt(var), mean


def _var_args(name, input, dim, unbiased, keepdim, correction, kind):
    """Resolve PyTorch's overloads ``(dim, unbiased, keepdim)``, ``(unbiased)`` and ``(dim, *, correction)``."""
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(f"{name}() received an invalid combination of arguments: 'unbiased' and 'correction' "
                        "cannot both be given")
    if not _is_float(input.dtype):
        raise RuntimeError(f"{kind} only support floating point and complex dtypes")
    c = float(correction) if correction is not None else (0.0 if unbiased is False else 1.0)
    axis = _dims(input, dim)
    n = input.numel() if axis is None else math.prod(input.shape[i] for i in axis)
    if n - c <= 0:
        warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction "
                      "factor (input numel divided by output numel).", UserWarning, stacklevel=3)
    return dict(axis=axis, correction=c, keepdims=bool(keepdim))


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """Variance over ``dim`` with ``correction`` (default 1; ``unbiased=False`` means 0)."""
    return write_out(out, _var_op(input, **_var_args("var", input, dim, unbiased, keepdim, correction,
                                                     "std and var")))


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """Standard deviation over ``dim`` with ``correction``; the gradient is 0 where the result is 0."""
    return write_out(out, _std_op(input, **_var_args("std", input, dim, unbiased, keepdim, correction,
                                                     "std and var")))


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """``(var, mean)`` over ``dim``."""
    return _var_mean_op(input, **_var_args("var_mean", input, dim, unbiased, keepdim, correction, "var_mean"))


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """``(std, mean)`` over ``dim``."""
    return _std_mean_op(input, **_var_args("std_mean", input, dim, unbiased, keepdim, correction, "std_mean"))


# ---- norms, logsumexp ----
def _vnorm_value(a, p, axis, keepdims):
    x = jnp.abs(a)
    if p == math.inf:
        return jnp.max(x, axis=axis, keepdims=keepdims)
    if p == -math.inf:
        return jnp.min(x, axis=axis, keepdims=keepdims)
    if p == 0:
        return jnp.sum(x != 0, axis=axis, keepdims=keepdims).astype(x.dtype)
    if p == 1:
        return jnp.sum(x, axis=axis, keepdims=keepdims)
    if p == 2:
        return jnp.sqrt(jnp.sum(x * x, axis=axis, keepdims=keepdims))
    return jnp.sum(x ** p, axis=axis, keepdims=keepdims) ** (1.0 / p)


def _vnorm_grad(a, n, p, axis):
    """d norm / d a with PyTorch's conventions (``norm_backward``); ``n`` has kept dims."""
    sign = jnp.sign(a)
    x = jnp.abs(a)
    if p == 0:
        return jnp.zeros_like(a)
    if p == 1:
        return sign
    if abs(p) == math.inf:
        hit = (x == n) | _nan_mask(x)
        return sign * hit / jnp.sum(hit, axis=axis, keepdims=True).astype(a.dtype)
    zero_n = n == 0
    if p == 2:
        return jnp.where(zero_n, 0, a / jnp.where(zero_n, 1, n))
    if p < 1:
        zero_x = a == 0
        return sign * jnp.where(zero_x, 0, jnp.where(zero_x, 1, x) ** (p - 1)) * n ** (1 - p)
    scale = jnp.where(zero_n, 0, 1 / jnp.where(zero_n, 1, n) ** (p - 1))
    return (sign * x ** (p - 1) if p < 2 else a * x ** (p - 2)) * scale


def _vector_norm_kernel(a, *, p, axis, keepdims, dtype):
    if dtype is not None:
        a = a.astype(dtype)
    if jnp.iscomplexobj(a):
        return _vnorm_value(a, p, axis, keepdims)

    @jax.custom_jvp
    def vnorm(x):
        return _vnorm_value(x, p, axis, keepdims)

    @vnorm.defjvp
    def vnorm_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        n = vnorm(x)
        kept = n if keepdims or axis is None else jnp.expand_dims(n, axis)
        return n, jnp.sum(_vnorm_grad(x, kept, p, axis) * t, axis=axis, keepdims=keepdims)
    return vnorm(a)


def _nuclear_kernel(a, *, dims, keepdim, dtype):
    if dtype is not None:
        a = a.astype(dtype)
    m = jnp.moveaxis(a, dims, (-2, -1))
    r = jnp.sum(jnp.linalg.svd(m, compute_uv=False), axis=-1)
    return jnp.expand_dims(r, tuple(sorted(dims))) if keepdim else r


_vector_norm_op = Op("linalg_vector_norm", _vector_norm_kernel, saves="inputs+out")
_nuclear_op = Op("nuclear_norm", _nuclear_kernel, saves="inputs", grad_name="SumBackward1")


def _p_text(p):
    return f"{float(p):g}"


def _vector_norm(input, p, dim, keepdim, dtype, out):
    if not _is_float(input.dtype):
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                           f"{scalar_type_name(input.dtype)}")
    if dtype is not None and not _is_float(dtype):
        raise RuntimeError(f"linalg.vector_norm: dtype should be floating point or complex, but got "
                           f"{scalar_type_name(dtype)}")
    axis = _dims(input, dim)
    if input.numel() == 0 and (p < 0 or p == math.inf):
        if axis is None:
            raise RuntimeError(f"linalg.vector_norm cannot compute the {_p_text(p)} norm on an empty tensor because "
                               "the operation does not have an identity")
        for d in axis:
            if input.shape[d] == 0:
                raise RuntimeError(f"linalg.vector_norm cannot compute the {_p_text(p)} norm on the dimension {d}"
                                   "because this dimension is empty and the operation does not have an identity")
    res = _vector_norm_op(input, p=float(p), axis=axis, keepdims=bool(keepdim),
                          dtype=None if dtype is None else dtype.np)
    return write_out(out, res)


def _matrix_norm(input, p, dim, keepdim, dtype, out):
    """The nuclear norm; PyTorch's errors for other orders and for 'fro' over more than two dims."""
    if p not in ("fro", "nuc"):
        raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
    dims = list(range(input.ndim)) if dim is None else ([dim] if isinstance(dim, int) else list(dim))
    if len(dims) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dims))}")
    if not _is_float(input.dtype):
        raise RuntimeError("linalg.matrix_norm: Expected a floating point or complex tensor as input. Got "
                           f"{scalar_type_name(input.dtype)}")
    dims = wrap_dims(dims, input.ndim)
    res = _nuclear_op(input, dims=dims, keepdim=bool(keepdim), dtype=None if dtype is None else dtype.np)
    return write_out(out, res)


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """``torch.norm``: vector p-norms (numbers, ``inf``, ``-inf``, 0; 'fro' over at most two dims)
    and the nuclear norm ('nuc'), routed like PyTorch to ``vector_norm`` / ``matrix_norm``.

    Gradients follow PyTorch: 0 where the norm is 0, ``sign`` for p=1, shared among ties for inf.
    """
    if isinstance(p, str):
        if p == "fro" and (dim is None or isinstance(dim, int) or len(dim) <= 2):
            return _vector_norm(input, 2, dim, keepdim, dtype, out)
        return _matrix_norm(input, p, dim, keepdim, dtype, out)
    return _vector_norm(input, 2 if p is None else p, dim, keepdim, dtype, out)


def _logsumexp_kernel(a, *, axis, keepdims):
    m = lax.stop_gradient(jnp.max(a, axis=axis, keepdims=True, initial=-jnp.inf))
    m = jnp.where(jnp.isinf(m), 0, m)
    r = jnp.log(jnp.sum(jnp.exp(a - m), axis=axis, keepdims=True)) + m
    return r if keepdims else jnp.squeeze(r, axis)


_logsumexp_op = Op("logsumexp", _logsumexp_kernel, saves="inputs+out")


def logsumexp(input, dim, keepdim=False, *, out=None):
    """``log(sum(exp(input)))`` over ``dim``, computed stably; integers compute in the default float dtype."""
    a = input if _is_float(input.dtype) else input.to(D.get_default_dtype())
    return write_out(out, _logsumexp_op(a, axis=_dims(input, dim), keepdims=bool(keepdim)))


# ---- scans ----
@_on_0d_as_1d
def _cumsum_kernel(a, *, dim, dtype):
    return jnp.cumsum(a, axis=dim, dtype=dtype)


@_on_0d_as_1d
def _cumprod_kernel(a, *, dim, dtype):
    return jnp.cumprod(a, axis=dim, dtype=dtype)


@_on_0d_as_1d
def _logcumsumexp_kernel(a, *, dim):
    return lax.cumlogsumexp(a, axis=dim) if a.shape[dim] else a


@_on_0d_as_1d
def _cum_pick_kernel(a, *, dim, largest):
    """Running max/min with the index of the last extreme so far (NaN wins, later ties win)."""
    idx = lax.broadcasted_iota(_I64, a.shape, dim)
    if a.shape[dim] == 0:
        return a, idx

    def combine(x, y):
        (xv, xi), (yv, yi) = x, y
        better = (yv >= xv) if largest else (yv <= xv)
        take = _nan_mask(yv) | (~_nan_mask(xv) & better)
        return jnp.where(take, yv, xv), jnp.where(take, yi, xi)
    _, ind = lax.associative_scan(combine, (lax.stop_gradient(a), idx), axis=dim)
    return jnp.take_along_axis(a, ind, axis=dim), ind


_cumsum_op = Op("cumsum", _cumsum_kernel, saves=())
_cumprod_op = Op("cumprod", _cumprod_kernel, saves="inputs+out")
_logcumsumexp_op = Op("logcumsumexp", _logcumsumexp_kernel, saves="inputs+out")
_cummax_op = Op("cummax", _cum_pick_kernel, saves=())
_cummin_op = Op("cummin", _cum_pick_kernel, saves=())


def cumsum(input, dim, *, dtype=None, out=None):
    """Cumulative sum along ``dim``; integer and bool inputs accumulate in int64."""
    d = wrap_dim(dim, input.ndim)
    return write_out(out, _cumsum_op(input, dim=d, dtype=(dtype or _long_if_int(input.dtype)).np))


def cumprod(input, dim, *, dtype=None, out=None):
    """Cumulative product along ``dim`` (exact gradient with zeros); integers accumulate in int64."""
    d = wrap_dim(dim, input.ndim)
    return write_out(out, _cumprod_op(input, dim=d, dtype=(dtype or _long_if_int(input.dtype)).np))


def logcumsumexp(input, dim, *, out=None):
    """``log(cumsum(exp(input)))`` along ``dim``, computed stably; floating inputs only."""
    if not _is_float(input.dtype):
        raise NotImplementedError(f"\"logcumsumexp_out_cpu\" not implemented for '{scalar_type_name(input.dtype)}'")
    return write_out(out, _logcumsumexp_op(input, dim=wrap_dim(dim, input.ndim)))


def cummax(input, dim, *, out=None):
    """Running maximum along ``dim`` and its index (the latest among ties; NaN propagates)."""
    d = wrap_dim(dim, input.ndim)
    return _Cummax(write_out(out, _cummax_op(input, dim=d, largest=True)))


def cummin(input, dim, *, out=None):
    """Running minimum along ``dim`` and its index (the latest among ties; NaN propagates)."""
    d = wrap_dim(dim, input.ndim)
    return _Cummin(write_out(out, _cummin_op(input, dim=d, largest=False)))


# ---- logical reductions, counting ----
_all_op = Op("all", lambda a, *, axis, keepdims, dtype: jnp.all(a, axis=axis, keepdims=keepdims).astype(dtype),
             differentiable=False)
_any_op = Op("any", lambda a, *, axis, keepdims, dtype: jnp.any(a, axis=axis, keepdims=keepdims).astype(dtype),
             differentiable=False)
_count_nonzero_op = Op("count_nonzero", lambda a, *, axis: jnp.count_nonzero(a, axis=axis).astype(_I64),
                       differentiable=False)


def _logical(the_op, input, dim, keepdim, out):
    dtype = D.uint8 if input.dtype is D.uint8 else D.bool
    return write_out(out, the_op(input, axis=_dims(input, dim), keepdims=bool(keepdim), dtype=dtype.np))


def all(input, dim=None, keepdim=False, *, out=None):
    """Whether every element (over ``dim``) is nonzero; bool result (uint8 stays uint8)."""
    return _logical(_all_op, input, dim, keepdim, out)


def any(input, dim=None, keepdim=False, *, out=None):
    """Whether any element (over ``dim``) is nonzero; bool result (uint8 stays uint8)."""
    return _logical(_any_op, input, dim, keepdim, out)


def count_nonzero(input, dim=None):
    """Number of nonzero elements (int64), over all elements or ``dim`` (int or tuple)."""
    return _count_nonzero_op(input, axis=_dims(input, dim))


# ---- order statistics ----
def _lower_median(a):
    s = jnp.sort(a.reshape(-1))
    if s.shape[0] == 0:
        return jnp.array(jnp.nan if jnp.issubdtype(a.dtype, jnp.inexact) else jnp.iinfo(a.dtype).min, a.dtype)
    return jnp.where(_nan_mask(s[-1]), s[-1], s[(s.shape[0] - 1) // 2])


def _nan_lower_median(a):
    s = jnp.sort(a.reshape(-1))
    if s.shape[0] == 0:
        return jnp.array(jnp.nan, a.dtype)
    k = jnp.sum(~_nan_mask(s))
    return s[jnp.maximum((k - 1) // 2, 0)]


@_on_0d_as_1d
def _median_dim_kernel(a, *, dim, keepdim, ignore_nan):
    order = jnp.argsort(a, axis=dim, stable=True)
    nan = _nan_mask(a)
    if ignore_nan:
        pos = jnp.maximum((jnp.sum(~nan, axis=dim, keepdims=True) - 1) // 2, 0)
    else:
        pos = jnp.full(a.shape[:dim] + (1,) + a.shape[dim + 1:], (a.shape[dim] - 1) // 2)
    idx = jnp.take_along_axis(order, pos, axis=dim)
    if not ignore_nan:
        idx = jnp.where(jnp.any(nan, axis=dim, keepdims=True), jnp.argmax(nan, axis=dim, keepdims=True), idx)
    return _gather_at(a, idx, dim, keepdim)


@_on_0d_as_1d
def _kthvalue_kernel(a, *, k, dim, keepdim):
    idx = lax.slice_in_dim(jnp.argsort(a, axis=dim, stable=True), k - 1, k, axis=dim)
    return _gather_at(a, idx, dim, keepdim)


@_on_0d_as_1d
def _mode_kernel(a, *, dim, keepdim):
    """Smallest of the most frequent values, at its last occurrence (NaNs are all distinct)."""
    x = jnp.moveaxis(a, dim, -1)
    order = jnp.argsort(x, axis=-1, stable=True)
    s = jnp.take_along_axis(x, order, axis=-1)
    last = s.ndim - 1
    pos = lax.broadcasted_iota(_I64, s.shape, last)
    edge = jnp.ones(s.shape[:-1] + (1,), bool)
    differs = s[..., 1:] != s[..., :-1]
    start = lax.cummax(jnp.where(jnp.concatenate([edge, differs], -1), pos, 0), axis=last)
    end = lax.cummin(jnp.where(jnp.concatenate([differs, edge], -1), pos, s.shape[-1] - 1), axis=last, reverse=True)
    best = jnp.argmax(end - start, axis=-1, keepdims=True)
    idx = jnp.take_along_axis(order, jnp.take_along_axis(end, best, axis=-1), axis=-1)
    return _gather_at(a, jnp.moveaxis(idx, -1, dim), dim, keepdim)


_median_all = _shared(lambda a, axis, keepdims: _lower_median(a), True)
_nanmedian_all = _shared(lambda a, axis, keepdims: _nan_lower_median(a), True)
_median_all_op = Op("median", lambda a: _median_all(a, None, False), saves="inputs+out")
_nanmedian_all_op = Op("nanmedian", lambda a: _nanmedian_all(a, None, False), saves="inputs+out")
_median_dim_op = Op("median", _median_dim_kernel, saves=(), grad_name="MedianBackward1")
_nanmedian_dim_op = Op("nanmedian", _median_dim_kernel, saves=(), grad_name="NanmedianBackward1")
_kthvalue_op = Op("kthvalue", _kthvalue_kernel, saves=())
_mode_op = Op("mode", _mode_kernel, saves=())


def _median(input, dim, keepdim, out, ignore_nan):
    _check_not_bool(input, "median_cpu" if dim is None else "median_out")
    if dim is None:
        return write_out(out, (_nanmedian_all_op if ignore_nan else _median_all_op)(input))
    d = wrap_dim(dim, input.ndim)
    _check_dim_nonempty(input, d, "median")
    the_op = _nanmedian_dim_op if ignore_nan else _median_dim_op
    res = the_op(input, dim=d, keepdim=bool(keepdim), ignore_nan=ignore_nan)
    return (_NanMedian if ignore_nan else _Median)(write_out(out, res))


def median(input, dim=None, keepdim=False, *, out=None):
    """Lower median of all elements (NaN if any; gradient shared among equal elements), or
    ``(values, indices)`` along ``dim``. Among tied values the index may differ from PyTorch's
    (which depends on its selection algorithm); this one is the median's stable-sort position."""
    return _median(input, dim, keepdim, out, False)


def nanmedian(input, dim=None, keepdim=False, *, out=None):
    """:func:`median` ignoring NaNs (NaN only where every element is NaN)."""
    return _median(input, dim, keepdim, out, True)


def mode(input, dim=-1, keepdim=False, *, out=None):
    """``(values, indices)``: the most frequent value along ``dim`` (the smallest among equally
    frequent ones) and the index of its last occurrence; the gradient goes to that index."""
    d = wrap_dim(dim, input.ndim)
    _check_dim_nonempty(input, d, "mode")
    return _Mode(write_out(out, _mode_op(input, dim=d, keepdim=bool(keepdim))))


def kthvalue(input, k, dim=-1, keepdim=False, *, out=None):
    """``(values, indices)`` of the ``k``-th smallest element along ``dim`` (NaN sorts last).
    Among tied values the index is the stable-sort one, which may differ from PyTorch's."""
    d = _dim(input, dim, -1)
    _check_dim_nonempty(input, d, "kthvalue")
    if not 1 <= k <= _size(input, d):
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    return _Kth(write_out(out, _kthvalue_op(input, k=int(k), dim=d, keepdim=bool(keepdim))))


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _lerp(lo, hi, w):
    return jnp.where(w < 0.5, lo + w * (hi - lo), hi - (hi - lo) * (1 - w))


def _quantile_kernel(a, q, *, dim, keepdim, interpolation, ignore_nan, scalar_q):
    """PyTorch's ``quantile_compute``: sort, rank, gather below/above, interpolate."""
    x = a.reshape(-1) if dim is None else jnp.moveaxis(a, dim, -1)
    s = jnp.sort(x, axis=-1)[..., None, :]
    q = jnp.asarray(q, a.dtype).reshape(-1)
    last = s.shape[-1] - 1
    nan = _nan_mask(s)
    if ignore_nan:
        ranks = q * (jnp.sum(~nan, axis=-1) - 1).astype(a.dtype)
        ranks = jnp.where(ranks < 0, 0, ranks)
    else:
        ranks = jnp.where(jnp.any(nan, axis=-1), jnp.asarray(last, a.dtype), q * last)
    if interpolation == "lower":
        ranks = jnp.floor(ranks)
    elif interpolation == "higher":
        ranks = jnp.ceil(ranks)
    elif interpolation == "nearest":
        ranks = jnp.round(ranks)
    below = ranks.astype(_I64)
    r = jnp.take_along_axis(s, below[..., None], axis=-1)[..., 0]
    if interpolation in ("linear", "midpoint"):
        w = jnp.full_like(ranks, 0.5) if interpolation == "midpoint" else ranks - below.astype(a.dtype)
        above = jnp.take_along_axis(s, jnp.ceil(ranks).astype(_I64)[..., None], axis=-1)[..., 0]
        r = _lerp(r, above, w)
    if keepdim:
        r = r.reshape((1,) * a.ndim + r.shape[-1:]) if dim is None else jnp.expand_dims(r, dim)
    r = jnp.moveaxis(r, -1, 0)
    return r[0] if scalar_q else r


_quantile_op = Op("quantile", _quantile_kernel, grad_name="SqueezeBackward4")


def _quantile(name, input, q, dim, keepdim, interpolation, out, ignore_nan):
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(f"{name}() interpolation must be one of linear, lower, higher, midpoint or nearest, but "
                           f"got {interpolation}")
    if isinstance(q, Tensor):
        if q.ndim > 1:
            raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
    elif not 0 <= q <= 1:
        raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {q}")
    if input.numel() == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    if input.dtype not in (D.float32, D.float64):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if isinstance(q, Tensor):
        if q.dtype is not input.dtype:
            raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
        if not _is_traced(q) and not bool(all((q >= 0) & (q <= 1))):
            raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
    d = None if dim is None or input.ndim == 0 else wrap_dim(dim, input.ndim)
    scalar_q = not isinstance(q, Tensor) or q.ndim == 0
    res = _quantile_op(input, q, dim=d, keepdim=bool(keepdim), interpolation=interpolation, ignore_nan=ignore_nan,
                       scalar_q=scalar_q)
    return write_out(out, res)


def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """The ``q``-th quantiles (a float or a 0/1-d tensor) over ``dim`` (flattened when None), with
    PyTorch's interpolation modes; NaN where a reduced slice holds a NaN. A 1-d ``q`` adds a leading dim."""
    return _quantile("quantile", input, q, dim, keepdim, interpolation, out, False)


def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """:func:`quantile` ignoring NaNs (NaN only where a slice is all NaN)."""
    return _quantile("nanquantile", input, q, dim, keepdim, interpolation, out, True)


# ---- sorting ----
@_on_0d_as_1d
def _sort_kernel(a, *, dim, descending):
    idx = jnp.argsort(a, axis=dim, stable=True, descending=descending)
    return jnp.take_along_axis(a, idx, axis=dim), idx.astype(_I64)


@_on_0d_as_1d
def _argsort_kernel(a, *, dim, descending):
    return jnp.argsort(a, axis=dim, stable=True, descending=descending).astype(_I64)


@_on_0d_as_1d
def _topk_kernel(a, *, k, dim, largest):
    x = jnp.moveaxis(a, dim, -1)
    if largest and k:
        idx = lax.top_k(x, k)[1]
    else:
        idx = jnp.argsort(x, axis=-1, stable=True, descending=largest)[..., :k]
    idx = jnp.moveaxis(idx.astype(_I64), -1, dim)
    return jnp.take_along_axis(a, idx, axis=dim), idx


_sort_op = Op("sort", _sort_kernel, saves=())
_argsort_op = Op("argsort", _argsort_kernel, differentiable=False)
_topk_op = Op("topk", _topk_kernel, saves=())


def sort(input, dim=-1, descending=False, *, stable=False, out=None):
    """``(values, indices)`` sorted along ``dim``; always stable (NaN sorts as the largest value).
    The gradient is scattered back through the indices."""
    d = wrap_dim(dim, input.ndim)
    return _Sort(write_out(out, _sort_op(input, dim=d, descending=bool(descending))))


def argsort(input, dim=-1, descending=False, *, stable=False):
    """The indices (int64) that sort ``input`` along ``dim`` (always stable)."""
    return _argsort_op(input, dim=wrap_dim(dim, input.ndim), descending=bool(descending))


def msort(input, *, out=None):
    """``input`` sorted along dim 0 (values only)."""
    return write_out(out, sort(input, 0)[0])


def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):
    """``(values, indices)`` of the ``k`` largest (or smallest) elements along ``dim``, in sorted
    order (also when ``sorted=False``). Among tied values the indices may differ from PyTorch's."""
    if input.dtype is D.bool:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    d = _dim(input, dim, -1)
    if not 0 <= k <= _size(input, d):
        raise RuntimeError("selected index k out of range")
    return _Topk(write_out(out, _topk_op(input, k=int(k), dim=d, largest=bool(largest))))


# ---- data-dependent counting (eager only) ----
def _rows(a, axis):
    """``a`` as a 2-d array of rows: the flattened elements (axis None) or the slices along ``axis``."""
    if axis is None:
        return a.reshape(-1, 1)
    x = jnp.moveaxis(a, axis, 0)
    return x.reshape(x.shape[0], -1)


def _row_order(x):
    """A stable lexicographic order of the rows of ``x``."""
    if x.shape[1] == 1:
        return jnp.argsort(x[:, 0], stable=True)
    return jnp.lexsort(tuple(x[:, j] for j in reversed(range(x.shape[1]))))


def _groups(x, consecutive):
    order = jnp.arange(x.shape[0]) if consecutive else _row_order(x)
    xs = x[order]
    new = jnp.concatenate([jnp.ones((builtins.min(x.shape[0], 1),), bool), jnp.any(xs[1:] != xs[:-1], axis=1)])
    return order, xs, new


def _unique_count_kernel(a, *, axis, consecutive):
    return jnp.sum(_groups(_rows(a, axis), consecutive)[2]).astype(_I64)


def _unique_kernel(a, *, axis, consecutive, size):
    x = _rows(a, axis)
    order, xs, new = _groups(x, consecutive)
    starts = jnp.nonzero(new, size=size)[0]
    group = jnp.cumsum(new) - 1
    inverse = jnp.zeros(x.shape[0], _I64).at[order].set(group)
    counts = jnp.diff(jnp.append(starts, x.shape[0])).astype(_I64)
    if axis is None:
        return xs[starts, 0], inverse.reshape(a.shape), counts
    rest = jnp.moveaxis(a, axis, 0).shape[1:]
    return jnp.moveaxis(xs[starts].reshape((size,) + rest), 0, axis), inverse, counts


_unique_count_op = Op("unique_count", _unique_count_kernel, differentiable=False)
_unique_op = Op("unique", _unique_kernel, differentiable=False)


def _unique(name, input, return_inverse, return_counts, dim, consecutive):
    _eager_only(name, input)
    axis = None if dim is None else wrap_dim(dim, input.ndim)
    n = int(_unique_count_op(input, axis=axis, consecutive=consecutive)._read())
    values, inverse, counts = _unique_op(input, axis=axis, consecutive=consecutive, size=n)
    if not (return_inverse or return_counts):
        return values
    return (values,) + ((inverse,) if return_inverse else ()) + ((counts,) if return_counts else ())


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The sorted unique elements (or unique slices along ``dim``), with the inverse indices and
    counts on request; NaNs are all distinct. Eager only (the output size depends on the data);
    the result is always sorted and carries no gradient."""
    return _unique("unique", input, return_inverse, return_counts, dim, False)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """Collapse runs of equal consecutive elements (or slices along ``dim``). Eager only; no gradient."""
    return _unique("unique_consecutive", input, return_inverse, return_counts, dim, True)


_extrema_op = Op("aminmax", lambda a: (jnp.min(a), jnp.max(a)), differentiable=False)
_bincount_op = Op("bincount", lambda a, w, *, length, dtype: jnp.bincount(
    a, None if dtype is None else jnp.asarray(w, dtype), length=length).astype(dtype or _I64), differentiable=False)


def bincount(input, weights=None, minlength=0):
    """Count of each value in a 1-d non-negative integer tensor (weighted sums with ``weights``:
    float32 weights give float32, others float64). Eager only; no gradient."""
    if _is_float(input.dtype) or input.dtype is D.bool:
        raise NotImplementedError(f"\"bincount_cpu\" not implemented for '{scalar_type_name(input.dtype)}'")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if input.ndim != 1:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is not None and (weights.ndim != 1 or weights.shape[0] != input.shape[0]):
        raise RuntimeError("weights should be 1-d and have the same length as input")
    _eager_only("bincount", input, weights)
    length = minlength
    if input.numel():
        lo, hi = (int(t._read()) for t in _extrema_op(input))
        if lo < 0:
            raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
        length = builtins.max(length, hi + 1)
    dtype = None if weights is None else (D.float32 if weights.dtype is D.float32 else D.float64).np
    return _bincount_op(input, 0 if weights is None else weights, length=length, dtype=dtype)


def _histc_kernel(a, lo, hi, *, bins):
    x = a.reshape(-1)
    lo, hi = jnp.asarray(lo, x.dtype), jnp.asarray(hi, x.dtype)
    if x.size:
        from_data = lo == hi
        lo, hi = jnp.where(from_data, jnp.min(x), lo), jnp.where(from_data, jnp.max(x), hi)
    same = lo == hi
    lo, hi = jnp.where(same, lo - 1, lo), jnp.where(same, hi + 1, hi)
    pos = jnp.floor((x - lo) * bins / (hi - lo)).astype(_I64)
    pos = jnp.where(pos == bins, bins - 1, pos)
    inside = (x >= lo) & (x <= hi)
    return jnp.zeros(bins, x.dtype).at[jnp.where(inside, pos, 0)].add(inside.astype(x.dtype))


_histc_op = Op("histc", _histc_kernel, differentiable=False)


def histc(input, bins=100, min=0, max=0, *, out=None):
    """Histogram of ``bins`` equal-width bins over ``[min, max]`` (the data's range when they are
    equal); values outside are ignored. Floating inputs only; no gradient."""
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"histogram_cpu\" not implemented for '{scalar_type_name(input.dtype)}'")
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    if min > max:
        raise RuntimeError("torch.histc: max must be larger than min")
    if min == max and input.numel() and not _is_traced(input):
        lo, hi = (float(t._read()) for t in _extrema_op(input))
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise RuntimeError(f"torch.histc: range of [{lo:g}, {hi:g}] is not finite")
    return write_out(out, _histc_op(input, min, max, bins=int(bins)))


def _searchsorted_kernel(seq, v, sorter, *, side, dtype, has_sorter):
    if has_sorter:
        seq = jnp.take_along_axis(seq, sorter, axis=-1)
    if seq.ndim == 1:
        r = jnp.searchsorted(seq, v, side=side)
    else:
        flat = jax.vmap(lambda s, x: jnp.searchsorted(s, x, side=side))
        r = flat(seq.reshape(-1, seq.shape[-1]), v.reshape(-1, v.shape[-1])).reshape(v.shape)
    return r.astype(dtype)


_searchsorted_op = Op("searchsorted", _searchsorted_kernel, differentiable=False)


def _check_searchsorted(seq, values):
    if seq.ndim == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 "
                           "dimension")
    if not isinstance(values, Tensor):
        if seq.ndim != 1:
            raise RuntimeError("torch.searchsorted(): input value can be a scalar only when boundaries tensor "
                               f"dimension is 1, but we got boundaries tensor dim({seq.ndim}) and input value's "
                               "dim(0) numel(1)")
    elif seq.ndim != 1 and seq.shape[:-1] != values.shape[:-1]:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
                           "dimensions of boundaries tensor and input value tensor must match, but we got "
                           f"boundaries tensor {list(seq.shape)} and input value tensor {list(values.shape)}")


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None, out=None, sorter=None):
    """Indices where ``input`` would be inserted into the innermost dim of ``sorted_sequence``
    (left or right side), int64 or int32; ``sorter`` sorts an unsorted sequence. No gradient."""
    if side not in (None, "left", "right"):
        raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
    if right and side == "left":
        raise RuntimeError(f"torch.searchsorted(): side and right can't be set to opposites, got side of {side} "
                           f"while right was {bool(right)}")
    _check_searchsorted(sorted_sequence, input)
    res = _searchsorted_op(sorted_sequence, input, 0 if sorter is None else sorter,
                           side="right" if right or side == "right" else "left",
                           dtype=(D.int32 if out_int32 else D.int64).np, has_sorter=sorter is not None)
    return write_out(out, res)


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    """Index of the bucket of each element given sorted 1-d ``boundaries``
    (``right=False``: ``boundaries[i-1] < x <= boundaries[i]``). No gradient."""
    if boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right, out=out)


for _n in ("sum", "mean", "nansum", "nanmean", "prod", "max", "min", "amax", "amin", "aminmax", "argmax", "argmin",
           "std", "var", "norm", "logsumexp", "cummax", "cummin", "logcumsumexp", "all", "any", "count_nonzero",
           "median", "nanmedian", "mode", "kthvalue", "quantile", "nanquantile", "sort", "argsort", "msort", "topk",
           "unique", "unique_consecutive", "bincount", "histc"):
    register(_n, globals()[_n], inplace=False)
register("cumsum", cumsum)
register("cumprod", cumprod)
