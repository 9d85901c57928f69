"""Views alias their base as in PyTorch: writes through either are seen by both, strides and
contiguity are PyTorch's, version counters are shared, and impossible views fail like PyTorch."""
import pytest

from parity import MODES, arr, assert_same, check, check_error, torch

import jtorch

VIEW_OPS = [
    ("view", lambda x: x.view(4, 6)),
    ("view_infer", lambda x: x.view(-1, 3)),
    ("reshape_contig", lambda x: x.reshape(6, 4)),
    ("flatten", lambda x: x.flatten()),
    ("flatten_range", lambda x: x.flatten(1)),
    ("unflatten", lambda x: x.unflatten(2, (2, 2))),
    ("transpose", lambda x: x.transpose(0, 2)),
    ("permute", lambda x: x.permute(2, 0, 1)),
    ("t_of_2d", lambda x: x[0].t()),
    ("select", lambda x: x.select(1, 2)),
    ("narrow", lambda x: x.narrow(2, 1, 2)),
    ("unsqueeze", lambda x: x.unsqueeze(1)),
    ("squeeze_dim", lambda x: x.unsqueeze(0).squeeze(0)),
    ("expand", lambda x: x[:, :1].expand(2, 3, 4)),
    ("diagonal", lambda x: x.diagonal(0, 1, 2)),
    ("diagonal_offset", lambda x: x.diagonal(1, 1, 2)),
    ("movedim", lambda x: x.movedim(0, -1)),
    ("unfold", lambda x: x.unfold(2, 2, 1)),
    ("split_piece", lambda x: x.split(2, dim=2)[1]),
    ("chunk_piece", lambda x: x.chunk(3, dim=1)[2]),
    ("unbind_piece", lambda x: x.unbind(1)[1]),
    ("as_strided", lambda x: x.as_strided((2, 2), (4, 1), 1)),
    ("detach", lambda x: x.detach()),
    ("view_of_transposed", lambda x: x.transpose(1, 2).unsqueeze(0)),
    ("T", lambda x: x[0].T),
    ("mT", lambda x: x.mT),
]


def _layout(t):
    return tuple(t.shape), tuple(t.stride()), t.storage_offset(), t.is_contiguous()


@pytest.mark.parametrize("name,op", VIEW_OPS, ids=[v[0] for v in VIEW_OPS])
def test_view_layout_and_aliasing(name, op):
    def run(t):
        x = t.tensor(arr(2, 3, 4))
        v = op(x)
        layout = _layout(v)
        if name not in ("expand", "unfold"):
            v.mul_(10)
        x.add_(1)
        return layout, x, v, x._version, v._version
    expected, actual = run(torch), run(jtorch)
    assert expected[0] == actual[0], f"layout {expected[0]} vs {actual[0]}"
    assert_same(expected[1:], actual[1:])


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name,op", VIEW_OPS, ids=[v[0] for v in VIEW_OPS])
def test_view_gradients(name, op, mode):
    if name == "detach":
        pytest.skip("detach has no gradient")
    check(lambda t, x: op(x) * 2, arr(2, 3, 4), mode=mode)


def test_view_of_view_write_reaches_base():
    def run(t):
        x = t.zeros(4, 5)
        a = x.t()
        b = a.narrow(0, 1, 3)
        c = b.select(1, 2)
        c.fill_(7)
        x[0].add_(1) if hasattr(x, "__getitem__") else None
        return x, a, b, c
    assert_same(run(torch), run(jtorch))


def test_reshape_copies_when_view_impossible():
    def run(t):
        x = t.tensor(arr(3, 4))
        r = x.t().reshape(-1)
        r.add_(100)
        return x, r, r.is_contiguous()
    assert_same(run(torch), run(jtorch))


def test_base_write_reaches_views_after_creation():
    def run(t):
        x = t.zeros(3, 4)
        v = x.transpose(0, 1)
        x.add_(t.tensor(arr(3, 4)))
        return v, v.sum()
    assert_same(run(torch), run(jtorch))


def test_view_in_place_with_grad_goes_through_base():
    def run(t):
        w = t.tensor(arr(4), requires_grad=True)
        x = t.zeros(3, 4)
        x.select(0, 1).copy_(w * 3)
        x.transpose(0, 1).select(1, 2).add_(w)
        (x ** 2).sum().backward()
        return x, w.grad, x.grad_fn.name()
    assert_same(run(torch), run(jtorch))


VIEW_ERRORS = [
    ("view_noncontig", lambda t: t.ones(2, 3).t().view(-1), r"view size is not compatible"),
    ("view_bad_size", lambda t: t.ones(2, 3).view(4), r"invalid for input of size 6"),
    ("view_two_infer", lambda t: t.ones(2, 3).view(-1, -1), r"only one dimension can be inferred"),
    ("expand_write", lambda t: t.ones(3, 1).expand(3, 4).add_(1), r"more than one element"),
    ("expand_copy", lambda t: t.ones(1).expand(3).copy_(t.ones(3)), r"more than one element"),
    ("expand_bad", lambda t: t.ones(3, 2).expand(3, 4), r"must match the existing size"),
    ("permute_len", lambda t: t.ones(2, 3).permute(0), r"number of dimensions"),
    ("transpose_dim", lambda t: t.ones(2, 3).transpose(0, 2), r"Dimension out of range"),
    ("select_oob", lambda t: t.ones(2, 3).select(1, 3), r"out of bounds"),
    ("narrow_oob", lambda t: t.ones(2, 3).narrow(1, 2, 2), r"exceeds dimension size"),
    ("t_3d", lambda t: t.ones(2, 3, 4).t(), r"<= 2 dimensions"),
    ("squeeze_dim", lambda t: t.ones(2, 3).squeeze(3), r"Dimension out of range"),
    ("unflatten_sizes", lambda t: t.ones(2, 6).unflatten(1, (4, 2)), r"don't multiply up"),
    ("chunk_zero", lambda t: t.ones(4).chunk(0), r"chunk expects"),
    ("diagonal_same_dims", lambda t: t.ones(3, 3).diagonal(0, 1, 1), r"cannot be identical"),
]


@pytest.mark.parametrize("name,fn,match", VIEW_ERRORS, ids=[e[0] for e in VIEW_ERRORS])
def test_view_errors(name, fn, match):
    check_error(fn, match=match)
