"""Pointwise ops: arithmetic with PyTorch's type promotion, Python operators, comparisons,
logical/bitwise ops and the unary math functions, each as a function, a method and (where
PyTorch has one) an in-place ``_`` method.

Gradient conventions that differ between JAX and PyTorch are written into the kernels
(``relu``/``clamp``/``abs`` subgradients), so the JAX vjp of the kernel is PyTorch's gradient.
"""
import jax
import jax.numpy as jnp
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor
from .common import (as_tensor_arg, broadcast_shapes, float_dtype_for, is_scalar, result_dtype, scalar_operand,
                     write_out)
from .dispatch import Op

__all__ = [
    "add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "floor_divide", "remainder",
    "fmod", "pow", "float_power", "neg", "negative", "positive", "rsub", "eq", "ne", "lt", "le", "gt", "ge",
    "greater", "greater_equal", "less", "less_equal", "not_equal", "equal", "logical_and", "logical_or",
    "logical_xor", "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not",
    "bitwise_left_shift", "bitwise_right_shift", "maximum", "minimum", "fmax", "fmin", "atan2", "arctan2",
    "hypot", "copysign", "logaddexp", "logaddexp2", "xlogy", "lerp", "addcmul", "addcdiv", "clamp", "clip",
    "clamp_min", "clamp_max", "where", "unary", "binary", "register", "isclose", "allclose",
]


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


def _check_input(x, fn):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}")


def _cast(x, dtype):
    return jnp.asarray(x, dtype) if dtype is not None else x


def binary(name, jfn, *, saves="inputs", grad_name=None, float_result=False, bool_result=False, no_bool=None,
           differentiable=True, int_only=False):
    """Build a promoted binary op ``name(input, other, *, out=None)`` from ``jfn(a, b)``.

    ``float_result`` computes in a float dtype (int / int -> float); ``bool_result`` returns
    bool (comparisons); ``int_only`` rejects float inputs like PyTorch's bitwise ops.
    """
    the_op = Op(name, lambda a, b, *, dtype=None, out_dtype=None: _finish_cast(jfn(_cast(a, dtype), _cast(b, dtype)),
                                                                                 out_dtype),
                saves=saves, grad_name=grad_name, differentiable=differentiable and not bool_result)

    def fn(input, other, *, out=None):
        if not isinstance(input, Tensor):
            if not isinstance(other, Tensor):
                raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                                f"{type(input).__name__}")
            input = as_tensor_arg(input, "input")
        other = as_tensor_arg(other)
        dtype = result_dtype(input, other)
        if int_only and (dtype.is_floating_point or dtype.is_complex):
            raise RuntimeError(f"\"{name}_cpu\" not implemented for '{_aten_name(dtype)}'")
        if no_bool and dtype is D.bool:
            raise RuntimeError(no_bool)
        compute = float_dtype_for(dtype) if float_result else dtype
        if isinstance(input, Tensor) and isinstance(other, Tensor):
            broadcast_shapes(input._arr.shape, other._arr.shape)
            same = input._arr.dtype == other._arr.dtype == compute.np
        else:
            same = False
            if not isinstance(other, Tensor):
                other = scalar_operand(other, compute.np)
            elif not isinstance(input, Tensor):
                input = scalar_operand(input, compute.np)
        out_dtype = D.bool.np if bool_result else None
        if same:
            res = the_op(input, other, out_dtype=out_dtype) if out_dtype is not None else the_op(input, other)
        else:
            res = the_op(input, other, dtype=compute.np, out_dtype=out_dtype)
        return write_out(out, res)

    fn.__name__ = name
    fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{name}`` with broadcasting and PyTorch's type promotion."
    fn.op = the_op
    return fn


def _finish_cast(x, dtype):
    return x if dtype is None else x.astype(dtype)


def _aten_name(d):
    from .._tensor import scalar_type_name

    return scalar_type_name(d)


def unary(name, jfn, *, saves="inputs", grad_name=None, keep_int=False, int_error=None, bool_error=None,
          differentiable=True, bool_result=False):
    """Build ``name(input, *, out=None)`` from ``jfn(a)``.

    Integer and bool inputs are computed in the default float dtype unless ``keep_int``.
    """
    the_op = Op(name, lambda a, *, dtype=None: jfn(_cast(a, dtype)), saves=saves, grad_name=grad_name,
                differentiable=differentiable and not bool_result)

    def fn(input, *, out=None):
        _check_input(input, name)
        d = D.from_np(input._arr.dtype)
        if d is D.bool and bool_error:
            raise RuntimeError(bool_error)
        if int_error and not (d.is_floating_point or d.is_complex):
            raise RuntimeError(int_error.format(dtype=_aten_name(d)))
        if keep_int or d.is_floating_point or d.is_complex:
            res = the_op(input)
        else:
            res = the_op(input, dtype=D.get_default_dtype().np)
        return write_out(out, res)

    fn.__name__ = name
    fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{name}``."
    fn.op = the_op
    return fn


