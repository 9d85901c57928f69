"""dtypes, promotion, conversions and devices against real PyTorch: promote_types/can_cast over all
dtype pairs, result_type with scalars and 0-d tensors, the default dtype, finfo/iinfo, ``.to``
and the casting methods (values, gradients, identity), torch.device, and the CUDA/backends
answers of a CPU-only build."""
import copy
import itertools
import pickle
import re
import warnings

import numpy as np
import pytest

from parity import MODES, arr, check, torch
import jtorch

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "uint16", "uint32", "uint64", "float16", "bfloat16",
          "float32", "float64", "complex64", "complex128"]


def outcome(fn, lib):
    """``("ok", repr)`` or ``("error", type, first line)`` of ``fn(lib)``."""
    try:
        return ("ok", repr(fn(lib)))
    except Exception as e:
        return ("error", type(e).__name__, str(e).split("\n")[0])


def same_outcome(fn):
    assert outcome(fn, jtorch) == outcome(fn, torch)


def same_error(fn, match=None):
    t, j = outcome(fn, torch), outcome(fn, jtorch)
    assert t[0] == "error" and j[0] == "error", (t, j)
    if match is None:
        assert j == t
    else:
        assert j[1] == t[1] and re.search(match, j[2]), (t, j)


def test_promote_types_table():
    for a, b in itertools.product(DTYPES, DTYPES):
        same_outcome(lambda t: t.promote_types(getattr(t, a), getattr(t, b)))


def test_can_cast_table():
    for a, b in itertools.product(DTYPES, DTYPES):
        same_outcome(lambda t: t.can_cast(getattr(t, a), getattr(t, b)))


# (description, builder): builders make an argument of result_type from the library.
OPERANDS = {
    "bool[]": lambda t: t.tensor([True]),
    "uint8[]": lambda t: t.tensor([1], dtype=t.uint8),
    "int8[]": lambda t: t.tensor([1], dtype=t.int8),
    "int32[]": lambda t: t.tensor([1], dtype=t.int32),
    "int64[]": lambda t: t.tensor([1]),
    "float16[]": lambda t: t.tensor([1.0], dtype=t.float16),
    "bfloat16[]": lambda t: t.tensor([1.0], dtype=t.bfloat16),
    "float32[]": lambda t: t.tensor([1.0]),
    "float64[]": lambda t: t.tensor([1.0], dtype=t.float64),
    "complex64[]": lambda t: t.tensor([1j]),
    "bool0": lambda t: t.tensor(True),
    "uint8_0": lambda t: t.tensor(1, dtype=t.uint8),
    "int16_0": lambda t: t.tensor(1, dtype=t.int16),
    "int64_0": lambda t: t.tensor(1000),
    "float16_0": lambda t: t.tensor(1.0, dtype=t.float16),
    "float64_0": lambda t: t.tensor(1.0, dtype=t.float64),
    "complex128_0": lambda t: t.tensor(1j, dtype=t.complex128),
    "True": lambda t: True,
    "int": lambda t: 1000,
    "float": lambda t: 1.5,
    "complex": lambda t: 1j,
    "np.float64": lambda t: np.float64(1.5),
    "np.int32": lambda t: np.int32(3),
}
def test_result_type_table():
    """All pairs, except those where torch answers complex32 (float16 with a complex number), a dtype
    jtorch lacks (it answers complex64)."""
    for a, b in itertools.product(OPERANDS, OPERANDS):
        def fn(t):
            return t.result_type(OPERANDS[a](t), OPERANDS[b](t))
        if outcome(fn, torch) != ("ok", "torch.complex32"):
            same_outcome(fn)


