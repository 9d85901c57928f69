"""Tensor creation against real PyTorch: values, shapes and dtypes (eager and compiled), exact
linspace/logspace values, metadata of the legacy constructors, and the errors of bad arguments."""
import math
import re
import warnings

import numpy as np
import pytest

from parity import MODES, arr, check, torch
import jtorch

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

nan, inf = math.nan, math.inf
NP_DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
             "uint64", "bool", "complex64", "complex128"]


def _np_array(dtype, shape=(2, 3)):
    return np.arange(int(np.prod(shape))).reshape(shape).astype(dtype)


def first_line(e):
    return str(e).split("\n")[0]


def same_error(fn, match=None):
    """``fn(torch)`` and ``fn(jtorch)`` raise the same exception type, and jtorch's message equals
    torch's first line (or matches the regex ``match`` where torch's text cannot be reproduced)."""
    with pytest.raises(Exception) as t_err:
        fn(torch)
    with pytest.raises(Exception) as j_err:
        fn(jtorch)
    assert type(j_err.value) is type(t_err.value), (
        f"torch raised {type(t_err.value).__name__}: {t_err.value}; jtorch raised "
        f"{type(j_err.value).__name__}: {j_err.value}")
    if match is None:
        assert first_line(j_err.value) == first_line(t_err.value)
    else:
        assert re.search(match, str(j_err.value)), f"{str(j_err.value)!r} lacks {match!r}"


def meta(x):
    """A comparable summary of a result: tensors by dtype/shape/requires_grad, the rest by repr."""
    if isinstance(x, (torch.Tensor, jtorch.Tensor)):
        return ("tensor", str(x.dtype), tuple(x.shape), x.requires_grad, x.is_leaf)
    if isinstance(x, (tuple, list)) and not isinstance(x, (torch.Size, jtorch.Size)):
        return tuple(meta(v) for v in x)
    return repr(x)


def same_meta(fn):
    assert meta(fn(jtorch)) == meta(fn(torch))


def same_bits(fn):
    """Exact equality (bit for bit, NaN-aware) of a tensor result, shape and dtype included."""
    e, a = fn(torch), fn(jtorch)
    assert str(a.dtype) == str(e.dtype) and tuple(a.shape) == tuple(e.shape)
    ev = e.float().numpy() if e.dtype == torch.bfloat16 else e.numpy()
    av = np.asarray(a.float()._read()) if a.dtype == jtorch.bfloat16 else np.asarray(a._read())
    np.testing.assert_array_equal(av, ev)


# ---- values, shapes and dtypes (eager and compiled) ------------------------------------------------

TENSOR_CASES = [
    ("int", lambda t: t.tensor(1)),
    ("float", lambda t: t.tensor(1.5)),
    ("bool", lambda t: t.tensor(True)),
    ("complex", lambda t: t.tensor(1 + 2j)),
    ("list_int", lambda t: t.tensor([1, 2, 3])),
    ("list_float", lambda t: t.tensor([1.0, 2, 3])),
    ("list_bool", lambda t: t.tensor([True, False])),
    ("int_float", lambda t: t.tensor([1, 2.5])),
    ("bool_int", lambda t: t.tensor([True, 2])),
    ("bool_float", lambda t: t.tensor([True, 2.5])),
    ("int_complex", lambda t: t.tensor([1, 2j])),
    ("float_complex", lambda t: t.tensor([1.5, 2j])),
    ("nested", lambda t: t.tensor([[1, 2], [3, 4]])),
    ("nested_tuple", lambda t: t.tensor([[1, 2], (3, 4)])),
    ("nested_3d", lambda t: t.tensor([[[1.0], [2.0]], [[3.0], [4.0]]])),
    ("empty", lambda t: t.tensor([])),
    ("empty_tuple", lambda t: t.tensor(())),
    ("empty_2d", lambda t: t.tensor([[]])),
    ("empty_rows", lambda t: t.tensor([[], []])),
    ("empty_first_row", lambda t: t.tensor([[], [1]])),
    ("empty_3d", lambda t: t.tensor([[[]], [[]]])),
    ("range", lambda t: t.tensor(range(5))),
    ("bytearray", lambda t: t.tensor(bytearray(b"ab"))),
    ("nan_inf", lambda t: t.tensor([nan, inf, -inf, -0.0])),
    ("float_rounding", lambda t: t.tensor([0.1, 1 / 3, 1e-40])),
    ("float_overflow", lambda t: t.tensor([1e40])),
    ("int64_extremes", lambda t: t.tensor([2 ** 62, -2 ** 63])),
    ("dtype_truncates", lambda t: t.tensor([1.7, -1.7], dtype=t.int64)),
    ("dtype_uint8_negative", lambda t: t.tensor([-1, 255, -255], dtype=t.uint8)),
    ("dtype_int8_edges", lambda t: t.tensor([-128, 127], dtype=t.int8)),
    ("dtype_float16_inf", lambda t: t.tensor([1e10, 0.1], dtype=t.float16)),
    ("dtype_bfloat16", lambda t: t.tensor([0.1, 3.0], dtype=t.bfloat16)),
    ("dtype_bool", lambda t: t.tensor([2, 0, 0.5, 1j], dtype=t.bool)),
    ("dtype_complex", lambda t: t.tensor([1.5, 2], dtype=t.complex64)),
    ("dtype_float64", lambda t: t.tensor([0.1, 1], dtype=t.float64)),
    ("dtype_int32", lambda t: t.tensor([1.5e9, -3], dtype=t.int32)),
    ("tensors_0d", lambda t: t.tensor([t.tensor(1), t.tensor(2)])),
    ("tensor_0d_float", lambda t: t.tensor([t.tensor(1.5), 2])),
    ("tensor_0d_int_float", lambda t: t.tensor([t.tensor(1), 2.5])),
    ("tensor_0d_float64", lambda t: t.tensor([t.tensor(1.5, dtype=t.float64), 2])),
    ("tensor_0d_int32", lambda t: t.tensor([t.tensor(1, dtype=t.int32), 2])),
    ("tensors_one_element", lambda t: t.tensor([t.tensor([1]), t.tensor([2])])),
    ("tensors_one_element_2d", lambda t: t.tensor([t.tensor([[1.5]]), t.tensor([[2.5]])])),
    ("tensors_nested_0d", lambda t: t.tensor([[t.tensor(1)], [t.tensor(2)]])),
    ("np_scalars_float32", lambda t: t.tensor([np.float32(1), np.float32(2.5)])),
    ("np_float64_and_int", lambda t: t.tensor([np.float64(1.5), 2])),
    ("np_int32_and_int", lambda t: t.tensor([np.int32(1), 2])),
    ("int_and_np_float32", lambda t: t.tensor([1, np.float32(2.5)])),
    ("np_float16_list", lambda t: t.tensor([np.float16(1.5)])),
    ("np_complex64_list", lambda t: t.tensor([np.complex64(1j)])),
    ("np_arrays_list", lambda t: t.tensor([np.array([1, 2]), np.array([3, 4])])),
    ("np_int32_arrays_list", lambda t: t.tensor([np.array([1, 2], np.int32), np.array([3, 4], np.int32)])),
    ("np_array_and_list", lambda t: t.tensor([[1], np.array([2])])),
    ("np_scalar_float32", lambda t: t.tensor(np.float32(1.5))),
    ("np_scalar_int32", lambda t: t.tensor(np.int32(3))),
    ("np_scalar_bool", lambda t: t.tensor(np.bool_(True))),
    ("np_scalar_to_float32", lambda t: t.tensor(np.int64(5), dtype=t.float32)),
    ("np_0d_array", lambda t: t.tensor(np.array(3.5))),
    ("np_empty", lambda t: t.tensor(np.zeros((2, 0)))),
    ("np_transposed", lambda t: t.tensor(np.arange(6).reshape(2, 3).T)),
    ("np_wraps_to_uint8", lambda t: t.tensor(np.array([300, -1]), dtype=t.uint8)),
    ("np_float_to_int", lambda t: t.tensor(np.array([1.7, -2.5]), dtype=t.int32)),
    ("copy_of_tensor", lambda t: t.tensor(t.tensor([1.0, 2.0]))),
    ("copy_of_tensor_dtype", lambda t: t.tensor(t.tensor([1, 2]), dtype=t.float64)),
    ("as_tensor_list", lambda t: t.as_tensor([1, 2.5])),
    ("as_tensor_np_int16", lambda t: t.as_tensor(np.array([1, 2], dtype=np.int16))),
    ("as_tensor_int", lambda t: t.as_tensor(3)),
    ("as_tensor_np_dtype", lambda t: t.as_tensor(np.arange(3), dtype=t.float32)),
    ("as_tensor_tensor_dtype", lambda t: t.as_tensor(t.tensor([1.0, 2.0]), dtype=t.float64)),
    ("asarray_float", lambda t: t.asarray(3.5)),
    ("asarray_np_no_copy", lambda t: t.asarray(np.array([1.0, 2.0]), copy=False)),
    ("asarray_np_dtype", lambda t: t.asarray(np.array([1.0, 2.0]), dtype=t.float32)),
    ("asarray_np_scalar", lambda t: t.asarray(np.float32(2.5))),
    ("asarray_tensors", lambda t: t.asarray([t.tensor(1), t.tensor(2)])),
    ("asarray_np_int32_to_int64", lambda t: t.asarray(np.array([1, 2], dtype=np.int32), dtype=t.int64)),
    ("asarray_tensor_dtype", lambda t: t.asarray(t.tensor([1.0, 2.0]), dtype=t.float64)),
    ("from_numpy_transposed", lambda t: t.from_numpy(np.arange(6).reshape(2, 3).T)),
]

