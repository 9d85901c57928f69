"""Top-level linear algebra that ``jtorch.linalg`` lacked: ``cholesky_solve``, ``cholesky_inverse``,
``matrix_exp``, the deprecated LU family (``lu``, ``lu_unpack``, ``lu_solve``), ``triangular_solve``,
``nuclear_norm`` and ``frobenius_norm``; plus ``solve`` / ``lstsq``, which PyTorch removed and which raise its
RuntimeError.

Gradients: ``cholesky_solve`` / ``cholesky_inverse`` use PyTorch's formula (a dense gradient for the factor,
``-(C + C^H) L``), written as a custom vjp because JAX's triangular solve would mask it to the triangle; the
others come from JAX (``matrix_exp`` differentiates JAX's Pade approximant, equal to PyTorch's exact Frechet
adjoint to rounding).
"""
import functools
import warnings

import jax
import jax.numpy as jnp
from jax import lax
from jax.scipy.linalg import expm

from .._tensor import scalar_type_name
from .common import write_out
from .dispatch import Op
from .linalg import linalg_matrix_norm, linalg_vector_norm
from .pointwise import register
from .reduction import structseq

__all__ = ["cholesky_solve", "cholesky_inverse", "matrix_exp", "lu", "lu_unpack", "lu_solve", "triangular_solve",
           "nuclear_norm", "frobenius_norm", "solve", "lstsq"]

_LuWithInfo = structseq("_lu_with_info", ("LU", "pivots", "info"))
_LuUnpack = structseq("lu_unpack", ("P", "L", "U"))
_TriangularSolve = structseq("triangular_solve", ("solution", "cloned_coefficient"))

_tri = lax.linalg.triangular_solve


def _broadcast_batch(b, a):
    batch = jnp.broadcast_shapes(b.shape[:-2], a.shape[:-2])
    return jnp.broadcast_to(b, batch + b.shape[-2:]), jnp.broadcast_to(a, batch + a.shape[-2:])


def _mH(x):
    return jnp.conj(jnp.swapaxes(x, -1, -2))


def _warn_once(key, message):
    if key not in _WARNED:
        _WARNED.add(key)
        warnings.warn(message, stacklevel=3)


_WARNED = set()


# ---- Cholesky ----
def _cho_solve(b, f, upper):
    """Solve ``A x = b`` for ``A = f f^H`` (lower ``f``) or ``f^H f`` (upper ``f``)."""
    if upper:
        y = _tri(f, b, left_side=True, lower=False, transpose_a=True, conjugate_a=True)
        return _tri(f, y, left_side=True, lower=False)
    y = _tri(f, b, left_side=True, lower=True)
    return _tri(f, y, left_side=True, lower=True, transpose_a=True, conjugate_a=True)


@functools.partial(jax.custom_vjp, nondiff_argnums=(2,))
def _cho_solve_dense(b, f, upper):
    return _cho_solve(b, f, upper)


def _cho_solve_fwd(b, f, upper):
    x = _cho_solve(b, f, upper)
    return x, (f, x)


def _cho_solve_bwd(upper, res, g):
    """PyTorch's ``cholesky_solve_backward``, in JAX's (conjugated) cotangent convention."""
    f, x = res
    gt = jnp.conj(g)
    gb = _cho_solve(gt, f, upper)
    common = gb @ _mH(x)
    common = common + _mH(common)
    gf = -(f @ common) if upper else -(common @ f)
    return jnp.conj(gb), jnp.conj(gf)


_cho_solve_dense.defvjp(_cho_solve_fwd, _cho_solve_bwd)


def _cholesky_solve_kernel(b, f, *, upper):
    b, f = _broadcast_batch(b, f)
    return _cho_solve_dense(b, f, upper)


def _cholesky_inverse_kernel(f, *, upper):
    eye = jnp.broadcast_to(jnp.eye(f.shape[-1], dtype=f.dtype), f.shape)
    return _cho_solve_dense(eye, f, upper)


_cholesky_solve_op = Op("cholesky_solve", _cholesky_solve_kernel, grad_name="CholeskySolveBackward0")
_cholesky_inverse_op = Op("cholesky_inverse", _cholesky_inverse_kernel, grad_name="CholeskyInverseBackward0")


def _check_float(t, kernel):
    if not (t.dtype.is_floating_point or t.dtype.is_complex):
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(t.dtype)}'")


def _check_same_dtype(b, a):
    if b.dtype is not a.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type "
                           f"{scalar_type_name(b.dtype)} and A of type {scalar_type_name(a.dtype)} instead.")


