"""Parity of the linear-algebra ops (jtorch/_ops/linalg.py, jtorch.linalg) with PyTorch: values,
dtypes, gradients in eager and compiled mode, grad_fn names and errors.

Decompositions whose outputs are defined only up to sign/phase (svd, eigh, eig) are compared
through sign-invariant functions of them (singular values, |U|, reconstructions)."""
import numpy as np
import pytest

from parity import MODES, arr, check, check_error, torch

import jtorch

F64 = "float64"


def I64(*shape, seed=0):
    return arr(*shape, dtype="int64", low=-3, high=3, seed=seed)


def wellcond(*shape, dtype="float32", seed=0):
    """Square matrices (last two dims n x n) with eigenvalues away from zero."""
    n = shape[-1]
    return (arr(*shape, dtype=dtype, seed=seed) + 4 * np.eye(n)).astype(dtype)


def spd(*shape, dtype="float32", seed=0):
    """Symmetric positive-definite matrices with well-separated eigenvalues."""
    a = arr(*shape, dtype="float64", seed=seed)
    n = shape[-1]
    m = a @ np.swapaxes(a, -1, -2) + np.diag(np.arange(1, n + 1) * 2.0)
    return m.astype(dtype)


def sym(*shape, dtype="float32", seed=0):
    a = arr(*shape, dtype="float64", seed=seed)
    return ((a + np.swapaxes(a, -1, -2)) / 2 + np.diag(np.arange(shape[-1]) * 1.5)).astype(dtype)


def _usv(out):
    """Sign-invariant view of an SVD: singular values, |U|, |Vh| of the first k vectors."""
    U, S, Vh = out
    k = S.shape[-1]
    return S, U[..., :k].abs(), Vh[..., :k, :].abs()


