"""Parity of the shape-combining ops (jtorch/_ops/shape.py) and the view ops (jtorch/_ops/views.py)
with PyTorch: values, dtypes, gradients in eager and compiled mode, errors, and the layout
(``is_contiguous()``/``stride()``) of views."""
import numpy as np
import pytest

from parity import MODES, arr, check, check_error, torch

import jtorch

F64 = "float64"


def I64(*shape, seed=0):
    return arr(*shape, dtype="int64", low=-5, high=5, seed=seed)


def I32(*shape):
    return arr(*shape, dtype="int32", low=-5, high=5)


def B(*shape):
    return arr(*shape, dtype="bool")


CASES = [
    # cat / concat / concatenate
    ("cat_dim0", lambda t, a, b: t.cat([a, b]), [arr(2, 3), arr(3, 3)]),
    ("cat_dim1", lambda t, a, b: t.cat((a, b), 1), [arr(2, 3), arr(2, 1)]),
    ("cat_neg_dim", lambda t, a, b, c: t.cat([a, b, c], dim=-2), [arr(2, 3), arr(1, 3), arr(4, 3)]),
    ("cat_one", lambda t, a: t.cat([a]), [arr(2, 3)]),
    ("cat_legacy_empty", lambda t, a, e, b: t.cat([a, e, b]), [arr(2, 3), arr(0), arr(3, 3)]),
    ("cat_legacy_empty_dim1", lambda t, a, e: t.cat([a, e], 1), [arr(2, 3), arr(0)]),
    ("cat_all_empty", lambda t, a, b: t.cat([a, b]), [arr(0), arr(0)]),
    ("cat_empty_rows", lambda t, a, b: t.cat([a, b]), [arr(0, 3), arr(2, 3)]),
    ("cat_promote_f64", lambda t, a, b: t.cat([a, b]), [arr(2, 3), arr(1, 3, dtype=F64)]),
    ("cat_promote_int_float", lambda t, a, b: t.cat([a, b]), [I64(2, 3), arr(1, 3)]),
    ("cat_legacy_empty_promotes", lambda t, a, e: t.cat([a, e]), [I64(2, 3), arr(0, dtype=F64)]),
    ("cat_int", lambda t, a, b: t.cat([a, b]), [I64(2, 3), I32(2, 3)]),
    ("cat_bool_int", lambda t, a, b: t.cat([a, b]), [B(2, 3), I32(2, 3)]),
    ("cat_5d", lambda t, a, b: t.cat([a, b], 3), [arr(2, 1, 2, 3, 2), arr(2, 1, 2, 1, 2)]),
    ("concat", lambda t, a, b: t.concat([a, b], 1), [arr(2, 3), arr(2, 2)]),
    ("concat_axis", lambda t, a, b: t.concat([a, b], axis=1), [arr(2, 3), arr(2, 2)]),
    ("concatenate", lambda t, a, b: t.concatenate([a, b], axis=0), [arr(2, 3), arr(1, 3)]),
    # stack family
    ("stack", lambda t, a, b: t.stack([a, b]), [arr(2, 3), arr(2, 3)]),
    ("stack_last", lambda t, a, b: t.stack((a, b), -1), [arr(2, 3), arr(2, 3)]),
    ("stack_0d", lambda t, a, b: t.stack([a, b]), [arr(), arr()]),
    ("stack_promote", lambda t, a, b: t.stack([a, b], 1), [arr(2, 3), arr(2, 3, dtype=F64)]),
    ("stack_empty", lambda t, a, b: t.stack([a, b], 1), [arr(0, 3), arr(0, 3)]),
    ("stack_int", lambda t, a, b: t.stack([a, b]), [I64(4), I64(4, seed=1)]),
    ("hstack_2d", lambda t, a, b: t.hstack([a, b]), [arr(2, 3), arr(2, 2)]),
    ("hstack_1d", lambda t, a, b: t.hstack((a, b)), [arr(3), arr(2)]),
    ("hstack_0d", lambda t, a, b: t.hstack([a, b]), [arr(), arr()]),
    ("vstack_1d", lambda t, a, b: t.vstack([a, b]), [arr(3), arr(3)]),
    ("vstack_2d", lambda t, a, b: t.vstack([a, b]), [arr(2, 3), arr(3)]),
    ("row_stack", lambda t, a, b: t.row_stack([a, b]), [arr(3), arr(2, 3)]),
    ("dstack", lambda t, a, b: t.dstack([a, b]), [arr(2, 3), arr(2, 3)]),
    ("dstack_1d", lambda t, a, b: t.dstack([a, b]), [arr(3), arr(3)]),
    ("column_stack", lambda t, a, b, c: t.column_stack([a, b, c]), [arr(3), arr(3, 2), arr(3)]),
    ("column_stack_0d", lambda t, a, b: t.column_stack([a, b]), [arr(), arr()]),
    # flip / roll / rot90
    ("flip", lambda t, a: t.flip(a, [0]), [arr(2, 3)]),
    ("flip_two", lambda t, a: t.flip(a, (-1, 0)), [arr(2, 3, 4)]),
    ("flip_method", lambda t, a: a.flip(0, 2), [arr(2, 3, 4)]),
    ("flip_0d", lambda t, a: t.flip(a, [0]), [arr()]),
    ("flip_empty", lambda t, a: t.flip(a, [1]), [arr(2, 0)]),
    ("flip_5d_int", lambda t, a: t.flip(a, [1, 4]), [I64(2, 1, 3, 1, 2)]),
    ("fliplr", lambda t, a: t.fliplr(a), [arr(2, 3)]),
    ("flipud", lambda t, a: a.flipud(), [arr(3)]),
    ("roll_flat", lambda t, a: t.roll(a, 1), [arr(2, 3)]),
    ("roll_dims", lambda t, a: t.roll(a, (1, -2), (0, 1)), [arr(2, 3)]),
    ("roll_int_dim", lambda t, a: a.roll(4, 1), [arr(2, 3)]),
    ("roll_0d", lambda t, a: t.roll(a, 1), [arr()]),
    ("roll_empty", lambda t, a: t.roll(a, 1, 0), [arr(0, 3)]),
    ("roll_bool", lambda t, a: t.roll(a, -1, -1), [B(2, 3)]),
    ("rot90", lambda t, a: t.rot90(a), [arr(2, 3)]),
    ("rot90_k2", lambda t, a: t.rot90(a, 2), [arr(2, 3)]),
    ("rot90_k3", lambda t, a: a.rot90(3), [arr(2, 3)]),
    ("rot90_k0", lambda t, a: t.rot90(a, 0), [arr(2, 3)]),
    ("rot90_neg_dims", lambda t, a: t.rot90(a, -1, [2, 0]), [arr(2, 3, 4)]),
    # repeat / tile / repeat_interleave
    ("repeat", lambda t, a: a.repeat(2, 3), [arr(2, 3)]),
    ("repeat_more_dims", lambda t, a: a.repeat([2, 1, 3]), [arr(2, 3)]),
    ("repeat_0d", lambda t, a: a.repeat(3), [arr()]),
    ("repeat_zero", lambda t, a: a.repeat(0, 1), [arr(2, 3)]),
    ("repeat_int", lambda t, a: a.repeat(1, 2), [I64(2, 3)]),
    ("tile_short", lambda t, a: t.tile(a, (2,)), [arr(2, 3)]),
    ("tile_long", lambda t, a: a.tile(2, 1, 1), [arr(2, 3)]),
    ("repeat_interleave_flat", lambda t, a: t.repeat_interleave(a, 2), [arr(2, 3)]),
    ("repeat_interleave_dim", lambda t, a: a.repeat_interleave(3, dim=1), [arr(2, 3)]),
    ("repeat_interleave_size", lambda t, a, r: t.repeat_interleave(a, r, dim=0, output_size=4),
     [arr(2, 3), np.array([1, 3])]),
    # broadcasting / atleast
    ("broadcast_tensors", lambda t, a, b, c: t.broadcast_tensors(a, b, c), [arr(2, 3), arr(3), arr()]),
    ("broadcast_tensors_5d", lambda t, a, b: t.broadcast_tensors(a, b), [arr(2, 1, 3, 1, 2), arr(4, 3, 1, 2)]),
    ("atleast_1d", lambda t, a: t.atleast_1d(a) * 2, [arr()]),
    ("atleast_1d_many", lambda t, a, b: t.atleast_1d(a, b), [arr(), arr(3)]),
    ("atleast_2d", lambda t, a: t.atleast_2d(a), [arr(3)]),
    ("atleast_2d_list", lambda t, a, b: t.atleast_2d([a, b]), [arr(), arr(2, 3)]),
    ("atleast_3d_1d", lambda t, a: t.atleast_3d(a), [arr(3)]),
    ("atleast_3d_2d", lambda t, a: t.atleast_3d(a), [arr(2, 3)]),
    ("atleast_3d_0d", lambda t, a: t.atleast_3d(a), [arr()]),
    # diagonals, blocks, products
    ("diag_1d", lambda t, a: t.diag(a), [arr(3)]),
    ("diag_1d_neg", lambda t, a: t.diag(a, -1), [arr(3)]),
    ("diag_2d", lambda t, a: t.diag(a), [arr(2, 3)]),
    ("diag_2d_off", lambda t, a: a.diag(1), [arr(3, 3)]),
    ("diag_int", lambda t, a: t.diag(a, 2), [I64(3)]),
    ("diag_embed", lambda t, a: t.diag_embed(a), [arr(2, 3)]),
    ("diag_embed_dims", lambda t, a: t.diag_embed(a, 1, 0, 2), [arr(2, 3)]),
    ("diag_embed_swapped", lambda t, a: t.diag_embed(a, -1, 2, 0), [arr(2, 3)]),
    ("diagflat", lambda t, a: t.diagflat(a), [arr(2, 2)]),
    ("diagflat_off", lambda t, a: t.diagflat(a, -2), [arr(3)]),
    ("block_diag", lambda t, a, b, c, d: t.block_diag(a, b, c, d), [arr(2, 3), arr(3), arr(), arr(2, 2)]),
    ("block_diag_promote", lambda t, a, b: t.block_diag(a, b), [arr(2, 3), I64(2, 2)]),
    ("cartesian_prod", lambda t, a, b: t.cartesian_prod(a, b), [arr(3), arr(2)]),
    ("cartesian_prod_three", lambda t, a, b, c: t.cartesian_prod(a, b, c), [I64(2), I64(3), I64(2)]),
    ("trace", lambda t, a: t.trace(a), [arr(3, 4)]),
    ("trace_f64", lambda t, a: a.trace(), [arr(3, 3, dtype=F64)]),
    ("trace_int", lambda t, a: t.trace(a), [I32(3, 3)]),
    ("cross_dim", lambda t, a, b: t.cross(a, b, dim=0), [arr(3, 2), arr(3, 2)]),
    ("cross_linalg_bcast", lambda t, a, b: t.linalg.cross(a, b), [arr(2, 1, 3), arr(4, 3)[None]]),
    ("cross_int", lambda t, a, b: t.linalg.cross(a, b), [I64(2, 3), I64(2, 3, seed=1)]),
    ("cross_method", lambda t, a, b: a.cross(b, -1), [arr(4, 3, dtype=F64), arr(4, 3, dtype=F64)]),
    ("trapezoid", lambda t, a: t.trapezoid(a), [arr(2, 5)]),
    ("trapezoid_dx", lambda t, a: t.trapezoid(a, dx=0.5, dim=0), [arr(4, 3)]),
    ("trapezoid_x", lambda t, a, x: t.trapezoid(a, x), [arr(2, 3), np.array([0.0, 1.0, 3.0], "float32")]),
    ("trapezoid_x_nd", lambda t, a, x: t.trapezoid(a, x, dim=0), [arr(3, 2), arr(3, 2, seed=4)]),
    ("trapezoid_int", lambda t, a: t.trapezoid(a), [I64(2, 3)]),
    ("trapezoid_empty", lambda t, a: t.trapezoid(a), [arr(2, 0)]),
    ("cumulative_trapezoid", lambda t, a: t.cumulative_trapezoid(a), [arr(2, 4)]),
    ("cumulative_trapezoid_x", lambda t, a, x: t.cumulative_trapezoid(a, x), [arr(2, 3), arr(3, seed=2)]),
    ("cumulative_trapezoid_empty", lambda t, a: t.cumulative_trapezoid(a, dim=1), [arr(2, 0)]),
]

