"""Compare jtorch's numpy tensor printing with real PyTorch's repr()."""

import ast
import contextlib
import importlib.util
import math
import pathlib

import numpy as np
import pytest

torch = pytest.importorskip("torch")
ml_dtypes = pytest.importorskip("ml_dtypes")

_SRC = pathlib.Path(__file__).resolve().parents[1] / "jtorch" / "_tensor_str.py"


def _load_module():
    try:
        from jtorch import _tensor_str as mod  # noqa: PLC0415
        return mod
    except Exception:  # package __init__ may be in flux; load the file directly
        spec = importlib.util.spec_from_file_location("_jtorch_tensor_str_under_test", _SRC)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod


ts = _load_module()


@contextlib.contextmanager
def both_printoptions(**kwargs):
    """Apply the same print options to torch and to jtorch, restoring both after."""
    with torch._tensor_str.printoptions(**kwargs), ts.printoptions(**kwargs):
        yield


@pytest.fixture(autouse=True)
def _reset_printoptions():
    yield
    torch.set_printoptions(profile="default")
    ts.set_printoptions(profile="default")


def _to_numpy(t):
    t = t.detach()
    if t.dtype == torch.bfloat16:
        return t.float().numpy().astype(ml_dtypes.bfloat16)
    return t.numpy()


def _suffixes(t):
    if t.grad_fn is not None:
        return [("grad_fn", f"<{type(t.grad_fn).__name__}>")]
    if t.requires_grad:
        return [("requires_grad", "True")]
    return []


def ours(t, **kwargs):
    dtype_name = str(t.dtype).removeprefix("torch.")
    return ts.format_tensor(_to_numpy(t), dtype_name, suffixes=_suffixes(t), **kwargs)


nan, inf = math.nan, math.inf
T = torch.tensor


def _grad_fn_tensor():
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    return a + 1


def _grad_fn_long():
    a = torch.linspace(-3, 3, 20, requires_grad=True)
    return a * 1.5


