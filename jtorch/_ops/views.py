"""View ops: results share storage with their input, so in-place writes through either are seen
by both (PyTorch's aliasing). Each op computes its value with a jnp function through the one op
path (so it is differentiable and compiles), then records its strided layout in the shared storage.
"""
import math

import jax.numpy as jnp
import numpy as np
from jax import lax

from .._tensor import Tensor, Size
from .._views import contiguous_strides, view_strides, _flat_index
from .common import wrap_dim, wrap_dims
from .dispatch import Op

__all__ = ["view", "reshape", "view_as", "reshape_as", "flatten", "unflatten", "squeeze", "unsqueeze",
           "permute", "transpose", "swapaxes", "swapdims", "t", "adjoint", "expand", "expand_as",
           "narrow", "select", "slice_view", "unbind", "split", "chunk", "tensor_split", "diagonal",
           "movedim", "moveaxis", "unfold", "as_strided", "alias_of_base", "copy_into_base",
           "infer_size", "ravel", "hsplit", "vsplit", "dsplit", "broadcast_to", "split_with_sizes"]


def _mark_view(out, src, shape, stride, offset):
    """Make ``out`` (just computed from ``src``) an alias of ``src``'s storage with this layout."""
    st = src._st
    out._st = st
    out._vc = src._vc
    out._ver = st.version
    out._base = src._base if src._base is not None else src
    out._gver = st.gver
    if offset == 0 and math.prod(shape) == st.array.size and stride == contiguous_strides(shape):
        out._view = None
    else:
        out._view = (tuple(stride), offset)
    return out


def _src_layout(t):
    t._read()
    return t._layout()


_reshape_op = Op("view", lambda a, *, shape: jnp.reshape(a, shape), saves=(), grad_name="ViewBackward0")
_permute_op = Op("permute", lambda a, *, dims: jnp.transpose(a, dims), saves=())
_transpose_op = Op("transpose", lambda a, *, dims: jnp.transpose(a, dims), saves=())
_t_op = Op("t", lambda a: a.T, saves=(), grad_name="TBackward0")
_expand_op = Op("expand", lambda a, *, shape: jnp.broadcast_to(a, shape), saves=())
_squeeze_op = Op("squeeze", lambda a, *, shape: jnp.reshape(a, shape), saves=())
_unsqueeze_op = Op("unsqueeze", lambda a, *, shape: jnp.reshape(a, shape), saves=())
_select_op = Op("select", lambda a, *, dim, index: lax.index_in_dim(a, index, dim, keepdims=False), saves=())
_slice_op = Op("slice", lambda a, *, dim, start, stop, step: lax.slice_in_dim(a, start, stop, step, dim), saves=())
_diagonal_op = Op("diagonal", lambda a, *, offset, dim1, dim2: jnp.diagonal(a, offset, dim1, dim2), saves=())
_strided_op = Op("as_strided", lambda a, *, shape, stride, offset: a.reshape(-1)[_flat_index(shape, stride, offset)],
                 saves=())
_alias_op = Op("alias", lambda a, *, shape: jnp.reshape(a, shape), saves=(), grad_name="AliasBackward0")


def _copy_into(base, value, *, shape, stride, offset):
    if stride is None:
        return jnp.reshape(value, base.shape).astype(base.dtype)
    flat = base.reshape(-1)
    idx = _flat_index(shape, stride, offset).reshape(-1)
    return flat.at[idx].set(value.reshape(-1).astype(base.dtype), unique_indices=True).reshape(base.shape)


_copy_into_op = Op("copy_slices", _copy_into, saves=(), grad_name="torch::autograd::CopySlices")


def infer_size(shape, numel):
    """Resolve a ``-1`` in ``shape`` for ``numel`` elements, with PyTorch's errors."""
    shape = tuple(int(s) for s in shape)
    infer = None
    known = 1
    for i, s in enumerate(shape):
        if s == -1:
            if infer is not None:
                raise RuntimeError("only one dimension can be inferred")
            infer = i
        elif s < 0:
            raise RuntimeError(f"invalid shape dimension {s}")
        else:
            known *= s
    if infer is not None:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '[{', '.join(map(str, shape))}]' is invalid for input of size {numel}")
        return shape[:infer] + (numel // known,) + shape[infer + 1:]
    if known != numel:
        raise RuntimeError(f"shape '[{', '.join(map(str, shape))}]' is invalid for input of size {numel}")
    return shape


def _shape_arg(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list, Size)):
        shape = shape[0]
    return tuple(int(s) for s in shape)


