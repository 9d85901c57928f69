"""CUDA backend flags, accepted for compatibility: XLA chooses its own kernels and precisions."""


class _Matmul:
    """``torch.backends.cuda.matmul``: settable flags with PyTorch's defaults."""

    allow_tf32 = False
    allow_fp16_reduced_precision_reduction = True
    allow_bf16_reduced_precision_reduction = True


matmul = _Matmul()

_SDP = {"flash": True, "mem_efficient": True, "math": True, "cudnn": True}


def is_built():
    """Whether JAX has a GPU backend loaded."""
    from .. import cuda

    return cuda.is_available()


def flash_sdp_enabled():
    """The flash scaled-dot-product-attention flag (no effect on XLA)."""
    return _SDP["flash"]


def mem_efficient_sdp_enabled():
    """The memory-efficient scaled-dot-product-attention flag (no effect on XLA)."""
    return _SDP["mem_efficient"]


def math_sdp_enabled():
    """The math scaled-dot-product-attention flag (no effect on XLA)."""
    return _SDP["math"]


def cudnn_sdp_enabled():
    """The cuDNN scaled-dot-product-attention flag (no effect on XLA)."""
    return _SDP["cudnn"]


def enable_flash_sdp(enabled):
    """Set the flash attention flag."""
    _SDP["flash"] = bool(enabled)


def enable_mem_efficient_sdp(enabled):
    """Set the memory-efficient attention flag."""
    _SDP["mem_efficient"] = bool(enabled)


def enable_math_sdp(enabled):
    """Set the math attention flag."""
    _SDP["math"] = bool(enabled)


def enable_cudnn_sdp(enabled):
    """Set the cuDNN attention flag."""
    _SDP["cudnn"] = bool(enabled)
