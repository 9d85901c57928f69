"""Property tests of type promotion and broadcasting against PyTorch.

Random broadcastable shapes (0-d included), random dtype pairs and Python scalars go through
add, mul, true division, comparisons and ``where``: jtorch's result must have torch's shape and
dtype and close values; shapes that do not broadcast must raise torch's exception type.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from parity import check, check_error  # noqa: E402

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes  # noqa: E402

torch = pytest.importorskip("torch")

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64", "complex64"]
SCALARS = st.one_of(st.booleans(), st.integers(-5, 5), st.sampled_from([-1.5, 0.5, 2.0, 3.25]),
                    st.sampled_from([1j, 0.5 - 2j]))
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def values(shape, dtype, seed, nonzero=False):
    """Small exact values of ``dtype`` (no zeros when ``nonzero``: a divisor)."""
    rng = np.random.default_rng(seed)
    v = rng.integers(1, 4, size=shape) * rng.choice([-1, 1], size=shape) if nonzero else rng.integers(-3, 4, shape)
    if dtype == "bool":
        v = np.ones(shape, dtype=bool) if nonzero else v > 0
    elif dtype == "uint8":
        v = np.abs(v)
    elif dtype.startswith("complex"):
        v = v + 0.5j * v
    return np.asarray(v, dtype=dtype)


@st.composite
def operand(draw, shape, nonzero=False, scalar=True):
    """A tensor input (numpy array of a random dtype) or, sometimes, a Python scalar."""
    if scalar and draw(st.integers(0, 3)) == 0:
        s = draw(SCALARS)
        return (1 if s == 0 else s) if nonzero else s
    return values(shape, draw(st.sampled_from(DTYPES)), draw(st.integers(0, 10 ** 6)), nonzero)


def run(fn, *inputs, mode="eager"):
    """Check ``fn`` like torch, or check that it raises like torch when torch does."""
    t_in = [torch.from_numpy(x.copy()) if isinstance(x, np.ndarray) else x for x in inputs]
    try:
        fn(torch, *t_in)
    except Exception:
        check_error(fn, *inputs)
        return
    check(fn, *inputs, mode=mode, grad=False)


BINARY = {
    "add": lambda t, a, b: a + b if isinstance(a, t.Tensor) else t.add(b, a),
    "mul": lambda t, a, b: t.mul(a, b) if isinstance(a, t.Tensor) else b * a,
    "div": lambda t, a, b: a / b,
    "lt": lambda t, a, b: a < b,
    "eq": lambda t, a, b: a == b,
    "ge": lambda t, a, b: t.ge(a, b) if isinstance(a, t.Tensor) else b <= a,
}


@pytest.mark.parametrize("name", list(BINARY))
@SETTINGS
@given(data=st.data(), shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3))
def test_binary_promotion(name, data, shapes):
    a = data.draw(operand(shapes.input_shapes[0]))
    b = data.draw(operand(shapes.input_shapes[1], nonzero=name == "div", scalar=isinstance(a, np.ndarray)))
    run(BINARY[name], a, b)


@SETTINGS
@given(data=st.data(), shapes=mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=4, max_side=3))
def test_where_promotion(data, shapes):
    cond = values(shapes.input_shapes[0], "bool", data.draw(st.integers(0, 10 ** 6)))
    x = data.draw(operand(shapes.input_shapes[1]))
    y = data.draw(operand(shapes.input_shapes[2]))
    run(lambda t, c, a, b: t.where(c, a, b), cond, x, y)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(data=st.data(), shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3))
def test_promotion_compiled(data, shapes):
    a = data.draw(operand(shapes.input_shapes[0], scalar=False))
    b = data.draw(operand(shapes.input_shapes[1], nonzero=True))
    run(lambda t, x, y: (x + y, x * y, x / y, x < y), a, b, mode="compiled")


@SETTINGS
@given(data=st.data(), sa=array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
       sb=array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
def test_broadcast_errors(data, sa, sb):
    a = values(sa, data.draw(st.sampled_from(DTYPES)), 1)
    b = values(sb, data.draw(st.sampled_from(DTYPES)), 2)
    run(lambda t, x, y: (x + y, t.where(x != 0, x, y), x < y), a, b)


OPS = {"add": lambda x, y: x + y, "mul": lambda x, y: x * y, "div": lambda x, y: x / y, "sub": lambda x, y: x - y,
       "lt": lambda x, y: x < y}


@pytest.mark.parametrize("op", list(OPS))
@pytest.mark.parametrize("a,b", [("int64", "float32"), ("uint8", "int8"), ("int8", "bool"), ("float16", "bfloat16")])
def test_result_type_matches_torch(op, a, b):
    """``torch.result_type`` agrees with the dtype the ops produce, as in torch."""
    import jtorch

    x, y = jtorch.ones(2, dtype=getattr(jtorch, a)), jtorch.ones(2, dtype=getattr(jtorch, b))
    tx, ty = torch.ones(2, dtype=getattr(torch, a)), torch.ones(2, dtype=getattr(torch, b))
    if op == "sub" and b == "bool":
        check_error(lambda t, u, v: u - v, np.ones(2, dtype=a), np.ones(2, dtype=b))
        return
    assert str(OPS[op](x, y).dtype) == str(OPS[op](tx, ty).dtype)
    assert str(jtorch.result_type(x, y)) == str(torch.result_type(tx, ty))
