"""CUDA backend flags, accepted for compatibility."""


class _Matmul:
    allow_tf32 = False
    allow_fp16_reduced_precision_reduction = True


matmul = _Matmul()


def is_built():
    """Whether JAX has a GPU backend loaded."""
    from .. import cuda

    return cuda.is_available()
