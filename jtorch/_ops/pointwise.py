"""Pointwise ops: arithmetic with PyTorch's type promotion, Python operators, comparisons,
logical/bitwise ops and the unary math and special functions, each as a function, a method and
(where PyTorch has one) an in-place ``_`` method and a ``torch.<name>_`` function.

Gradient conventions that differ between JAX and PyTorch are written into the kernels
(``abs``/``clamp``/``sign`` subgradients, ``fmax`` ties, ``digamma`` at 0), so the JAX vjp of the
kernel is PyTorch's gradient. Dtype support follows PyTorch's CPU kernels: an op PyTorch does not
implement for a dtype raises its ``NotImplementedError`` naming the kernel and dtype.

Integer division by zero raises PyTorch's ``RuntimeError: ZeroDivisionError`` in eager mode; in
compiled mode the divisor's values are unknown while tracing, so it is not checked there.
"""
import builtins
import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.scipy import special as jsp

from .. import _dtype as D
from .._tensor import Tensor, scalar_type_name
from .common import (as_tensor_arg, broadcast_shapes, float_dtype_for, is_scalar, result_dtype, scalar_operand,
                     write_out)
from .dispatch import Op

__all__ = [
    "add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "floor_divide", "remainder",
    "fmod", "pow", "float_power", "neg", "negative", "positive", "rsub", "eq", "ne", "lt", "le", "gt", "ge",
    "greater", "greater_equal", "less", "less_equal", "not_equal", "equal", "logical_and", "logical_or",
    "logical_xor", "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not",
    "bitwise_left_shift", "bitwise_right_shift", "maximum", "minimum", "fmax", "fmin", "atan2", "arctan2",
    "hypot", "copysign", "logaddexp", "logaddexp2", "xlogy", "nextafter", "ldexp", "heaviside", "igamma",
    "igammac", "gcd", "lcm", "lerp", "addcmul", "addcdiv", "clamp", "clip", "clamp_min", "clamp_max", "where",
    "isclose", "allclose", "nan_to_num", "logit", "polygamma", "mvlgamma", "frexp", "real", "imag", "isreal",
    "is_nonzero", "unary", "binary", "register",
]


# ---- registration ----
def register(name, fn, *, method=True, inplace=True, inplace_name=None):
    """Expose ``fn`` as ``Tensor.name`` and an in-place ``Tensor.name_`` (via ``_inplace_from``)."""
    if method:
        setattr(Tensor, name, fn)
    if inplace:
        grad_name = "".join(p.capitalize() for p in name.split("_")) + "Backward0"

        def inplace_method(self, *args, **kwargs):
            return self._inplace_from(fn(self, *args, **kwargs), grad_name)
        inplace_method.__name__ = inplace_name or name + "_"
        inplace_method.__doc__ = f"In-place version of :func:`{name}`."
        setattr(Tensor, inplace_method.__name__, inplace_method)


def _torch_inplace(name):
    """``torch.name_(input, ...)``: the function form of ``Tensor.name_``."""
    method = getattr(Tensor, name + "_")

    def fn(input, *args, **kwargs):
        return method(input, *args, **kwargs)
    fn.__name__ = fn.__qualname__ = name + "_"
    fn.__doc__ = f"In-place :func:`{name}` of ``input``; returns ``input``."
    return fn


# ---- dtype support ----
def _category(d):
    if d is D.bool:
        return "bool"
    if d.is_complex:
        return "complex"
    return "float" if d.is_floating_point else "int"


def _not_implemented(kernel, d):
    return NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_type_name(d)}'")


def _check_supported(d, kernel, reject):
    """Raise PyTorch's error when dtype ``d`` is rejected.

    ``reject`` maps a dtype name ("float16") or a category ("bool", "int", "float", "complex") to
    None (the generic ``"<kernel>" not implemented for '<T>'`` NotImplementedError) or to an
    ``(exception type, message)`` pair.
    """
    for key in (d.name, _category(d)):
        if key in reject:
            err = reject[key]
            if err is None:
                raise _not_implemented(kernel, d)
            raise err[0](err[1])


def _is_float(d):
    return d.is_floating_point or d.is_complex


def _cast(x, dtype):
    return jnp.asarray(x, dtype) if dtype is not None else x


def _finish_cast(x, dtype):
    return x if dtype is None else x.astype(dtype)


_any_zero = Op("any_zero", lambda a: jnp.any(a == 0), differentiable=False)


def _check_int_divisor(other):
    """PyTorch's integer-division-by-zero error (eager only: a traced divisor is not inspected)."""
    if isinstance(other, Tensor):
        arr = other._read()
        if arr.size and not isinstance(arr, jax.core.Tracer) and bool(_any_zero.raw(arr)):
            raise RuntimeError("ZeroDivisionError")
    elif other == 0:
        raise RuntimeError("ZeroDivisionError")


def _no_derivative(fn, message):
    """``fn`` whose backward raises PyTorch's 'derivative not implemented' RuntimeError."""
    f = jax.custom_vjp(fn)

    def fwd(*args):
        return fn(*args), None

    def bwd(_, g):
        raise RuntimeError(message)
    f.defvjp(fwd, bwd)
    return f


def _type_error(name, x, arg="input", pos=1):
    return TypeError(f"{name}(): argument '{arg}' (position {pos}) must be Tensor, not {type(x).__name__}")


def _check_input(x, name):
    if not isinstance(x, Tensor):
        raise _type_error(name, x)


# ---- the binary and unary op builders ----
def binary(name, jfn, *, saves="inputs", grad_name=None, float_result=False, bool_result=False, kernel=None,
           reject=None, int_divisor=False, scalar_self=False, scalars=False, tensor_other=False, differentiable=True,
           int_only=False):
    """Build a promoted binary op ``name(input, other, *, out=None)`` from ``jfn(a, b)``.

    ``float_result`` computes in a float dtype (int / int -> float); ``bool_result`` returns
    bool (comparisons); ``reject`` lists the dtypes PyTorch's kernel ``kernel`` lacks (see
    :func:`_check_supported`); ``int_only`` rejects floating and complex dtypes (bitwise ops);
    ``int_divisor`` raises PyTorch's ZeroDivisionError for integer division by zero;
    ``scalar_self`` accepts a Python number as ``input`` like PyTorch's ``Scalar_Tensor``
    overloads (``fn.impl`` always does: the reflected operators use it); ``scalars`` accepts two
    numbers (a 0-d result, like ``torch.add(2, 3)``); ``tensor_other`` rejects a number as ``other``.
    """
    the_op = Op(name, lambda a, b, *, dtype=None, out_dtype=None: _finish_cast(jfn(_cast(a, dtype), _cast(b, dtype)),
                                                                                 out_dtype),
                saves=saves, grad_name=grad_name, differentiable=differentiable and not bool_result)
    kernel = kernel or name + "_cpu"
    if int_only:
        reject = dict(reject or {}, float=None, complex=None)
    out_dtype = D.bool.np if bool_result else None

    def impl(input, other, out=None):
        if not isinstance(input, Tensor):
            if not isinstance(other, Tensor):
                if not (scalars and is_scalar(input) and is_scalar(other)):
                    raise _type_error(name, input)
                input = _scalar_to_tensor(input)
            input = as_tensor_arg(input, "input")
        if tensor_other and not isinstance(other, Tensor):
            raise _type_error(name, other, "other", 2)
        other = as_tensor_arg(other)
        dtype = result_dtype(input, other)
        if reject:
            _check_supported(dtype, kernel, reject)
        compute = float_dtype_for(dtype) if float_result else dtype
        if int_divisor and not _is_float(compute):
            _check_int_divisor(other)
        if isinstance(input, Tensor) and isinstance(other, Tensor):
            ia, oa = input._arr, other._arr
            if ia.shape != oa.shape:
                broadcast_shapes(ia.shape, oa.shape)
            if ia.dtype == oa.dtype == compute.np:
                return write_out(out, the_op(input, other, out_dtype=out_dtype) if bool_result
                                 else the_op(input, other))
        elif isinstance(input, Tensor):
            other = _scalar_arg(other, compute)
        else:
            input = _scalar_arg(input, compute)
        return write_out(out, the_op(input, other, dtype=compute.np, out_dtype=out_dtype))

    if scalar_self:
        def fn(input, other, *, out=None):
            return impl(input, other, out)
    else:
        def fn(input, other, *, out=None):
            if not isinstance(input, Tensor):
                raise _type_error(name, input)
            return impl(input, other, out)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{name}`` with broadcasting and PyTorch's type promotion."
    fn.op = the_op
    fn.impl = impl
    return fn


