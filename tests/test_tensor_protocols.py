"""Python protocols and tensor metadata against real PyTorch: item/tolist/numpy, len/iter/bool,
int/float/complex/index, format, hashing, repr/str, pickling, deepcopy, Size, the shape queries,
.T/.mT/.H/.mH, requires_grad/is_leaf/.data/.detach()."""
import copy
import math
import operator
import pickle
import re

import numpy as np
import pytest

from parity import MODES, arr, check, torch
import jtorch

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def norm(v):
    """A comparable form of a result: tensors by dtype/shape/values/autograd flags, the rest by type and repr."""
    if isinstance(v, (torch.Tensor, jtorch.Tensor)):
        d = v.detach()
        vals = d.float().tolist() if str(d.dtype) == "torch.bfloat16" else d.tolist()
        return ("tensor", str(v.dtype), tuple(v.shape), repr(vals), v.requires_grad, v.is_leaf)
    if isinstance(v, np.ndarray):
        return ("ndarray", str(v.dtype), v.shape, repr(v.tolist()))
    if isinstance(v, (list, tuple)) and not isinstance(v, (torch.Size, jtorch.Size)):
        return (type(v).__name__, tuple(norm(x) for x in v))
    return (type(v).__name__, repr(v))


def outcome(fn, lib):
    try:
        return ("ok", norm(fn(lib)))
    except Exception as e:
        return ("error", type(e).__name__, str(e).split("\n")[0])


def same(fn):
    assert outcome(fn, jtorch) == outcome(fn, torch)


def same_error(fn, match=None):
    t, j = outcome(fn, torch), outcome(fn, jtorch)
    assert t[0] == "error" and j[0] == "error", (t, j)
    assert j[1] == t[1], (t, j)
    assert j[2] == t[2] if match is None else re.search(match, j[2]), (t, j)


def leaf(t, *shape, dtype=None):
    return t.arange(1.0, 1.0 + math.prod(shape), dtype=dtype or t.float32).reshape(shape).requires_grad_()


