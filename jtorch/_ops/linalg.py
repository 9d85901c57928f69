"""Linear algebra: matrix products (``matmul``/``@`` with all of PyTorch's broadcasting rules, mm,
bmm, mv, dot, einsum, tensordot, the ``add*`` fused forms), decompositions and solvers (inverse,
det, slogdet, cholesky, qr, svd, eigh, eig, solve, lstsq, pinv) and norms/distances.

Products never promote (PyTorch requires equal dtypes) and integer products stay integer.
Float32 products run at full float32 precision unless ``jtorch.backends.cuda.matmul.allow_tf32``
is set, as in PyTorch.

Gradients are JAX's, with kernels written so they equal PyTorch's where the conventions differ:
norms have zero subgradients at zero, ``eigh``/``cholesky`` read one triangle but get PyTorch's
symmetric gradient, and PyTorch's "not differentiable" cases (``qr`` with ``mode='r'``...) raise
at backward. PyTorch's ``LinAlgError`` for singular / non positive-definite input is raised in
eager mode (it needs the values); under ``jtorch.compile`` such input gives inf/nan instead.
"""
import collections
import string
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from ..backends import cuda as _cuda_backend
from .._tensor import Tensor, scalar_type_name
from . import views as V
from .common import broadcast_shapes, is_scalar, result_dtype, wrap_dim, wrap_dims, write_out
from .dispatch import Op

__all__ = ["matmul", "mm", "bmm", "mv", "dot", "vdot", "inner", "outer", "ger", "einsum", "tensordot", "kron",
           "addmm", "addmv", "addbmm", "baddbmm", "addr", "chain_matmul", "matrix_power", "inverse", "det",
           "logdet", "slogdet", "pinverse", "cholesky", "svd", "qr", "cdist", "dist"]


class LinAlgError(RuntimeError):
    """Raised for singular or non positive-definite input (``torch.linalg.LinAlgError``)."""

    __module__ = "jtorch.linalg"


def _return_type(name, fields):
    cls = collections.namedtuple(name, fields)
    cls.__module__ = "jtorch.return_types"
    return cls


_Slogdet = _return_type("slogdet", ["sign", "logabsdet"])
_LinalgSlogdet = _return_type("linalg_slogdet", ["sign", "logabsdet"])
_Svd = _return_type("svd", ["U", "S", "V"])
_LinalgSvd = _return_type("linalg_svd", ["U", "S", "Vh"])
_Qr = _return_type("qr", ["Q", "R"])
_LinalgQr = _return_type("linalg_qr", ["Q", "R"])
_Eigh = _return_type("linalg_eigh", ["eigenvalues", "eigenvectors"])
_Eig = _return_type("linalg_eig", ["eigenvalues", "eigenvectors"])
_InvEx = _return_type("linalg_inv_ex", ["inverse", "info"])
_CholeskyEx = _return_type("linalg_cholesky_ex", ["L", "info"])
_Lstsq = _return_type("linalg_lstsq", ["solution", "residuals", "rank", "singular_values"])

_CTYPE = {"float32": "float", "float64": "double", "int64": "long int", "int32": "int", "int16": "short int",
          "int8": "signed char", "uint8": "unsigned char", "bool": "bool", "float16": "c10::Half",
          "bfloat16": "c10::BFloat16", "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}


def _precision():
    """Full float32 precision unless TF32 was allowed (PyTorch's default is full precision)."""
    return None if _cuda_backend.matmul.allow_tf32 else "highest"


def _name(d):
    return scalar_type_name(d)


def _check_tensor(x, fn, arg="input", pos=1):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be Tensor, not {type(x).__name__}")


def _no_bool(d, kernel):
    if d is D.bool:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _expandable(shape, target):
    """PyTorch's expand error when ``shape`` does not broadcast to ``target``."""
    shape, target = tuple(shape), tuple(target)
    if len(shape) > len(target):
        raise RuntimeError(f"expand: the number of sizes provided ({len(target)}) must be greater or equal to the "
                           f"number of dimensions in the tensor ({len(shape)})")
    lead = len(target) - len(shape)
    for i, n in enumerate(shape):
        t = target[lead + i]
        if n != t and n != 1:
            raise RuntimeError(f"The expanded size of the tensor ({t}) must match the existing size ({n}) at "
                               f"non-singleton dimension {lead + i}.  Target sizes: {list(target)}.  Tensor sizes: "
                               f"{list(shape)}")


# ---- products ----
def _mm_kernel(a, b, *, precision):
    return jnp.matmul(a, b, precision=precision)


_mm_op = Op("mm", _mm_kernel, saves="others")
_dot_op = Op("dot", _mm_kernel, saves="others")
_mv_op = Op("mv", _mm_kernel, saves="others")
_bmm_op = Op("bmm", _mm_kernel, saves="others")
_vm_op = Op("matmul", _mm_kernel, saves="others", grad_name="SqueezeBackward4")
_matmul_op = Op("matmul", _mm_kernel, saves="others", grad_name="UnsafeViewBackward0")
_vdot_op = Op("vdot", lambda a, b, *, precision: jnp.vdot(a, b, precision=precision), saves="others")


def _mm_checks(a, b, a_rows=None):
    """mm's dtype and shape checks (``a_rows`` overrides the row count shown, for folded inputs)."""
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {_CTYPE[a.dtype.name]} != "
                           f"{_CTYPE[b.dtype.name]}")
    _no_bool(a.dtype, "addmm_impl_cpu_")
    rows = a.shape[0] if a_rows is None else a_rows
    k = a.shape[-1]
    if k != b.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{k} and {b.shape[0]}x{b.shape[1]})")


def _mv_checks(mat, vec, rows=None):
    if mat.dtype is not vec.dtype:
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got {_name(vec.dtype)}, "
                           f"{_name(mat.dtype)}, and {_name(vec.dtype)}")
    _no_bool(mat.dtype, "addmv_impl_cpu")
    n = mat.shape[0] if rows is None else rows
    if mat.shape[-1] != vec.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({n}), mat ({n}x{mat.shape[-1]}), vec ({vec.shape[0]})")


def _dot_checks(a, b, fn="dot"):
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.dtype is not b.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found {_name(a.dtype)} and "
                           f"{_name(b.dtype)}")
    _no_bool(a.dtype, fn)
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] to have "
                           f"the same number of elements, but got {a.shape[0]} and {b.shape[0]} elements respectively")


def _bmm_shape_error(batch, m1, m2):
    raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{batch}, {m1}] but got: "
                       f"[{batch}, {m2}].")


def _batched_checks(input, other):
    """Checks of matmul's broadcast-batched path (PyTorch runs it as a bmm)."""
    if input.dtype is not other.dtype:
        raise RuntimeError(f"expected scalar type {_name(input.dtype)} but found {_name(other.dtype)}")
    _no_bool(input.dtype, "bmm")
    b1 = input.shape[:-2] if input.ndim >= 2 else ()
    b2 = other.shape[:-2] if other.ndim >= 2 else ()
    batch = broadcast_shapes(tuple(b1), tuple(b2))
    m1 = input.shape[-1]
    m2 = other.shape[-2] if other.ndim >= 2 else other.shape[0]
    if m1 != m2:
        _bmm_shape_error(int(np.prod(batch, dtype=np.int64)), m1, m2)


def matmul(input, other, *, out=None):
    """Matrix product with PyTorch's rules: dot (1-D, 1-D), mv, vector-matrix, mm, and broadcast batches."""
    _check_tensor(input, "matmul")
    _check_tensor(other, "matmul", "other", 2)
    d1, d2 = input.ndim, other.ndim
    if d1 == 0 or d2 == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {d1}D and {d2}D")
    prec = _precision()
    if d1 == 1 and d2 == 1:
        _dot_checks(input, other)
        res = _dot_op(input, other, precision=prec)
    elif d1 == 2 and d2 == 1:
        _mv_checks(input, other)
        res = _mv_op(input, other, precision=prec)
    elif d1 == 1 and d2 == 2:
        _mm_checks(input, other, a_rows=1)
        res = _vm_op(input, other, precision=prec)
    elif d1 == 2 and d2 == 2:
        _mm_checks(input, other)
        res = _mm_op(input, other, precision=prec)
    else:
        if d1 >= 3 and d2 == 2:
            _mm_checks(input, other, a_rows=int(np.prod(input.shape[:-1], dtype=np.int64)))
        elif d1 >= 3 and d2 == 1:
            _mv_checks(input, other, rows=int(np.prod(input.shape[:-1], dtype=np.int64)))
        else:
            _batched_checks(input, other)
        res = _matmul_op(input, other, precision=prec)
    return write_out(out, res)