CASES = {
    # 0-d
    "0d-int": lambda: T(5),
    "0d-neg-int": lambda: T(-123),
    "0d-float": lambda: T(3.5),
    "0d-float-int-valued": lambda: T(2.0),
    "0d-float-small": lambda: T(1e-8),
    "0d-bool": lambda: T(True),
    "0d-nan": lambda: T(nan),
    "0d-neg-zero": lambda: T(-0.0),
    "0d-zero": lambda: T(0.0),
    "0d-float64": lambda: T(1.25, dtype=torch.float64),
    "0d-complex": lambda: T(1 - 2j),
    "0d-uint8": lambda: T(200, dtype=torch.uint8),
    # 1-d
    "1d-int": lambda: T([1, 2, 3]),
    "1d-neg-int": lambda: T([-1, 20, -300]),
    "1d-float": lambda: T([1.5, 2.25, -3.125]),
    "1d-int-valued-float": lambda: T([1.0, 2.0, 3.0]),
    "1d-int-valued-neg": lambda: T([-1.0, 200.0, 3.0]),
    "1d-mixed-magnitudes": lambda: T([0.001, 1.0, 10.0, 100.0]),
    "1d-sci-ratio": lambda: T([0.001, 1.0, 10.0, 1000.5]),
    "1d-sci-tiny": lambda: T([1e-8, 1.0]),
    "1d-sci-mixed": lambda: T([1e-8, 1e10, -3.0]),
    "1d-sci-huge": lambda: T([1e10, 2e10]),
    "1d-sci-int-valued": lambda: T([1.0, 1e9]),
    "1d-sci-3digit-exp": lambda: T([1e-300, 1.0], dtype=torch.float64),
    "1d-nan-inf": lambda: T([nan, inf, -inf, 1.5]),
    "1d-nan-inf-int": lambda: T([nan, inf, -inf, 2.0]),
    "1d-only-nonfinite": lambda: T([nan, inf, -inf]),
    "1d-zeros": lambda: T([0.0, 0.0]),
    "1d-neg-zero": lambda: T([-0.0, 1.5]),
    "1d-neg-zero-int": lambda: T([-0.0, 1.0]),
    "1d-neg-zero-only": lambda: T([-0.0, 0.0]),
    "1d-rounding-width": lambda: T([9.99996, 1.5]),
    "1d-bool": lambda: T([True, False, True]),
    "1d-bool-all-true": lambda: T([True, True]),
    "1d-arange-100": lambda: torch.arange(100),
    "1d-linspace-wrap": lambda: torch.linspace(-1, 1, 40),
    "1d-1001": lambda: torch.arange(1001),
    "1d-1001-float": lambda: torch.arange(1001, dtype=torch.float32) / 7,
    "1d-1000-not-summarised": lambda: torch.arange(1000.0),
    "1d-summary-sci": lambda: torch.cat([T([1e-6]), torch.ones(2000), T([1e6])]),
    # 2-d and higher
    "2d-int": lambda: torch.arange(6).reshape(2, 3),
    "2d-float": lambda: torch.arange(6, dtype=torch.float32).reshape(2, 3) / 3,
    "2d-wide": lambda: torch.arange(200.0).reshape(2, 100),
    "2d-2000x2000": lambda: torch.arange(4_000_000, dtype=torch.float32).reshape(2000, 2000),
    "2d-2000x2000-int": lambda: torch.arange(4_000_000).reshape(2000, 2000),
    "2d-summarised-rows-only": lambda: torch.arange(1010.0).reshape(505, 2),
    "2d-summarised-cols-only": lambda: torch.arange(1010.0).reshape(2, 505),
    "3d": lambda: torch.arange(24).reshape(2, 3, 4),
    "3d-float": lambda: torch.arange(24.0).reshape(2, 3, 4) - 11.5,
    "3d-summarised": lambda: torch.arange(20 * 20 * 20.0).reshape(20, 20, 20),
    "4d": lambda: torch.arange(36.0).reshape(2, 3, 2, 3),
    "4d-summarised": lambda: torch.arange(10 * 10 * 10 * 10).reshape(10, 10, 10, 10),
    "5d-ones": lambda: torch.ones(1, 2, 1, 2, 1),
    # empty
    "empty-0": lambda: torch.zeros(0),
    "empty-0-int": lambda: torch.zeros(0, dtype=torch.int64),
    "empty-0-bool": lambda: torch.zeros(0, dtype=torch.bool),
    "empty-2x0": lambda: torch.zeros(2, 0),
    "empty-0x3x4": lambda: torch.zeros(0, 3, 4),
    "empty-0x3-int32": lambda: torch.zeros(0, 3, dtype=torch.int32),
    "empty-complex": lambda: torch.zeros(0, dtype=torch.complex64),
    # dtypes
    "float64": lambda: T([1.0, 2.5, -3.25], dtype=torch.float64),
    "float64-precise": lambda: T([1 / 3, 2 / 3], dtype=torch.float64),
    "float16": lambda: T([0.1, 1.5, 65504.0], dtype=torch.float16),
    "float16-int-valued": lambda: T([1.0, 2.0], dtype=torch.float16),
    "bfloat16": lambda: T([0.1, 1.5, -3.0], dtype=torch.bfloat16),
    "bfloat16-sci": lambda: T([1e-8, 1e20], dtype=torch.bfloat16),
    "int8": lambda: T([-128, 0, 127], dtype=torch.int8),
    "int16": lambda: T([-1, 2], dtype=torch.int16),
    "int32": lambda: T([[1, 2], [3, 4]], dtype=torch.int32),
    "uint8": lambda: T([0, 255, 17], dtype=torch.uint8),
    "int64-big": lambda: T([2**62, -(2**62)]),
    "complex64": lambda: T([1 + 2j, -3.5 - 0.5j, 0j]),
    "complex64-int-valued": lambda: T([1 + 2j, 3 - 4j]),
    "complex64-neg-zero-imag": lambda: torch.complex(T([1.0, 2.0]), T([-0.0, 0.0])),
    "complex64-nan": lambda: torch.complex(T([1.0, nan]), T([nan, 2.5])),
    "complex64-sci": lambda: T([1e-8 + 1j, 1e10 - 2j]),
    "complex64-2d": lambda: (torch.arange(12.0) + 1j * torch.arange(12.0)).reshape(3, 4),
    "complex64-summarised": lambda: torch.arange(2000.0) * (1 + 1j),
    "complex128": lambda: T([1.5 + 2j, -0.25j], dtype=torch.complex128),
    "bool-2d": lambda: T([[True, False], [False, False]]),
    "bool-summarised": lambda: torch.arange(1200) % 3 == 0,
    # autograd suffixes
    "requires-grad": lambda: T([1.0, 2.0], requires_grad=True),
    "requires-grad-0d": lambda: T(1.5, requires_grad=True),
    "requires-grad-float64": lambda: T([1.0, 2.0], dtype=torch.float64, requires_grad=True),
    "requires-grad-2d": lambda: torch.ones(3, 3, requires_grad=True),
    "grad-fn": _grad_fn_tensor,
    "grad-fn-wrapped-suffix": _grad_fn_long,
    "grad-fn-long-line": lambda: torch.arange(13.0, requires_grad=True) * 1.123,
    "suffix-newline-dtype": lambda: torch.arange(14, dtype=torch.int32),
    "requires-grad-empty": lambda: torch.zeros(0, 2, requires_grad=True),
}


