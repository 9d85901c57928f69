"""The Tensor: a JAX array in a :class:`~jtorch._views.Storage`, plus autograd metadata.

Operations live in ``jtorch/_ops`` and attach their methods and operators to this class;
this file holds what every tensor is: its data (with aliasing views), its autograd state
(``requires_grad``, ``grad``, ``grad_fn``, hooks), Python protocol methods, and the in-place
update rule that every ``op_`` method shares.
"""
import builtins
import weakref

import jax
import numpy as np

from . import _dtype as D
from ._device import of_array
from ._views import Storage, contiguous_strides, strided_read, strided_write
from ._grad_state import MODE

__all__ = ["Tensor", "wrap", "legacy_type_name"]

_new = object.__new__

_LEGACY = D.ATEN_NAMES


def legacy_type_name(np_dtype):
    """``'torch.FloatTensor'`` for float32, and so on."""
    return f"torch.{_LEGACY[D.from_np(np_dtype).name]}Tensor"


def scalar_type_name(d):
    """ATen's scalar type name, used in error messages: Float, Long, ..."""
    return _LEGACY[d.name]


def wrap(arr, tensor_type=None):
    """A new base tensor owning ``arr`` (no grad, no aliases)."""
    t = _new(tensor_type or Tensor)
    t._st = Storage(arr)
    t._arr = arr
    t._ver = 0
    t._view = None
    t._base = None
    t._vc = [0]
    t._grad_fn = None
    t._out_nr = 0
    t._req = False
    t._grad = None
    t._acc = None
    t._gver = 0
    return t


