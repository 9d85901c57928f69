"""Parity of the pointwise family (arithmetic, operators, comparisons, unary math, special
functions), the activation kernels and ``torch.special`` against PyTorch: values, dtypes,
gradients (at kinks and special points too) and errors, in eager and compiled mode.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from parity import MODES, arr, check, check_error, positive  # noqa: E402

torch = pytest.importorskip("torch")
import jtorch  # noqa: E402

F32 = np.float32
SPECIAL = np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0], dtype=F32)
NONFINITE = np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, 1e-30, 1.0, -1.0], dtype=F32)


def ints(*values, dtype="int64"):
    return np.array(values).astype(dtype)


def floats(*values, dtype="float32"):
    return np.array(values, dtype=dtype)


def case(name, fn, *inputs, **kw):
    return pytest.param(fn, inputs, kw, id=name)


def check_group(cases, **kw):
    """Run ``(name, fn, inputs)`` cases as one compiled parity check (one XLA program instead of
    one per case); on a mismatch, rerun them one by one so the failure names its case."""
    flat, spans = [], []
    for _, _, inputs in cases:
        spans.append((len(flat), len(flat) + len(inputs)))
        flat.extend(inputs)

    def fn(t, *args):
        return tuple(f(t, *args[i:j]) for (_, f, _), (i, j) in zip(cases, spans))
    try:
        check(fn, *flat, mode="compiled", **kw)
    except AssertionError:
        for name, f, inputs in cases:
            try:
                check(f, *inputs, mode="compiled", **kw)
            except AssertionError as e:
                raise AssertionError(f"{name}: {e}") from None
        raise


def split_by_torch_error(cases):
    """``cases`` split into those torch runs and those where it raises (checked with check_error)."""
    ok, raising = [], []
    for c in cases:
        (raising if _torch_raises(c[1], *c[2]) else ok).append(c)
    return ok, raising


def run_cases(cases):
    return pytest.mark.parametrize("fn,inputs,kw", cases)


A, B, PB = arr(3, 4), arr(4, seed=1), positive(4, seed=2)
PA = positive(3, 4, seed=3)

# ---- binary ops and operators on float tensors (broadcast (3, 4) with (4,)) ----
BINARY = [
    case("add", lambda t, a, b: t.add(a, b), A, B),
    case("add_alpha", lambda t, a, b: t.add(a, b, alpha=2.5), A, B),
    case("add_scalar_self", lambda t, b: t.add(2, b), B),
    case("sub", lambda t, a, b: t.sub(a, b), A, B),
    case("sub_alpha", lambda t, a, b: a.sub(b, alpha=-3), A, B),
    case("rsub", lambda t, a, b: t.rsub(a, b, alpha=2), A, B),
    case("rsub_scalar", lambda t, a: t.rsub(a, 2), A),
    case("mul", lambda t, a, b: t.mul(a, b), A, B),
    case("div", lambda t, a, b: t.div(a, b), A, PB),
    case("true_divide", lambda t, a, b: t.true_divide(a, b), A, PB),
    case("div_floor", lambda t, a, b: t.div(a, b, rounding_mode="floor"), A, B),
    case("div_trunc", lambda t, a, b: t.div(a, b, rounding_mode="trunc"), A, B),
    case("floor_divide", lambda t, a, b: t.floor_divide(a, b), A, B, grad=False),
    case("remainder", lambda t, a, b: t.remainder(a, b), A, B),
    case("fmod", lambda t, a, b: t.fmod(a, b), A, B),
    case("pow", lambda t, a, b: t.pow(a, b), PA, B),
    case("pow_scalar_base", lambda t, b: t.pow(2.5, b), B),
    case("float_power", lambda t, a, b: t.float_power(a, b), PA, B),
    case("atan2", lambda t, a, b: t.atan2(a, b), A, B),
    case("hypot", lambda t, a, b: t.hypot(a, b), A, B),
    case("copysign", lambda t, a, b: t.copysign(a, b), A, B),
    case("logaddexp", lambda t, a, b: t.logaddexp(a, b), A, B),
    case("logaddexp2", lambda t, a, b: t.logaddexp2(a, b), A, B),
    case("xlogy", lambda t, a, b: t.xlogy(a, b), A, PB),
    case("xlogy_scalar", lambda t, b: t.xlogy(3, b), PB),
    case("maximum", lambda t, a, b: t.maximum(a, b), A, B),
    case("minimum", lambda t, a, b: t.minimum(a, b), A, B),
    case("fmax", lambda t, a, b: t.fmax(a, b), A, B),
    case("fmin", lambda t, a, b: t.fmin(a, b), A, B),
    case("nextafter", lambda t, a, b: t.nextafter(a, b), A, B),
    case("igamma", lambda t, a, b: t.igamma(a, b), PA, PB, grad=False),
    case("igammac", lambda t, a, b: t.igammac(a, b), PA, PB, grad=False),
    case("lerp_scalar", lambda t, a, b: t.lerp(a, b, 0.3), A, B),
    case("lerp_tensor", lambda t, a, b, w: t.lerp(a, b, w), A, B, arr(3, 1, low=-1, high=2, seed=4)),
    case("addcmul", lambda t, a, b, c: t.addcmul(a, b, c, value=-1.5), A, B, arr(3, 1, seed=5)),
    case("addcdiv", lambda t, a, b, c: t.addcdiv(a, b, c, value=0.5), A, B, positive(3, 1, seed=5)),
    case("where", lambda t, a, b: t.where(a > 0, a, b), A, B),
    case("where_scalar", lambda t, a: t.where(a > 0, a, 0.5), A),
    case("where_method", lambda t, a, b: a.where(a < b, b), A, B),
    case("clamp_tensor", lambda t, a, lo, hi: t.clamp(a, lo, hi), A, arr(4, low=-1, high=0, seed=6),
         arr(3, 1, low=0, high=1, seed=7)),
    case("clamp_min_tensor", lambda t, a, lo: t.clamp_min(a, lo), A, B),
    case("clamp_max_tensor", lambda t, a, hi: t.clamp(a, max=hi), A, B),
    case("operators", lambda t, a, b: (a + b, a - b, a * b, a / b, a % b, abs(a), -a, +a), A, PB),
    case("op_floordiv", lambda t, a, b: a // b, A, B, grad=False),
    case("op_pow", lambda t, a, b: a ** b, PA, B),
    case("reflected", lambda t, a: (2 + a, 2 - a, 1.5 * a, 2 / a, 2 ** a), PA),
    case("op_rfloordiv", lambda t, a: (2 // a, 2.5 % a), PA, grad=False),
    case("scalar_powers", lambda t, a: (a ** 2, a ** 3, a ** 0.5, a ** -0.5, a ** -1, a ** 0, a ** 1, a ** 2.7,
                                        a ** 4, a ** -2, a ** -3), PA),
    case("scalar_powers_signed", lambda t, a: (a ** 2, a ** 3, a ** 0, a ** 1, a ** 4), A),
    case("comparison_operators", lambda t, a, b: (a < b, a <= 0.5, 0.5 > a, a >= b, a == b, a != 1, a > b), A, B),
    case("comparisons", lambda t, a, b: (t.eq(a, b), t.ne(a, b), t.lt(a, b), t.le(a, b), t.gt(a, b), t.ge(a, b)),
         A, A[0]),
    case("compare_0d", lambda t, a, b: (a < b, a == b, b >= a, t.maximum(a, b), a * b), A, floats(0.5).reshape(())),
    case("logical", lambda t, a, b: (t.logical_and(a, b), t.logical_or(a, b), t.logical_xor(a, b)), A, B),
    case("isclose", lambda t, a, b: t.isclose(a, a + b * 1e-6), A, B),
    case("isclose_tol", lambda t, a, b: t.isclose(a, b, rtol=0.5, atol=0.1), A, B),
    case("chain", lambda t, a, b: ((a + 2) * b - a / 3) ** 2, A, B),
]


@pytest.mark.parametrize("mode", MODES)
@run_cases(BINARY)
def test_binary(fn, inputs, kw, mode):
    check(fn, *inputs, mode=mode, **kw)


# ---- shapes: 0-d, empty, broadcast, 5-D ----
SHAPES = [((), ()), ((), (3,)), ((0, 3), (3,)), ((2, 0), (1, 1)), ((2, 1, 3, 1, 2), (4, 1, 1, 2)),
          ((2, 3, 1, 1, 1), (1, 1, 1, 2, 1))]
SHAPE_OPS = [
    ("arith", lambda t, a, b: (a + b) * b - a / (b.abs() + 1) + a.abs() ** b),
    ("maximum_where", lambda t, a, b: (t.maximum(a, b), t.where(a < b, a, b))),
    ("clamp", lambda t, a, b: t.clamp(a, min=b)),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shapes", SHAPES, ids=[f"{a}-{b}" for a, b in SHAPES])
@pytest.mark.parametrize("name,fn", SHAPE_OPS, ids=[o[0] for o in SHAPE_OPS])
def test_shapes(name, fn, shapes, mode):
    check(fn, arr(*shapes[0], seed=1), arr(*shapes[1], seed=2), mode=mode)


def test_aliases():
    j = jtorch
    assert (j.greater, j.greater_equal, j.less, j.less_equal, j.not_equal) == (j.gt, j.ge, j.lt, j.le, j.ne)
    assert (j.subtract, j.multiply, j.divide, j.clip, j.absolute, j.negative) == (j.sub, j.mul, j.div, j.clamp, j.abs,
                                                                                 j.neg)
    assert (j.arcsin, j.arccos, j.arctan, j.arcsinh, j.arccosh, j.arctanh, j.fix) == (j.asin, j.acos, j.atan, j.asinh,
                                                                                   j.acosh, j.atanh, j.trunc)
    assert (j.Tensor.absolute, j.Tensor.arcsin, j.Tensor.fix) == (j.Tensor.abs, j.Tensor.asin, j.Tensor.trunc)
    check(lambda t, a, b: (t.arctan2(a, b), a.arctan2(b), t.true_divide(a, b), a.fix(), t.arccos(b.tanh()),
                           a.subtract(b, alpha=2), a.multiply(b), a.divide(b, rounding_mode="floor")), A, B)


def test_broadcast_error():
    check_error(lambda t, a, b: a + b, arr(2, 3), arr(4), match=r"size of tensor a \(3\) must match the size of "
                                                                r"tensor b \(4\) at non-singleton dimension 1")
    check_error(lambda t, a, b: t.where(a > 0, a, b), arr(2, 3), arr(2, 1, 2))


# ---- every dtype pair: results, dtypes, gradients, or the same error as torch ----
SWEEP_DTYPES = [("float64", "float32"), ("float16", "float16"), ("int64", "int64"), ("int32", "int64"),
                ("uint8", "int8"), ("bool", "bool"), ("int64", "float32"), ("uint8", "bool"), ("float16", "int32")]
SWEEP_OPS = [
    ("add", lambda t, a, b: a + b), ("sub", lambda t, a, b: a - b), ("mul", lambda t, a, b: a * b),
    ("div", lambda t, a, b: a / b), ("div_floor", lambda t, a, b: t.div(a, b, rounding_mode="floor")),
    ("div_trunc", lambda t, a, b: t.div(a, b, rounding_mode="trunc")), ("floordiv", lambda t, a, b: a // b),
    ("remainder", lambda t, a, b: a % b), ("fmod", lambda t, a, b: t.fmod(a, b)), ("pow", lambda t, a, b: a ** b),
    ("eq", lambda t, a, b: a == b), ("lt", lambda t, a, b: a < b), ("maximum", lambda t, a, b: t.maximum(a, b)),
    ("and", lambda t, a, b: a & b), ("lshift", lambda t, a, b: a << b), ("rshift", lambda t, a, b: a >> b),
    ("atan2", lambda t, a, b: t.atan2(a, b)), ("copysign", lambda t, a, b: t.copysign(a, b)),
    ("hypot", lambda t, a, b: t.hypot(a, b)), ("logaddexp", lambda t, a, b: t.logaddexp(a, b)),
    ("xlogy", lambda t, a, b: t.xlogy(a, b)), ("gcd", lambda t, a, b: t.gcd(a, b)),
]
_NO_GRAD = {"floordiv", "atan2", "logaddexp", "copysign", "hypot"}
_GRAD_PAIRS = {("float64", "float32"), ("int64", "float32")}


def _sweep_inputs(name, d1, d2):
    a = np.array([[3, -5, 2, 7], [-4, 6, 1, -1], [5, 2, -3, 4]], dtype=np.int64).astype(d1) if d1 != "bool" else \
        arr(3, 4, dtype="bool", seed=3)
    b = np.array([2, -3, 1, 2], dtype=np.int64).astype(d2) if d2 != "bool" else np.array([True, True, False, True])
    if name in ("lshift", "rshift") or (name == "pow" and d2 != "bool"):
        b = np.array([0, 1, 3, 2]).astype(d2)
    if np.dtype(d1).kind == "f":
        a = a * F32(0.75)
    if np.dtype(d2).kind == "f" and name not in ("lshift", "rshift"):
        b = b * F32(0.5)
    if name in ("div", "floordiv", "remainder", "fmod", "div_floor", "div_trunc", "xlogy") and d2 == "bool":
        b = np.array([True, True, True, True])
    if name == "pow" and np.dtype(d1).kind == "f" and np.dtype(d2).kind == "f":
        a = np.abs(a) + 1
    return a, b


def _torch_raises(fn, *inputs):
    try:
        fn(torch, *[torch.from_numpy(x.copy()) for x in inputs])
    except Exception:
        return True
    return False


@pytest.mark.parametrize("d1,d2", SWEEP_DTYPES, ids=[f"{a}-{b}" for a, b in SWEEP_DTYPES])
def test_dtype_sweep(d1, d2):
    """Every binary op on one dtype pair, as one compiled program (per-op eager runs are in test_binary)."""
    cases = [(name, fn, _sweep_inputs(name, d1, d2)) for name, fn in SWEEP_OPS]
    ok, raising = split_by_torch_error(cases)
    for name, fn, inputs in raising:
        check_error(fn, *inputs)
    grads = (d1, d2) in _GRAD_PAIRS
    check_group([c for c in ok if c[0] not in _NO_GRAD], grad=grads)
    check_group([c for c in ok if c[0] in _NO_GRAD], grad=False)


# ---- promotion corner cases (tensor-scalar, 0-d tensors, categories) ----
PROMOTION = [
    case("int_plus_float_scalar", lambda t, a: a + 1.5, ints(1, 2, 3)),
    case("int8_plus_1000", lambda t, a: a + 1000, ints(1, 100, -100, dtype="int8")),
    case("int8_times_1000", lambda t, a: a * 1000, ints(1, 100, -100, dtype="int8")),
    case("uint8_minus_1", lambda t, a: a - 1, ints(0, 1, 200, dtype="uint8")),
    case("uint8_times_neg1", lambda t, a: a * -1, ints(0, 1, 200, dtype="uint8")),
    case("f64_0d_plus_f32", lambda t, a, b: a + b, floats(1.5, dtype="float64").reshape(()), arr(3)),
    case("f32_0d_plus_int", lambda t, a, b: a + b, floats(1.5).reshape(()), ints(1, 2)),
    case("f64_0d_plus_int", lambda t, a, b: a + b, floats(1.5, dtype="float64").reshape(()), ints(1, 2)),
    case("i64_0d_plus_i8", lambda t, a, b: a + b, ints(7).reshape(()), ints(1, 2, dtype="int8")),
    case("f16_plus_f32_0d", lambda t, a, b: a * b, arr(3, dtype="float16"), floats(2.5).reshape(())),
    case("f16_plus_scalar", lambda t, a: a + 1.5, arr(3, dtype="float16")),
    case("bool_plus_bool", lambda t, a, b: a + b, arr(4, dtype="bool"), arr(4, dtype="bool", seed=1)),
    case("bool_mul_bool", lambda t, a, b: a * b, arr(4, dtype="bool"), arr(4, dtype="bool", seed=1)),
    case("bool_plus_int", lambda t, a: a + 1, arr(4, dtype="bool")),
    case("bool_plus_float", lambda t, a: a + 1.5, arr(4, dtype="bool")),
    case("bool_plus_true", lambda t, a: a + True, arr(4, dtype="bool")),
    case("int_plus_true", lambda t, a: a + True, ints(1, 2)),
    case("uint8_plus_int8", lambda t, a, b: a + b, ints(200, 3, dtype="uint8"), ints(-1, 5, dtype="int8")),
    case("uint8_eq_int8", lambda t, a, b: a == b, ints(255, 3, dtype="uint8"), ints(-1, 3, dtype="int8")),
    case("int_div_int", lambda t, a, b: a / b, ints(7, -7, 3), ints(2, 2, -4)),
    case("int_floordiv_int", lambda t, a, b: a // b, ints(7, -7, 3, -3), ints(2, 2, -4, -4)),
    case("int_mod_int", lambda t, a, b: a % b, ints(7, -7, 3, -3), ints(2, 2, -4, -4)),
    case("int_fmod_int", lambda t, a, b: t.fmod(a, b), ints(7, -7, 3, -3), ints(2, 2, -4, -4)),
    case("int_trunc_div", lambda t, a, b: t.div(a, b, rounding_mode="trunc"), ints(7, -7, 3, -3), ints(2, 2, -4, -4)),
    case("int32_plus_i64_0d", lambda t, a, b: a + b, ints(1, 2, dtype="int32"), ints(5).reshape(())),
    case("int_lt_float_scalar", lambda t, a: a < 1.5, ints(1, 2)),
    case("int_plus_complex", lambda t, a: a + 1j, ints(1, 2)),
    case("float_times_complex", lambda t, a: a * (1 + 2j), arr(3)),
    case("int_pow_neg_tensor", lambda t, a, b: a ** b, ints(2, 0, -2, 1, -1, 3), ints(-1, -1, -1, -2, -3, 2)),
    case("int_pow_float", lambda t, a: a ** 2.5, ints(1, 2, 3)),
    case("int_rpow", lambda t, a: 2 ** a, ints(0, 1, 5)),
    case("float_rpow_int", lambda t, a: 2.5 ** a, ints(0, -1, 5)),
    case("bool_pow_int", lambda t, a: a ** 2, arr(4, dtype="bool")),
    case("bool_pow_true", lambda t, a: a ** True, arr(4, dtype="bool")),
    case("bool_pow_false", lambda t, a: a ** False, arr(4, dtype="bool")),
    case("int_pow_zero", lambda t, a: a ** 0, ints(0, 3)),
    case("where_int_float", lambda t, c, a: t.where(c, a, 1.5), arr(3, dtype="bool"), ints(1, 2, 3)),
    case("where_scalars", lambda t, c: t.where(c, 1.0, 0), arr(3, dtype="bool")),
    case("where_int_scalars", lambda t, c: t.where(c, 1, 0), arr(3, dtype="bool")),
    case("where_0d_f64", lambda t, c, a, b: t.where(c, a, b), arr(3, dtype="bool"),
         floats(1.0, dtype="float64").reshape(()), arr(3)),
    case("where_uint8_cond", lambda t, c, a: t.where(c, a, -a), ints(1, 0, 1, dtype="uint8"), arr(3)),
    case("clamp_int_float", lambda t, a: t.clamp(a, 0.5), ints(3, 0)),
    case("clamp_int_tensor_float", lambda t, a, lo: t.clamp(a, lo), ints(3, 0), floats(0.5).reshape(())),
    case("clamp_uint8_neg", lambda t, a: t.clamp(a, -1, 1), ints(3, 9, dtype="uint8")),
    case("clamp_bool", lambda t, a: t.clamp(a, 0, 1), arr(3, dtype="bool")),
    case("addcmul_int_value", lambda t, a: t.addcmul(a, a, a, value=2), ints(3, 2)),
    case("addcdiv_int_float", lambda t, a, b: t.addcdiv(a, b, b), ints(3, 2), arr(2)),
    case("add_bool_alpha", lambda t, a, b: t.add(a, b, alpha=2), arr(3, dtype="bool"), arr(3, dtype="bool", seed=1)),
    case("float_power_int", lambda t, a: t.float_power(a, 2), ints(1, 2, 3)),
    case("two_numbers", lambda t: (t.add(2, 3), t.sub(2, 3.5), t.mul(True, 3), t.div(2, 3), t.floor_divide(7, 2))),
    case("float_power_scalar_base", lambda t, a: t.float_power(2, a), arr(3)),
]


@pytest.mark.parametrize("mode", MODES)
@run_cases(PROMOTION)
def test_promotion_cases(fn, inputs, kw, mode):
    check(fn, *inputs, mode=mode, **kw)


# ---- gradients at special points: kinks, ties, zeros, NaN ----
TIES_A = floats(1.0, -2.0, 0.0, 3.0, np.nan, 2.0)
TIES_B = floats(1.0, 0.5, 0.0, np.nan, 1.0, 2.0)
SPECIAL_GRADS = [
    case("abs", lambda t, a: t.abs(a), NONFINITE),
    case("abs_special", lambda t, a: a.abs(), SPECIAL),
    case("sign", lambda t, a: t.sign(a) * a, NONFINITE),
    case("sgn_values", lambda t, a: t.sgn(a), NONFINITE, grad=False),
    case("relu", lambda t, a: t.relu(a), NONFINITE),
    case("relu_special", lambda t, a: t.relu(a), SPECIAL),
    case("sqrt_zero", lambda t, a: t.sqrt(a), floats(0.0, 1.0, 4.0)),
    case("rsqrt_zero", lambda t, a: t.rsqrt(a), floats(0.0, 1.0, 4.0, -0.0)),
    case("pow0_at_zero", lambda t, a: a ** 0, SPECIAL),
    case("pow2_at_zero", lambda t, a: a ** 2, SPECIAL),
    case("pow_half_at_zero", lambda t, a: a ** 0.5, floats(0.0, 1.0)),
    case("pow_frac_at_zero", lambda t, a: a ** 1.5, floats(0.0, 1.0)),
    case("pow_tensor_at_zero", lambda t, a, b: a ** b, floats(0.0, 0.0, 0.0, 2.0), floats(0.0, 2.0, 0.5, 0.0)),
    case("rpow_zero_base", lambda t, a: 0.0 ** a, floats(0.0, 1.0, 2.0)),
    case("maximum_ties", lambda t, a, b: t.maximum(a, b), TIES_A, TIES_B),
    case("minimum_ties", lambda t, a, b: t.minimum(a, b), TIES_A, TIES_B),
    case("fmax_ties", lambda t, a, b: t.fmax(a, b), TIES_A, TIES_B),
    case("fmin_ties", lambda t, a, b: t.fmin(a, b), TIES_A, TIES_B),
    case("clamp_bounds", lambda t, a: t.clamp(a, -1.0, 2.0), SPECIAL),
    case("clamp_min_only", lambda t, a: t.clamp(a, min=0.0), SPECIAL),
    case("clamp_nan", lambda t, a: t.clamp(a, -1.0, 1.0), NONFINITE),
    case("clamp_nan_bound", lambda t, a: t.clamp(a, float("nan"), 1.0), SPECIAL),
    case("clamp_min_gt_max", lambda t, a: t.clamp(a, 2.0, 1.0), SPECIAL),
    case("clamp_tensor_ties", lambda t, a, lo, hi: t.clamp(a, lo, hi), floats(0.0, 1.0, 2.0, -1.0, 5.0),
         floats(0.0, 1.5, 2.0, 0.0, 3.0), floats(1.0, 1.5, 1.0, 0.0, 4.0)),
    case("remainder_signs", lambda t, a, b: t.remainder(a, b), floats(5.0, -5.0, 5.0, -5.0, 0.0, 3.0),
         floats(3.0, 3.0, -3.0, -3.0, 2.0, 0.0)),
    case("fmod_signs", lambda t, a, b: t.fmod(a, b), floats(5.0, -5.0, 5.0, -5.0, 0.0, 3.0),
         floats(3.0, 3.0, -3.0, -3.0, 2.0, 0.0)),
    case("floor_div_signs", lambda t, a, b: t.div(a, b, rounding_mode="floor"),
         floats(5.0, -5.0, 5.0, -5.0, 1.0, 3.0, -3.0, 0.0), floats(3.0, 3.0, -3.0, -3.0, 0.1, 0.0, 0.0, -2.0)),
    case("trunc_div_signs", lambda t, a, b: t.div(a, b, rounding_mode="trunc"),
         floats(5.0, -5.0, 5.0, -5.0, 3.0), floats(3.0, 3.0, -3.0, -3.0, 0.0)),
    case("round_half_even", lambda t, a: t.round(a), floats(0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997)),
    case("round_decimals", lambda t, a: t.round(a, decimals=1), floats(1.25, 2.35, -1.55, 0.05)),
    case("round_neg_decimals", lambda t, a: t.round(a, decimals=-2), floats(1250.0, 2350.0, -1550.0, 49.0)),
    case("maximum_nan", lambda t, a, b: (t.maximum(a, b), t.minimum(a, b)), NONFINITE, NONFINITE[::-1].copy()),
    case("xlogy_zero", lambda t, a, b: t.xlogy(a, b), floats(0.0, 0.0, 1.0, 2.0), floats(0.0, 2.0, 0.0, np.nan)),
    case("copysign_zero", lambda t, a, b: t.copysign(a, b), floats(0.0, 1.0, -2.0, 3.0), floats(-1.0, -0.0, 0.0, 1.0)),
    case("hypot_zero", lambda t, a, b: t.hypot(a, b), floats(0.0, 3.0), floats(0.0, 4.0)),
    case("atan2_zero", lambda t, a, b: t.atan2(a, b), floats(1.0, 0.0, -1.0), floats(0.0, 1.0, 0.0)),
    case("lerp_weights", lambda t, a, b, w: t.lerp(a, b, w), floats(0.0, 1.0, 2.0, -1.0), floats(1.0, 3.0, -2.0, 4.0),
         floats(0.0, 0.5, 1.0, 0.49)),
    case("logaddexp_inf", lambda t, a, b: t.logaddexp(a, b), floats(-np.inf, 1.0, 0.0), floats(-np.inf, 1.0, 50.0),
         grad=False),
]


@pytest.mark.parametrize("mode", MODES)
@run_cases(SPECIAL_GRADS)
def test_special_points(fn, inputs, kw, mode):
    check(fn, *inputs, mode=mode, **kw)


# ---- unary functions: special points in float32 (both modes), other dtypes eagerly ----
ALL, POS = SPECIAL, positive(8, seed=8)
UNIT, GE1 = floats(-0.9, -0.5, -0.2, 0.0, 0.3, 0.6, 0.9, 0.99), floats(1.0, 1.1, 1.5, 2.0, 3.0, 5.0, 10.0, 100.0)
UNARY = [
    ("abs", ALL), ("exp", ALL), ("exp2", ALL), ("expm1", ALL), ("log", POS), ("log2", POS),
    ("log10", POS), ("log1p", POS), ("sqrt", POS), ("rsqrt", POS), ("sin", ALL), ("cos", ALL), ("tan", UNIT),
    ("asin", UNIT), ("acos", UNIT), ("atan", ALL), ("sinh", ALL), ("cosh", ALL), ("tanh", ALL), ("asinh", ALL),
    ("acosh", GE1), ("atanh", UNIT), ("sigmoid", ALL), ("relu", ALL), ("reciprocal", POS),
    ("square", ALL), ("sign", ALL), ("floor", ALL), ("ceil", ALL), ("trunc", ALL), ("frac", ALL),
    ("erf", ALL), ("erfc", ALL), ("erfinv", UNIT), ("lgamma", POS), ("digamma", POS), ("deg2rad", ALL),
    ("rad2deg", ALL), ("round", ALL), ("neg", ALL), ("positive", ALL), ("angle", ALL),
    ("conj", ALL), ("conj_physical", ALL), ("i0", ALL), ("sinc", ALL), ("logit", UNIT * 0.5 + 0.5),
    ("nan_to_num", NONFINITE), ("isnan", NONFINITE), ("isinf", NONFINITE), ("isfinite", NONFINITE),
    ("isposinf", NONFINITE), ("isneginf", NONFINITE), ("signbit", NONFINITE), ("logical_not", ALL),
    ("isreal", ALL),
]
_METHODLESS = {"positive", "isreal"}


@pytest.mark.parametrize("name,x", UNARY, ids=[u[0] for u in UNARY])
def test_unary_float32(name, x):
    """Each unary function eagerly on float32 special points (compiled: test_unary_dtypes[float32])."""
    check(lambda t, a: getattr(t, name)(a), x)


INT_VALUES = {"float32": SPECIAL, "int64": ints(-3, -1, 0, 2, 5), "int32": ints(-3, 0, 2, dtype="int32"),
              "uint8": ints(0, 1, 200, dtype="uint8"), "bool": np.array([True, False]),
              "float64": SPECIAL.astype(np.float64), "float16": floats(1.5, -0.5, 0.0, 0.25, dtype="float16")}
_DOMAIN_VALUES = {"float64": {id(POS): POS.astype(np.float64), id(UNIT): UNIT.astype(np.float64),
                              id(GE1): GE1.astype(np.float64)}}


_HALF_DOMAIN = {"digamma", "lgamma", "erfinv", "acosh", "arccosh", "logit", "log", "log2", "log10", "rsqrt", "sqrt",
                "reciprocal", "atanh", "arctanh"}


def _unary_case(name, x, dtype):
    v = x if dtype == "float32" else _DOMAIN_VALUES.get(dtype, {}).get(id(x), INT_VALUES[dtype])
    if dtype == "float16" and name in _HALF_DOMAIN:
        v = floats(0.25, 0.5, 0.75, dtype="float16")
    fn = (lambda t, a: getattr(t, name)(a)) if name in _METHODLESS else (lambda t, a: getattr(a, name)())
    return name, fn, (v,)


_FEW = {"abs", "exp", "sqrt", "sigmoid", "square", "sign", "floor", "round", "frac", "erf", "lgamma", "neg", "angle",
        "sinc", "nan_to_num", "isnan", "signbit", "relu", "reciprocal", "logical_not"}


@pytest.mark.parametrize("dtype", list(INT_VALUES))
def test_unary_dtypes(dtype):
    """Every unary op (as a method) on one dtype, as one compiled program (float16 and the
    narrower integer types on a representative subset)."""
    names = [(n, x) for n, x in UNARY if dtype in ("float32", "int64", "bool", "float64") or n in _FEW]
    ok, raising = split_by_torch_error([_unary_case(name, x, dtype) for name, x in names])
    for name, fn, inputs in raising:
        check_error(fn, *inputs)
    check_group(ok, rtol={"float16": 2e-2, "float64": 1e-8}.get(dtype), grad=dtype != "float16")


@pytest.mark.parametrize("name", ["exp", "sin", "sqrt", "tanh", "log", "sigmoid", "abs", "angle", "sgn", "conj",
                                  "reciprocal", "square", "isfinite", "nan_to_num", "real", "imag"])
def test_unary_complex(name):
    x = np.array([1 + 2j, -0.5 + 0.25j, 3 - 1j], dtype=np.complex64)
    check(lambda t, a: getattr(t, name)(a), x, grad=name != "nan_to_num")


@pytest.mark.parametrize("name", ["floor", "sign", "erf", "frac", "isposinf", "signbit", "deg2rad", "round", "lt",
                                  "maximum", "clamp", "relu", "logit"])
def test_complex_errors(name):
    x = np.array([1 + 2j, -0.5 + 0.25j], dtype=np.complex64)
    binary = name in ("lt", "maximum")
    fn = (lambda t, a: getattr(t, name)(a, a)) if binary else (
        (lambda t, a: t.clamp(a, 0)) if name == "clamp" else (lambda t, a: getattr(t, name)(a)))
    check_error(fn, x)


@pytest.mark.parametrize("mode", MODES)
def test_unary_shapes(mode):
    check_many = [arr(*shape) for shape in [(), (0,), (2, 0, 3), (1, 2, 1, 3, 2)]]
    check(lambda t, *xs: tuple(t.tanh(a) + a.exp() * a.sigmoid() for a in xs), *check_many, mode=mode)


# ---- parameterised unary functions and the new pointwise set ----
FUNCS = [
    case("logit_eps", lambda t, a: t.logit(a, eps=0.1), floats(0.0, 0.05, 0.25, 0.95, 1.0, -1.0, 2.0)),
    case("logit_plain", lambda t, a: t.logit(a), floats(0.1, 0.25, 0.5, 0.9)),
    case("logit_outside", lambda t, a: a.logit(), floats(-0.5, 0.0, 1.0, 1.5), grad=False),
    case("logit_int", lambda t, a: t.logit(a, 0.2), ints(0, 1)),
    case("sinc", lambda t, a: t.sinc(a), floats(0.0, 0.5, 1.0, -2.5, 1e-9)),
    case("nan_to_num", lambda t, a: t.nan_to_num(a, nan=1.5, posinf=2.0), NONFINITE),
    case("nan_to_num_f16", lambda t, a: t.nan_to_num(a), NONFINITE.astype(np.float16)),
    case("nan_to_num_int", lambda t, a: t.nan_to_num(a, nan=1.5), ints(1, 2)),
    case("heaviside", lambda t, a, v: t.heaviside(a, v), floats(-1.0, 0.0, 2.0, np.nan), floats(0.5), grad=False),
    case("heaviside_int", lambda t, a, v: a.heaviside(v), ints(-1, 0, 2), ints(7)),
    case("nextafter", lambda t, a, b: t.nextafter(a, b), floats(0.0, 1.0, -1.0, 1.0), floats(1.0, 2.0, -2.0, 0.0)),
    case("nextafter_f64", lambda t, a, b: t.nextafter(a, b), floats(0.0, 1.0, dtype="float64"),
         floats(1.0, 0.0, dtype="float64")),
    case("ldexp", lambda t, a, b: t.ldexp(a, b), arr(3, 2), ints(3, 1)),
    case("ldexp_neg_exponent", lambda t, a, b: t.ldexp(a, b), arr(3, 2), ints(3, -1), grad=False),
    case("ldexp_int", lambda t, a, b: t.ldexp(a, b), ints(1, 2), ints(3, -1)),
    case("ldexp_f16", lambda t, a, b: a.ldexp(b), arr(2, dtype="float16"), ints(3, 2)),
    case("ldexp_f64_f32", lambda t, a, b: t.ldexp(a, b), arr(2, dtype="float64"), arr(2), rtol=1e-6),
    case("frexp", lambda t, a: t.frexp(a), floats(0.0, 8.0, -0.3, np.inf, np.nan, 1e-30)),
    case("frexp_f64", lambda t, a: a.frexp(), arr(2, 3, dtype="float64", low=-100, high=100)),
    case("i0", lambda t, a: t.i0(a), floats(0.0, 0.5, -1.0, 3.0, 10.0)),
    case("polygamma0", lambda t, a: t.polygamma(0, a), POS),
    case("polygamma1", lambda t, a: t.polygamma(1, a), floats(0.0, -1.5, 0.5, 2.0, 10.0)),
    case("polygamma3", lambda t, a: a.polygamma(3), floats(0.0, -1.5, 0.5, 2.0)),
    case("mvlgamma", lambda t, a: t.mvlgamma(a, 2), floats(0.6, 2.0, 3.5)),
    case("mvlgamma_small", lambda t, a: t.mvlgamma(a, 3), floats(0.5, 0.9, 2.0), grad=False),
    case("mvlgamma_p1", lambda t, a: a.mvlgamma(1), POS),
    case("gcd", lambda t, a, b: t.gcd(a, b), ints(12, -18, 0, 7), ints(8, 12, 5, 0)),
    case("lcm", lambda t, a, b: a.lcm(b), ints(4, -6, 0, 7), ints(6, 4, 5, 3)),
    case("real_of_real", lambda t, a: t.real(a) * 2, arr(3)),
    case("real_complex", lambda t, a: (t.real(a), t.imag(a), a.real, a.imag),
         np.array([1 + 2j, -3.5j], dtype=np.complex64)),
    case("isreal", lambda t, a: t.isreal(a), np.array([1 + 2j, 3 + 0j], dtype=np.complex64)),
    case("float_power_tensors", lambda t, a, b: t.float_power(a, b), PA, B),
    case("square_bool", lambda t, a: t.square(a), arr(3, dtype="bool")),
    case("square_int", lambda t, a: a.square(), ints(-3, 4)),
    case("bitwise_not", lambda t, a: (~a, t.bitwise_not(a)), ints(0, -3, 7)),
    case("invert_bool", lambda t, a: ~a, arr(4, dtype="bool")),
    case("bitwise_bool", lambda t, a, b: (a & b, a | b, a ^ b), arr(4, dtype="bool"), arr(4, dtype="bool", seed=1)),
    case("shift_out_of_range", lambda t, a: (a << 70, a >> 70, a >> 65, a << 63), ints(3, -2, 1)),
    case("shift_scalar_self", lambda t, a: (1 << a, 64 >> a), ints(0, 3, 5)),
    case("bitwise_scalar", lambda t, a: (a & 6, 3 | a, a ^ True), ints(5, 2, -1)),
    case("conj_is_view_free", lambda t, a: t.resolve_conj(a) * 2, arr(3)),
    case("exp_out", lambda t, a, o: (t.exp(a, out=o), o), arr(3), arr(3, seed=9), grad=False),
    case("add_out_resize", lambda t, a, b, o: t.add(a, b, out=o.clone()), arr(3), arr(3), arr(0), grad=False),
]


@pytest.mark.parametrize("mode", MODES)
@run_cases(FUNCS)
def test_functions(fn, inputs, kw, mode):
    check(fn, *inputs, mode=mode, **kw)


def test_equal_allclose():
    a, b = floats(1.0, 2.0, np.nan), floats(1.0, 2.0 + 1e-7, np.nan)
    check(lambda t, x, y: (t.equal(x, y), t.equal(x, x), t.allclose(x, y), t.allclose(x, y, equal_nan=True),
                           x.equal(y), x.allclose(y, atol=0.5)), a, b, grad=False)
    check(lambda t, x, y: (t.equal(x, y), t.equal(x, x[:2])), floats(1.0, 2.0), ints(1, 2), grad=False)
    check(lambda t, x: (t.isclose(x, x), t.isclose(x, x + 1, atol=1), t.is_nonzero(x[:1])), ints(1, 2), grad=False)
    check(lambda t, x, y: t.isclose(x, y, equal_nan=True), floats(1.0, np.inf, np.nan, -np.inf),
          floats(1.00001, np.inf, np.nan, np.inf), grad=False)


# ---- in-place ops, torch.<name>_ functions, out= ----
INPLACE = [
    case("iadd", lambda t, a, b: _iop(a, b, "__iadd__"), A, B),
    case("isub_scalar", lambda t, a: _iop(a, 2.5, "__isub__"), A),
    case("imul", lambda t, a, b: _iop(a, b, "__imul__"), A, B),
    case("itruediv", lambda t, a, b: _iop(a, b, "__itruediv__"), A, PB),
    case("ipow", lambda t, a: _iop(a, 2, "__ipow__"), A),
    case("ifloordiv_int", lambda t, a: _iop(a, 2, "__ifloordiv__"), ints(7, -7, 3)),
    case("imod_int", lambda t, a: _iop(a, 3, "__imod__"), ints(7, -7, 3)),
    case("iand", lambda t, a, b: _iop(a, b, "__iand__"), ints(6, 5, 3), ints(3, 3, 1)),
    case("ior_bool", lambda t, a, b: _iop(a, b, "__ior__"), arr(3, dtype="bool"), arr(3, dtype="bool", seed=1)),
    case("ixor", lambda t, a: _iop(a, 5, "__ixor__"), ints(6, 5, 3)),
    case("ilshift", lambda t, a: _iop(a, 2, "__ilshift__"), ints(6, 5, 3)),
    case("irshift", lambda t, a: _iop(a, 1, "__irshift__"), ints(6, -5, 3)),
    case("iadd_int_bool", lambda t, a, b: _iop(a, b, "__iadd__"), ints(1, 2, 3), arr(3, dtype="bool")),
    case("abs_", lambda t, a: a.clone().abs_(), A),
    case("sign_", lambda t, a: a.clone().sign_() * a, A),
    case("torch_abs_", lambda t, a: t.abs_(a.clone()), A),
    case("torch_clamp_", lambda t, a: t.clamp_(a.clone(), -0.5, 0.5), A),
    case("clamp_tensor_", lambda t, a, lo: a.clone().clamp_(lo), A, B),
    case("clip_", lambda t, a: a.clone().clip_(max=0.3), A),
    case("logit_", lambda t, a: a.clone().logit_(0.1), UNIT * 0.5 + 0.5),
    case("nan_to_num_", lambda t, a: t.nan_to_num_(a.clone(), nan=2.0), NONFINITE),
    case("polygamma_", lambda t, a: a.clone().polygamma_(1), POS),
    case("lerp_", lambda t, a, b: a.clone().lerp_(b, 0.25), A, B),
    case("addcmul_", lambda t, a, b: a.clone().addcmul_(b, b, value=2), A, B),
    case("addcdiv_", lambda t, a, b: a.clone().addcdiv_(b, b + 3), A, B),
    case("xlogy_", lambda t, a, b: t.xlogy_(a.clone(), b), A, PB),
    case("heaviside_", lambda t, a, v: a.clone().heaviside_(v), floats(-1.0, 0.0, 2.0), floats(0.5), grad=False),
    case("ldexp_", lambda t, a, b: t.ldexp_(a.clone(), b), arr(2), ints(2, 1)),
    case("float_power_", lambda t, a: a.clone().float_power_(2), arr(3, dtype="float64")),
    case("eq_", lambda t, a, b: a.clone().eq_(b), A, B, grad=False),
    case("neg_", lambda t, a: t.neg_(a.clone()), A),
    case("relu_", lambda t, a: t.relu_(a.clone()), A),
    case("inplace_through_view", lambda t, a: _view_update(a), A),
]


def _iop(a, b, op):
    a = a.clone()
    return getattr(a, op)(b)


def _view_update(a):
    a = a.clone()
    v = a[1]
    v.mul_(2).clamp_(-1, 1)
    return a


@pytest.mark.parametrize("mode", MODES)
@run_cases(INPLACE)
def test_inplace(fn, inputs, kw, mode):
    check(fn, *inputs, mode=mode, **kw)


def test_iadd_keeps_identity():
    x = jtorch.tensor([1.0, 2.0])
    y = x
    x += 1
    x *= x
    assert x is y and x.tolist() == [4.0, 9.0]


# ---- errors: same exception type (and message) as torch ----
ERRORS = [
    case("bool_sub", lambda t, a, b: a - b, arr(3, dtype="bool"), arr(3, dtype="bool"), match="two bool tensors"),
    case("bool_sub_float", lambda t, a, b: b - a, arr(3, dtype="bool"), arr(3), match="with a bool tensor"),
    case("float_sub_true", lambda t, a: a - True, arr(3), match="with a bool tensor"),
    case("bool_neg", lambda t, a: -a, arr(3, dtype="bool"), match="Negation"),
    case("bool_pos", lambda t, a: +a, arr(3, dtype="bool")),
    case("int_floordiv_zero", lambda t, a, b: a // b, ints(5, -5), ints(0, 3), match="ZeroDivisionError"),
    case("int_floordiv_scalar_zero", lambda t, a: a // 0, ints(5, -5), match="ZeroDivisionError"),
    case("int_mod_zero", lambda t, a, b: a % b, ints(5, -5), ints(0, 3), match="ZeroDivisionError"),
    case("int_fmod_zero", lambda t, a: t.fmod(a, 0), ints(5, -5), match="ZeroDivisionError"),
    case("int_trunc_zero", lambda t, a, b: t.div(a, b, rounding_mode="trunc"), ints(5), ints(0),
         match="ZeroDivisionError"),
    case("int_rfloordiv_zero", lambda t, a: 7 // a, ints(0, 2), match="ZeroDivisionError"),
    case("int_ifloordiv_zero", lambda t, a: a.__ifloordiv__(0), ints(1), match="ZeroDivisionError"),
    case("bad_rounding_mode", lambda t, a: t.div(a, 2, rounding_mode="round"), arr(3), match="rounding_mode"),
    case("int_neg_pow", lambda t, a: a ** -1, ints(2, 3), match="negative integer powers"),
    case("bool_pow_bool", lambda t, a: a ** a, arr(3, dtype="bool")),
    case("float_bitwise", lambda t, a: a & 1, arr(3), match="bitwise_and_cpu"),
    case("bool_shift", lambda t, a: a << a, arr(3, dtype="bool"), match="lshift_cpu"),
    case("float_invert", lambda t, a: ~a, arr(3), match="operator.invert"),
    case("float_bitwise_not", lambda t, a: t.bitwise_not(a), arr(3), match="bitwise_not_cpu"),
    case("int_hypot", lambda t, a: t.hypot(a, a), ints(3), match="hypot_cpu"),
    case("int_logaddexp", lambda t, a: t.logaddexp(a, a), ints(3), match="logaddexp_cpu"),
    case("int_frac", lambda t, a: t.frac(a), ints(3), match="frac_cpu"),
    case("bool_abs", lambda t, a: t.abs(a), arr(3, dtype="bool"), match="abs_cpu"),
    case("bool_floor", lambda t, a: t.floor(a), arr(3, dtype="bool"), match="floor_vml_cpu"),
    case("bool_relu", lambda t, a: t.relu(a), arr(3, dtype="bool"), match="Boolean inputs"),
    case("int_round_decimals", lambda t, a: t.round(a, decimals=1), ints(3), match="round_cpu"),
    case("alpha_float_int", lambda t, a: t.add(a, a, alpha=1.5), ints(3), match="alpha must not"),
    case("alpha_bool", lambda t, a: t.sub(a, 2, alpha=True), arr(3), match="Boolean alpha"),
    case("remainder_scalars", lambda t: t.remainder(2, 3)),
    case("fmod_scalar_self", lambda t, a: t.fmod(2, a), arr(3)),
    case("maximum_scalar_self", lambda t, a: t.maximum(2, a), arr(3)),
    case("maximum_scalar_other", lambda t, a: t.maximum(a, 2), arr(3)),
    case("add_str", lambda t, a: a + "x", arr(3)),
    case("lt_none", lambda t, a: a < None, arr(3)),
    case("exp_number", lambda t: t.exp(2.0), match="must be Tensor"),
    case("where_int_cond", lambda t, c, a: t.where(c, a, a), ints(1, 0), arr(2), match="boolean tensor"),
    case("clamp_none", lambda t, a: t.clamp(a), arr(3), match="At least one"),
    case("clamp_overflow", lambda t, a: t.clamp(a, 1000), ints(1, dtype="int8"), match="overflow"),
    case("clamp_mixed_bounds", lambda t, a, b: t.clamp(a, b, 1.0), arr(3), arr(3)),
    case("int_clamp_", lambda t, a: a.clamp_(1.5), ints(3, 0), match="can't be cast"),
    case("int_itruediv", lambda t, a: a.__itruediv__(2), ints(3, 0), match="can't be cast"),
    case("inplace_broadcast", lambda t, a, b: a.add_(b), arr(3), arr(2, 3), match="doesn't match the broadcast"),
    case("leaf_inplace", lambda t, a: a.requires_grad_().exp_(), arr(3), match="leaf Variable"),
    case("float_power_", lambda t, a: a.float_power_(2), arr(3), match="float_power_"),
    case("isclose_dtypes", lambda t, a, b: t.isclose(a, b), arr(2), arr(2, dtype="float64"), match="did not match"),
    case("isclose_rtol", lambda t, a: t.isclose(a, a, rtol=-1), arr(2), match="rtol must be"),
    case("lerp_dtypes", lambda t, a, b: t.lerp(a, b, 0.5), arr(2), arr(2, dtype="float64"), match="expected dtype"),
    case("lerp_int", lambda t, a: t.lerp(a, a, 0.5), ints(1, 2), match="lerp_kernel_scalar"),
    case("addcdiv_int", lambda t, a: t.addcdiv(a, a, a), ints(1, 2), match="Integer division"),
    case("heaviside_dtypes", lambda t, a, b: t.heaviside(a, b), arr(2), arr(1, dtype="float64"),
         match="different dtypes"),
    case("heaviside_scalar", lambda t, a: t.heaviside(a, 0.5), arr(2), match="must be Tensor"),
    case("ldexp_scalar", lambda t, a: t.ldexp(a, 3), arr(2), match="must be Tensor"),
    case("ldexp_bool", lambda t, a, b: t.ldexp(a, b), arr(2), arr(2, dtype="bool"), match="ldexp_cpu_exp"),
    case("frexp_int", lambda t, a: t.frexp(a), ints(1), match="floating-point"),
    case("imag_real", lambda t, a: t.imag(a), arr(2), match="non-complex"),
    case("imag_property", lambda t, a: a.imag, arr(2), match="non-complex"),
    case("polygamma_neg", lambda t, a: t.polygamma(-1, a), arr(2), match="negative n"),
    case("mvlgamma_p0", lambda t, a: t.mvlgamma(a, 0), arr(2), match="greater than or equal to 1"),
    case("nextafter_int", lambda t, a: t.nextafter(a, a), ints(1), match="nextafter_cpu"),
    case("gcd_float", lambda t, a: t.gcd(a, a), arr(2), match="gcd_cpu"),
    case("is_nonzero_many", lambda t, a: t.is_nonzero(a), arr(2), match="more than one value"),
    case("sign_complex", lambda t, a: t.sign(a), np.array([1j], dtype=np.complex64), match="torch.sgn"),
]


@run_cases(ERRORS)
def test_errors(fn, inputs, kw):
    check_error(fn, *inputs, **kw)


def test_integer_division_by_zero_is_unchecked_when_compiled():
    from jtorch._functional import traced

    out, _ = traced(lambda a, b: a // b)(jtorch.tensor([4, 6])._read(), jtorch.tensor([2, 3])._read())
    assert np.asarray(out).tolist() == [2, 2]


# ---- activations ----
KINKS = floats(-7.0, -3.0, -1.0, -0.5, 0.0, 1.0, 3.0, 6.0)
ACT_X = arr(2, 3, 4, low=-4, high=4, seed=11)
ACTIVATIONS = [
    case("relu", lambda t, a: t.relu(a), KINKS),
    case("relu6", lambda t, a: F(t).relu6(a), KINKS),
    case("relu6_int", lambda t, a: F(t).relu6(a), ints(-1, 3, 9)),
    case("hardtanh", lambda t, a: F(t).hardtanh(a, -0.5, 1.0), KINKS),
    case("hardtanh_int", lambda t, a: F(t).hardtanh(a, -1.5, 1.5), ints(-3, 1, 2)),
    case("leaky_relu", lambda t, a: F(t).leaky_relu(a, 0.2), KINKS),
    case("elu", lambda t, a: F(t).elu(a, 0.7), KINKS),
    case("selu", lambda t, a: t.selu(a), KINKS),
    case("celu", lambda t, a: t.celu(a, 1.5), KINKS),
    case("gelu", lambda t, a: F(t).gelu(a), KINKS),
    case("gelu_tanh", lambda t, a: F(t).gelu(a, approximate="tanh"), KINKS),
    case("silu", lambda t, a: F(t).silu(a), KINKS),
    case("mish", lambda t, a: F(t).mish(a), KINKS),
    case("softplus", lambda t, a: F(t).softplus(a), KINKS),
    case("softplus_beta", lambda t, a: F(t).softplus(a, beta=2.0, threshold=5.0), floats(-3.0, 2.5, 2.6, 100.0)),
    case("softsign", lambda t, a: F(t).softsign(a), KINKS),
    case("softsign_int", lambda t, a: F(t).softsign(a), ints(-3, 0, 2)),
    case("hardsigmoid", lambda t, a: F(t).hardsigmoid(a), KINKS),
    case("hardswish", lambda t, a: F(t).hardswish(a), KINKS),
    case("hardshrink", lambda t, a: t.hardshrink(a, 1.0), KINKS),
    case("softshrink", lambda t, a: F(t).softshrink(a, 1.0), KINKS),
    case("tanhshrink", lambda t, a: F(t).tanhshrink(a), KINKS),
    case("tanhshrink_int", lambda t, a: F(t).tanhshrink(a), ints(-2, 3)),
    case("threshold", lambda t, a: t.threshold(a, 1.0, -2.0), KINKS),
    case("threshold_int", lambda t, a: t.threshold(a, 0.5, 2.5), ints(1, -2, 0)),
    case("glu", lambda t, a: F(t).glu(a), ACT_X),
    case("glu_dim", lambda t, a: F(t).glu(a, 0), ACT_X),
    case("logsigmoid", lambda t, a: F(t).logsigmoid(a), floats(-100.0, -1.0, 0.0, 2.0, 50.0)),
    case("prelu_scalar", lambda t, a, w: t.prelu(a, w), KINKS, floats(0.25)),
    case("prelu_0d_weight", lambda t, a, w: t.prelu(a, w), ACT_X, floats(0.3).reshape(())),
    case("prelu_channels", lambda t, a, w: a.prelu(w), ACT_X, floats(0.1, -0.2, 0.5)),
    case("prelu_2d", lambda t, a, w: F(t).prelu(a, w), arr(4, 3, seed=12), floats(0.1, -0.2, 0.5)),
    case("rrelu_eval", lambda t, a: t.rrelu(a), KINKS),
    case("elu_f64", lambda t, a: F(t).elu(a), KINKS.astype(np.float64)),
    case("gelu_f16", lambda t, a: F(t).gelu(a), arr(5, dtype="float16")),
    case("softmax", lambda t, a: t.softmax(a, 1), ACT_X),
    case("softmax_dtype", lambda t, a: t.softmax(a, 0, dtype=t.float64), ACT_X),
    case("softmax_int_dtype", lambda t, a: F(t).softmax(a, 0, dtype=t.float32), ints(1, 2, 3)),
    case("softmax_0d", lambda t, a: t.softmax(a, 0), floats(2.0).reshape(())),
    case("softmax_empty", lambda t, a: t.softmax(a, 1), arr(0, 3)),
    case("softmax_inf", lambda t, a: t.softmax(a, 0), floats(-np.inf, 0.0, 1.0)),
    case("softmax_implicit_dim", lambda t, a: F(t).softmax(a, dim=None), ACT_X),
    case("log_softmax", lambda t, a: t.log_softmax(a, 2), ACT_X),
    case("log_softmax_method", lambda t, a: a.log_softmax(0, dtype=t.float64), ACT_X),
    case("softmin", lambda t, a: F(t).softmin(a, 1), ACT_X),
    case("softmin_dtype", lambda t, a: F(t).softmin(a, -1, dtype=t.float64), ACT_X),
    case("inplace_relu", lambda t, a: F(t).relu(a.clone(), inplace=True), KINKS),
    case("inplace_hardtanh", lambda t, a: F(t).hardtanh(a.clone(), inplace=True), KINKS),
    case("celu_", lambda t, a: t.celu_(a.clone()), KINKS),
    case("threshold_", lambda t, a: t.threshold_(a.clone(), 0.0, 1.0), KINKS),
]


def F(lib):
    """``torch.nn.functional`` for torch; jtorch's activation module (nn.functional reuses it)."""
    if lib is torch:
        return torch.nn.functional
    from jtorch._ops import activation

    return activation


