"""Activation functions: the kernels behind ``torch.softmax``/``torch.relu``/... and, with the
same signatures as ``torch.nn.functional`` (``inplace=`` included), the functional forms that
``jtorch.nn.functional`` re-exports.

Each kernel is written so that JAX's derivative is PyTorch's at the kinks: ``relu`` has gradient 0
at 0, ``hardtanh``/``relu6`` pass no gradient at their bounds, ``leaky_relu``/``prelu`` use the
negative slope at 0, ``elu``-family gradients at 0 are ``alpha``, ``hardswish`` uses ``x / 3 + 0.5``
strictly inside ``(-3, 3)``. Numeric parameters (slopes, thresholds) are traced, so changing them
never recompiles. Only the names PyTorch has at top level are in ``__all__``.
"""
import math

import jax
import jax.numpy as jnp
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor
from .common import wrap_dim
from .dispatch import Op
from .pointwise import _BOOL_SUB, _check_input, _check_supported, _not_implemented, register

__all__ = ["relu", "relu_", "softmax", "log_softmax", "selu", "selu_", "celu", "celu_", "threshold", "threshold_",
           "prelu", "rrelu", "rrelu_", "hardshrink"]

_FLOAT_ONLY = {"bool": None, "int": None, "complex": None}
_CLAMP_COMPLEX = (NotImplementedError, "clamp is not supported for complex types")
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _float_op(name, fn, *, kernel, reject=_FLOAT_ONLY, saves="inputs", grad_name=None):
    """``run(input, *params, **static)``: check ``input``'s dtype like PyTorch's ``kernel``, then run ``fn``."""
    the_op = Op(name, fn, saves=saves, grad_name=grad_name)

    def run(input, *params, **static):
        _check_input(input, name)
        _check_supported(input.dtype, kernel, reject)
        return the_op(input, *params, **static)
    run.op = the_op
    return run


def _finish(input, result, inplace, grad_name):
    return input._inplace_from(result, grad_name) if inplace else result


def _zero(a):
    return jnp.zeros((), a.dtype)


# ---- rectifiers ----
def _relu_kernel(a):
    """``max(a, 0)``: NaN stays NaN (and passes its gradient); zero gradient at 0."""
    return jnp.where(a <= 0, _zero(a), a)


_relu = _float_op("relu", _relu_kernel, kernel="relu", saves="out", reject={
    "bool": (RuntimeError, "Boolean inputs not supported for relu"), "complex": _CLAMP_COMPLEX})


def relu(input, inplace=False):
    """``max(input, 0)``; integer dtypes are kept; the gradient at 0 is 0."""
    return _finish(input, _relu(input), inplace, "ReluBackward0")


def relu_(input):
    """In-place :func:`relu`."""
    return relu(input, inplace=True)


def _hardtanh_kernel(a, lo, hi):
    lo, hi = jnp.asarray(lo, a.dtype), jnp.asarray(hi, a.dtype)
    return jnp.where((a > lo) & (a < hi), a, lax.stop_gradient(jnp.clip(a, lo, hi)))


_hardtanh = _float_op("hardtanh", _hardtanh_kernel, kernel="hardtanh", reject={
    "bool": (RuntimeError, "Bool inputs not supported for hardtanh"), "complex": _CLAMP_COMPLEX})


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """Clamp to ``[min_val, max_val]``; no gradient at or beyond the bounds (PyTorch's)."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _finish(input, _hardtanh(input, min_val, max_val), inplace, "HardtanhBackward0")


def relu6(input, inplace=False):
    """``hardtanh(input, 0, 6)``."""
    return hardtanh(input, 0.0, 6.0, inplace)


def _leaky_relu_kernel(a, slope):
    return jnp.where(a > 0, a, a * jnp.asarray(slope, a.dtype))


_leaky_relu = _float_op("leaky_relu", _leaky_relu_kernel, kernel="leaky_relu_cpu")
_rrelu = _float_op("rrelu", _leaky_relu_kernel, kernel="leaky_relu_cpu", grad_name="RreluWithNoiseBackward0")


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """``input`` where positive, else ``negative_slope * input`` (that slope at 0 too)."""
    return _finish(input, _leaky_relu(input, negative_slope), inplace, "LeakyReluBackward0")


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomized leaky ReLU in evaluation mode: the slope is ``(lower + upper) / 2``.

    ``training=True`` (random per-element slopes) is not supported and raises.
    """
    if training:
        raise NotImplementedError("rrelu with training=True (random slopes) is not supported by jtorch; "
                                  "use training=False")
    return _finish(input, _rrelu(input, (lower + upper) / 2), inplace, "RreluWithNoiseBackward0")


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    """In-place :func:`rrelu`."""
    return rrelu(input, lower, upper, training, inplace=True)