CASES = [
    # matmul: every rank combination
    ("matmul_1d_1d", lambda t, a, b: t.matmul(a, b), [arr(3), arr(3, seed=1)]),
    ("matmul_2d_1d", lambda t, a, b: a @ b, [arr(2, 3), arr(3)]),
    ("matmul_1d_2d", lambda t, a, b: a @ b, [arr(3), arr(3, 4)]),
    ("matmul_2d_2d", lambda t, a, b: a @ b, [arr(2, 3), arr(3, 4)]),
    ("matmul_3d_2d", lambda t, a, b: a @ b, [arr(5, 2, 3), arr(3, 4)]),
    ("matmul_2d_3d", lambda t, a, b: a @ b, [arr(4, 3), arr(5, 3, 2)]),
    ("matmul_3d_3d", lambda t, a, b: t.matmul(a, b), [arr(5, 2, 3), arr(5, 3, 4)]),
    ("matmul_3d_1d", lambda t, a, b: a @ b, [arr(5, 2, 3), arr(3)]),
    ("matmul_1d_3d", lambda t, a, b: a @ b, [arr(2), arr(5, 2, 3)]),
    ("matmul_bcast_4d", lambda t, a, b: a @ b, [arr(2, 1, 2, 3), arr(1, 5, 3, 4)]),
    ("matmul_bcast_5d", lambda t, a, b: a @ b, [arr(2, 1, 3, 2, 3), arr(4, 1, 3, 2)]),
    ("matmul_empty_rows", lambda t, a, b: a @ b, [arr(0, 3), arr(3, 4)]),
    ("matmul_empty_inner", lambda t, a, b: a @ b, [arr(2, 0), arr(0, 4)]),
    ("matmul_f64", lambda t, a, b: a @ b, [arr(3, 3, dtype=F64), arr(3, 2, dtype=F64)]),
    ("matmul_int", lambda t, a, b: a @ b, [I64(2, 3), I64(3, 4, seed=1)]),
    ("matmul_int_batched", lambda t, a, b: a @ b, [I64(2, 2, 3), I64(3)]),
    ("rmatmul_chain", lambda t, a, b, c: (a @ b) @ c, [arr(2, 3), arr(3, 3), arr(3)]),
    ("linalg_matmul", lambda t, a, b: t.linalg.matmul(a, b), [arr(2, 3), arr(3, 2)]),
    ("mm", lambda t, a, b: t.mm(a, b), [arr(2, 3), arr(3, 4)]),
    ("mm_method_f64", lambda t, a, b: a.mm(b), [arr(2, 3, dtype=F64), arr(3, 4, dtype=F64)]),
    ("mm_int", lambda t, a, b: t.mm(a, b), [I64(2, 3), I64(3, 2)]),
    ("bmm", lambda t, a, b: t.bmm(a, b), [arr(4, 2, 3), arr(4, 3, 5)]),
    ("bmm_empty", lambda t, a, b: a.bmm(b), [arr(0, 2, 3), arr(0, 3, 5)]),
    ("mv", lambda t, a, b: t.mv(a, b), [arr(2, 3), arr(3)]),
    ("dot", lambda t, a, b: t.dot(a, b), [arr(4), arr(4, seed=1)]),
    ("dot_int", lambda t, a, b: a.dot(b), [I64(4), I64(4, seed=1)]),
    ("vdot", lambda t, a, b: t.vdot(a, b), [arr(4), arr(4, seed=1)]),
    ("inner", lambda t, a, b: t.inner(a, b), [arr(2, 3), arr(4, 3)]),
    ("inner_0d", lambda t, a, b: t.inner(a, b), [arr(), arr(2, 3)]),
    ("inner_1d", lambda t, a, b: a.inner(b), [arr(3), arr(3, seed=1)]),
    ("outer", lambda t, a, b: t.outer(a, b), [arr(3), arr(2)]),
    ("outer_promote", lambda t, a, b: t.outer(a, b), [arr(3), I64(2)]),
    ("ger", lambda t, a, b: a.ger(b), [arr(3), arr(2)]),
    # einsum
    ("einsum_mm", lambda t, a, b: t.einsum("ij,jk->ik", a, b), [arr(2, 3), arr(3, 4)]),
    ("einsum_list", lambda t, a, b: t.einsum("ij,jk->ik", [a, b]), [arr(2, 3), arr(3, 4)]),
    ("einsum_ellipsis", lambda t, a, b: t.einsum("...ij,...jk->...ik", a, b), [arr(5, 2, 3), arr(5, 3, 4)]),
    ("einsum_ellipsis_out", lambda t, a: t.einsum("i...->...", a), [arr(2, 3, 4)]),
    ("einsum_trace", lambda t, a: t.einsum("ii", a), [arr(3, 3)]),
    ("einsum_diag", lambda t, a: t.einsum("ii->i", a), [arr(3, 3)]),
    ("einsum_transpose", lambda t, a: t.einsum("ij->ji", a), [arr(2, 3)]),
    ("einsum_outer3", lambda t, a, b, c: t.einsum("i,j,k->ijk", a, b, c), [arr(2), arr(3), arr(2, seed=3)]),
    ("einsum_bcast_one", lambda t, a, b: t.einsum("bij,bjk->bik", a, b), [arr(1, 2, 3), arr(5, 3, 4)]),
    ("einsum_sublist", lambda t, a, b: t.einsum(a, [0, 1], b, [1, 2], [0, 2]), [arr(2, 3), arr(3, 4)]),
    ("einsum_spaces", lambda t, a, b: t.einsum("b i , b i -> b", a, b), [arr(3, 4), arr(3, 4, seed=1)]),
    ("einsum_int", lambda t, a, b: t.einsum("ij,jk->ik", a, b), [I64(2, 3), I64(3, 2)]),
    # tensordot / kron
    ("tensordot_int_dims", lambda t, a, b: t.tensordot(a, b, dims=1), [arr(2, 3), arr(3, 4)]),
    ("tensordot_default", lambda t, a, b: t.tensordot(a, b), [arr(2, 3, 4), arr(3, 4, 5)]),
    ("tensordot_lists", lambda t, a, b: t.tensordot(a, b, dims=([1, 2], [1, 0])), [arr(2, 3, 4), arr(4, 3, 5)]),
    ("tensordot_zero", lambda t, a, b: t.tensordot(a, b, dims=0), [arr(2), arr(3)]),
    ("tensordot_size1", lambda t, a, b: t.tensordot(a, b, dims=([1], [0])), [arr(2, 1), arr(3, 2)]),
    ("kron", lambda t, a, b: t.kron(a, b), [arr(2, 3), arr(3, 2)]),
    ("kron_ranks", lambda t, a, b: a.kron(b), [arr(2), arr(2, 2, 3)]),
    ("kron_promote", lambda t, a, b: t.kron(a, b), [I64(2, 2), arr(2, 3, dtype=F64)]),
    # fused add + product
    ("addmm", lambda t, i, a, b: t.addmm(i, a, b), [arr(2, 4), arr(2, 3), arr(3, 4)]),
    ("addmm_scaled_bcast", lambda t, i, a, b: t.addmm(i, a, b, beta=0.5, alpha=2), [arr(4), arr(2, 3), arr(3, 4)]),
    ("addmm_beta0", lambda t, i, a, b: t.addmm(i, a, b, beta=0), [arr(1, 4), arr(2, 3), arr(3, 4)]),
    ("addmm_int", lambda t, i, a, b: t.addmm(i, a, b, beta=2, alpha=3), [I64(2, 2), I64(2, 3), I64(3, 2)]),
    ("addmm_inplace", lambda t, i, a, b: (i * 1).addmm_(a, b, alpha=0.5), [arr(2, 4), arr(2, 3), arr(3, 4)]),
    ("addmv", lambda t, i, a, b: t.addmv(i, a, b, beta=2), [arr(2), arr(2, 3), arr(3)]),
    ("addmv_bcast", lambda t, i, a, b: i.addmv(a, b), [arr(1), arr(2, 3), arr(3)]),
    ("addbmm", lambda t, i, a, b: t.addbmm(i, a, b, alpha=0.5), [arr(2, 4), arr(3, 2, 3), arr(3, 3, 4)]),
    ("baddbmm", lambda t, i, a, b: t.baddbmm(i, a, b, beta=-1), [arr(3, 2, 4), arr(3, 2, 3), arr(3, 3, 4)]),
    ("baddbmm_bcast", lambda t, i, a, b: i.baddbmm(a, b), [arr(4), arr(3, 2, 3), arr(3, 3, 4)]),
    ("addr", lambda t, i, a, b: t.addr(i, a, b, beta=0.5, alpha=2), [arr(3, 2), arr(3), arr(2)]),
    ("addr_inplace", lambda t, i, a, b: (i + 0).addr_(a, b), [arr(3, 2), arr(3), arr(2)]),
    # chains and powers
    ("multi_dot", lambda t, a, b, c: t.linalg.multi_dot([a, b, c]), [arr(2, 3), arr(3, 4), arr(4, 2)]),
    ("multi_dot_vectors", lambda t, a, b, c: t.linalg.multi_dot([a, b, c]), [arr(3), arr(3, 4), arr(4)]),
    ("chain_matmul", lambda t, a, b, c: t.chain_matmul(a, b, c), [arr(2, 3), arr(3, 4), arr(4, 2)]),
    ("matrix_power", lambda t, a: t.matrix_power(a, 3), [arr(3, 3)]),
    ("matrix_power_batched_0", lambda t, a: t.linalg.matrix_power(a, 0), [arr(2, 3, 3)]),
    ("matrix_power_neg", lambda t, a: a.matrix_power(-2), [wellcond(3, 3)]),
    ("matrix_power_int", lambda t, a: t.linalg.matrix_power(a, 2), [I64(3, 3)]),
    # inverse / determinants / pinv
    ("inverse", lambda t, a: t.inverse(a), [wellcond(3, 3)]),
    ("linalg_inv_f64", lambda t, a: t.linalg.inv(a), [wellcond(4, 4, dtype=F64)]),
    ("linalg_inv_empty", lambda t, a: t.linalg.inv(a), [arr(2, 0, 0)]),
    ("linalg_inv_ex", lambda t, a: t.linalg.inv_ex(a), [wellcond(2, 3, 3)]),
    ("det", lambda t, a: t.det(a), [wellcond(3, 3)]),
    ("linalg_det_batched", lambda t, a: t.linalg.det(a), [wellcond(2, 2, 3, 3, dtype=F64)]),
    ("det_empty", lambda t, a: t.linalg.det(a), [arr(0, 0)]),
    ("logdet", lambda t, a: t.logdet(a), [spd(3, 3)]),
    ("logdet_negative", lambda t, a: a.logdet(), [np.diag([1.0, -3.0, 3.0]).astype("float32")]),
    ("slogdet", lambda t, a: t.slogdet(a), [wellcond(2, 3, 3)]),
    ("linalg_slogdet", lambda t, a: t.linalg.slogdet(a), [np.diag([1.0, -3.0, 3.0]).astype("float32")]),
    ("pinverse", lambda t, a: t.pinverse(a), [arr(3, 2)]),
    ("pinv_wide_batched", lambda t, a: t.linalg.pinv(a), [arr(2, 2, 4, dtype=F64)]),
    ("pinv_atol", lambda t, a: t.linalg.pinv(a, atol=0.5), [np.diag([3.0, 0.1]).astype("float32")]),
    ("pinv_hermitian", lambda t, a: t.linalg.pinv(a, hermitian=True), [spd(3, 3, dtype=F64)]),
    # cholesky (reads the lower triangle; gradient symmetrised like PyTorch)
    ("cholesky", lambda t, a: t.linalg.cholesky(a), [spd(3, 3)]),
    ("cholesky_upper_batched", lambda t, a: t.linalg.cholesky(a, upper=True), [spd(2, 3, 3, dtype=F64)]),
    ("cholesky_nonsym_input", lambda t, a: t.linalg.cholesky(a), [spd(3, 3) + np.triu(np.ones((3, 3)), 1)
                                                                  .astype("float32")]),
    ("cholesky_ex", lambda t, a: t.linalg.cholesky_ex(a), [spd(3, 3)]),
    ("cholesky_old", lambda t, a: t.cholesky(a), [spd(3, 3, dtype=F64)]),
    ("cholesky_old_upper", lambda t, a: a.cholesky(True), [spd(3, 3)]),
    # eigen decompositions
    ("eigh", lambda t, a: (lambda r: (r.eigenvalues, r.eigenvectors.abs()))(t.linalg.eigh(a)), [sym(3, 3, dtype=F64)]),
    ("eigh_lower_only", lambda t, a: t.linalg.eigh(a)[0], [arr(3, 3, dtype=F64)]),
    ("eigh_upper", lambda t, a: t.linalg.eigh(a, UPLO="U")[1].abs(), [arr(2, 3, 3, dtype=F64)]),
    ("eigh_reconstruct", lambda t, a: (lambda w, v: (v * w[..., None, :]) @ v.mT)(*t.linalg.eigh(a)),
     [sym(3, 3)]),
    ("eigvalsh", lambda t, a: t.linalg.eigvalsh(a), [sym(2, 4, 4)]),
    ("eig", lambda t, a: (lambda w, v: (w, v.abs()))(*t.linalg.eig(a)), [sym(3, 3, dtype=F64)]),
    ("eigvals", lambda t, a: t.linalg.eigvals(a), [wellcond(2, 3, 3, dtype=F64)]),
    # qr / svd
    ("qr", lambda t, a: t.linalg.qr(a), [arr(4, 3)]),
    ("qr_wide_complete", lambda t, a: t.linalg.qr(a, mode="complete"), [arr(2, 3, 4, dtype=F64)]),
    ("qr_old", lambda t, a: t.qr(a), [arr(3, 3)]),
    ("svd_tall", lambda t, a: _usv(t.linalg.svd(a, full_matrices=False)), [arr(4, 3, dtype=F64)]),
    ("svd_full", lambda t, a: _usv(t.linalg.svd(a)), [arr(2, 3, 5, dtype=F64)]),
    ("svd_old", lambda t, a: (lambda u, s, v: (s, (u * s) @ v.mT))(*t.svd(a)), [arr(4, 3, dtype=F64)]),
    ("svdvals", lambda t, a: t.linalg.svdvals(a), [arr(2, 3, 4)]),
    ("matrix_rank", lambda t, a: t.linalg.matrix_rank(a), [np.ones((3, 3), "float32")]),
    ("matrix_rank_batched", lambda t, a: t.linalg.matrix_rank(a, hermitian=True), [spd(2, 3, 3)]),
    ("matrix_rank_tol", lambda t, a: t.linalg.matrix_rank(a, atol=1.0, rtol=0.0), [np.diag([3.0, 0.5, 2.0])]),
    # solvers
    ("solve_vector", lambda t, a, b: t.linalg.solve(a, b), [wellcond(3, 3), arr(3)]),
    ("solve_batched_vectors", lambda t, a, b: t.linalg.solve(a, b),
     [wellcond(2, 3, 3, dtype=F64), arr(2, 3, dtype=F64)]),
    ("solve_bcast", lambda t, a, b: t.linalg.solve(a, b), [wellcond(2, 1, 3, 3), arr(4, 3, 2)]),
    ("solve_right", lambda t, a, b: t.linalg.solve(a, b, left=False), [wellcond(3, 3), arr(2, 3)]),
    ("lstsq_solution", lambda t, a, b: t.linalg.lstsq(a, b).solution, [arr(5, 3, dtype=F64), arr(5, 2, dtype=F64)]),
    ("lstsq_vector", lambda t, a, b: t.linalg.lstsq(a, b)[0], [arr(4, 3, dtype=F64), arr(4, dtype=F64)]),
    # norms and distances
    ("vector_norm", lambda t, a: t.linalg.vector_norm(a), [arr(2, 3)]),
    ("vector_norm_zero", lambda t, a: t.linalg.vector_norm(a), [np.zeros(3, "float32")]),
    ("vector_norm_dim", lambda t, a: t.linalg.vector_norm(a, 3, dim=1, keepdim=True), [arr(2, 3)]),
    ("vector_norm_p1", lambda t, a: t.linalg.vector_norm(a, 1, dim=(0, 2)), [arr(2, 3, 2)]),
    ("vector_norm_inf_ties", lambda t, a: t.linalg.vector_norm(a, float("inf")),
     [np.array([1.0, -3.0, 3.0], "float32")]),
    ("vector_norm_neg_inf", lambda t, a: t.linalg.vector_norm(a, float("-inf"), 0), [arr(3, 2)]),
    ("vector_norm_half", lambda t, a: t.linalg.vector_norm(a, 0.5), [np.array([0.0, 1.0, -2.0], "float32")]),
    ("vector_norm_neg1", lambda t, a: t.linalg.vector_norm(a, -1), [np.array([0.5, 1.0, -2.0], "float32")]),
    ("vector_norm_partial_zero_p3", lambda t, a: t.linalg.vector_norm(a, 3), [np.array([0.0, 1.0], "float32")]),
    ("vector_norm_zero_p3", lambda t, a: t.linalg.vector_norm(a, 3), [np.zeros(2, "float32")]),
    ("vector_norm_ord0", lambda t, a: t.linalg.vector_norm(a, 0), [np.array([0.0, 1.0, -2.0], "float32")]),
    ("vector_norm_dtype", lambda t, a: t.linalg.vector_norm(a, dtype=t.float64), [arr(4)]),
    ("vector_norm_empty", lambda t, a: t.linalg.vector_norm(a), [arr(0, 2)]),
    ("vector_norm_5d", lambda t, a: t.linalg.vector_norm(a, 2, (1, 4)), [arr(2, 3, 1, 2, 2)]),
    ("matrix_norm_fro", lambda t, a: t.linalg.matrix_norm(a), [arr(2, 3, 4)]),
    ("matrix_norm_nuc", lambda t, a: t.linalg.matrix_norm(a, "nuc", keepdim=True), [arr(2, 3, 4, dtype=F64)]),
    ("matrix_norm_2", lambda t, a: t.linalg.matrix_norm(a, 2), [arr(3, 4, dtype=F64)]),
    ("matrix_norm_m2", lambda t, a: t.linalg.matrix_norm(a, -2), [arr(3, 4, dtype=F64)]),
    ("matrix_norm_1", lambda t, a: t.linalg.matrix_norm(a, 1), [arr(2, 3, 4)]),
    ("matrix_norm_m1_dims", lambda t, a: t.linalg.matrix_norm(a, -1, dim=(2, 0), keepdim=True), [arr(2, 3, 4)]),
    ("matrix_norm_inf", lambda t, a: t.linalg.matrix_norm(a, float("inf")), [arr(3, 4)]),
    ("matrix_norm_inf_ties", lambda t, a: t.linalg.matrix_norm(a.unsqueeze(1).expand(3, 2) * 1, float("inf")),
     [np.array([1.0, -3.0, 3.0], "float32")]),
    ("matrix_norm_minf_dims", lambda t, a: t.linalg.matrix_norm(a, float("-inf"), dim=(0, 2)), [arr(3, 2, 4)]),
    ("norm_default", lambda t, a: t.linalg.norm(a), [arr(2, 3, 4)]),
    ("norm_vector_ord", lambda t, a: t.linalg.norm(a, 3), [arr(5)]),
    ("norm_matrix_ord", lambda t, a: t.linalg.norm(a, "fro"), [arr(2, 3)]),
    ("norm_matrix_2", lambda t, a: t.linalg.norm(a, 2), [arr(2, 3, dtype=F64)]),
    ("norm_dim_int", lambda t, a: t.linalg.norm(a, dim=1, keepdim=True), [arr(2, 3)]),
    ("norm_dim_pair", lambda t, a: t.linalg.norm(a, 1, dim=(0, 1)), [arr(2, 3)]),
    ("vecdot", lambda t, a, b: t.linalg.vecdot(a, b), [arr(2, 3), arr(3)]),
    ("vecdot_dim", lambda t, a, b: t.linalg.vecdot(a, b, dim=0), [arr(3, 2), arr(3, 2, seed=1)]),
    ("dist", lambda t, a, b: t.dist(a, b), [arr(2, 3), arr(3)]),
    ("dist_p1", lambda t, a, b: a.dist(b, 1), [arr(2, 3), arr(2, 3, seed=1)]),
    ("dist_inf", lambda t, a, b: t.dist(a, b, float("inf")), [arr(4), arr(4, seed=1)]),
    ("dist_p3_promote", lambda t, a, b: t.dist(a, b, 3), [arr(4), arr(4, dtype=F64)]),
    ("dist_zero", lambda t, a: t.dist(a, a.detach()), [arr(3)]),
    ("cdist", lambda t, a, b: t.cdist(a, b), [arr(3, 4), arr(2, 4)]),
    ("cdist_mm", lambda t, a, b: t.cdist(a, b), [arr(30, 3), arr(4, 3)]),
    ("cdist_p1", lambda t, a, b: t.cdist(a, b, p=1), [arr(3, 4), arr(2, 4)]),
    ("cdist_pinf", lambda t, a, b: t.cdist(a, b, p=float("inf")), [np.array([[1.0, -3.0, 3.0]], "float32"),
                                                                  np.zeros((2, 3), "float32")]),
    ("cdist_p0", lambda t, a, b: t.cdist(a, b, p=0), [arr(3, 4), arr(2, 4)]),
    ("cdist_p3_batched", lambda t, a, b: t.cdist(a, b, p=3), [arr(2, 1, 3, 2), arr(4, 2, 2)]),
    ("cdist_half", lambda t, a, b: t.cdist(a, b, p=0.5), [np.array([[1.0, -3.0, 3.0]], "float32"),
                                                         np.array([[1.0, 0.0, 3.0]], "float32")]),
    ("cdist_zero_distance", lambda t, a: t.cdist(a, a.detach()), [arr(2, 3)]),
    ("linalg_cross", lambda t, a, b: t.linalg.cross(a, b, dim=0), [arr(3, 2), arr(3, 2, seed=1)]),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name,fn,inputs", CASES, ids=[c[0] for c in CASES])
def test_parity(name, fn, inputs, mode):
    check(fn, *inputs, mode=mode, rtol=1e-4 if inputs[0].dtype == np.float32 else None,
          atol=1e-4 if inputs[0].dtype == np.float32 else None)


NO_GRAD = [
    ("vdot_complex", lambda t, a, b: t.vdot(a, b), [arr(3, dtype="complex64"), arr(3, dtype="complex64", seed=2)]),
    ("vector_norm_complex", lambda t, a: t.linalg.vector_norm(a), [arr(3, dtype="complex64")]),
    ("qr_r", lambda t, a: t.linalg.qr(a, mode="r"), [arr(4, 3)]),
    ("qr_tall_complete", lambda t, a: t.linalg.qr(a, mode="complete"), [arr(4, 3)]),
    ("lstsq_gelsd", lambda t, a, b: t.linalg.lstsq(a, b, driver="gelsd"), [arr(5, 3, dtype=F64), arr(5, 2, dtype=F64)]),
    ("lstsq_gelsy", lambda t, a, b: t.linalg.lstsq(a, b), [arr(5, 3, dtype=F64), arr(5, 2, dtype=F64)]),
    ("lstsq_gels_vector", lambda t, a, b: t.linalg.lstsq(a, b, driver="gels"), [arr(4, 3, dtype=F64),
                                                                                arr(4, dtype=F64)]),
    ("lstsq_batched", lambda t, a, b: t.linalg.lstsq(a, b, driver="gelss"), [arr(2, 4, 3, dtype=F64),
                                                                             arr(2, 4, 2, dtype=F64)]),
    ("lstsq_wide", lambda t, a, b: t.linalg.lstsq(a, b), [arr(2, 4, dtype=F64), arr(2, 3, dtype=F64)]),
    ("svd_old_no_uv", lambda t, a: t.svd(a, compute_uv=False), [arr(3, 2)]),
]


@pytest.mark.parametrize("name,fn,inputs", NO_GRAD, ids=[c[0] for c in NO_GRAD])
def test_parity_values(name, fn, inputs):
    check(fn, *inputs, mode="eager", grad=False)


def test_lstsq_rank_deficient_has_no_residuals():
    for lib in (torch, jtorch):
        r = lib.linalg.lstsq(lib.ones(4, 3, dtype=lib.float64), lib.ones(4, 2, dtype=lib.float64), driver="gelsd")
        assert tuple(r.residuals.shape) == (0,) and int(r.rank) == 1


@pytest.mark.parametrize("name,fn", [
    ("mm", lambda t, a, b: t.mm(a, b)), ("matmul_2d", lambda t, a, b: a @ b),
    ("matmul_1d", lambda t, a, b: a[0] @ b[:, 0]), ("mv", lambda t, a, b: a @ b[:, 0]),
    ("vm", lambda t, a, b: a[0] @ b), ("matmul_batched", lambda t, a, b: a.unsqueeze(0) @ b),
    ("bmm", lambda t, a, b: t.bmm(a.unsqueeze(0), b.unsqueeze(0))), ("addmm", lambda t, a, b: t.addmm(a, a, b)),
    ("addmv", lambda t, a, b: t.addmv(a[0], a, b[0])),
    ("baddbmm", lambda t, a, b: t.baddbmm(a[None], a[None], b[None])),
    ("addbmm", lambda t, a, b: t.addbmm(a, a[None], b[None])), ("addr", lambda t, a, b: t.addr(a, a[0], b[0])),
    ("dot", lambda t, a, b: t.dot(a[0], b[0])), ("det", lambda t, a, b: t.linalg.det(a + 3 * b)),
    ("slogdet", lambda t, a, b: t.linalg.slogdet(a + 3 * b)[1]), ("inv", lambda t, a, b: t.linalg.inv(a + 3 * b)),
    ("pinv", lambda t, a, b: t.linalg.pinv(a)), ("svd", lambda t, a, b: t.linalg.svd(a)[1]),
    ("eigh", lambda t, a, b: t.linalg.eigh(a)[0]), ("qr", lambda t, a, b: t.linalg.qr(a)[1]),
    ("cholesky", lambda t, a, b: t.linalg.cholesky(a @ a.mT + b)),
    ("solve", lambda t, a, b: t.linalg.solve(a + 3 * b, a)),
    ("vector_norm", lambda t, a, b: t.linalg.vector_norm(a)), ("cdist", lambda t, a, b: t.cdist(a, b)),
    ("dist", lambda t, a, b: t.dist(a, b)), ("vdot", lambda t, a, b: t.vdot(a[0], b[0])),
])
def test_grad_fn_names(name, fn):
    names = []
    for lib in (torch, jtorch):
        a = lib.tensor([[2.0, 1.0], [1.0, 3.0]], requires_grad=True)
        b = lib.eye(2, requires_grad=True)
        names.append(fn(lib, a, b).grad_fn.name())
    assert names[0] == names[1]


ERRORS = [
    ("matmul_0d", lambda t, a, b: t.matmul(a, b), [arr(), arr(2, 2)],
     "both arguments to matmul need to be at least 1D"),
    ("matmul_mm", lambda t, a, b: a @ b, [arr(2, 3), arr(4, 5)],
     r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"),
    ("matmul_dot", lambda t, a, b: a @ b, [arr(3), arr(4)], r"inconsistent tensor size, expected tensor \[3\]"),
    ("matmul_mv", lambda t, a, b: a @ b, [arr(2, 3), arr(4)],
     r"size mismatch, got input \(2\), mat \(2x3\), vec \(4\)"),
    ("matmul_vm", lambda t, a, b: a @ b, [arr(3), arr(4, 5)], r"\(1x3 and 4x5\)"),
    ("matmul_fold", lambda t, a, b: a @ b, [arr(5, 2, 3), arr(4, 5)], r"\(10x3 and 4x5\)"),
    ("matmul_fold_mv", lambda t, a, b: a @ b, [arr(5, 3, 4), arr(2)], r"got input \(15\), mat \(15x4\), vec \(2\)"),
    ("matmul_batched", lambda t, a, b: a @ b, [arr(5, 2, 3), arr(5, 4, 5)],
     r"Expected size for first two dimensions of batch2 tensor to be: \[5, 3\] but got: \[5, 4\]\."),
    ("matmul_batched_2d", lambda t, a, b: a @ b, [arr(4, 2), arr(5, 3, 4)], r"\[5, 2\] but got: \[5, 3\]"),
    ("matmul_batch_bcast", lambda t, a, b: a @ b, [arr(5, 2, 3), arr(4, 3, 5)], "The size of tensor a"),
    ("matmul_dtype", lambda t, a, b: a @ b, [arr(2, 3), arr(3, 4, dtype=F64)],
     "expected m1 and m2 to have the same dtype, but got: float != double"),
    ("matmul_int_float", lambda t, a, b: a @ b, [I64(2, 3), arr(3, 4)], "long int != float"),
    ("matmul_bool", lambda t, a, b: a @ b, [arr(2, 2, dtype="bool"), arr(2, 2, dtype="bool")],
     "\"addmm_impl_cpu_\" not implemented for 'Bool'"),
    ("matmul_dtype_1d", lambda t, a, b: a @ b, [arr(3), arr(3, dtype=F64)], "dot : expected both vectors"),
    ("matmul_dtype_mv", lambda t, a, b: a @ b, [arr(2, 3), arr(3, dtype=F64)],
     "addmv input tensors must have the same dtype, but got Double, Float, and Double"),
    ("matmul_dtype_batched", lambda t, a, b: a @ b, [arr(2, 2, 3), arr(2, 3, 2, dtype=F64)],
     "expected scalar type Float but found Double"),
    ("mm_1d", lambda t, a, b: t.mm(a, b), [arr(3), arr(3, 3)], "self must be a matrix"),
    ("mm_mat2", lambda t, a, b: t.mm(a, b), [arr(3, 3), arr(3)], "mat2 must be a matrix"),
    ("bmm_2d", lambda t, a, b: t.bmm(a, b), [arr(2, 3), arr(3, 4)], "batch1 must be a 3D tensor"),
    ("bmm_shape", lambda t, a, b: t.bmm(a, b), [arr(5, 2, 3), arr(4, 3, 4)], r"\[5, 3\] but got: \[4, 3\]"),
    ("bmm_dtype", lambda t, a, b: t.bmm(a, b), [arr(1, 2, 3), arr(1, 3, 4, dtype=F64)], "expected scalar type Float"),
    ("mv_dims", lambda t, a, b: t.mv(a, b), [arr(2, 3), arr(2, 3)], "vector \\+ matrix @ vector expected, got 1, 2, 2"),
    ("dot_2d", lambda t, a, b: t.dot(a, b), [arr(2, 2), arr(2, 2)], "1D tensors expected, but got 2D and 2D tensors"),
    ("dot_dtype", lambda t, a, b: t.dot(a, b), [arr(3), arr(3, dtype=F64)],
     "dot : expected both vectors to have same dtype, but found Float and Double"),
    ("dot_bool", lambda t, a, b: t.dot(a, b), [arr(2, dtype="bool"), arr(2, dtype="bool")],
     "\"dot\" not implemented for 'Bool'"),
    ("inner_last", lambda t, a, b: t.inner(a, b), [arr(2, 3), arr(3, 4)], "inner\\(\\) the last dimension must match"),
    ("inner_dtype", lambda t, a, b: t.inner(a, b), [arr(3), arr(3, dtype=F64)], "both inputs should have same dtype"),
    ("outer_2d", lambda t, a, b: t.outer(a, b), [arr(2, 3), arr(3)], "outer: Expected 1-D argument self, but got 2-D"),
    ("einsum_size", lambda t, a, b: t.einsum("ij,jk->ik", a, b), [arr(2, 3), arr(2, 3)],
     "einsum\\(\\): subscript j has size 2 for operand 1 which does not broadcast with previously seen size 3"),
    ("einsum_ndim", lambda t, a, b: t.einsum("ijk,jk->ik", a, b), [arr(2, 3), arr(3, 4)],
     "the number of subscripts in the equation \\(3\\) does not match the number of dimensions \\(2\\) for operand 0"),
    ("einsum_fewer", lambda t, a: t.einsum("ij,jk->ik", a), [arr(2, 3)], "fewer operands were provided"),
    ("einsum_more", lambda t, a: t.einsum("ij->ij", a, a), [arr(2, 2)], "more operands were provided"),
    ("einsum_char", lambda t, a, b: t.einsum("i1,i->", a, b), [arr(2, 3), arr(3)],
     "invalid subscript given at index 1"),
    ("einsum_out_repeat", lambda t, a: t.einsum("ij->ii", a), [arr(2, 2)], "output subscript i appears more than once"),
    ("einsum_out_missing", lambda t, a: t.einsum("ij->k", a), [arr(2, 2)], "output subscript k does not appear"),
    ("einsum_dtype", lambda t, a, b: t.einsum("ij,jk", a, b), [arr(2, 3), arr(3, 2, dtype=F64)],
     "expected scalar type Float but found Double"),
    ("einsum_no_operands", lambda t: t.einsum("ij->ij"), [], "must specify the equation string"),
    ("tensordot_neg", lambda t, a, b: t.tensordot(a, b, dims=-1), [arr(2, 3), arr(3, 2)], "dims >= 0"),
    ("tensordot_size", lambda t, a, b: t.tensordot(a, b, dims=2), [arr(2, 3), arr(3, 4)],
     "contracted dimensions need to match, but first has size 2 in dim -2 and second has size 3 in dim 0"),
    ("tensordot_dtype", lambda t, a, b: t.tensordot(a, b, dims=1), [arr(2, 3), arr(3, 4, dtype=F64)],
     "both inputs should have same dtype"),
    ("tensordot_lens", lambda t, a, b: t.tensordot(a, b, dims=([0, 1], [0])), [arr(2, 2), arr(2, 2)],
     "both dimension lists should have same length"),
    ("addmm_expand", lambda t, i, a, b: t.addmm(i, a, b), [arr(3), arr(2, 3), arr(3, 4)],
     "The expanded size of the tensor \\(4\\) must match the existing size \\(3\\) at non-singleton dimension 1"),
    ("addmm_dtype", lambda t, i, a, b: t.addmm(i, a, b), [arr(2, 4, dtype=F64), arr(2, 3), arr(3, 4)],
     "self and mat2 must have the same dtype, but got Double and Float"),
    ("addmm_1d", lambda t, i, a, b: t.addmm(i, a, b), [arr(2), arr(2), arr(2, 2)], "mat1 must be a matrix, got 1-D"),
    ("addmv_size", lambda t, i, a, b: t.addmv(i, a, b), [arr(3), arr(2, 3), arr(3)],
     r"size mismatch, got input \(3\), mat \(2x3\), vec \(3\)"),
    ("addmv_dtype", lambda t, i, a, b: t.addmv(i, a, b), [arr(2, dtype=F64), arr(2, 2), arr(2)],
     "addmv input tensors must have the same dtype, but got Double, Float, and Float"),
    ("baddbmm_dtype", lambda t, i, a, b: t.baddbmm(i, a, b), [arr(2, 2, 2, dtype=F64), arr(2, 2, 2), arr(2, 2, 2)],
     "Input dtypes must be the same, got: input double, batch1: float, batch2: float"),
    ("addbmm_expand", lambda t, i, a, b: t.addbmm(i, a, b), [arr(3, 2), arr(2, 2, 2), arr(2, 2, 2)],
     "The expanded size of the tensor"),
    ("addr_2d", lambda t, i, a, b: t.addr(i, a, b), [arr(2, 2), arr(2, 2), arr(2)], "addr: Expected 1-D argument vec1"),
    ("multi_dot_one", lambda t, a: t.linalg.multi_dot([a]), [arr(2, 2)], "expected at least 2 tensors but got 1"),
    ("multi_dot_shapes", lambda t, a: t.linalg.multi_dot([a, a]), [arr(2, 3)],
     r"tensors 0 and 1 with shapes \[2, 3\] and \[2, 3\] cannot be multiplied"),
    ("multi_dot_mid", lambda t, a, b: t.linalg.multi_dot([a, b, a]), [arr(2, 2), arr(2)],
     "tensor 1 must be 2D but got 1D"),
    ("multi_dot_first", lambda t, a, b: t.linalg.multi_dot([a, b]), [arr(2, 2, 2), arr(2, 2)],
     "the first tensor must be 1D or 2D but got 3D"),
    ("multi_dot_dtype", lambda t, a, b: t.linalg.multi_dot([a, b]), [arr(2, 2), arr(2, 2, dtype=F64)],
     "tensor 0 is float and tensor 1 double"),
    ("chain_matmul_1d", lambda t, a, b: t.chain_matmul(a, b), [arr(2, 2), arr(2)], "Tensor dimension is 1, expected 2"),
    ("matrix_power_square", lambda t, a: t.matrix_power(a, 2), [arr(2, 3)],
     "linalg.matrix_power: A must be batches of square matrices, but they are 2 by 3 matrices"),
    ("matrix_power_int_neg", lambda t, a: t.matrix_power(a, -1), [I64(2, 2)],
     "linalg.inv: Expected a floating point or complex tensor as input. Got Long"),
    ("inv_1d", lambda t, a: t.linalg.inv(a), [arr(3)],
     "linalg.inv: The input tensor A must have at least 2 dimensions."),
    ("inv_square", lambda t, a: t.linalg.inv(a), [arr(2, 3)],
     "A must be batches of square matrices, but they are 2 by 3"),
    ("inv_int", lambda t, a: t.inverse(a), [I64(2, 2)],
     "Expected a floating point or complex tensor as input. Got Long"),
    ("det_square", lambda t, a: t.det(a), [arr(2, 3)], "linalg.det: A must be batches of square matrices"),
    ("det_int", lambda t, a: t.linalg.det(a), [I64(2, 2)], "linalg.det: Expected a floating point"),
    ("pinv_int", lambda t, a: t.linalg.pinv(a), [I64(3, 3)],
     r"linalg.pinv\(Long\{\[3, 3\]\}\): expected a tensor with 2 or more dimensions of float"),
    ("cholesky_square", lambda t, a: t.linalg.cholesky(a), [arr(2, 3)], "linalg.cholesky: A must be batches of square"),
    ("cholesky_int", lambda t, a: t.linalg.cholesky(a), [I64(2, 2)], "linalg.cholesky: Expected a floating point"),
    ("eigh_uplo", lambda t, a: t.linalg.eigh(a, UPLO="X"), [arr(3, 3)], "Expected UPLO argument to be 'L' or 'U', but "
                                                                         "got X"),
    ("eigh_square", lambda t, a: t.linalg.eigh(a), [arr(3, 2)], "linalg.eigh: A must be batches of square matrices"),
    ("eigh_int", lambda t, a: t.linalg.eigh(a), [I64(2, 2)], "\"linalg_eigh_cpu\" not implemented for 'Long'"),
    ("eigvals_int", lambda t, a: t.linalg.eigvals(a), [I64(2, 2)], "Unknown Complex ScalarType for Long"),
    ("qr_mode", lambda t, a: t.linalg.qr(a, mode="x"), [arr(3, 2)], "qr received unrecognized mode 'x'"),
    ("svd_int", lambda t, a: t.linalg.svd(a), [I64(2, 3)], "linalg.svd: Expected a floating point or complex tensor"),
    ("matrix_rank_int", lambda t, a: t.linalg.matrix_rank(a), [I64(2, 2)], "doesn't handle types other than float"),
    ("solve_shape", lambda t, a, b: t.linalg.solve(a, b), [arr(3, 3), arr(4)],
     r"linalg.solve: Incompatible shapes of A and B for the equation AX = B \(3x3 and 4x1\)"),
    ("solve_shape_right", lambda t, a, b: t.linalg.solve(a, b, left=False), [arr(3, 3), arr(3, 2)],
     r"the equation XA = B \(3x3 and 3x2\)"),
    ("solve_vector_batch", lambda t, a, b: t.linalg.solve(a, b), [arr(2, 3, 3), arr(1, 3)], r"\(3x3 and 1x3\)"),
    ("solve_dtype", lambda t, a, b: t.linalg.solve(a, b), [arr(3, 3), arr(3, dtype=F64)],
     "Expected A and B to have the same dtype, but found A of type Float and B of type Double instead"),
    ("lstsq_rows", lambda t, a, b: t.linalg.lstsq(a, b), [arr(4, 3), arr(3, 2)], r"input.size\(-2\) should match"),
    ("lstsq_driver", lambda t, a, b: t.linalg.lstsq(a, b, driver="x"), [arr(4, 3), arr(4, 2)],
     "parameter `driver` should be one of"),
    ("lstsq_dtype", lambda t, a, b: t.linalg.lstsq(a, b), [arr(4, 3), arr(4, 2, dtype=F64)],
     "Expected input and other to have the same dtype"),
    ("vector_norm_int", lambda t, a: t.linalg.vector_norm(a), [I64(3)],
     "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long"),
    ("vector_norm_ord_str", lambda t, a: t.linalg.vector_norm(a, "fro"), [arr(3)], "must be Number, not str"),
    ("vector_norm_narrow", lambda t, a: t.linalg.vector_norm(a, dtype=t.float32), [arr(3, dtype=F64)],
     "should be convertible without narrowing"),
    ("vector_norm_empty_inf", lambda t, a: t.linalg.vector_norm(a, float("inf")), [arr(0)],
     "cannot compute the inf norm on an empty tensor"),
    ("vector_norm_empty_dim", lambda t, a: t.linalg.vector_norm(a, -1, dim=1), [arr(2, 0)],
     "cannot compute the -1 norm on the dimension 1"),
    ("matrix_norm_ord", lambda t, a: t.linalg.matrix_norm(a, 3), [arr(2, 2)],
     "linalg.matrix_norm: Order 3 not supported"),
    ("matrix_norm_1d", lambda t, a: t.linalg.matrix_norm(a), [arr(3)], "must have at least 2 dimensions"),
    ("matrix_norm_dims", lambda t, a: t.linalg.matrix_norm(a, 1, dim=(1, 1)), [arr(2, 3, 4)],
     r"dims must be different. Got \(1, 1\)"),
    ("norm_3d_ord", lambda t, a: t.linalg.norm(a, 2), [arr(2, 2, 2)], "If dim is not specified but ord is"),
    ("norm_fro_1d", lambda t, a: t.linalg.norm(a, "fro"), [arr(2)], "must have at least 2 dimensions"),
    ("vecdot_dtype", lambda t, a, b: t.linalg.vecdot(a, b), [arr(3), arr(3, dtype=F64)],
     "linalg.vecdot: Expected x and y to have the same dtype"),
    ("vecdot_int", lambda t, a, b: t.linalg.vecdot(a, b), [I64(3), I64(3)], "Expected a floating point"),
    ("dist_int", lambda t, a, b: t.dist(a, b), [I64(3), I64(3)],
     "norm\\(\\): input dtype should be either floating point or complex. Got Long instead."),
    ("cdist_cols", lambda t, a, b: t.cdist(a, b), [arr(2, 3), arr(2, 4)],
     "X1 and X2 must have the same number of columns. X1: 3 X2: 4"),
    ("cdist_1d", lambda t, a, b: t.cdist(a, b), [arr(3), arr(2, 3)],
     "cdist only supports at least 2D tensors, X1 got: 1D"),
    ("cdist_neg_p", lambda t, a, b: t.cdist(a, b, p=-1), [arr(2, 3), arr(2, 3)], "only supports non-negative p"),
    ("cdist_int", lambda t, a, b: t.cdist(a, b), [I64(2, 3), I64(2, 3)], "cdist only supports floating-point dtypes"),
    ("cdist_mode", lambda t, a, b: t.cdist(a, b, compute_mode="x"), [arr(2, 3), arr(2, 3)],
     "x is not a valid value for compute_mode"),
]


@pytest.mark.parametrize("name,fn,inputs,match", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(name, fn, inputs, match):
    check_error(fn, *inputs, match=match)


@pytest.mark.parametrize("name,fn,match", [
    ("inv", lambda t: t.linalg.inv(t.zeros(3, 3)),
     "linalg.inv: The diagonal element 1 is zero, the inversion could not be completed because the input matrix is "
     "singular."),
    ("inv_batched", lambda t: t.linalg.inv(t.stack([t.eye(2), t.tensor([[1.0, 2.0], [2.0, 4.0]])])),
     r"linalg.inv: \(Batch element 1\): The diagonal element 2 is zero"),
    ("cholesky", lambda t: t.linalg.cholesky(t.tensor([[1.0, 2.0], [2.0, 1.0]])),
     r"linalg.cholesky: The factorization could not be completed because the input is not positive-definite \(the "
     r"leading minor of order 2 is not positive-definite\)."),
    ("cholesky_batched", lambda t: t.linalg.cholesky(t.stack([t.eye(2), -t.eye(2)])),
     r"linalg.cholesky: \(Batch element 1\): The factorization .* order 1 is"),
    ("cholesky_old", lambda t: t.cholesky(-t.eye(2)), "^cholesky: The factorization could not be completed"),
    ("solve", lambda t: t.linalg.solve(t.zeros(3, 3), t.ones(3)),
     "torch.linalg.solve: The solver failed because the input matrix is singular."),
    ("inv_ex_check", lambda t: t.linalg.inv_ex(t.zeros(2, 2), check_errors=True), "is singular"),
])
def test_linalg_errors(name, fn, match):
    import re

    with pytest.raises(torch.linalg.LinAlgError) as t_err:
        fn(torch)
    with pytest.raises(jtorch.linalg.LinAlgError) as j_err:
        fn(jtorch)
    assert isinstance(j_err.value, RuntimeError)
    assert re.search(match, str(t_err.value)), str(t_err.value)
    assert re.search(match, str(j_err.value)), str(j_err.value)


def test_info_outputs():
    a = np.array([[[1.0, 2.0], [2.0, 1.0]], [[2.0, 0.0], [0.0, 2.0]], [[-1.0, 0.0], [0.0, 1.0]]], "float32")
    for fn in (lambda t, x: t.linalg.cholesky_ex(x).info, lambda t, x: t.linalg.inv_ex(x * 0).info):
        expected = fn(torch, torch.from_numpy(a)).numpy()
        assert np.array_equal(np.asarray(fn(jtorch, jtorch.tensor(a))), expected)


@pytest.mark.parametrize("name,fn,match", [
    ("qr_r", lambda t, a: t.linalg.qr(a, mode="r")[1], "not computed when mode='r'"),
    ("qr_complete", lambda t, a: t.linalg.qr(a, mode="complete")[0], "not differentiable when mode='complete'"),
])
def test_not_differentiable_at_backward(name, fn, match):
    for lib in (torch, jtorch):
        a = lib.ones(3, 2, requires_grad=True) + lib.eye(3, 2)
        out = fn(lib, a)
        assert out.requires_grad
        with pytest.raises(RuntimeError, match=match):
            out.sum().backward()


def test_named_tuples():
    a = jtorch.tensor([[2.0, 1.0], [1.0, 3.0]])
    assert jtorch.linalg.slogdet(a).logabsdet.shape == ()
    assert jtorch.linalg.svd(a).Vh.shape == (2, 2)
    assert jtorch.svd(a).V.shape == (2, 2)
    assert jtorch.linalg.eigh(a).eigenvectors.shape == (2, 2)
    assert jtorch.linalg.qr(a).R.shape == (2, 2)
    assert jtorch.linalg.lstsq(a, a).solution.shape == (2, 2)
    assert jtorch.linalg.inv_ex(a).info.dtype is jtorch.int32


def test_rmatmul_with_numpy_left():
    a = np.ones((2, 3), "float32")
    b = jtorch.ones(3, 2)
    assert (jtorch.tensor(a) @ b).tolist() == [[3.0, 3.0], [3.0, 3.0]]
    assert b.__rmatmul__(jtorch.tensor(a)).shape == (2, 2)


def test_deprecation_warnings_once():
    import warnings

    from jtorch._ops import linalg as L

    L._CHAIN_WARNED.clear()
    L._CHOLESKY_WARNED.clear()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        for _ in range(2):
            jtorch.chain_matmul(jtorch.eye(2), jtorch.eye(2))
            jtorch.cholesky(jtorch.eye(2))
    assert len(w) == 2


def test_out_and_inplace():
    a, b = jtorch.ones(2, 3), jtorch.ones(3, 4)
    out = jtorch.empty(2, 4)
    assert jtorch.mm(a, b, out=out) is out and out.sum().item() == 24
    x = jtorch.zeros(2, 4)
    x.addmm_(a, b, beta=0, alpha=2)
    assert x.sum().item() == 48
    leaf = jtorch.zeros(2, 4, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        leaf.addmm_(a, b)


def test_tf32_flag_changes_precision_argument():
    from jtorch._ops import linalg as L

    assert L._precision() == "highest"
    jtorch.backends.cuda.matmul.allow_tf32 = True
    try:
        assert L._precision() is None
        assert (jtorch.ones(2, 2) @ jtorch.ones(2, 2)).sum().item() == 8
    finally:
        jtorch.backends.cuda.matmul.allow_tf32 = False