def unary(name, jfn, *, saves="inputs", grad_name=None, keep_int=False, kernel=None, reject=None,
          differentiable=True, bool_result=False):
    """Build ``name(input, *, out=None)`` from ``jfn(a)``.

    Integer and bool inputs are computed in the default float dtype unless ``keep_int``;
    ``reject`` lists the dtypes PyTorch's kernel ``kernel`` lacks (see :func:`_check_supported`).
    """
    the_op = Op(name, lambda a, *, dtype=None: jfn(_cast(a, dtype)), saves=saves, grad_name=grad_name,
                differentiable=differentiable and not bool_result)
    kernel = kernel or name + "_cpu"

    def fn(input, *, out=None):
        if not isinstance(input, Tensor):
            raise _type_error(name, input)
        d = D.from_np(input._arr.dtype)
        if reject:
            _check_supported(d, kernel, reject)
        if keep_int or _is_float(d):
            return write_out(out, the_op(input))
        return write_out(out, the_op(input, dtype=D.get_default_dtype().np))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{name}``."
    fn.op = the_op
    return fn


def _scalar_arg(value, dtype):
    """A Python number as an operand computed in ``dtype``: integers wrap into an integer dtype's
    range like PyTorch's (``int8_tensor + 1000``, ``uint8_tensor - 1``)."""
    if type(value) is int and dtype.np.kind in "iu":
        bits = dtype.itemsize * 8
        lo, span = (-(1 << (bits - 1)) if dtype.np.kind == "i" else 0), 1 << bits
        if not lo <= value < lo + span:
            value = (value - lo) % span + lo
    return scalar_operand(value, dtype.np)


def _scalar_to_tensor(x):
    """A Python number as the 0-d tensor PyTorch wraps it in (int64, default float, bool, complex)."""
    from .creation import tensor

    return tensor(x)


# ---- arithmetic ----
_BOOL_SUB = ("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a "
             "mask, use the `~` or `logical_not()` operator instead.")


def _is_bool(x):
    return isinstance(x, bool) or (isinstance(x, Tensor) and x._arr.dtype == D.bool.np)


def _sub_check(input, other):
    a, b = _is_bool(input), _is_bool(other)
    if a and b:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                           "`logical_xor()` operator instead.")
    if a or b:
        raise RuntimeError(_BOOL_SUB)


_add = binary("add", jnp.add, saves=(), scalar_self=True, scalars=True)
_sub = binary("sub", jnp.subtract, saves=(), scalar_self=True, scalars=True)
_mul = binary("mul", jnp.multiply, saves="others", scalar_self=True, scalars=True)


def _scaled_kernel(sign):
    def kernel(a, b, alpha, *, dtype):
        a, b = jnp.asarray(a, dtype), jnp.asarray(b, dtype)
        scaled = jnp.logical_and(b, alpha) if dtype == D.bool.np else jnp.asarray(alpha, dtype) * b
        if dtype == D.bool.np:
            return jnp.logical_or(a, scaled)
        return a + scaled if sign > 0 else a - scaled
    return kernel


_add_scaled_op = Op("add", _scaled_kernel(1), saves=(), grad_name="AddBackward0")
_sub_scaled_op = Op("sub", _scaled_kernel(-1), saves=(), grad_name="SubBackward0")


def _scaled(the_op, input, other, alpha, out):
    other = as_tensor_arg(other)
    dtype = result_dtype(input, other)
    if isinstance(alpha, bool) and dtype is not D.bool:
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if isinstance(alpha, float) and not _is_float(dtype):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    if isinstance(input, Tensor) and isinstance(other, Tensor):
        broadcast_shapes(input._arr.shape, other._arr.shape)
    return write_out(out, the_op(input, other, alpha, dtype=dtype.np))


def add(input, other, *, alpha=1, out=None):
    """``input + alpha * other`` with broadcasting and type promotion."""
    if alpha == 1 and not isinstance(alpha, bool):
        return _add.impl(input, other, out)
    return _scaled(_add_scaled_op, as_tensor_arg(input, "input"), other, alpha, out)


def sub(input, other, *, alpha=1, out=None):
    """``input - alpha * other``; bool operands raise like PyTorch."""
    _sub_check(input, other)
    if alpha == 1 and not isinstance(alpha, bool):
        return _sub.impl(input, other, out)
    return _scaled(_sub_scaled_op, as_tensor_arg(input, "input"), other, alpha, out)


subtract = sub


def rsub(input, other, *, alpha=1):
    """``other - alpha * input``."""
    _check_input(input, "rsub")
    return sub(other, input, alpha=alpha)


def mul(input, other, *, out=None):
    """Elementwise product with broadcasting and type promotion."""
    return _mul.impl(input, other, out)


multiply = mul

_true_div = binary("div", jnp.true_divide, float_result=True, scalar_self=True, scalars=True)


def _div_floor_kernel(a, b):
    """PyTorch's ``div_floor``: Python's floor division for integers; for floats, a floor that
    corrects ``fmod``'s rounding (``1 // 0.1 == 9``) and gives ``a / b`` when ``b == 0``."""
    if not jnp.issubdtype(a.dtype, jnp.floating):
        return jnp.floor_divide(a, b)
    mod = jnp.fmod(a, b)
    div = (a - mod) / b
    div = jnp.where((mod != 0) & ((b < 0) != (mod < 0)), div - 1, div)
    floor = jnp.floor(div)
    floor = jnp.where(div - floor > 0.5, floor + 1, floor)
    floor = jnp.where(div == 0, jnp.copysign(jnp.zeros_like(div), a / b), floor)
    return lax.stop_gradient(jnp.where(b == 0, a / b, floor))


def _div_trunc_kernel(a, b):
    if not jnp.issubdtype(a.dtype, jnp.floating):
        return lax.div(*jnp.broadcast_arrays(a, b))
    return lax.stop_gradient(jnp.trunc(a / b))


_div_floor = binary("div", _div_floor_kernel, kernel="div_floor_cpu", reject={"bool": None, "complex": None},
                    int_divisor=True, grad_name="DivBackward2", saves=(), scalar_self=True)
_div_trunc = binary("div", _div_trunc_kernel, kernel="div_trunc_cpu", reject={"bool": None, "complex": None},
                    int_divisor=True, grad_name="DivBackward2", saves=(), scalar_self=True)
_floor_divide = binary("floor_divide", _no_derivative(_div_floor_kernel, "derivative for aten::floor_divide is not "
                                                                         "implemented"),
                       kernel="div_floor_cpu", reject={"bool": None, "complex": None}, int_divisor=True, saves=(),
                       grad_name="NotImplemented", scalar_self=True, scalars=True)


def div(input, other, *, rounding_mode=None, out=None):
    """``input / other``; ``rounding_mode`` None (true division), 'trunc' or 'floor'."""
    if rounding_mode is None:
        return _true_div.impl(input, other, out)
    if rounding_mode == "floor":
        return _div_floor.impl(input, other, out)
    if rounding_mode == "trunc":
        return _div_trunc.impl(input, other, out)
    raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                       f"'{rounding_mode}'")


