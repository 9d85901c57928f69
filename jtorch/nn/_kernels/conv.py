"""Convolutions (``conv1d/2d/3d``, ``conv_transpose1d/2d/3d``) and im2col (``unfold``/``fold``).

Every convolution runs through :func:`conv_nd`, which lowers it with the forms (forward, input
gradient, weight gradient) that ``conv_lowering.choose`` picks for its shapes: fused direct sums
where XLA:CPU's convolution is slow (few channels), ``lax.conv_general_dilated`` elsewhere.
Transposed convolutions are the same convolution with input dilation, a flipped kernel and
regrouped weights. Shape, dtype and argument errors follow ATen's ``check_shape_forward``.
"""
import warnings

import jax.numpy as jnp

from ...backends import cudnn as _cudnn
from ..._ops.dispatch import Op
from ..._tensor import legacy_type_name
from . import conv_lowering
from ._util import check_tensor, ctype, ntuple, size_str
from ._window import fold_patches, pad_trailing, patches

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "unfold",
           "fold", "conv_nd"]


def conv_nd(x, w, *, stride, padding, dilation, groups, precision, lhs_dilation=None, forms=None):
    """THE convolution: batched NC* input, OI* weight, ``(lo, hi)`` padding pairs.

    ``forms`` (forward, input-gradient, weight-gradient lowerings) defaults to
    ``conv_lowering.choose``'s pick for these shapes.
    """
    if forms is None:
        forms = conv_lowering.choose(x.shape, w.shape, stride, padding, dilation, groups, x.dtype, lhs_dilation)
    return conv_lowering.conv(x, w, stride=stride, padding=padding, dilation=dilation, groups=groups,
                              precision=precision, lhs_dilation=lhs_dilation, forms=forms)


def _conv_kernel(x, w, *b, stride, padding, dilation, groups, precision, unbatched, forms):
    if unbatched:
        x = x[None]
    y = conv_nd(x, w, stride=stride, padding=padding, dilation=dilation, groups=groups, precision=precision,
                forms=forms)
    if b:
        y = y + b[0].reshape((1, -1) + (1,) * (y.ndim - 2))
    return y[0] if unbatched else y