@pytest.mark.parametrize("name", list(CASES))
def test_matches_torch(name):
    t = CASES[name]()
    assert ours(t) == repr(t)


OPTION_SETS = {
    "precision2": dict(precision=2),
    "precision0": dict(precision=0),
    "precision8": dict(precision=8),
    "sci-false": dict(sci_mode=False),
    "sci-true": dict(sci_mode=True),
    "linewidth40": dict(linewidth=40),
    "linewidth10": dict(linewidth=10),
    "threshold5": dict(threshold=5),
    "threshold5-edge1": dict(threshold=5, edgeitems=1),
    "edgeitems0": dict(threshold=5, edgeitems=0),
    "edgeitems0-nosummary": dict(edgeitems=0),
    "short": dict(profile="short"),
    "full": dict(profile="full"),
    "short-precision6": dict(profile="short", precision=6),
}

OPTION_TENSORS = {
    "floats": lambda: T([1.123456789, -2.5, 3.75, 100.0]),
    "int-valued": lambda: T([1.0, 2.0, 3.0]),
    "sci": lambda: T([1e-8, 1e10, -3.0]),
    "int-range": lambda: torch.arange(12),
    "float-matrix": lambda: torch.arange(48.0).reshape(6, 8) / 3,
    "3d": lambda: torch.arange(3 * 7 * 7).reshape(3, 7, 7),
    "complex": lambda: T([1.5 + 2j, -3 - 1e-3j, 4j, 5.0, 6, 7, 8]),
    "bool": lambda: torch.arange(10) % 2 == 0,
    "big-1d": lambda: torch.arange(1500.0),
    "scalar": lambda: T(1.23456789),
    "requires-grad": lambda: torch.arange(20.0, requires_grad=True),
    "float16-nan": lambda: T([nan, 0.5, -inf], dtype=torch.float16),
    "empty": lambda: torch.zeros(0, 4),
}


@pytest.mark.parametrize("tname", list(OPTION_TENSORS))
@pytest.mark.parametrize("oname", list(OPTION_SETS))
def test_matches_torch_with_printoptions(oname, tname):
    t = OPTION_TENSORS[tname]()
    with both_printoptions(**OPTION_SETS[oname]):
        expected = repr(t)
        got = ours(t)
    assert got == expected


def test_full_profile_large_tensor():
    t = torch.arange(1200.0).reshape(40, 30) / 9
    with both_printoptions(profile="full"):
        assert ours(t) == repr(t)