# ---- arithmetic ----
def _sub_check(input, other):
    if (isinstance(input, Tensor) and input.dtype is D.bool) or (isinstance(other, Tensor) and other.dtype is D.bool) \
            or isinstance(other, bool):
        if (not isinstance(input, Tensor) or input.dtype is D.bool) and (
                not isinstance(other, Tensor) or other.dtype is D.bool):
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
                               "or `logical_xor()` operator instead.")
        if isinstance(other, bool) or (isinstance(other, Tensor) and other.dtype is D.bool):
            raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
                               "trying to invert a mask, use the `~` or `logical_not()` operator instead.")


_add = binary("add", jnp.add, saves=())
_sub = binary("sub", jnp.subtract, saves=())
_mul = binary("mul", jnp.multiply, saves="others")
_add_scaled_op = Op("add", lambda a, b, alpha, *, dtype: jnp.asarray(a, dtype) + jnp.asarray(alpha, dtype) * jnp.asarray(
    b, dtype), saves=(), grad_name="AddBackward0")
_sub_scaled_op = Op("sub", lambda a, b, alpha, *, dtype: jnp.asarray(a, dtype) - jnp.asarray(alpha, dtype) * jnp.asarray(
    b, dtype), saves=(), grad_name="SubBackward0")


def _scaled(the_op, name, input, other, alpha, out):
    other = as_tensor_arg(other)
    dtype = result_dtype(input, other)
    if isinstance(alpha, float) and not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    if isinstance(input, Tensor) and isinstance(other, Tensor):
        broadcast_shapes(input._arr.shape, other._arr.shape)
    return write_out(out, the_op(input, other, alpha, dtype=dtype.np))


def add(input, other, *, alpha=1, out=None):
    """``input + alpha * other`` with broadcasting and type promotion."""
    if alpha == 1 and not isinstance(alpha, bool):
        return _add(input, other, out=out)
    _check_input(input, "add")
    return _scaled(_add_scaled_op, "add", input, other, alpha, out)


def sub(input, other, *, alpha=1, out=None):
    """``input - alpha * other``."""
    _sub_check(input, other)
    if alpha == 1:
        return _sub(input, other, out=out)
    _check_input(input, "sub")
    return _scaled(_sub_scaled_op, "sub", input, other, alpha, out)


subtract = sub


def rsub(input, other, *, alpha=1):
    """``other - alpha * input``."""
    _sub_check(other, input)
    return sub(as_tensor_arg(other, "other") if isinstance(other, Tensor) else _scalar_tensor_like(other, input),
               input, alpha=alpha)


def _scalar_tensor_like(s, t):
    from .creation import tensor

    return tensor(s, device=t.device) if not isinstance(s, Tensor) else s


def mul(input, other, *, out=None):
    """Elementwise product with broadcasting and type promotion."""
    return _mul(input, other, out=out)


multiply = mul


_true_div = binary("div", jnp.true_divide, float_result=True, saves="inputs")


def _floor_div_kernel(a, b):
    if jnp.issubdtype(a.dtype, jnp.integer):
        return jnp.floor_divide(a, b)
    return jnp.floor(a / b)


_floor_div = binary("div", _floor_div_kernel, grad_name="DivBackward0")
_trunc_div = binary("div", lambda a, b: jnp.trunc(a / b) if not jnp.issubdtype(a.dtype, jnp.integer)
                    else lax.div(a, b), grad_name="DivBackward0")


def div(input, other, *, rounding_mode=None, out=None):
    """``input / other``; ``rounding_mode`` None (true division), 'trunc' or 'floor'."""
    if rounding_mode is None:
        return _true_div(input, other, out=out)
    if rounding_mode == "floor":
        return _floor_div(input, other, out=out)
    if rounding_mode == "trunc":
        return _trunc_div(input, other, out=out)
    raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                       f"'{rounding_mode}'")


divide = div
true_divide = _true_div


def floor_divide(input, other, *, out=None):
    """Division rounded toward negative infinity (PyTorch >= 1.13 semantics)."""
    return _floor_div(input, other, out=out)


