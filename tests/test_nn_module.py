"""nn.Module, Parameter/Buffer and the containers against real PyTorch.

Each scenario is ``fn(lib)`` run once with ``lib=torch`` and once with ``lib=jtorch``; the
results (tensors, names, reprs, state dicts) or the raised exception (type and message) must be
the same, with 'jtorch' read as 'torch' in strings.
"""
import copy
import pickle
import warnings
from collections import OrderedDict

import numpy as np
import pytest

from parity import MODES, arr, check_module, torch

import jtorch  # noqa: E402
import jtorch.nn  # noqa: E402,F401


# ---------------------------------------------------------------- comparison helpers
def _norm(x):
    """A library-neutral description of ``x`` for comparison."""
    if isinstance(x, (torch.Tensor, jtorch.Tensor)):
        a = x.detach()
        a = a.float() if a.dtype in (torch.bfloat16, jtorch.bfloat16) else a
        return ("tensor", type(x).__name__, str(x.dtype), tuple(x.shape), bool(x.requires_grad),
                np.asarray(a.numpy() if isinstance(a, torch.Tensor) else a.numpy()))
    if isinstance(x, (torch.Size, jtorch.Size)):
        return ("size", tuple(x))
    if isinstance(x, (torch.dtype, jtorch.dtype)):
        return ("dtype", str(x))
    if isinstance(x, dict):
        return (type(x).__name__, [(_norm(k), _norm(v)) for k, v in x.items()])
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return (type(x).__name__, [_norm(v) for v in x])
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [_norm(v) for v in x])
    if isinstance(x, str):
        return x.replace("jtorch", "torch")
    if isinstance(x, BaseException):
        return ("error", type(x).__name__, str(x).replace("jtorch", "torch"))
    if isinstance(x, (bool, int, float, type(None))):
        return x
    return repr(x).replace("jtorch", "torch")


def _equal(a, b, path="result"):
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray), f"{path}: {b!r} is not an array"
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6, err_msg=path)
        return
    if isinstance(a, tuple) and isinstance(b, tuple) or isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), f"{path}: torch {a!r}\n jtorch {b!r}"
        for i, (x, y) in enumerate(zip(a, b)):
            _equal(x, y, f"{path}[{i}]")
        return
    if isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-6), f"{path}: torch {a!r}, jtorch {b!r}"
        return
    assert a == b, f"{path}:\n torch  {a!r}\n jtorch {b!r}"


def _outcome(fn, lib):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return _norm(fn(lib))
        except Exception as e:  # noqa: BLE001  (the exception is the result being compared)
            return _norm(e)


def same(fn):
    """Run ``fn(torch)`` and ``fn(jtorch)``; assert equal results or equal exceptions."""
    _equal(_outcome(fn, torch), _outcome(fn, jtorch))


# ---------------------------------------------------------------- test modules
def leaf(lib, shape=(3, 2), seed=0):
    """A deterministic float tensor."""
    return lib.tensor(arr(*shape, seed=seed))


def make_net(lib):
    """Net: parameters, a persistent and a non-persistent buffer, nested children, a shared module."""
    nn = lib.nn

    class Block(nn.Module):
        def __init__(self, n_in, n_out, seed):
            super().__init__()
            self.weight = nn.Parameter(leaf(lib, (n_out, n_in), seed))
            self.bias = nn.Parameter(leaf(lib, (n_out,), seed + 1))
            self.register_buffer("count", lib.zeros((), dtype=lib.int64))

        def forward(self, x):
            return x @ self.weight.t() + self.bias

        def extra_repr(self):
            return f"in={self.weight.shape[1]}, out={self.weight.shape[0]}"

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = Block(2, 3, 0)
            self.body = nn.Sequential(Block(3, 4, 2), Block(4, 4, 4))
            self.head = Block(4, 1, 6)
            self.register_buffer("scale", lib.ones(1))
            self.register_buffer("cache", lib.zeros(2), persistent=False)
            self.shared = self.fc

        def forward(self, x):
            return self.head(self.body(self.fc(x))) * self.scale

    return Net()


# ---------------------------------------------------------------- Parameter / Buffer
def _param_alias(lib):
    t = leaf(lib)
    p = lib.nn.Parameter(t)
    t.mul_(2)
    return p, p.requires_grad, p.is_leaf, isinstance(p, lib.Tensor), type(p * 2).__name__, type(p.detach()).__name__


def _param_grad(lib):
    p = lib.nn.Parameter(leaf(lib))
    (p * p).sum().backward()
    return p.grad, p.grad_fn is None


def _param_deepcopy(lib):
    p = lib.nn.Parameter(leaf(lib))
    (p * 3).sum().backward()
    q = copy.deepcopy(p)
    q.data.add_(1)
    return type(q).__name__, q.grad is None, p, q, q.requires_grad


def _param_pickle(lib):
    p = lib.nn.Parameter(leaf(lib), requires_grad=False)
    q = pickle.loads(pickle.dumps(p))
    return type(q).__name__, q, q.requires_grad


def _param_no_grad(lib):
    with lib.no_grad():
        p = lib.nn.Parameter(leaf(lib))
    return p.requires_grad, lib.nn.Parameter().shape, lib.nn.Parameter().dtype