class Tensor:
    """A multi-dimensional array with PyTorch's semantics, backed by a JAX array.

    ``torch.Tensor(*sizes)`` / ``torch.Tensor(data)`` (the legacy constructor) make a float
    tensor of the default dtype; prefer ``jtorch.tensor``. Differences from PyTorch: results of
    non-view operations are always contiguous (PyTorch may preserve a permuted layout), and
    ``data_ptr()`` identifies the storage, not a memory address.
    """

    __slots__ = ("_st", "_arr", "_ver", "_view", "_base", "_vc", "_grad_fn", "_out_nr", "_req",
                 "_grad", "_acc", "_gver", "__weakref__", "__dict__")

    __module__ = "jtorch"
    __array_priority__ = 1000

    def __new__(cls, *args, device=None):
        from ._ops.creation import legacy_new

        return legacy_new(cls, args, device)

    def __init__(self, *args, **kwargs):
        pass

    # ---- data ----
    def _refresh(self):
        """Re-read this tensor's array after its storage was written through an alias."""
        st = self._st
        view = self._view
        if view is None:
            arr = st.array
            if arr.shape != self._arr.shape:
                arr = arr.reshape(self._arr.shape)
        else:
            arr = strided_read(st.array, self._arr.shape, view[0], view[1])
        self._arr = arr
        self._ver = st.version
        if self._base is not None and self._gver != st.gver:
            self._regenerate_grad_fn()
        return arr

    def _read(self):
        """The current JAX array."""
        return self._arr if self._ver == self._st.version else self._refresh()

    def _layout(self):
        """(shape, stride, offset) in the storage's flattened array."""
        shape = self._arr.shape
        if self._view is None:
            return shape, contiguous_strides(shape), 0
        return shape, self._view[0], self._view[1]

    def _write_inplace(self, new):
        """Store ``new`` (this tensor's shape and dtype) as this tensor's value, in place."""
        st = self._st
        view = self._view
        if view is None:
            st.array = new if new.shape == st.array.shape else new.reshape(st.array.shape)
        else:
            st.array = strided_write(st.array, new.shape, view[0], view[1], new)
        st.version += 1
        self._vc[0] += 1
        self._arr = new
        self._ver = st.version

    def _inplace_from(self, result, name="CopyBackwards"):
        """Make this tensor hold ``result`` (an op's out-of-place result), as ``op_`` does.

        Checks PyTorch's in-place rules, casts to this tensor's dtype, writes through to the
        storage (so views and the base see it) and rebases autograd history. The op's node keeps
        the overwritten value itself (PyTorch saves a copy of the original ``self``), so later
        writes to this tensor do not trip the version check for it.
        """
        grad = MODE.grad_enabled
        if grad:
            if self._grad_fn is None and self._req:
                raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
            base = self._base
            if base is not None and base._grad_fn is None and base._req:
                raise RuntimeError(
                    "a view of a leaf Variable that requires grad is being used in an in-place operation.")
        if not isinstance(result, Tensor):
            from ._ops.creation import full_like_value

            result = full_like_value(self, result)
        rd, sd = result.dtype, self.dtype
        if rd is not sd:
            if not D.can_cast(rd, sd):
                raise RuntimeError(f"result type {scalar_type_name(rd)} can't be cast to the desired output type "
                                   f"{scalar_type_name(sd)}")
            result = result.to(sd)
        shape = self._arr.shape
        if result.shape != shape:
            try:
                target = np.broadcast_shapes(result.shape, shape)
            except ValueError:
                target = None
            if target != shape:
                raise RuntimeError(
                    f"output with shape {list(shape)} doesn't match the broadcast shape "
                    f"{list(target) if target is not None else list(result.shape)}")
            result = result.expand(shape)
        self._write_inplace(result._read())
        saved = getattr(result._grad_fn, "_saved", None)
        if saved:
            result._grad_fn._saved = tuple(s for s in saved if s[0] is not self._vc)
        if grad and (result._grad_fn is not None or self._grad_fn is not None):
            self._rebase_history(result, name)
        return self

    def _rebase_history(self, result, name):
        from ._ops.views import alias_of_base, copy_into_base
        from .autograd.graph import ConstantNode

        base = self._base
        if base is None:
            if result._grad_fn is not None:
                self._grad_fn, self._out_nr = result._grad_fn, result._out_nr
            else:
                self._grad_fn, self._out_nr = ConstantNode(name), 0
            return
        layout = self._layout()
        new_root = copy_into_base(base, result, layout)
        base._grad_fn = new_root._grad_fn if new_root._grad_fn is not None else ConstantNode(name)
        base._out_nr = 0
        st = self._st
        st.gver += 1
        self._grad_fn, self._out_nr = alias_of_base(base, layout)._grad_fn, 0
        self._gver = st.gver

    def _regenerate_grad_fn(self):
        """After an in-place change through another alias, this view's history is a view of the base."""
        from ._ops.views import alias_of_base

        base = self._base
        self._gver = self._st.gver
        if base._grad_fn is None and not base._req:
            return
        prev = MODE.grad_enabled
        MODE.grad_enabled = True
        try:
            self._grad_fn, self._out_nr = alias_of_base(base, self._layout())._grad_fn, 0
        finally:
            MODE.grad_enabled = prev

    def _accumulator(self):
        acc = self._acc() if self._acc is not None else None
        if acc is None:
            acc = _graph.AccumulateGrad(self)
            self._acc = weakref.ref(acc)
        return acc

    # ---- metadata ----
    @property
    def shape(self):
        """The size, as a :class:`jtorch.Size`."""
        return _make_size(self._arr.shape)

    def size(self, dim=None):
        """``Size`` of the tensor, or the length of dimension ``dim``."""
        shape = self._arr.shape
        if dim is None:
            return _make_size(shape)
        if not shape and not isinstance(dim, str):
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return shape[_wrap_dim(dim, len(shape))]

    @property
    def dtype(self):
        return D.from_np(self._arr.dtype)

    @property
    def device(self):
        return of_array(self._arr)

    @property
    def is_cuda(self):
        return self.device.type == "cuda"

    @property
    def is_cpu(self):
        return self.device.type == "cpu"

    @property
    def is_meta(self):
        return False

    @property
    def is_sparse(self):
        return False

    @property
    def is_quantized(self):
        return False

    @property
    def layout(self):
        from ._ops.creation import strided

        return strided

    @property
    def ndim(self):
        return len(self._arr.shape)

    def dim(self):
        """Number of dimensions."""
        return len(self._arr.shape)

    ndimension = dim

    def numel(self):
        """Number of elements."""
        return int(np.prod(self._arr.shape, dtype=np.int64))

    nelement = numel

    def element_size(self):
        """Bytes per element."""
        return self._arr.dtype.itemsize

    @property
    def itemsize(self):
        return self._arr.dtype.itemsize

    @property
    def nbytes(self):
        return self.numel() * self._arr.dtype.itemsize

    def stride(self, dim=None):
        """Strides in elements, as PyTorch reports them for this tensor's layout."""
        strides = self._layout()[1]
        if dim is None:
            return tuple(strides)
        return strides[_wrap_dim(dim, len(strides))]

    def storage_offset(self):
        """Offset of the first element in the storage, in elements."""
        return 0 if self._view is None else self._view[1]

    def is_contiguous(self, memory_format=None):
        """Whether the layout is row-major contiguous."""
        if self._view is None:
            return True
        shape, stride, _ = self._layout()
        if 0 in shape:
            return True
        expected = 1
        for n, s in zip(reversed(shape), reversed(stride)):
            if n != 1:
                if s != expected:
                    return False
                expected *= n
        return True

    def data_ptr(self):
        """An integer identifying the storage and offset (not a real address)."""
        return id(self._st) * 16 + self.storage_offset() * self.element_size()

    def untyped_storage(self):
        """The storage object shared by aliasing tensors."""
        return self._st

    def is_floating_point(self):
        return self.dtype.is_floating_point

    def is_complex(self):
        return self.dtype.is_complex

    def is_signed(self):
        return self.dtype.is_signed

    def get_device(self):
        """-1 on the CPU, the GPU index otherwise."""
        d = self.device
        return -1 if d.type == "cpu" else (d.index or 0)

    def _is_view(self):
        return self._base is not None

    @property
    def is_leaf(self):
        return self.grad_fn is None

    @property
    def requires_grad(self):
        if self._ver != self._st.version:
            self._refresh()
        return self._grad_fn is not None or self._req

    @requires_grad.setter
    def requires_grad(self, value):
        if self._grad_fn is not None:
            if value:
                return
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a computed variable "
                "in a subgraph that doesn't require differentiation use var_no_grad = var.detach().")
        if value and not (self.dtype.is_floating_point or self.dtype.is_complex):
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
        self._req = bool(value)

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` in place; returns self."""
        if requires_grad and self._grad_fn is None and not (self.dtype.is_floating_point or self.dtype.is_complex):
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self.requires_grad = requires_grad
        return self

    @property
    def grad_fn(self):
        if self._ver != self._st.version:
            self._refresh()
        return self._grad_fn

    @property
    def grad(self):
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type "
                                f"{type(value).__name__}")
            if value.dtype is not self.dtype:
                raise RuntimeError("attempting to assign a gradient with dtype "
                                   f"'{value.dtype!r}' to a tensor with dtype '{self.dtype!r}'. Please ensure "
                                   "that the gradient and the tensor have the same dtype")
            if value.shape != self.shape:
                raise RuntimeError(f"assigned grad has data of a different size")
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def retains_grad(self):
        gf = self.grad_fn
        return gf is not None and bool(gf._retained) and self._out_nr in gf._retained

    def retain_grad(self):
        """Keep ``.grad`` for this non-leaf tensor after backward."""
        gf = self.grad_fn
        if gf is None:
            if not self._req:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            return
        gf.retain(self._out_nr, weakref.ref(self))

    def register_hook(self, hook):
        """Run ``hook(grad)`` when this tensor's gradient is computed; it may return a new grad."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        gf = self.grad_fn
        if gf is None:
            return self._accumulator().add_tensor_pre_hook(0, hook)
        return gf.add_tensor_pre_hook(self._out_nr, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """Run ``hook(tensor)`` after the gradient was accumulated into this leaf's ``.grad``."""
        if self.grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        acc = self._accumulator()
        self._keep_acc = acc
        if acc._post_hooks is None:
            acc._post_hooks = []
        acc._post_hooks.append(hook)
        from .autograd.graph import _RemovableHandle

        return _RemovableHandle(acc._post_hooks, hook)

    @property
    def _version(self):
        return self._vc[0]

    @property
    def data(self):
        """A tensor sharing this one's data, outside autograd (and its version counter)."""
        t = self.detach()
        t._vc = [0]
        return t

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be a Tensor, got {type(value).__name__}")
        arr = value._read()
        self._st = value._st
        self._view = value._view
        self._arr = arr
        self._ver = value._ver

    def detach(self):
        """A tensor sharing this one's data and version counter, with no autograd history."""
        return self._alias(Tensor)

    def _alias(self, cls):
        """A new ``cls`` leaf sharing this tensor's storage, layout and version counter."""
        arr = self._read()
        t = _new(cls)
        t._st = self._st
        t._arr = arr
        t._ver = self._ver
        t._view = self._view
        t._base = None
        t._vc = self._vc
        t._grad_fn = None
        t._out_nr = 0
        t._req = False
        t._grad = None
        t._acc = None
        t._gver = 0
        return t

    def detach_(self):
        """Detach this tensor from the graph in place, making it a leaf."""
        if self._base is not None and self.grad_fn is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self._grad_fn = None
        self._req = False
        return self

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Compute gradients of this tensor w.r.t. graph leaves (see ``jtorch.autograd.backward``)."""
        from .autograd.api import backward

        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    # ---- Python protocols ----
    def item(self):
        """The single value as a Python int, float, bool or complex."""
        n = self.numel()
        if n != 1:
            raise RuntimeError(f"a Tensor with {n} elements cannot be converted to Scalar")
        arr = np.asarray(self._read())
        if arr.dtype.name == "bfloat16":
            arr = arr.astype(np.float32)
        return arr.reshape(()).item()

    def tolist(self):
        """Nested Python lists of Python numbers (a number for a 0-d tensor)."""
        arr = np.asarray(self._read())
        if arr.dtype.name == "bfloat16":
            arr = arr.astype(np.float32)
        return arr.tolist()

    def numpy(self, *, force=False):
        """The data as a numpy array. Differs from PyTorch: a copy, never a view sharing memory."""
        if self.requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        if self._arr.dtype.name == "bfloat16":
            raise TypeError("Got unsupported ScalarType BFloat16")
        return np.array(self._read())

    def __array__(self, dtype=None, copy=None):
        arr = np.asarray(self._read())
        return arr.astype(dtype) if dtype is not None else arr

    def __jax_array__(self):
        return self._read()

    def __len__(self):
        shape = self._arr.shape
        if not shape:
            raise TypeError("len() of a 0-d tensor")
        return shape[0]

    def __iter__(self):
        if not self._arr.shape:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __bool__(self):
        n = self.numel()
        if n == 0:
            raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
        if n > 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return builtins.bool(self.item())

    def _scalar(self, kind):
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        v = self.item()
        if isinstance(v, builtins.complex) and kind is not builtins.complex:
            if v.imag:
                target = "double" if kind is builtins.float else "int64_t"
                raise RuntimeError(f"value cannot be converted to type {target} without overflow")
            v = v.real
        return kind(v)

    def __int__(self):
        return self._scalar(builtins.int)

    def __float__(self):
        return self._scalar(builtins.float)

    def __complex__(self):
        return self._scalar(builtins.complex)

    def __index__(self):
        if self.dtype.is_floating_point or self.dtype.is_complex or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return builtins.int(self.item())

    def __hash__(self):
        return id(self)

    def __repr__(self, *, tensor_contents=None):
        from ._tensor_str import format_tensor

        arr = self._read()
        if isinstance(arr, jax.core.Tracer):
            from . import random as R

            if R._compiling[0]:
                raise jax.errors.TracerArrayConversionError(arr)
            return f"tensor(<traced {self.dtype!r} {list(arr.shape)}>)"
        suffixes = []
        gf = self.grad_fn
        if gf is not None:
            suffixes.append(("grad_fn", f"<{gf._name.rpartition('::')[2]}>"))
        elif self._req:
            suffixes.append(("requires_grad", "True"))
        return format_tensor(np.asarray(arr), self.dtype.name, default_dtype_name=D.get_default_dtype().name,
                             device=str(self.device), suffixes=suffixes)

    def __format__(self, spec):
        if self.ndim == 0 and type(self) is Tensor:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __reduce_ex__(self, protocol):
        arr = np.asarray(self._read())
        return (_rebuild, (arr, self.requires_grad, type(self)))

    def __deepcopy__(self, memo):
        if self.grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                               "protocol at the moment.  If you were attempting to deepcopy a module, this may be "
                               "because of a torch.nn.utils.weight_norm usage, see "
                               "https://github.com/pytorch/pytorch/pull/103001")
        if id(self) in memo:
            return memo[id(self)]
        t = wrap(self._read(), type(self))
        t._req = self._req
        memo[id(self)] = t
        if self._grad is not None:
            t._grad = self._grad.__deepcopy__(memo)
        for k, v in self.__dict__.items():
            import copy

            setattr(t, k, copy.deepcopy(v, memo))
        return t

    def __dlpack__(self, stream=None):
        return self._read().__dlpack__()

    def __dlpack_device__(self):
        return self._read().__dlpack_device__()


def _rebuild(arr, requires_grad, cls=Tensor):
    import jax.numpy as jnp

    t = wrap(jnp.asarray(arr), cls)
    t._req = requires_grad
    return t


def _wrap_dim(dim, ndim):
    """Normalise a possibly negative dim, with PyTorch's IndexError."""
    from ._ops.common import wrap_dim

    return wrap_dim(dim, ndim)


class Size(tuple):
    """``torch.Size``: a tuple of ints describing a shape."""

    __module__ = "jtorch"

    def __new__(cls, *args):
        if len(args) > 1:
            raise TypeError(f"tuple expected at most 1 argument, got {len(args)}")
        sizes = args[0] if args else ()
        items = []
        for i, s in enumerate(sizes):
            if isinstance(s, (builtins.int, np.integer)):
                items.append(builtins.int(s))
            elif isinstance(s, Tensor) and s.numel() == 1 and not (s.dtype.is_floating_point or s.dtype.is_complex):
                items.append(s.__index__())
            else:
                raise TypeError(f"torch.Size() takes an iterable of 'int' (item {i} is '{type(s).__name__}')")
        return tuple.__new__(cls, items)

    def __repr__(self):
        return f"torch.Size([{', '.join(map(str, self))}])"

    def numel(self):
        """Product of the sizes."""
        return int(np.prod(self, dtype=np.int64))

    def __getitem__(self, item):
        r = tuple.__getitem__(self, item)
        return _make_size(r) if isinstance(item, slice) else r

    def __add__(self, other):
        if not isinstance(other, tuple):
            raise TypeError(f"can only concatenate tuple (not {type(other).__name__}) to torch.Size")
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other):
        return Size(tuple(other) + tuple(self))

    def __mul__(self, n):
        return _make_size(tuple.__mul__(self, n))

    __rmul__ = __mul__

    def __reduce__(self):
        return (Size, (tuple(self),))


def _make_size(shape):
    """A Size from a tuple known to hold ints (no validation)."""
    return tuple.__new__(Size, shape)


from .autograd import graph as _graph  # noqa: E402  (the autograd package imports this module)