VIEW_CASES = [
    ("view", lambda t, a: a.view(3, 2), [arr(2, 3)]),
    ("view_infer", lambda t, a: a.view(-1, 4), [arr(2, 2, 2)]),
    ("reshape_copy", lambda t, a: a.t().reshape(6), [arr(2, 3)]),
    ("reshape_view", lambda t, a: t.reshape(a, (3, 1, 2)), [arr(2, 3)]),
    ("flatten", lambda t, a: t.flatten(a, 1), [arr(2, 3, 4)]),
    ("flatten_0d", lambda t, a: a.flatten(), [arr()]),
    ("unflatten", lambda t, a: a.unflatten(1, (2, -1)), [arr(2, 6)]),
    ("ravel", lambda t, a: t.ravel(a), [arr(2, 3)]),
    ("permute", lambda t, a: a.permute(2, 0, 1), [arr(2, 3, 4)]),
    ("transpose", lambda t, a: t.transpose(a, 0, -1), [arr(2, 3, 4)]),
    ("swapaxes", lambda t, a: t.swapaxes(a, 0, 1), [arr(2, 3)]),
    ("t", lambda t, a: a.t(), [arr(2, 3)]),
    ("T", lambda t, a: a.T, [arr(2, 3, 4)]),
    ("mT", lambda t, a: a.mT, [arr(2, 3, 4)]),
    ("squeeze", lambda t, a: a.squeeze(), [arr(2, 1, 3, 1)]),
    ("squeeze_dim", lambda t, a: t.squeeze(a, 1), [arr(2, 1, 3)]),
    ("squeeze_dims", lambda t, a: t.squeeze(a, (1, 3)), [arr(2, 1, 3, 1)]),
    ("unsqueeze", lambda t, a: a.unsqueeze(-1), [arr(2, 3)]),
    ("unsqueeze_0d", lambda t, a: t.unsqueeze(a, 0), [arr()]),
    ("expand", lambda t, a: a.expand(4, 2, 3), [arr(2, 1)]),
    ("expand_keep", lambda t, a: a.expand(-1, 5), [arr(3, 1)]),
    ("expand_as", lambda t, a, b: a.expand_as(b), [arr(3), arr(2, 3)]),
    ("broadcast_to", lambda t, a: t.broadcast_to(a, (2, 2, 3)), [arr(3)]),
    ("split", lambda t, a: t.split(a, 2), [arr(5, 3)]),
    ("split_sizes", lambda t, a: a.split([1, 2], dim=1), [arr(2, 3)]),
    ("chunk", lambda t, a: t.chunk(a, 3, 1), [arr(2, 7)]),
    ("tensor_split", lambda t, a: t.tensor_split(a, 3), [arr(7)]),
    ("tensor_split_idx", lambda t, a: t.tensor_split(a, [1, 4], dim=1), [arr(2, 6)]),
    ("hsplit", lambda t, a: t.hsplit(a, 2), [arr(2, 4)]),
    ("vsplit", lambda t, a: t.vsplit(a, [1]), [arr(3, 4)]),
    ("dsplit", lambda t, a: t.dsplit(a, 2), [arr(2, 2, 4)]),
    ("unbind", lambda t, a: t.unbind(a, 1), [arr(2, 3)]),
    ("narrow", lambda t, a: a.narrow(1, 1, 2), [arr(2, 4)]),
    ("select", lambda t, a: t.select(a, 1, -1), [arr(2, 3)]),
    ("diagonal", lambda t, a: t.diagonal(a), [arr(3, 4)]),
    ("diagonal_off", lambda t, a: a.diagonal(1, 0, 2), [arr(3, 2, 4)]),
    ("linalg_diagonal", lambda t, a: t.linalg.diagonal(a, offset=-1), [arr(2, 3, 3)]),
    ("movedim", lambda t, a: t.movedim(a, 0, -1), [arr(2, 3, 4)]),
    ("moveaxis_many", lambda t, a: t.moveaxis(a, (0, 1), (2, 0)), [arr(2, 3, 4)]),
    ("unfold", lambda t, a: a.unfold(1, 2, 1), [arr(2, 5)]),
    ("unfold_step", lambda t, a: a.unfold(0, 2, 2), [arr(7)]),
    ("as_strided", lambda t, a: t.as_strided(a, (2, 2), (1, 2), 1), [arr(6)]),
    ("view_of_view", lambda t, a: a.t()[1:].unsqueeze(0), [arr(2, 3)]),
    ("view_int", lambda t, a: a.permute(1, 0).unsqueeze(1), [I64(2, 3)]),
    ("view_empty", lambda t, a: a.view(3, 0).t(), [arr(0, 3)]),
    ("view_5d", lambda t, a: a.permute(4, 3, 2, 1, 0).flatten(1, 2), [arr(2, 1, 3, 2, 2)]),
]