def _remainder_kernel(a, b):
    return jnp.remainder(a, b)


remainder = binary("remainder", _remainder_kernel)
fmod = binary("fmod", lambda a, b: jnp.fmod(a, b))

_STATIC_EXPONENTS = {2, 3, 0.5, -0.5, -1, -2, 1, 0, 4, -3}


def _pow_static(a, *, exponent, dtype=None):
    a = _cast(a, dtype)
    if exponent == 0.5:
        return jnp.sqrt(a)
    if exponent == -0.5:
        return lax.rsqrt(a)
    if isinstance(exponent, int) or float(exponent).is_integer():
        return lax.integer_pow(a, int(exponent))
    return jnp.power(a, exponent)


_pow_static_op = Op("pow", _pow_static, saves="inputs")
_pow = binary("pow", jnp.power, grad_name="PowBackward1", saves="inputs+out")
_rpow = binary("pow", jnp.power, grad_name="PowBackward2", saves="inputs+out")


def pow(input, exponent, *, out=None):
    """``input ** exponent`` with PyTorch's promotion; integers to negative powers raise."""
    if isinstance(input, Tensor) and is_scalar(exponent) and not isinstance(exponent, complex):
        dtype = result_dtype(input, exponent)
        if not (dtype.is_floating_point or dtype.is_complex) and exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        if exponent in _STATIC_EXPONENTS and not isinstance(exponent, bool):
            ex = int(exponent) if float(exponent).is_integer() else float(exponent)
            if input._arr.dtype == dtype.np:
                return write_out(out, _pow_static_op(input, exponent=ex))
            return write_out(out, _pow_static_op(input, exponent=ex, dtype=dtype.np))
        return _pow(input, exponent, out=out)
    if not isinstance(input, Tensor):
        return _rpow(input, exponent, out=out)
    return _pow(input, exponent, out=out)


def float_power(input, exponent, *, out=None):
    """``pow`` computed in float64 (complex128 for complex inputs)."""
    dt = D.complex128 if (getattr(input, "dtype", None) in (D.complex64, D.complex128)
                          or isinstance(exponent, complex)) else D.float64
    a = input.to(dt) if isinstance(input, Tensor) else input
    b = exponent.to(dt) if isinstance(exponent, Tensor) else exponent
    return pow(a, b, out=out)


# ---- comparisons and logic ----
eq = binary("eq", jnp.equal, bool_result=True)
ne = binary("ne", jnp.not_equal, bool_result=True)
lt = binary("lt", jnp.less, bool_result=True)
le = binary("le", jnp.less_equal, bool_result=True)
gt = binary("gt", jnp.greater, bool_result=True)
ge = binary("ge", jnp.greater_equal, bool_result=True)
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne
logical_and = binary("logical_and", jnp.logical_and, bool_result=True)
logical_or = binary("logical_or", jnp.logical_or, bool_result=True)
logical_xor = binary("logical_xor", jnp.logical_xor, bool_result=True)
logical_not = unary("logical_not", jnp.logical_not, keep_int=True, bool_result=True)
bitwise_and = binary("bitwise_and", jnp.bitwise_and, int_only=True, differentiable=False)
bitwise_or = binary("bitwise_or", jnp.bitwise_or, int_only=True, differentiable=False)
bitwise_xor = binary("bitwise_xor", jnp.bitwise_xor, int_only=True, differentiable=False)
bitwise_left_shift = binary("bitwise_left_shift", jnp.left_shift, int_only=True, differentiable=False)
bitwise_right_shift = binary("bitwise_right_shift", jnp.right_shift, int_only=True, differentiable=False)
bitwise_not = unary("bitwise_not", jnp.invert, keep_int=True, differentiable=False)


def equal(input, other):
    """True when both tensors have the same shape and values."""
    if input.shape != other.shape:
        return False
    return bool(eq(input, other).all().item())


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise ``|input - other| <= atol + rtol * |other|``."""
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{input.dtype} did not match {other.dtype}")
    a, b = input, other
    close = eq(a, b)
    if a.dtype.is_floating_point or a.dtype.is_complex:
        diff = abs(sub(a, b))
        close = logical_or(close, le(diff, add(mul(abs(b), rtol), atol)))
        if equal_nan:
            close = logical_or(close, logical_and(isnan(a), isnan(b)))
    return close


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether every element is ``isclose``."""
    return bool(isclose(input, other, rtol, atol, equal_nan).all().item())