def mm(input, mat2, *, out=None):
    """Product of two matrices (no broadcasting)."""
    _check_tensor(input, "mm")
    _check_tensor(mat2, "mm", "mat2", 2)
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _mm_checks(input, mat2)
    return write_out(out, _mm_op(input, mat2, precision=_precision()))


def _bmm_checks(b1, b2, fn1="batch1", fn2="batch2"):
    if b1.ndim != 3:
        raise RuntimeError(f"{fn1} must be a 3D tensor")
    if b2.ndim != 3:
        raise RuntimeError(f"{fn2} must be a 3D tensor")
    if b1.dtype is not b2.dtype:
        raise RuntimeError(f"expected scalar type {_name(b1.dtype)} but found {_name(b2.dtype)}")
    _no_bool(b1.dtype, "bmm")
    if b2.shape[0] != b1.shape[0] or b2.shape[1] != b1.shape[2]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{b1.shape[0]}, "
                           f"{b1.shape[2]}] but got: [{b2.shape[0]}, {b2.shape[1]}].")


def bmm(input, mat2, *, out=None):
    """Batched product of two 3-D tensors with equal batch size."""
    _check_tensor(input, "bmm")
    _check_tensor(mat2, "bmm", "mat2", 2)
    _bmm_checks(input, mat2)
    return write_out(out, _bmm_op(input, mat2, precision=_precision()))


def mv(input, vec, *, out=None):
    """Matrix-vector product."""
    _check_tensor(input, "mv")
    _check_tensor(vec, "mv", "vec", 2)
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input.ndim}, {vec.ndim}")
    _mv_checks(input, vec)
    return write_out(out, _mv_op(input, vec, precision=_precision()))


def dot(input, tensor, *, out=None):
    """Inner product of two 1-D tensors of the same dtype."""
    _check_tensor(input, "dot")
    _check_tensor(tensor, "dot", "tensor", 2)
    _dot_checks(input, tensor)
    return write_out(out, _dot_op(input, tensor, precision=_precision()))


def vdot(input, other, *, out=None):
    """``dot(conj(input), other)`` of two 1-D tensors."""
    _check_tensor(input, "vdot")
    _check_tensor(other, "vdot", "other", 2)
    _dot_checks(input, other, "vdot")
    return write_out(out, _vdot_op(input, other, precision=_precision()))


_inner_op = Op("inner", lambda a, b, *, precision: jnp.inner(a, b, precision=precision), saves="others")


def inner(input, other, *, out=None):
    """Sum of products over the last dims (a plain product when either is 0-D)."""
    _check_tensor(input, "inner")
    _check_tensor(other, "inner", "other", 2)
    if input.ndim == 0 or other.ndim == 0:
        return write_out(out, input * other)
    if input.dtype is not other.dtype:
        raise RuntimeError("both inputs should have same dtype")
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but got shapes "
                           f"{list(input.shape)} and {list(other.shape)}")
    return write_out(out, _inner_op(input, other, precision=_precision()))


def outer(input, vec2, *, out=None):
    """Outer product of two 1-D tensors (with type promotion, like PyTorch)."""
    _check_tensor(input, "outer")
    _check_tensor(vec2, "outer", "vec2", 2)
    if input.ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument self, but got {input.ndim}-D")
    if vec2.ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument vec2, but got {vec2.ndim}-D")
    return write_out(out, V.reshape(input, (-1, 1)) * vec2)


ger = outer


# ---- einsum ----
_LETTERS = string.ascii_letters


def _sublist_equation(args):
    """``einsum(op0, [0, 1], op1, [1, 2], [0, 2])`` as an equation string and operands."""
    has_out = len(args) % 2 == 1
    pairs = args[:-1] if has_out else args
    ops, subs = list(pairs[0::2]), list(pairs[1::2])

    def letters(sub):
        return "".join("..." if s is Ellipsis else _LETTERS[int(s)] for s in sub)
    eq = ",".join(letters(s) for s in subs)
    if has_out:
        eq += "->" + letters(args[-1])
    return eq, ops