ALL = CASES + VIEW_CASES


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name,fn,inputs", ALL, ids=[c[0] for c in ALL])
def test_parity(name, fn, inputs, mode):
    check(fn, *inputs, mode=mode)


EAGER_ONLY = [
    ("repeat_interleave_tensor", lambda t, a, r: t.repeat_interleave(a, r, dim=0), [arr(2, 3), np.array([1, 2])]),
    ("repeat_interleave_tensor_flat", lambda t, a, r: t.repeat_interleave(a, r), [arr(2, 2), np.array([0, 1, 2, 1])]),
    ("repeat_interleave_one", lambda t, a, r: a.repeat_interleave(r, 1), [arr(2, 3), np.array([2])]),
    ("repeat_interleave_only", lambda t, r: t.repeat_interleave(r), [np.array([1, 0, 3])]),
]


@pytest.mark.parametrize("name,fn,inputs", EAGER_ONLY, ids=[c[0] for c in EAGER_ONLY])
def test_parity_eager_only(name, fn, inputs):
    check(fn, *inputs, mode="eager")


def _layouts(out):
    outs = out if isinstance(out, (tuple, list)) else (out,)
    return [(tuple(o.shape), o.is_contiguous(), tuple(o.stride()), o.storage_offset()) for o in outs]


_LAYOUT_NAMES = {"cat_dim0", "stack", "flip", "repeat", "broadcast_tensors", "broadcast_tensors_5d",
                 "atleast_1d_many", "atleast_2d", "atleast_2d_list", "atleast_3d_1d", "atleast_3d_2d", "atleast_3d_0d"}
