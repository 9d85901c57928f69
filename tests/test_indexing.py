"""Indexing parity with PyTorch: getitem/setitem over every index kind, views that alias their base,
autograd through assignment, the gather/scatter/index_*/masked_*/take/put family, and errors."""
import numpy as np
import pytest

from parity import MODES, arr, assert_same, check, check_error, torch

import jtorch

pytestmark = [pytest.mark.filterwarnings("ignore:Using a non-tuple sequence"),
              pytest.mark.filterwarnings("ignore:indexing with dtype torch.uint8"),
              pytest.mark.filterwarnings("ignore:index_reduce\\(\\) is in beta"),
              pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter")]


def ints(*values):
    return np.array(values, dtype=np.int64)


def scalar(value, dtype="float32"):
    return np.array(value, dtype)


def mask(*shape, seed=3):
    return arr(*shape, dtype="bool", seed=seed)


def _run(fn, inputs, opts, mode):
    if opts.get("eager") and mode == "compiled":
        pytest.skip("data-dependent output shape")
    check(fn, *inputs, mode=mode, grad=opts.get("grad", True))


X = arr(2, 3, 4, 5)
I2 = ints(0, 1)
J21 = ints(0, 2).reshape(2, 1)

EAGER = {"eager": True}  # data-dependent output shape: cannot be compiled
NOGRAD = {"grad": False}

# (name, fn, inputs, options). Index arrays passed as inputs are traced in compiled mode.
GETITEM = [
    ("int", lambda t, x: x[1], [X], {}),
    ("neg_int", lambda t, x: x[-1, -2], [X], {}),
    ("slice", lambda t, x: x[1:, ::2], [X], {}),
    ("slice_clamp", lambda t, x: x[:, -10:10, 1:100:3], [X], {}),
    ("empty_slice", lambda t, x: x[:, 2:1], [X], {}),
    ("none", lambda t, x: x[None, :, None], [X], {}),
    ("ellipsis", lambda t, x: x[..., 1], [X], {}),
    ("ellipsis_middle", lambda t, x: x[0, ..., 2:], [X], {}),
    ("empty_tuple", lambda t, x: x[()], [X], {}),
    ("int_0d", lambda t, x: x[0], [arr(4)], {}),
    ("scalar_ellipsis", lambda t, x: x[...], [scalar(2.5)], {}),
    ("bool_true", lambda t, x: x[True], [X], {}),
    ("bool_false", lambda t, x: x[False], [X], {}),
    ("bool_in_tuple", lambda t, x: x[0, True, 1:], [X], {}),
    ("tensor_0d", lambda t, x, i: x[i], [X, np.array(1)], {}),
    ("tensor_0d_tuple", lambda t, x, i, j: x[:, i, j], [X, np.array(2), ints(0, 3)], {}),
    ("tensor_1d", lambda t, x, i: x[i], [X, ints(1, 0, 1)], {}),
    ("tensor_neg", lambda t, x, i: x[:, i], [X, ints(-1, 0, -3)], {}),
    ("tensor_2d", lambda t, x, i: x[:, :, i], [X, ints(0, 3, 1, 1).reshape(2, 2)], {}),
    ("tensor_int32", lambda t, x, i: x[i], [X, np.array([1, 0], np.int32)], {}),
    ("tensor_empty", lambda t, x, i: x[:, i], [X, ints()], {}),
    ("adjacent", lambda t, x, i, j: x[:, i, j], [X, I2, J21], {}),
    ("separated", lambda t, x, i, j: x[i, :, j], [X, I2, J21], {}),
    ("separated_by_slice", lambda t, x, i, j: x[:, i, :, j], [X, I2, J21], {}),
    ("int_then_adv", lambda t, x, i, j: x[0, i, :, j], [X, I2, J21], {}),
    ("int_between_adv", lambda t, x, i: x[:, 0, :, i], [X, I2], {}),
    ("adv_int_adjacent", lambda t, x, i: x[:, i, 0], [X, I2], {}),
    ("none_between_adv", lambda t, x, i, j: x[None, i, None, j], [X, I2, J21], {}),
    ("ellipsis_adv_slice", lambda t, x, i: x[..., i, 1:], [X, I2], {}),
    ("three_adv", lambda t, x, i, j: x[i, j, j], [X, I2, J21], {}),
    ("dup_indices", lambda t, x, i: x[i], [arr(4, 3), ints(2, 2, 0, 2)], {}),
    ("list", lambda t, x: x[[1, 0, 1]], [X], {}),
    ("list_nested_tuple", lambda t, x: x[[[0, 1], [1, 2]]], [X], {}),
    ("list_of_tensors", lambda t, x: x[[t.tensor(0), t.tensor([1, 2])]], [X], {}),
    ("tuple_list", lambda t, x: x[0, [1, 2], :, [0, 4]], [X], {}),
    ("numpy_array", lambda t, x: x[np.array([1, 0])], [X], {}),
    ("numpy_int", lambda t, x: x[np.int64(1), np.int32(2)], [X], {}),
    ("float64", lambda t, x, i: x[i, 1:], [arr(4, 3, dtype="float64"), ints(3, 0)], {}),
    ("int64_src", lambda t, x, i: x[i], [arr(5, 2, dtype="int64", low=-9, high=9), ints(4, 0)], {}),
    ("bool_src", lambda t, x, i: x[:, i], [mask(3, 4), ints(0, 0, 3)], {}),
    ("empty_src", lambda t, x, i: x[i], [arr(0, 3), ints()], {}),
    ("mask_full", lambda t, x, m: x[m], [arr(3, 4), mask(3, 4)], EAGER),
    ("mask_leading", lambda t, x, m: x[m], [X, mask(2, 3)], EAGER),
    ("mask_after_slice", lambda t, x, m: x[:, m], [X, mask(3)], EAGER),
    ("mask_then_slice", lambda t, x, m: x[m, 1:3], [X, mask(2, 3)], EAGER),
    ("mask_and_index", lambda t, x, m, i: x[m, :, i], [arr(3, 4, 2), mask(3, seed=4), ints(1)], EAGER),
    ("mask_numpy", lambda t, x: x[:, np.array([True, False, False, True])], [arr(3, 4)], EAGER),
    ("mask_0d", lambda t, x, m: x[m], [arr(3), np.array(True)], EAGER),
    ("mask_0d_false", lambda t, x, m: x[m, 1], [arr(3), np.array(False)], EAGER),
    ("mask_uint8", lambda t, x, m: x[m], [arr(3, 2), np.array([1, 0, 1], np.uint8)], EAGER),
    ("mask_5d", lambda t, x, m: x[m], [arr(2, 1, 3, 1, 2), mask(2, 1, 3, 1, 2)], EAGER),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name,fn,inputs,opts", GETITEM, ids=[c[0] for c in GETITEM])
def test_getitem(name, fn, inputs, opts, mode):
    _run(fn, inputs, opts, mode)


def _set(index, value=None):
    """A case body: ``y = x * 1`` (so gradients reach ``x``), ``y[index] = value``, return ``y``."""
    def fn(t, x, *rest):
        y = x * 1 if x.dtype.is_floating_point else x.clone()
        idx = index(t, *rest[1:]) if value is None else index(t, *rest)
        y[idx] = rest[0] if value is None else value
        return y
    return fn


SETITEM = [
    ("int_number", _set(lambda t: 1, 7.5), [arr(3, 4)], {}),
    ("int_tensor", _set(lambda t: -1), [arr(3, 4), arr(4)], {}),
    ("slice_broadcast", _set(lambda t: (slice(None), slice(1, 3))), [arr(3, 4), arr(2)], {}),
    ("slice_leading_ones", _set(lambda t: slice(0, 2)), [arr(3, 4), arr(1, 1, 4)], {}),
    ("ellipsis", _set(lambda t: (1, Ellipsis)), [arr(3, 4), arr(4)], {}),
    ("none", _set(lambda t: None), [arr(3, 4), arr(3, 4)], {}),
    ("true", _set(lambda t: True), [arr(3, 4), arr(4)], {}),
    ("false", _set(lambda t: False), [arr(3, 4), arr(4)], {}),
    ("cast_float64_value", _set(lambda t: 1), [arr(3, 4), arr(4, dtype="float64")], {}),
    ("int_into_long", _set(lambda t: 0, -2.7), [arr(4, dtype="int64")], {}),
    ("into_bool", _set(lambda t: 1, 5), [mask(3)], {}),
    ("index_number", _set(lambda t, i: i, -1.0), [arr(5, 2), ints(0, 3)], {}),
    ("index_tensor", _set(lambda t, i: i), [arr(5, 2), arr(2, 2), ints(4, 1)], {}),
    ("index_0d_tensor", _set(lambda t, i: i), [arr(3, 4), arr(4), np.array(2)], {}),
    ("index_leading_ones", _set(lambda t, i: i), [arr(3, 4), arr(1, 1, 2, 4), ints(0, 1)], {}),
    ("index_neg", _set(lambda t, i: i, 0.0), [arr(4), ints(-1, -4)], {}),
    ("index_dup_last_wins", _set(lambda t, i: i), [arr(3), arr(3), ints(0, 0, 0)], {}),
    ("index_dup_2d", _set(lambda t, i, j: (i, j)), [arr(3, 3), arr(4), ints(0, 1, 0, 1), ints(2, 2, 2, 2)], {}),
    ("adjacent", _set(lambda t, i, j: (slice(None), i, j)), [X, arr(2, 2, 2, 5), I2, J21], {}),
    ("separated", _set(lambda t, i, j: (i, slice(None), j)), [X, arr(2, 2, 3, 5), I2, J21], {}),
    ("int_between_adv", _set(lambda t, i: (slice(None), 0, slice(None), i)), [X, arr(2, 4, 2), I2], {}),
    ("list_index", _set(lambda t: [0, 2], 1.0), [arr(3, 2)], {}),
    ("bool_index_tuple", _set(lambda t, i: (True, i)), [arr(3, 2), arr(2, 2), ints(0, 2)], {}),
    ("int64_target", _set(lambda t, i: i), [arr(4, dtype="int64"), ints(9, 8), ints(1, 3)], {}),
    ("empty_index", _set(lambda t, i: i, 5.0), [arr(3, 2), ints()], {}),
    ("mask_number", _set(lambda t, m: m, 0.0), [arr(3, 4), mask(3, 4)], {}),
    ("mask_leading_number", _set(lambda t, m: m, -1.0), [arr(3, 4), mask(3)], {}),
    ("mask_row_value", _set(lambda t, m: m), [arr(3, 4), arr(4), mask(3)], {}),
    ("mask_0d_tensor_value", _set(lambda t, m: m), [arr(3, 4), scalar(2.0), mask(3, 4)], {}),
    ("mask_after_slice", _set(lambda t, m: (slice(None), m)), [arr(3, 4), arr(3, 1), mask(4)], {}),
    ("mask_per_element", _set(lambda t, m: m), [arr(6), arr(int(mask(6).sum())), mask(6)], {}),
    ("mask_per_row", _set(lambda t, m: m), [arr(3, 2), arr(int(mask(3).sum()), 2), mask(3)], {}),
    ("mask_int_target", _set(lambda t, m: m, 3), [arr(4, dtype="int64"), mask(4)], {}),
    ("mask_with_index", _set(lambda t, m, i: (m, i), 9.0), [arr(3, 4), mask(3, seed=4), ints(1)], EAGER),
    ("mask_5d", _set(lambda t, m: m, 1.0), [arr(2, 1, 3, 1, 2), mask(2, 1, 3, 1, 2)], {}),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name,fn,inputs,opts", SETITEM, ids=[c[0] for c in SETITEM])
def test_setitem(name, fn, inputs, opts, mode):
    _run(fn, inputs, opts, mode)


F = arr(3, 4)
IDX = ints(2, 0, 1, 0, 2, 1).reshape(2, 3)
SRC = arr(2, 3, seed=5)
UNIQ = ints(2, 0, 1, 3, 1, 2, 0, 3).reshape(2, 4)

FUNCS = [
    ("gather", lambda t, x, i: t.gather(x, 1, i), [F, IDX], {}),
    ("gather_neg_dim", lambda t, x, i: x.gather(-1, i), [arr(2, 3, 4), ints(3, 0).reshape(1, 1, 2)], {}),
    ("gather_0d", lambda t, x, i: x.gather(0, i), [scalar(2.0), np.array(0)], {}),
    ("gather_empty", lambda t, x, i: x.gather(1, i), [F, ints().reshape(3, 0)], {}),
    ("gather_int64", lambda t, x, i: x.gather(1, i), [arr(3, 4, dtype="int64"), IDX], {}),
    ("scatter_src", lambda t, x, i, s: t.scatter(x, 1, i, s), [F, UNIQ[:, :3], SRC], {}),
    ("scatter_value", lambda t, x, i: x.scatter(0, i, 2.5), [F, ints(1, 2, 0, 2).reshape(1, 4)], {}),
    ("scatter_larger_src", lambda t, x, i, s: x.scatter(1, i, s), [F, ints(3, 1).reshape(1, 2), arr(2, 5)], NOGRAD),
    ("scatter_reduce_add", lambda t, x, i: x.scatter(1, i, 2.0, reduce="add"), [F, IDX], NOGRAD),
    ("scatter_reduce_multiply", lambda t, x, i, s: x.scatter(1, i, s, reduce="multiply"), [F, IDX, SRC], NOGRAD),
    ("scatter_", lambda t, x, i, s: (x * 1).scatter_(1, i, s), [F, UNIQ[:, :3], SRC], {}),
    ("scatter_add", lambda t, x, i, s: t.scatter_add(x, 1, i, s), [F, IDX, SRC], {}),
    ("scatter_add_int", lambda t, x, i, s: x.scatter_add(1, i, s),
     [arr(3, 4, dtype="int64"), IDX, arr(2, 3, dtype="int64")], {}),
]
for _r, _inc in (("sum", True), ("sum", False), ("prod", True), ("prod", False), ("mean", True), ("mean", False),
                 ("amax", False), ("amin", True)):
    FUNCS.append((f"scatter_reduce_{_r}_{_inc}", lambda t, x, i, s, r=_r, inc=_inc: x.scatter_reduce(
        1, i, s, r, include_self=inc), [F, IDX, SRC], {}))
FUNCS += [
    ("scatter_reduce_prod_zeros", lambda t, x, i, s: x.scatter_reduce(1, i, s, "prod"),
     [np.array([[0., 2, 3], [1, 0, 0]], np.float32), ints(0, 0, 1, 2, 2, 2).reshape(2, 3),
      np.array([[0., 4, 5], [0, 0, 6]], np.float32)], {}),
    ("scatter_reduce_amax_ties", lambda t, x, i, s: x.scatter_reduce(0, i, s, "amax"),
     [np.array([1., 5, 0], np.float32), ints(0, 0, 1, 1), np.array([5., 2, 5, 5], np.float32)], {}),
    ("scatter_reduce_mean_int", lambda t, x, i, s: x.scatter_reduce(0, i, s, "mean", include_self=False),
     [ints(0, -3, 7), ints(1, 1, 2), ints(2, -5, 4)], {}),
    ("scatter_reduce_", lambda t, x, i, s: (x * 1).scatter_reduce_(1, i, s, "sum"), [F, IDX, SRC], {}),
    ("index_select", lambda t, x, i: t.index_select(x, 1, i), [F, ints(3, 0, 3)], {}),
    ("index_select_0d_index", lambda t, x, i: x.index_select(0, i), [F, np.array(2)], {}),
    ("index_select_int32", lambda t, x, i: x.index_select(-1, i), [arr(2, 3, 4), np.array([1, 1], np.int32)], {}),
    ("index_select_0d_src", lambda t, x, i: x.index_select(0, i), [scalar(3.0), ints(0)], {}),
    ("index_select_empty", lambda t, x, i: x.index_select(0, i), [F, ints()], {}),
    ("index_add", lambda t, x, i, s: t.index_add(x, 0, i, s, alpha=2.0), [F, ints(2, 0, 2), arr(3, 4, seed=1)], {}),
    ("index_add_", lambda t, x, i, s: (x * 1).index_add_(1, i, s), [F, ints(1, 1), arr(3, 2, seed=1)], {}),
    ("index_add_int", lambda t, x, i, s: x.index_add(0, i, s, alpha=3),
     [arr(3, dtype="int64"), ints(0, 0), ints(4, 5)], {}),
    ("index_copy", lambda t, x, i, s: t.index_copy(x, 1, i, s), [F, ints(3, 0), arr(3, 2, seed=1)], {}),
    ("index_copy_", lambda t, x, i, s: (x * 1).index_copy_(0, i, s), [F, ints(1), arr(1, 4, seed=1)], {}),
    ("index_fill", lambda t, x, i: t.index_fill(x, 1, i, -1.0), [F, ints(3, 0, 3)], {}),
    ("index_fill_neg", lambda t, x, i: x.index_fill(1, i, 2), [arr(3, 4, dtype="int64"), ints(-1)], {}),
    ("index_fill_tensor", lambda t, x, i, v: x.index_fill(0, i, v), [F, ints(2, 2), scalar(4.0)], {}),
    ("index_put", lambda t, x, i, j, v: t.index_put(x, (i, j), v), [F, ints(0, 2), ints(3, 1), arr(2, seed=3)], {}),
    ("index_put_accumulate", lambda t, x, i, v: x.index_put((i,), v, accumulate=True),
     [F, ints(0, 0, 2), arr(3, 4, seed=3)], {}),
    ("index_put_0d_value", lambda t, x, i, v: x.index_put([i], v), [F, ints(1), scalar(8.0)], {}),
    ("index_put_", lambda t, x, i, v: (x * 1).index_put_((i,), v), [F, ints(2), arr(4, seed=3)], {}),
    ("index_put_mask", lambda t, x, m, v: x.index_put((m,), v), [F, mask(3, 4), scalar(8.0)], {}),
    ("index_put_mask_accumulate", lambda t, x, m, v: x.index_put((m,), v, True), [F, mask(3), arr(4)], {}),
]
for _r in ("prod", "mean", "amin"):
    FUNCS.append((f"index_reduce_{_r}", lambda t, x, i, s, r=_r: x.index_reduce(0, i, s, r),
                  [F, ints(2, 0, 2), arr(3, 4, seed=2)], {}))
FUNCS += [
    ("index_reduce_no_self", lambda t, x, i, s: x.index_reduce(1, i, s, "amax", include_self=False),
     [F, ints(1, 1), arr(3, 2, seed=2)], {}),
    ("index_reduce_", lambda t, x, i, s: (x * 1).index_reduce_(0, i, s, "prod"), [F, ints(1), arr(1, 4)], {}),
    ("masked_fill", lambda t, x, m: t.masked_fill(x, m, -2.0), [F, mask(3, 4)], {}),
    ("masked_fill_broadcast_mask", lambda t, x, m: x.masked_fill(m, 1), [F, mask(4)], {}),
    ("masked_fill_bigger_mask", lambda t, x, m: x.masked_fill(m, 1.0), [arr(4), mask(2, 4)], {}),
    ("masked_fill_tensor_value", lambda t, x, m, v: x.masked_fill(m, v), [F, mask(3, 4), scalar(7.0)], {}),
    ("masked_fill_int", lambda t, x, m: x.masked_fill(m, 2.7), [arr(5, dtype="int64"), mask(5)], {}),
    ("masked_fill_bool", lambda t, x, m: x.masked_fill(m, True), [mask(5, seed=2), mask(5)], {}),
    ("masked_fill_", lambda t, x, m: (x * 1).masked_fill_(m, 0.0), [arr(2, 1, 3, 1, 2), mask(3, 1, 2)], {}),
    ("masked_fill_0d", lambda t, x, m: x.masked_fill(m, 1.0), [scalar(3.0), np.array(True)], {}),
    ("masked_select", lambda t, x, m: t.masked_select(x, m), [F, mask(3, 4)], EAGER),
    ("masked_select_broadcast", lambda t, x, m: x.masked_select(m), [arr(4), mask(3, 4)], EAGER),
    ("masked_scatter", lambda t, x, m, s: t.masked_scatter(x, m, s), [F, mask(3, 4), arr(12, seed=1)], {}),
    ("masked_scatter_broadcast", lambda t, x, m, s: x.masked_scatter(m, s), [arr(2, 3), mask(3), arr(2, 3)], {}),
    ("masked_scatter_", lambda t, x, m, s: (x * 1).masked_scatter_(m, s), [F, mask(3, 4), arr(3, 5)], {}),
    ("nonzero", lambda t, x: t.nonzero(x), [arr(3, 4, dtype="int64", low=0, high=1)], EAGER),
    ("nonzero_tuple", lambda t, x: x.nonzero(as_tuple=True), [mask(2, 3, 2)], EAGER),
    ("nonzero_0d", lambda t, x: t.nonzero(x), [scalar(1.0)], EAGER),
    ("nonzero_0d_tuple", lambda t, x: t.nonzero(x, as_tuple=True), [scalar(0.0)], EAGER),
    ("nonzero_empty", lambda t, x: t.nonzero(x), [arr(0, 3)], EAGER),
    ("argwhere", lambda t, x: t.argwhere(x), [mask(2, 3)], EAGER),
    ("take", lambda t, x, i: t.take(x, i), [F, ints(0, 11, -1, 3).reshape(2, 2)], {}),
    ("take_dup", lambda t, x, i: x.take(i), [arr(2, 2), ints(1, 1, 3)], {}),
    ("take_along_dim", lambda t, x, i: t.take_along_dim(x, i, 1), [F, ints(3, 0, 1).reshape(3, 1)], {}),
    ("take_along_dim_broadcast", lambda t, x, i: x.take_along_dim(i, 0),
     [arr(3, 1, 4), ints(2, 0, 1, 1).reshape(1, 2, 2, 1)[0]], {}),
    ("take_along_dim_flat", lambda t, x, i: t.take_along_dim(x, i), [F, ints(11, 0, 5)], {}),
    ("put", lambda t, x, i, s: t.put(x, i, s), [F, ints(0, 5, -1), arr(3, seed=1)], {}),
    ("put_accumulate", lambda t, x, i, s: x.put(i, s, accumulate=True), [F, ints(5, 5, 0), arr(3, seed=1)], {}),
    ("put_", lambda t, x, i, s: (x * 1).put_(i, s), [F, ints(7, 2).reshape(2, 1), arr(1, 2, seed=1)], {}),
    ("put_dup", lambda t, x, i, s: x.put(i, s), [F, ints(4, 4, 4), arr(3, seed=1)], {}),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name,fn,inputs,opts", FUNCS, ids=[c[0] for c in FUNCS])
def test_functions(name, fn, inputs, opts, mode):
    _run(fn, inputs, opts, mode)


# ---------------------------------------------------------------- views alias their base
VIEW_INDICES = [
    ("int", lambda x: x[1]),
    ("int_pair", lambda x: x[1, 2]),
    ("slice", lambda x: x[:, 1:3]),
    ("step", lambda x: x[::2, :, 1::2]),
    ("none", lambda x: x[None, 0]),
    ("ellipsis", lambda x: x[...]),
    ("ellipsis_int", lambda x: x[..., 1]),
    ("full_slice", lambda x: x[:]),
    ("tensor_0d", lambda x: x[:, x.new_tensor(2, dtype=_long(x))]),
    ("numpy_int", lambda x: x[np.int64(1), :, None]),
]


def _long(x):
    return jtorch.int64 if isinstance(x, jtorch.Tensor) else torch.int64


def _layout(t):
    return tuple(t.shape), tuple(t.stride()), t.storage_offset(), t.is_contiguous()


@pytest.mark.parametrize("name,op", VIEW_INDICES, ids=[v[0] for v in VIEW_INDICES])
def test_basic_index_is_view(name, op):
    def run(t):
        x = t.tensor(arr(2, 3, 4))
        v = op(x)
        layout, is_view = _layout(v), v._is_view()
        v.mul_(10)
        x.add_(1)
        before = x._version
        x[0, 0, 0] = 100.0
        return layout, is_view, x, v, before, x._version, v._version
    expected, actual = run(torch), run(jtorch)
    assert expected[:2] == actual[:2]
    assert_same(expected[2:], actual[2:])


@pytest.mark.parametrize("index", [[0, 1], (slice(None), [1]), True], ids=["list", "slice_list", "true"])
def test_advanced_index_is_copy(index):
    def run(t):
        x = t.tensor(arr(2, 3))
        v = x[index]
        v.add_(5)
        return v._is_view(), x, v
    expected, actual = run(torch), run(jtorch)
    assert expected[0] == actual[0]
    assert_same(expected[1:], actual[1:])


def test_write_through_indexed_views():
    def run(t):
        x = t.zeros(3, 4)
        x[0].add_(1)
        x[1:, ::2].fill_(2)
        x[..., -1] = t.tensor([7.0, 8.0, 9.0])
        row = x[2]
        x[2, 1] = 5.0
        return x, row, x._version
    assert_same(run(torch), run(jtorch))


def test_setitem_on_view_reaches_base():
    def run(t):
        x = t.zeros(3, 4)
        v = x[1:]
        v[[0, 1], [3, 0]] = t.tensor([1.0, 2.0])
        v[v > 1.5] = -1.0
        return x, v, x._version
    assert_same(run(torch), run(jtorch))


# ---------------------------------------------------------------- autograd through setitem
def test_setitem_makes_target_require_grad():
    def run(t):
        w = t.tensor([1.0, 2.0], requires_grad=True)
        x = t.zeros(4)
        x[t.tensor([3, 0])] = w * 2
        y = t.zeros(2, 3)
        y[0] = w.sum()
        y[1, :2] = w
        (x * t.arange(4.0)).sum().backward(retain_graph=True)
        g1 = w.grad.clone()
        (y * t.arange(6.0).reshape(2, 3)).sum().backward()
        return x.requires_grad, y.requires_grad, g1, w.grad
    assert_same(run(torch), run(jtorch))


def test_setitem_duplicates_gradient():
    def run(t):
        w = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        x = t.zeros(3)
        x[[0, 0, 1]] = w
        x.sum().backward()
        return x, w.grad
    assert_same(run(torch), run(jtorch))


def test_setitem_mask_gradient():
    def run(t):
        a = t.tensor([[1.0, -2.0], [-3.0, 4.0]], requires_grad=True)
        w = t.tensor(5.0, requires_grad=True)
        y = a * 1
        y[y < 0] = w
        (y * t.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
        return y, a.grad, w.grad
    assert_same(run(torch), run(jtorch))


def test_gather_and_index_select_duplicates_accumulate():
    def run(t):
        x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        total = x.gather(0, t.tensor([0, 0, 2])).sum() + x.index_select(0, t.tensor([2, 2])).sum()
        (total + x[[1, 1]].sum()).backward()
        return x.grad
    assert_same(run(torch), run(jtorch))


def test_masked_fill_blocks_gradient():
    def run(t):
        x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        v = t.tensor(4.0, requires_grad=True)
        (x.masked_fill(t.tensor([True, False, True]), v) * t.tensor([1.0, 2.0, 3.0])).sum().backward()
        return x.grad, v.grad
    assert_same(run(torch), run(jtorch))


def test_setitem_version_and_saved_tensor_check():
    def run(t):
        a = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = a * 1
        c = b * b
        v0 = b._version
        b[0] = 5.0
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            c.sum().backward()
        return b._version - v0
    assert run(torch) == run(jtorch)


def test_contains():
    def run(t):
        x = t.arange(12.0).reshape(3, 4)
        return (3 in x, 100 in x, 2.5 in x, t.tensor(5.0) in x, t.tensor([8.0, 1.0, 2.0, 3.0]) in x,
                True in t.tensor([False, True]))
    assert run(torch) == run(jtorch)


# ---------------------------------------------------------------- errors
def _assign(index, value):
    def fn(t, x):
        x[index(t) if callable(index) else index] = value(t) if callable(value) else value
    return fn


ERRORS = [
    ("oob", lambda t, x: x[3], r"index 3 is out of bounds for dimension 0 with size 3"),
    ("oob_neg", lambda t, x: x[-4], r"index -4 is out of bounds for dimension 0 with size 3"),
    ("oob_real_dim", lambda t, x: x[None, :, 9], r"index 9 is out of bounds for dimension 2 with size 4"),
    ("too_many", lambda t, x: x[0, 0, 0], r"too many indices for tensor of dimension 2"),
    ("too_many_mask", lambda t, x: x[0, t.ones(4, 1, dtype=t.bool)], r"too many indices for tensor of dimension 2"),
    ("zero_dim_int", lambda t, x: x[0][0][0], r"invalid index of a 0-dim tensor"),
    ("neg_step", lambda t, x: x[::-1], r"step must be greater than zero"),
    ("zero_step", lambda t, x: x[:, ::0], r"slice step cannot be zero"),
    ("float_index", lambda t, x: x[1.0], r"only integers, slices .* \(got float\)"),
    ("float_tensor_index", lambda t, x: x[t.tensor([0.0])], r"tensors used as indices must be long, int, byte or bool"),
    ("float_0d_index", lambda t, x: x[t.tensor(1.0)], r"tensors used as indices must be long, int, byte or bool"),
    ("int16_index", lambda t, x: x[t.tensor([1], dtype=t.int16)], r"tensors used as indices must be long"),
    ("adv_oob", lambda t, x: x[t.tensor([0, 5])], r"index 5 is out of bounds for dimension 0 with size 3"),
    ("adv_oob_second", lambda t, x: x[t.tensor([0]), t.tensor([-5])],
     r"index -5 is out of bounds for dimension 1 with size 4"),
    ("adv_oob_0d_tensor", lambda t, x: x[t.tensor(7)], r"index 7 is out of bounds for dimension 0 with size 3"),
    ("mask_shape", lambda t, x: x[t.tensor([True, False])],
     r"The shape of the mask \[2\] at index 0 does not match the shape of the indexed tensor \[3, 4\] at index 0"),
    ("mask_shape_dim1", lambda t, x: x[:, t.tensor([True, False, True])],
     r"The shape of the mask \[3\] at index 0 does not match the shape of the indexed tensor \[3, 4\] at index 1"),
    ("broadcast", lambda t, x: x[t.tensor([0, 1]), t.tensor([0, 1, 2])],
     r"shape mismatch: indexing tensors could not be broadcast together with shapes \[2\], \[3\]"),
    ("set_oob", _assign(5, 1.0), r"index 5 is out of bounds"),
    ("set_adv_oob", _assign([0, 3], 1.0), r"index 3 is out of bounds for dimension 0 with size 3"),
    ("set_basic_shape", _assign(0, lambda t: t.ones(3)), r"must match the existing size"),
    ("set_adv_shape", _assign([0, 1], lambda t: t.ones(3)),
     r"shape mismatch: value tensor of shape \[3\] cannot be broadcast to indexing result of shape \[2, 4\]"),
    ("set_mask_shape", _assign(lambda t: t.tensor([True, True, False]), lambda t: t.ones(3)),
     r"shape mismatch: value tensor of shape \[3\] cannot be broadcast to indexing result of shape \[2, 4\]"),
    ("set_mask_count", _assign(lambda t: (slice(None), t.tensor([True, False, True, True])), lambda t: t.ones(2)),
     r"cannot be broadcast to indexing result of shape \[3, 3\]"),
    ("set_adv_dtype", _assign([0], lambda t: t.ones(4, dtype=t.float64)),
     r"Index put requires the source and destination dtypes match, got Float for the destination and Double"),
    ("set_str", _assign(0, "a"), r"can't assign a str to a torch.FloatTensor"),
    ("set_list", _assign(0, [1.0, 2.0]), r"can't assign a list to a torch.FloatTensor"),
    ("set_ndarray", _assign(0, np.ones(4)), r"can't assign a numpy.ndarray to a torch.FloatTensor"),
    ("set_uint8_mask_scalar", _assign(lambda t: t.tensor([1, 0, 1], dtype=t.uint8), 1.0),
     r"masked_fill_ only supports boolean masks"),
    ("delitem", lambda t, x: x.__delitem__(0), r"Tensor does not support deleting items"),
    ("contains_str", lambda t, x: "a" in x, r"Tensor.__contains__ only supports Tensor or scalar"),
    ("gather_ndim", lambda t, x: x.gather(1, t.tensor([0])), r"Index tensor must have the same number of dimensions"),
    ("gather_size", lambda t, x: x.gather(1, t.zeros(4, 1, dtype=t.long)), r"Size does not match at dimension 0"),
    ("gather_oob", lambda t, x: x.gather(1, t.tensor([[4]])), r"index 4 is out of bounds for dimension 1 with size 4"),
    ("gather_neg", lambda t, x: x.gather(1, t.tensor([[-1]])), r"index -1 is out of bounds"),
    ("gather_dtype", lambda t, x: x.gather(1, t.tensor([[0.0]])), r"gather\(\): Expected dtype int32/int64"),
    ("gather_dim", lambda t, x: x.gather(2, t.tensor([[0]])), r"Dimension out of range"),
    ("scatter_reduce_arg", lambda t, x: x.scatter(1, t.tensor([[0]]), 1.0, reduce="max"),
     r"reduce argument must be either add or multiply"),
    ("scatter_src_size", lambda t, x: x.scatter(1, t.tensor([[0, 1, 2]]), t.ones(1, 2)),
     r"Expected index \[1, 3\] to be no larger than self \[3, 4\] apart from dimension 1 and to be no larger"),
    ("scatter_dtype", lambda t, x: x.scatter(1, t.tensor([[0]]), t.ones(1, 1, dtype=t.float64)),
     r"scatter\(\): Expected self.dtype to be equal to src.dtype"),
    ("scatter_oob", lambda t, x: x.scatter_add(1, t.tensor([[4]]), t.ones(1, 1)), r"index 4 is out of bounds"),
    ("scatter_reduce_name", lambda t, x: x.scatter_reduce(1, t.tensor([[0]]), t.ones(1, 1), "foo"),
     r"reduce argument must be either sum, prod, mean, amax or amin, got foo"),
    ("index_select_2d", lambda t, x: x.index_select(0, t.tensor([[0]])), r"Index is supposed to be a vector"),
    ("index_select_dtype", lambda t, x: x.index_select(0, t.tensor([0.0])), r"Expected dtype int32 or int64"),
    ("index_select_oob", lambda t, x: x.index_select(1, t.tensor([4])), r"out of DATA bounds, id=4 axis_dim=4"),
    ("index_add_count", lambda t, x: x.index_add(0, t.tensor([0, 1]), t.ones(3, 4)),
     r"Number of indices \(2\) should be equal to source.size\(dim\): \(3\), for dim: 0"),
    ("index_add_shape", lambda t, x: x.index_add(0, t.tensor([0]), t.ones(1, 3)),
     r"source tensor shape must match self tensor shape"),
    ("index_add_dtype", lambda t, x: x.index_add(0, t.tensor([0]), t.ones(1, 4, dtype=t.float64)),
     r"self \(Float\) and source \(Double\) must have the same scalar type"),
    ("index_copy_dtype", lambda t, x: x.index_copy(0, t.tensor([0], dtype=t.int32), t.ones(1, 4)),
     r"index_copy_\(\): Expected a long tensor for index, but got Int"),
    ("index_copy_oob", lambda t, x: x.index_copy(1, t.tensor([-1]), t.ones(3, 1)),
     r"index_copy_\(\): index -1 is out of bounds for dimension 1 with size 4"),
    ("index_fill_value", lambda t, x: x.index_fill(0, t.tensor([0]), t.tensor([1.0])),
     r"index_fill_ only supports a 0-dimensional value tensor"),
    ("index_fill_dtype", lambda t, x: x.index_fill(0, t.tensor([0], dtype=t.int32), 1.0),
     r"index_fill_\(\): Expected dtype int64 for index"),
    ("index_put_too_many", lambda t, x: x.index_put((t.tensor([0]),) * 3, t.tensor(1.0)),
     r"too many indices for tensor of dimension 2 \(got 3\)"),
    ("index_put_values_type", lambda t, x: x.index_put((t.tensor([0]),), 1.0), r"must be Tensor, not float"),
    ("index_reduce_name", lambda t, x: x.index_reduce(0, t.tensor([0]), t.ones(1, 4), "sum"),
     r"Expected reduce to be one of prod, mean, amax or amin but got sum"),
    ("masked_fill_mask_dtype", lambda t, x: x.masked_fill(t.ones(4), 0.0),
     r"masked_fill_ only supports boolean masks, but got mask with dtype float"),
    ("masked_fill_value_dim", lambda t, x: x.masked_fill(x > 0, t.tensor([0.0])),
     r"only supports a 0-dimensional value tensor, but got tensor with 1 dimension"),
    ("masked_fill_broadcast", lambda t, x: x.masked_fill(t.tensor([True, False]), 0.0),
     r"The size of tensor a \(4\) must match the size of tensor b \(2\)"),
    ("masked_fill__bigger_mask", lambda t, x: x.masked_fill_(t.ones(2, 3, 4, dtype=t.bool), 0.0),
     r"output with shape \[3, 4\] doesn't match the broadcast shape \[2, 3, 4\]"),
    ("masked_select_dtype", lambda t, x: x.masked_select(t.ones(4)), r"masked_select: expected BoolTensor for mask"),
    ("masked_scatter_short", lambda t, x: x.masked_scatter(x > -9, t.ones(2)),
     r"Number of elements of source < number of ones in mask"),
    ("masked_scatter_dtype", lambda t, x: x.masked_scatter(x > 0, t.ones(12, dtype=t.int64)),
     r"expected self and source to have same dtypes"),
    ("take_oob", lambda t, x: x.take(t.tensor([12])), r"out of range: tried to access index 12 on a tensor of 12"),
    ("take_dtype", lambda t, x: x.take(t.tensor([0], dtype=t.int32)), r"Expected a long tensor for index, but got Int"),
    ("take_along_dim_ndim", lambda t, x: x.take_along_dim(t.tensor([0]), 1), r"same number of dimensions"),
    ("take_along_dim_dtype", lambda t, x: x.take_along_dim(t.tensor([[0.0]]), 1),
     r"dtype of indices should be Long but got Float"),
    ("put_count", lambda t, x: x.put(t.tensor([0, 1]), t.ones(3)), r"Expected source and index to have the same"),
    ("put_dtype", lambda t, x: x.put(t.tensor([0]), t.ones(1, dtype=t.int64)), r"self and source expected to have the"),
    ("put_oob", lambda t, x: x.put_(t.tensor([-13]), t.ones(1)), r"tried to access index -13 on a tensor of 12"),
]


@pytest.mark.parametrize("name,fn,match", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(name, fn, match):
    check_error(fn, arr(3, 4), match=match)


LEAF_ERRORS = [
    ("basic", lambda t: 0, "a view of a leaf Variable that requires grad"),
    ("advanced", lambda t: [0, 2], "a leaf Variable that requires grad is being used in an in-place operation"),
    ("mask", lambda t: t.tensor([True, False, True]), "a leaf Variable that requires grad is being used"),
]


@pytest.mark.parametrize("name,index,match", LEAF_ERRORS, ids=[e[0] for e in LEAF_ERRORS])
def test_leaf_setitem_errors(name, index, match):
    def fn(t, x):
        x.requires_grad_(True)
        x[index(t)] = 1.0
    check_error(fn, arr(3), match=match)


def test_scalar_values_cast_like_torch():
    def run(t):
        x = t.zeros(2, 3)
        x[t.tensor([True, False])] = t.tensor(2.5, dtype=t.float64)
        x[1] = t.tensor([1, 2, 3])
        y = t.arange(4)
        y[[0, 1]] = 2.7
        y[y > 2] = t.tensor([[-1.5]])
        return x, y, x.masked_fill(x > 2, t.tensor(7.0, dtype=t.float64))
    assert_same(run(torch), run(jtorch))


def test_scatter_with_reduce_has_no_derivative():
    def fn(t, x):
        x.requires_grad_(True)
        t.scatter(x * 1, 0, t.tensor([0]), x[:1] * 1, reduce="multiply").sum().backward()
    check_error(fn, arr(3), match="derivative for aten::scatter is not implemented")


def test_data_dependent_reads_fail_compiled():
    from jtorch._functional import traced

    x, m = np.ones((2, 3), np.float32), mask(2, 3)
    for fn in (lambda a, b: a[b], lambda a, b: a.masked_select(b), lambda a, b: b.nonzero()):
        with pytest.raises(RuntimeError, match="data-dependent output shape"):
            traced(fn)(x, m)