def _buffer(lib):
    b = lib.nn.Buffer(leaf(lib), persistent=False)
    m = lib.nn.Module()
    m.b = b
    m.c = lib.nn.Buffer(lib.ones(2))
    return (isinstance(b, lib.nn.Buffer), isinstance(lib.ones(1), lib.nn.Buffer), type(b).__name__,
            list(m.state_dict()), [n for n, _ in m.named_buffers()])


PARAM_CASES = [
    ("repr", lambda lib: repr(lib.nn.Parameter(leaf(lib)))),
    ("repr_no_grad", lambda lib: repr(lib.nn.Parameter(leaf(lib), requires_grad=False))),
    ("alias", _param_alias),
    ("grad", _param_grad),
    ("deepcopy", _param_deepcopy),
    ("pickle", _param_pickle),
    ("no_grad_and_empty", _param_no_grad),
    ("int_requires_grad", lambda lib: lib.nn.Parameter(lib.arange(3))),
    ("int_no_grad", lambda lib: lib.nn.Parameter(lib.arange(3), requires_grad=False)),
    ("buffer", _buffer),
]


@pytest.mark.parametrize("name,fn", PARAM_CASES, ids=[c[0] for c in PARAM_CASES])
def test_parameter(name, fn):
    same(fn)


# ---------------------------------------------------------------- registration and naming
def _names(lib):
    net = make_net(lib)
    return ([n for n, _ in net.named_parameters()], [n for n, _ in net.named_buffers()],
            [n for n, _ in net.named_modules()], [n for n, _ in net.named_children()],
            [n for n, _ in net.named_parameters(prefix="model")], [n for n, _ in net.named_parameters(recurse=False)],
            [n for n, _ in net.named_parameters(remove_duplicate=False)],
            [n for n, _ in net.named_modules(remove_duplicate=False)], [n for n, _ in net.named_buffers(recurse=False)],
            len(list(net.parameters())), len(list(net.buffers())), len(list(net.modules())),
            len(list(net.children())), [type(m).__name__ for m in net.modules()])


def _shared_param(lib):
    nn = lib.nn
    m = nn.Module()
    p = nn.Parameter(leaf(lib))
    m.a = p
    m.b = p
    m.sub = nn.Module()
    m.sub.c = p
    return ([n for n, _ in m.named_parameters()], [n for n, _ in m.named_parameters(remove_duplicate=False)],
            list(m.state_dict()))


def _state_dict(lib):
    net = make_net(lib)
    sd = net.state_dict()
    kv = net.state_dict(keep_vars=True)
    return (sd, dict(sd._metadata), [type(v).__name__ for v in kv.values()], [v.requires_grad for v in sd.values()],
            list(net.state_dict(prefix="p.")), list(net.fc.state_dict()))


def _assign_errors(lib):
    net = make_net(lib)
    out = []
    for attempt in (lambda: setattr(net.fc, "weight", leaf(lib)),
                    lambda: setattr(net, "fc", 3),
                    lambda: setattr(net, "scale", [1.0]),
                    lambda: net.register_parameter("x", leaf(lib)),
                    lambda: net.register_parameter("a.b", None),
                    lambda: net.register_parameter("", None),
                    lambda: net.register_parameter("training", None),
                    lambda: net.register_parameter(3, None),
                    lambda: net.register_buffer("a.b", None),
                    lambda: net.register_buffer("", None),
                    lambda: net.register_buffer("fc", None),
                    lambda: net.register_buffer("z", 3.0),
                    lambda: net.register_buffer(1, None),
                    lambda: net.add_module("m", 3),
                    lambda: net.add_module("a.b", None),
                    lambda: net.add_module("", None),
                    lambda: net.add_module("scale", lib.nn.Module()),
                    lambda: net.add_module(2, None),
                    lambda: net.register_parameter("nl", lib.nn.Parameter(leaf(lib)) * 2),
                    lambda: net.missing,
                    lambda: getattr(net.body, "7")):
        try:
            attempt()
            out.append("ok")
        except Exception as e:  # noqa: BLE001
            out.append(_norm(e))
    return out


def _nonleaf_param(lib):
    m = lib.nn.Module()
    x = leaf(lib).requires_grad_()
    p = lib.nn.Parameter(x)
    q = p * 2
    q.__class__ = type(p)
    m.register_parameter("w", q)


def _before_init(lib):
    class Bad(lib.nn.Module):
        def __init__(self, kind):
            if kind == 0:
                self.w = lib.nn.Parameter(leaf(lib))
            elif kind == 1:
                self.m = lib.nn.Module()
            elif kind == 2:
                self.register_buffer("b", leaf(lib))
            else:
                self.register_parameter("p", None)
            super().__init__()

    out = []
    for kind in range(4):
        try:
            Bad(kind)
        except AttributeError as e:
            out.append(str(e))
    return out