@pytest.mark.parametrize("mode", MODES)
@run_cases(ACTIVATIONS)
def test_activations(fn, inputs, kw, mode):
    check(fn, *inputs, mode=mode, **kw)


ACTIVATION_ERRORS = [
    case("leaky_relu_int", lambda t, a: F(t).leaky_relu(a), ints(1), match="leaky_relu_cpu"),
    case("elu_int", lambda t, a: F(t).elu(a), ints(1), match="elu_cpu"),
    case("selu_bool", lambda t, a: t.selu(a), arr(2, dtype="bool"), match="elu_cpu"),
    case("gelu_int", lambda t, a: F(t).gelu(a), ints(1), match="GeluKernelImpl"),
    case("gelu_approx", lambda t, a: F(t).gelu(a, approximate="fast"), arr(2), match="none or tanh"),
    case("relu6_bool", lambda t, a: F(t).relu6(a), arr(2, dtype="bool"), match="hardtanh"),
    case("hardtanh_bounds", lambda t, a: F(t).hardtanh(a, 2.0, 1.0), arr(2), match="min_val"),
    case("softshrink_neg", lambda t, a: F(t).softshrink(a, -0.5), arr(2), match="lambda must be"),
    case("softsign_bool", lambda t, a: F(t).softsign(a), arr(2, dtype="bool"), match="abs_cpu"),
    case("tanhshrink_bool", lambda t, a: F(t).tanhshrink(a), arr(2, dtype="bool"), match="Subtraction"),
    case("celu_zero", lambda t, a: F(t).celu(a, 0.0), arr(2), match="alpha cannot be 0"),
    case("glu_scalar", lambda t, a: F(t).glu(a), floats(1.0).reshape(()), match="scalars"),
    case("glu_odd", lambda t, a: F(t).glu(a, 1), arr(2, 3), match="Halving dimension must be even"),
    case("glu_dim", lambda t, a: F(t).glu(a, 2), arr(2, 4), match="Dimension out of range"),
    case("prelu_mismatch", lambda t, a, w: t.prelu(a, w), arr(2, 3), arr(2), match="Mismatch of parameter"),
    case("prelu_1d", lambda t, a, w: t.prelu(a, w), arr(3), arr(3), match="channel size = 1"),
    case("prelu_0d_input", lambda t, a, w: t.prelu(a, w), floats(1.0).reshape(()), arr(3), match="zero-dim"),
    case("prelu_2d_weight", lambda t, a, w: t.prelu(a, w), arr(2, 3), arr(1, 3), match="ndim = 2"),
    case("prelu_dtype", lambda t, a, w: t.prelu(a, w), arr(2, 3), arr(3, dtype="float64"), match="Type promoting"),
    case("prelu_int", lambda t, a, w: t.prelu(a, w), ints(1, 2), ints(1), match="prelu_cpu"),
    case("softmax_int", lambda t, a: t.softmax(a, 0), ints(1, 2), match="softmax_lastdim_kernel_impl"),
    case("softmax_int_notlast", lambda t, a: t.softmax(a, 0), ints(1, 2).reshape(2, 1), match="softmax_kernel_impl"),
    case("log_softmax_bool", lambda t, a: t.log_softmax(a, 0), arr(2, dtype="bool"), match="log_softmax_lastdim"),
    case("softmax_dim", lambda t, a: t.softmax(a, 2), arr(2, 3), match="Dimension out of range"),
    case("softmin_bool", lambda t, a: F(t).softmin(a, 0), arr(2, dtype="bool"), match="Negation"),
    case("relu_complex", lambda t, a: t.relu(a), np.array([1j], dtype=np.complex64), match="complex"),
    case("threshold_bool", lambda t, a: t.threshold(a, 0, 1), arr(2, dtype="bool"), match="threshold_cpu"),
]


