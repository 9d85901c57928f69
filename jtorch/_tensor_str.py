"""Pure-numpy reimplementation of PyTorch's tensor printing (``torch/_tensor_str.py``).

The entry point is :func:`format_tensor`, which turns a numpy array plus a PyTorch
dtype name into exactly the string ``repr(torch_tensor)`` would produce for the same
data, honouring the module-level print options managed by :func:`set_printoptions`,
:func:`get_printoptions` and the :func:`printoptions` context manager.

This module depends only on numpy (``ml_dtypes`` arrays such as bfloat16 are accepted
as input because they convert to float64 through ``astype``); it never imports torch
or jax and has no side effects on import.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from typing import Any, Iterator, Sequence

import numpy as np

__all__ = [
    "format_tensor",
    "get_printoptions",
    "printoptions",
    "set_printoptions",
]


# ---------------------------------------------------------------------------
# Print options
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class _PrinterOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrinterOptions()

_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Set the options used by :func:`format_tensor`, like ``torch.set_printoptions``.

    Args:
        precision: digits after the decimal point for floating output (default 4).
        threshold: number of elements above which output is summarised with ``...``
            (default 1000).
        edgeitems: items shown at the start and end of each summarised dimension
            (default 3).
        linewidth: characters per line used for wrapping (default 80).
        profile: ``"default"``, ``"short"`` or ``"full"``; applied first, then any
            explicitly given option overrides it.
        sci_mode: ``True``/``False`` forces or forbids scientific notation; ``None``
            lets the formatter choose.

    As in PyTorch, ``sci_mode`` is always assigned, so any call that omits it resets
    it to ``None`` (automatic). An unknown ``profile`` name is ignored, as in
    PyTorch. Same behaviour as PyTorch otherwise.
    """
    if profile is not None and profile in _PROFILES:
        for name, value in _PROFILES[profile].items():
            setattr(PRINT_OPTS, name, value)
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """Return the current print options as a dict, like ``torch.get_printoptions``.

    The keys are ``precision``, ``threshold``, ``edgeitems``, ``linewidth`` and
    ``sci_mode``; the dict can be passed back as ``**kwargs`` to
    :func:`set_printoptions`. Same behaviour as PyTorch.
    """
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Temporarily change the print options, like ``torch._tensor_str.printoptions``.

    Accepts the same keyword arguments as :func:`set_printoptions`; the previous
    options are restored on exit, even if the body raises. Same behaviour as PyTorch.
    """
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


# ---------------------------------------------------------------------------
# Dtype helpers
# ---------------------------------------------------------------------------

_DTYPE_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "cfloat": "complex64",
    "cdouble": "complex128",
    "chalf": "complex32",
    "long": "int64",
    "int": "int32",
    "short": "int16",
}

_COMPLEX_DTYPES = {"complex32", "complex64", "complex128"}


def _canonical_dtype(name: str) -> str:
    name = name[len("torch."):] if name.startswith("torch.") else name
    return _DTYPE_ALIASES.get(name, name)


def _is_floating(name: str) -> bool:
    return name.startswith("float") or name == "bfloat16"


# ---------------------------------------------------------------------------
# Element formatting
# ---------------------------------------------------------------------------


class _Formatter:
    """Chooses a common width and notation for a set of values (torch's _Formatter).

    ``values`` is a numpy array: float64 for floating tensors (already converted from
    the original dtype, which is exact), otherwise the integer/bool values.
    """

    def __init__(self, values: np.ndarray, floating: bool):
        self.floating_dtype = floating
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1

        flat = values.reshape(-1)
        if flat.size == 0:
            return

        if not floating:
            if flat.dtype == np.bool_:
                widths = [len(str(bool(v))) for v in np.unique(flat)]
            else:
                # str() length of an integer is monotone in the value on each side
                # of zero, so only the extremes can be widest.
                widths = [len(str(int(flat.min()))), len(str(int(flat.max())))]
            self.max_width = max(self.max_width, *widths)
            return

        vals = flat[np.isfinite(flat) & (flat != 0)]
        if vals.size == 0:
            return  # nothing but zeros / non-finite values: keep the defaults

        abs_vals = np.abs(vals)
        abs_min = float(abs_vals.min())
        abs_max = float(abs_vals.max())

        self.int_mode = bool(np.all(np.ceil(vals) == vals))

        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = abs_max / abs_min > 1000.0 or abs_max > 1.0e8 or abs_min < 1.0e-4
        else:
            self.sci_mode = bool(PRINT_OPTS.sci_mode)

        # The formatted length of a value grows with its magnitude for fixed
        # notation; for scientific notation it depends on the exponent, whose
        # absolute value is largest at one of the extremes. Either way only the
        # smallest and largest magnitude of each sign need to be measured.
        candidates = []
        for part in (vals[vals > 0], vals[vals < 0]):
            if part.size:
                mags = np.abs(part)
                candidates.append(float(part[np.argmin(mags)]))
                candidates.append(float(part[np.argmax(mags)]))

        prec = PRINT_OPTS.precision
        if self.sci_mode:
            widths = [len(f"{v:.{prec}e}") for v in candidates]
        elif self.int_mode:
            # a trailing "." is appended to mark the values as floating
            widths = [len(f"{v:.0f}") + 1 for v in candidates]
        else:
            widths = [len(f"{v:.{prec}f}") for v in candidates]
        self.max_width = max(self.max_width, *widths)

    def width(self) -> int:
        return self.max_width

    def format(self, value: Any) -> str:
        if self.floating_dtype:
            prec = PRINT_OPTS.precision
            if self.sci_mode:
                ret = f"{value:{self.max_width}.{prec}e}"
            elif self.int_mode:
                ret = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    ret += "."
            else:
                ret = f"{value:.{prec}f}"
        else:
            ret = f"{value}"
        return (self.max_width - len(ret)) * " " + ret


def _format_element(value: Any, fmt1: _Formatter, fmt2: _Formatter | None) -> str:
    if fmt2 is None:
        return fmt1.format(value)
    real_str = fmt1.format(value.real)
    imag_str = (fmt2.format(value.imag) + "j").lstrip()
    # an explicit sign (negative numbers, -0.0) needs no "+" separator
    if imag_str[0] in "+-":
        return real_str + imag_str
    return real_str + "+" + imag_str


def _vector_str(values: np.ndarray, indent: int, summarize: bool,
                fmt1: _Formatter, fmt2: _Formatter | None) -> str:
    element_length = fmt1.width() + 2
    if fmt2 is not None:
        element_length += fmt2.width() + 1
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / element_length))

    edge = PRINT_OPTS.edgeitems
    if summarize and not edge:
        data = ["..."]
    elif summarize and values.shape[0] > 2 * edge:
        data = ([_format_element(v, fmt1, fmt2) for v in values[:edge].tolist()]
                + [" ..."]
                + [_format_element(v, fmt1, fmt2) for v in values[-edge:].tolist()])
    else:
        data = [_format_element(v, fmt1, fmt2) for v in values.tolist()]

    lines = [", ".join(data[i:i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str_with_formatter(values: np.ndarray, indent: int, summarize: bool,
                               fmt1: _Formatter, fmt2: _Formatter | None) -> str:
    dim = values.ndim
    if dim == 0:
        return _format_element(values.item(), fmt1, fmt2)
    if dim == 1:
        return _vector_str(values, indent, summarize, fmt1, fmt2)

    edge = PRINT_OPTS.edgeitems
    size = values.shape[0]

    def sub(i: int) -> str:
        return _tensor_str_with_formatter(values[i], indent + 1, summarize, fmt1, fmt2)

    if summarize and size > 2 * edge:
        slices = ([sub(i) for i in range(edge)] + ["..."]
                  + [sub(i) for i in range(size - edge, size)])
    else:
        slices = [sub(i) for i in range(size)]
    return "[" + ("," + "\n" * (dim - 1) + " " * (indent + 1)).join(slices) + "]"


def _summarized_data(values: np.ndarray) -> np.ndarray:
    """The elements that stay visible after summarisation (torch's get_summarized_data)."""
    dim = values.ndim
    edge = PRINT_OPTS.edgeitems
    if dim == 0:
        return values
    if dim == 1:
        if values.shape[0] > 2 * edge:
            # like torch, x[-0:] is the whole vector when edgeitems == 0
            return np.concatenate((values[:edge], values[-edge:]))
        return values
    if not edge:
        return values[(slice(0, 0),) * dim]
    if values.shape[0] > 2 * edge:
        rows = list(range(edge)) + list(range(values.shape[0] - edge, values.shape[0]))
    else:
        rows = range(values.shape[0])
    return np.stack([_summarized_data(values[i]) for i in rows])


def _tensor_str(values: np.ndarray, indent: int, floating: bool, is_complex: bool) -> str:
    if values.size == 0:
        return "[]"
    summarize = values.size > PRINT_OPTS.threshold
    if is_complex:
        real, imag = values.real, values.imag
        fmt1 = _Formatter(_summarized_data(real) if summarize else real, True)
        fmt2 = _Formatter(_summarized_data(imag) if summarize else imag, True)
        return _tensor_str_with_formatter(values, indent, summarize, fmt1, fmt2)
    fmt = _Formatter(_summarized_data(values) if summarize else values, floating)
    return _tensor_str_with_formatter(values, indent, summarize, fmt, None)


def _add_suffixes(tensor_str: str, suffixes: Sequence[str], indent: int) -> str:
    parts = [tensor_str]
    # NB: mirrors torch exactly, including its off-by-two when there is no newline
    last_line_len = len(tensor_str) - tensor_str.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def _prepare_values(values: Any, dtype_name: str) -> np.ndarray:
    arr = np.asarray(values)
    if dtype_name in _COMPLEX_DTYPES:
        return arr.astype(np.complex128)
    if _is_floating(dtype_name):
        return arr.astype(np.float64)
    if dtype_name == "bool":
        return arr.astype(np.bool_)
    if arr.dtype.kind not in "iu":
        return arr.astype(np.uint64 if dtype_name == "uint64" else np.int64)
    return arr


def format_tensor(
    values: np.ndarray,
    dtype_name: str,
    *,
    default_dtype_name: str = "float32",
    device: str = "cpu",
    suffixes: Sequence[tuple[str, str]] = (),
    prefix: str = "tensor(",
) -> str:
    """Return what ``repr(torch_tensor)`` gives for a dense tensor with this data.

    Args:
        values: the tensor's data as a numpy array of the tensor's shape (for
            bfloat16/float8 an ``ml_dtypes`` array, or any array holding the exact
            values; floating data is converted to float64 for formatting, which is
            exact, just as torch formats Python floats from ``.item()``).
        dtype_name: PyTorch dtype name without ``torch.``, e.g. ``"float32"``,
            ``"int64"``, ``"bool"``, ``"bfloat16"``, ``"complex64"``. The aliases
            ``float``, ``double``, ``half``, ``long``, ``int``, ``short``,
            ``cfloat``, ``cdouble`` and ``chalf`` are accepted too.
        default_dtype_name: the current default floating dtype
            (``torch.get_default_dtype()``); decides when ``dtype=`` is shown.
        device: the tensor's device; ``device='...'`` is appended when its type
            is not ``cpu`` (torch compares with the default device type, which is
            assumed to be cpu here).
        suffixes: extra ``(name, value)`` pairs appended as ``name=value`` after the
            built-in ones, e.g. ``[("requires_grad", "True")]`` or
            ``[("grad_fn", "<AddBackward0>")]``.
        prefix: the opening text; continuation lines are indented by its length
            (torch uses ``"tensor("`` or ``"<SubclassName>("``).

    Only strided, dense, non-quantized tensors are handled: sparse, quantized,
    nested, meta/fake, functorch-wrapped tensors and forward-AD tangents are not.
    """
    dtype_name = _canonical_dtype(dtype_name)
    default_dtype_name = _canonical_dtype(default_dtype_name)
    is_complex = dtype_name in _COMPLEX_DTYPES
    floating = _is_floating(dtype_name)
    arr = _prepare_values(values, dtype_name)

    indent = len(prefix)
    all_suffixes: list[str] = []

    if device.split(":", 1)[0] != "cpu":
        all_suffixes.append(f"device='{device}'")

    default_complex = "complex128" if default_dtype_name == "float64" else "complex64"
    has_default_dtype = dtype_name in (default_dtype_name, default_complex, "int64", "bool")
    dtype_suffix = f"dtype=torch.{dtype_name}"
    shape_str = str(tuple(int(n) for n in arr.shape))

    if arr.size == 0:
        # like NumPy, the shape is shown unless it is (0,); the dtype cannot be
        # inferred from the (absent) elements, so anything but the default is shown
        if arr.ndim != 1:
            all_suffixes.append("size=" + shape_str)
        if dtype_name != default_dtype_name:
            all_suffixes.append(dtype_suffix)
        tensor_str = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            all_suffixes.append("size=" + shape_str)
        if not has_default_dtype:
            all_suffixes.append(dtype_suffix)
        tensor_str = _tensor_str(arr, indent, floating, is_complex)

    all_suffixes.extend(f"{name}={value}" for name, value in suffixes)
    return _add_suffixes(prefix + tensor_str, all_suffixes, indent)