def _prelu_kernel(a, w):
    return jnp.where(a > 0, a, w * a)


_prelu_op = Op("prelu", _prelu_kernel, grad_name="PreluKernelBackward0")


def prelu(input, weight):
    """``input`` where positive, else ``weight * input``; ``weight`` has one value or one per channel (dim 1)."""
    _check_input(input, "prelu")
    _check_supported(input.dtype, "prelu_cpu", _FLOAT_ONLY)
    if weight.ndim > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.ndim}")
    if weight.dtype is not input.dtype:
        from .._tensor import scalar_type_name

        raise RuntimeError(f"prelu: Type promoting not supported. Got {scalar_type_name(input.dtype)} and "
                           f"{scalar_type_name(weight.dtype)}")
    n = weight.numel()
    if n != 1:
        if input.ndim == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = input.shape[1] if input.ndim > 1 else 1
        if channels != n:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                               f"{n} and channel size = {channels}.")
        if input.ndim > 1:
            weight = weight.reshape((n,) + (1,) * (input.ndim - 2))
    elif weight.ndim and input.ndim == 0:
        weight = weight.reshape(())
    return _prelu_op(input, weight)


def _threshold_kernel(a, th, value):
    return jnp.where(a > jnp.asarray(th, a.dtype), a, jnp.asarray(value, a.dtype))


_threshold = _float_op("threshold", _threshold_kernel, kernel="threshold_cpu",
                       reject={"bool": None, "complex": None})


def threshold(input, threshold, value, inplace=False):
    """``input`` where ``input > threshold``, else ``value`` (both cast to ``input``'s dtype)."""
    return _finish(input, _threshold(input, threshold, value), inplace, "ThresholdBackward0")


def threshold_(input, threshold, value):
    """In-place :func:`threshold`."""
    return _finish(input, _threshold(input, threshold, value), True, "ThresholdBackward0")


# ---- exponential units ----
def _elu_kernel(a, alpha, scale, input_scale):
    """PyTorch's elu: ``scale * a`` for ``a > 0``, else ``alpha * scale * expm1(a * input_scale)``."""
    neg = jnp.where(a > 0, _zero(a), a)
    return jnp.where(a > 0, a * jnp.asarray(scale, a.dtype),
                     jnp.asarray(alpha * scale, a.dtype) * jnp.expm1(neg * jnp.asarray(input_scale, a.dtype)))


_elu = _float_op("elu", _elu_kernel, kernel="elu_cpu")
_celu = _float_op("celu", _elu_kernel, kernel="elu_cpu")


def elu(input, alpha=1.0, inplace=False):
    """Exponential linear unit; the gradient at 0 is ``alpha``."""
    return _finish(input, _elu(input, alpha, 1.0, 1.0), inplace, "EluBackward0")


def selu(input, inplace=False):
    """Scaled ELU with the self-normalising constants."""
    return _finish(input, _elu(input, _SELU_ALPHA, _SELU_SCALE, 1.0), inplace, "EluBackward0")


def selu_(input):
    """In-place :func:`selu`."""
    return selu(input, inplace=True)


def celu(input, alpha=1.0, inplace=False):
    """Continuously differentiable ELU: ``max(0, x) + min(0, alpha * expm1(x / alpha))``."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return _finish(input, _celu(input, alpha, 1.0, 1.0 / alpha), inplace, "CeluBackward0")


def celu_(input, alpha=1.0):
    """In-place :func:`celu`."""
    return celu(input, alpha, inplace=True)


# ---- smooth units ----
def _gelu_kernel(a, *, approximate):
    if approximate == "tanh":
        inner = math.sqrt(2 / math.pi) * (a + 0.044715 * a * a * a)
        return 0.5 * a * (1 + jnp.tanh(inner))
    return a * 0.5 * (1 + jax.scipy.special.erf(a * (1 / math.sqrt(2))))


_gelu = _float_op("gelu", _gelu_kernel, kernel="GeluKernelImpl")


def gelu(input, approximate="none"):
    """Gaussian error linear unit, exact (``'none'``) or with the ``'tanh'`` approximation."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _gelu(input, approximate=approximate)


_silu = _float_op("silu", lambda a: a * jax.nn.sigmoid(a), kernel="silu_cpu", reject={"bool": None, "int": None})