divide = div


def true_divide(input, other, *, out=None):
    """``input / other`` (always true division)."""
    return _true_div.impl(input, other, out)


def floor_divide(input, other, *, out=None):
    """Division rounded toward negative infinity; like PyTorch, it has no derivative."""
    return _floor_divide.impl(input, other, out)


def _remainder_kernel(a, b):
    if not jnp.issubdtype(a.dtype, jnp.floating):
        return jnp.remainder(a, b)
    mod = jnp.fmod(a, b)
    return jnp.where((mod != 0) & ((b < 0) != (mod < 0)), mod + b, mod)


_remainder = binary("remainder", _remainder_kernel, reject={"bool": None, "complex": None}, int_divisor=True)
_rremainder = binary("remainder", _no_derivative(_remainder_kernel, "derivative for aten::remainder is not "
                                                                    "implemented"),
                     reject={"bool": None, "complex": None}, int_divisor=True, scalar_self=True)
fmod = binary("fmod", jnp.fmod, reject={"bool": None, "complex": None}, int_divisor=True)


def remainder(input, other, *, out=None):
    """Python-style modulus: the result has the sign of ``other``. With a number as ``input``,
    like PyTorch, it has no derivative."""
    if not isinstance(input, Tensor):
        return _rremainder.impl(input, other, out)
    return _remainder.impl(input, other, out)


def _int_pow(a, b):
    """Integer power with PyTorch's rule for negative exponents (``1``, ``-1`` or ``0``)."""
    r = jnp.power(a, jnp.maximum(b, 0))
    if not jnp.issubdtype(a.dtype, jnp.signedinteger):
        return r
    one = jnp.ones_like(a)
    neg = jnp.where(a == 1, one, jnp.where(a == -1, jnp.where(b % 2 == 0, one, -one), jnp.zeros_like(a)))
    return jnp.where(b < 0, neg, r)


@jax.custom_jvp
def _pow_float(a, b):
    return jnp.power(a, b)


@_pow_float.defjvp
def _pow_float_jvp(primals, tangents):
    """PyTorch's pow derivatives: 0 for the base where the exponent is 0, and 0 for the exponent
    where the base is 0 and the exponent non-negative."""
    a, b = primals
    ta, tb = tangents
    out = _pow_float(a, b)
    zero = jnp.zeros((), out.dtype)
    da = jnp.where(b == 0, zero, b * jnp.power(a, b - 1))
    db = jnp.where((a == 0) & (b >= 0), zero, out * jnp.log(a))
    return out, ta * da + tb * db


def _pow_kernel(a, b):
    if jnp.issubdtype(a.dtype, jnp.integer):
        return _int_pow(a, b)
    if jnp.issubdtype(a.dtype, jnp.floating):
        return _pow_float(a, b)
    return jnp.power(a, b)


_STATIC_EXPONENTS = {2, 3, 0.5, -0.5, -1, -2, 1, 0, 4, -3}


def _pow_static(a, *, exponent, dtype=None):
    a = _cast(a, dtype)
    if exponent == 0.5:
        return jnp.sqrt(a)
    if exponent == -0.5:
        return lax.rsqrt(a)
    if a.dtype == D.bool.np:
        return jnp.ones_like(a) if exponent == 0 else a
    return lax.integer_pow(a, int(exponent))


_pow_static_op = Op("pow", _pow_static, saves="inputs")
_pow = binary("pow", _pow_kernel, grad_name="PowBackward1", saves="inputs+out", kernel="pow", reject={"bool": None})
_pow_scalar = binary("pow", _pow_kernel, grad_name="PowBackward0", saves="inputs+out", kernel="pow",
                     reject={"bool": None})
_rpow = binary("pow", _pow_kernel, grad_name="PowBackward2", saves="inputs+out", kernel="pow", reject={"bool": None},
               scalar_self=True)


def pow(input, exponent, *, out=None):
    """``input ** exponent`` with PyTorch's promotion; integers to negative scalar powers raise."""
    if isinstance(input, Tensor) and is_scalar(exponent) and not isinstance(exponent, builtins.complex):
        dtype = result_dtype(input, exponent)
        if not _is_float(dtype) and exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        if exponent in _STATIC_EXPONENTS:
            ex = int(exponent) if float(exponent).is_integer() else float(exponent)
            if input._arr.dtype == dtype.np:
                return write_out(out, _pow_static_op(input, exponent=ex))
            return write_out(out, _pow_static_op(input, exponent=ex, dtype=dtype.np))
        return _pow_scalar.impl(input, exponent, out)
    if not isinstance(input, Tensor):
        return _rpow.impl(input, exponent, out)
    return _pow.impl(input, exponent, out)


def _float_power_dtype(input, exponent):
    cplx = any(isinstance(x, builtins.complex) or (isinstance(x, Tensor) and x.dtype.is_complex)
               for x in (input, exponent))
    return D.complex128 if cplx else D.float64


def float_power(input, exponent, *, out=None):
    """``pow`` computed in float64 (complex128 for complex inputs)."""
    dt = _float_power_dtype(input, exponent)
    a = input.to(dt) if isinstance(input, Tensor) else input
    b = exponent.to(dt) if isinstance(exponent, Tensor) else exponent
    return pow(a, b, out=out)


def _float_power_(self, exponent):
    dt = _float_power_dtype(self, exponent)
    if self.dtype is not dt:
        raise RuntimeError(f"the base given to float_power_ has dtype {scalar_type_name(self.dtype)} but the "
                           f"operation's result requires dtype {scalar_type_name(dt)}")
    return self._inplace_from(float_power(self, exponent), "PowBackward1")


# ---- comparisons and logic ----
eq = binary("eq", jnp.equal, bool_result=True)
ne = binary("ne", jnp.not_equal, bool_result=True)
lt = binary("lt", jnp.less, bool_result=True, reject={"complex": None})
le = binary("le", jnp.less_equal, bool_result=True, reject={"complex": None})
gt = binary("gt", jnp.greater, bool_result=True, reject={"complex": None})
ge = binary("ge", jnp.greater_equal, bool_result=True, reject={"complex": None})
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne
logical_and = binary("logical_and", jnp.logical_and, bool_result=True, tensor_other=True)
logical_or = binary("logical_or", jnp.logical_or, bool_result=True, tensor_other=True)
logical_xor = binary("logical_xor", jnp.logical_xor, bool_result=True, tensor_other=True)
logical_not = unary("logical_not", jnp.logical_not, keep_int=True, bool_result=True)
bitwise_and = binary("bitwise_and", jnp.bitwise_and, int_only=True, differentiable=False, scalar_self=True)
bitwise_or = binary("bitwise_or", jnp.bitwise_or, int_only=True, differentiable=False, scalar_self=True)
bitwise_xor = binary("bitwise_xor", jnp.bitwise_xor, int_only=True, differentiable=False, scalar_self=True)


def _shift(jfn, fill_negative):
    """A shift with PyTorch's out-of-range rule: shifting by >= the bit width (or by a negative
    amount) gives 0, or -1 for right shifts of negative numbers."""
    def kernel(a, b):
        bits = a.dtype.itemsize * 8
        out_of_range = (b < 0) | (b >= bits)
        shifted = jfn(a, jnp.clip(b, 0, bits - 1).astype(a.dtype))
        fill = jnp.where(a < 0, -1, 0).astype(a.dtype) if fill_negative else jnp.zeros_like(a)
        return jnp.where(out_of_range, fill, shifted)
    return kernel


bitwise_left_shift = binary("bitwise_left_shift", _shift(jnp.left_shift, False), int_only=True, kernel="lshift_cpu",
                            reject={"bool": None}, differentiable=False, scalar_self=True)