def _reassign(lib):
    nn = lib.nn
    m = nn.Module()
    m.x = nn.Parameter(leaf(lib))
    m.x = None
    m.register_buffer("b", lib.ones(2))
    m.b = lib.zeros(3)
    m.c = lib.ones(1)
    m.sub = nn.Module()
    m.sub = None
    m.y = nn.Parameter(leaf(lib))
    try:
        m.y = nn.Module()
    except TypeError as e:
        err = str(e)
    m.z = nn.Module()
    m.z = nn.Parameter(leaf(lib))
    m.register_buffer("nb", lib.ones(1), persistent=False)
    m.nb = lib.zeros(1)
    state = (err, list(m._parameters), list(m._buffers), list(m._modules), "c" in m.__dict__, list(m.state_dict()),
             m.b, m.x)
    del m.b, m.z, m.y, m.c
    return state, list(m._parameters), list(m._buffers), list(m._modules), hasattr(m, "c")


def _submodule_lookup(lib):
    net = make_net(lib)
    out = [type(net.get_submodule("body.1")).__name__, net.get_parameter("body.0.bias"),
           net.get_buffer("fc.count"), net.get_submodule("") is net]
    for attempt in (lambda: net.get_submodule("body.9"), lambda: net.get_submodule("fc.weight"),
                    lambda: net.get_parameter("fc.count"), lambda: net.get_parameter("fc.nope"),
                    lambda: net.get_buffer("fc.weight"), lambda: net.get_buffer("nope.x"),
                    lambda: net.set_submodule("", lib.nn.Module()), lambda: net.set_submodule("fc", 3),
                    lambda: net.set_submodule("fc.weight", lib.nn.Module()),
                    lambda: net.set_submodule("newone", lib.nn.Module(), strict=True)):
        try:
            attempt()
        except Exception as e:  # noqa: BLE001
            out.append(_norm(e))
    net.set_submodule("body.0", lib.nn.Sequential())
    out.append(repr(net.body))
    return out


def _init_args(lib):
    out = []
    for args, kwargs in (((1,), {}), ((), {"a": 1})):
        try:
            lib.nn.Module(*args, **kwargs)
        except TypeError as e:
            out.append(str(e))
    return out


def _no_forward(lib):
    return lib.nn.Module()(leaf(lib))


def _dir(lib):
    net = make_net(lib)
    d = dir(net)
    return [k in d for k in ("fc", "body", "scale", "cache", "forward", "training", "state_dict")], \
        [k for k in dir(net.body) if k.isdigit()]


REGISTRATION_CASES = [
    ("names", _names),
    ("shared_param", _shared_param),
    ("state_dict", _state_dict),
    ("assign_errors", _assign_errors),
    ("nonleaf_param", _nonleaf_param),
    ("before_init", _before_init),
    ("reassign", _reassign),
    ("submodule_lookup", _submodule_lookup),
    ("init_args", _init_args),
    ("no_forward", _no_forward),
    ("dir", _dir),
]


@pytest.mark.parametrize("name,fn", REGISTRATION_CASES, ids=[c[0] for c in REGISTRATION_CASES])
def test_registration(name, fn):
    same(fn)


# ---------------------------------------------------------------- load_state_dict
def _source_state(lib):
    src = make_net(lib)
    for i, p in enumerate(src.parameters()):
        with lib.no_grad():
            p.add_(i + 1)
    src.scale.fill_(3.0)
    return src.state_dict()


def _load_ok(lib):
    net = make_net(lib)
    w = net.fc.weight
    res = net.load_state_dict(_source_state(lib))
    return repr(res), res, net.state_dict(), net.fc.weight is w, net.fc.weight.requires_grad


def _load_missing_unexpected(lib):
    sd = _source_state(lib)
    del sd["fc.bias"], sd["body.1.count"]
    sd["extra"] = lib.ones(1)
    sd["body.5.weight"] = lib.ones(1)
    return make_net(lib).load_state_dict(sd)


def _load_non_strict(lib):
    sd = _source_state(lib)
    del sd["fc.bias"]
    sd["extra"] = lib.ones(1)
    sd["fc.weight"] = lib.ones(9)
    net = make_net(lib)
    try:
        net.load_state_dict(sd, strict=False)
    except RuntimeError as e:
        first = str(e)
    del sd["fc.weight"]
    res = net.load_state_dict(sd, strict=False)
    return first, res, repr(res), net.state_dict()


def _load_size_mismatch(lib):
    sd = _source_state(lib)
    sd["fc.weight"] = lib.ones(2, 2)
    sd["body.0.bias"] = lib.ones(5)
    return make_net(lib).load_state_dict(sd)


def _load_not_tensor(lib):
    sd = _source_state(lib)
    sd["fc.weight"] = [1.0]
    return make_net(lib).load_state_dict(sd)


def _load_not_mapping(lib):
    return make_net(lib).load_state_dict([("fc.weight", lib.ones(1))])


def _load_assign(lib):
    net = make_net(lib)
    w = net.fc.weight
    sd = _source_state(lib)
    src_w = sd["fc.weight"]
    net.load_state_dict(sd, assign=True)
    return (net.fc.weight is w, type(net.fc.weight).__name__, net.fc.weight.requires_grad,
            net.fc.weight.data_ptr() == src_w.data_ptr(), net.state_dict())