def view(self, *shape):
    """A view with a new shape; fails like PyTorch when the strides do not allow it."""
    from .. import _dtype as D

    if len(shape) == 1 and isinstance(shape[0], D.dtype):
        return _view_dtype(self, shape[0])
    shape = infer_size(_shape_arg(shape), self.numel())
    old_shape, old_stride, offset = _src_layout(self)
    stride = view_strides(old_shape, old_stride, shape)
    if stride is None:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one dimension spans across "
            "two contiguous subspaces). Use .reshape(...) instead.")
    return _mark_view(_reshape_op(self, shape=shape), self, shape, stride, offset)


def _view_dtype(self, dtype):
    if dtype.itemsize != self.dtype.itemsize:
        raise RuntimeError("jtorch supports view(dtype) only between dtypes of the same size "
                           f"({self.dtype} -> {dtype})")
    if self._view is not None or self._base is not None:
        raise RuntimeError("jtorch supports view(dtype) only on a base tensor, not on a view")
    from .._tensor import wrap

    out = wrap(lax.bitcast_convert_type(self._read(), dtype.np))
    return out


def reshape(self, *shape):
    """A view when the layout allows it, otherwise a contiguous copy."""
    shape = infer_size(_shape_arg(shape), self.numel())
    old_shape, old_stride, offset = _src_layout(self)
    stride = view_strides(old_shape, old_stride, shape)
    if stride is None:
        return _reshape_op(self, shape=shape)
    return _mark_view(_reshape_op(self, shape=shape), self, shape, stride, offset)


def view_as(self, other):
    """``self.view(other.size())``."""
    return view(self, other.shape)