FACTORY_CASES = [
    ("zeros_varargs", lambda t: t.zeros(2, 3)),
    ("zeros_tuple", lambda t: t.zeros((2, 3))),
    ("zeros_list", lambda t: t.zeros([2, 3])),
    ("zeros_size_obj", lambda t: t.zeros(t.Size([2, 3]))),
    ("zeros_size_kw", lambda t: t.zeros(size=(2, 3))),
    ("zeros_size_kw_list", lambda t: t.zeros(size=[2])),
    ("zeros_0d", lambda t: t.zeros(())),
    ("zeros_0d_list", lambda t: t.zeros([])),
    ("zeros_empty", lambda t: t.zeros(2, 0, 3)),
    ("zeros_tensor_size", lambda t: t.zeros(t.tensor(3))),
    ("zeros_tensor_in_tuple", lambda t: t.zeros((t.tensor(2), 3))),
    ("zeros_tensor_vararg", lambda t: t.zeros(2, t.tensor(3))),
    ("zeros_one_element_tensor", lambda t: t.zeros(t.tensor([3]))),
    ("zeros_np_int", lambda t: t.zeros(np.int64(3))),
    ("zeros_np_in_tuple", lambda t: t.zeros((2, np.int32(3)))),
    ("zeros_bool_in_tuple", lambda t: t.zeros((2, True))),
    ("zeros_int32", lambda t: t.zeros(2, dtype=t.int32)),
    ("zeros_5d", lambda t: t.zeros(1, 2, 1, 2, 1, dtype=t.float64)),
    ("ones_bool", lambda t: t.ones(2, 3, dtype=t.bool)),
    ("ones_complex", lambda t: t.ones(2, dtype=t.complex64)),
    ("ones_uint8", lambda t: t.ones((3,), dtype=t.uint8)),
    ("full_int", lambda t: t.full((2,), 3)),
    ("full_float", lambda t: t.full((2,), 1.5)),
    ("full_bool", lambda t: t.full((2,), True)),
    ("full_complex", lambda t: t.full((2,), 1 + 1j)),
    ("full_dtype", lambda t: t.full((2,), 3, dtype=t.float64)),
    ("full_list_size", lambda t: t.full([2, 2], 3)),
    ("full_0d", lambda t: t.full((), 3)),
    ("full_tensor_fill", lambda t: t.full((2,), t.tensor(3))),
    ("full_tensor_fill_float64", lambda t: t.full((2,), t.tensor(3.5, dtype=t.float64))),
    ("full_np_float32", lambda t: t.full((2,), np.float32(3.5))),
    ("full_np_int32", lambda t: t.full((2,), np.int32(3))),
    ("full_truncates", lambda t: t.full((2,), 2.7, dtype=t.int64)),
    ("full_uint8_negative", lambda t: t.full((2,), -1, dtype=t.uint8)),
    ("full_inf_half", lambda t: t.full((2,), inf, dtype=t.float16)),
    ("full_complex_real", lambda t: t.full((2,), 1 + 0j, dtype=t.float32)),
    ("full_keywords", lambda t: t.full(size=(2,), fill_value=3)),
    ("full_big_to_float", lambda t: t.full((2,), 2 ** 63, dtype=t.float32)),
    ("zeros_like_int", lambda t: t.zeros_like(t.tensor([1, 2, 3]))),
    ("zeros_like_dtype", lambda t: t.zeros_like(t.tensor([1, 2, 3]), dtype=t.float32)),
    ("ones_like_0d", lambda t: t.ones_like(t.tensor(2.5))),
    ("full_like_int_truncates", lambda t: t.full_like(t.tensor([1, 2, 3]), 2.7)),
    ("full_like_float", lambda t: t.full_like(t.tensor([1.0, 2.0]), 2.7)),
    ("full_like_uint8", lambda t: t.full_like(t.zeros(2, dtype=t.uint8), -1)),
    ("full_like_dtype", lambda t: t.full_like(t.zeros(2), 7, dtype=t.int16)),
    ("new_zeros", lambda t: t.ones(2).new_zeros(3)),
    ("new_zeros_tuple", lambda t: t.ones(2).new_zeros((3, 2))),
    ("new_zeros_list", lambda t: t.ones(2).new_zeros([3])),
    ("new_zeros_kw", lambda t: t.ones(2).new_zeros(size=(3,))),
    ("new_zeros_0d", lambda t: t.ones(2).new_zeros(())),
    ("new_zeros_dtype", lambda t: t.ones(2).new_zeros(2, dtype=t.int64)),
    ("new_ones_int", lambda t: t.tensor([1, 2]).new_ones(2)),
    ("new_full_int", lambda t: t.tensor([1, 2]).new_full((2,), 2.5)),
    ("new_full_float", lambda t: t.ones(2).new_full((2,), 7)),
    ("new_tensor_int", lambda t: t.tensor([1, 2]).new_tensor([1.5, 2.5])),
    ("new_tensor_float", lambda t: t.ones(2).new_tensor([1, 2])),
    ("new_tensor_from_tensor", lambda t: t.ones(2).new_tensor(t.tensor([1, 2, 3]))),
    ("new_list", lambda t: t.ones(2).new([1, 2])),
    ("new_list_int", lambda t: t.tensor([1, 2]).new([1.5, 2])),
    ("new_empty_args", lambda t: t.ones(2).new()),
    ("legacy_list", lambda t: t.Tensor([1, 2])),
    ("legacy_empty", lambda t: t.Tensor()),
    ("legacy_nested", lambda t: t.Tensor([[1, 2]])),
    ("legacy_tuple_is_data", lambda t: t.Tensor((2, 3))),
    ("legacy_numpy", lambda t: t.Tensor(np.array([1, 2]))),
    ("legacy_bool", lambda t: t.Tensor([True])),
    ("legacy_keeps_tensor_dtype", lambda t: t.Tensor(t.tensor([1, 2, 3]))),
    ("FloatTensor", lambda t: t.FloatTensor([1, 2])),
    ("FloatTensor_empty", lambda t: t.FloatTensor()),
    ("LongTensor", lambda t: t.LongTensor([1, 2])),
    ("LongTensor_truncates", lambda t: t.LongTensor([1.7, 2])),
    ("DoubleTensor", lambda t: t.DoubleTensor([1, 2])),
    ("BoolTensor", lambda t: t.BoolTensor([1, 0])),
    ("ByteTensor", lambda t: t.ByteTensor([1, 2])),
    ("HalfTensor", lambda t: t.HalfTensor([1.5])),
    ("BFloat16Tensor", lambda t: t.BFloat16Tensor([1.5])),
    ("CharTensor", lambda t: t.CharTensor([-1])),
    ("ShortTensor", lambda t: t.ShortTensor([3])),
    ("IntTensor", lambda t: t.IntTensor([1, 2])),
    ("type_FloatTensor", lambda t: t.tensor([1, 2]).type(t.FloatTensor)),
    ("type_DoubleTensor", lambda t: t.tensor([1.5, 2]).type(t.DoubleTensor)),
    ("type_name_double", lambda t: t.tensor([1.5, 2]).type("torch.DoubleTensor")),
    ("type_name_int", lambda t: t.tensor([1.5, 2]).type("torch.IntTensor")),
    ("type_dtype", lambda t: t.tensor([1.5, 2]).type(t.int64)),
    ("type_Tensor", lambda t: t.tensor([1, 2]).type(t.Tensor)),
    ("Variable", lambda t: t.autograd.Variable(t.tensor([1.0, 2.0]))),
    ("Variable_empty", lambda t: t.autograd.Variable()),
]