LAYOUT = VIEW_CASES + [c for c in CASES if c[0] in _LAYOUT_NAMES]


@pytest.mark.parametrize("name,fn,inputs", LAYOUT, ids=[c[0] for c in LAYOUT])
def test_layout(name, fn, inputs):
    """Views report PyTorch's strides, offsets and contiguity (and the other results are contiguous)."""
    t_out = fn(torch, *[torch.from_numpy(a.copy()) for a in inputs])
    j_out = fn(jtorch, *[jtorch.tensor(a) for a in inputs])
    assert _layouts(j_out) == _layouts(t_out)


def test_view_aliases_input():
    for lib in (torch, jtorch):
        a = lib.zeros(2, 3)
        v = a.t()[1]
        v.add_(1)
        b = lib.broadcast_tensors(a, lib.zeros(3))[1]
        assert a.sum().item() == 2 and b.shape == (2, 3)


def test_identity_returns():
    """PyTorch returns the input itself in these cases; so does jtorch."""
    a, v = jtorch.randn(2, 3), jtorch.randn(3)
    assert jtorch.broadcast_tensors(a, v)[0] is a
    assert jtorch.atleast_1d(v) is v and jtorch.atleast_2d(a) is a
    assert jtorch.cartesian_prod(v) is v


def test_broadcast_shapes():
    for shapes in [((2, 3), (3,), 1, (4, 1, 1)), ((2,), (3, 1), (1, 1, 1)), (), ((0, 1), (3,)), (5,)]:
        assert tuple(jtorch.broadcast_shapes(*shapes)) == tuple(torch.broadcast_shapes(*shapes))
    assert isinstance(jtorch.broadcast_shapes((2, 1), (3,)), jtorch.Size)