@run_cases(ACTIVATION_ERRORS)
def test_activation_errors(fn, inputs, kw):
    check_error(fn, *inputs, **kw)


def test_rrelu_training_unsupported():
    with pytest.raises(NotImplementedError, match="training=True"):
        jtorch._ops.activation.rrelu(jtorch.ones(3), training=True)


def test_activation_namespaces():
    for name in ["relu", "relu_", "softmax", "log_softmax", "selu", "selu_", "celu", "celu_", "threshold",
                 "threshold_", "prelu", "rrelu", "rrelu_", "hardshrink"]:
        assert hasattr(torch, name) and hasattr(jtorch, name), name
    for name in ["relu6", "leaky_relu", "elu", "gelu", "silu", "mish", "softplus", "softsign", "hardtanh",
                 "hardsigmoid", "hardswish", "softshrink", "tanhshrink", "glu", "logsigmoid", "softmin"]:
        assert not hasattr(torch, name) and not hasattr(jtorch, name), name
        assert hasattr(jtorch._ops.activation, name), name


# ---- torch.special ----
SP = SPECIAL
SPECIAL_FUNCS = [
    case("expit", lambda t, a: t.special.expit(a), SP),
    case("logit", lambda t, a: t.special.logit(a, eps=0.01), floats(0.0, 0.2, 0.7, 1.0)),
    case("erfcx", lambda t, a: t.special.erfcx(a), SP),
    case("erfcx_large", lambda t, a: t.special.erfcx(a), floats(-5.0, 10.0, 30.0, 1e4), rtol=1e-4),
    case("logsumexp", lambda t, a: t.special.logsumexp(a, 1), ACT_X),
    case("logsumexp_keepdim", lambda t, a: t.special.logsumexp(a, (0, 2), keepdim=True), ACT_X),
    case("softmax", lambda t, a: t.special.softmax(a, 1), ACT_X),
    case("log_softmax", lambda t, a: t.special.log_softmax(a, 0, dtype=t.float64), ACT_X),
    case("i0e", lambda t, a: t.special.i0e(a), SP),
    case("i1", lambda t, a: t.special.i1(a), SP),
    case("i1e", lambda t, a: t.special.i1e(a), SP),
    case("i1_f16", lambda t, a: t.special.i1(a), SP.astype(np.float16), grad=False),
    case("xlogy", lambda t, a, b: t.special.xlogy(a, b), SP, np.abs(SP)),
    case("xlog1py", lambda t, a, b: t.special.xlog1py(a, b), SP, floats(-1.0, 0.0, 0.5, -0.5, 2.0, np.nan, -1.0, 3.0)),
    case("xlog1py_scalar", lambda t, b: t.special.xlog1py(2, b), POS),
    case("psi", lambda t, a: t.special.psi(a), floats(0.0, -0.0, 0.5, 2.0)),
    case("multigammaln", lambda t, a: t.special.multigammaln(a, 3), POS + 1),
    case("ndtr", lambda t, a: t.special.ndtr(a), SP),
    case("ndtri", lambda t, a: t.special.ndtri(a), floats(0.0, 0.1, 0.5, 0.9, 1.0)),
    case("log_ndtr", lambda t, a: t.special.log_ndtr(a), floats(-10.0, -1.0, 0.0, 2.0)),
    case("entr", lambda t, a: t.special.entr(a), floats(-1.0, 0.5, 1.0, 2.0, np.inf)),
    case("entr_zero", lambda t, a: t.special.entr(a), floats(0.0, np.nan), grad=False),
    case("zeta", lambda t, a, b: t.special.zeta(a, b), floats(2.0, 3.0, 4.5), floats(1.0, 2.5, 0.5), grad=False),
    case("int_input", lambda t, a: (t.special.ndtr(a), t.special.i1e(a), t.special.expit(a)), ints(-1, 0, 2)),
]