CASES = [
    # item / tolist / numpy
    ("item_types", lambda t: [t.tensor(v).item() for v in (2.5, 3, True, 1j, 0.1)]),
    ("item_one_element", lambda t: (t.tensor([2.5]).item(), t.tensor([[2]]).item())),
    ("item_small_dtypes", lambda t: [t.tensor(1.5, dtype=getattr(t, d)).item()
                                     for d in ("float16", "bfloat16", "float64", "int8", "uint8", "int16")]),
    ("item_requires_grad", lambda t: t.tensor(1.5, requires_grad=True).item()),
    ("tolist", lambda t: (t.tensor([1.0, 2, 3]).tolist(), t.tensor(2.5).tolist(), t.zeros(2, 0).tolist(),
                          t.arange(6).reshape(2, 3).tolist(), t.tensor([True, False]).tolist(),
                          t.tensor([1j, 2]).tolist())),
    ("tolist_bfloat16", lambda t: t.tensor([1.5, 0.1], dtype=t.bfloat16).tolist()),
    ("tolist_requires_grad", lambda t: t.ones(2, requires_grad=True).tolist()),
    ("numpy", lambda t: [t.zeros(2, 1, dtype=getattr(t, d)).numpy() for d in
                         ("float16", "float32", "float64", "int8", "int64", "uint8", "bool", "complex64")]),
    ("numpy_0d", lambda t: t.tensor(2.5).numpy()),
    ("numpy_force", lambda t: t.ones(2, requires_grad=True).numpy(force=True)),
    ("numpy_detached", lambda t: t.ones(2, requires_grad=True).detach().numpy()),
    ("np_asarray", lambda t: np.asarray(t.arange(6).reshape(2, 3))),
    # len / iter / bool
    ("len", lambda t: (len(t.ones(3)), len(t.zeros(0, 3)), len(t.ones(2, 5)))),
    ("iter", lambda t: list(t.arange(6).reshape(2, 3))),
    ("iter_1d", lambda t: list(t.tensor([1.5, 2.5]))),
    ("iter_empty", lambda t: list(t.zeros(0))),
    ("iter_grad", lambda t: [r.grad_fn is not None for r in leaf(t, 2, 2)]),
    ("bool", lambda t: [bool(t.tensor(v)) for v in (0.0, 1.5, [0], [[3]], True, False, math.nan, 0j)]),
    # number conversions
    ("int_float_complex", lambda t: (int(t.tensor(2.7)), int(t.tensor(-2.7)), float(t.tensor(3)),
                                     int(t.tensor([[3]])), complex(t.tensor(1 + 2j)), float(t.tensor(1 + 0j)),
                                     int(t.tensor(2 + 0j)), float(t.tensor(True)), int(t.tensor(7, dtype=t.uint8)))),
    ("index", lambda t: (range(t.tensor(3)), range(t.tensor([3])), range(t.tensor(True)),
                         [10, 20, 30][t.tensor(1)], [10, 20, 30][t.tensor([2])],
                         operator.index(t.tensor(2, dtype=t.int8)), hex(t.tensor(255)), "ab" * t.tensor(2))),
    ("math", lambda t: (math.floor(t.tensor(2.5)), math.sqrt(t.tensor(4.0)), round(float(t.tensor(2.5))))),
    # format
    ("format_0d", lambda t: (f"{t.tensor(2.5):.2f}", f"{t.tensor(3):5d}", f"{t.tensor(True)}", f"{t.tensor(2.5)}",
                             f"{t.tensor(1.5, requires_grad=True):.1f}", format(t.tensor(2.5), ""),
                             f"{t.tensor(1e-8):e}", f"{t.tensor(0.25):%}")),
    ("format_nd", lambda t: (f"{t.tensor([1.0, 2.0])}", format(t.tensor([1, 2]), ""),
                             f"{t.ones(2, requires_grad=True)}")),
    # hashing by identity
    ("hash", lambda t: (lambda x, y: (hash(x) == id(x), {x: 1, y: 2}[x], x in {x}, y in {x}, len({x, y, x})))(
        t.ones(2), t.ones(2))),
    # shapes
    ("shape", lambda t: (t.ones(2, 3).shape, t.tensor(1.0).shape, t.zeros(0, 3).shape, t.ones(2, 3).size())),
    ("size_dim", lambda t: [t.ones(2, 3, 4).size(d) for d in (0, 1, 2, -1, -3)]),
    ("size_types", lambda t: (type(t.ones(2).shape).__name__, type(t.ones(2).size(0)).__name__,
                              isinstance(t.ones(2).shape, tuple))),
    ("size_slicing", lambda t: (lambda s: (s[1:], s[0], s[-1], s[::-1], s[:0], type(s[1:]).__name__))(
        t.ones(2, 3, 4).shape)),
    ("size_ops", lambda t: (lambda s: (s + (5,), (1,) + s, s * 2, 2 * s, s == (2, 3), s == [2, 3], s.numel(),
                                       s.count(2), s.index(3), hash(s) == hash((2, 3)), str(s), list(s),
                                       s + t.Size([1])))(t.Size([2, 3]))),
    ("size_constructor", lambda t: (t.Size(), t.Size([]), t.Size((2,)), t.Size([-1]), t.Size([True]),
                                    t.Size([np.int64(2)]), t.Size(x for x in [1, 2]), t.Size([t.tensor([2])]),
                                    t.Size([]).numel())),
    ("size_pickle", lambda t: pickle.loads(pickle.dumps(t.Size([2, 3])))),
    ("dims", lambda t: [(x.dim(), x.ndim, x.ndimension(), x.numel(), x.nelement(), x.element_size(), x.nbytes,
                         x.itemsize) for x in (t.ones(2, 3), t.tensor(1.0), t.zeros(0, 2, dtype=t.int16),
                                               t.ones(4, dtype=t.float64), t.ones(3, dtype=t.bool),
                                               t.ones(2, dtype=t.complex64), t.ones(2, 2, dtype=t.bfloat16))]),
    # transposes
    ("T_shapes", lambda t: (t.ones(2, 3).T.shape, t.ones(2, 3, 4).T.shape, t.ones(3).T.shape, t.tensor(1.0).T.shape,
                            t.ones(2, 3, 4).mT.shape, t.ones(2, 3).H.shape, t.ones(2, 3, 4).mH.shape)),
    # autograd flags
    ("is_leaf", lambda t: (lambda x: (x.is_leaf, (x * 2).is_leaf, t.ones(2).is_leaf, (t.ones(2) * 2).is_leaf,
                                      x.detach().is_leaf, x.data.is_leaf))(t.ones(2, requires_grad=True))),
    ("requires_grad_", lambda t: (lambda x: (x.requires_grad_() is x, x.requires_grad, x.requires_grad_(False),
                                             t.ones(2).requires_grad_(True).requires_grad_(True).requires_grad,
                                             t.tensor([1]).requires_grad_(False).requires_grad,
                                             t.tensor([1j]).requires_grad_().requires_grad))(t.ones(2))),
    ("requires_grad_nonleaf", lambda t: (lambda y: (y.requires_grad_(True) is y, y.requires_grad))(
        t.ones(2, requires_grad=True) * 2)),
    ("data", lambda t: (lambda x: (x.data, x.data.requires_grad, x.data is x, x.data.data_ptr() == x.data_ptr()))(
        t.ones(2, requires_grad=True))),
    ("data_shares", lambda t: (lambda x: (x.data.mul_(3), x.detach())[1])(t.ones(2, requires_grad=True))),
    ("data_setter", lambda t: (lambda x: (setattr(x, "data", t.zeros(3)), x, x.requires_grad)[1:])(
        t.ones(2, requires_grad=True))),
    ("detach", lambda t: (lambda x: (x.detach(), x.detach().requires_grad, (x * 2).detach().is_leaf))(
        t.ones(2, requires_grad=True))),
    ("detach_shares", lambda t: (lambda x: (x.detach().add_(1), x.detach())[1])(t.ones(2, requires_grad=True))),
    ("detach_version", lambda t: (lambda x: (lambda d: (d.add_(1), x._version, d._version)[1:])(x.detach()))(
        t.ones(2))),
    ("data_version", lambda t: (lambda x: (lambda d: (d.add_(1), x._version, d._version)[1:])(x.data))(t.ones(2))),
    ("detach_", lambda t: (lambda y: (y.detach_() is y, y.requires_grad, y.is_leaf))(
        t.ones(2, requires_grad=True) * 2)),
]