def _transposed_weight(w, groups):
    """``(Cin, Cout/g, *k)`` transposed-conv weight as a flipped ``(Cout, Cin/g, *k)`` conv weight."""
    cin, cout_g, k = w.shape[0], w.shape[1], w.shape[2:]
    w = w.reshape((groups, cin // groups, cout_g) + k)
    w = jnp.swapaxes(w, 1, 2).reshape((groups * cout_g, cin // groups) + k)
    return jnp.flip(w, axis=tuple(range(2, w.ndim)))


def _conv_transpose_kernel(x, w, *b, stride, padding, dilation, groups, precision, unbatched, forms):
    if unbatched:
        x = x[None]
    n = w.ndim - 2
    y = conv_nd(x, _transposed_weight(w, groups), stride=(1,) * n, padding=padding, dilation=dilation,
                groups=groups, precision=precision, lhs_dilation=stride, forms=forms)
    if b:
        y = y + b[0].reshape((1, -1) + (1,) * n)
    return y[0] if unbatched else y


_conv_op = Op("convolution", _conv_kernel)
_conv_transpose_op = Op("convolution", _conv_transpose_kernel)


def _precision():
    return None if _cudnn.allow_tf32 else "highest"


def _check_dims(input, n, fn):
    if input.ndim not in (n + 1, n + 2):
        raise RuntimeError(f"Expected {n + 1}D (unbatched) or {n + 2}D (batched) input to {fn}, but got input of "
                           f"size: {size_str(input.shape)}")


def _check_dtypes(input, weight, bias):
    if input.dtype is not weight.dtype:
        if input.dtype.name in ("float32", "bfloat16", "float16"):
            raise RuntimeError(f"Input type ({legacy_type_name(input.dtype.np)}) and weight type "
                               f"({legacy_type_name(weight.dtype.np)}) should be the same or input should be a "
                               "MKLDNN tensor and weight is a dense tensor")
        from ..._tensor import scalar_type_name

        raise RuntimeError(f"expected scalar type {scalar_type_name(input.dtype)} but found "
                           f"{scalar_type_name(weight.dtype)}")
    if bias is not None and bias.dtype is not input.dtype:
        raise RuntimeError(f"Input type ({ctype(input.dtype)}) and bias type ({ctype(bias.dtype)}) should be the "
                           "same")
    if input.dtype.name == "bool":
        raise NotImplementedError(f"\"slow_conv{weight.ndim - 2}d_cpu\" not implemented for 'Bool'")


def _check_params(stride, padding, dilation, output_padding=None):
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if output_padding is not None and any(p < 0 for p in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError("non-positive dilation is not supported")


def _check_weight(x_shape, w_shape, groups, transposed):
    """ATen's weight/group/channel checks; ``x_shape`` is the batched input shape."""
    if len(w_shape) != len(x_shape):
        nd = len(w_shape)
        raise RuntimeError(f"Expected {nd}-dimensional input for {nd}-dimensional weight {size_str(w_shape)}, but "
                           f"got {len(x_shape)}-dimensional input of size {size_str(x_shape)} instead")
    if w_shape[0] < groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got "
                           f"weight of size {size_str(w_shape)} instead")
    if w_shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but "
                           f"got weight of size [{size_str(w_shape)}] instead")
    channels = w_shape[0] if transposed else w_shape[1] * groups
    if x_shape[1] != channels:
        what = "transposed=1" if transposed else f"groups={groups}"
        raise RuntimeError(f"Given {what}, weight of size {size_str(w_shape)}, expected input{size_str(x_shape)} to "
                           f"have {channels} channels, but got {x_shape[1]} channels instead")


def _check_bias(bias, w_shape, groups, transposed):
    if bias is None:
        return
    n = w_shape[1] * groups if transposed else w_shape[0]
    if bias.ndim != 1 or bias.shape[0] != n:
        what = "transposed=1, weight" if transposed else "weight"
        raise RuntimeError(f"Given {what} of size {size_str(w_shape)}, expected bias to be 1-dimensional with {n} "
                           f"elements, but got bias of size {size_str(bias.shape)} instead")


def _same_padding(padding, w_shape, stride, dilation, n):
    """``(lo, hi)`` pairs for ``padding`` (ints or ``'same'``/``'valid'``); 'same' puts the odd one on the right."""
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * n
        if padding != "same":
            raise RuntimeError(f"Invalid padding string: '{padding}'")
        if any(s != 1 for s in stride):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        pairs = []
        for d, k in zip(dilation, w_shape[2:]):
            total = d * (k - 1)
            pairs.append((total // 2, total - total // 2))
        if any(lo != hi for lo, hi in pairs):
            warnings.warn("Using padding='same' with even kernel lengths and odd dilation may require a zero-padded "
                          "copy of the input be created", stacklevel=4)
        return tuple(pairs)
    return None


def _conv(input, weight, bias, stride, padding, dilation, groups, n):
    fn = f"conv{n}d"
    check_tensor(input, fn)
    check_tensor(weight, fn, "weight", 2)
    _check_dims(input, n, fn)
    nw = weight.ndim - 2
    if nw <= 0:
        raise RuntimeError("weight should have at least three dimensions")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    stride = ntuple(stride, nw, "stride")
    dilation = ntuple(dilation, nw, "dilation")
    pairs = _same_padding(padding, weight.shape, stride, dilation, nw)
    if pairs is None:
        pad = ntuple(padding, nw, "padding")
        pairs = tuple((p, p) for p in pad)
    else:
        pad = tuple(lo for lo, _ in pairs)
    _check_params(stride, pad, dilation)
    unbatched = input.ndim == n + 1
    x_shape = ((1,) + tuple(input.shape)) if unbatched else tuple(input.shape)
    _check_weight(x_shape, tuple(weight.shape), groups, False)
    _check_bias(bias, tuple(weight.shape), groups, False)
    padded = [s + lo + hi for s, (lo, hi) in zip(x_shape[2:], pairs)]
    kernel = [d * (k - 1) + 1 for d, k in zip(dilation, weight.shape[2:])]
    if any(p < k for p, k in zip(padded, kernel)):
        raise RuntimeError(f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel size: "
                           f"({' x '.join(map(str, kernel))}). Kernel size can't be greater than actual input size")
    _check_dtypes(input, weight, bias)
    args = (input, weight) if bias is None else (input, weight, bias)
    forms = conv_lowering.choose(x_shape, tuple(weight.shape), stride, pairs, dilation, int(groups), input.dtype.name)
    return _conv_op(*args, stride=stride, padding=pairs, dilation=dilation, groups=int(groups),
                    precision=_precision(), unbatched=unbatched, forms=forms)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution over ``(N, C, L)`` or unbatched ``(C, L)`` input; ``padding`` may be 'same'/'valid'."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 1)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution over ``(N, C, H, W)`` or unbatched ``(C, H, W)`` input; ``padding`` may be 'same'/'valid'."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2)


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """3-D convolution over ``(N, C, D, H, W)`` or unbatched input; ``padding`` may be 'same'/'valid'."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 3)


def _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, n):
    fn = f"conv_transpose{n}d"
    check_tensor(input, fn)
    check_tensor(weight, fn, "weight", 2)
    if isinstance(padding, str):
        raise TypeError(f"{fn}(): argument 'padding' must be tuple of ints, not str")
    _check_dims(input, n, fn)
    nw = weight.ndim - 2
    if nw <= 0:
        raise RuntimeError("weight should have at least three dimensions")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    stride = ntuple(stride, nw, "stride")
    pad = ntuple(padding, nw, "padding")
    dilation = ntuple(dilation, nw, "dilation")
    out_pad = ntuple(output_padding, nw, "output_padding")
    _check_params(stride, pad, dilation, out_pad)
    unbatched = input.ndim == n + 1
    x_shape = ((1,) + tuple(input.shape)) if unbatched else tuple(input.shape)
    _check_weight(x_shape, tuple(weight.shape), groups, True)
    _check_bias(bias, tuple(weight.shape), groups, True)
    _check_dtypes(input, weight, bias)
    if any(op >= s and op >= d for op, s, d in zip(out_pad, stride, dilation)):
        names = ("height", "width") if nw == 2 else (("time", "height", "width") if nw == 3 else ("width",))
        parts = [f"output_padding_{a}: {v}" for a, v in zip(names, out_pad)]
        parts += [f"stride_{a}: {v}" for a, v in zip(names, stride)]
        parts += [f"dilation_{a}: {v}" for a, v in zip(names, dilation)]
        raise RuntimeError("output padding must be smaller than either stride or dilation, but got " + " ".join(parts))
    k = weight.shape[2:]
    out = [(i - 1) * s - 2 * p + d * (kk - 1) + op + 1
           for i, s, p, d, kk, op in zip(x_shape[2:], stride, pad, dilation, k, out_pad)]
    if any(o <= 0 for o in out):
        raise RuntimeError(f"Given input size per channel: ({' x '.join(map(str, x_shape[2:]))}). Calculated output "
                           f"size per channel: ({' x '.join(map(str, out))}). Output size is too small")
    pairs = tuple((d * (kk - 1) - p, d * (kk - 1) - p + op) for p, d, kk, op in zip(pad, dilation, k, out_pad))
    args = (input, weight) if bias is None else (input, weight, bias)
    w_shape = (weight.shape[1] * int(groups), weight.shape[0] // int(groups)) + tuple(k)
    forms = conv_lowering.choose(x_shape, w_shape, (1,) * nw, pairs, dilation, int(groups), input.dtype.name, stride)
    return _conv_transpose_op(*args, stride=stride, padding=pairs, dilation=dilation, groups=int(groups),
                              precision=_precision(), unbatched=unbatched, forms=forms)


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """1-D transposed convolution ("deconvolution"); weight is ``(Cin, Cout/groups, k)``."""
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 1)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """2-D transposed convolution; weight is ``(Cin, Cout/groups, kH, kW)``."""
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 2)


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """3-D transposed convolution; weight is ``(Cin, Cout/groups, kD, kH, kW)``."""
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 3)


# ---- im2col ----
def _unfold_kernel(x, *, kernel, dilation, padding, stride, out):
    x = pad_trailing(x, [(p, p) for p in padding], 0)
    cols = patches(x, kernel, stride, dilation, out)
    n, c = x.shape[0], x.shape[1]
    return cols.reshape(n, c * cols.shape[2], -1)


def _fold_kernel(cols, *, output_size, kernel, dilation, padding, stride, out):
    n = cols.shape[0]
    k = kernel[0] * kernel[1]
    c = cols.shape[1] // k
    cols = cols.reshape((n, c, k) + tuple(out))
    padded = tuple(o + 2 * p for o, p in zip(output_size, padding))
    res = fold_patches(cols, padded, kernel, stride, dilation, out)
    return res[:, :, padding[0]:padding[0] + output_size[0], padding[1]:padding[1] + output_size[1]]


_unfold_op = Op("im2col", _unfold_kernel, saves=(), grad_name="Im2ColBackward0")
_fold_op = Op("col2im", _fold_kernel, saves=(), grad_name="Col2ImBackward0")


def _im2col_args(kernel_size, dilation, padding, stride):
    k = ntuple(kernel_size, 2, "kernel_size", "im2col")
    d = ntuple(dilation, 2, "dilation", "im2col")
    p = ntuple(padding, 2, "padding", "im2col")
    s = ntuple(stride, 2, "stride", "im2col")
    for name, vals, lo in (("kernel", k, 1), ("dilation", d, 1), ("padding", p, 0), ("stride", s, 1)):
        if any(v < lo for v in vals):
            what = "non-negative" if lo == 0 else "greater than zero"
            raise RuntimeError(f"{name} should be {what}, but got {name}_height: {vals[0]} {name}_width: {vals[1]}")
    return k, d, p, s


def _unbatch(input, ndim):
    if input.ndim == ndim - 1:
        return input.unsqueeze(0), True
    return input, False


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """im2col: ``(N, C, H, W)`` (or ``(C, H, W)``) to ``(N, C*kH*kW, L)`` sliding-window columns."""
    check_tensor(input, "unfold")
    if input.ndim not in (3, 4):
        raise NotImplementedError(f"Input Error: Only 3D or 4D input Tensors are supported (got {input.ndim}D)")
    k, d, p, s = _im2col_args(kernel_size, dilation, padding, stride)
    x, unbatched = _unbatch(input, 4)
    h, w = x.shape[2], x.shape[3]
    out = tuple((size + 2 * pp - (dd * (kk - 1) + 1)) // ss + 1 for size, pp, dd, kk, ss in zip((h, w), p, d, k, s))
    if any(o < 1 for o in out):
        raise RuntimeError(f"Given input with spatial size ({h}, {w}), kernel_size=({k[0]}, {k[1]}), dilation=("
                           f"{d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), calculated shape of the array of sliding "
                           f"blocks as ({out[0]}, {out[1]}), but its components must be at least one.")
    res = _unfold_op(x, kernel=k, dilation=d, padding=p, stride=s, out=out)
    return res.squeeze(0) if unbatched else res


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """col2im: sum ``(N, C*kH*kW, L)`` sliding-window columns back into ``(N, C, *output_size)``."""
    check_tensor(input, "fold")
    if input.ndim not in (2, 3):
        raise NotImplementedError(f"Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported "
                                  f"(got {input.ndim}D)")
    o = ntuple(output_size, 2, "output_size", "col2im")
    k, d, p, s = _im2col_args(kernel_size, dilation, padding, stride)
    x, unbatched = _unbatch(input, 3)
    if x.shape[1] % (k[0] * k[1]):
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, but "
                           f"got input.size(1)={x.shape[1]} and kernel_size=({k[0]}, {k[1]})")
    out = tuple((size + 2 * pp - (dd * (kk - 1) + 1)) // ss + 1 for size, pp, dd, kk, ss in zip(o, p, d, k, s))
    if out[0] * out[1] != x.shape[2]:
        raise RuntimeError(f"Given output_size=({o[0]}, {o[1]}), kernel_size=({k[0]}, {k[1]}), dilation=({d[0]}, "
                           f"{d[1]}), padding=({p[0]}, {p[1]}), stride=({s[0]}, {s[1]}), expected size of input's "
                           f"dimension 2 to match the calculated number of sliding blocks {out[0]} * {out[1]} = "
                           f"{out[0] * out[1]}, but got input.size(2)={x.shape[2]}.")
    res = _fold_op(x, output_size=o, kernel=k, dilation=d, padding=p, stride=s, out=out)
    return res.squeeze(0) if unbatched else res