def _parse_einsum(equation, operands):
    """Check an einsum equation like PyTorch; returns the equation without spaces."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    for i, ch in enumerate(eq):
        if ch not in _LETTERS and ch not in ",.->":
            raise RuntimeError(f"einsum(): invalid subscript given at index {i} in the equation string, subscripts "
                               "must be in [a-zA-Z]")
    if len(terms) > len(operands):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    sizes = {}
    for k, (term, op) in enumerate(zip(terms, operands)):
        ell = "..." in term
        labels = term.replace("...", "")
        if (not ell and len(labels) != op.ndim) or (ell and len(labels) > op.ndim):
            what = "is more than" if ell else "does not match"
            tail = "" if ell else " and no ellipsis was given"
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(labels)}) {what} the number "
                               f"of dimensions ({op.ndim}) for operand {k}{tail}")
        head, _, tail_labels = term.partition("...")
        dims = list(range(len(head))) + list(range(op.ndim - len(tail_labels), op.ndim))
        for ch, d in zip(head + tail_labels, dims):
            n = op.shape[d]
            seen = sizes.get(ch)
            if seen is not None and seen != n and n != 1 and seen != 1:
                raise RuntimeError(f"einsum(): subscript {ch} has size {n} for operand {k} which does not broadcast "
                                   f"with previously seen size {seen}")
            if seen is None or seen == 1:
                sizes[ch] = n
    if arrow:
        out_labels = rhs.replace("...", "")
        for ch in out_labels:
            if out_labels.count(ch) > 1:
                raise RuntimeError(f"einsum(): output subscript {ch} appears more than once in the output")
            if ch not in sizes:
                raise RuntimeError(f"einsum(): output subscript {ch} does not appear in the equation for any input "
                                   "operand")
    return eq


def _einsum_broadcast(eq, arrays):
    """Broadcast size-1 dims of labelled subscripts against the other operands (PyTorch allows it)."""
    terms = eq.partition("->")[0].split(",")
    sizes = {}
    spans = []
    for term, a in zip(terms, arrays):
        head, _, tail = term.partition("...")
        dims = list(range(len(head))) + list(range(a.ndim - len(tail), a.ndim))
        spans.append(list(zip(head + tail, dims)))
        for ch, d in spans[-1]:
            if a.shape[d] != 1:
                sizes[ch] = a.shape[d]
            sizes.setdefault(ch, 1)
    out = []
    for a, span in zip(arrays, spans):
        shape = list(a.shape)
        for ch, d in span:
            if shape[d] == 1 and sizes[ch] != 1:
                shape[d] = sizes[ch]
        out.append(jnp.broadcast_to(a, shape) if tuple(shape) != a.shape else a)
    return out


def _einsum_kernel(*arrays, eq, precision):
    return jnp.einsum(eq, *_einsum_broadcast(eq, arrays), precision=precision)


_einsum_op = Op("einsum", _einsum_kernel, saves="inputs")


def einsum(*args):
    """Einstein summation: ``einsum("ij,jk->ik", a, b)``, operands as a list, or the sublist form."""
    if args and isinstance(args[0], str):
        equation = args[0]
        operands = args[1] if len(args) == 2 and isinstance(args[1], (list, tuple)) else args[1:]
    else:
        equation, operands = _sublist_equation(args)
    operands = tuple(operands)
    if not operands:
        raise ValueError("einsum(): must specify the equation string and at least one operand, or at least one "
                         "operand and its subscripts list")
    for t in operands[1:]:
        if t.dtype is not operands[0].dtype:
            raise RuntimeError(f"expected scalar type {_name(operands[0].dtype)} but found {_name(t.dtype)}")
    eq = _parse_einsum(equation, operands)
    return _einsum_op(*operands, eq=eq, precision=_precision())


# ---- tensordot / kron ----
def _tensordot_kernel(a, b, *, dims_a, dims_b, precision):
    for da, db in zip(dims_a, dims_b):
        if a.shape[da] == 1 and b.shape[db] != 1:
            b = jnp.sum(b, axis=db, keepdims=True)
        elif b.shape[db] == 1 and a.shape[da] != 1:
            a = jnp.sum(a, axis=da, keepdims=True)
    return jnp.tensordot(a, b, (dims_a, dims_b), precision=precision)


_tensordot_op = Op("tensordot", _tensordot_kernel, saves="others")


def _tensordot_dims(a, b, dims):
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, (int, np.integer)):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > a.ndim or dims > b.ndim:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        return list(range(-dims, 0)), list(range(dims))
    da, db = dims
    da = [da] if isinstance(da, (int, np.integer)) else list(da)
    db = [db] if isinstance(db, (int, np.integer)) else list(db)
    return da, db


def tensordot(a, b, dims=2, out=None):
    """Contract ``dims`` (a count of trailing/leading dims, or two lists of dims) of ``a`` and ``b``."""
    _check_tensor(a, "tensordot", "a")
    _check_tensor(b, "tensordot", "b", 2)
    da, db = _tensordot_dims(a, b, dims)
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    if a.dtype is not b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    for x, y in zip(da, db):
        s1, s2 = a.shape[wrap_dim(x, a.ndim)], b.shape[wrap_dim(y, b.ndim)]
        if s1 != s2 and s1 != 1 and s2 != 1:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {s1} in dim {x} and second "
                               f"has size {s2} in dim {y}")
    wa, wb = wrap_dims(da, a.ndim), wrap_dims(db, b.ndim)
    return write_out(out, _tensordot_op(a, b, dims_a=wa, dims_b=wb, precision=_precision()))


_kron_op = Op("kron", lambda a, b, *, dtype: jnp.kron(a.astype(dtype), b.astype(dtype)), saves="others",
              grad_name="UnsafeViewBackward0")


def kron(input, other, *, out=None):
    """Kronecker product (type promotion; the smaller-rank input gets leading 1 dims)."""
    _check_tensor(input, "kron")
    _check_tensor(other, "kron", "other", 2)
    return write_out(out, _kron_op(input, other, dtype=result_dtype(input, other).np))


# ---- fused add + product ----
def _scaled_sum(prod, inp, beta, alpha, beta_zero):
    dtype = prod.dtype
    scaled = jnp.asarray(alpha, dtype) * prod
    if beta_zero:
        return jnp.broadcast_to(scaled, jnp.broadcast_shapes(scaled.shape, inp.shape)).astype(dtype)
    return jnp.asarray(beta, dtype) * inp.astype(dtype) + scaled


def _addmm_kernel(m1, m2, inp, beta, alpha, *, precision, beta_zero):
    return _scaled_sum(jnp.matmul(m1, m2, precision=precision), inp, beta, alpha, beta_zero)


def _addbmm_kernel(b1, b2, inp, beta, alpha, *, precision, beta_zero):
    return _scaled_sum(jnp.einsum("bij,bjk->ik", b1, b2, precision=precision), inp, beta, alpha, beta_zero)


def _addr_kernel(v1, v2, inp, beta, alpha, *, dtype, beta_zero):
    return _scaled_sum(jnp.outer(v1.astype(dtype), v2.astype(dtype)), inp, beta, alpha, beta_zero)


_addmm_op = Op("addmm", _addmm_kernel, saves="others")
_addmv_op = Op("addmv", _addmm_kernel, saves="others")
_baddbmm_op = Op("baddbmm", _addmm_kernel, saves="others")
_addbmm_op = Op("addbmm", _addbmm_kernel, saves="others")
_addr_op = Op("addr", _addr_kernel, saves="others")


def _is_zero(beta):
    return not isinstance(beta, Tensor) and beta == 0


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * (mat1 @ mat2)``; ``input`` broadcasts, and is ignored when ``beta == 0``."""
    _check_tensor(input, "addmm")
    if mat1.ndim != 2:
        raise RuntimeError(f"mat1 must be a matrix, got {mat1.ndim}-D tensor")
    if mat2.ndim != 2:
        raise RuntimeError(f"mat2 must be a matrix, got {mat2.ndim}-D tensor")
    if input.dtype is not mat2.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {_name(input.dtype)} and "
                           f"{_name(mat2.dtype)}")
    _mm_checks(mat1, mat2)
    _expandable(input.shape, (mat1.shape[0], mat2.shape[1]))
    res = _addmm_op(mat1, mat2, input, beta, alpha, precision=_precision(), beta_zero=_is_zero(beta))
    return write_out(out, res)


def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * (mat @ vec)``."""
    _check_tensor(input, "addmv")
    if mat.ndim != 2 or vec.ndim != 1 or input.ndim > 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {input.ndim}, {mat.ndim}, {vec.ndim}")
    if not (input.dtype is mat.dtype is vec.dtype):
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got {_name(input.dtype)}, "
                           f"{_name(mat.dtype)}, and {_name(vec.dtype)}")
    _no_bool(mat.dtype, "addmv_impl_cpu")
    n = mat.shape[0]
    if mat.shape[1] != vec.shape[0] or (input.ndim == 1 and input.shape[0] not in (1, n)):
        shown = input.shape[0] if input.ndim == 1 else 1
        raise RuntimeError(f"size mismatch, got input ({shown}), mat ({n}x{mat.shape[1]}), vec ({vec.shape[0]})")
    res = _addmv_op(mat, vec, input, beta, alpha, precision=_precision(), beta_zero=_is_zero(beta))
    return write_out(out, res)


def _badd_checks(input, b1, b2):
    _bmm_checks(b1, b2)
    if input.dtype is not b1.dtype:
        raise RuntimeError(f"Input dtypes must be the same, got: input {_CTYPE[input.dtype.name]}, batch1: "
                           f"{_CTYPE[b1.dtype.name]}, batch2: {_CTYPE[b2.dtype.name]}")


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * bmm(batch1, batch2)``."""
    _check_tensor(input, "baddbmm")
    _badd_checks(input, batch1, batch2)
    _expandable(input.shape, (batch1.shape[0], batch1.shape[1], batch2.shape[2]))
    res = _baddbmm_op(batch1, batch2, input, beta, alpha, precision=_precision(), beta_zero=_is_zero(beta))
    return write_out(out, res)


def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * sum_b(batch1[b] @ batch2[b])``."""
    _check_tensor(input, "addbmm")
    _badd_checks(input, batch1, batch2)
    _expandable(input.shape, (batch1.shape[1], batch2.shape[2]))
    res = _addbmm_op(batch1, batch2, input, beta, alpha, precision=_precision(), beta_zero=_is_zero(beta))
    return write_out(out, res)


def addr(input, vec1, vec2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * outer(vec1, vec2)`` (with type promotion)."""
    _check_tensor(input, "addr")
    if vec1.ndim != 1:
        raise RuntimeError(f"addr: Expected 1-D argument vec1, but got {vec1.ndim}-D")
    if vec2.ndim != 1:
        raise RuntimeError(f"addr: Expected 1-D argument vec2, but got {vec2.ndim}-D")
    _expandable(input.shape, (vec1.shape[0], vec2.shape[0]))
    dtype = D.promote_types(D.promote_types(input.dtype, vec1.dtype), vec2.dtype)
    res = _addr_op(vec1, vec2, input, beta, alpha, dtype=dtype.np, beta_zero=_is_zero(beta))
    return write_out(out, res)


# ---- chains and powers ----
_multi_dot_op = Op("multi_dot", lambda *arrays, precision: jnp.linalg.multi_dot(arrays, precision=precision),
                   saves="inputs")