@pytest.mark.parametrize("name,fn", CASES, ids=[c[0] for c in CASES])
def test_protocols(name, fn):
    same(fn)


ERRORS = [
    ("item_many", lambda t: t.ones(3).item()),
    ("item_empty", lambda t: t.zeros(0).item()),
    ("numpy_requires_grad", lambda t: t.ones(2, requires_grad=True).numpy()),
    ("numpy_nonleaf", lambda t: (t.ones(2, requires_grad=True) * 2).numpy()),
    ("numpy_bfloat16", lambda t: t.ones(2, dtype=t.bfloat16).numpy()),
    ("len_0d", lambda t: len(t.tensor(1.0))),
    ("iter_0d", lambda t: iter(t.tensor(1.0))),
    ("list_0d", lambda t: list(t.tensor(1.0))),
    ("bool_many", lambda t: bool(t.ones(2))),
    ("bool_empty", lambda t: bool(t.zeros(0))),
    ("if_many", lambda t: 1 if t.ones(2) else 0),
    ("int_many", lambda t: int(t.ones(2))),
    ("float_many", lambda t: float(t.ones(2))),
    ("complex_many", lambda t: complex(t.ones(2))),
    ("int_empty", lambda t: int(t.zeros(0))),
    ("float_complex", lambda t: float(t.tensor(1 + 2j))),
    ("int_complex", lambda t: int(t.tensor(1 + 2j))),
    ("index_float", lambda t: range(t.tensor(2.0))),
    ("index_many", lambda t: range(t.tensor([3, 4]))),
    ("list_index_float", lambda t: [1, 2][t.tensor(1.0)]),
    ("operator_index_complex", lambda t: operator.index(t.tensor(1j))),
    ("format_spec_nd", lambda t: f"{t.tensor([1.0, 2.0]):.2f}"),
    ("format_spec_1elem", lambda t: f"{t.tensor([2.5]):.2f}"),
    ("format_int_spec_float", lambda t: f"{t.tensor(2.5):d}"),
    ("size_out_of_range", lambda t: t.ones(3).size(1)),
    ("size_out_of_range_neg", lambda t: t.ones(2, 3).size(-3)),
    ("size_0d", lambda t: t.tensor(1.0).size(0)),
    ("size_0d_neg", lambda t: t.tensor(1.0).size(-1)),
    ("Size_float", lambda t: t.Size([2.5])),
    ("Size_str", lambda t: t.Size(["a"])),
    ("Size_none", lambda t: t.Size([None])),
    ("Size_float_tensor", lambda t: t.Size([t.tensor(2.0)])),
    ("Size_two_args", lambda t: t.Size(2, 3)),
    ("Size_add_list", lambda t: t.Size([2]) + [3]),
    ("mT_1d", lambda t: t.ones(3).mT),
    ("requires_grad_int", lambda t: t.tensor([1, 2]).requires_grad_()),
    ("requires_grad_bool", lambda t: t.tensor([True]).requires_grad_()),
    ("requires_grad_attr_int", lambda t: setattr(t.tensor([1, 2]), "requires_grad", True)),
    ("requires_grad_false_nonleaf", lambda t: (t.ones(2, requires_grad=True) * 2).requires_grad_(False)),
    ("deepcopy_nonleaf", lambda t: copy.deepcopy(t.ones(2, requires_grad=True) * 2)),
    ("detach_view_inplace", lambda t: (t.ones(2, 2, requires_grad=True) * 2)[0].detach_(),
     r"^Can't detach views in-place. Use detach\(\) instead."),
]