RANGE_CASES = [
    ("arange_int", lambda t: t.arange(5)),
    ("arange_float_end", lambda t: t.arange(5.0)),
    ("arange_start_end", lambda t: t.arange(1, 4)),
    ("arange_float_step", lambda t: t.arange(0, 1, 0.1)),
    ("arange_negative", lambda t: t.arange(10, 0, -1)),
    ("arange_negative_3", lambda t: t.arange(10, 0, -3)),
    ("arange_negative_float", lambda t: t.arange(0, -1, -0.25)),
    ("arange_half_step", lambda t: t.arange(1, 2.5, 0.5)),
    ("arange_rounding", lambda t: t.arange(-1.5, 1.5, 0.3)),
    ("arange_third", lambda t: t.arange(0, 1, 1 / 3)),
    ("arange_tiny_step", lambda t: t.arange(0.1, 0.35, 0.05)),
    ("arange_empty", lambda t: t.arange(1, 1)),
    ("arange_odd", lambda t: t.arange(-3, 3, 2)),
    ("arange_odd_down", lambda t: t.arange(3, -3, -2)),
    ("arange_int32", lambda t: t.arange(0, 5, dtype=t.int32)),
    ("arange_int64_float_end", lambda t: t.arange(0, 5.5, dtype=t.int64)),
    ("arange_int32_float_end", lambda t: t.arange(0, 5.5, dtype=t.int32)),
    ("arange_int64_float_start", lambda t: t.arange(0.5, 5, dtype=t.int64)),
    ("arange_int64_float_step", lambda t: t.arange(0, 5, 1.5, dtype=t.int64)),
    ("arange_float16", lambda t: t.arange(0, 5, dtype=t.float16)),
    ("arange_bfloat16", lambda t: t.arange(0, 3, 0.5, dtype=t.bfloat16)),
    ("arange_float64", lambda t: t.arange(0, 1, 0.1, dtype=t.float64)),
    ("arange_uint8", lambda t: t.arange(250, 255, dtype=t.uint8)),
    ("arange_tensor_end", lambda t: t.arange(t.tensor(5))),
    ("arange_tensor_float_end", lambda t: t.arange(t.tensor(5.0))),
    ("arange_tensor_start", lambda t: t.arange(t.tensor(2), 5)),
    ("arange_np_int", lambda t: t.arange(np.int64(3))),
    ("arange_np_float", lambda t: t.arange(np.float32(3))),
    ("arange_bool", lambda t: t.arange(True)),
    ("arange_bool_step", lambda t: t.arange(0, 4, True)),
    ("arange_keywords", lambda t: t.arange(start=1, end=3)),
    ("arange_end_keyword", lambda t: t.arange(end=3)),
    ("arange_long", lambda t: t.arange(0, 100, 0.7)),
    ("range_int", lambda t: t.range(0, 3)),
    ("range_step", lambda t: t.range(0, 1, 0.25)),
    ("range_int64", lambda t: t.range(0, 3, dtype=t.int64)),
    ("eye", lambda t: t.eye(3)),
    ("eye_rect", lambda t: t.eye(3, 2)),
    ("eye_wide", lambda t: t.eye(2, m=4)),
    ("eye_0", lambda t: t.eye(0)),
    ("eye_int", lambda t: t.eye(2, dtype=t.int64)),
    ("eye_bool", lambda t: t.eye(2, dtype=t.bool)),
    ("eye_tensor", lambda t: t.eye(t.tensor(2))),
    ("tril_indices", lambda t: t.tril_indices(3, 3)),
    ("tril_indices_offset", lambda t: t.tril_indices(3, 4, 1)),
    ("tril_indices_negative", lambda t: t.tril_indices(3, 4, -1)),
    ("tril_indices_big", lambda t: t.tril_indices(3, 3, 100)),
    ("tril_indices_int32", lambda t: t.tril_indices(3, 3, dtype=t.int32)),
    ("triu_indices", lambda t: t.triu_indices(3, 3)),
    ("triu_indices_offset", lambda t: t.triu_indices(4, 3, 1)),
    ("triu_indices_empty", lambda t: t.triu_indices(0, 3)),
    ("triu_indices_small", lambda t: t.triu_indices(3, 3, -100)),
    ("meshgrid_ij", lambda t: t.meshgrid(t.arange(2), t.arange(3), indexing="ij")),
    ("meshgrid_xy", lambda t: t.meshgrid(t.arange(2), t.arange(3), indexing="xy")),
    ("meshgrid_xy_3", lambda t: t.meshgrid(t.arange(2), t.arange(3), t.arange(4), indexing="xy")),
    ("meshgrid_list", lambda t: t.meshgrid([t.arange(2.0), t.arange(3.0)], indexing="ij")),
    ("meshgrid_0d", lambda t: t.meshgrid(t.tensor(2), t.arange(3), indexing="ij")),
    ("meshgrid_default", lambda t: t.meshgrid(t.arange(2), t.arange(3))),
]