def silu(input, inplace=False):
    """``input * sigmoid(input)``."""
    return _finish(input, _silu(input), inplace, "SiluBackward0")


def _softplus_kernel(a, beta, threshold):
    z = a * jnp.asarray(beta, a.dtype)
    above = z > threshold
    safe = jnp.where(above, _zero(a), z)
    return jnp.where(above, a, jnp.log1p(jnp.exp(safe)) / jnp.asarray(beta, a.dtype))


_softplus = _float_op("softplus", _softplus_kernel, kernel="softplus_cpu")


def softplus(input, beta=1.0, threshold=20.0):
    """``log(1 + exp(beta * x)) / beta``, linear where ``beta * x > threshold``."""
    return _softplus(input, beta, threshold)


def _mish_kernel(a):
    return a * jnp.tanh(_softplus_kernel(a, 1.0, 20.0))


_mish = _float_op("mish", _mish_kernel, kernel="mish_cpu")


def mish(input, inplace=False):
    """``input * tanh(softplus(input))``."""
    return _finish(input, _mish(input), inplace, "MishBackward0")


_logsigmoid = _float_op("log_sigmoid", jax.nn.log_sigmoid, kernel="log_sigmoid_cpu", grad_name="LogSigmoidBackward0")


def logsigmoid(input):
    """``log(sigmoid(input))``, computed stably."""
    return _logsigmoid(input)


def _as_float(a, dtype):
    return a if dtype is None else a.astype(dtype)


_softsign_op = Op("softsign", lambda a, *, dtype=None: _as_float(a, dtype) / (1 + jnp.abs(_as_float(a, dtype))),
                  grad_name="DivBackward0")


def softsign(input):
    """``input / (1 + |input|)``; integer inputs give the default float dtype."""
    _check_input(input, "softsign")
    _check_supported(input.dtype, "abs_cpu", {"bool": None})
    return _softsign_op(input, dtype=_float_compute(input))


_tanhshrink_op = Op("tanhshrink", lambda a, *, dtype=None: _as_float(a, dtype) - jnp.tanh(_as_float(a, dtype)),
                    grad_name="SubBackward0")


def tanhshrink(input):
    """``input - tanh(input)``; integer inputs give the default float dtype."""
    _check_input(input, "tanhshrink")
    _check_supported(input.dtype, "sub", {"bool": (RuntimeError, _BOOL_SUB)})
    return _tanhshrink_op(input, dtype=_float_compute(input))


def _float_compute(input):
    d = input.dtype
    return None if (d.is_floating_point or d.is_complex) else D.get_default_dtype().np


# ---- hard approximations and shrinkage ----
def _hardsigmoid_kernel(a):
    return jnp.where(a <= -3, _zero(a), jnp.where(a >= 3, jnp.ones((), a.dtype), a / 6 + 0.5))


_hardsigmoid = _float_op("hardsigmoid", _hardsigmoid_kernel, kernel="hardsigmoid_cpu")


def hardsigmoid(input, inplace=False):
    """``relu6(x + 3) / 6``; the gradient is ``1/6`` strictly inside ``(-3, 3)``."""
    return _finish(input, _hardsigmoid(input), inplace, "HardsigmoidBackward0")


def _hardswish_kernel(a):
    return jnp.where(a <= -3, _zero(a), jnp.where(a < 3, a * (a + 3) / 6, a))


_hardswish = _float_op("hardswish", _hardswish_kernel, kernel="hardswish_cpu")


def hardswish(input, inplace=False):
    """``x * relu6(x + 3) / 6``; the gradient is ``x / 3 + 0.5`` strictly inside ``(-3, 3)``, 0 at -3, 1 at 3."""
    return _finish(input, _hardswish(input), inplace, "HardswishBackward0")


def _hardshrink_kernel(a, lambd):
    lambd = jnp.asarray(lambd, a.dtype)
    return jnp.where((a >= -lambd) & (a <= lambd), _zero(a), a)


_hardshrink = _float_op("hardshrink", _hardshrink_kernel, kernel="hardshrink_cpu")


def hardshrink(input, lambd=0.5):
    """0 on ``[-lambd, lambd]``, ``input`` elsewhere."""
    return _hardshrink(input, lambd)


def _softshrink_kernel(a, lambd):
    lambd = jnp.asarray(lambd, a.dtype)
    return jnp.where(a > lambd, a - lambd, jnp.where(a < -lambd, a + lambd, _zero(a)))