def _check_square(a, prefix=""):
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"{prefix}A must be batches of square matrices, but they are {a.shape[-2]} by "
                           f"{a.shape[-1]} matrices")


def cholesky_solve(B, L, upper=False, *, out=None):
    """Solve ``A X = B`` given the Cholesky factor ``L`` of ``A`` (``A = L L^H``, or ``U^H U`` with
    ``upper=True``); batch dims broadcast."""
    if B.ndim < 2:
        raise RuntimeError(f"b should have at least 2 dimensions, but has {B.ndim} dimensions instead")
    if L.ndim < 2:
        raise RuntimeError(f"u should have at least 2 dimensions, but has {L.ndim} dimensions instead")
    _check_same_dtype(B, L)
    _check_square(L)
    if L.shape[-1] != B.shape[-2]:
        raise RuntimeError(f"Incompatible matrix sizes for cholesky_solve: each A matrix is {L.shape[-2]} by "
                           f"{L.shape[-1]} but each b matrix is {B.shape[-2]} by {B.shape[-1]}")
    _check_float(B, "cholesky_solve_cpu")
    return write_out(out, _cholesky_solve_op(B, L, upper=bool(upper)))


def cholesky_inverse(L, upper=False, *, out=None):
    """The inverse of ``A = L L^H`` (``U^H U`` with ``upper=True``) from its Cholesky factor."""
    if L.ndim < 2:
        raise RuntimeError("cholesky_inverse: The input tensor A must have at least 2 dimensions.")
    _check_square(L, "cholesky_inverse: ")
    _check_float(L, "cholesky_inverse_out_cpu")
    return write_out(out, _cholesky_inverse_op(L, upper=bool(upper)))


# ---- matrix exponential ----
_matrix_exp_op = Op("matrix_exp", lambda a: expm(a) if a.size else a, grad_name="LinalgMatrixExpBackward0")


def matrix_exp(A):
    """The matrix exponential of each square matrix in ``A`` (JAX's scaling-and-squaring Pade approximant)."""
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_exp: The input tensor A must have at least 2 dimensions.")
    _check_square(A, "linalg.matrix_exp: ")
    if not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise RuntimeError(f"linalg.matrix_exp: Expected a floating point or complex tensor as input. Got "
                           f"{scalar_type_name(A.dtype)}")
    return _matrix_exp_op(A)


# ---- LU ----
def _lu_kernel(a):
    lu_, piv, _ = lax.linalg.lu(a)
    k = min(a.shape[-2], a.shape[-1])
    zero = jnp.diagonal(lu_, axis1=-2, axis2=-1)[..., :k] == 0
    info = jnp.where(jnp.any(zero, axis=-1), jnp.argmax(zero, axis=-1) + 1, 0)
    return lu_, (piv + 1).astype(jnp.int32), info.astype(jnp.int32)


_lu_op = Op("lu", _lu_kernel, grad_name="LinalgLuFactorExBackward0")


def lu(A, pivot=True, get_infos=False, out=None):
    """LU factorization with partial pivoting: ``(LU, pivots)`` (1-based int32 pivots, LAPACK's), plus ``info``
    (1-based index of the first zero pivot, 0 if none) when ``get_infos``. Deprecated in PyTorch, with its
    warning."""
    _warn_once("lu", "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex and "
               "will be removed in a future PyTorch release.\nLU, pivots = torch.lu(A, compute_pivots)\nshould be "
               "replaced with\nLU, pivots = torch.linalg.lu_factor(A, compute_pivots)\nand\nLU, pivots, info = "
               "torch.lu(A, compute_pivots, get_infos=True)\nshould be replaced with\nLU, pivots, info = "
               "torch.linalg.lu_factor_ex(A, compute_pivots)")
    if A.ndim < 2:
        raise RuntimeError(f"torch.lu_factor: Expected tensor with 2 or more dimensions. Got size: "
                           f"{list(A.shape)} instead")
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    _check_float(A, "lu_cpu")
    res = _lu_op(A)
    if get_infos:
        return _LuWithInfo(write_out(out, res) if out is not None else res)
    return write_out(out, res[:2]) if out is not None else res[:2]


def _permutation(piv, m):
    """Row permutation ``perm`` with ``A[perm] = L U`` from 1-based LAPACK pivots."""
    return lax.linalg.lu_pivots_to_permutation(piv.astype(jnp.int32) - 1, m)