def reshape_as(self, other):
    """``self.reshape(other.size())``."""
    return reshape(self, other.shape)


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dims ``start_dim..end_dim`` into one (a view when possible)."""
    shape = input.shape
    if not shape:
        return reshape(input, (1,))
    s, e = wrap_dim(start_dim, len(shape)), wrap_dim(end_dim, len(shape))
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    return reshape(input, shape[:s] + (math.prod(shape[s:e + 1]),) + shape[e + 1:])


def ravel(input):
    """Flatten to 1-D."""
    return reshape(input, (-1,))


def unflatten(input, dim, sizes):
    """Split dim ``dim`` into ``sizes`` (one may be -1)."""
    shape = input.shape
    d = wrap_dim(dim, len(shape))
    sizes = infer_size(tuple(sizes), shape[d]) if -1 in tuple(sizes) else tuple(sizes)
    if math.prod(sizes) != shape[d]:
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} "
                           f"({shape[d]}) in the input tensor")
    return view(input, shape[:d] + sizes + shape[d + 1:])


def squeeze(input, dim=None):
    """Remove size-1 dims (all, or those in ``dim``)."""
    shape, stride, offset = _src_layout(input)
    dims = set(wrap_dims(dim, len(shape))) if dim is not None else set(range(len(shape)))
    keep = [i for i in range(len(shape)) if not (i in dims and shape[i] == 1)]
    new_shape = tuple(shape[i] for i in keep)
    if new_shape == shape:
        return _mark_view(_alias_op(input, shape=shape), input, shape, stride, offset)
    return _mark_view(_squeeze_op(input, shape=new_shape), input, new_shape, tuple(stride[i] for i in keep), offset)


def unsqueeze(input, dim):
    """Insert a size-1 dim at ``dim``."""
    shape, stride, offset = _src_layout(input)
    d = wrap_dim(dim, len(shape) + 1)
    new_stride = stride[d] * shape[d] if d < len(shape) else 1
    new_shape = shape[:d] + (1,) + shape[d:]
    return _mark_view(_unsqueeze_op(input, shape=new_shape), input, new_shape,
                      tuple(stride[:d]) + (new_stride,) + tuple(stride[d:]), offset)


def permute(input, *dims):
    """Reorder dims."""
    dims = _shape_arg(dims)
    shape, stride, offset = _src_layout(input)
    if len(dims) != len(shape):
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match the "
                           f"length of the desired ordering of dimensions i.e. input.dim() = {len(shape)} is not "
                           f"equal to len(dims) = {len(dims)}")
    dims = wrap_dims(dims, len(shape))
    return _mark_view(_permute_op(input, dims=dims), input, tuple(shape[d] for d in dims),
                      tuple(stride[d] for d in dims), offset)


def transpose(input, dim0, dim1):
    """Swap two dims."""
    shape, stride, offset = _src_layout(input)
    n = len(shape)
    a, b = wrap_dim(dim0, n), wrap_dim(dim1, n)
    perm = list(range(n))
    perm[a], perm[b] = perm[b], perm[a]
    perm = tuple(perm)
    return _mark_view(_transpose_op(input, dims=perm), input, tuple(shape[d] for d in perm),
                      tuple(stride[d] for d in perm), offset)


swapaxes = swapdims = transpose


def t(input):
    """Transpose a tensor of at most 2 dims."""
    shape, stride, offset = _src_layout(input)
    if len(shape) > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {len(shape)}D")
    return _mark_view(_t_op(input), input, shape[::-1], tuple(stride[::-1]), offset)


def adjoint(input):
    """Conjugate transpose of the last two dims."""
    out = transpose(input, -2, -1)
    return out.conj() if input.is_complex() else out


def expand(input, *sizes):
    """Broadcast to ``sizes`` without copying (-1 keeps a dim)."""
    sizes = _shape_arg(sizes)
    shape, stride, offset = _src_layout(input)
    if len(sizes) < len(shape):
        raise RuntimeError(f"expand(torch.{input.dtype.name.capitalize()}Tensor{{{list(shape)}}}, size={list(sizes)}): "
                           "the number of sizes provided ({}) must be greater or equal to the number of dimensions "
                           "in the tensor ({})".format(len(sizes), len(shape)))
    lead = len(sizes) - len(shape)
    new_shape, new_stride = [], []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a leading, "
                                   "non-existing dimension 0")
            new_shape.append(s)
            new_stride.append(0)
            continue
        n, st = shape[i - lead], stride[i - lead]
        if s == -1:
            s = n
        if n == s:
            new_shape.append(n)
            new_stride.append(st)
        elif n == 1:
            new_shape.append(s)
            new_stride.append(0)
        else:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing size ({n}) at "
                               f"non-singleton dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: "
                               f"{list(shape)}")
    new_shape = tuple(new_shape)
    if new_shape == shape:
        return _mark_view(_alias_op(input, shape=shape), input, shape, stride, offset)
    return _mark_view(_expand_op(input, shape=new_shape), input, new_shape, tuple(new_stride), offset)


def expand_as(input, other):
    """``input.expand(other.size())``."""
    return expand(input, other.shape)


def broadcast_to(input, size):
    """``input.expand(size)``."""
    return expand(input, tuple(size))


def select(input, dim, index):
    """The slice at ``index`` along ``dim``, with that dim removed."""
    shape, stride, offset = _src_layout(input)
    if not shape:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, len(shape))
    index = int(index)
    n = shape[d]
    if index < -n or index >= n:
        raise IndexError(f"index {index} is out of bounds for dimension {d} with size {n}")
    index %= n
    return _mark_view(_select_op(input, dim=d, index=index), input, shape[:d] + shape[d + 1:],
                      tuple(stride[:d]) + tuple(stride[d + 1:]), offset + index * stride[d])


def slice_view(input, dim, start=None, stop=None, step=1):
    """``input[..., start:stop:step, ...]`` along ``dim`` (Python slice clamping; step > 0)."""
    shape, stride, offset = _src_layout(input)
    d = wrap_dim(dim, len(shape))
    if step is None:
        step = 1
    if step <= 0:
        raise ValueError("step must be greater than zero")
    start, stop, _ = slice(start, stop, step).indices(shape[d])
    stop = max(stop, start)
    n = (stop - start + step - 1) // step
    new_shape = shape[:d] + (n,) + shape[d + 1:]
    new_stride = tuple(stride[:d]) + (stride[d] * step,) + tuple(stride[d + 1:])
    if n == shape[d] and step == 1:
        return _mark_view(_alias_op(input, shape=shape), input, shape, stride, offset)
    out = _slice_op(input, dim=d, start=start, stop=start + (n - 1) * step + 1 if n else start, step=step)
    return _mark_view(out, input, new_shape, new_stride, offset + (start * stride[d] if n else 0))


def narrow(input, dim, start, length):
    """``length`` elements of ``dim`` from ``start``."""
    shape = input.shape
    d = wrap_dim(dim, len(shape))
    start = int(start)
    if start < 0:
        start += shape[d]
    if start < 0 or start + length > shape[d] or length < 0:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({shape[d]}).")
    return slice_view(input, d, start, start + length)


def unbind(input, dim=0):
    """All slices along ``dim``."""
    d = wrap_dim(dim, input.ndim)
    return tuple(select(input, d, i) for i in range(input.shape[d]))


def split_with_sizes(input, split_sizes, dim=0):
    """Consecutive pieces of the given sizes along ``dim``."""
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d]
    if sum(split_sizes) != n:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at "
                           f"dimension {d}), but got split_sizes={list(split_sizes)}")
    out, start = [], 0
    for s in split_sizes:
        out.append(slice_view(input, d, start, start + s))
        start += s
    return tuple(out)


def split(tensor, split_size_or_sections, dim=0):
    """Pieces of ``split_size`` (the last may be smaller), or of the listed sizes."""
    d = wrap_dim(dim, tensor.ndim)
    n = tensor.shape[d]
    if isinstance(split_size_or_sections, (list, tuple)):
        return split_with_sizes(tensor, split_size_or_sections, d)
    size = int(split_size_or_sections)
    if size <= 0 and not (size == 0 and n == 0):
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
    if n == 0:
        return (slice_view(tensor, d, 0, 0),)
    return tuple(slice_view(tensor, d, i, min(i + size, n)) for i in range(0, n, size))


def chunk(input, chunks, dim=0):
    """At most ``chunks`` pieces of equal size (the last may be smaller), like PyTorch."""
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: {}".format(chunks))
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d]
    size = max(-(-n // chunks), 1) if n else 1
    return split(input, size, d)


def tensor_split(input, indices_or_sections, dim=0):
    """numpy.array_split semantics: ``sections`` nearly equal pieces, or cut at ``indices``."""
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d]
    if isinstance(indices_or_sections, Tensor):
        indices_or_sections = indices_or_sections.tolist()
    if isinstance(indices_or_sections, int):
        k = indices_or_sections
        if k <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {k}")
        q, r = divmod(n, k)
        bounds = np.cumsum([0] + [q + 1] * r + [q] * (k - r))
    else:
        bounds = [0] + [min(max(int(i), 0), n) for i in indices_or_sections] + [n]
    return tuple(slice_view(input, d, int(a), max(int(a), int(b))) for a, b in zip(bounds[:-1], bounds[1:]))


def _split_by(input, sections, dim, name, min_dim):
    if input.ndim < min_dim:
        raise RuntimeError(f"torch.{name} requires a tensor with at least {min_dim} dimension, but got a tensor "
                           f"with {input.ndim} dimensions!")
    return tensor_split(input, sections, dim)


def hsplit(input, sections):
    """Split along dim 1 (dim 0 for 1-D)."""
    return _split_by(input, sections, 1 if input.ndim > 1 else 0, "hsplit", 1)


def vsplit(input, sections):
    """Split along dim 0."""
    return _split_by(input, sections, 0, "vsplit", 2)


def dsplit(input, sections):
    """Split along dim 2."""
    return _split_by(input, sections, 2, "dsplit", 3)


def diagonal(input, offset=0, dim1=0, dim2=1):
    """A view of the diagonal of dims ``dim1``, ``dim2`` (appended as the last dim)."""
    shape, stride, off = _src_layout(input)
    n = len(shape)
    a, b = wrap_dim(dim1, n), wrap_dim(dim2, n)
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    if offset >= 0:
        size = max(min(shape[a], shape[b] - offset), 0)
        start = off + offset * stride[b] if size else off
    else:
        size = max(min(shape[a] + offset, shape[b]), 0)
        start = off - offset * stride[a] if size else off
    keep = [i for i in range(n) if i not in (a, b)]
    new_shape = tuple(shape[i] for i in keep) + (size,)
    new_stride = tuple(stride[i] for i in keep) + (stride[a] + stride[b],)
    return _mark_view(_diagonal_op(input, offset=offset, dim1=a, dim2=b), input, new_shape, new_stride, start)


def movedim(input, source, destination):
    """Move dims ``source`` to positions ``destination``."""
    n = input.ndim
    src = wrap_dims(source if isinstance(source, (list, tuple)) else [source], n)
    dst = wrap_dims(destination if isinstance(destination, (list, tuple)) else [destination], n)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({list(src)} dims) should "
                           f"contain the same number of dims as destination ({list(dst)} dims)")
    order = [i for i in range(n) if i not in src]
    perm = [None] * n
    for s, d in zip(src, dst):
        perm[d] = s
    it = iter(order)
    perm = [p if p is not None else next(it) for p in perm]
    return permute(input, perm)


moveaxis = movedim


def unfold(input, dimension, size, step):
    """All windows of ``size`` with ``step`` along ``dimension``, as a new last dim (a view)."""
    shape, stride, offset = _src_layout(input)
    n = len(shape)
    d = wrap_dim(dimension, n) if n else 0
    length = shape[d] if n else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    count = (length - size) // step + 1
    if not n:
        new_shape, new_stride = (size,), (1,)
    else:
        new_shape = shape[:d] + (count,) + shape[d + 1:] + (size,)
        new_stride = tuple(stride[:d]) + (stride[d] * step,) + tuple(stride[d + 1:]) + (stride[d],)
    return as_strided(input, new_shape, new_stride, offset, _name="UnfoldBackward0")


def as_strided(input, size, stride, storage_offset=None, _name=None):
    """A view with an explicit layout in the underlying storage (elements of the base)."""
    size, stride = tuple(int(s) for s in size), tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    offset = input.storage_offset() if storage_offset is None else int(storage_offset)
    root = input._st.array
    need = offset + sum((n - 1) * s for n, s in zip(size, stride)) + 1 if all(size) else 0
    if need > root.size:
        raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, "
                           f"and itemsize {input.element_size()} requiring a storage size of "
                           f"{need * input.element_size()} are out of bounds for storage of size "
                           f"{root.size * input.element_size()}")
    base = input._base if input._base is not None else input
    if base._view is not None:
        base = base.detach()
        base._view = None
        base._arr = root
    out = _strided_op(base, shape=size, stride=stride, offset=offset)
    if _name:
        out_fn = out._grad_fn
        if out_fn is not None:
            out_fn._name = _name
    return _mark_view(out, input, size, stride, offset)


def alias_of_base(base, layout):
    """A tensor for ``layout`` in ``base``'s storage, recorded as a view op of ``base``."""
    shape, stride, offset = layout
    if offset == 0 and stride == contiguous_strides(shape) and math.prod(shape) == base._arr.size:
        return _reshape_op(base, shape=tuple(shape))
    return _strided_op(base, shape=tuple(shape), stride=tuple(stride), offset=offset)