_softshrink = _float_op("softshrink", _softshrink_kernel, kernel="softshrink_check")


def softshrink(input, lambd=0.5):
    """Shrink toward 0 by ``lambd``; 0 on ``[-lambd, lambd]``."""
    _check_input(input, "softshrink")
    _check_supported(input.dtype, "softshrink_check", _FLOAT_ONLY)
    if lambd < 0:
        from .._tensor import scalar_type_name

        raise RuntimeError(f"lambda must be in range [0, {D.finfo(input.dtype).max:g}] for input dtype "
                           f"{scalar_type_name(input.dtype)}, but found {lambd}")
    return _softshrink(input, lambd)


def _glu_kernel(a, *, dim):
    first, second = jnp.split(a, 2, axis=dim)
    return first * jax.nn.sigmoid(second)


_glu = _float_op("glu", _glu_kernel, kernel="glu_cpu")


def glu(input, dim=-1):
    """Gated linear unit: the first half of ``dim`` times the sigmoid of the second half."""
    _check_input(input, "glu")
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = wrap_dim(dim, input.ndim)
    if input.shape[d] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {input.shape[d]}")
    return _glu(input, dim=d)


# ---- softmax family ----
def _softmax_kernel(a, *, dim, log):
    if a.ndim == 0:
        return jnp.zeros_like(a) if log else jnp.ones_like(a)
    return jax.nn.log_softmax(a, axis=dim) if log else jax.nn.softmax(a, axis=dim)


_softmax_op = Op("softmax", lambda a, *, dim, dtype=None: _softmax_kernel(_as_float(a, dtype), dim=dim, log=False),
                 saves="out", grad_name="SoftmaxBackward0")
_log_softmax_op = Op("log_softmax", lambda a, *, dim, dtype=None: _softmax_kernel(_as_float(a, dtype), dim=dim,
                                                                                   log=True),
                     saves="out", grad_name="LogSoftmaxBackward0")


def _implicit_dim(ndim):
    return 0 if ndim in (0, 1, 3) else 1


def _run_softmax(the_op, kernel, input, dim, dtype):
    _check_input(input, kernel)
    if isinstance(dim, D.dtype):
        raise TypeError(f"{kernel}(): argument 'dim' must be int, not torch.dtype")
    d = wrap_dim(_implicit_dim(input.ndim) if dim is None else dim, input.ndim)
    if dtype is not None:
        return the_op(input, dim=d, dtype=dtype.np) if dtype.np != input._arr.dtype else the_op(input, dim=d)
    if not input.dtype.is_floating_point:
        last = input.ndim == 0 or d == input.ndim - 1
        raise _not_implemented(f"{kernel}_{'lastdim_' if last else ''}kernel_impl", input.dtype)
    return the_op(input, dim=d)


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """Softmax over ``dim`` (computed in ``dtype`` when given).

    Accepts both ``torch.softmax(input, dim, dtype)`` and ``F.softmax(input, dim, _stacklevel,
    dtype)``: a dtype passed third is taken as ``dtype``. ``dim=None`` picks PyTorch's legacy
    implicit dim (0 for 0-, 1- and 3-d inputs, else 1) without its deprecation warning.
    """
    if isinstance(_stacklevel, D.dtype):
        dtype = _stacklevel
    return _run_softmax(_softmax_op, "softmax", input, dim, dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """Log of softmax over ``dim``, computed stably; arguments as :func:`softmax`."""
    if isinstance(_stacklevel, D.dtype):
        dtype = _stacklevel
    return _run_softmax(_log_softmax_op, "log_softmax", input, dim, dtype)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """``softmax(-input)`` over ``dim``."""
    from .pointwise import neg

    if isinstance(_stacklevel, D.dtype):
        dtype = _stacklevel
    _check_input(input, "softmin")
    return _run_softmax(_softmax_op, "softmax", neg(input), dim, dtype)


def _softmax_method(self, dim, dtype=None):
    """``softmax(self, dim, dtype=dtype)``."""
    return softmax(self, dim, dtype=dtype)


def _log_softmax_method(self, dim, dtype=None):
    """``log_softmax(self, dim, dtype=dtype)``."""
    return log_softmax(self, dim, dtype=dtype)


def _relu_method(self):
    """``relu(self)``."""
    return relu(self)


register("relu", _relu_method)
Tensor.softmax = _softmax_method
Tensor.log_softmax = _log_softmax_method
Tensor.hardshrink = hardshrink
Tensor.prelu = prelu