@pytest.mark.parametrize("name,fn", [
    ("cat", lambda t, a, b: t.cat([a, a])), ("stack", lambda t, a, b: t.stack([b, b])),
    ("flip", lambda t, a, b: t.flip(a, [0])), ("rot90", lambda t, a, b: t.rot90(a)),
    ("repeat", lambda t, a, b: a.repeat(2, 1)), ("diag", lambda t, a, b: t.diag(b)),
    ("block_diag", lambda t, a, b: t.block_diag(a, b)), ("trace", lambda t, a, b: t.trace(a)),
    ("roll", lambda t, a, b: t.roll(a, 1, 0)), ("diag_embed", lambda t, a, b: t.diag_embed(a)),
])
def test_grad_fn_names(name, fn):
    outs = []
    for lib in (torch, jtorch):
        a = lib.ones(2, 2, requires_grad=True)
        b = lib.ones(2, requires_grad=True)
        outs.append(fn(lib, a, b).grad_fn.name())
    assert outs[0] == outs[1]


ERRORS = [
    ("cat_sizes", lambda t, a, b: t.cat([a, b], 1), [arr(2, 3), arr(3, 3)],
     r"Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in the "
     r"list\."),
    ("cat_ndim", lambda t, a, b: t.cat([a, b]), [arr(2, 3), arr(3)], "Tensors must have same number of dimensions: "
                                                                      "got 2 and 1"),
    ("cat_0d", lambda t, a: t.cat([a, a]), [arr()], r"zero-dimensional tensor \(at position 0\)"),
    ("cat_empty_list", lambda t: t.cat([]), [], "expected a non-empty list of Tensors"),
    ("cat_tensor", lambda t, a: t.cat(a), [arr(2)], "must be tuple of Tensors, not Tensor"),
    ("cat_dim_range", lambda t, a: t.cat([a, a], 2), [arr(2, 3)], "Dimension out of range"),
    ("cat_legacy_2d_mismatch", lambda t, a, b: t.cat([a, b]), [arr(2, 3), arr(0, 4)],
     "Expected size 3 but got size 4 for tensor number 1"),
    ("stack_sizes", lambda t, a, b: t.stack([a, b]), [arr(2, 3), arr(3)],
     r"stack expects each tensor to be equal size, but got \[2, 3\] at entry 0 and \[3\] at entry 1"),
    ("stack_empty", lambda t: t.stack([]), [], "stack expects a non-empty TensorList"),
    ("stack_dim", lambda t, a: t.stack([a, a], 3), [arr(2, 3)], "Dimension out of range"),
    ("hstack_sizes", lambda t, a, b: t.hstack([a, b]), [arr(2, 3), arr(3, 3)], "Sizes of tensors must match"),
    ("flip_int_dims", lambda t, a: t.flip(a, 0), [arr(2)], "must be tuple of ints, not int"),
    ("flip_dup", lambda t, a: t.flip(a, [0, 0]), [arr(2, 3)], "dim 0 appears multiple times"),
    ("fliplr_1d", lambda t, a: t.fliplr(a), [arr(2)], r"Input must be >= 2-d\."),
    ("flipud_0d", lambda t, a: t.flipud(a), [arr()], r"Input must be >= 1-d\."),
    ("roll_align", lambda t, a: t.roll(a, (1, 2), 1), [arr(2, 3)], "shifts and dimensions must align. shifts: 2, "
                                                                   "dims:1"),
    ("roll_no_dims", lambda t, a: t.roll(a, (1, 2)), [arr(2, 3)], "shifts: 2, dims:0"),
    ("rot90_ndims", lambda t, a: t.rot90(a, 1, [0, 1, 2]), [arr(2, 3)], "expected total rotation dims == 2"),
    ("rot90_1d", lambda t, a: t.rot90(a), [arr(3)], "expected total dims >= 2, but got total dims = 1"),
    ("rot90_same", lambda t, a: t.rot90(a, 1, [0, 0]), [arr(2, 3)], "expected rotation dims to be different"),
    ("rot90_range", lambda t, a: t.rot90(a, 1, [0, 2]), [arr(2, 3)], "Dimension out of range"),
    ("repeat_short", lambda t, a: a.repeat(2), [arr(2, 3)], "can not be smaller than number of dimensions"),
    ("repeat_negative", lambda t, a: a.repeat(-1, 1), [arr(2, 3)], r"negative dimension -2: \[-2, 3\]"),
    ("repeat_interleave_neg", lambda t, a: t.repeat_interleave(a, -1), [arr(2)], "Repeats must be non-negative"),
    ("repeat_interleave_len", lambda t, a, r: t.repeat_interleave(a, r, dim=0), [arr(2, 3), np.array([1, 2, 3])],
     r"repeats.size\(0\) = 3 and input.size\(0\) = 2"),
    ("repeat_interleave_neg_t", lambda t, a, r: t.repeat_interleave(a, r, dim=0), [arr(2), np.array([1, -2])],
     "repeats can not be negative"),
    ("repeat_interleave_2d", lambda t, a, r: t.repeat_interleave(a, r, dim=0), [arr(2), np.ones((2, 2), "int64")],
     "repeats must be 0-dim or 1-dim tensor"),
    ("repeat_interleave_float", lambda t, a, r: t.repeat_interleave(a, r, dim=0), [arr(2), arr(2)],
     "not implemented for 'Float'"),
    ("broadcast_tensors", lambda t, a, b: t.broadcast_tensors(a, b), [arr(2, 3), arr(2)],
     r"The size of tensor a \(3\) must match the size of tensor b \(2\) at non-singleton dimension 1"),
    ("broadcast_shapes", lambda t: t.broadcast_shapes((2, 3), (2,)), [],
     r"Attempting to broadcast a dimension of length 2 at -1! Mismatching argument at index 1 had \(2,\)"),
    ("diag_3d", lambda t, a: t.diag(a), [arr(2, 2, 2)], r"diag\(\): Supports 1D or 2D tensors. Got 3D"),
    ("diag_embed_same", lambda t, a: t.diag_embed(a, 0, 0, 0), [arr(2, 3)], "diagonal dimensions cannot be identical"),
    ("block_diag_3d", lambda t, a: t.block_diag(a), [arr(2, 2, 2)], "Input 0 has 3 dimensions"),
    ("cartesian_prod_2d", lambda t, a: t.cartesian_prod(a), [arr(2, 3)], r"Expect a 1D vector, but got shape \[2, 3\]"),
    ("cartesian_prod_dtype", lambda t, a, b: t.cartesian_prod(a, b), [arr(2), I64(2)], "same dtype"),
    ("trace_1d", lambda t, a: t.trace(a), [arr(3)], "trace: expected a matrix, but got tensor with dim 1"),
    ("cross_len", lambda t, a, b: t.linalg.cross(a, b), [arr(2, 2), arr(2, 2)],
     "linalg.cross: inputs dimension -1 must have length 3. Got 2 and 2"),
    ("cross_ndim", lambda t, a, b: t.linalg.cross(a, b), [arr(2, 3), arr(3)], "inputs must have the same number of"),
    ("cross_dtype", lambda t, a, b: t.linalg.cross(a, b), [arr(3), arr(3, dtype=F64)],
     "expected scalar type Float but found Double"),
    ("cross_no_dim", lambda t, a, b: t.cross(a, b), [arr(2, 2), arr(2, 2)], "no dimension of size 3 in input"),
    ("trapezoid_x_len", lambda t, a, x: t.trapezoid(a, x), [arr(2, 3), arr(2)],
     "There must be one `x` value for each sample point"),
    ("trapezoid_x_and_dx", lambda t, a, x: t.trapezoid(a, x, dx=1.0), [arr(3), arr(3)], "invalid combination"),
    ("trapezoid_x_number", lambda t, a: t.trapezoid(a, 2.0), [arr(3)], "invalid combination"),
    ("view_bad", lambda t, a: a.t().view(6), [arr(2, 3)], "view size is not compatible"),
    ("expand_bad", lambda t, a: a.expand(3, 4), [arr(2, 1)], "The expanded size of the tensor"),
    ("squeeze_range", lambda t, a: a.squeeze(3), [arr(2, 1)], "Dimension out of range"),
    ("permute_len", lambda t, a: a.permute(1, 0), [arr(2, 3, 4)], "number of dimensions in the tensor input"),
    ("narrow_bad", lambda t, a: a.narrow(0, 1, 3), [arr(3)], r"start \(1\) \+ length \(3\) exceeds dimension size"),
]


@pytest.mark.parametrize("name,fn,inputs,match", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(name, fn, inputs, match):
    check_error(fn, *inputs, match=match)


def test_cross_warns_once():
    import warnings

    from jtorch._ops import shape

    shape._CROSS_WARNED.clear()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        jtorch.cross(jtorch.ones(3, 2), jtorch.ones(3, 2))
        jtorch.cross(jtorch.ones(3, 2), jtorch.ones(3, 2))
    assert len(w) == 1 and "without specifying the dim arg is deprecated" in str(w[0].message)


def test_out_arguments():
    a, b = jtorch.ones(2, 3), jtorch.zeros(1, 3)
    out = jtorch.empty(0)
    assert jtorch.cat([a, b], out=out) is out and out.shape == (3, 3)
    out2 = jtorch.empty(2, 2, 3)
    jtorch.stack([a, a], out=out2)
    assert out2.sum().item() == 12


def test_repeat_interleave_compiled_needs_output_size():
    from jtorch._functional import traced

    def run(a, r):
        return jtorch.repeat_interleave(a, r, dim=0)

    with pytest.raises(RuntimeError, match="output_size"):
        traced(run)(jtorch.ones(2, 3)._read(), jtorch.tensor([1, 2])._read())