@run_cases(SPECIAL_FUNCS)
def test_special(fn, inputs, kw):
    check(fn, *inputs, **kw)


def test_special_compiled():
    """The special functions' forward values in compiled mode (one program; gradients run eagerly above)."""
    check_group([(p.id, p.values[0], p.values[1]) for p in SPECIAL_FUNCS if "rtol" not in p.values[2]], grad=False)


@pytest.mark.parametrize("name", ["erfcx", "ndtri", "log_ndtr"])
def test_special_half_errors(name):
    check_error(lambda t, a: getattr(t.special, name)(a), arr(2, dtype="float16"), match=f"{name}_cpu")


def test_special_namespace():
    s, j = jtorch.special, jtorch
    assert (s.erf, s.erfc, s.erfinv, s.exp2, s.expm1, s.log1p, s.sinc, s.i0, s.round, s.digamma, s.psi, s.gammaln,
            s.polygamma, s.xlogy, s.gammainc, s.gammaincc) == (
        j.erf, j.erfc, j.erfinv, j.exp2, j.expm1, j.log1p, j.sinc, j.i0, j.round, j.digamma, j.digamma, j.lgamma,
        j.polygamma, j.xlogy, j.igamma, j.igammac)
    for name in jtorch.special.__all__:
        assert hasattr(torch.special, name), name