maximum = binary("maximum", jnp.maximum)
minimum = binary("minimum", jnp.minimum)
fmax = binary("fmax", jnp.fmax)
fmin = binary("fmin", jnp.fmin)
atan2 = arctan2 = binary("atan2", jnp.arctan2, float_result=True)
hypot = binary("hypot", jnp.hypot)
copysign = binary("copysign", jnp.copysign, float_result=True)
logaddexp = binary("logaddexp", jnp.logaddexp)
logaddexp2 = binary("logaddexp2", jnp.logaddexp2)
xlogy = binary("xlogy", jax.scipy.special.xlogy, float_result=True)


def _where_kernel(c, a, b, *, dtype):
    return jnp.where(c, _cast(a, dtype), _cast(b, dtype))


_where_op = Op("where", _where_kernel, saves=(0,), grad_name="WhereBackward0")


def where(condition, input=None, other=None, *, out=None):
    """``input`` where ``condition`` else ``other``; with one argument, ``nonzero(as_tuple=True)``."""
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    if not isinstance(condition, Tensor):
        raise TypeError(f"where(): argument 'condition' (position 1) must be Tensor, not {type(condition).__name__}")
    if condition.dtype is not D.bool and condition.dtype is not D.uint8:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{_aten_name(condition.dtype)}")
    input, other = as_tensor_arg(input, "input"), as_tensor_arg(other)
    dtype = result_dtype(input, other)
    shapes = [condition._arr.shape] + [x._arr.shape for x in (input, other) if isinstance(x, Tensor)]
    broadcast_shapes(*shapes)
    return write_out(out, _where_op(condition, input, other, dtype=dtype.np))


_lerp_op = Op("lerp", lambda a, b, w, *, dtype: _lerp(_cast(a, dtype), _cast(b, dtype), _cast(w, dtype)))


def _lerp(a, b, w):
    return jnp.where(jnp.abs(w) < 0.5, a + w * (b - a), b - (b - a) * (1 - w))


def lerp(input, end, weight, *, out=None):
    """``input + weight * (end - input)`` (PyTorch's two-sided formula)."""
    dtype = result_dtype(input, end)
    return write_out(out, _lerp_op(input, end, weight, dtype=dtype.np))


_addcmul_op = Op("addcmul", lambda a, b, c, v, *, dtype: _cast(a, dtype) + _cast(v, dtype) * _cast(b, dtype) * _cast(
    c, dtype))
_addcdiv_op = Op("addcdiv", lambda a, b, c, v, *, dtype: _cast(a, dtype) + _cast(v, dtype) * (_cast(b, dtype) / _cast(
    c, dtype)))


def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    """``input + value * tensor1 * tensor2``."""
    dtype = result_dtype(input, tensor1, tensor2)
    broadcast_shapes(input.shape, tensor1.shape, tensor2.shape)
    return write_out(out, _addcmul_op(input, tensor1, tensor2, value, dtype=dtype.np))


def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    """``input + value * tensor1 / tensor2``."""
    dtype = result_dtype(input, tensor1, tensor2)
    if not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError("Integer division with addcdiv is no longer supported, and in a future release addcdiv "
                           "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can "
                           "be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
                           "integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future "
                           "addcdiv behavior is just the latter implementation: (input + value * tensor1 / "
                           "tensor2), for all dtypes.")
    broadcast_shapes(input.shape, tensor1.shape, tensor2.shape)
    return write_out(out, _addcdiv_op(input, tensor1, tensor2, value, dtype=dtype.np))


def _clamp_kernel(a, lo, hi, *, has_lo, has_hi, dtype):
    a = _cast(a, dtype)
    if has_lo:
        lo = _cast(lo, dtype)
        a = jnp.where(a < lo, lo, a) if not has_hi else a
    if has_hi:
        hi = _cast(hi, dtype)
        if has_lo:
            a = jnp.where(a < lo, lo, jnp.where(a > hi, hi, a))
            a = jnp.where(lo > hi, hi, a)
        else:
            a = jnp.where(a > hi, hi, a)
    if jnp.issubdtype(a.dtype, jnp.floating):
        nan = jnp.isnan(a) | (jnp.isnan(lo) if has_lo else False) | (jnp.isnan(hi) if has_hi else False)
        a = jnp.where(nan, jnp.nan, a)
    return a


_clamp_op = Op("clamp", _clamp_kernel, saves="inputs")