def _lu_unpack_kernel(a, piv, *, unpack_data, unpack_pivots):
    m, n = a.shape[-2], a.shape[-1]
    k = min(m, n)
    empty = jnp.zeros((0,), a.dtype)
    if unpack_data:
        lower = jnp.tril(a[..., :, :k], -1) + jnp.eye(m, k, dtype=a.dtype)
        upper = jnp.triu(a[..., :k, :])
    else:
        lower = upper = empty
    if unpack_pivots:
        p = jnp.swapaxes(jax.nn.one_hot(_permutation(piv, m), m, dtype=a.dtype), -1, -2)
    else:
        p = empty
    return p, lower, upper


_lu_unpack_op = Op("lu_unpack", _lu_unpack_kernel, saves=(), grad_name="LuUnpackBackward0")


def lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True, *, out=None):
    """``(P, L, U)`` from :func:`lu`'s packed factorization, with ``A = P @ L @ U``; skipped parts are empty."""
    if LU_pivots.dtype.name != "int32":
        raise RuntimeError("torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 dtype.\n"
                           "Note: this function is intended to be used with the output produced by "
                           "torch.linalg.lu_factor")
    if LU_data.ndim < 2:
        raise RuntimeError("torch.lu_unpack: Expected tensor with 2 or more dimensions. Got size: "
                           f"{list(LU_data.shape)} instead")
    res = _lu_unpack_op(LU_data, LU_pivots, unpack_data=bool(unpack_data), unpack_pivots=bool(unpack_pivots))
    return _LuUnpack(write_out(out, res) if out is not None else res)


def _lu_solve_kernel(b, a, piv):
    b, a = _broadcast_batch(b, a)
    perm = jnp.broadcast_to(_permutation(piv, a.shape[-1]), b.shape[:-1])
    pb = jnp.take_along_axis(b, perm[..., None], axis=-2)
    y = _tri(a, pb, left_side=True, lower=True, unit_diagonal=True)
    return _tri(a, y, left_side=True, lower=False)


_lu_solve_op = Op("lu_solve", _lu_solve_kernel, grad_name="LinalgLuSolveBackward0")


def lu_solve(b, LU_data, LU_pivots, *, out=None):
    """Solve ``A X = b`` from :func:`lu`'s factorization of ``A``. Deprecated in PyTorch, with its warning."""
    _warn_once("lu_solve", "torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed in a "
               "future PyTorch release.\nNote that torch.linalg.lu_solve has its arguments reversed.\nX = "
               "torch.lu_solve(B, LU, pivots)\nshould be replaced with\nX = torch.linalg.lu_solve(LU, pivots, B)")
    if b.ndim < 2:
        raise RuntimeError("linalg.lu_solve: The input tensor B must have at least 2 dimensions.")
    if LU_data.ndim < 2:
        raise RuntimeError("linalg.lu_solve: The input tensor LU must have at least 2 dimensions.")
    _check_square(LU_data, "linalg.lu_solve: ")
    if LU_data.shape[-1] != b.shape[-2]:
        n = LU_data.shape[-1]
        raise RuntimeError(f"linalg.lu_solve: Incompatible shapes of A and B for the equation AX = B ({n}x{n} and "
                           f"{b.shape[-2]}x{b.shape[-1]})")
    if b.dtype is not LU_data.dtype:
        raise RuntimeError(f"linalg.lu_solve: Expected LU and B to have the same dtype, but found LU of type "
                           f"{scalar_type_name(LU_data.dtype)} and B of type {scalar_type_name(b.dtype)} instead")
    return write_out(out, _lu_solve_op(b, LU_data, LU_pivots))


# ---- triangular solve ----
def _triangular_solve_kernel(b, a, *, upper, transpose, unitriangular):
    b, a = _broadcast_batch(b, a)
    x = _tri(a, b, left_side=True, lower=not upper, transpose_a=transpose, unit_diagonal=unitriangular)
    return x, a


_triangular_solve_op = Op("triangular_solve", _triangular_solve_kernel, grad_name="TriangularSolveBackward0")