def multi_dot(tensors, *, out=None):
    """Product of a chain of matrices in the cheapest order (first/last may be 1-D)."""
    tensors = tuple(tensors)
    n = len(tensors)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    if tensors[0].ndim not in (1, 2):
        raise RuntimeError(f"multi_dot(): the first tensor must be 1D or 2D but got {tensors[0].ndim}D")
    if tensors[-1].ndim not in (1, 2):
        raise RuntimeError(f"multi_dot(): the last tensor must be 1D or 2D but got {tensors[-1].ndim}D")
    for i, t in enumerate(tensors[1:-1], 1):
        if t.ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t.ndim}D")
    for i, t in enumerate(tensors[1:], 1):
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but tensor 0 is "
                               f"{_CTYPE[tensors[0].dtype.name]} and tensor {i} {_CTYPE[t.dtype.name]}")
    shapes = [t.shape if t.ndim == 2 else ((1, t.shape[0]) if i == 0 else (t.shape[0], 1))
              for i, t in enumerate(tensors)]
    for i in range(n - 1):
        if shapes[i][1] != shapes[i + 1][0]:
            raise RuntimeError(f"multi_dot(): tensors {i} and {i + 1} with shapes {list(tensors[i].shape)} and "
                               f"{list(tensors[i + 1].shape)} cannot be multiplied")
    return write_out(out, _multi_dot_op(*tensors, precision=_precision()))


_CHAIN_WARNED = []


def chain_matmul(*matrices, out=None):
    """Deprecated (warns once): :func:`jtorch.linalg.multi_dot` of 2-D matrices."""
    if not _CHAIN_WARNED:
        _CHAIN_WARNED.append(True)
        warnings.warn("torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
                      "torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than "
                      "multiple parameters.", UserWarning, stacklevel=2)
    if len(matrices) == 1 and isinstance(matrices[0], (list, tuple)):
        matrices = tuple(matrices[0])
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for t in matrices:
        if t.ndim != 2:
            raise RuntimeError(f"Tensor dimension is {t.ndim}, expected 2 instead.")
    if len(matrices) == 1:
        return write_out(out, matrices[0].clone())
    return multi_dot(matrices, out=out)


def _square(A, fn):
    if A.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{fn}: A must be batches of square matrices, but they are {A.shape[-2]} by "
                           f"{A.shape[-1]} matrices")


def _floating(A, fn):
    d = A.dtype
    if not (d.is_floating_point or d.is_complex):
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. Got {_name(d)}")


_matrix_power_op = Op("matrix_power", lambda a, *, n: jnp.linalg.matrix_power(a, n), saves="inputs",
                      grad_name="MmBackward0")


def matrix_power(input, n, *, out=None):
    """``input`` to the integer power ``n`` (batches of square matrices; negative ``n`` inverts)."""
    _check_tensor(input, "matrix_power")
    _square(input, "linalg.matrix_power")
    if n < 0:
        _floating(input, "linalg.inv")
    return write_out(out, _matrix_power_op(input, n=int(n)))


# ---- inverse, determinants ----
def _lu_info(a):
    """LAPACK getrf's info per matrix: 1-based index of the first zero pivot, 0 if none."""
    lu = lax.linalg.lu(lax.stop_gradient(a))[0]
    zero = jnp.diagonal(lu, axis1=-2, axis2=-1) == 0
    return jnp.where(jnp.any(zero, -1), jnp.argmax(zero, -1) + 1, 0).astype(jnp.int32)


def _inv_kernel(a):
    if a.shape[-1] == 0:
        return a, jnp.zeros(a.shape[:-2], jnp.int32)
    return jnp.linalg.inv(a), _lu_info(a)


_inv_op = Op("linalg_inv_ex", _inv_kernel, saves="out")


def _raise_on_info(info, message):
    """Eager only: raise ``LinAlgError(message(code))`` for the first nonzero ``info`` (batched: named)."""
    arr = info._read()
    if isinstance(arr, jax.core.Tracer):
        return
    host = np.asarray(arr)
    if not host.any():
        return
    flat = host.reshape(-1)
    idx = int(np.flatnonzero(flat)[0])
    prefix = f"(Batch element {idx}): " if host.ndim else ""
    raise LinAlgError(message(prefix, int(flat[idx])))


def _inv_ex(A, check_errors=False):
    _check_tensor(A, "linalg_inv_ex", "A")
    _square(A, "linalg.inv")
    _floating(A, "linalg.inv")
    inv, info = _inv_op(A)
    if check_errors:
        _raise_on_info(info, _inv_message)
    return inv, info


def _inv_message(prefix, code):
    return (f"linalg.inv: {prefix}The diagonal element {code} is zero, the inversion could not be completed because "
            "the input matrix is singular.")


def linalg_inv(A, *, out=None):
    """Inverse of batches of square matrices; singular input raises ``LinAlgError`` (eager)."""
    return write_out(out, _inv_ex(A, check_errors=True)[0])


def linalg_inv_ex(A, *, check_errors=False, out=None):
    """``(inverse, info)``: ``info`` is LAPACK's (0 = success, k = zero pivot k) per matrix."""
    return write_out(out, _InvEx(*_inv_ex(A, check_errors)))


def inverse(input, *, out=None):
    """``torch.inverse``: alias of :func:`jtorch.linalg.inv`."""
    return linalg_inv(input, out=out)


def _det_kernel(a):
    if a.shape[-1] == 0:
        return jnp.ones(a.shape[:-2], a.dtype)
    return jnp.linalg.det(a)


def _slogdet_kernel(a):
    if a.shape[-1] == 0:
        return jnp.ones(a.shape[:-2], a.dtype), jnp.zeros(a.shape[:-2], jnp.finfo(a.dtype).dtype)
    return tuple(jnp.linalg.slogdet(a))


_det_op = Op("linalg_det", _det_kernel, saves="inputs+out")


def linalg_det(A, *, out=None):
    """Determinant of batches of square matrices. Its gradient needs an invertible matrix (PyTorch's
    SVD-based gradient for singular matrices is not reproduced: it gives nan there)."""
    _check_tensor(A, "linalg_det", "A")
    _square(A, "linalg.det")
    _floating(A, "linalg.det")
    return write_out(out, _det_op(A))


det = linalg_det
_slogdet_op = Op("linalg_slogdet", _slogdet_kernel, saves="inputs+out")


def _slogdet(A, cls):
    _check_tensor(A, "linalg_slogdet", "A")
    _square(A, "linalg.slogdet")
    _floating(A, "linalg.slogdet")
    return cls(*_slogdet_op(A))


def linalg_slogdet(A, *, out=None):
    """``(sign, logabsdet)`` of the determinant."""
    return write_out(out, _slogdet(A, _LinalgSlogdet))


def slogdet(input, *, out=None):
    """``torch.slogdet``: ``(sign, logabsdet)`` of the determinant."""
    return write_out(out, _slogdet(input, _Slogdet))


def _logdet_kernel(a):
    sign, logabs = _slogdet_kernel(a)
    if jnp.iscomplexobj(a):
        return jnp.log(sign) + logabs
    return jnp.where(sign < 0, jnp.nan, logabs)


_logdet_op = Op("logdet", _logdet_kernel, saves="inputs", grad_name="WhereBackward0")


def logdet(input):
    """Log-determinant: nan for a negative determinant, -inf for a zero one (real input)."""
    _check_tensor(input, "logdet")
    _square(input, "linalg.slogdet")
    _floating(input, "linalg.slogdet")
    return _logdet_op(input)


# ---- pseudo-inverse ----
def _pinv_kernel(a, atol, rtol, *, hermitian, has_atol):
    if a.shape[-1] == 0 or a.shape[-2] == 0:
        return jnp.zeros(a.shape[:-2] + (a.shape[-1], a.shape[-2]), a.dtype)
    if hermitian:
        a = a + lax.stop_gradient(_hermitian(a, True) - a)
    rtol = jnp.asarray(rtol, jnp.finfo(a.dtype).dtype)
    if has_atol:
        smax = jnp.max(jnp.linalg.svd(lax.stop_gradient(a), compute_uv=False), -1)
        safe = jnp.where(smax > 0, smax, 1)
        rtol = jnp.maximum(jnp.asarray(atol, smax.dtype) / safe, rtol)
    return jnp.linalg.pinv(a, rtol=rtol)


