"""``linear`` and ``bilinear``: one fused matmul(+bias) kernel each."""
import jax.numpy as jnp

from ..._ops.dispatch import Op
from ..._ops.linalg import _precision
from ._util import check_tensor, ctype

__all__ = ["linear", "bilinear"]


def _linear_kernel(x, w, *, precision):
    return jnp.matmul(x, w.T, precision=precision)


def _linear_bias_kernel(x, w, b, *, precision):
    return jnp.matmul(x, w.T, precision=precision) + b


_linear_op = Op("linear", _linear_kernel, grad_name="MmBackward0")
_linear_bias_op = Op("linear", _linear_bias_kernel, grad_name="AddmmBackward0")


def _linear_checks(input, weight, bias):
    if input.ndim == 0 or weight.ndim == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are {input.ndim}D and "
                           f"{weight.ndim}D")
    if input.dtype is not weight.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {ctype(input.dtype)} != "
                           f"{ctype(weight.dtype)}")
    k = input.shape[-1]
    if weight.shape[-1] != k:
        rows = 1
        for s in input.shape[:-1]:
            rows *= s
        w_shape = (weight.shape[0], 1) if weight.ndim == 1 else tuple(reversed(weight.shape))
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{k} and {w_shape[0]}x{w_shape[1]})")
    if bias is not None:
        if bias.dtype is not weight.dtype:
            from ..._tensor import scalar_type_name

            raise RuntimeError(f"self and mat2 must have the same dtype, but got {scalar_type_name(bias.dtype)} and "
                               f"{scalar_type_name(weight.dtype)}")
        out = weight.shape[0] if weight.ndim == 2 else None
        n = bias.shape[-1] if bias.ndim else 1
        if out is not None and bias.ndim and n not in (1, out):
            target = list(input.shape[:-1]) + [out]
            raise RuntimeError(f"The expanded size of the tensor ({out}) must match the existing size ({n}) at "
                               f"non-singleton dimension {len(target) - 1}.  Target sizes: {target}.  "
                               f"Tensor sizes: {list(bias.shape)}")


def linear(input, weight, bias=None):
    """``input @ weight.T + bias`` over the last dim of ``input`` (any leading dims)."""
    check_tensor(input, "linear")
    check_tensor(weight, "linear", "weight", 2)
    _linear_checks(input, weight, bias)
    prec = _precision()
    if bias is None:
        return _linear_op(input, weight, precision=prec)
    return _linear_bias_op(input, weight, bias, precision=prec)


def _bilinear_kernel(x1, x2, w, *, precision):
    return jnp.einsum("...i,oij,...j->...o", x1, w, x2, precision=precision)


def _bilinear_bias_kernel(x1, x2, w, b, *, precision):
    return _bilinear_kernel(x1, x2, w, precision=precision) + b


_bilinear_op = Op("bilinear", _bilinear_kernel, grad_name="ViewBackward0")
_bilinear_bias_op = Op("bilinear", _bilinear_bias_kernel, grad_name="AddBackward0")


def bilinear(input1, input2, weight, bias=None):
    """``y[..., o] = sum_ij input1[..., i] * weight[o, i, j] * input2[..., j] + bias[o]``."""
    check_tensor(input1, "bilinear", "input1")
    check_tensor(input2, "bilinear", "input2", 2)
    if input1.ndim != input2.ndim:
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.ndim} and {input2.ndim}")
    for i in range(input1.ndim - 1):
        if input1.shape[i] != input2.shape[i]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {i}: got "
                               f"{input1.shape[i]} and {input2.shape[i]}")
    if input1.shape[-1] != weight.shape[1]:
        raise RuntimeError(f"bilinear(): input1 size does not match weight size: got {input1.shape[-1]} but "
                           f"expected {weight.shape[1]}")
    if input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got {input2.shape[-1]} but "
                           f"expected {weight.shape[2]}")
    if bias is not None and bias.shape[-1] != weight.shape[0]:
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got {bias.shape[-1]} but expected "
                           f"{weight.shape[0]}")
    prec = _precision()
    if bias is None:
        return _bilinear_op(input1, input2, weight, precision=prec)
    return _bilinear_bias_op(input1, input2, weight, bias, precision=prec)