@pytest.mark.parametrize("case", ERRORS, ids=[c[0] for c in ERRORS])
def test_protocol_errors(case):
    same_error(*case[1:])


# repr/str of a table of tensors (the printing itself is tested in test_tensor_str.py; this checks
# what the Tensor passes to it: dtype suffixes, requires_grad and grad_fn names).
REPRS = [
    ("float", lambda t: t.tensor([1.5, 2.0, -3.25])),
    ("float_0d", lambda t: t.tensor(2.5)),
    ("int", lambda t: t.arange(6).reshape(2, 3)),
    ("int32", lambda t: t.tensor([1, 2], dtype=t.int32)),
    ("bool", lambda t: t.tensor([True, False])),
    ("float64", lambda t: t.tensor([1.0, 2.5], dtype=t.float64)),
    ("float16", lambda t: t.tensor([0.1, 1.5], dtype=t.float16)),
    ("bfloat16", lambda t: t.tensor([0.1, 1.5], dtype=t.bfloat16)),
    ("uint8", lambda t: t.tensor([0, 255], dtype=t.uint8)),
    ("complex", lambda t: t.tensor([1 + 2j, -0.5j])),
    ("empty", lambda t: t.zeros(0)),
    ("empty_2d_int", lambda t: t.zeros(2, 0, dtype=t.int64)),
    ("empty_float64", lambda t: t.zeros(0, dtype=t.float64)),
    ("requires_grad", lambda t: t.tensor([1.0, 2.0], requires_grad=True)),
    ("requires_grad_0d", lambda t: t.tensor(1.5, requires_grad=True)),
    ("requires_grad_float64", lambda t: t.ones(2, dtype=t.float64, requires_grad=True)),
    ("requires_grad_empty", lambda t: t.zeros(0, 2, requires_grad=True)),
    ("grad_fn_mul", lambda t: leaf(t, 3) * 2),
    ("grad_fn_add", lambda t: leaf(t, 2, 2) + 1),
    ("grad_fn_sum", lambda t: leaf(t, 3).sum()),
    ("grad_fn_mean", lambda t: leaf(t, 2, 3).mean()),
    ("grad_fn_double", lambda t: leaf(t, 2).double()),
    ("grad_fn_float64", lambda t: leaf(t, 2, dtype=t.float64) * 3),
    ("grad_fn_select", lambda t: leaf(t, 2, 3)[0]),
    ("grad_fn_slice", lambda t: leaf(t, 2, 3)[:, 1:]),
    ("grad_fn_view", lambda t: leaf(t, 2, 3).view(6)),
    ("grad_fn_reshape", lambda t: leaf(t, 2, 3).reshape(3, 2)),
    ("grad_fn_t", lambda t: leaf(t, 2, 3).t()),
    ("grad_fn_T", lambda t: leaf(t, 2, 3).T),
    ("grad_fn_mT", lambda t: leaf(t, 2, 3).mT),
    ("grad_fn_exp", lambda t: leaf(t, 3).exp()),
    ("grad_fn_pow", lambda t: leaf(t, 3) ** 2),
    ("grad_fn_neg", lambda t: -leaf(t, 3)),
    ("grad_fn_div", lambda t: leaf(t, 3) / 3),
    ("grad_fn_clone", lambda t: leaf(t, 3).clone()),
    ("grad_fn_unsqueeze", lambda t: leaf(t, 3).unsqueeze(0)),
    ("grad_fn_expand", lambda t: leaf(t, 1, 3).expand(2, 3)),
    ("grad_fn_long_line", lambda t: t.arange(13.0, requires_grad=True) * 1.123),
]