def clamp(input, min=None, max=None, *, out=None):
    """Clamp into ``[min, max]``; the gradient passes where ``min <= input <= max`` (PyTorch's rule)."""
    _check_input(input, "clamp")
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    dtype = result_dtype(input, *(x for x in (min, max) if x is not None))
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        shapes = [x._arr.shape for x in (input, min, max) if isinstance(x, Tensor)]
        broadcast_shapes(*shapes)
    res = _clamp_op(input, 0 if min is None else min, 0 if max is None else max, has_lo=min is not None,
                    has_hi=max is not None, dtype=dtype.np)
    if res.dtype is not input.dtype and not any(isinstance(x, Tensor) for x in (min, max)):
        res = res.to(input.dtype) if D.category(dtype) <= D.category(input.dtype) else res
    return write_out(out, res)


clip = clamp


def clamp_min(input, min):
    """``clamp(input, min=min)``."""
    return clamp(input, min=min)


def clamp_max(input, max):
    """``clamp(input, max=max)``."""
    return clamp(input, max=max)


def neg(input, *, out=None):
    """``-input``."""
    if input.dtype is D.bool:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
                           "invert a mask, use the `~` or `logical_not()` operator instead.")
    return write_out(out, _neg(input))


_neg = unary("neg", jnp.negative, keep_int=True, saves=())
negative = neg


def positive(input):
    """``+input`` (the tensor itself)."""
    if input.dtype is D.bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


for _n in ("add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "floor_divide", "remainder",
           "fmod", "pow", "float_power", "neg", "negative", "eq", "ne", "lt", "le", "gt", "ge", "greater",
           "greater_equal", "less", "less_equal", "not_equal", "logical_and", "logical_or", "logical_xor",
           "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "bitwise_left_shift",
           "bitwise_right_shift", "maximum", "minimum", "fmax", "fmin", "atan2", "arctan2", "hypot", "copysign",
           "logaddexp", "logaddexp2", "xlogy", "lerp", "addcmul", "addcdiv", "clamp", "clip", "clamp_min",
           "clamp_max"):
    register(_n, globals()[_n], inplace=_n not in ("maximum", "minimum", "fmax", "fmin", "logaddexp", "logaddexp2",
                                                   "equal"))
for _n in ("where", "positive", "isclose", "allclose", "equal"):
    register(_n, globals()[_n], inplace=False)
Tensor.where = lambda self, condition, other: where(condition, self, other)


# ---- Python operators ----
def _swap(fn):
    return lambda self, other: fn(other, self)


def _eq_op(fn):
    def method(self, other):
        if isinstance(other, Tensor) or is_scalar(other):
            return fn(self, other)
        if other is None:
            return fn is ne
        return NotImplemented
    return method


def _reflected(fn):
    def method(self, other):
        if not (isinstance(other, Tensor) or is_scalar(other)):
            return NotImplemented
        return fn(other, self)
    return method


def _forward(fn):
    def method(self, other):
        if not (isinstance(other, Tensor) or is_scalar(other)):
            return NotImplemented
        return fn(self, other)
    return method


Tensor.__add__ = _forward(add)
Tensor.__radd__ = _forward(add)
Tensor.__sub__ = _forward(sub)
Tensor.__rsub__ = _reflected(sub)
Tensor.__mul__ = _forward(mul)
Tensor.__rmul__ = _forward(mul)
Tensor.__truediv__ = _forward(div)
Tensor.__rtruediv__ = _reflected(div)
Tensor.__floordiv__ = _forward(floor_divide)
Tensor.__rfloordiv__ = _reflected(floor_divide)
Tensor.__mod__ = _forward(remainder)
Tensor.__rmod__ = _reflected(remainder)
Tensor.__pow__ = _forward(pow)
Tensor.__rpow__ = _reflected(pow)
Tensor.__and__ = Tensor.__rand__ = _forward(bitwise_and)
Tensor.__or__ = Tensor.__ror__ = _forward(bitwise_or)
Tensor.__xor__ = Tensor.__rxor__ = _forward(bitwise_xor)
Tensor.__lshift__ = _forward(bitwise_left_shift)
Tensor.__rshift__ = _forward(bitwise_right_shift)
Tensor.__rlshift__ = _reflected(bitwise_left_shift)
Tensor.__rrshift__ = _reflected(bitwise_right_shift)
Tensor.__eq__ = _eq_op(eq)
Tensor.__ne__ = _eq_op(ne)
Tensor.__lt__ = _forward(lt)
Tensor.__le__ = _forward(le)
Tensor.__gt__ = _forward(gt)
Tensor.__ge__ = _forward(ge)
Tensor.__neg__ = neg
Tensor.__pos__ = positive
Tensor.__invert__ = lambda self: logical_not(self) if self.dtype is D.bool else bitwise_not(self)
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
def _relu(a):
    return jnp.where(a > 0, a, jnp.zeros((), a.dtype))