def copy_into_base(base, value, layout):
    """``base`` with ``layout`` overwritten by ``value``, recorded as one differentiable op."""
    shape, stride, offset = layout
    if offset == 0 and stride == contiguous_strides(shape) and math.prod(shape) == base._arr.size:
        return _copy_into_op(base, value, shape=tuple(shape), stride=None, offset=0)
    return _copy_into_op(base, value, shape=tuple(shape), stride=tuple(stride), offset=offset)


for _name in ("view", "reshape", "view_as", "reshape_as", "flatten", "unflatten", "squeeze", "unsqueeze", "permute",
              "transpose", "swapaxes", "swapdims", "t", "adjoint", "expand", "expand_as", "narrow", "select", "unbind",
              "split", "chunk", "tensor_split", "diagonal", "movedim", "moveaxis", "unfold", "as_strided", "ravel",
              "hsplit", "vsplit", "dsplit", "broadcast_to", "split_with_sizes"):
    setattr(Tensor, _name, globals()[_name])


def _inplace_view(fn):
    def method(self, *args, **kwargs):
        out = fn(self, *args, **kwargs)
        if self._base is not None or self.grad_fn is not None:
            raise RuntimeError(f"{fn.__name__}_ on a view or a non-leaf is not supported by jtorch; use "
                               f"{fn.__name__}() instead")
        arr = out._read()
        self._st = out._st
        self._arr = arr
        self._view = None if out._view is None else out._view
        self._ver = out._ver
        return self
    method.__doc__ = f"In-place ``{fn.__name__}``: changes this tensor's shape."
    return method


Tensor.squeeze_ = _inplace_view(squeeze)
Tensor.unsqueeze_ = _inplace_view(unsqueeze)
Tensor.t_ = _inplace_view(t)
Tensor.transpose_ = _inplace_view(transpose)
Tensor.resize_ = _inplace_view(reshape)
Tensor.T = property(lambda self: permute(self, tuple(range(self.ndim))[::-1]),
                    doc="All dims reversed (``permute(n-1, ..., 0)``).")


def _mT(self):
    """``tensor.mT``: the last two dims transposed; RuntimeError below 2-D, like PyTorch."""
    if self.ndim < 2:
        raise RuntimeError(f"tensor.mT is only supported on matrices or batches of matrices. Got {self.ndim}-D "
                           "tensor.")
    return transpose(self, -2, -1)


Tensor.mT = property(_mT, doc="Transpose of the last two dims.")
Tensor.mH = property(lambda self: adjoint(self), doc="Conjugate transpose of the last two dims.")
Tensor.H = property(lambda self: adjoint(self), doc="Conjugate transpose of a matrix.")