bitwise_right_shift = binary("bitwise_right_shift", _shift(jnp.right_shift, True), int_only=True,
                             kernel="rshift_cpu", reject={"bool": None}, differentiable=False, scalar_self=True)
bitwise_not = unary("bitwise_not", jnp.invert, keep_int=True, differentiable=False,
                    reject={"float": None, "complex": None})


gcd = binary("gcd", jnp.gcd, int_only=True, reject={"bool": None}, differentiable=False, tensor_other=True)
lcm = binary("lcm", lambda a, b: jnp.lcm(a, b), int_only=True, reject={"bool": None}, differentiable=False,
             tensor_other=True)


_equal_op = Op("equal", lambda a, b, *, dtype: jnp.array_equal(a.astype(dtype), b.astype(dtype)),
               differentiable=False)


def equal(input, other):
    """True when both tensors have the same shape and values (NaN is never equal)."""
    _check_input(input, "equal")
    _check_input(other, "equal")
    if input.shape != other.shape:
        return False
    return bool(_equal_op(input, other, dtype=D.promote_types(input.dtype, other.dtype).np))


def _isclose_kernel(a, b, rtol, atol, *, equal_nan, dtype):
    a, b = a.astype(dtype), b.astype(dtype)
    close = a == b
    if equal_nan:
        close = close | (jnp.isnan(a) & jnp.isnan(b))
    if jnp.issubdtype(dtype, jnp.inexact):
        diff = jnp.abs(a - b)
        close = close | (jnp.isfinite(diff) & (diff <= atol + jnp.abs(rtol * b)))
    return close


_isclose_op = Op("isclose", _isclose_kernel, differentiable=False)


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise ``|input - other| <= atol + rtol * |other|`` (exact equality always counts)."""
    _check_input(input, "isclose")
    _check_input(other, "isclose")
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{scalar_type_name(input.dtype)} did not match {scalar_type_name(other.dtype)}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")
    broadcast_shapes(input.shape, other.shape)
    d = input.dtype
    compute = d if _is_float(d) else D.get_default_dtype()
    return _isclose_op(input, other, rtol, atol, equal_nan=bool(equal_nan), dtype=compute.np)


_all_op = Op("all", lambda a: jnp.all(a), differentiable=False)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether every element is ``isclose``."""
    return bool(_all_op(isclose(input, other, rtol, atol, equal_nan)))


def _max_min_jvp(fn, loses):
    """PyTorch's maximum/minimum gradient: ties split it in half; with a NaN both sides get it."""
    def jvp(primals, tangents):
        a, b = primals
        ta, tb = tangents
        out = fn(a, b)
        half, zero, one = (jnp.asarray(v, out.dtype) for v in (0.5, 0, 1))
        wa = jnp.where(a == b, half, jnp.where(loses(a, b), zero, one))
        wb = jnp.where(a == b, half, jnp.where(loses(b, a), zero, one))
        return out, ta * wa + tb * wb
    return jvp


_maximum = jax.custom_jvp(lambda a, b: jnp.maximum(a, b))
_maximum.defjvp(_max_min_jvp(jnp.maximum, jnp.less))
_minimum = jax.custom_jvp(lambda a, b: jnp.minimum(a, b))
_minimum.defjvp(_max_min_jvp(jnp.minimum, jnp.greater))


def _fmax_kernel(a, b):
    return jnp.where((a >= b) | jnp.isnan(b), a, b)


def _fmin_kernel(a, b):
    return jnp.where((a <= b) | jnp.isnan(b), a, b)


def _max_min_reject(name):
    return {"complex": (RuntimeError, f"{name} not implemented for complex tensors.")}


@jax.custom_jvp
def _hypot(a, b):
    return jnp.hypot(a, b)


@_hypot.defjvp
def _hypot_jvp(primals, tangents):
    """PyTorch's hypot derivative ``x / hypot``, ``y / hypot`` (NaN at the origin)."""
    a, b = primals
    out = _hypot(a, b)
    return out, tangents[0] * a / out + tangents[1] * b / out


def _copysign_kernel(a, b):
    """``|a|`` with ``b``'s sign; no gradient to ``a`` at 0 and none to ``b`` (PyTorch's)."""
    mag = _abs(a)
    return jnp.where(jnp.signbit(b), -mag, mag)


def _xlog_kernel(log_fn, dlog, lowest):
    """``x * log_fn(y)`` (0 where x == 0, NaN where y is NaN) with PyTorch's derivatives:
    ``d/dx = log_fn(y)``, except 0 where ``x == 0`` and ``y <= lowest``; ``d/dy = x * dlog(y)``."""
    @jax.custom_jvp
    def kernel(a, b):
        return jnp.where(jnp.isnan(b), b, log_fn(a, b))

    @kernel.defjvp
    def jvp(primals, tangents):
        a, b = primals
        out = kernel(a, b)
        da = jnp.where((a == 0) & (b <= lowest), jnp.zeros((), out.dtype), log_fn(jnp.ones((), out.dtype), b))
        return out, tangents[0] * da + tangents[1] * a * dlog(b)
    return kernel


_xlogy = _xlog_kernel(jsp.xlogy, lambda b: 1 / b, 0)
_xlog1py = _xlog_kernel(jsp.xlog1py, lambda b: 1 / (1 + b), -1)
maximum = binary("maximum", _maximum, reject=_max_min_reject("maximum"), tensor_other=True)
minimum = binary("minimum", _minimum, reject=_max_min_reject("minimum"), tensor_other=True)
fmax = binary("fmax", _fmax_kernel, reject=_max_min_reject("fmax"), tensor_other=True)
fmin = binary("fmin", _fmin_kernel, reject=_max_min_reject("fmin"), tensor_other=True)
atan2 = binary("atan2", jnp.arctan2, float_result=True, reject={"complex": None}, tensor_other=True)
arctan2 = binary("arctan2", jnp.arctan2, float_result=True, reject={"complex": None}, tensor_other=True,
                 grad_name="Atan2Backward0")
hypot = binary("hypot", _hypot, reject={"bool": None, "int": None, "complex": None}, tensor_other=True)
copysign = binary("copysign", _copysign_kernel, float_result=True, reject={"complex": None})
logaddexp = binary("logaddexp", jnp.logaddexp, reject={"bool": None, "int": None}, tensor_other=True)
logaddexp2 = binary("logaddexp2", jnp.logaddexp2, reject={"bool": None, "int": None, "complex": None},
                    tensor_other=True)
xlogy = binary("xlogy", _xlogy, float_result=True, scalar_self=True, reject={"complex": None})


@jax.custom_jvp
def _nextafter_kernel(a, b):
    return jnp.nextafter(a, b)


_nextafter_kernel.defjvp(lambda primals, tangents: (_nextafter_kernel(*primals), tangents[0]))
nextafter = binary("nextafter", _nextafter_kernel, reject={"bool": None, "int": None, "complex": None},
                   tensor_other=True)
_heaviside = binary("heaviside", _no_derivative(lambda a, b: jnp.where(a == 0, b, (a > 0).astype(a.dtype)),
                                                "derivative for aten::heaviside is not implemented"),
                    reject={"complex": None})


def heaviside(input, values, *, out=None):
    """The Heaviside step: 0 below zero, ``values`` at zero, 1 above; dtypes must match."""
    _check_input(input, "heaviside")
    if not isinstance(values, Tensor):
        raise _type_error("heaviside", values, "values", 2)
    if input.dtype is not values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    return _heaviside(input, values, out=out)


def _ldexp_kernel(a, b, *, dtype, exp_dtype):
    return a.astype(dtype) * jnp.exp2(b.astype(exp_dtype)).astype(dtype)


_ldexp_op = Op("ldexp", _ldexp_kernel)