_pinv_op = Op("linalg_pinv", _pinv_kernel, saves="inputs+out")


def linalg_pinv(A, *, atol=None, rtol=None, hermitian=False, out=None):
    """Moore-Penrose pseudo-inverse; singular values below ``max(atol, rtol * s_max)`` are dropped
    (PyTorch's defaults: ``rtol = eps * max(m, n)`` unless ``atol > 0`` is given). ``hermitian``
    reads the lower triangle, as PyTorch does; the result is computed by SVD either way."""
    _check_tensor(A, "linalg_pinv", "A")
    if A.ndim < 2 or not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise RuntimeError(f"linalg.pinv({_name(A.dtype)}{{{list(A.shape)}}}): expected a tensor with 2 or more "
                           "dimensions of float, double, cfloat or cdouble types")
    has_atol = atol is not None and (isinstance(atol, Tensor) or atol > 0)
    if rtol is None:
        eps = D.finfo(A.dtype).eps
        rtol = 0.0 if has_atol else eps * max(A.shape[-1], A.shape[-2])
    res = _pinv_op(A, atol if has_atol else 0.0, rtol, hermitian=bool(hermitian), has_atol=has_atol)
    return write_out(out, res)


def pinverse(input, rcond=1e-15):
    """``torch.pinverse``: :func:`jtorch.linalg.pinv` with ``rtol=rcond``."""
    return linalg_pinv(input, rtol=rcond)


# ---- triangle-reading decompositions ----
@jax.custom_vjp
def _hermitian_from_lower(a):
    """The Hermitian matrix given by ``a``'s lower triangle (what LAPACK reads); its gradient is
    the symmetrised incoming one, which makes JAX's eigh/cholesky gradients PyTorch's."""
    low = jnp.tril(a, -1)
    diag = jnp.real(jnp.diagonal(a, axis1=-2, axis2=-1)).astype(a.dtype)
    return low + jnp.conj(jnp.swapaxes(low, -1, -2)) + diag[..., None] * jnp.eye(a.shape[-1], dtype=a.dtype)


def _hfl_fwd(a):
    return _hermitian_from_lower(a), None


def _hfl_bwd(_, g):
    return ((g + jnp.conj(jnp.swapaxes(g, -1, -2))) / 2,)


_hermitian_from_lower.defvjp(_hfl_fwd, _hfl_bwd)


def _hermitian(a, lower):
    return _hermitian_from_lower(a if lower else jnp.conj(jnp.swapaxes(a, -1, -2)))


def _pivot_order(a):
    """Per matrix, the order of the first leading minor that is not positive-definite (0 if none)."""
    n = a.shape[-1]

    def step(k, carry):
        m, info = carry
        p = jnp.real(m[..., k, k])
        info = jnp.where((info == 0) & ~(p > 0), k + 1, info)
        col = m[..., :, k]
        safe = jnp.where(p > 0, p, 1).astype(m.dtype)
        m = m - col[..., :, None] * jnp.conj(col)[..., None, :] / safe[..., None, None]
        return m, info

    return lax.fori_loop(0, n, step, (a, jnp.zeros(a.shape[:-2], jnp.int32)))[1]


def _cholesky_kernel(a, *, upper):
    h = _hermitian(a, True)
    low = lax.linalg.cholesky(h, symmetrize_input=False)
    ok = jnp.all(jnp.isfinite(low))
    info = lax.cond(ok, lambda m: jnp.zeros(m.shape[:-2], jnp.int32), _pivot_order, lax.stop_gradient(h))
    return (jnp.conj(jnp.swapaxes(low, -1, -2)) if upper else low), info


_cholesky_ex_op = Op("linalg_cholesky_ex", _cholesky_kernel, saves="out")
_cholesky_old_op = Op("cholesky", _cholesky_kernel, saves="out")


def _chol_message(fn):
    def message(prefix, code):
        return (f"{fn}: {prefix}The factorization could not be completed because the input is not positive-definite "
                f"(the leading minor of order {code} is not positive-definite).")
    return message


def _cholesky(A, upper, the_op, fn, check):
    _check_tensor(A, fn.replace(".", "_"), "A")
    _square(A, fn)
    _floating(A, fn)
    L, info = the_op(A, upper=bool(upper))
    if check:
        _raise_on_info(info, _chol_message(fn))
    return L, info


def linalg_cholesky(A, *, upper=False, out=None):
    """Cholesky factor of batches of Hermitian positive-definite matrices (only the lower triangle is
    read); non positive-definite input raises ``LinAlgError`` (eager)."""
    return write_out(out, _cholesky(A, upper, _cholesky_ex_op, "linalg.cholesky", True)[0])


def linalg_cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    """``(L, info)``; ``info`` is the order of the first non positive-definite leading minor (0: success)."""
    return write_out(out, _CholeskyEx(*_cholesky(A, upper, _cholesky_ex_op, "linalg.cholesky", check_errors)))


_CHOLESKY_WARNED = []


def cholesky(input, upper=False, *, out=None):
    """Deprecated ``torch.cholesky`` (warns once): :func:`jtorch.linalg.cholesky`."""
    if not _CHOLESKY_WARNED:
        _CHOLESKY_WARNED.append(True)
        warnings.warn("torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a future "
                      "PyTorch release.\nL = torch.cholesky(A)\nshould be replaced with\nL = torch.linalg.cholesky(A)\n"
                      "and\nU = torch.cholesky(A, upper=True)\nshould be replaced with\n"
                      "U = torch.linalg.cholesky(A).mH\n"
                      "This transform will produce equivalent results for all valid (symmetric positive definite) "
                      "inputs.", UserWarning, stacklevel=2)
    return write_out(out, _cholesky(input, upper, _cholesky_old_op, "cholesky", True)[0])


def _eigh_kernel(a, *, lower):
    v, w = lax.linalg.eigh(_hermitian(a, lower), lower=True, symmetrize_input=False)
    return w, v


_eigh_op = Op("linalg_eigh", _eigh_kernel, saves="out")
_eigvalsh_op = Op("linalg_eigh", lambda a, *, lower: _eigh_kernel(a, lower=lower)[0], saves="out")


def _uplo(A, UPLO, fn):
    _check_tensor(A, fn.replace(".", "_"), "A")
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    _square(A, fn)
    if not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise NotImplementedError(f"\"linalg_eigh_cpu\" not implemented for '{_name(A.dtype)}'")
    return UPLO == "L"


def linalg_eigh(A, UPLO="L", *, out=None):
    """Eigenvalues (ascending) and eigenvectors of Hermitian matrices, reading the ``UPLO`` triangle."""
    lower = _uplo(A, UPLO, "linalg.eigh")
    return write_out(out, _Eigh(*_eigh_op(A, lower=lower)))


def linalg_eigvalsh(A, UPLO="L", *, out=None):
    """Eigenvalues (ascending) of Hermitian matrices, reading the ``UPLO`` triangle."""
    lower = _uplo(A, UPLO, "linalg.eigvalsh")
    return write_out(out, _eigvalsh_op(A, lower=lower))


def _eig_kernel(a):
    w, v = lax.linalg.eig(a, compute_left_eigenvectors=False, enable_eigvec_derivs=True)
    return w, v


def _eigvals_kernel(a):
    return lax.linalg.eig(a, compute_left_eigenvectors=False, compute_right_eigenvectors=False)[0]


_eig_op = Op("linalg_eig", _eig_kernel, saves="out")
_eigvals_op = Op("linalg_eig", _eigvals_kernel, saves="out")


def _eig_checks(A, fn):
    _check_tensor(A, fn.replace(".", "_"), "A")
    _square(A, fn)
    if not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise RuntimeError(f"Unknown Complex ScalarType for {_name(A.dtype)}")


def linalg_eig(A, *, out=None):
    """Eigenvalues and (unit-norm) eigenvectors of general square matrices, as complex tensors."""
    _eig_checks(A, "linalg.eig")
    return write_out(out, _Eig(*_eig_op(A)))


def linalg_eigvals(A, *, out=None):
    """Eigenvalues of general square matrices, as a complex tensor."""
    _eig_checks(A, "linalg.eigvals")
    return write_out(out, _eigvals_op(A))