def _load_scalar_from_1elem(lib):
    m = lib.nn.Module()
    m.p = lib.nn.Parameter(lib.tensor(1.0))
    m.load_state_dict({"p": lib.tensor([5.0])})
    return m.p


def _load_dtype_cast(lib):
    m = lib.nn.Module()
    m.p = lib.nn.Parameter(lib.zeros(2))
    m.load_state_dict({"p": lib.tensor([1.5, 2.5], dtype=lib.float64)})
    return m.p


def _load_hooks(lib):
    log = []

    class Renamed(lib.nn.Module):
        _version = 2

        def __init__(self):
            super().__init__()
            self.new_w = lib.nn.Parameter(lib.zeros(2))

        def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing, unexpected, errors):
            log.append((prefix, local_metadata.get("version")))
            if prefix + "old_w" in state_dict:
                state_dict[prefix + "new_w"] = state_dict.pop(prefix + "old_w")
            super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing, unexpected, errors)

    outer = lib.nn.Sequential(Renamed())
    sd = OrderedDict([("0.old_w", lib.ones(2))])
    sd._metadata = OrderedDict([("", {"version": 1}), ("0", {"version": 1})])
    outer.register_load_state_dict_post_hook(lambda mod, keys: log.append(("post", list(keys.missing_keys))))
    outer[0].register_load_state_dict_pre_hook(
        lambda mod, sd_, prefix, *rest: log.append(("pre", type(mod).__name__, prefix)))
    res = outer.load_state_dict(sd)
    return log, res, outer[0].new_w, outer.state_dict()._metadata


def _state_dict_hooks(lib):
    log = []
    m = make_net(lib)
    m.register_state_dict_pre_hook(lambda mod, prefix, keep_vars: log.append(("pre", prefix, keep_vars)))
    m.fc._register_state_dict_hook(lambda mod, sd, prefix, meta: log.append(("post", prefix, sorted(meta))))

    def drop(mod, sd, prefix, meta):
        sd.pop(prefix + "bias")
        return sd

    m.head._register_state_dict_hook(drop)
    sd = m.state_dict()
    return log, list(sd)