def ldexp(input, other, *, out=None):
    """``input * pow(2.0, other)`` (the power in ``other``'s float dtype, like PyTorch)."""
    _check_input(input, "ldexp")
    if not isinstance(other, Tensor):
        raise _type_error("ldexp", other, "other", 2)
    if other.dtype is D.bool and _is_float(input.dtype):
        raise _not_implemented("ldexp_cpu_exp", D.bool)
    dtype = float_dtype_for(result_dtype(input, other))
    broadcast_shapes(input.shape, other.shape)
    return write_out(out, _ldexp_op(input, other, dtype=dtype.np, exp_dtype=float_dtype_for(other.dtype).np))


igamma = binary("igamma", jsp.gammainc, reject={"bool": None, "int": None, "complex": None}, tensor_other=True)
igammac = binary("igammac", jsp.gammaincc, reject={"bool": None, "int": None, "complex": None}, tensor_other=True)
igamma.__doc__ = ("The regularized lower incomplete gamma function. Unlike PyTorch, the gradient with respect to "
                  "``input`` is computed (PyTorch raises).")
igammac.__doc__ = ("The regularized upper incomplete gamma function. Unlike PyTorch, the gradient with respect to "
                   "``input`` is computed (PyTorch raises).")


def _where_kernel(c, a, b, *, dtype):
    return jnp.where(c, _cast(a, dtype), _cast(b, dtype))


_where_op = Op("where", _where_kernel, saves=())


def where(condition, input=None, other=None, *, out=None):
    """``input`` where ``condition`` else ``other``; with one argument, ``nonzero(as_tuple=True)``."""
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    if not isinstance(condition, Tensor):
        raise _type_error("where", condition, "condition")
    if condition.dtype is not D.bool and condition.dtype is not D.uint8:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{scalar_type_name(condition.dtype)}")
    input, other = as_tensor_arg(input, "input"), as_tensor_arg(other)
    dtype = result_dtype(input, other)
    shapes = [condition._arr.shape] + [x._arr.shape for x in (input, other) if isinstance(x, Tensor)]
    broadcast_shapes(*shapes)
    return write_out(out, _where_op(condition, input, other, dtype=dtype.np))


def _lerp(a, b, w, *, dtype):
    a, b, w = _cast(a, dtype), _cast(b, dtype), _cast(w, dtype)
    return jnp.where(jnp.abs(w) < 0.5, a + w * (b - a), b - (b - a) * (1 - w))


_lerp_op = Op("lerp", _lerp)


def lerp(input, end, weight, *, out=None):
    """``input + weight * (end - input)`` (PyTorch's two-sided formula); dtypes must match."""
    _check_input(input, "lerp")
    _check_input(end, "lerp")
    d = input.dtype
    for arg, x in (("end", end), ("weight", weight)):
        if isinstance(x, Tensor) and x.dtype is not d and (arg == "end" or x.ndim):
            raise RuntimeError(f"expected dtype {d.name.replace('float32', 'float').replace('float64', 'double')} "
                               f"for `{arg}` but got dtype "
                               f"{x.dtype.name.replace('float32', 'float').replace('float64', 'double')}")
    if not _is_float(d):
        raise _not_implemented("lerp_kernel_scalar" if is_scalar(weight) else "lerp_kernel_tensor", d)
    broadcast_shapes(*[x.shape for x in (input, end, weight) if isinstance(x, Tensor)])
    return write_out(out, _lerp_op(input, end, weight, dtype=d.np))


_addcmul_op = Op("addcmul", lambda a, b, c, v, *, dtype: _cast(a, dtype) + _cast(v, dtype) * _cast(b, dtype) * _cast(
    c, dtype))
_addcdiv_op = Op("addcdiv", lambda a, b, c, v, *, dtype: _cast(a, dtype) + _cast(v, dtype) * (_cast(b, dtype) / _cast(
    c, dtype)))


def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    """``input + value * tensor1 * tensor2`` (``value`` is cast to the result dtype)."""
    dtype = result_dtype(input, tensor1, tensor2)
    broadcast_shapes(input.shape, tensor1.shape, tensor2.shape)
    return write_out(out, _addcmul_op(input, tensor1, tensor2, value, dtype=dtype.np))


def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    """``input + value * tensor1 / tensor2``; integer ``tensor1``/``tensor2`` raise like PyTorch."""
    if not (_is_float(tensor1.dtype) or _is_float(tensor2.dtype)):
        raise RuntimeError("Integer division with addcdiv is no longer supported, and in a future  release addcdiv "
                           "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can "
                           "be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
                           "integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future "
                           "addcdiv behavior is just the latter implementation: (input + value * tensor1 / "
                           "tensor2), for all dtypes.")
    dtype = result_dtype(input, tensor1, tensor2)
    broadcast_shapes(input.shape, tensor1.shape, tensor2.shape)
    return write_out(out, _addcdiv_op(input, tensor1, tensor2, value, dtype=dtype.np))


# ---- clamp ----
def _clamp_kernel(a, lo, hi, *, has_lo, has_hi, dtype):
    """Clamp with PyTorch's gradient: ``input`` gets it where ``min <= input <= max``, ``min``
    where ``input < min < max``, ``max`` where ``input > max`` or ``max < min``; NaNs propagate."""
    a = _cast(a, dtype)
    lo = _cast(lo, dtype) if has_lo else None
    hi = _cast(hi, dtype) if has_hi else None
    out = a
    if has_hi:
        out = jnp.where(a > hi, hi, out)
    if has_lo:
        lo_val = jnp.where(lo < hi, lo, lax.stop_gradient(lo)) if has_hi else lo
        out = jnp.where(a < lo, lo_val, out)
    if has_lo and has_hi:
        out = jnp.where(lo > hi, hi, out)
    if jnp.issubdtype(a.dtype, jnp.floating):
        nan = jnp.isnan(a)
        for bound in (lo, hi):
            if bound is not None:
                nan = nan | jnp.isnan(bound)
        out = jnp.where(nan, jnp.nan, out)
    return out


_clamp_op = Op("clamp", _clamp_kernel, saves="inputs")
_clamp_scalar_op = Op("clamp", _clamp_kernel, saves="inputs", grad_name="ClampBackward1")


def _check_bound(value, dtype):
    """A scalar bound must fit an integer result dtype (PyTorch's overflow check)."""
    if isinstance(value, builtins.int) and not isinstance(value, bool) and not _is_float(dtype) and dtype is not D.bool:
        info = D.iinfo(dtype)
        lo = -info.max if info.min == 0 else info.min
        if not lo <= value <= info.max:
            raise RuntimeError(f"value cannot be converted to type {dtype.name}_t without overflow")


def clamp(input, min=None, max=None, *, out=None):
    """Clamp into ``[min, max]`` (scalars or tensors); ``min > max`` gives ``max`` everywhere."""
    _check_input(input, "clamp")
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if input.dtype.is_complex:
        raise NotImplementedError("clamp is not supported for complex types")
    bounds = [x for x in (min, max) if x is not None]
    if builtins.any(isinstance(x, Tensor) for x in bounds) and not builtins.all(isinstance(x, Tensor) for x in bounds):
        raise TypeError("clamp() received an invalid combination of arguments - got (Tensor, "
                        + ", ".join(type(x).__name__ for x in bounds) + ")")
    dtype = result_dtype(input, *bounds)
    for b in bounds:
        _check_bound(b, dtype)
    the_op = _clamp_scalar_op
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        broadcast_shapes(*[x._arr.shape for x in (input, min, max) if isinstance(x, Tensor)])
        the_op = _clamp_op
    res = the_op(input, 0 if min is None else min, 0 if max is None else max, has_lo=min is not None,
                 has_hi=max is not None, dtype=dtype.np)
    return write_out(out, res)


clip = clamp


def clamp_min(input, min, *, out=None):
    """``clamp(input, min=min)``."""
    return clamp(input, min=min, out=out)