# ---- QR and SVD ----
def _grad_error(x, message):
    """``x`` unchanged; differentiating through it raises PyTorch's RuntimeError ``message``."""
    @jax.custom_vjp
    def ident(v):
        return v

    def bwd(_, g):
        raise RuntimeError(message)

    ident.defvjp(lambda v: (v, None), bwd)
    return ident(x)


_QR_R_MSG = ("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use "
             "linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.")
_QR_COMPLETE_MSG = "The QR decomposition is not differentiable when mode='complete' and nrows > ncols."


def _qr_kernel(a, *, mode):
    m, n = a.shape[-2], a.shape[-1]
    if mode == "r":
        r = jnp.linalg.qr(a, mode="r")
        return jnp.zeros((0,), a.dtype), _grad_error(r, _QR_R_MSG)
    q, r = jnp.linalg.qr(a, mode=mode)
    if mode == "complete" and m > n:
        return _grad_error(q, _QR_COMPLETE_MSG), _grad_error(r, _QR_COMPLETE_MSG)
    return q, r


_qr_op = Op("linalg_qr", _qr_kernel, saves="out")


def linalg_qr(A, mode="reduced", *, out=None):
    """QR decomposition; ``mode`` is 'reduced', 'complete' or 'r' (Q is then an empty tensor)."""
    _check_tensor(A, "linalg_qr", "A")
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', or "
                           "'complete'")
    if A.ndim < 2:
        raise RuntimeError("linalg.qr: The input tensor A must have at least 2 dimensions.")
    _floating(A, "linalg.qr")
    return write_out(out, _LinalgQr(*_qr_op(A, mode=mode)))


_QR_WARNED = []


def qr(input, some=True, *, out=None):
    """Deprecated ``torch.qr`` (warns once): ``linalg.qr(input, 'reduced' if some else 'complete')``."""
    if not _QR_WARNED:
        _QR_WARNED.append(True)
        warnings.warn("torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future PyTorch "
                      "release.\nThe boolean parameter 'some' has been replaced with a string parameter 'mode'.\n"
                      "Q, R = torch.qr(A, some)\nshould be replaced with\nQ, R = torch.linalg.qr(A, 'reduced' if some "
                      "else 'complete')", UserWarning, stacklevel=2)
    return write_out(out, _Qr(*linalg_qr(input, "reduced" if some else "complete")))


def _svd_kernel(a, *, full):
    m, n = a.shape[-2], a.shape[-1]
    k = min(m, n)
    if k == 0:
        return jnp.linalg.svd(a, full_matrices=full)
    u, s, vh = jnp.linalg.svd(a, full_matrices=False)
    if full and m != n:
        uf, _, vhf = jnp.linalg.svd(lax.stop_gradient(a), full_matrices=True)
        u = jnp.concatenate([u, uf[..., :, k:]], axis=-1)
        vh = jnp.concatenate([vh, vhf[..., k:, :]], axis=-2)
    return u, s, vh


_svd_op = Op("linalg_svd", _svd_kernel, saves="out")
_svdvals_op = Op("linalg_svd", lambda a: jnp.linalg.svd(a, compute_uv=False), saves="out")


def _svd_checks(A, fn):
    _check_tensor(A, fn.replace(".", "_"), "A")
    if A.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor A must have at least 2 dimensions.")
    _floating(A, fn)


def linalg_svd(A, full_matrices=True, *, driver=None, out=None):
    """``(U, S, Vh)`` with ``A = U diag(S) Vh``. Gradients flow through the first ``min(m, n)``
    columns of U / rows of Vh, like PyTorch. ``full_matrices`` on a non-square input costs a second
    SVD (for the completing columns)."""
    _svd_checks(A, "linalg.svd")
    return write_out(out, _LinalgSvd(*_svd_op(A, full=bool(full_matrices))))


def linalg_svdvals(A, *, driver=None, out=None):
    """Singular values, descending."""
    _svd_checks(A, "linalg.svdvals")
    return write_out(out, _svdvals_op(A))


def svd(input, some=True, compute_uv=True, *, out=None):
    """Old-style ``torch.svd``: ``(U, S, V)`` with ``V`` (not ``Vh``); ``compute_uv=False`` gives
    zero-filled U (m x m) and V (n x n)."""
    _svd_checks(input, "linalg.svd")
    if not compute_uv:
        from .creation import zeros

        m, n = input.shape[-2], input.shape[-1]
        batch = tuple(input.shape[:-2])
        S = linalg_svdvals(input)
        return write_out(out, _Svd(zeros(batch + (m, m), dtype=input.dtype), S,
                                   zeros(batch + (n, n), dtype=input.dtype)))
    U, S, Vh = _svd_op(input, full=not some)
    return write_out(out, _Svd(U, S, V.adjoint(Vh)))


# ---- solvers ----
def _solve_kernel(a, b, *, left, vector):
    if not left:
        a = jnp.swapaxes(a, -1, -2)
        b = jnp.swapaxes(b, -1, -2)
    if vector:
        b = b[..., None]
    batch = jnp.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = jnp.broadcast_to(a, batch + a.shape[-2:])
    b = jnp.broadcast_to(b, batch + b.shape[-2:])
    x = jnp.linalg.solve(a, b) if a.shape[-1] else jnp.zeros(b.shape, b.dtype)
    if vector:
        x = x[..., 0]
    elif not left:
        x = jnp.swapaxes(x, -1, -2)
    info = _lu_info(a) if a.shape[-1] else jnp.zeros(batch, jnp.int32)
    return x, info


_solve_op = Op("linalg_solve_ex", _solve_kernel, saves="inputs+out")


def _solve_message(prefix, code):
    return f"torch.linalg.solve: {prefix}The solver failed because the input matrix is singular."


def linalg_solve(A, B, *, left=True, out=None):
    """Solve ``A X = B`` (``X A = B`` with ``left=False``); ``B`` may be a (batch of) vector(s).
    Singular input raises ``LinAlgError`` (eager)."""
    _check_tensor(A, "linalg_solve", "A")
    _check_tensor(B, "linalg_solve", "B", 2)
    _square(A, "linalg.solve")
    _floating(A, "linalg.solve")
    if A.dtype is not B.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
                           f"{_name(A.dtype)} and B of type {_name(B.dtype)} instead")
    n = A.shape[-1]
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))
    if vector:
        ok, shown = B.shape[-1] == n, (B.shape[-1], 1)
    else:
        rows = B.shape[-2] if left else B.shape[-1]
        ok, shown = rows == n, (B.shape[-2], B.shape[-1])
    if not ok:
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation {eq} ({n}x{n} and "
                           f"{shown[0]}x{shown[1]})")
    broadcast_shapes(tuple(A.shape[:-2]), tuple(B.shape[:-1] if vector else B.shape[:-2]))
    x, info = _solve_op(A, B, left=bool(left), vector=vector)
    _raise_on_info(info, _solve_message)
    return write_out(out, x)


def _lstsq_kernel(a, b, rcond, *, vector, residuals, rank, svals):
    if vector:
        b = b[..., None]
    m, n = a.shape[-2], a.shape[-1]
    rtol = jnp.asarray(rcond, jnp.finfo(a.dtype).dtype)
    sol = jnp.matmul(jnp.linalg.pinv(a, rtol=rtol), b, precision="highest")
    real = jnp.finfo(a.dtype).dtype
    s = jnp.linalg.svd(lax.stop_gradient(a), compute_uv=False)
    if residuals:
        res = jnp.sum(jnp.abs(jnp.matmul(a, sol, precision="highest") - b) ** 2, axis=-2).astype(real)
    else:
        res = jnp.zeros((0,), real)
    if rank:
        cutoff = rtol * jnp.max(s, axis=-1, keepdims=True) if min(m, n) else 0
        rk = jnp.sum(s > cutoff, axis=-1).astype(jnp.int64)
    else:
        rk = jnp.zeros((0,), jnp.int64)
    sv = s if svals else jnp.zeros((0,), real)
    return (sol[..., 0] if vector else sol), res, rk, sv


