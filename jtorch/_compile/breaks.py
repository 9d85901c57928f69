"""Code a static graph cannot express ("graph breaks"), found while tracing, named by the user's
file and line with the way out."""
import os
import traceback

import jax

from .._compile_errors import DataDependentOpError, GraphBreakError

__all__ = ["GraphBreakError", "DataDependentOpError", "BREAK_ERRORS", "is_break", "describe"]

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_JAX_DIR = os.path.dirname(os.path.abspath(jax.__file__))


BREAK_ERRORS = (jax.errors.ConcretizationTypeError, jax.errors.TracerArrayConversionError,
                jax.errors.TracerIntegerConversionError, DataDependentOpError)

def is_break(exc):
    """Whether ``exc`` (raised while tracing) is a graph break."""
    return isinstance(exc, BREAK_ERRORS)


_WHAT = (
    (jax.errors.TracerBoolConversionError, "a Python `if`/`while`/`bool()` on a tensor value"),
    (jax.errors.TracerIntegerConversionError, "a tensor value used as a Python int (indexing, range, .item())"),
    (jax.errors.TracerArrayConversionError, "a tensor value read on the host (.item(), .tolist(), .numpy(), "
                                            "print)"),
    (jax.errors.ConcretizationTypeError, "a concrete tensor value (.item(), float(), a shape from values)"),
    (DataDependentOpError, "an op whose output shape depends on the data"),
)

_WAY_OUT = ("Use jtorch.where(cond, a, b) or jtorch.cond(pred, true_fn, false_fn, operands) for value-dependent "
            "choices, keep values as tensors (no .item()/print inside), or move that code out of the compiled "
            "function.")


def _user_frame(tb):
    """The innermost traceback frame outside jtorch and JAX: (filename, lineno, line) or None."""
    frames = traceback.extract_tb(tb)
    for fr in reversed(frames):
        path = os.path.abspath(fr.filename)
        if not path.startswith((_PACKAGE_DIR, _JAX_DIR)) and "site-packages" not in path:
            return fr.filename, fr.lineno, (fr.line or "").strip()
    return None


_TENSOR_METHODS = {
    "__bool__": "a Python `if`/`while`/`bool()` on a tensor value",
    "item": "`.item()` (a tensor value as a Python number)",
    "tolist": "`.tolist()` (tensor values as Python numbers)",
    "__float__": "a tensor converted to a Python number", "__int__": "a tensor converted to a Python number",
    "__index__": "a tensor used as a Python index", "numpy": "`.numpy()` (tensor values on the host)",
    "__array__": "tensor values on the host (numpy)", "__repr__": "printing a tensor value",
    "__str__": "printing a tensor value", "__format__": "printing a tensor value",
}


def _tensor_method(tb):
    """The outermost jtorch Tensor method of the failure (``__bool__``, ``item``...), if any."""
    for fr in traceback.extract_tb(tb):
        if os.path.abspath(fr.filename).startswith(_PACKAGE_DIR) and fr.name in _TENSOR_METHODS:
            return fr.name
    return None


def describe(exc):
    """A one-paragraph explanation of graph-break exception ``exc``: what, where, the way out."""
    method = _tensor_method(exc.__traceback__)
    what = _TENSOR_METHODS[method] if method else next((w for cls, w in _WHAT if isinstance(exc, cls)),
                                                       type(exc).__name__)
    where = _user_frame(exc.__traceback__)
    at = f"{where[0]}:{where[1]}: `{where[2]}`" if where else "(location unknown)"
    return f"{at} needs {what}, which a compiled (static) graph cannot have. {_WAY_OUT}"