def clamp_max(input, max, *, out=None):
    """``clamp(input, max=max)``."""
    return clamp(input, max=max, out=out)


# ---- sign-like unary ops ----
_neg = unary("neg", jnp.negative, keep_int=True, saves=())


def neg(input, *, out=None):
    """``-input``; bool tensors raise like PyTorch."""
    _check_input(input, "neg")
    if input.dtype is D.bool:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
                           "invert a mask, use the `~` or `logical_not()` operator instead.")
    return _neg(input, out=out)


negative = neg


def positive(input):
    """``+input`` (the tensor itself)."""
    _check_input(input, "positive")
    if input.dtype is D.bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


# ---- registration of the binary ops ----
for _n in ("add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "floor_divide", "remainder",
           "fmod", "pow", "neg", "negative", "eq", "ne", "lt", "le", "gt", "ge", "greater",
           "greater_equal", "less", "less_equal", "not_equal", "logical_and", "logical_or", "logical_xor",
           "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "bitwise_left_shift",
           "bitwise_right_shift", "atan2", "arctan2", "hypot", "copysign", "xlogy", "lerp", "addcmul", "addcdiv",
           "clamp", "clip", "clamp_min", "clamp_max", "nextafter", "ldexp", "heaviside", "igamma", "igammac", "gcd",
           "lcm"):
    register(_n, globals()[_n])
for _n in ("maximum", "minimum", "fmax", "fmin", "logaddexp", "logaddexp2", "positive", "isclose", "allclose",
           "equal", "float_power"):
    register(_n, globals()[_n], inplace=False)
Tensor.float_power_ = _float_power_
Tensor.rsub = rsub


def _where_method(self, condition, other):
    """``where(condition, self, other)``."""
    return where(condition, self, other)


Tensor.where = _where_method


# ---- Python operators ----
def _operand(other):
    """An operator's other operand as torch accepts it: a tensor, a number, or a numpy array
    (which becomes a tensor, so ``ndarray + tensor`` gives a tensor as in PyTorch); else None."""
    if isinstance(other, Tensor) or is_scalar(other):
        return other
    if isinstance(other, np.ndarray):
        from .creation import tensor

        return tensor(other)
    return None


def _eq_op(fn):
    def method(self, other):
        operand = _operand(other)
        if operand is not None:
            return fn(self, operand)
        if other is None:
            return fn is ne
        return NotImplemented
    return method


def _reflected(impl):
    def method(self, other):
        operand = _operand(other)
        if operand is None:
            return NotImplemented
        return impl(operand, self)
    return method


def _forward(fn):
    def method(self, other):
        operand = _operand(other)
        if operand is None:
            return NotImplemented
        return fn(self, operand)
    return method


def _invert(self):
    if _is_float(self.dtype):
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return bitwise_not(self)


_rsub_scalar = binary("rsub", jnp.subtract, saves=(), grad_name="RsubBackward1", scalar_self=True)


def _rsub_op(self, other):
    if isinstance(other, Tensor):
        return sub(other, self)
    if not is_scalar(other):
        return NotImplemented
    _sub_check(other, self)
    return _rsub_scalar.impl(other, self)


Tensor.__add__ = Tensor.__radd__ = _forward(_add.impl)
Tensor.__sub__ = _forward(sub)
Tensor.__rsub__ = _rsub_op
Tensor.__mul__ = Tensor.__rmul__ = _forward(_mul.impl)
Tensor.__truediv__ = _forward(_true_div.impl)
Tensor.__rtruediv__ = _reflected(_true_div.impl)
Tensor.__floordiv__ = _forward(_floor_divide.impl)
Tensor.__rfloordiv__ = _reflected(_floor_divide.impl)
Tensor.__mod__ = _forward(_remainder.impl)
Tensor.__rmod__ = _reflected(_rremainder.impl)
Tensor.__pow__ = _forward(pow)
Tensor.__rpow__ = _reflected(_rpow.impl)
Tensor.__and__ = Tensor.__rand__ = _forward(bitwise_and)
Tensor.__or__ = Tensor.__ror__ = _forward(bitwise_or)
Tensor.__xor__ = Tensor.__rxor__ = _forward(bitwise_xor)
Tensor.__lshift__ = _forward(bitwise_left_shift)
Tensor.__rshift__ = _forward(bitwise_right_shift)
Tensor.__rlshift__ = _reflected(bitwise_left_shift.impl)
Tensor.__rrshift__ = _reflected(bitwise_right_shift.impl)
Tensor.__eq__ = _eq_op(eq)
Tensor.__ne__ = _eq_op(ne)
Tensor.__lt__ = _forward(lt)
Tensor.__le__ = _forward(le)
Tensor.__gt__ = _forward(gt)
Tensor.__ge__ = _forward(ge)
Tensor.__neg__ = neg
Tensor.__pos__ = positive
Tensor.__invert__ = _invert
Tensor.__iadd__ = lambda self, other: self.add_(other)
Tensor.__isub__ = lambda self, other: self.sub_(other)
Tensor.__imul__ = lambda self, other: self.mul_(other)
Tensor.__itruediv__ = lambda self, other: self.div_(other)
Tensor.__ifloordiv__ = lambda self, other: self.floor_divide_(other)
Tensor.__imod__ = lambda self, other: self.remainder_(other)
Tensor.__ipow__ = lambda self, other: self.pow_(other)
Tensor.__iand__ = lambda self, other: self.bitwise_and_(other)
Tensor.__ior__ = lambda self, other: self.bitwise_or_(other)
Tensor.__ixor__ = lambda self, other: self.bitwise_xor_(other)
Tensor.__ilshift__ = lambda self, other: self.bitwise_left_shift_(other)
Tensor.__irshift__ = lambda self, other: self.bitwise_right_shift_(other)
Tensor.__hash__ = lambda self: id(self)


# ---- unary math ----
def _abs(a):
    """``|a|`` whose gradient is ``sign(a)``, 0 at 0 and at NaN (PyTorch's)."""
    if not jnp.issubdtype(a.dtype, jnp.floating):
        return jnp.abs(a)
    return jnp.where(a > 0, a, jnp.where(a < 0, -a, lax.stop_gradient(jnp.abs(a))))


def _sign(a):
    """PyTorch's sign: ``(a > 0) - (a < 0)``, so ``sign(nan) == 0``; zero gradient."""
    if a.dtype == D.bool.np:
        return a
    return ((a > 0).astype(a.dtype) - (a < 0).astype(a.dtype)).astype(a.dtype)


def _sgn(a):
    if jnp.issubdtype(a.dtype, jnp.complexfloating):
        mag = jnp.abs(a)
        return jnp.where(mag == 0, jnp.zeros_like(a), a / jnp.where(mag == 0, 1, mag))
    return _sign(a)


def _angle(a):
    """``angle`` of a real tensor: pi for negatives, 0 otherwise, NaN kept; zero gradient."""
    if jnp.issubdtype(a.dtype, jnp.complexfloating):
        return jnp.angle(a)
    return lax.stop_gradient(jnp.where(jnp.isnan(a), a, jnp.where(a < 0, jnp.pi, 0).astype(a.dtype)))


@jax.custom_jvp
def _digamma(a):
    """PyTorch's digamma: ``-inf`` at +0, ``+inf`` at -0 (JAX gives NaN); derivative ``polygamma(1, a)``."""
    return jnp.where(a == 0, jnp.copysign(jnp.inf, -a).astype(a.dtype), jsp.digamma(a))


_digamma.defjvp(lambda primals, tangents: (_digamma(primals[0]), tangents[0] * _polygamma(primals[0], 1)))


