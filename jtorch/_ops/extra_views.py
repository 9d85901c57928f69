"""View-related top-level functions: ``view_as_real`` / ``view_as_complex``, the ``*_scatter`` ops (the
out-of-place inverses of ``select`` / ``slice`` / ``diagonal``), ``unsafe_chunk`` / ``unsafe_split`` and the
``*_copy`` variants of the view ops.

Differs from PyTorch: ``view_as_real`` and ``view_as_complex`` return copies, not views (a jtorch storage holds
one dtype, so a real and a complex tensor cannot alias); writes to the result do not reach the input.
"""
import jax.numpy as jnp
from jax import lax

from .. import _dtype as D
from .._tensor import scalar_type_name
from ..nn._kernels._util import size_str
from . import views as V
from .common import wrap_dim, write_out
from .dispatch import Op
from .pointwise import register

__all__ = ["view_as_real", "view_as_complex", "select_scatter", "slice_scatter", "diagonal_scatter", "unsafe_chunk",
           "unsafe_split", "view_copy", "permute_copy", "transpose_copy", "t_copy", "unsqueeze_copy", "squeeze_copy",
           "expand_copy", "diagonal_copy", "select_copy", "slice_copy", "detach_copy", "unbind_copy", "split_copy",
           "alias_copy", "narrow_copy", "as_strided_copy", "unfold_copy"]


# ---- real <-> complex ----
_as_real_op = Op("view_as_real", lambda a: jnp.stack([jnp.real(a), jnp.imag(a)], axis=-1), saves=(),
                 grad_name="ViewAsRealBackward0")
_as_complex_op = Op("view_as_complex", lambda a: lax.complex(a[..., 0], a[..., 1]), saves=(),
                    grad_name="ViewAsComplexBackward0")


def view_as_real(input):
    """A complex tensor as a real one with a trailing dim of size 2 (real, imaginary). A copy in jtorch."""
    if not input.dtype.is_complex:
        raise RuntimeError("view_as_real is only supported for complex tensors")
    return _as_real_op(input)


def view_as_complex(input):
    """A float/double tensor whose last dim has size 2 as a complex tensor. A copy in jtorch; half inputs raise
    (jtorch has no complex32)."""
    if input.dtype not in (D.float32, D.float64, D.float16):
        raise RuntimeError("view_as_complex is only supported for half, float and double tensors, but got a tensor "
                           f"of scalar type: {scalar_type_name(input.dtype)}")
    if input.ndim == 0:
        raise RuntimeError("Input tensor must have one or more dimensions")
    if input.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    if input.dtype is D.float16:
        raise RuntimeError("view_as_complex of a half tensor needs complex32, which jtorch does not support")
    return _as_complex_op(input)


# ---- scatter into a view's positions ----
def _check_src(src, slice_shape):
    if tuple(src.shape) != tuple(slice_shape):
        raise RuntimeError(f"expected src to have a size equal to the slice of self. src size = "
                           f"{size_str(src.shape)}, slice size = {size_str(slice_shape)}")


def _select_scatter_kernel(a, src, *, dim, index):
    return a.at[(slice(None),) * dim + (index,)].set(src.astype(a.dtype))


def _slice_scatter_kernel(a, src, *, dim, start, stop, step):
    return a.at[(slice(None),) * dim + (slice(start, stop, step),)].set(src.astype(a.dtype))


def _diagonal_scatter_kernel(a, src, *, offset, dim1, dim2):
    b = jnp.moveaxis(a, (dim1, dim2), (-2, -1))
    n = src.shape[-1]
    rows = jnp.arange(n) + max(-offset, 0)
    cols = jnp.arange(n) + max(offset, 0)
    b = b.at[..., rows, cols].set(src.astype(a.dtype))
    return jnp.moveaxis(b, (-2, -1), (dim1, dim2))


_select_scatter_op = Op("select_scatter", _select_scatter_kernel, saves=())
_slice_scatter_op = Op("slice_scatter", _slice_scatter_kernel, saves=())
_diagonal_scatter_op = Op("diagonal_scatter", _diagonal_scatter_kernel, saves=())