@pytest.mark.parametrize("name,fn", [
    ("result_type_str", lambda t: t.result_type("a", t.tensor([1]))),
    ("result_type_none", lambda t: t.result_type(t.tensor(1), None)),
    ("result_type_scalars_str", lambda t: t.result_type(2, "a")),
    ("promote_types_str", lambda t: t.promote_types("a", t.float32)),
    ("promote_types_str_2", lambda t: t.promote_types(t.float32, "a")),
    ("can_cast_str", lambda t: t.can_cast("a", t.float32)),
    ("can_cast_str_2", lambda t: t.can_cast(t.float32, "a")),
    ("set_default_int", lambda t: t.set_default_dtype(t.int64)),
    ("set_default_complex", lambda t: t.set_default_dtype(t.complex64)),
    ("set_default_str", lambda t: t.set_default_dtype("float64")),
    ("set_default_none", lambda t: t.set_default_dtype(None)),
    ("finfo_int", lambda t: t.finfo(t.int32)),
    ("finfo_bool", lambda t: t.finfo(t.bool)),
    ("finfo_str", lambda t: t.finfo("float32")),
    ("finfo_none", lambda t: t.finfo(None)),
    ("iinfo_float", lambda t: t.iinfo(t.float32)),
    ("iinfo_bool", lambda t: t.iinfo(t.bool)),
    ("iinfo_int", lambda t: t.iinfo(3)),
    ("to_complex_int", lambda t: t.int32.to_complex()),
    ("to_complex_bool", lambda t: t.bool.to_complex()),
], ids=lambda v: v if isinstance(v, str) else "")
def test_dtype_errors(name, fn):
    same_error(fn)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32", "float64", "complex64", "complex128"])