@functools.partial(jax.custom_jvp, nondiff_argnums=(1,))
def _polygamma(a, n):
    """PyTorch's polygamma for ``n >= 1``: ``+-inf`` at 0 and 0 at ``+inf`` (where JAX gives NaN);
    the derivative is ``polygamma(n + 1)``."""
    out = jsp.polygamma(n, a)
    out = jnp.where(a == jnp.inf, jnp.zeros_like(out), out)
    return jnp.where(a == 0, jnp.inf if n % 2 else -jnp.inf, out).astype(a.dtype)


_polygamma.defjvp(lambda n, primals, tangents: (_polygamma(primals[0], n), tangents[0] * _polygamma(primals[0], n + 1)))


@jax.custom_jvp
def _lgamma(a):
    return jsp.gammaln(a)


_lgamma.defjvp(lambda primals, tangents: (_lgamma(primals[0]), tangents[0] * _digamma(primals[0])))


@jax.custom_jvp
def _rsqrt(a):
    return lax.rsqrt(a)


@_rsqrt.defjvp
def _rsqrt_jvp(primals, tangents):
    y = _rsqrt(primals[0])
    return y, -0.5 * tangents[0] * y * y * y


@jax.custom_jvp
def _i0(a):
    return jsp.i0(a)


_i0.defjvp(lambda primals, tangents: (_i0(primals[0]), tangents[0] * jsp.i1(primals[0])))


def _frac(a):
    return a - jnp.trunc(a)


_NO_BOOL = {"bool": None}
_REAL_ONLY = {"complex": None}
abs = unary("abs", _abs, keep_int=True, reject=_NO_BOOL)
absolute = abs
exp = unary("exp", jnp.exp, saves="out")
exp2 = unary("exp2", jnp.exp2, saves="out")
expm1 = unary("expm1", jnp.expm1, saves="out")
log = unary("log", jnp.log)
log2 = unary("log2", jnp.log2)
log10 = unary("log10", jnp.log10)
log1p = unary("log1p", jnp.log1p)
sqrt = unary("sqrt", jnp.sqrt, saves="out")
rsqrt = unary("rsqrt", _rsqrt, saves="out")
sin = unary("sin", jnp.sin)
cos = unary("cos", jnp.cos)
tan = unary("tan", jnp.tan, saves="out")
asin = arcsin = unary("asin", jnp.arcsin)
acos = arccos = unary("acos", jnp.arccos)
atan = arctan = unary("atan", jnp.arctan)
sinh = unary("sinh", jnp.sinh)
cosh = unary("cosh", jnp.cosh)
tanh = unary("tanh", jnp.tanh, saves="out")
asinh = arcsinh = unary("asinh", jnp.arcsinh)
acosh = arccosh = unary("acosh", jnp.arccosh)
atanh = arctanh = unary("atanh", jnp.arctanh)
sigmoid = unary("sigmoid", jax.nn.sigmoid, saves="out")
reciprocal = unary("reciprocal", jnp.reciprocal, saves="out")
sign = unary("sign", _sign, keep_int=True, saves=(), reject={"complex": (
    NotImplementedError, "Unlike NumPy, torch.sign is not intended to support complex numbers. Please use "
                         "torch.sgn instead.")})
sgn = unary("sgn", _sgn, keep_int=True, saves=())
floor = unary("floor", jnp.floor, keep_int=True, saves=(), kernel="floor_vml_cpu", reject={
    "bool": None, "complex": (NotImplementedError, "floor is not supported for complex inputs")})
ceil = unary("ceil", jnp.ceil, keep_int=True, saves=(), kernel="ceil_vml_cpu", reject={
    "bool": None, "complex": (NotImplementedError, "ceil is not supported for complex inputs")})
trunc = fix = unary("trunc", jnp.trunc, keep_int=True, saves=(), kernel="trunc_vml_cpu", reject={
    "bool": None, "complex": (NotImplementedError, "trunc is not supported for complex inputs")})
frac = unary("frac", _frac, saves=(), reject={"bool": None, "int": None, "complex": None})
erf = unary("erf", jsp.erf, kernel="erf_vml_cpu", reject=_REAL_ONLY)
erfc = unary("erfc", jsp.erfc, kernel="erfc_vml_cpu", reject=_REAL_ONLY)
erfinv = unary("erfinv", jsp.erfinv, kernel="erfinv_vml_cpu", reject=_REAL_ONLY)
lgamma = unary("lgamma", _lgamma, kernel="lgamma_vml_cpu", reject=_REAL_ONLY)
digamma = unary("digamma", _digamma, kernel="digamma", reject=_REAL_ONLY)
i0 = unary("i0", _i0, kernel="i0_vml_cpu", reject=_REAL_ONLY)
sinc = unary("sinc", jnp.sinc)
isnan = unary("isnan", jnp.isnan, keep_int=True, bool_result=True)
isinf = unary("isinf", jnp.isinf, keep_int=True, bool_result=True)
isfinite = unary("isfinite", jnp.isfinite, keep_int=True, bool_result=True)
isposinf = unary("isposinf", jnp.isposinf, keep_int=True, bool_result=True, reject={
    "complex": (RuntimeError, "isposinf does not support complex inputs.")})
isneginf = unary("isneginf", jnp.isneginf, keep_int=True, bool_result=True, reject={
    "complex": (RuntimeError, "isneginf does not support complex inputs.")})
signbit = unary("signbit", jnp.signbit, keep_int=True, bool_result=True, reject={
    "complex": (NotImplementedError, "signbit is not implemented for complex tensors.")})
deg2rad = unary("deg2rad", jnp.deg2rad, saves=(), reject={
    "complex": (RuntimeError, "deg2rad is not supported for complex tensors.")})
rad2deg = unary("rad2deg", jnp.rad2deg, saves=(), reject={
    "complex": (RuntimeError, "rad2deg is not supported for complex tensors.")})
conj_physical = unary("conj_physical", jnp.conj, keep_int=True, saves=())
angle = unary("angle", _angle)
_square = unary("square", jnp.square, keep_int=True, grad_name="PowBackward0")


def square(input, *, out=None):
    """``input * input``; bool inputs give int64 like ``pow(input, 2)``."""
    _check_input(input, "square")
    if input.dtype is D.bool:
        return write_out(out, _square.op(input, dtype=D.int64.np))
    return _square(input, out=out)


def conj(input):
    """The complex conjugate (a copy: jtorch has no lazy conjugate bit); real tensors are returned as is."""
    _check_input(input, "conj")
    return conj_physical(input) if input.dtype.is_complex else input


def resolve_conj(input):
    """``input`` itself: jtorch conjugates eagerly, so there is never a pending conjugation."""
    return input


def resolve_neg(input):
    """``input`` itself: jtorch has no lazy negation bit."""
    return input


def is_conj(input):
    """Always False: jtorch has no lazy conjugate bit."""
    return False


def is_neg(input):
    """Always False: jtorch has no lazy negation bit."""
    return False


_round0 = unary("round", jnp.round, keep_int=True, saves=(), kernel="round_vml_cpu",
                reject={"bool": None, "complex": None})
_round_dec_op = Op("round", lambda a, *, decimals: jnp.round(a, decimals), saves=(), grad_name="RoundBackward1")


def round(input, *, decimals=0, out=None):
    """Round half to even (to ``decimals`` places; negative rounds to tens, hundreds...)."""
    if decimals == 0:
        return _round0(input, out=out)
    _check_input(input, "round")
    if not input.dtype.is_floating_point:
        raise _not_implemented("round_cpu", input.dtype)
    return write_out(out, _round_dec_op(input, decimals=int(decimals)))


# ---- special functions with parameters ----
@jax.custom_jvp
def _logit_plain(a):
    return jnp.log(a / (1 - a))


@_logit_plain.defjvp
def _logit_plain_jvp(primals, tangents):
    a, = primals
    d = jnp.where((a < 0) | (a > 1), jnp.nan, 1 / (a * (1 - a)))
    return _logit_plain(a), tangents[0] * d