def select_scatter(input, src, dim, index):
    """A copy of ``input`` with ``src`` written at ``input.select(dim, index)``."""
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d]
    if index < -n or index >= n:
        raise IndexError(f"select(): index {index} out of range for tensor of size {size_str(input.shape)} at "
                         f"dimension {d}")
    _check_src(src, input.shape[:d] + input.shape[d + 1:])
    return _select_scatter_op(input, src, dim=d, index=int(index) % n)


def slice_scatter(input, src, dim=0, start=None, end=None, step=1):
    """A copy of ``input`` with ``src`` written at ``input[..., start:end:step, ...]`` along ``dim``."""
    d = wrap_dim(dim, input.ndim)
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    start, stop, step = slice(start, end, step).indices(input.shape[d])
    count = len(range(start, stop, step))
    _check_src(src, input.shape[:d] + (count,) + input.shape[d + 1:])
    return _slice_scatter_op(input, src, dim=d, start=start, stop=stop, step=step)


def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1):
    """A copy of ``input`` with ``src`` written on ``input.diagonal(offset, dim1, dim2)``."""
    diag = V.diagonal(input, offset, dim1, dim2)
    _check_src(src, diag.shape)
    a, b = wrap_dim(dim1, input.ndim), wrap_dim(dim2, input.ndim)
    return _diagonal_scatter_op(input, src, offset=int(offset), dim1=a, dim2=b)


# ---- unsafe splits ----
def unsafe_chunk(input, chunks, dim=0):
    """:func:`torch.chunk` (jtorch's views need no separate unsafe form)."""
    return V.chunk(input, chunks, dim)


def unsafe_split(tensor, split_size, dim=0):
    """:func:`torch.split` with an int ``split_size`` (jtorch's views need no separate unsafe form)."""
    if not isinstance(split_size, int):
        raise TypeError(f"unsafe_split(): argument 'split_size' (position 2) must be int, not "
                        f"{type(split_size).__name__}")
    return V.split(tensor, split_size, dim)


# ---- *_copy: the view ops returning new tensors ----
def _copy_variant(name, view_fn):
    def fn(input, *args, out=None, **kwargs):
        res = view_fn(input, *args, **kwargs)
        res = tuple(r.clone() for r in res) if isinstance(res, tuple) else res.clone()
        return write_out(out, res)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (f"Like ``torch.{name[:-len('_copy')]}``, but the result is a new tensor (a copy), not a view "
                  "of ``input``.")
    return fn


def _view(input, *shape):
    return V.view(input, *shape)


def _squeeze(input, dim=None):
    return V.squeeze(input, dim)


def _expand(input, size, *, implicit=False):
    return V.expand(input, size)


def _detach(input):
    return input.detach()


def _alias(input):
    return V.view(input, input.shape)


view_copy = _copy_variant("view_copy", _view)
permute_copy = _copy_variant("permute_copy", V.permute)
transpose_copy = _copy_variant("transpose_copy", V.transpose)
t_copy = _copy_variant("t_copy", V.t)
unsqueeze_copy = _copy_variant("unsqueeze_copy", V.unsqueeze)
squeeze_copy = _copy_variant("squeeze_copy", _squeeze)
expand_copy = _copy_variant("expand_copy", _expand)
diagonal_copy = _copy_variant("diagonal_copy", V.diagonal)
select_copy = _copy_variant("select_copy", V.select)
slice_copy = _copy_variant("slice_copy", V.slice_view)
detach_copy = _copy_variant("detach_copy", _detach)
unbind_copy = _copy_variant("unbind_copy", V.unbind)
split_copy = _copy_variant("split_copy", V.split)
alias_copy = _copy_variant("alias_copy", _alias)
narrow_copy = _copy_variant("narrow_copy", V.narrow)
as_strided_copy = _copy_variant("as_strided_copy", V.as_strided)
unfold_copy = _copy_variant("unfold_copy", V.unfold)

for _name in ("select_scatter", "slice_scatter", "diagonal_scatter", "unsafe_chunk", "unsafe_split", "narrow_copy"):
    register(_name, globals()[_name], inplace=False)