def _abs(a):
    return jnp.where(a > 0, a, -a) if not jnp.issubdtype(a.dtype, jnp.complexfloating) else jnp.abs(a)


def _sign(a):
    return jnp.sign(a)


abs = unary("abs", _abs, keep_int=True)
absolute = abs
exp = unary("exp", jnp.exp, saves="out")
exp2 = unary("exp2", jnp.exp2, saves="out")
expm1 = unary("expm1", jnp.expm1, saves="out")
log = unary("log", jnp.log)
log2 = unary("log2", jnp.log2)
log10 = unary("log10", jnp.log10)
log1p = unary("log1p", jnp.log1p)
sqrt = unary("sqrt", jnp.sqrt, saves="out")
rsqrt = unary("rsqrt", lax.rsqrt, saves="out")
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
relu = unary("relu", _relu, keep_int=True, saves="out")
reciprocal = unary("reciprocal", jnp.reciprocal, saves="out")
square = unary("square", jnp.square, keep_int=True, grad_name="PowBackward0")
sign = unary("sign", _sign, keep_int=True, saves=(), bool_error=None)
sgn = unary("sgn", _sign, keep_int=True, saves=())
floor = unary("floor", jnp.floor, keep_int=True, saves=())
ceil = unary("ceil", jnp.ceil, keep_int=True, saves=())
trunc = fix = unary("trunc", jnp.trunc, keep_int=True, saves=())
frac = unary("frac", lambda a: a - jnp.trunc(a), saves=(), int_error="\"frac_cpu\" not implemented for '{dtype}'")
erf = unary("erf", jax.scipy.special.erf)
erfc = unary("erfc", jax.scipy.special.erfc)
erfinv = unary("erfinv", jax.scipy.special.erfinv)
lgamma = unary("lgamma", jax.scipy.special.gammaln)
digamma = unary("digamma", jax.scipy.special.digamma)
isnan = unary("isnan", jnp.isnan, keep_int=True, bool_result=True)
isinf = unary("isinf", jnp.isinf, keep_int=True, bool_result=True)
isfinite = unary("isfinite", jnp.isfinite, keep_int=True, bool_result=True)
isposinf = unary("isposinf", jnp.isposinf, keep_int=True, bool_result=True)
isneginf = unary("isneginf", jnp.isneginf, keep_int=True, bool_result=True)
signbit = unary("signbit", jnp.signbit, keep_int=True, bool_result=True)
deg2rad = unary("deg2rad", jnp.deg2rad, saves=())
rad2deg = unary("rad2deg", jnp.rad2deg, saves=())
conj = conj_physical = unary("conj", jnp.conj, keep_int=True, saves=())
angle = unary("angle", jnp.angle)
_round0 = unary("round", jnp.round, keep_int=True, saves=())
_round_dec_op = Op("round", lambda a, *, decimals: jnp.round(a, decimals), saves=())


def round(input, *, decimals=0, out=None):
    """Round half to even (to ``decimals`` places)."""
    if decimals == 0:
        return _round0(input, out=out)
    return write_out(out, _round_dec_op(input, decimals=int(decimals)))


_UNARY = ("abs", "absolute", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "sin",
          "cos", "tan", "asin", "arcsin", "acos", "arccos", "atan", "arctan", "sinh", "cosh", "tanh", "asinh",
          "arcsinh", "acosh", "arccosh", "atanh", "arctanh", "sigmoid", "relu", "reciprocal", "square", "sign",
          "sgn", "floor", "ceil", "trunc", "fix", "frac", "erf", "erfc", "erfinv", "lgamma", "digamma", "deg2rad",
          "rad2deg", "round")
for _n in _UNARY:
    register(_n, globals()[_n])
for _n in ("isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit", "conj", "conj_physical", "angle",
           "positive"):
    register(_n, globals()[_n], inplace=False)
Tensor.__abs__ = abs
__all__ += list(_UNARY) + ["isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit", "conj",
                           "conj_physical", "angle"]


def _complex_kernel(re, im):
    return lax.complex(re, im)


_complex_op = Op("complex", _complex_kernel, saves=())
_polar_op = Op("polar", lambda r, th: lax.complex(r * jnp.cos(th), r * jnp.sin(th)))