def _logit_kernel(a, *, eps, dtype=None):
    a = _cast(a, dtype)
    if eps is None:
        return _logit_plain(a)
    z = jnp.clip(a, eps, 1 - eps)
    z = jnp.where((a < eps) | (a > 1 - eps), lax.stop_gradient(z), a)
    return jnp.log(z / (1 - z))


_logit_op = Op("logit", _logit_kernel)


def logit(input, eps=None, *, out=None):
    """``log(p / (1 - p))``; with ``eps``, ``p`` is clamped to ``[eps, 1 - eps]`` (zero gradient outside)."""
    _check_input(input, "logit")
    d = input.dtype
    _check_supported(d, "logit_cpu", _REAL_ONLY)
    eps = None if eps is None else float(eps)
    if _is_float(d):
        return write_out(out, _logit_op(input, eps=eps))
    return write_out(out, _logit_op(input, eps=eps, dtype=D.get_default_dtype().np))


def _nan_to_num_kernel(a, nan, posinf, neginf):
    if not jnp.issubdtype(a.dtype, jnp.inexact):
        return a
    if jnp.issubdtype(a.dtype, jnp.complexfloating):
        re = _nan_to_num_kernel(jnp.real(a), nan, posinf, neginf)
        im = _nan_to_num_kernel(jnp.imag(a), nan, posinf, neginf)
        return lax.complex(re, im)
    nan, posinf, neginf = (jnp.asarray(v, a.dtype) for v in (nan, posinf, neginf))
    return jnp.where(jnp.isnan(a), nan, jnp.where(a == jnp.inf, posinf, jnp.where(a == -jnp.inf, neginf, a)))


_nan_to_num_op = Op("nan_to_num", _nan_to_num_kernel, saves="inputs")


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    """Replace NaN, +inf and -inf (by default 0 and the dtype's largest / lowest finite values)."""
    _check_input(input, "nan_to_num")
    d = input.dtype
    info = D.finfo(d.to_real()) if _is_float(d) else None
    posinf = (info.max if info else 0) if posinf is None else posinf
    neginf = (info.min if info else 0) if neginf is None else neginf
    return write_out(out, _nan_to_num_op(input, float(nan), float(posinf), float(neginf)))


def _polygamma_kernel(a, *, n, dtype=None):
    a = _cast(a, dtype)
    return _digamma(a) if n == 0 else _polygamma(a, n)


_polygamma_op = Op("polygamma", _polygamma_kernel)


def polygamma(n, input, *, out=None):
    """The ``n``-th derivative of digamma."""
    _check_input(input, "polygamma")
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    d = input.dtype
    _check_supported(d, "polygamma", _REAL_ONLY)
    if _is_float(d):
        return write_out(out, _polygamma_op(input, n=int(n)))
    return write_out(out, _polygamma_op(input, n=int(n), dtype=D.get_default_dtype().np))


def _mvlgamma_kernel(a, *, p, dtype=None):
    a = _cast(a, dtype)
    offsets = -jnp.arange(p, dtype=a.dtype) / 2
    return jnp.sum(_lgamma(a[..., None] + offsets), axis=-1) + p * (p - 1) / 4 * math.log(math.pi)


_mvlgamma_op = Op("mvlgamma", _mvlgamma_kernel)


def mvlgamma(input, p, *, out=None):
    """The multivariate log-gamma function of dimension ``p``."""
    _check_input(input, "mvlgamma")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    d = input.dtype
    if _is_float(d):
        return write_out(out, _mvlgamma_op(input, p=int(p)))
    return write_out(out, _mvlgamma_op(input, p=int(p), dtype=D.get_default_dtype().np))


def _frexp_kernel(a):
    m, e = jnp.frexp(a)
    finite = jnp.isfinite(a)
    return jnp.where(finite, m, a), jnp.where(finite, e, 0).astype(jnp.int32)


_frexp_op = Op("frexp", _frexp_kernel)


def frexp(input, *, out=None):
    """``(mantissa, exponent)`` with ``input == mantissa * 2 ** exponent`` (exponent int32)."""
    from .reduction import structseq

    _check_input(input, "frexp")
    if not input.dtype.is_floating_point:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    result = structseq("frexp", ("mantissa", "exponent"))(_frexp_op(input))
    return write_out(out, result) if out is not None else result


_real_op = Op("real", jnp.real, saves=())
_imag_op = Op("imag", jnp.imag, saves=())


def real(input):
    """The real part: ``input`` itself for real tensors. For complex tensors jtorch returns a new
    tensor, not a view, so writes to it do not reach ``input`` (PyTorch's is a view)."""
    _check_input(input, "real")
    return _real_op(input) if input.dtype.is_complex else input


def imag(input):
    """The imaginary part of a complex tensor (a new tensor, not a view as in PyTorch); real tensors raise."""
    _check_input(input, "imag")
    if not input.dtype.is_complex:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return _imag_op(input)


_isreal_op = Op("isreal", lambda a: jnp.imag(a) == 0, differentiable=False)


def isreal(input):
    """Elementwise: whether the imaginary part is zero (always True for real dtypes)."""
    _check_input(input, "isreal")
    return _isreal_op(input)


def _polygamma_method(self, n, *, out=None):
    """``polygamma(n, self)``."""
    return polygamma(n, self, out=out)


def is_nonzero(input):
    """Whether a one-element tensor is nonzero; raises for any other size like PyTorch."""
    _check_input(input, "is_nonzero")
    n = input.numel()
    if n == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if n > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(input.item())


_UNARY = ("abs", "absolute", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "sin",
          "cos", "tan", "asin", "arcsin", "acos", "arccos", "atan", "arctan", "sinh", "cosh", "tanh", "asinh",
          "arcsinh", "acosh", "arccosh", "atanh", "arctanh", "sigmoid", "reciprocal", "square", "sign",
          "sgn", "floor", "ceil", "trunc", "fix", "frac", "erf", "erfc", "erfinv", "lgamma", "digamma", "deg2rad",
          "rad2deg", "round", "i0", "sinc", "logit", "nan_to_num", "conj_physical")
for _n in _UNARY:
    register(_n, globals()[_n])
register("mvlgamma", mvlgamma)
register("polygamma", _polygamma_method)
for _n in ("isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit", "conj", "angle", "frexp", "isreal",
           "is_nonzero", "resolve_conj", "resolve_neg", "is_conj", "is_neg"):
    register(_n, globals()[_n], inplace=False)
Tensor.real = property(real)
Tensor.imag = property(imag)
Tensor.__abs__ = abs

_TORCH_INPLACE = ("abs", "absolute", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "sin",
                  "cos", "tan", "asin", "arcsin", "acos", "arccos", "atan", "arctan", "sinh", "cosh", "tanh", "asinh",
                  "arcsinh", "acosh", "arccosh", "atanh", "arctanh", "sigmoid", "reciprocal", "square", "ceil",
                  "floor", "trunc", "fix", "frac", "erf", "erfc", "erfinv", "deg2rad", "rad2deg", "round", "i0",
                  "sinc", "logit", "nan_to_num", "neg", "negative", "clamp", "clip", "clamp_min", "clamp_max",
                  "xlogy", "ldexp", "gcd", "lcm", "conj_physical")
for _n in _TORCH_INPLACE:
    globals()[_n + "_"] = _torch_inplace(_n)
__all__ += list(_UNARY) + [n + "_" for n in _TORCH_INPLACE] + [
    "isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit", "conj", "angle", "resolve_conj",
    "resolve_neg", "is_conj", "is_neg"]


def _complex_kernel(re, im):
    return lax.complex(re, im)


_complex_op = Op("complex", _complex_kernel, saves=())
_polar_op = Op("polar", lambda r, th: lax.complex(r * jnp.cos(th), r * jnp.sin(th)))