def _extra_state(lib):
    class WithExtra(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.p = lib.nn.Parameter(lib.zeros(1))
            self.note = "a"

        def get_extra_state(self):
            return {"note": self.note}

        def set_extra_state(self, state):
            self.note = state["note"] + "!"

    m = lib.nn.Sequential(WithExtra())
    sd = m.state_dict()
    keys = list(sd)
    m.load_state_dict(sd)
    try:
        lib.nn.Sequential(WithExtra()).load_state_dict({"0.p": lib.zeros(1)})
    except RuntimeError as e:
        err = str(e)
    return keys, sd["0._extra_state"], m[0].note, err


def _load_unexpected_extra_state(lib):
    return lib.nn.Sequential(lib.nn.Module()).load_state_dict({"0._extra_state": 1})


LOAD_CASES = [
    ("ok", _load_ok),
    ("missing_unexpected", _load_missing_unexpected),
    ("non_strict", _load_non_strict),
    ("size_mismatch", _load_size_mismatch),
    ("not_tensor", _load_not_tensor),
    ("not_mapping", _load_not_mapping),
    ("assign", _load_assign),
    ("scalar_from_1elem", _load_scalar_from_1elem),
    ("dtype_cast", _load_dtype_cast),
    ("load_hooks", _load_hooks),
    ("state_dict_hooks", _state_dict_hooks),
    ("extra_state", _extra_state),
    ("unexpected_extra_state", _load_unexpected_extra_state),
]


@pytest.mark.parametrize("name,fn", LOAD_CASES, ids=[c[0] for c in LOAD_CASES])
def test_load_state_dict(name, fn):
    same(fn)


def test_load_torch_state_dict_values():
    """A jtorch model loads the numbers of a torch model's state_dict and computes the same output."""
    t_net, j_net = make_net(torch), make_net(jtorch)
    with torch.no_grad():
        for p in t_net.parameters():
            p.mul_(0.5)
    j_net.load_state_dict({k: jtorch.tensor(v.numpy()) for k, v in t_net.state_dict().items()})
    x = arr(5, 2)
    np.testing.assert_allclose(j_net(jtorch.tensor(x)).detach().numpy(),
                               t_net(torch.from_numpy(x)).detach().numpy(), rtol=1e-5)


# ---------------------------------------------------------------- modes, grads, conversions
def _train_eval(lib):
    net = make_net(lib)
    a = [m.training for m in net.modules()]
    net.eval()
    b = [m.training for m in net.modules()]
    net.body.train()
    c = [m.training for m in net.modules()]
    r = net.train(False) is net
    try:
        net.train("no")
    except ValueError as e:
        err = str(e)
    return a, b, c, r, err


def _requires_grad(lib):
    net = make_net(lib)
    net.body.requires_grad_(False)
    flags = [p.requires_grad for p in net.parameters()]
    return flags, net.requires_grad_() is net, [p.requires_grad for p in net.parameters()]


def _zero_grad(lib):
    net = make_net(lib)
    net(leaf(lib, (4, 2))).sum().backward()
    g = [p.grad for p in net.parameters()]
    net.zero_grad(set_to_none=False)
    z = [p.grad for p in net.parameters()]
    net.zero_grad()
    return g, z, [p.grad for p in net.parameters()]


def _apply(lib):
    net = make_net(lib)
    seen = []
    net.apply(lambda m: seen.append(type(m).__name__))

    def init(m):
        if hasattr(m, "bias") and isinstance(m.bias, lib.nn.Parameter):
            with lib.no_grad():
                m.bias.fill_(0.5)

    net.apply(init)
    return seen, net.state_dict()


def _to_double(lib):
    net = make_net(lib)
    net(leaf(lib, (4, 2))).sum().backward()
    w = net.fc.weight
    g = w.grad
    out = net.to(lib.float64)
    return (out is net, net.fc.weight is w, net.fc.weight.grad is g, w.dtype, w.grad.dtype, net.scale.dtype,
            net.fc.count.dtype, type(net.fc.weight).__name__, net.fc.weight.requires_grad,
            net(leaf(lib, (4, 2)).double()), net.state_dict())


def _conversions(lib):
    out = []
    net = make_net(lib)
    for conv in (lambda m: m.double(), lambda m: m.half(), lambda m: m.bfloat16(), lambda m: m.float(),
                 lambda m: m.to(dtype=lib.float64), lambda m: m.to("cpu"), lambda m: m.to("cpu", lib.float32),
                 lambda m: m.to(lib.zeros(1, dtype=lib.float64)), lambda m: m.cpu(), lambda m: m.type(lib.float64),
                 lambda m: m.to(lib.float32, non_blocking=True), lambda m: m.share_memory()):
        r = conv(net)
        out.append((r is net, [str(t.dtype) for t in net.state_dict().values()]))
    return out


def _to_int_error(lib):
    return make_net(lib).to(lib.int64)


def _forward_double(lib):
    net = make_net(lib).double()
    x = leaf(lib, (4, 2)).double().requires_grad_()
    y = net(x)
    y.sum().backward()
    return y, x.grad, [p.grad for p in net.parameters()]


def _deepcopy_module(lib):
    net = make_net(lib)
    clone = copy.deepcopy(net)
    with lib.no_grad():
        clone.fc.weight.add_(1)
    return (clone.shared is clone.fc, clone.fc.weight is not net.fc.weight, type(clone.fc.weight).__name__,
            net.state_dict(), clone.state_dict(), repr(clone))


def _setstate(lib):
    m = lib.nn.Module()
    state = m.__getstate__()
    for k in ("_forward_hooks_with_kwargs", "_non_persistent_buffers_set", "_backward_pre_hooks"):
        state.pop(k)
    n = lib.nn.Module.__new__(lib.nn.Module)
    n.__setstate__(state)
    return sorted(k for k in n.__dict__ if k not in state)


MODE_CASES = [
    ("train_eval", _train_eval),
    ("requires_grad", _requires_grad),
    ("zero_grad", _zero_grad),
    ("apply", _apply),
    ("to_double", _to_double),
    ("conversions", _conversions),
    ("to_int_error", _to_int_error),
    ("forward_double", _forward_double),
    ("deepcopy", _deepcopy_module),
    ("setstate", _setstate),
]


@pytest.mark.parametrize("name,fn", MODE_CASES, ids=[c[0] for c in MODE_CASES])
def test_modes_and_conversions(name, fn):
    same(fn)


def test_pickle_module_roundtrip():
    """A pickled jtorch module comes back with its classes, parameters and mode."""
    from jtorch.nn.modules.container import Sequential

    net = Sequential(jtorch.nn.ParameterList([jtorch.ones(2)]), jtorch.nn.Module())
    net.eval()
    back = pickle.loads(pickle.dumps(net))
    assert type(back) is Sequential and back.training is False
    assert type(back[0][0]) is jtorch.nn.Parameter
    np.testing.assert_array_equal(back[0][0].detach().numpy(), np.ones(2, np.float32))


# ---------------------------------------------------------------- hooks
def _forward_hooks(lib):
    log = []
    net = make_net(lib)
    net.fc.register_forward_pre_hook(lambda m, args: log.append(("pre1", len(args))))
    net.fc.register_forward_pre_hook(lambda m, args: (args[0] * 2,))
    net.fc.register_forward_pre_hook(lambda m, args: log.append(("pre0",)), prepend=True)
    h = net.fc.register_forward_hook(lambda m, args, out: out + 100)
    net.fc.register_forward_hook(lambda m, args, out: log.append(("post", out)))
    net.fc.register_forward_hook(lambda m, args, out: log.append(("post0", out)), prepend=True)
    net.body.register_forward_hook(lambda m, args, kwargs, out: log.append(("kw", sorted(kwargs))),
                                   with_kwargs=True)
    y1 = net(leaf(lib, (2, 2)))
    h.remove()
    h.remove()
    y2 = net(leaf(lib, (2, 2)))
    return log, y1, y2


def _pre_hook_kwargs(lib):
    class KW(lib.nn.Module):
        def forward(self, x, scale=1.0):
            return x * scale

    m = KW()
    m.register_forward_pre_hook(lambda mod, args, kwargs: (args, {"scale": 3.0}), with_kwargs=True)
    out = m(lib.ones(2))
    m.register_forward_pre_hook(lambda mod, args, kwargs: 5, with_kwargs=True)
    try:
        m(lib.ones(2))
    except RuntimeError as e:
        err = str(e)
    return out, err


def _pre_hook_single_value(lib):
    m = lib.nn.Sequential()
    m.register_forward_pre_hook(lambda mod, args: lib.full((2,), 7.0))
    return m(lib.ones(2))


def _always_call(lib):
    log = []

    class Boom(lib.nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    m = Boom()
    m.register_forward_hook(lambda mod, args, out: log.append(("always", out)), always_call=True)
    m.register_forward_hook(lambda mod, args, out: log.append(("normal", out)))
    try:
        m(lib.ones(1))
    except ValueError as e:
        log.append(str(e))
    return log


def _global_hooks(lib):
    log = []
    nn = lib.nn
    handles = [nn.modules.module.register_module_forward_pre_hook(lambda m, a: log.append(("gpre", type(m).__name__))),
               nn.modules.module.register_module_forward_hook(lambda m, a, o: log.append(("gpost", type(m).__name__)))]
    try:
        make_net(lib)(leaf(lib, (1, 2)))
    finally:
        for h in handles:
            h.remove()
    make_net(lib)(leaf(lib, (1, 2)))
    return log


def _registration_hooks(lib):
    log = []
    mm = lib.nn.modules.module
    handles = [mm.register_module_parameter_registration_hook(lambda m, n, p: log.append(("p", n))),
               mm.register_module_buffer_registration_hook(lambda m, n, b: log.append(("b", n))),
               mm.register_module_module_registration_hook(lambda m, n, s: log.append(("m", n)))]
    try:
        make_net(lib)
    finally:
        for h in handles:
            h.remove()
    return log


def _backward_hooks(lib):
    log = []

    def fmt(gs):
        return [g if g is None else g.detach() for g in gs]

    net = make_net(lib)
    net.body.register_full_backward_pre_hook(lambda m, go: log.append(("body_pre", fmt(go))))
    net.body.register_full_backward_hook(lambda m, gi, go: log.append(("body", fmt(gi), fmt(go))))
    net.head.register_full_backward_hook(lambda m, gi, go: (gi[0] * 2,))
    net.fc.register_full_backward_pre_hook(lambda m, go: (go[0] * 0.5,))
    net.fc.register_full_backward_hook(lambda m, gi, go: log.append(("fc", fmt(gi), fmt(go))))
    x = leaf(lib, (2, 2)).requires_grad_()
    net(x).sum().backward()
    return log, x.grad, [p.grad for p in net.parameters()]


def _backward_hook_multi_io(lib):
    log = []

    class Two(lib.nn.Module):
        def forward(self, a, n, b):
            return a * b, n, (a + b).sum()

    m = Two()
    m.register_full_backward_hook(lambda mod, gi, go: log.append(
        ([None if g is None else g.detach() for g in gi], [None if g is None else g.detach() for g in go])))
    a = leaf(lib, (3,)).requires_grad_()
    b = leaf(lib, (3,), seed=2).requires_grad_()
    p, n, s = m(a, 3, b)
    (p.sum() * 2 + s).backward()
    return log, a.grad, b.grad, n


def _backward_hook_no_input_grad(lib):
    log = []
    m = make_net(lib)
    m.fc.register_full_backward_hook(lambda mod, gi, go: log.append((gi, [g.detach() for g in go])))
    m(leaf(lib, (2, 2))).sum().backward()
    return log


def _backward_hook_bad_len(lib):
    m = make_net(lib)
    m.fc.register_full_backward_hook(lambda mod, gi, go: (gi[0], gi[0]))
    m(leaf(lib, (2, 2)).requires_grad_()).sum().backward()


def _backward_pre_hook_bad_len(lib):
    m = make_net(lib)
    m.fc.register_full_backward_pre_hook(lambda mod, go: (go[0], go[0]))
    m(leaf(lib, (2, 2)).requires_grad_()).sum().backward()


HOOK_CASES = [
    ("forward_hooks", _forward_hooks),
    ("pre_hook_kwargs", _pre_hook_kwargs),
    ("pre_hook_single_value", _pre_hook_single_value),
    ("always_call", _always_call),
    ("global_hooks", _global_hooks),
    ("registration_hooks", _registration_hooks),
    ("backward_hooks", _backward_hooks),
    ("backward_hook_multi_io", _backward_hook_multi_io),
    ("backward_hook_no_input_grad", _backward_hook_no_input_grad),
    ("backward_hook_bad_len", _backward_hook_bad_len),
    ("backward_pre_hook_bad_len", _backward_pre_hook_bad_len),
]


@pytest.mark.parametrize("name,fn", HOOK_CASES, ids=[c[0] for c in HOOK_CASES])
def test_hooks(name, fn):
    same(fn)


def test_non_full_backward_hook_is_refused():
    """Deprecated non-full backward hooks raise NotImplementedError naming the replacement."""
    with pytest.raises(NotImplementedError, match="register_full_backward_hook"):
        jtorch.nn.Module().register_backward_hook(lambda *a: None)


# ---------------------------------------------------------------- repr
def _repr_nested(lib):
    return repr(make_net(lib))


def _repr_multiline_extra(lib):
    class Multi(lib.nn.Module):
        def __init__(self, child):
            super().__init__()
            if child:
                self.child = lib.nn.Module()

        def extra_repr(self):
            return "line one\nline two"

    return repr(lib.nn.Sequential(Multi(False), Multi(True))), repr(Multi(False))


def _repr_containers(lib):
    nn = lib.nn
    seq = nn.Sequential(OrderedDict([("first", nn.Module()), ("second", nn.ModuleList())]))
    ml = nn.ModuleList([nn.Sequential(), nn.Sequential(), nn.Module(), nn.Sequential(), nn.Sequential(),
                        nn.Sequential()])
    md = nn.ModuleDict({"b": nn.Module(), "a": nn.ModuleList([nn.Module()])})
    pl = nn.ParameterList([nn.Parameter(leaf(lib)), leaf(lib, (2,)).double(), "text"])
    pd = nn.ParameterDict({"w": leaf(lib), "b": nn.Parameter(lib.zeros(4, dtype=lib.float64)), "x": 3})
    return repr(seq), repr(ml), repr(md), repr(pl), repr(pd), repr(nn.Sequential()), repr(nn.ModuleList())


REPR_CASES = [
    ("nested", _repr_nested),
    ("multiline_extra", _repr_multiline_extra),
    ("containers", _repr_containers),
]


@pytest.mark.parametrize("name,fn", REPR_CASES, ids=[c[0] for c in REPR_CASES])
def test_repr(name, fn):
    same(fn)


# ---------------------------------------------------------------- containers
def _blocks(lib, n):
    mods = []
    for i in range(n):
        m = lib.nn.Module()
        m.register_buffer("i", lib.tensor(i))
        mods.append(m)
    return mods


def _ids(modules):
    return [int(m.i) if hasattr(m, "i") else type(m).__name__ for m in modules]


def _sequential_ops(lib):
    nn = lib.nn
    s = nn.Sequential(*_blocks(lib, 5))
    out = [len(s), _ids([s[0], s[-1], s[2]]), type(s[1:3]).__name__, _ids(s[1:4]), _ids(s[::-2]), list(s[1:3]._modules)]
    s.append(_blocks(lib, 6)[5])
    s.insert(1, _blocks(lib, 8)[7])
    s.insert(-1, _blocks(lib, 10)[9])
    s.extend(_blocks(lib, 3)[1:])
    out.append((_ids(s), list(s._modules)))
    popped = s.pop(2)
    del s[0]
    del s[1:3]
    s[0] = _blocks(lib, 12)[11]
    out.append((int(popped.i), _ids(s), list(s._modules)))
    t = s + nn.Sequential(*_blocks(lib, 2))
    out.append((_ids(t), list(t._modules)))
    t += nn.Sequential(nn.Module())
    out.append(_ids(t))
    out.append(list((nn.Sequential(*_blocks(lib, 2)) * 2)._modules))
    u = nn.Sequential(*_blocks(lib, 2))
    u *= 3
    out.append(_ids(u))
    out.append(_ids(2 * nn.Sequential(*_blocks(lib, 1))))
    out.append(_ids(iter(s)))
    return out


def _sequential_errors(lib):
    nn = lib.nn
    s = nn.Sequential(*_blocks(lib, 3))
    out = []
    for attempt in (lambda: s[3], lambda: s[-4], lambda: s["a"], lambda: s + [1], lambda: s.insert(5, nn.Module()),
                    lambda: s.insert(0, 3), lambda: s * 0, lambda: s * 1.5, lambda: s.pop(7),
                    lambda: s.__iadd__(3)):
        try:
            attempt()
        except Exception as e:  # noqa: BLE001
            out.append(_norm(e))
    return out


def _sequential_forward(lib):
    class Scale(lib.nn.Module):
        def __init__(self, k):
            super().__init__()
            self.k = lib.nn.Parameter(lib.tensor(float(k)))

        def forward(self, x):
            return x * self.k

    s = lib.nn.Sequential(OrderedDict([("a", Scale(2)), ("b", Scale(3))]))
    x = leaf(lib, (3,)).requires_grad_()
    y = s(x)
    y.sum().backward()
    return y, x.grad, s.a.k.grad, s.b.k.grad, list(s.state_dict())


def _module_list_ops(lib):
    nn = lib.nn
    ml = nn.ModuleList(_blocks(lib, 4))
    out = [len(ml), _ids([ml[0], ml[-1]]), type(ml[1:]).__name__, _ids(ml[1:3])]
    ml.append(_blocks(lib, 5)[4])
    ml.extend(_blocks(lib, 7)[5:])
    ml.insert(1, _blocks(lib, 10)[9])
    ml += _blocks(lib, 12)[11:]
    out.append((_ids(ml), list(ml._modules)))
    p = ml.pop(-1)
    del ml[0]
    del ml[::2]
    ml[0] = _blocks(lib, 13)[12]
    out.append((int(p.i), _ids(ml), list(ml._modules)))
    both = ml + nn.ModuleList(_blocks(lib, 1))
    out.append((type(both).__name__, _ids(both)))
    for attempt in (lambda: ml[10], lambda: ml.extend(3), lambda: ml.append(3), lambda: ml["x"]):
        try:
            attempt()
        except Exception as e:  # noqa: BLE001
            out.append(_norm(e))
    return out


def _module_dict_ops(lib):
    nn = lib.nn
    b = _blocks(lib, 6)
    md = nn.ModuleDict({"z": b[0], "a": b[1]})
    out = [list(md.keys()), len(md), "a" in md, _ids(md.values())]
    md["m"] = b[2]
    md.update([("q", b[3])])
    md.update(OrderedDict([("r", b[4])]))
    md.update(nn.ModuleDict({"s": b[5]}))
    out.append((list(md), [k for k, _ in md.items()]))
    out.append(int(md.pop("a").i))
    del md["z"]
    out.append(list(md))
    for attempt in (lambda: md.update(3), lambda: md.update([3]), lambda: md.update([("a", b[0], 1)]),
                    lambda: md["nope"], lambda: md.update([("x.y", b[0])])):
        try:
            attempt()
        except Exception as e:  # noqa: BLE001
            out.append(_norm(e))
    md.clear()
    out.append(len(md))
    return out


def _parameter_list_ops(lib):
    nn = lib.nn
    pl = nn.ParameterList([leaf(lib), nn.Parameter(leaf(lib, (2,)), requires_grad=False)])
    pl.append(leaf(lib, (4,)))
    pl.extend([leaf(lib, (1,))])
    pl += [leaf(lib, (5,))]
    pl.append("s")
    out = [len(pl), [type(p).__name__ for p in pl], [n for n, _ in pl.named_parameters()], list(pl.state_dict()),
           type(pl[1:3]).__name__, len(pl[::2]), pl[-2].shape, pl[1].requires_grad]
    pl[0] = lib.zeros(1)
    out.append((type(pl[0]).__name__, pl[0]))
    for attempt in (lambda: pl[9], lambda: pl.extend(lib.ones(2)), lambda: pl.extend(3), lambda: pl(1)):
        try:
            attempt()
        except Exception as e:  # noqa: BLE001
            out.append(_norm(e))
    return out


def _parameter_dict_ops(lib):
    nn = lib.nn
    pd = nn.ParameterDict({"b": leaf(lib), "a": leaf(lib, (2,))})
    out = [list(pd), [type(v).__name__ for v in pd.values()], list(pd.state_dict())]
    pd["c"] = leaf(lib, (1,))
    pd.update([("d", leaf(lib, (3,)))])
    pd.update(OrderedDict([("f", leaf(lib, (4,))), ("e", leaf(lib, (5,)))]))
    out.append((list(pd), list(reversed(pd)), "c" in pd, len(pd)))
    out.append(pd.get("zz", "default"))
    out.append(pd.setdefault("g", leaf(lib, (6,))).shape)
    out.append(pd.pop("a").shape)
    out.append(pd.popitem()[0])
    out.append(list(pd.copy()))
    out.append(list(pd | nn.ParameterDict({"h": leaf(lib, (1,))})))
    pd |= nn.ParameterDict({"i": leaf(lib, (1,))})
    out.append(list(pd))
    out.append(list(pd.fromkeys(["x", "y"], leaf(lib, (1,)))))
    for attempt in (lambda: pd[3], lambda: pd["nope"], lambda: pd.update(3), lambda: pd.update([3]),
                    lambda: pd.update([("a", 1, 2)]), lambda: pd(1)):
        try:
            attempt()
        except Exception as e:  # noqa: BLE001
            out.append(_norm(e))
    pd.clear()
    out.append(len(pd))
    return out


CONTAINER_CASES = [
    ("sequential_ops", _sequential_ops),
    ("sequential_errors", _sequential_errors),
    ("sequential_forward", _sequential_forward),
    ("module_list_ops", _module_list_ops),
    ("module_dict_ops", _module_dict_ops),
    ("parameter_list_ops", _parameter_list_ops),
    ("parameter_dict_ops", _parameter_dict_ops),
]


@pytest.mark.parametrize("name,fn", CONTAINER_CASES, ids=[c[0] for c in CONTAINER_CASES])
def test_containers(name, fn):
    same(fn)


# ---------------------------------------------------------------- check_module: eager and compiled
def _seq_model(lib):
    nn = lib.nn

    class Affine(nn.Module):
        def __init__(self, n_in, n_out):
            super().__init__()
            self.weight = nn.Parameter(lib.randn(n_out, n_in))
            self.bias = nn.Parameter(lib.randn(n_out))
            self.register_buffer("gain", lib.ones(n_out))

        def forward(self, x):
            return (x @ self.weight.t() + self.bias) * self.gain

    class Tanh(nn.Module):
        def forward(self, x):
            return x.tanh()

    return nn.Sequential(Affine(3, 5), Tanh(), nn.ModuleList([Affine(5, 2)])[0])


@pytest.mark.parametrize("mode", MODES)
def test_check_module_sequential(mode):
    check_module(_seq_model, arr(4, 3), mode=mode)
