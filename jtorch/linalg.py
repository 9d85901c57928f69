"""``torch.linalg``: linear algebra functions (implemented in ``jtorch._ops.linalg``)."""
from ._ops.linalg import (LinAlgError, linalg_cholesky as cholesky, linalg_cholesky_ex as cholesky_ex,  # noqa: F401
                          linalg_det as det, linalg_diagonal as diagonal, linalg_eig as eig,
                          linalg_eigh as eigh, linalg_eigvals as eigvals, linalg_eigvalsh as eigvalsh,
                          linalg_inv as inv, linalg_inv_ex as inv_ex, linalg_lstsq as lstsq,
                          linalg_matrix_norm as matrix_norm, linalg_matrix_rank as matrix_rank,
                          linalg_norm as norm, linalg_pinv as pinv, linalg_qr as qr, linalg_slogdet as slogdet,
                          linalg_solve as solve, linalg_svd as svd, linalg_svdvals as svdvals,
                          linalg_vecdot as vecdot, linalg_vector_norm as vector_norm, matmul, matrix_power,
                          multi_dot)
from ._ops.shape import linalg_cross as cross  # noqa: F401
from ._ops.extra_linalg import matrix_exp  # noqa: F401

__all__ = ["LinAlgError", "cholesky", "cholesky_ex", "cross", "det", "diagonal", "eig", "eigh", "eigvals", "eigvalsh",
           "inv", "inv_ex", "lstsq", "matmul", "matrix_exp", "matrix_norm", "matrix_power", "matrix_rank", "multi_dot",
           "norm", "pinv", "qr", "slogdet", "solve", "svd", "svdvals", "vecdot", "vector_norm"]