def triangular_solve(b, A, upper=True, transpose=False, unitriangular=False, *, out=None):
    """``(solution, cloned_coefficient)``: solve ``A X = b`` (``A^T X = b`` with ``transpose``) for triangular
    ``A``, and ``A`` broadcast to the batch shape. Deprecated in PyTorch, with its warning."""
    _warn_once("triangular_solve", "torch.triangular_solve is deprecated in favor of "
               "torch.linalg.solve_triangularand will be removed in a future PyTorch release.\n"
               "torch.linalg.solve_triangular has its arguments reversed and does not return a copy of one of the "
               "inputs.\nX = torch.triangular_solve(B, A).solution\nshould be replaced with\nX = "
               "torch.linalg.solve_triangular(A, B).")
    for name, t in (("b", b), ("A", A)):
        if t.ndim < 2:
            raise RuntimeError(f"torch.triangular_solve: Expected {name} to have at least 2 dimensions, but it has "
                               f"{t.ndim} dimensions instead")
    _check_same_dtype(b, A)
    _check_square(A)
    if A.shape[-1] != b.shape[-2]:
        raise RuntimeError(f"Incompatible matrix sizes for triangular_solve: each A matrix is {A.shape[-2]} by "
                           f"{A.shape[-1]} but each b matrix is {b.shape[-2]} by {b.shape[-1]}")
    _check_float(b, "triangular_solve_cpu")
    res = _triangular_solve_op(b, A, upper=bool(upper), transpose=bool(transpose),
                               unitriangular=bool(unitriangular))
    return _TriangularSolve(write_out(out, res) if out is not None else res)


# ---- deprecated norms ----
def nuclear_norm(input, dim=None, keepdim=False, *, out=None):
    """Sum of singular values over ``dim`` (the last two dims by default); ``nuclear_norm(A, keepdim)`` also
    works, as PyTorch's overload does. Deprecated in PyTorch, with its warning."""
    _warn_once("nuclear_norm", "at::nuclear_norm is deprecated and it is just left for JIT compatibility. It will "
               "be removed in a future PyTorch release. Please use `linalg.matrix_norm(A, 'nuc', dim, keepdim)` "
               "instead")
    if isinstance(dim, bool):
        dim, keepdim = None, dim
    dims = (-2, -1) if dim is None else tuple(dim)
    return linalg_matrix_norm(input, "nuc", dims, keepdim, out=out)


def frobenius_norm(input, dim, keepdim=False, *, out=None):
    """The 2-norm of the elements over ``dim`` (at most 2 dims; all dims when empty). Deprecated in PyTorch,
    with its warning."""
    _warn_once("frobenius_norm", "at::frobenius_norm is deprecated and it is just left for JIT compatibility. It "
               "will be removed in a future PyTorch release. Please use `linalg.vector_norm(A, 2., dim, keepdim)` "
               "instead")
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if len(dims) > 2:
        raise RuntimeError(f"Expected at most 2 dimensions, but got {len(dims)} dimensions instead.")
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise RuntimeError(f"norm(): input dtype should be either floating point or complex. Got "
                           f"{scalar_type_name(input.dtype)} instead.")
    return linalg_vector_norm(input, 2, dims or None, keepdim, out=out)


# ---- removed in PyTorch ----
def solve(input, A, *, out=None):
    """Removed from PyTorch (1.9): raises its RuntimeError pointing to ``torch.linalg.solve``."""
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed. `torch.solve` is deprecated in favor of "
        "`torch.linalg.solve`. `torch.linalg.solve` has its arguments reversed and does not return the LU "
        "factorization.\n\nTo get the LU factorization see `torch.lu`, which can be used with `torch.lu_solve` or "
        "`torch.lu_unpack`.\nX = torch.solve(B, A).solution should be replaced with:\nX = torch.linalg.solve(A, B)")


def lstsq(input, A, *, out=None):
    """Removed from PyTorch (1.9): raises its RuntimeError pointing to ``torch.linalg.lstsq``."""
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed. `torch.lstsq` is deprecated in favor of "
        "`torch.linalg.lstsq`.\n`torch.linalg.lstsq` has reversed arguments and does not return the QR "
        "decomposition in the returned tuple (although it returns other information about the problem).\n\nTo get "
        "the QR decomposition consider using `torch.linalg.qr`.\n\nThe returned solution in `torch.lstsq` stored the "
        "residuals of the solution in the last m - n columns of the returned value whenever m > n. In "
        "torch.linalg.lstsq, the residuals are in the field 'residuals' of the returned named tuple.\n\nThe unpacking "
        "of the solution, as in\nX, _ = torch.lstsq(B, A).solution[:A.size(1)]\nshould be replaced with:\nX = "
        "torch.linalg.lstsq(A, B).solution")


for _name in ("cholesky_solve", "cholesky_inverse", "matrix_exp", "lu", "lu_solve", "triangular_solve", "solve",
              "lstsq"):
    register(_name, globals()[_name], inplace=False)