_lstsq_op = Op("linalg_lstsq", _lstsq_kernel, saves="inputs+out")
_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def linalg_lstsq(A, B, rcond=None, *, driver=None):
    """Least-squares solution of ``A X = B`` as ``(solution, residuals, rank, singular_values)``.

    The solution is the minimum-norm one (``pinv(A, rtol=rcond) @ B``); which of the other fields are
    filled follows PyTorch's CPU drivers (default 'gelsy': rank only). Residuals are reported when
    m > n and the driver is not 'gelsy' (PyTorch also leaves them empty for rank-deficient input)."""
    _check_tensor(A, "linalg_lstsq", "A")
    _check_tensor(B, "linalg_lstsq", "B", 2)
    driver = driver or "gelsy"
    if driver not in _DRIVERS:
        raise RuntimeError("torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)")
    if A.dtype is not B.dtype:
        raise RuntimeError(f"torch.linalg.lstsq: Expected input and other to have the same dtype, but got input's "
                           f"dtype {_name(A.dtype)} and other's dtype {_name(B.dtype)}")
    if not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise RuntimeError("This function doesn't handle types other than float and double")
    if A.ndim < 2:
        raise RuntimeError("torch.linalg.lstsq: input must have at least 2 dimensions.")
    vector = B.ndim == A.ndim - 1
    if (B.shape[-1] if vector else B.shape[-2]) != A.shape[-2]:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-2)")
    m, n = A.shape[-2], A.shape[-1]
    if rcond is None:
        rcond = D.finfo(A.dtype).eps * max(m, n)
    res = _lstsq_op(A, B, rcond, vector=vector, residuals=m > n and driver != "gelsy",
                    rank=driver != "gels", svals=driver in ("gelsd", "gelss"))
    sol, resid, rk, sv = res
    if resid.numel() and driver != "gels" and not isinstance(rk._read(), jax.core.Tracer) and bool(
            (np.asarray(rk._read()) < n).any()):
        from .creation import zeros

        resid = zeros(0, dtype=resid.dtype)
    return _Lstsq(sol, resid, rk, sv)


def _rank_kernel(a, atol, rtol, *, hermitian):
    if hermitian:
        s = jnp.abs(jnp.linalg.eigvalsh(a))
    else:
        s = jnp.linalg.svd(a, compute_uv=False)
    if s.shape[-1] == 0:
        return jnp.zeros(s.shape[:-1], jnp.int64)
    cutoff = jnp.maximum(jnp.asarray(atol, s.dtype), jnp.asarray(rtol, s.dtype) * jnp.max(s, axis=-1))
    return jnp.sum(s > cutoff[..., None], axis=-1).astype(jnp.int64)


_rank_op = Op("linalg_matrix_rank", _rank_kernel, differentiable=False)


def linalg_matrix_rank(A, tol=None, hermitian=False, *, atol=None, rtol=None, out=None):
    """Number of singular values above ``max(atol, rtol * s_max)`` (int64). ``tol`` is the old name
    for ``atol`` (with ``rtol = 0``); by default ``rtol = eps * max(m, n)``."""
    _check_tensor(A, "linalg_matrix_rank", "A")
    if not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise RuntimeError("This function doesn't handle types other than float and double")
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_rank: The input tensor input must have at least 2 dimensions.")
    if tol is not None:
        atol, rtol = tol, 0.0
    has_atol = atol is not None and (isinstance(atol, Tensor) or atol > 0)
    if rtol is None:
        rtol = 0.0 if has_atol else D.finfo(A.dtype).eps * max(A.shape[-1], A.shape[-2])
    return write_out(out, _rank_op(A, atol if atol is not None else 0.0, rtol, hermitian=bool(hermitian)))


# ---- norms and distances ----
def _safe_sqrt(s):
    nz = s != 0
    return jnp.where(nz, jnp.sqrt(jnp.where(nz, s, 1)), 0)


def _abs(x):
    """|x| whose gradient at 0 is 0 (also for complex x)."""
    if jnp.iscomplexobj(x):
        return _safe_sqrt(jnp.real(x) ** 2 + jnp.imag(x) ** 2)
    return jnp.abs(x)


def _vnorm(x, ord, axis, keepdims):
    """Vector norm with PyTorch's gradient conventions (zero subgradient at zero)."""
    if ord == 2:
        sq = jnp.real(x) ** 2 + jnp.imag(x) ** 2 if jnp.iscomplexobj(x) else x * x
        return _safe_sqrt(jnp.sum(sq, axis=axis, keepdims=keepdims))
    ax = _abs(x)
    if ord == float("inf"):
        return jnp.max(ax, axis=axis, keepdims=keepdims)
    if ord == float("-inf"):
        return jnp.min(ax, axis=axis, keepdims=keepdims)
    if ord == 0:
        return jnp.sum((ax != 0).astype(ax.dtype), axis=axis, keepdims=keepdims)
    if ord == 1:
        return jnp.sum(ax, axis=axis, keepdims=keepdims)
    pos = ax != 0
    powered = jnp.where(pos, jnp.where(pos, ax, 1) ** ord, 0 if ord > 0 else jnp.inf)
    s = jnp.sum(powered, axis=axis, keepdims=keepdims)
    ok = s != 0
    return jnp.where(ok, jnp.where(ok, s, 1) ** (1.0 / ord), 0)


def _vnorm_kernel(x, *, ord, axis, keepdims, dtype):
    return _vnorm(x.astype(dtype), ord, axis, keepdims)


_vnorm_op = Op("linalg_vector_norm", _vnorm_kernel, saves="inputs+out")


def _norm_dtype(A, dtype, fn):
    if not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. Got {_name(A.dtype)}")
    if dtype is None:
        return A.dtype
    if D.promote_types(A.dtype, dtype) is not dtype:
        raise RuntimeError(f"{fn}: the dtype of the input ({_name(A.dtype)}) should be convertible without narrowing "
                           f"to the specified dtype ({_name(dtype)})")
    return dtype


def _ord_text(ord):
    return "inf" if ord == float("inf") else "-inf" if ord == float("-inf") else f"{ord:g}"


def linalg_vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    """``ord``-norm over ``dim`` (all elements when None); the result has the real dtype."""
    _check_tensor(x, "linalg_vector_norm", "input")
    if not is_scalar(ord) or isinstance(ord, bool):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' (position 2) must be Number, not {type(ord).__name__}")
    d = _norm_dtype(x, dtype, "linalg.vector_norm")
    axis = None if dim is None or (isinstance(dim, (list, tuple)) and not dim) else wrap_dims(dim, x.ndim)
    if ord < 0 or ord == float("inf"):
        if axis is None and x.numel() == 0:
            raise RuntimeError(f"linalg.vector_norm cannot compute the {_ord_text(ord)} norm on an empty tensor "
                               "because the operation does not have an identity")
        for a in axis or ():
            if x.shape[a] == 0:
                raise RuntimeError(f"linalg.vector_norm cannot compute the {_ord_text(ord)} norm on the dimension "
                                   f"{a}because this dimension is empty and the operation does not have an identity")
    res = _vnorm_op(x, ord=float(ord), axis=axis, keepdims=bool(keepdim), dtype=d.np)
    return write_out(out, res)


def _mnorm_kernel(a, *, ord, dims, keepdims, dtype):
    a = a.astype(dtype)
    if ord == "fro":
        return _vnorm(a, 2, dims, keepdims)
    if ord in ("nuc", 2.0, -2.0):
        s = jnp.linalg.svd(jnp.moveaxis(a, dims, (-2, -1)), compute_uv=False)
        r = jnp.sum(s, -1) if ord == "nuc" else jnp.max(s, -1) if ord == 2.0 else jnp.min(s, -1)
        return jnp.expand_dims(r, tuple(sorted(dims))) if keepdims else r
    sum_dim, red_dim = (dims[0], dims[1]) if abs(ord) == 1 else (dims[1], dims[0])
    sums = jnp.sum(_abs(a), axis=sum_dim, keepdims=True)
    r = jnp.max(sums, axis=red_dim, keepdims=True) if ord > 0 else jnp.min(sums, axis=red_dim, keepdims=True)
    return r if keepdims else jnp.squeeze(r, dims)