@pytest.mark.parametrize("name,fn", TENSOR_CASES, ids=[c[0] for c in TENSOR_CASES])
def test_tensor_values(name, fn):
    check(fn, grad=False)


# Host data becomes a constant inside compiled code, so samples of the tensor() and legacy cases
# suffice there; the factories and ranges all run compiled too.
COMPILED_CASES = [c for c in TENSOR_CASES + FACTORY_CASES if c[0] in (
    "int", "list_float", "nested", "empty_rows", "tensors_0d", "tensor_0d_float64", "np_arrays_list",
    "np_transposed", "copy_of_tensor_dtype", "dtype_uint8_negative", "asarray_np_dtype", "legacy_list",
    "LongTensor_truncates", "type_name_double", "Variable")] + [
    c for c in FACTORY_CASES if c[0].split("_")[0] in ("zeros", "ones", "full", "new")] + RANGE_CASES


@pytest.mark.parametrize("name,fn", FACTORY_CASES + RANGE_CASES, ids=[c[0] for c in FACTORY_CASES + RANGE_CASES])
def test_values(name, fn):
    check(fn, grad=False)


def check_compiled_group(cases, **kw):
    """Compile a group of cases as one program (much faster than one program each); on a mismatch,
    rerun them one by one to name the failing case."""
    try:
        check(lambda t: tuple(fn(t) for _, fn in cases), mode="compiled", **kw)
    except AssertionError:
        for name, fn in cases:
            try:
                check(fn, mode="compiled", **kw)
            except AssertionError as e:
                raise AssertionError(f"{name}: {e}") from e
        raise


GROUP = 20


@pytest.mark.parametrize("start", range(0, len(COMPILED_CASES), GROUP),
                         ids=lambda i: "+".join(c[0] for c in COMPILED_CASES[i:i + GROUP][:2]) + "...")
def test_values_compiled(start):
    check_compiled_group(COMPILED_CASES[start:start + GROUP], grad=False)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", NP_DTYPES)
def test_numpy_dtypes(dtype, mode):
    makers = [lambda t, a: t.tensor(a), lambda t, a: t.from_numpy(a), lambda t, a: t.as_tensor(a),
              lambda t, a: t.asarray(a), lambda t, a: t.tensor(a[1:, ::2]), lambda t, a: t.tensor(a[0, 0])]
    if dtype == "uint64":
        makers.pop()  # torch.tensor(np.uint64(0)) raises "an integer is required" in torch itself
    for make in makers:
        check(lambda t: make(t, _np_array(dtype)), mode=mode, grad=False)


# ---- differentiable creation ops (values and gradients) ---------------------------------------------