def test_finfo(dtype):
    for fn in (lambda t: [getattr(t.finfo(getattr(t, dtype)), k) for k in
                          ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype")],
               lambda t: repr(t.finfo(getattr(t, dtype))), lambda t: str(t.finfo(getattr(t, dtype))),
               lambda t: t.finfo(getattr(t, dtype)) == t.finfo(getattr(t, dtype)),
               lambda t: t.finfo(getattr(t, dtype)) == t.finfo(t.float32)):
        same_outcome(fn)


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64", "uint16", "uint32", "uint64"])
def test_iinfo(dtype):
    for fn in (lambda t: [getattr(t.iinfo(getattr(t, dtype)), k) for k in ("bits", "max", "min", "dtype")],
               lambda t: repr(t.iinfo(getattr(t, dtype))), lambda t: str(t.iinfo(getattr(t, dtype))),
               lambda t: t.iinfo(getattr(t, dtype)) == t.iinfo(getattr(t, dtype))):
        same_outcome(fn)


DTYPE_META = [
    ("default_finfo", lambda t: repr(t.finfo())),
    ("repr", lambda t: [repr(getattr(t, d)) for d in DTYPES]),
    ("str", lambda t: [str(getattr(t, d)) for d in DTYPES]),
    ("aliases", lambda t: (t.float is t.float32, t.double is t.float64, t.half is t.float16, t.long is t.int64,
                           t.int is t.int32, t.short is t.int16, t.cfloat is t.complex64,
                           t.cdouble is t.complex128)),
    ("flags", lambda t: [(getattr(t, d).is_floating_point, getattr(t, d).is_complex, getattr(t, d).is_signed,
                          getattr(t, d).itemsize) for d in DTYPES]),
    ("to_real", lambda t: [getattr(t, d).to_real() for d in DTYPES]),
    ("to_complex", lambda t: [getattr(t, d).to_complex() for d in ("bfloat16", "float32", "float64", "complex64",
                                                                   "complex128")]),
    ("pickle", lambda t: [pickle.loads(pickle.dumps(getattr(t, d))) is getattr(t, d) for d in DTYPES]),
    ("deepcopy", lambda t: copy.deepcopy(t.float32) is t.float32),
    ("eq_str", lambda t: (t.float32 == "float32", t.float32 == t.float, t.float32 != t.float64)),
    ("hash", lambda t: (hash(t.float32) == hash(t.float), len({t.float32, t.float, t.float64}))),
    ("type_name", lambda t: type(t.float32).__name__),
    ("isinstance", lambda t: isinstance(t.int64, t.dtype)),
    ("default", lambda t: t.get_default_dtype()),
    ("is_floating_point", lambda t: [(t.is_floating_point(t.zeros(1, dtype=getattr(t, d))),
                                      t.zeros(1, dtype=getattr(t, d)).is_floating_point(),
                                      t.is_complex(t.zeros(1, dtype=getattr(t, d))),
                                      t.zeros(1, dtype=getattr(t, d)).is_complex(),
                                      t.zeros(1, dtype=getattr(t, d)).is_signed()) for d in DTYPES]),
]


@pytest.mark.parametrize("name,fn", DTYPE_META, ids=[c[0] for c in DTYPE_META])
def test_dtype_meta(name, fn):
    same_outcome(fn)


@pytest.mark.parametrize("default", ["float64", "float16", "bfloat16"])
def test_set_default_dtype(default):
    """The default dtype drives Python floats, float factories and promotion; restored after."""
    try:
        for lib in (torch, jtorch):
            lib.set_default_dtype(getattr(lib, default))
        for fn in (lambda t: t.get_default_dtype(), lambda t: t.tensor(1.5).dtype, lambda t: t.tensor([1, 2.0]).dtype,
                   lambda t: t.zeros(2).dtype, lambda t: t.arange(1.0).dtype, lambda t: t.full((1,), 2.0).dtype,
                   lambda t: t.result_type(t.tensor([1]), 1.5), lambda t: (t.tensor([1]) / 2).dtype,
                   lambda t: t.finfo().dtype, lambda t: t.randn(2).dtype, lambda t: t.linspace(0, 1, 3).dtype):
            same_outcome(fn)
        if default != "float16":  # float16 makes complex32 in torch
            same_outcome(lambda t: t.tensor(1j).dtype)
    finally:
        for lib in (torch, jtorch):
            lib.set_default_dtype(lib.float32)
    assert jtorch.get_default_dtype() is jtorch.float32 and jtorch.tensor(1.5).dtype is jtorch.float32


# ---- conversions ------------------------------------------------------------------------------------

CAST_SOURCES = {
    "bool": np.array([True, False, True]),
    "uint8": np.array([0, 7, 255], np.uint8),
    "int8": np.array([-128, 0, 127], np.int8),
    "int32": np.array([-70000, 3, 70000], np.int32),
    "int64": np.array([-2 ** 40 - 1, 300, -1], np.int64),
    "float16": np.array([-1.5, 0.0999, 300.5], np.float16),
    "float32": np.array([-1.7, 0.5, 2.5e9, np.nan, np.inf, -300.5, 1e10], np.float32),
    "float64": np.array([-1.7, 0.1, 1e300, -1e-300, 65519.9, -2 ** 31 - 1.0, 70000.2], np.float64),
    "complex64": np.array([1 + 2j, -3.5 - 0.5j, 0j], np.complex64),
}
CAST_TARGETS = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64",
                "complex64", "complex128"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("src", list(CAST_SOURCES))
def test_to_dtype_values(src, mode):
    """Every source/target pair, including C++'s wrap-around and out-of-range float-to-int results."""
    check(lambda t, a: tuple(a.to(getattr(t, dst)) for dst in CAST_TARGETS), CAST_SOURCES[src], mode=mode,
          grad=False)


CASTER_CASES = [
    ("float", lambda t, a: a.float()), ("double", lambda t, a: a.double()), ("half", lambda t, a: a.half()),
    ("bfloat16", lambda t, a: a.bfloat16()), ("long", lambda t, a: a.long()), ("int", lambda t, a: a.int()),
    ("short", lambda t, a: a.short()), ("char", lambda t, a: a.char()), ("byte", lambda t, a: a.byte()),
    ("bool", lambda t, a: a.bool()), ("cfloat", lambda t, a: a.cfloat()), ("cdouble", lambda t, a: a.cdouble()),
    ("to_other", lambda t, a: a.to(t.ones(2, dtype=t.float64))), ("type_as", lambda t, a: a.type_as(t.ones(1).int())),
    ("to_cpu", lambda t, a: a.to("cpu")), ("to_device_dtype", lambda t, a: a.to("cpu", t.float64)),
    ("to_device_obj_dtype", lambda t, a: a.to(t.device("cpu"), t.int32)),
    ("to_kwargs", lambda t, a: a.to(dtype=t.float64, device="cpu")),
    ("to_device_kw", lambda t, a: a.to("cpu", dtype=t.int16)),
    ("to_copy", lambda t, a: a.to(copy=True)), ("to_none", lambda t, a: a.to(None)),
    ("to_device_none", lambda t, a: a.to(device=None)), ("to_non_blocking", lambda t, a: a.to(t.float64, True)),
    ("cpu", lambda t, a: a.cpu()), ("type_double", lambda t, a: a.type(t.float64)),
]


@pytest.mark.parametrize("name,fn", CASTER_CASES, ids=[c[0] for c in CASTER_CASES])
def test_casters(name, fn):
    """Values and gradients (float to float casts are differentiable) of the casting methods."""
    check(fn, arr(2, 3, low=-3, high=3))
    check(fn, arr(4, dtype="int64", low=-5, high=300), grad=False)


def test_casters_compiled():
    """All casters in one compiled program, gradients included."""
    check(lambda t, a: tuple(fn(t, a) for _, fn in CASTER_CASES), arr(2, 3, low=-3, high=3), mode="compiled")
    check(lambda t, a: tuple(fn(t, a) for _, fn in CASTER_CASES), arr(4, dtype="int64", low=-5, high=300),
          mode="compiled", grad=False)


IDENTITY_CASES = [
    ("to_same_dtype", lambda t: (lambda x: x.to(t.float32) is x)(t.ones(2))),
    ("to_cpu", lambda t: (lambda x: x.to("cpu") is x)(t.ones(2))),
    ("to_other_same", lambda t: (lambda x: x.to(x) is x)(t.ones(2))),
    ("to_copy", lambda t: (lambda x: x.to(copy=True) is x)(t.ones(2))),
    ("to_dtype_copy", lambda t: (lambda x: x.to(t.float32, copy=True) is x)(t.ones(2))),
    ("float_on_float", lambda t: (lambda x: x.float() is x)(t.ones(2))),
    ("long_on_long", lambda t: (lambda x: x.long() is x)(t.tensor([1]))),
    ("cpu_is_self", lambda t: (lambda x: x.cpu() is x)(t.ones(2))),
    ("to_keeps_grad", lambda t: (lambda x: (x.to(t.float64).requires_grad, x.to(t.float64).is_leaf,
                                            x.to(t.float32).is_leaf, x.to(t.int64).requires_grad))(
        t.ones(2, requires_grad=True))),
    ("to_grad_fn", lambda t: type(t.ones(2, requires_grad=True).double().grad_fn).__name__
        if t is torch else t.ones(2, requires_grad=True).double().grad_fn.name()),
    ("copy_is_new_storage", lambda t: (lambda x: (x.to(copy=True).add_(1), x.tolist())[1])(t.ones(2))),
    ("device", lambda t: (t.ones(2).device, t.ones(2).device == t.device("cpu"), t.ones(2).get_device(),
                          t.ones(2).is_cuda, t.ones(2).is_cpu, str(t.ones(2).device))),
]


@pytest.mark.parametrize("name,fn", IDENTITY_CASES, ids=[c[0] for c in IDENTITY_CASES])
def test_to_identity(name, fn):
    same_outcome(fn)


@pytest.mark.parametrize("name,fn,match", [
    ("to_dtype_then_device", lambda t: t.ones(2).to(t.float64, "cpu"), r"invalid combination of arguments"),
    ("to_two_dtypes", lambda t: t.ones(2).to(t.float64, t.float32), r"invalid combination of arguments"),
    ("to_tensor_dtype", lambda t: t.ones(2).to(t.ones(1), t.float64), r"invalid combination of arguments"),
    ("to_bad_keyword", lambda t: t.ones(2).to(dtype=t.float64, foo=1), r"invalid combination of arguments"),
    ("to_bad_device", lambda t: t.ones(2).to("foo"), None),
    ("to_mps", lambda t: t.ones(2).to("mps"), None),
    ("type_bad", lambda t: t.ones(2).type("torch.float64"), None),
], ids=lambda v: v if isinstance(v, str) else "")
def test_to_errors(name, fn, match):
    same_error(fn, match)


def test_complex_to_real_warns():
    """torch warns once per process (TORCH_WARN_ONCE); jtorch warns with the same text."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        jtorch.tensor([1 + 2j]).float()
    assert any("Casting complex values to real discards the imaginary part" in str(w.message) for w in caught)


# ---- devices ----------------------------------------------------------------------------------------

DEVICE_CASES = [
    ("cpu", lambda t: t.device("cpu")),
    ("cuda", lambda t: t.device("cuda")),
    ("cuda_0", lambda t: t.device("cuda:0")),
    ("cuda_index", lambda t: t.device("cuda", 1)),
    ("cuda_none_index", lambda t: t.device("cuda", None)),
    ("cpu_index", lambda t: t.device("cpu", 0)),
    ("keywords", lambda t: t.device(type="cuda", index=2)),
    ("copy", lambda t: t.device(t.device("cpu"))),
    ("mps", lambda t: t.device("mps")),
    ("meta", lambda t: t.device("meta")),
    ("xla", lambda t: t.device("xla:1")),
    ("privateuseone", lambda t: t.device("privateuseone")),
    ("str", lambda t: [str(t.device(s)) for s in ("cpu", "cuda", "cuda:3", "cpu:0")]),
    ("attrs", lambda t: [(t.device(s).type, t.device(s).index) for s in ("cpu", "cuda:3", "mps")]),
    ("eq", lambda t: (t.device("cpu") == t.device("cpu"), t.device("cpu") == t.device("cpu", 0),
                      t.device("cuda:0") == t.device("cuda", 0), t.device("cpu") != t.device("cuda"),
                      t.device("cpu") == "cpu", t.device("cpu") == None)),  # noqa: E711
    ("hash", lambda t: (hash(t.device("cpu")) == hash(t.device("cpu")), len({t.device("cpu"), t.device("cpu"),
                                                                             t.device("cuda:1")}))),
    ("pickle", lambda t: pickle.loads(pickle.dumps(t.device("cuda:1")))),
    ("type_name", lambda t: type(t.device("cpu")).__name__),
    ("tensor_device", lambda t: [t.zeros(2, device=d).device for d in ("cpu", "cpu:0", t.device("cpu"))]),
    ("default_device", lambda t: t.get_default_device()),
]


@pytest.mark.parametrize("name,fn", DEVICE_CASES, ids=[c[0] for c in DEVICE_CASES])
def test_devices(name, fn):
    same_outcome(fn)


DEVICE_ERRORS = [
    ("negative_index", lambda t: t.device("cuda", -1), None),
    ("float_index", lambda t: t.device("cuda", 1.5), None),
    ("none", lambda t: t.device(None), None),
    ("float", lambda t: t.device(1.5), None),
    ("negative_ordinal", lambda t: t.device(-1), None),
    ("bad_index", lambda t: t.device("cuda:x"), None),
    ("negative_in_string", lambda t: t.device("cuda:-1"), None),
    ("two_indices", lambda t: t.device("cuda:1:2"), None),
    ("empty_index", lambda t: t.device("cuda:"), None),
    ("leading_zero", lambda t: t.device("cuda:01"), None),
    ("space", lambda t: t.device(" cpu"), None),
    ("empty", lambda t: t.device(""), None),
    ("unknown", lambda t: t.device("gpu"), None),
    ("upper_case", lambda t: t.device("CPU"), None),
    ("index_twice", lambda t: t.device("cuda:0", 1), None),
]


@pytest.mark.parametrize("name,fn,match", DEVICE_ERRORS, ids=[c[0] for c in DEVICE_ERRORS])
def test_device_errors(name, fn, match):
    same_error(fn, match)


no_gpu = pytest.mark.skipif(jtorch.cuda.is_available(), reason="compares with CPU-only PyTorch")

CPU_ONLY_ERRORS = [
    ("cuda_method", lambda t: t.ones(2).cuda()),
    ("cuda_method_index", lambda t: t.ones(2).cuda(0)),
    ("cuda_method_str", lambda t: t.ones(2).cuda("cuda:0")),
    ("to_cuda", lambda t: t.ones(2).to("cuda")),
    ("to_cuda_0", lambda t: t.ones(2).to("cuda:0")),
    ("to_cuda_device", lambda t: t.ones(2).to(t.device("cuda"))),
    ("factory_cuda", lambda t: t.zeros(2, device="cuda")),
    ("tensor_cuda", lambda t: t.tensor([1.0], device="cuda")),
    ("factory_ordinal", lambda t: t.zeros(2, device=0)),
    ("device_ordinal", lambda t: t.device(0)),
    ("rand_cuda", lambda t: t.rand(2, device="cuda")),
    ("arange_cuda", lambda t: t.arange(3, device="cuda:0")),
    ("linspace_cuda", lambda t: t.linspace(0, 1, 3, device="cuda")),
    ("legacy_cuda_sizes", lambda t: t.cuda.LongTensor(2)),
    ("current_device", lambda t: t.cuda.current_device()),
    ("get_device_name", lambda t: t.cuda.get_device_name()),
    ("get_device_capability", lambda t: t.cuda.get_device_capability()),
    ("synchronize", lambda t: t.cuda.synchronize()),
    ("init", lambda t: t.cuda.init()),
    ("cuda_initial_seed", lambda t: t.cuda.initial_seed()),
    ("legacy_cuda_type", lambda t: t.cuda.FloatTensor([1.0])),
    ("generator_cuda", lambda t: t.Generator("cuda")),
    ("accelerator_index", lambda t: t.accelerator.current_device_index()),
    ("accelerator_set_index", lambda t: t.accelerator.set_device_index(0)),
    ("accelerator_synchronize", lambda t: t.accelerator.synchronize()),
]


@no_gpu
@pytest.mark.parametrize("name,fn", CPU_ONLY_ERRORS, ids=[c[0] for c in CPU_ONLY_ERRORS])
def test_cpu_only_errors(name, fn):
    same_error(fn, r"CUDA|accelerator" if name == "generator_cuda" else None)


CPU_ONLY_ANSWERS = [
    ("is_available", lambda t: t.cuda.is_available()),
    ("device_count", lambda t: t.cuda.device_count()),
    ("is_initialized", lambda t: t.cuda.is_initialized()),
    ("manual_seed", lambda t: (t.cuda.manual_seed(1), t.cuda.manual_seed_all(1))),
    ("empty_cache", lambda t: t.cuda.empty_cache()),
    ("memory", lambda t: (t.cuda.memory_allocated(), t.cuda.max_memory_allocated(), t.cuda.memory_reserved())),
    ("bf16", lambda t: t.cuda.is_bf16_supported()),
    ("mps", lambda t: (t.backends.mps.is_available(), t.backends.mps.is_built())),
    ("cudnn", lambda t: (t.backends.cudnn.is_available(), t.backends.cudnn.version(),
                         t.backends.cudnn.is_acceptable(t.ones(1)))),
    ("cuda_built", lambda t: t.backends.cuda.is_built()),
    ("accelerator", lambda t: (t.accelerator.is_available(), t.accelerator.current_accelerator(),
                               t.accelerator.device_count())),
    ("legacy_cuda_isinstance", lambda t: isinstance(t.ones(1), t.cuda.FloatTensor)),
]


@no_gpu
@pytest.mark.parametrize("name,fn", CPU_ONLY_ANSWERS, ids=[c[0] for c in CPU_ONLY_ANSWERS])
def test_cpu_only_answers(name, fn):
    same_outcome(fn)


BACKEND_FLAGS = [
    ("cudnn", "enabled"), ("cudnn", "benchmark"), ("cudnn", "deterministic"), ("cudnn", "allow_tf32"),
    ("cuda.matmul", "allow_tf32"), ("cuda.matmul", "allow_fp16_reduced_precision_reduction"),
    ("cuda.matmul", "allow_bf16_reduced_precision_reduction"),
]


def _flag_owner(lib, path):
    owner = lib.backends
    for part in path.split("."):
        owner = getattr(owner, part)
    return owner


@pytest.mark.parametrize("path,flag", BACKEND_FLAGS, ids=[f"{p}.{f}" for p, f in BACKEND_FLAGS])
def test_backend_flags(path, flag):
    """Defaults match torch's; the flags can be set (and are restored)."""
    same_outcome(lambda t: getattr(_flag_owner(t, path), flag))
    owner = _flag_owner(jtorch, path)
    old = getattr(owner, flag)
    try:
        setattr(owner, flag, not old)
        assert getattr(_flag_owner(jtorch, path), flag) is (not old)
    finally:
        setattr(owner, flag, old)


def test_sdp_flags():
    names = ("flash", "mem_efficient", "math", "cudnn")
    same_outcome(lambda t: [getattr(t.backends.cuda, f"{n}_sdp_enabled")() for n in names])
    for n in names:
        getattr(jtorch.backends.cuda, f"enable_{n}_sdp")(False)
        assert getattr(jtorch.backends.cuda, f"{n}_sdp_enabled")() is False
        getattr(jtorch.backends.cuda, f"enable_{n}_sdp")(True)


def test_device_context_sets_default():
    with jtorch.device("cpu"):
        assert jtorch.zeros(1).device == jtorch.device("cpu")
    assert jtorch.get_default_device() == jtorch.device("cpu")