_mnorm_op = Op("linalg_matrix_norm", _mnorm_kernel, saves="inputs+out")
_MATRIX_ORDS = ("fro", "nuc", float("inf"), float("-inf"), 1.0, -1.0, 2.0, -2.0)


def linalg_matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """Matrix norm over the two dims ``dim``: 'fro', 'nuc', inf, -inf, 1, -1, 2, -2."""
    _check_tensor(A, "linalg_matrix_norm", "input")
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    d = _norm_dtype(A, dtype, "linalg.matrix_norm")
    key = ord if isinstance(ord, str) else float(ord)
    if key not in _MATRIX_ORDS:
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    dims = tuple(wrap_dim(x, A.ndim) for x in dim)
    if len(dims) != 2 or dims[0] == dims[1]:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dim[0]}, {dim[1]})")
    return write_out(out, _mnorm_op(A, ord=key, dims=dims, keepdims=bool(keepdim), dtype=d.np))


def linalg_norm(A, ord=None, dim=None, keepdim=False, *, out=None, dtype=None):
    """Vector norm (``dim`` an int or one dim, or 1-D input) or matrix norm (two dims, 2-D input or a
    string ``ord``); with neither ``ord`` nor ``dim`` the 2-norm of all elements."""
    _check_tensor(A, "linalg_norm", "input")
    if isinstance(dim, (int, np.integer)):
        dim = (int(dim),)
    if ord is None:
        if dim is not None and len(dim) == 2:
            return linalg_matrix_norm(A, "fro", dim, keepdim, dtype=dtype, out=out)
        return linalg_vector_norm(A, 2, dim, keepdim, dtype=dtype, out=out)
    if dim is None:
        if A.ndim not in (1, 2):
            raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got "
                               f"{A.ndim}D.")
        dim = tuple(range(A.ndim))
    if isinstance(ord, str) or len(dim) == 2:
        return linalg_matrix_norm(A, ord, dim, keepdim, dtype=dtype, out=out)
    return linalg_vector_norm(A, ord, dim, keepdim, dtype=dtype, out=out)


_dist_op = Op("dist", lambda a, b, *, ord, dtype: _vnorm(a.astype(dtype) - b.astype(dtype), ord, None, False),
              saves="inputs+out")


def dist(input, other, p=2):
    """``vector_norm(input - other, p)`` with broadcasting and type promotion."""
    _check_tensor(input, "dist")
    _check_tensor(other, "dist", "other", 2)
    d = result_dtype(input, other)
    if not (d.is_floating_point or d.is_complex):
        raise RuntimeError(f"norm(): input dtype should be either floating point or complex. Got {_name(d)} instead.")
    broadcast_shapes(tuple(input.shape), tuple(other.shape))
    return _dist_op(input, other, ord=float(p), dtype=d.np)


def _inf_dist(diff):
    """max |diff| whose gradient goes in full to every tied element (PyTorch's cdist convention)."""
    ax = jnp.abs(diff)
    m = lax.stop_gradient(jnp.max(ax, axis=-1, keepdims=True))
    carrier = jnp.sum(jnp.where(lax.stop_gradient(ax) == m, ax - lax.stop_gradient(ax), 0), axis=-1)
    return m[..., 0] + carrier


def _cdist_kernel(x1, x2, *, p, use_mm, precision):
    if use_mm:
        n1 = jnp.sum(x1 * x1, -1, keepdims=True)
        n2 = jnp.sum(x2 * x2, -1, keepdims=True)
        sq = n1 - 2 * jnp.matmul(x1, jnp.swapaxes(x2, -1, -2), precision=precision) + jnp.swapaxes(n2, -1, -2)
        return _safe_sqrt(jnp.maximum(sq, 0))
    diff = x1[..., :, None, :] - x2[..., None, :, :]
    if p == float("inf"):
        if diff.shape[-1] == 0:
            return jnp.zeros(diff.shape[:-1], diff.dtype)
        return _inf_dist(diff)
    return _vnorm(diff, p, -1, False)


_cdist_op = Op("cdist", _cdist_kernel, saves="inputs+out")
_MODES = ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist")


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """Pairwise ``p``-norm distances between the rows of ``x1`` (B x P x M) and ``x2`` (B x R x M)."""
    _check_tensor(x1, "cdist", "x1")
    _check_tensor(x2, "cdist", "x2", 2)
    if compute_mode not in _MODES:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    for name, x in (("X1", x1), ("X2", x2)):
        if not x.dtype.is_floating_point:
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: {_name(x.dtype)}")
        if x.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: {x.ndim}D")
    if x1.dtype is not x2.dtype:
        raise RuntimeError(f"expected scalar type {_name(x1.dtype)} but found {_name(x2.dtype)}")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    batch = broadcast_shapes(tuple(x1.shape[:-2]), tuple(x2.shape[:-2]))
    a = x1 if tuple(x1.shape[:-2]) == batch else V.expand(x1, batch + tuple(x1.shape[-2:]))
    b = x2 if tuple(x2.shape[:-2]) == batch else V.expand(x2, batch + tuple(x2.shape[-2:]))
    big = x1.shape[-2] > 25 or x2.shape[-2] > 25
    use_mm = p == 2 and (compute_mode == _MODES[1] or (compute_mode == _MODES[0] and big))
    return _cdist_op(a, b, p=float(p), use_mm=use_mm, precision=_precision())


# ---- torch.linalg extras ----
_vecdot_op = Op("linalg_vecdot", lambda x, y, *, axis: jnp.sum(jnp.conj(x) * y, axis=axis), saves="others")


def linalg_vecdot(x, y, *, dim=-1, out=None):
    """``sum(conj(x) * y, dim)`` with broadcasting."""
    _check_tensor(x, "linalg_vecdot", "x")
    _check_tensor(y, "linalg_vecdot", "y", 2)
    if x.dtype is not y.dtype:
        raise RuntimeError(f"linalg.vecdot: Expected x and y to have the same dtype, but found x of type "
                           f"{_name(x.dtype)} and y of type {_name(y.dtype)} instead")
    _floating(x, "linalg.vecdot")
    shape = broadcast_shapes(tuple(x.shape), tuple(y.shape))
    return write_out(out, _vecdot_op(x, y, axis=wrap_dim(dim, len(shape))))


def linalg_diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    """``torch.diagonal`` with the last two dims as defaults (a view)."""
    return V.diagonal(A, offset, dim1, dim2)


# ---- Tensor methods ----
def _inplace(fn, grad_name):
    def method(self, *args, **kwargs):
        return self._inplace_from(fn(self, *args, **kwargs), grad_name)
    method.__name__ = fn.__name__ + "_"
    method.__doc__ = f"In-place version of :func:`{fn.__name__}`."
    return method


def _rmatmul(self, other):
    from .common import as_tensor_arg

    return matmul(as_tensor_arg(other), self)


for _n, _f in (("matmul", matmul), ("mm", mm), ("bmm", bmm), ("mv", mv), ("dot", dot), ("vdot", vdot),
               ("inner", inner), ("outer", outer), ("ger", ger), ("kron", kron), ("addmm", addmm), ("addmv", addmv),
               ("addbmm", addbmm), ("baddbmm", baddbmm), ("addr", addr), ("matrix_power", matrix_power),
               ("inverse", inverse), ("det", det), ("logdet", logdet), ("slogdet", slogdet),
               ("pinverse", pinverse), ("cholesky", cholesky), ("svd", svd), ("qr", qr), ("dist", dist)):
    setattr(Tensor, _n, _f)
for _n, _f, _g in (("addmm", addmm, "AddmmBackward0"), ("addmv", addmv, "AddmvBackward0"),
                   ("addbmm", addbmm, "AddbmmBackward0"), ("baddbmm", baddbmm, "BaddbmmBackward0"),
                   ("addr", addr, "AddrBackward0")):
    setattr(Tensor, _n + "_", _inplace(_f, _g))
Tensor.__matmul__ = matmul
Tensor.__rmatmul__ = _rmatmul