GRAD_CASES = [
    ("tril", lambda t, a: t.tril(a), [arr(3, 4)]),
    ("tril_diag", lambda t, a: t.tril(a, 1), [arr(3, 3)]),
    ("tril_neg", lambda t, a: t.tril(a, diagonal=-1), [arr(2, 3, 3)]),
    ("tril_5d", lambda t, a: t.tril(a, 2), [arr(2, 1, 2, 3, 4)]),
    ("triu", lambda t, a: t.triu(a), [arr(4, 3)]),
    ("triu_diag", lambda t, a: t.triu(a, 1), [arr(2, 3, 3)]),
    ("tril_int", lambda t, a: t.tril(a), [arr(3, 3, dtype="int64")]),
    ("triu_float64", lambda t, a: a.triu(-1), [arr(3, 5, dtype="float64")]),
    ("tril_empty", lambda t, a: t.tril(a), [arr(0, 3)]),
    ("meshgrid_xy_grad", lambda t, a, b: t.meshgrid(a, b, indexing="xy"), [arr(2), arr(3)]),
    ("full_like", lambda t, a: t.full_like(a, 2.5) * a, [arr(2, 3, dtype="float64")]),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name,fn,inputs", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_differentiable(name, fn, inputs, mode):
    check(fn, *inputs, mode=mode)


# ---- linspace / logspace: exact values ---------------------------------------------------------------

# Few distinct step counts (each compiles once); start and end vary freely.
SPACE_ARGS = [(0, 1, 5), (-1, 1, 5), (1, 0, 5), (2, 2, 5), (-3.5, 9.25, 64), (1e-3, 1e3, 64), (-7.3, -2.1, 64),
              (0.1, 0.7, 1000), (3, 10, 1000), (0, 1, 0), (0.5, 1, 1), (3, 10, 2)]
SPACE_DTYPES = ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16"]


@pytest.mark.parametrize("dtype", SPACE_DTYPES)
def test_linspace_exact(dtype):
    for start, end, steps in SPACE_ARGS:
        same_bits(lambda t: t.linspace(start, end, steps, dtype=getattr(t, dtype)))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_linspace_exact_compiled(dtype):
    for start, end, steps in SPACE_ARGS[:8]:
        check(lambda t: t.linspace(start, end, steps, dtype=getattr(t, dtype)), mode="compiled", grad=False,
              rtol=0, atol=0)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "float16"])
@pytest.mark.parametrize("base", [10.0, 2.0, 3.7])
def test_logspace_exact(dtype, base):
    for start, end, steps in [(0, 2, 3), (-3, 3, 50), (0.5, 2.5, 3), (-1.3, 0.7, 11), (2, -2, 5), (0, 1, 1),
                              (0, 1, 0)]:
        same_bits(lambda t: t.logspace(start, end, steps, base=base, dtype=getattr(t, dtype)))


SPACE_CASES = [
    ("linspace_default", lambda t: t.linspace(0, 1, 5)),
    ("linspace_int_args", lambda t: t.linspace(3, 10, steps=5)),
    ("linspace_int_dtype", lambda t: t.linspace(3, 10, steps=5, dtype=t.int64)),
    ("linspace_int_truncates", lambda t: t.linspace(0.5, 10.7, 5, dtype=t.int64)),
    ("linspace_int_negative", lambda t: t.linspace(-0.5, -10.7, 5, dtype=t.int64)),
    ("linspace_uint8", lambda t: t.linspace(0, 1, 5, dtype=t.uint8)),
    ("linspace_complex", lambda t: t.linspace(0, 1j, 3)),
    ("linspace_complex_dtype", lambda t: t.linspace(0, 1, 3, dtype=t.complex64)),
    ("linspace_tensor_args", lambda t: t.linspace(t.tensor(0), t.tensor(1), 3)),
    ("linspace_tensor_steps", lambda t: t.linspace(0, 1, t.tensor(3))),
    ("linspace_single", lambda t: t.linspace(0.5, 1, 1, dtype=t.int64)),
    ("logspace_default", lambda t: t.logspace(0, 2, 3)),
    ("logspace_base2", lambda t: t.logspace(0, 2, 3, base=2)),
    ("logspace_negative_base", lambda t: t.logspace(0, 2, 3, base=-2)),
    ("logspace_complex", lambda t: t.logspace(0, 1j, 3)),
    ("logspace_single", lambda t: t.logspace(0.5, 2, 1, dtype=t.int64)),
]


@pytest.mark.parametrize("name,fn", SPACE_CASES, ids=[c[0] for c in SPACE_CASES])
def test_space_values(name, fn):
    check(fn, grad=False)


def test_space_values_compiled():
    check_compiled_group(SPACE_CASES, grad=False)


def test_default_dtype_float64():
    """A float64 default changes tensor(1.5), the float factories and promotion; restored after."""
    prev = jtorch.get_default_dtype()
    for lib in (torch, jtorch):
        lib.set_default_dtype(lib.float64)
    try:
        for fn in (lambda t: t.tensor(1.5), lambda t: t.tensor([1, 2.5]), lambda t: t.zeros(2), lambda t: t.ones(2),
                   lambda t: t.full((2,), 1.5), lambda t: t.arange(0.0, 1, 0.25), lambda t: t.linspace(0, 1, 7),
                   lambda t: t.rand(2) * 0, lambda t: t.randn(2) * 0, lambda t: t.eye(2), lambda t: t.tensor(1j),
                   lambda t: t.tensor([1, 2]) + 1.5, lambda t: t.Tensor([1, 2]), lambda t: t.empty(2) * 0,
                   lambda t: t.logspace(0, 1, 3), lambda t: t.scalar_tensor(2)):
            check(fn, grad=False)
        assert repr(jtorch.get_default_dtype()) == "torch.float64"
    finally:
        for lib in (torch, jtorch):
            lib.set_default_dtype(lib.float32)
    assert jtorch.get_default_dtype() is prev is jtorch.float32
    assert jtorch.tensor(1.5).dtype is jtorch.float32


# ---- metadata: identity, flags, legacy types ----------------------------------------------------------