@pytest.mark.parametrize("name,fn", REPRS, ids=[c[0] for c in REPRS])
def test_repr(name, fn):
    e, a = fn(torch), fn(jtorch)
    assert repr(a) == repr(e)
    assert str(a) == str(e)


def test_repr_default_float64():
    """With a float64 default, float64 tensors lose their dtype suffix and float32 ones gain it."""
    try:
        for lib in (torch, jtorch):
            lib.set_default_dtype(lib.float64)
        for fn in (lambda t: t.tensor([1.5, 2.0]), lambda t: t.tensor([1.5], dtype=t.float32),
                   lambda t: t.tensor([1j]), lambda t: t.tensor([1j], dtype=t.complex64)):
            assert repr(fn(jtorch)) == repr(fn(torch))
    finally:
        for lib in (torch, jtorch):
            lib.set_default_dtype(lib.float32)


PICKLES = [
    ("float", lambda t: t.tensor([1.5, -2.0])),
    ("float_0d", lambda t: t.tensor(2.5)),
    ("int", lambda t: t.arange(6).reshape(2, 3)),
    ("bool", lambda t: t.tensor([True, False])),
    ("float64", lambda t: t.ones(2, dtype=t.float64)),
    ("bfloat16", lambda t: t.tensor([0.1, 1.5], dtype=t.bfloat16)),
    ("complex", lambda t: t.tensor([1 + 2j])),
    ("empty", lambda t: t.zeros(0, 3)),
    ("requires_grad", lambda t: t.ones(2, requires_grad=True)),
    ("nonleaf", lambda t: t.ones(2, requires_grad=True) * 2),
    ("view", lambda t: t.arange(6.0).reshape(2, 3)[:, 1]),
]


@pytest.mark.parametrize("name,fn", PICKLES, ids=[c[0] for c in PICKLES])
def test_pickle_roundtrip(name, fn):
    """Values, dtype, shape and requires_grad survive pickling (a non-leaf loads as a leaf)."""
    for proto in (2, pickle.HIGHEST_PROTOCOL):
        same(lambda t: pickle.loads(pickle.dumps(fn(t), protocol=proto)))


@pytest.mark.parametrize("name,fn", PICKLES[:-2], ids=[c[0] for c in PICKLES[:-2]])
def test_deepcopy(name, fn):
    """Leaves deep-copy to equal, independent leaves (requires_grad kept)."""
    same(lambda t: copy.deepcopy(fn(t)))
    same(lambda t: (lambda x: (lambda y: (y.add_(1) if not y.requires_grad else y, x)[1])(copy.deepcopy(x)))(fn(t)))


def test_deepcopy_memo_and_grad():
    def fn(t):
        x = t.ones(2, requires_grad=True)
        x.grad = t.full((2,), 3.0)
        d = copy.deepcopy({"a": x, "b": x, "c": [x]})
        return d["a"] is d["b"], d["c"][0] is d["a"], d["a"] is x, d["a"].grad, d["a"].grad is x.grad
    same(fn)


def test_deepcopy_keeps_attributes():
    x = jtorch.ones(2)
    x.tag = {"k": [1]}
    y = copy.deepcopy(x)
    assert y.tag == {"k": [1]} and y.tag is not x.tag


TRANSPOSES = [
    ("T_2d", lambda t, a: a.T, [arr(2, 3)]),
    ("T_3d", lambda t, a: a.T, [arr(2, 3, 4)]),
    ("T_1d", lambda t, a: a.T, [arr(3)]),
    ("T_0d", lambda t, a: a.T, [arr()]),
    ("mT_3d", lambda t, a: a.mT, [arr(2, 3, 4)]),
    ("mT_5d", lambda t, a: a.mT * 2, [arr(1, 2, 1, 3, 2)]),
    ("H", lambda t, a: a.H, [arr(2, 3, dtype="complex64")]),
    ("mH", lambda t, a: a.mH, [arr(2, 2, 3, dtype="complex64")]),
    ("mH_real", lambda t, a: a.mH, [arr(2, 3, dtype="float64")]),
    ("T_int", lambda t, a: a.T, [arr(2, 3, dtype="int64")]),
    ("detach", lambda t, a: a.detach() * a, [arr(2, 3)]),
    ("data", lambda t, a: a.data + a, [arr(2, 3)]),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name,fn,inputs", TRANSPOSES, ids=[c[0] for c in TRANSPOSES])
def test_transposes(name, fn, inputs, mode):
    check(fn, *inputs, mode=mode)