def test_random_tensors_match():
    gen = torch.Generator().manual_seed(0)
    for shape in [(7,), (3, 5), (2, 3, 4), (40, 40), (5, 300)]:
        for scale in [1e-6, 1e-2, 1.0, 1e3, 1e9]:
            t = torch.randn(shape, generator=gen) * scale
            assert ours(t) == repr(t), (shape, scale)
            assert ours(t.double()) == repr(t.double()), (shape, scale)
            assert ours(t.half()) == repr(t.half()), (shape, scale)
            assert ours(t.bfloat16()) == repr(t.bfloat16()), (shape, scale)
        ti = torch.randint(-1000, 1000, shape, generator=gen)
        assert ours(ti) == repr(ti)
        assert ours(ti.to(torch.int16)) == repr(ti.to(torch.int16))


def test_default_dtype_float64():
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        for t in [
            T([1.5, 2.0]),
            T([1.5, 2.0], dtype=torch.float32),
            T([1 + 1j]),
            T([1 + 1j], dtype=torch.complex64),
            torch.zeros(0),
            torch.zeros(0, dtype=torch.float32),
        ]:
            name = str(t.dtype).removeprefix("torch.")
            got = ts.format_tensor(_to_numpy(t), name, default_dtype_name="float64")
            assert got == repr(t)
    finally:
        torch.set_default_dtype(old)


def test_subclass_prefix_indentation():
    class MyT(torch.Tensor):
        pass

    base = torch.arange(200.0).reshape(2, 100)
    t = base.as_subclass(MyT)
    assert ts.format_tensor(base.numpy(), "float32", prefix="MyT(") == repr(t)


def test_device_suffix():
    got = ts.format_tensor(np.array([1.0, 2.0], np.float32), "float32", device="cuda:0")
    assert got == "tensor([1., 2.], device='cuda:0')"
    assert ts.format_tensor(np.array([1.0], np.float32), "float32", device="cpu") == "tensor([1.])"


def test_dtype_aliases():
    arr = np.array([1.5], np.float64)
    assert ts.format_tensor(arr, "double") == "tensor([1.5000], dtype=torch.float64)"
    assert ts.format_tensor(arr, "torch.float64") == "tensor([1.5000], dtype=torch.float64)"


def test_get_set_printoptions_match_torch():
    assert ts.get_printoptions() == torch._tensor_str.get_printoptions()
    for kwargs in [dict(precision=2), dict(profile="full"), dict(profile="short", sci_mode=True),
                   dict(linewidth=120, threshold=10, edgeitems=5)]:
        ts.set_printoptions(**kwargs)
        torch.set_printoptions(**kwargs)
        assert ts.get_printoptions() == torch._tensor_str.get_printoptions()
    ts.set_printoptions(profile="default")
    torch.set_printoptions(profile="default")
    assert ts.get_printoptions() == torch._tensor_str.get_printoptions()


def test_printoptions_context_restores():
    before = ts.get_printoptions()
    with ts.printoptions(precision=1, sci_mode=True):
        assert ts.get_printoptions()["precision"] == 1
        assert ts.get_printoptions()["sci_mode"] is True
    assert ts.get_printoptions() == before
    with pytest.raises(RuntimeError):
        with ts.printoptions(threshold=3):
            raise RuntimeError
    assert ts.get_printoptions() == before


def test_module_imports_only_numpy():
    tree = ast.parse(_SRC.read_text())
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots.add(node.module.split(".")[0])
    assert roots <= {"__future__", "contextlib", "dataclasses", "math", "typing", "numpy",
                     "ml_dtypes"}, roots


@pytest.mark.parametrize("dtype_name", ["float8_e4m3fn", "float8_e5m2"])
def test_float8(dtype_name):
    tdtype = getattr(torch, dtype_name)
    t = T([0.5, -1.75, 3.0, 448.0 if dtype_name == "float8_e4m3fn" else 57344.0]).to(tdtype)
    arr = t.float().numpy().astype(getattr(ml_dtypes, dtype_name))
    assert ts.format_tensor(arr, dtype_name) == repr(t)


@pytest.mark.parametrize("dtype", ["uint16", "uint32", "uint64"])
def test_wide_unsigned(dtype):
    t = T([0, 1, 65535], dtype=getattr(torch, dtype))
    assert ts.format_tensor(np.array([0, 1, 65535], dtype=dtype), dtype) == repr(t)