META_CASES = [
    ("empty", lambda t: t.empty(2, 3)),
    ("empty_kw", lambda t: t.empty(size=(2, 3), dtype=t.int16)),
    ("empty_like", lambda t: t.empty_like(t.ones(2, 3, dtype=t.float64))),
    ("empty_strided", lambda t: t.empty_strided((2, 3), (3, 1))),
    ("new_empty", lambda t: t.ones(2, dtype=t.int32).new_empty(3)),
    ("new_sizes", lambda t: t.ones(2).new(2, 3)),
    ("new_size_obj", lambda t: t.ones(2).new(t.Size([2]))),
    ("legacy_sizes", lambda t: t.Tensor(2, 3)),
    ("legacy_size_obj", lambda t: t.Tensor(t.Size([2]))),
    ("legacy_device", lambda t: t.Tensor(2, device="cpu")),
    ("FloatTensor_sizes", lambda t: t.FloatTensor(2, 3)),
    ("LongTensor_sizes", lambda t: t.LongTensor(2)),
    ("legacy_type_is_plain", lambda t: type(t.FloatTensor([1])) is t.Tensor),
    ("legacy_not_subclass", lambda t: issubclass(t.FloatTensor, t.Tensor)),
    ("legacy_repr", lambda t: repr(t.FloatTensor)),
    ("legacy_dtype", lambda t: t.FloatTensor.dtype),
    ("legacy_cuda_repr", lambda t: repr(t.cuda.FloatTensor)),
    ("isinstance_float", lambda t: isinstance(t.ones(2), t.FloatTensor)),
    ("isinstance_long", lambda t: (isinstance(t.tensor([1]), t.FloatTensor), isinstance(t.tensor([1]), t.LongTensor))),
    ("isinstance_tensor", lambda t: isinstance(t.FloatTensor([1]), t.Tensor)),
    ("isinstance_cuda_type", lambda t: isinstance(t.ones(2), t.cuda.FloatTensor)),
    ("legacy_alias_is_new", lambda t: (lambda x: (t.Tensor(x) is x, t.FloatTensor(x) is x))(t.ones(2))),
    ("legacy_alias_shares", lambda t: (lambda x: (t.Tensor(x).add_(1), x.tolist())[1])(t.ones(2))),
    ("type_same_is_self", lambda t: (lambda x: (x.type(t.FloatTensor) is x, x.type(t.float32) is x))(t.ones(2))),
    ("type_strings", lambda t: [x.type() for x in (t.ones(1), t.tensor([1]), t.tensor([True]), t.tensor([1j]),
                                                   t.zeros(1, dtype=t.uint8), t.zeros(1, dtype=t.float16),
                                                   t.zeros(1, dtype=t.bfloat16), t.zeros(1, dtype=t.int8),
                                                   t.zeros(1, dtype=t.int16), t.zeros(1, dtype=t.int32),
                                                   t.zeros(1, dtype=t.float64), t.zeros(1, dtype=t.complex128),
                                                   t.zeros(1, dtype=t.uint16), t.zeros(1, dtype=t.uint32))]),
    ("Variable_is_new_leaf", lambda t: (lambda x: (t.autograd.Variable(x) is x,
                                                   t.autograd.Variable(x).requires_grad,
                                                   t.autograd.Variable(x * 2).is_leaf,
                                                   t.autograd.Variable(x, requires_grad=True).requires_grad))(
        t.ones(2, requires_grad=True))),
    ("Variable_isinstance", lambda t: isinstance(t.ones(2), t.autograd.Variable)),
    ("Variable_type", lambda t: type(t.autograd.Variable(t.ones(2))) is t.Tensor),
    ("requires_grad_factories", lambda t: [t.ones(2, requires_grad=True), t.zeros_like(t.ones(2), requires_grad=True),
                                           t.tensor([1.0], requires_grad=True), t.full((1,), 2.0, requires_grad=True),
                                           t.arange(3.0, requires_grad=True), t.eye(2, requires_grad=True),
                                           t.linspace(0, 1, 3, requires_grad=True),
                                           t.ones(2).new_zeros(2, requires_grad=True),
                                           t.tensor([1, 2], dtype=t.float64, requires_grad=True)]),
    ("tensor_of_tensor_detaches", lambda t: t.tensor(t.ones(2, requires_grad=True))),
    ("tensor_of_tensor_requires_grad", lambda t: t.tensor(t.ones(2), requires_grad=True)),
    ("as_tensor_identity", lambda t: (lambda x: (t.as_tensor(x) is x, t.as_tensor(x, device="cpu") is x,
                                                 t.as_tensor(x, dtype=t.float32) is x))(t.ones(2))),
    ("asarray_identity", lambda t: (lambda x: (t.asarray(x) is x, t.asarray(x, copy=True) is x))(t.ones(2))),
    ("asarray_requires_grad", lambda t: t.asarray([1.0, 2.0], requires_grad=True)),
    ("asarray_keeps_requires_grad", lambda t: t.asarray(t.ones(2, requires_grad=True))),
    ("default_device", lambda t: t.get_default_device()),
    ("factory_device", lambda t: [t.zeros(2, device=d).device for d in ("cpu", "cpu:0", t.device("cpu"))]),
    ("strided", lambda t: (t.strided, t.ones(2).layout)),
]


@pytest.mark.parametrize("name,fn", META_CASES, ids=[c[0] for c in META_CASES])
def test_meta(name, fn):
    same_meta(fn)


def test_from_numpy_is_a_copy():
    """Documented difference: from_numpy copies (JAX arrays are immutable), so later numpy writes are not seen."""
    a = np.ones(3, np.float32)
    t = jtorch.from_numpy(a)
    a[0] = 5
    assert t.tolist() == [1.0, 1.0, 1.0]


WARNING_CASES = [
    ("tensor_of_tensor", lambda t: t.tensor(t.ones(2))),
    ("new_tensor_of_tensor", lambda t: t.ones(2).new_tensor(t.ones(2))),
    ("range_deprecated", lambda t: t.range(0, 2)),
]


@pytest.mark.parametrize("name,fn", WARNING_CASES, ids=[c[0] for c in WARNING_CASES])
def test_warns_like_torch(name, fn):
    for lib in (torch, jtorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fn(lib)
        assert any(issubclass(w.category, UserWarning) for w in caught), lib.__name__


# ---- errors -------------------------------------------------------------------------------------------

ERROR_CASES = [
    ("overflow_int64", lambda t: t.tensor(2 ** 63), None),
    ("overflow_uint64_int", lambda t: t.tensor(2 ** 64), None),
    ("overflow_in_list", lambda t: t.tensor([2 ** 63]), None),
    ("ragged", lambda t: t.tensor([[1, 2], [3]]), None),
    ("ragged_long", lambda t: t.tensor([[1, 2], [3, 4, 5]]), None),
    ("ragged_deep", lambda t: t.tensor([[[1], [2]], [[3], [4, 5]]]), None),
    ("ragged_empty_second", lambda t: t.tensor([[1], []]), None),
    ("not_a_sequence", lambda t: t.tensor([[1, 2], 3]), None),
    ("not_a_sequence_float", lambda t: t.tensor([[1, 2], 3], dtype=t.float32), None),
    ("list_as_int", lambda t: t.tensor([1, [2, 3]]), None),
    ("list_as_float", lambda t: t.tensor([1.5, [2, 3]]), None),
    ("list_as_float_dtype", lambda t: t.tensor([1, [2, 3]], dtype=t.float32), None),
    ("string", lambda t: t.tensor("abc"), None),
    ("bytes", lambda t: t.tensor(b"ab"), None),
    ("string_in_list", lambda t: t.tensor(["a"]), None),
    ("string_after_int", lambda t: t.tensor([1, "a"]), None),
    ("string_nested", lambda t: t.tensor([[1, 2], [3, "a"]]), None),
    ("string_ragged", lambda t: t.tensor([[1, 2], ["a"]]), None),
    ("bytes_in_list", lambda t: t.tensor([b"ab"]), None),
    ("none", lambda t: t.tensor(None), None),
    ("none_in_list", lambda t: t.tensor([1, None]), None),
    ("none_nested", lambda t: t.tensor([[1, 2], [3, None]]), None),
    ("none_dtype", lambda t: t.tensor([None], dtype=t.float32), None),
    ("dict", lambda t: t.tensor({1: 2}), None),
    ("set", lambda t: t.tensor({1, 2}), None),
    ("generator", lambda t: t.tensor(x for x in range(3)), None),
    ("object", lambda t: t.tensor([object()]), None),
    ("np_0d_in_list", lambda t: t.tensor([np.array(3.5), 1]), None),
    ("np_strings", lambda t: t.tensor(np.array(["a"])), None),
    ("np_object", lambda t: t.tensor(np.array([1, "a"], dtype=object)), None),
    ("np_datetime", lambda t: t.tensor(np.datetime64(1, "s")), None),
    ("np_big_endian", lambda t: t.tensor(np.array([1, 2], dtype=">i4")), None),
    ("np_negative_strides", lambda t: t.tensor(np.arange(3)[::-1]), None),
    ("from_numpy_negative_strides", lambda t: t.from_numpy(np.arange(3)[::-1]), None),
    ("from_numpy_object", lambda t: t.from_numpy(np.array([1, 2], dtype=object)), None),
    ("from_numpy_list", lambda t: t.from_numpy([1, 2]), None),
    ("tensors_multi_element", lambda t: t.tensor([t.tensor([1, 2]), t.tensor([3, 4])]), None),
    ("tensor_multi_float", lambda t: t.tensor([t.tensor([1.5, 2.5])]), None),
    ("float_tensor_as_int", lambda t: t.tensor([t.tensor(1.5), t.tensor(2.5)], dtype=t.int64), None),
    ("overflow_uint8", lambda t: t.tensor([300], dtype=t.uint8), None),
    ("overflow_uint8_negative", lambda t: t.tensor([-256], dtype=t.uint8), None),
    ("overflow_uint8_float", lambda t: t.tensor([255.7], dtype=t.uint8), None),
    ("overflow_uint8_negative_float", lambda t: t.tensor([-0.5], dtype=t.uint8), None),
    ("overflow_int8", lambda t: t.tensor([128], dtype=t.int8), None),
    ("overflow_int8_low", lambda t: t.tensor([-129], dtype=t.int8), None),
    ("overflow_int32_float", lambda t: t.tensor([3e9], dtype=t.int32), None),
    ("overflow_int64_float", lambda t: t.tensor([1e20], dtype=t.int64), None),
    ("nan_to_int", lambda t: t.tensor([nan], dtype=t.int64), None),
    ("inf_to_int", lambda t: t.tensor([inf], dtype=t.int32), None),
    ("complex_to_float", lambda t: t.tensor([1 + 2j], dtype=t.float32), None),
    ("requires_grad_int", lambda t: t.tensor([1, 2], requires_grad=True), None),
    ("requires_grad_int_dtype", lambda t: t.tensor([1.0], dtype=t.int64, requires_grad=True), None),
    ("asarray_list_no_copy", lambda t: t.asarray([1, 2], copy=False), None),
    ("asarray_np_no_copy_dtype", lambda t: t.asarray(np.array([1.0, 2]), dtype=t.float32, copy=False), None),
    ("asarray_tensor_no_copy_dtype", lambda t: t.asarray(t.ones(2), dtype=t.float64, copy=False), None),
    ("asarray_requires_grad_int", lambda t: t.asarray([1, 2], requires_grad=True), None),
    ("asarray_string", lambda t: t.asarray("x"), None),
    ("asarray_ragged", lambda t: t.asarray([[1, 2], [3]]), None),
    ("zeros_float_vararg", lambda t: t.zeros(2, 3.0), None),
    ("zeros_float_in_tuple", lambda t: t.zeros((2, 3.0)), None),
    ("zeros_float_tensor_vararg", lambda t: t.zeros(2, t.tensor(3.0)), None),
    ("zeros_tuple_vararg", lambda t: t.zeros(2, (3,)), None),
    ("zeros_none_vararg", lambda t: t.zeros(2, None), None),
    ("zeros_float", lambda t: t.zeros(2.0), None),
    ("zeros_bool", lambda t: t.zeros(True), None),
    ("zeros_str", lambda t: t.zeros("a"), None),
    ("zeros_none", lambda t: t.zeros(None), None),
    ("zeros_vector_tensor", lambda t: t.zeros(t.tensor([3, 2])), None),
    ("zeros_no_size", lambda t: t.zeros(), None),
    ("zeros_two_tuples", lambda t: t.zeros((2,), (3,)), None),
    ("ones_two_tuples", lambda t: t.ones((2,), 3), None),
    ("zeros_size_twice", lambda t: t.zeros(2, size=(3,)), None),
    ("ones_no_size", lambda t: t.ones(), None),
    ("empty_no_size", lambda t: t.empty(), None),
    ("zeros_negative", lambda t: t.zeros(-1), None),
    ("zeros_negative_tuple", lambda t: t.zeros((2, -3)), None),
    ("ones_negative", lambda t: t.ones(2, -1), None),
    ("empty_negative", lambda t: t.empty((2, -1)), None),
    ("full_negative", lambda t: t.full((2, -1), 1), None),
    ("new_zeros_negative", lambda t: t.ones(2).new_zeros(-1), None),
    ("new_full_negative", lambda t: t.ones(2).new_full((-1,), 1), None),
    ("new_zeros_float", lambda t: t.ones(2).new_zeros(2, 3.0), None),
    ("new_zeros_no_size", lambda t: t.ones(2).new_zeros(), None),
    ("new_full_int_size", lambda t: t.tensor([1]).new_full(2, 2.5), None),
    ("new_ones_requires_grad_int", lambda t: t.tensor([1]).new_ones(2, requires_grad=True), None),
    ("zeros_requires_grad_int", lambda t: t.zeros(2, requires_grad=True, dtype=t.int64), None),
    ("ones_like_requires_grad_int", lambda t: t.ones_like(t.tensor([1]), requires_grad=True), None),
    ("zeros_like_list", lambda t: t.zeros_like([1, 2]), None),
    ("full_int_size", lambda t: t.full(2, 3), None),
    ("full_string", lambda t: t.full((2,), "a"), None),
    ("full_list_value", lambda t: t.full((2,), [1, 2]), None),
    ("full_overflow_uint8", lambda t: t.full((2,), 300, dtype=t.uint8), None),
    ("full_overflow_uint8_float", lambda t: t.full((2,), -1.0, dtype=t.uint8), None),
    ("full_overflow_int16", lambda t: t.full((2,), 40000, dtype=t.int16), None),
    ("full_overflow_int32", lambda t: t.full((2,), 3e9, dtype=t.int32), None),
    ("full_overflow_float", lambda t: t.full((2,), 1e300, dtype=t.float32), None),
    ("full_overflow_half", lambda t: t.full((2,), 1e5, dtype=t.float16), None),
    ("full_overflow_bfloat16", lambda t: t.full((2,), 1e300, dtype=t.bfloat16), None),
    ("full_overflow_complex", lambda t: t.full((2,), 1e300, dtype=t.complex64), None),
    ("full_nan_int", lambda t: t.full((2,), nan, dtype=t.int64), None),
    ("full_complex_to_float", lambda t: t.full((2,), 1j, dtype=t.float32), None),
    ("full_int64_overflow", lambda t: t.full((2,), 2 ** 63), None),
    ("full_like_overflow", lambda t: t.full_like(t.zeros(2, dtype=t.uint8), 300), None),
    ("full_like_overflow_int8", lambda t: t.full_like(t.zeros(2, dtype=t.int8), 200), None),
    ("fill_overflow", lambda t: t.zeros(2, dtype=t.uint8).fill_(300), None),
    ("fill_overflow_float", lambda t: t.zeros(2).fill_(1e300), None),
    ("arange_zero_step", lambda t: t.arange(0, 1, 0), None),
    ("arange_truncated_zero_step", lambda t: t.arange(0, 5, 0.5, dtype=t.int64), None),
    ("arange_wrong_sign", lambda t: t.arange(0, 1, -1), None),
    ("arange_backwards", lambda t: t.arange(1, 0), None),
    ("arange_negative_end", lambda t: t.arange(-5), None),
    ("arange_inf", lambda t: t.arange(0, inf), None),
    ("arange_nan", lambda t: t.arange(0, nan), None),
    ("arange_overflow", lambda t: t.arange(1e20), None),
    ("arange_bool", lambda t: t.arange(0, 5, dtype=t.bool), None),
    ("arange_complex", lambda t: t.arange(5, dtype=t.complex64), None),
    ("linspace_negative_steps", lambda t: t.linspace(0, 1, -1), None),
    ("linspace_float_steps", lambda t: t.linspace(0, 1, 2.5), None),
    ("linspace_no_steps", lambda t: t.linspace(0, 1), r"invalid combination of arguments"),
    ("linspace_bool", lambda t: t.linspace(0, 1, 5, dtype=t.bool), None),
    ("linspace_1d_start", lambda t: t.linspace(t.tensor([0]), 1, 3), None),
    ("linspace_1d_end", lambda t: t.linspace(0, t.tensor([0, 1]), 3), None),
    ("logspace_negative_steps", lambda t: t.logspace(0, 2, -1), None),
    ("eye_negative", lambda t: t.eye(-1), None),
    ("eye_negative_m", lambda t: t.eye(2, -1), None),
    ("eye_float", lambda t: t.eye(2.0), None),
    ("eye_float_m", lambda t: t.eye(3, 2.0), None),
    ("tril_1d", lambda t: t.tril(t.ones(3)), None),
    ("triu_0d", lambda t: t.triu(t.tensor(1.0)), None),
    ("tril_indices_negative_row", lambda t: t.tril_indices(-1, 3), None),
    ("tril_indices_negative_col", lambda t: t.tril_indices(3, -1), None),
    ("tril_indices_float_dtype", lambda t: t.tril_indices(3, 3, dtype=t.float32), None),
    ("tril_indices_int16", lambda t: t.tril_indices(3, 3, dtype=t.int16), None),
    ("tril_indices_float_offset", lambda t: t.tril_indices(3, 3, 0.5), None),
    ("tril_indices_float_row", lambda t: t.tril_indices(3.0, 3), None),
    ("meshgrid_bad_indexing", lambda t: t.meshgrid(t.arange(2), t.arange(3), indexing="foo"), None),
    ("meshgrid_2d", lambda t: t.meshgrid(t.ones(2, 2), indexing="ij"), r"Expected 0D or 1D tensor in the tensor list"),
    ("meshgrid_empty", lambda t: t.meshgrid(indexing="ij"), None),
    ("meshgrid_empty_list", lambda t: t.meshgrid([]), None),
    ("meshgrid_dtypes", lambda t: t.meshgrid(t.arange(2), t.arange(3.0), indexing="ij"), None),
    ("legacy_float", lambda t: t.Tensor(2.5), None),
    ("legacy_negative", lambda t: t.Tensor(-1), None),
    ("legacy_dtype_kw", lambda t: t.Tensor(2, 3, dtype=t.float64), r""),
    ("legacy_typed_wrong_tensor", lambda t: t.IntTensor(t.ones(2)), r"expected"),
    ("new_wrong_tensor", lambda t: t.ones(2).new(t.tensor([1])), r"expected"),
    ("type_bad_name", lambda t: t.ones(2).type("torch.float64"), None),
    ("type_unknown_name", lambda t: t.ones(2).type("torch.FooTensor"), None),
    ("type_python_type", lambda t: t.ones(2).type(int), None),
    ("type_numpy_type", lambda t: t.ones(2).type(np.float32), None),
    ("Variable_list", lambda t: t.autograd.Variable([1, 2]), None),
    ("Variable_int_requires_grad", lambda t: t.autograd.Variable(t.tensor([1]), requires_grad=True), None),
]


@pytest.mark.parametrize("name,fn,match", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_errors(name, fn, match):
    same_error(fn, match)
