"""``torch.save`` / ``torch.load`` in PyTorch's own checkpoint format, without importing torch.

A checkpoint is a zip archive: every record sits under one folder, stored uncompressed with its
payload 64-byte aligned. ``data.pkl`` is a protocol-2 pickle in which a tensor is
``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)`` and a
storage is the persistent id ``('storage', torch.<X>Storage, key, location, numel)``; each
storage's raw bytes are the record ``data/<key>``, next to ``byteorder`` and ``version``.
Tensors that share a jtorch storage share one record, so views keep aliasing through a save and
load, as in PyTorch.

``load`` defaults to ``weights_only=True``: a restricted unpickler that resolves globals only from
an allow-list (tensors and their rebuild functions, dtypes, ``Size``, devices, builtin containers,
plus whatever :func:`add_safe_globals` adds) and refuses anything else with PyTorch's
``UnpicklingError`` text, so a malicious checkpoint never runs code.
"""
import codecs
import functools
import hashlib
import importlib
import io
import math
import os
import pickle
import pickletools
import re
import struct
import sys
import threading
import warnings
import zipfile
from collections import Counter, OrderedDict
from struct import unpack

import jax
import jax.numpy as jnp
import numpy as np

from . import _dtype as D
from ._device import CPU, device as Device, gpu_devices, of_array, to_jax_device
from ._ops.creation import layout as _Layout, strided as _strided
from ._tensor import Size, Tensor, wrap
from ._views import Storage, contiguous_strides

__all__ = ["save", "load", "add_safe_globals", "get_safe_globals", "clear_safe_globals", "safe_globals",
           "get_unsafe_globals_in_checkpoint", "DEFAULT_PROTOCOL"]

DEFAULT_PROTOCOL = 2
_ALIGNMENT = 64
_FILE_VERSION = b"3\n"
_MAX_FILE_VERSION = 10
_MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
_UTILS = "torch._utils"
# Dtypes PyTorch writes with ``_rebuild_tensor_v3`` over an UntypedStorage (they have no legacy storage class).
_V3_DTYPES = frozenset((D.uint16, D.uint32, D.uint64))
# PyTorch dtypes and storages jtorch cannot hold; the allow-list knows them so loading fails clearly.
_MISSING_DTYPES = ("complex32", "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz",
                   "float8_e8m0fnu", "float4_e2m1fn_x2", "bits16", "bits1x8", "bits2x4", "bits4x2", "bits8",
                   "qint32", "qint8", "quint2x4", "quint4x2", "quint8", "uint1", "uint2", "uint3", "uint4",
                   "uint5", "uint6", "uint7", "int1", "int2", "int3", "int4", "int5", "int6", "int7")
_QUANTIZED_STORAGES = ("QInt32Storage", "QInt8Storage", "QUInt2x4Storage", "QUInt4x2Storage", "QUInt8Storage")
_QSCHEMES = ("per_tensor_affine", "per_tensor_symmetric", "per_channel_affine", "per_channel_symmetric",
             "per_channel_affine_float_qparams")

UNSAFE_MESSAGE = (
    "In PyTorch 2.6, we changed the default value of the `weights_only` argument in `torch.load` "
    "from `False` to `True`. Re-running `torch.load` with `weights_only` set to `False` will likely succeed, "
    "but it can result in arbitrary code execution. Do it only if you got the file from a "
    "trusted source.")
_DOCS_MESSAGE = (
    "\n\nCheck the documentation of torch.load to learn more about types accepted by default with "
    "weights_only https://pytorch.org/docs/stable/generated/torch.load.html.")
_BLOCKED_MODULES = ("sys", "os", "posix", "nt")
# Python 2 names that protocol-2 pickles may carry (``fix_imports``), as the stdlib maps them.
_IMPORT_MAPPING = {"__builtin__": "builtins", "copy_reg": "copyreg"}


# ---- allow-listed globals: what the names in a checkpoint mean in jtorch ---------------------------

class _Ref:
    """A global written into the pickle under PyTorch's name (``torch._utils._rebuild_tensor_v2``...).

    Callable only because pickle requires a reduce function to be; it is never called.
    """

    __slots__ = ("target",)

    def __init__(self, module, name):
        self.target = (module, name)

    def __call__(self, *args):
        raise RuntimeError(f"{'.'.join(self.target)} only names a PyTorch global in a checkpoint")


@functools.lru_cache(maxsize=None)
def _ref(module, name):
    return _Ref(module, name)


class _StorageType:
    """What ``torch.FloatStorage`` and friends stand for in a checkpoint: a storage's dtype."""

    __slots__ = ("name", "dtype")

    def __init__(self, name, dtype):
        self.name = name
        self.dtype = dtype

    def __repr__(self):
        return f"StorageType(dtype=torch.{self.dtype.name})" if self.dtype else f"StorageType({self.name})"


_STORAGE_TYPES = {f"{aten}Storage": _StorageType(f"{aten}Storage", D._NAMES[name])
                  for name, aten in D.ATEN_NAMES.items() if D._NAMES[name] not in _V3_DTYPES}
_STORAGE_TYPES.update({name: _StorageType(name, None) for name in _QUANTIZED_STORAGES})
_UNTYPED = _StorageType("UntypedStorage", D.uint8)


class _Missing:
    """An allow-listed PyTorch global that jtorch has no counterpart for; using it raises."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name

    def __call__(self, *args, **kwargs):
        raise _missing(self.name)


def _missing(name):
    return NotImplementedError(f"jtorch cannot load {name}: it has no counterpart of it (quantized, sparse, "
                               "nested, meta and sub-byte or float8 tensors are not supported)")


def _get_layout(name):
    """``torch.serialization._get_layout``: the layout object named ``name`` (only ``torch.strided``)."""
    if name != "torch.strided":
        raise _missing(name)
    return _strided


@functools.lru_cache(maxsize=1)
def _allowed_globals():
    """PyTorch's default weights_only allow-list, mapped to jtorch objects (PyTorch's names as keys)."""
    from . import _legacy, cuda
    from .nn.parameter import Parameter

    rc = {"collections.OrderedDict": OrderedDict, "collections.Counter": Counter,
          "torch.nn.parameter.Parameter": Parameter, "torch.serialization._get_layout": _get_layout,
          "torch.Size": Size, "torch.Tensor": Tensor, "torch.device": Device, "_codecs.encode": codecs.encode,
          "builtins.bytearray": bytearray, "builtins.set": set, "builtins.complex": complex}
    rc.update({f"torch.{d.name}": d for d in D.ALL})
    rc.update({f"torch.{name}": _Missing(f"torch.{name}") for name in _MISSING_DTYPES + _QSCHEMES})
    for name in _legacy.__all__:
        rc[f"torch.{name}"] = getattr(_legacy, name)
        rc[f"torch.cuda.{name}"] = getattr(cuda, name)
        if name != "BoolTensor":
            rc[f"torch.sparse.{name}"] = _Missing(f"torch.sparse.{name}")
            rc[f"torch.cuda.sparse.{name}"] = _Missing(f"torch.cuda.sparse.{name}")
    for name, storage_type in _STORAGE_TYPES.items():
        rc[f"torch.{name}"] = storage_type
        if storage_type.dtype is not None:
            rc[f"torch.cuda.{name}"] = storage_type
    rc["torch.storage.UntypedStorage"] = _UNTYPED
    rc["torch.storage.TypedStorage"] = _Missing("torch.storage.TypedStorage")
    for fn in (_rebuild_tensor, _rebuild_tensor_v2, _rebuild_tensor_v3, _rebuild_parameter,
               _rebuild_parameter_with_state, _rebuild_device_tensor_from_numpy,
               _rebuild_device_tensor_from_cpu_tensor):
        rc[f"{_UTILS}.{fn.__name__}"] = fn
    for name in ("_rebuild_qtensor", "_rebuild_sparse_tensor", "_rebuild_meta_tensor_no_storage",
                 "_rebuild_nested_tensor", "_rebuild_wrapper_subclass"):
        rc[f"{_UTILS}.{name}"] = _Missing(f"{_UTILS}.{name}")
    rc["torch._tensor._rebuild_from_type_v2"] = _rebuild_from_type_v2
    return rc


@functools.lru_cache(maxsize=1)
def _allowed_ids():
    return frozenset(id(v) for v in _allowed_globals().values())


@functools.lru_cache(maxsize=1)
def _global_aliases():
    """id -> (object, module, name): jtorch objects that are written under PyTorch's global names."""
    from . import _legacy, cuda
    from .nn.parameter import Parameter

    pairs = [(Tensor, "torch", "Tensor"), (Parameter, "torch.nn.parameter", "Parameter"),
             (Size, "torch", "Size"), (Device, "torch", "device")]
    pairs += [(d, "torch", d.name) for d in D.ALL]
    for name in _legacy.__all__:
        pairs += [(getattr(_legacy, name), "torch", name), (getattr(cuda, name), "torch.cuda", name)]
    return {id(obj): (obj, module, name) for obj, module, name in pairs}


# ---- user allow-list (torch.serialization.add_safe_globals and friends) ----------------------------

_user_safe_globals = set()


def add_safe_globals(safe_globals):
    """Mark globals (classes/functions, or ``(obj, "module.name")`` pairs) as safe for ``weights_only`` loads.

    A jtorch object is also allowed under its PyTorch name (``jtorch.nn.Linear`` allows
    ``torch.nn.modules.linear.Linear``), so checkpoints written by PyTorch load too.
    """
    global _user_safe_globals
    _user_safe_globals = _user_safe_globals.union(safe_globals)


def get_safe_globals():
    """The list of globals added with :func:`add_safe_globals`."""
    return list(_user_safe_globals)


def clear_safe_globals():
    """Forget every global added with :func:`add_safe_globals`."""
    global _user_safe_globals
    _user_safe_globals = set()


class safe_globals:
    """Context manager: ``with safe_globals([MyClass]): load(...)`` allows ``MyClass`` inside the block only."""

    def __init__(self, safe_globals):
        self.safe_globals = safe_globals

    def __enter__(self):
        add_safe_globals(self.safe_globals)

    def __exit__(self, *exc):
        global _user_safe_globals
        _user_safe_globals = _user_safe_globals - set(self.safe_globals)


def _user_allowed_globals():
    """Full name -> object for the user's safe globals, with PyTorch's validation of ``(obj, name)`` pairs."""
    rc = {}
    for entry in _user_safe_globals:
        if isinstance(entry, tuple):
            if len(entry) != 2:
                raise ValueError(f"Expected tuple of length 2 (global, str of callable full path), but got tuple "
                                 f"of length: {len(entry)}")
            if type(entry[1]) is not str:
                raise TypeError(f"Expected second item in tuple to be str of callable full path, but got: "
                                f"{type(entry[1])}")
            obj, full = entry
        else:
            obj, full = entry, f"{entry.__module__}.{entry.__qualname__}"
        rc[full] = obj
        if full.startswith("jtorch."):
            rc["torch." + full[len("jtorch."):]] = obj
    return rc


# ---- saving --------------------------------------------------------------------------------------

class _StorageRef:
    """Stands for one jtorch storage in the pickle; the pickler writes it as a persistent id."""

    __slots__ = ("pid",)

    def __init__(self, pid):
        self.pid = pid


def _tensor_state(t):
    """A tensor's Python attributes, as PyTorch pickles them (None when there are none)."""
    state = {k: v for k, v in t.__dict__.items() if k != "_keep_acc"}
    return state or None


class _Pickler(pickle._Pickler):
    """Protocol-2 pickler that writes jtorch objects under PyTorch's global names.

    Pure Python (``pickle._Pickler``) so that globals can be written by name without importing
    the module they name; only opcodes of PyTorch's weights_only subset come out at protocol 2.
    """

    dispatch = dict(pickle._Pickler.dispatch)

    def __init__(self, file, protocol):
        super().__init__(file, protocol)
        self.storages = {}

    def persistent_id(self, obj):
        return obj.pid if type(obj) is _StorageRef else None

    def reducer_override(self, obj):
        if isinstance(obj, Tensor):
            return self._reduce_tensor(obj)
        t = type(obj)
        if t is Device:
            return Device, (obj.type,) if obj.index is None else (obj.type, obj.index)
        if t is Storage:
            raise pickle.PicklingError("jtorch.save cannot save a storage on its own; save a tensor that uses it")
        if t is _Layout:
            return _ref("torch.serialization", "_get_layout"), (f"torch.{obj.name}",)
        return NotImplemented

    def save_global(self, obj, name=None):
        entry = _global_aliases().get(id(obj))
        if type(obj) is _Ref:
            target = obj.target
        elif entry is not None and entry[0] is obj:
            target = entry[1:]
        else:
            return super().save_global(obj, name)
        self.write(pickle.GLOBAL + f"{target[0]}\n{target[1]}\n".encode("utf-8"))
        self.memoize(obj)

    dispatch[_Ref] = save_global
    dispatch[D.dtype] = save_global

    def _reduce_tensor(self, t):
        from .nn.parameter import Parameter

        state = _tensor_state(t)
        if issubclass(type(t), Parameter):
            args = (t.detach(), t.requires_grad, OrderedDict())
            if state:
                return _ref(_UTILS, "_rebuild_parameter_with_state"), args + (state,)
            return _ref(_UTILS, "_rebuild_parameter"), args
        func, args = self._rebuild_args(t)
        if type(t) is Tensor and not state:
            return func, args
        return _ref("torch._tensor", "_rebuild_from_type_v2"), (func, type(t), args, state or {})

    def _rebuild_args(self, t):
        t._read()
        shape, stride, offset = t._layout()
        args = (self._storage_ref(t._st, t.dtype), offset, tuple(shape), tuple(stride), t.requires_grad,
                OrderedDict())
        if t.dtype in _V3_DTYPES:
            return _ref(_UTILS, "_rebuild_tensor_v3"), args + (t.dtype,)
        return _ref(_UTILS, "_rebuild_tensor_v2"), args

    def _storage_ref(self, st, dtype):
        entry = self.storages.get(id(st))
        if entry is None:
            key = str(len(self.storages))
            size = st.array.size
            if dtype in _V3_DTYPES:
                storage_type, numel = _ref("torch.storage", "UntypedStorage"), size * dtype.itemsize
            else:
                storage_type, numel = _ref("torch", f"{D.ATEN_NAMES[dtype.name]}Storage"), size
            location = str(of_array(st.array))
            entry = self.storages[id(st)] = (_StorageRef(("storage", storage_type, key, location, numel)), st)
        return entry[0]


def _archive_name(path):
    """The archive folder PyTorch uses for a file: its base name without the last extension."""
    base = os.path.basename(path)
    if not base.isascii():
        return "archive"
    stem, dot, _ = base.rpartition(".")
    return stem if dot else base


def _write_record(zf, start, name, payload):
    """Append one ZIP_STORED record whose payload starts 64-byte aligned (a ``FB`` extra field pads it)."""
    payload = memoryview(payload).cast("B")
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    info.file_size = payload.nbytes
    zip64 = info.file_size * 1.05 > zipfile.ZIP64_LIMIT
    header = 30 + len(name.encode("utf-8")) + 4 + (20 if zip64 else 0)
    pad = -(zf.start_dir - start + header) % _ALIGNMENT
    info.extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
    with zf.open(info, "w") as out:
        out.write(payload)


def _storage_bytes(st):
    return np.asarray(st.array).reshape(-1).view(np.uint8)


def _write_archive(fh, prefix, data_pkl, storages):
    """Write the checkpoint zip: data.pkl, byteorder, data/<key>..., version, .data/serialization_id."""
    with zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        start = zf.start_dir
        _write_record(zf, start, f"{prefix}/data.pkl", data_pkl)
        _write_record(zf, start, f"{prefix}/byteorder", sys.byteorder.encode("ascii"))
        for (ref, st) in storages.values():
            _write_record(zf, start, f"{prefix}/data/{ref.pid[2]}", _storage_bytes(st))
        _write_record(zf, start, f"{prefix}/version", _FILE_VERSION)
        ident = hashlib.sha1()
        for info in zf.infolist():
            ident.update(f"{info.filename}:{info.CRC};".encode("utf-8"))
        _write_record(zf, start, f"{prefix}/.data/serialization_id",
                      f"{int(ident.hexdigest(), 16) % 10 ** 40:040d}".encode("ascii"))


def save(obj, f, pickle_module=pickle, pickle_protocol=DEFAULT_PROTOCOL, _use_new_zipfile_serialization=True):
    """Save ``obj`` to ``f`` (a path or a writable binary file object) in PyTorch's zip checkpoint format.

    Tensors (every dtype), Parameters, ``Size``, dtypes, devices and containers are written under
    PyTorch's names, so state dicts load in real ``torch.load(..., weights_only=True)``; other
    objects (whole modules) are pickled by reference to their class. Tensors sharing a storage
    share one record. Differs from PyTorch: only the stdlib ``pickle`` module is supported, the
    legacy format (``_use_new_zipfile_serialization=False``) is not written, and the archive
    carries no ``.format_version`` record.
    """
    if not isinstance(f, (str, os.PathLike)) and not hasattr(f, "write"):
        raise AttributeError("expected 'f' to be string, path, or a file-like object with a 'write' attribute")
    if not _use_new_zipfile_serialization:
        raise NotImplementedError("jtorch.save does not write PyTorch's legacy (pre-1.6, non-zip) format; "
                                  "use _use_new_zipfile_serialization=True")
    if pickle_module is not pickle:
        raise NotImplementedError(f"jtorch.save pickles with the standard pickle module only, got {pickle_module!r}")
    data = io.BytesIO()
    pickler = _Pickler(data, pickle_protocol)
    pickler.dump(obj)
    if isinstance(f, (str, os.PathLike)):
        path = os.fspath(f)
        parent = os.path.dirname(path)
        if parent and not os.path.isdir(parent):
            raise RuntimeError(f"Parent directory {parent} does not exist.")
        with open(path, "wb") as fh:
            _write_archive(fh, _archive_name(path), data.getvalue(), pickler.storages)
    else:
        _write_archive(f, "archive", data.getvalue(), pickler.storages)
        f.flush()


# ---- rebuilding tensors ------------------------------------------------------------------------

_load_state = threading.local()


class _LoadedStorage:
    """A storage read from a checkpoint: its bytes on the host, its declared dtype, and its target device.

    A ``map_location`` callable receives one (PyTorch passes a CPU UntypedStorage) and may return
    ``storage.cpu()``, ``storage.cuda(i)`` or ``storage.to(device)``. Tensors built from one
    storage alias each other.
    """

    __slots__ = ("_data", "dtype", "device", "_swap", "_held")

    def __init__(self, data, dtype, swap, device=CPU):
        self._data = data
        self.dtype = dtype
        self.device = device
        self._swap = swap
        self._held = None

    def nbytes(self):
        """Size in bytes."""
        return len(self._data)

    size = nbytes

    def cpu(self):
        """This storage, to be loaded on the CPU."""
        return self.to(CPU)

    def cuda(self, device=None, non_blocking=False):
        """This storage, to be loaded on a GPU (``device``: index or device; default 0)."""
        if isinstance(device, Device):
            return self.to(device)
        return self.to(Device("cuda", device))

    def to(self, device=None, non_blocking=False):
        """This storage, to be loaded on ``device`` (which must exist)."""
        target = Device(device) if device is not None else self.device
        to_jax_device(target)
        return _LoadedStorage(self._data, self.dtype, self._swap, target)

    def _values(self, dtype):
        n = len(self._data) // dtype.itemsize
        flat = np.frombuffer(self._data, dtype=dtype.np, count=n)
        return flat.byteswap() if self._swap and dtype.itemsize > 1 else flat

    def _place(self, values):
        if self.device.type == "cpu":
            return jnp.asarray(values)
        return jax.device_put(values, to_jax_device(self.device))

    def tensor(self, dtype, offset, size, stride):
        """A tensor of ``dtype`` with this layout in the storage, aliasing earlier tensors built from it."""
        flat = self._values(dtype)
        _check_layout(size, stride, offset, flat.size, dtype.itemsize)
        numel = math.prod(size)
        whole = offset == 0 and numel == flat.size and (numel == 0 or tuple(stride) == contiguous_strides(size))
        if self._held is None:
            self._held = (dtype, Storage(self._place(flat.reshape(size) if whole else flat)))
        elif self._held[0] is not dtype:
            raise RuntimeError(f"jtorch cannot load tensors of dtypes {self._held[0]} and {dtype} that share one "
                               "storage")
        st = self._held[1]
        if whole:
            arr = st.array if st.array.shape == tuple(size) else st.array.reshape(size)
        else:
            itemsize = flat.itemsize
            view = np.lib.stride_tricks.as_strided(flat[offset:], size, [s * itemsize for s in stride])
            arr = self._place(view.copy())
        t = wrap(arr)
        t._st = st
        t._ver = st.version
        t._view = None if whole else (tuple(stride), offset)
        return t


def _check_layout(size, stride, offset, numel, itemsize):
    """PyTorch's checks on a stored layout: ints, non-negative, inside the storage."""
    ok = (isinstance(size, tuple) and isinstance(stride, tuple) and len(size) == len(stride)
          and all(type(v) is int and v >= 0 for v in size + stride) and type(offset) is int and offset >= 0)
    if not ok:
        raise RuntimeError(f"invalid tensor layout in checkpoint: size {size!r}, stride {stride!r}, offset {offset!r}")
    need = offset + sum((n - 1) * s for n, s in zip(size, stride)) + 1 if all(size) else 0
    if need > numel:
        raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, and "
                           f"itemsize {itemsize} requiring a storage size of {need * itemsize} are out of bounds "
                           f"for storage of size {numel * itemsize}")


def _storage_arg(storage):
    if not isinstance(storage, _LoadedStorage):
        raise TypeError(f"expected a storage from the checkpoint, got {type(storage).__name__}")
    return storage


def _dtype_arg(dtype):
    if isinstance(dtype, _Missing):
        raise _missing(dtype.name)
    if not isinstance(dtype, D.dtype):
        raise TypeError(f"expected a dtype, got {type(dtype).__name__}")
    return dtype


def _finish(t, requires_grad, metadata):
    """Apply the conj/neg bits of ``metadata`` (materialised: the result is a new tensor) and requires_grad."""
    if metadata and (metadata.get("conj") or metadata.get("neg")):
        values = np.asarray(t._read())
        if metadata.get("conj"):
            values = np.conj(values)
        if metadata.get("neg"):
            values = -values
        t = wrap(jnp.asarray(values) if t.device.type == "cpu" else jax.device_put(values, to_jax_device(t.device)))
    t.requires_grad = bool(requires_grad)
    return t


def _rebuild_tensor(storage, storage_offset, size, stride):
    """``torch._utils._rebuild_tensor``: a tensor viewing ``storage`` (its dtype) with this layout."""
    storage = _storage_arg(storage)
    return storage.tensor(storage.dtype, storage_offset, tuple(size), tuple(stride))


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks, metadata=None):
    """``torch._utils._rebuild_tensor_v2``. ``backward_hooks`` is ignored (PyTorch saves it empty)."""
    return _finish(_rebuild_tensor(storage, storage_offset, size, stride), requires_grad, metadata)


def _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype, metadata=None):
    """``torch._utils._rebuild_tensor_v3``: like v2 over an untyped storage, with an explicit dtype."""
    t = _storage_arg(storage).tensor(_dtype_arg(dtype), storage_offset, tuple(size), tuple(stride))
    return _finish(t, requires_grad, metadata)


def _rebuild_parameter(data, requires_grad, backward_hooks):
    """``torch._utils._rebuild_parameter``: a :class:`jtorch.nn.Parameter` sharing ``data``'s storage."""
    from .nn.parameter import Parameter

    return Parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    """``torch._utils._rebuild_parameter_with_state``: a Parameter with Python attributes restored."""
    return _set_obj_state(_rebuild_parameter(data, requires_grad, backward_hooks), state)


def _set_obj_state(obj, state):
    """Set the attributes in ``state`` (a dict, or a ``(dict, slots dict)`` pair) on ``obj``."""
    if isinstance(state, tuple):
        if len(state) != 2:
            raise RuntimeError(f"Invalid serialized state: {state}")
        dict_state, slots_state = state
    else:
        dict_state, slots_state = state, None
    for attrs in (dict_state, slots_state):
        for k, v in (attrs or {}).items():
            setattr(obj, k, v)
    return obj


def _rebuild_from_type_v2(func, new_type, args, state):
    """``torch._tensor._rebuild_from_type_v2``: ``func(*args)`` as a ``new_type`` tensor with ``state``."""
    ret = func(*args)
    if type(ret) is not new_type:
        if not (isinstance(new_type, type) and issubclass(new_type, Tensor)):
            raise TypeError(f"cannot rebuild a tensor as {new_type!r}: not a Tensor subclass")
        from .nn.parameter import _make_subclass

        ret = _make_subclass(new_type, ret, ret.requires_grad)
    setstate = getattr(type(ret), "__setstate__", None)
    if setstate is not None and setstate is not getattr(Tensor, "__setstate__", None):
        ret.__setstate__(state)
        return ret
    return _set_obj_state(ret, state)


def _restore_device(device):
    """The device for ``device`` under the current load's map_location (as ``torch._utils`` does it)."""
    map_location = getattr(_load_state, "map_location", None)
    if map_location is None:
        return Device(device)
    if isinstance(map_location, (str, bytes, Device)):
        return Device(_ascii(map_location))
    if isinstance(map_location, dict):
        return Device(map_location.get(str(device), device))
    raise RuntimeError("Callable map_location not supported with _rebuild_wrapper_subclass or "
                       "_rebuild_device_tensor_from_numpy")


def _rebuild_device_tensor_from_numpy(data, dtype, device, requires_grad):
    """``torch._utils._rebuild_device_tensor_from_numpy``: a tensor from a numpy array on ``device``."""
    from ._ops.creation import from_numpy

    t = from_numpy(data).to(dtype=_dtype_arg(dtype), device=_restore_device(device))
    t.requires_grad = requires_grad
    return t


def _rebuild_device_tensor_from_cpu_tensor(data, dtype, device, requires_grad):
    """``torch._utils._rebuild_device_tensor_from_cpu_tensor``: ``data`` moved to ``device``."""
    t = data.to(dtype=_dtype_arg(dtype), device=_restore_device(device))
    t.requires_grad = requires_grad
    return t


# ---- map_location ------------------------------------------------------------------------------

_CUDA_LOCATION = re.compile(r"cuda(:|[0-9]+)")


def _validated_device(location):
    """The device a storage tagged ``location`` restores to, with PyTorch's errors."""
    if location == "cpu":
        return CPU
    if location == "cuda" or _CUDA_LOCATION.match(location):
        dev = Device(location)
        index = dev.index or 0
        count = len(gpu_devices())
        if not count:
            raise RuntimeError(
                "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. If you "
                "are running on a CPU-only machine, please use torch.load with map_location=torch.device('cpu') "
                "to map your storages to the CPU.")
        if index >= count:
            raise RuntimeError(
                f"Attempting to deserialize object on CUDA device {index} but torch.cuda.device_count() is {count}. "
                "Please use torch.load with map_location to map your storages to an existing device.")
        return Device("cuda", index)
    if location == "meta":
        raise NotImplementedError("jtorch has no meta device; load with map_location='cpu'")
    if location.startswith("mps"):
        raise RuntimeError(f"torch.UntypedStorage(): Storage device not recognized: {location}")
    raise RuntimeError(f"don't know how to restore data location of torch.storage.UntypedStorage (tagged with "
                       f"{location})")


def _restorer(map_location):
    """``restore(storage, location)`` applying ``map_location`` as PyTorch does."""
    if map_location is None:
        return lambda storage, location: storage.to(_validated_device(location))
    if isinstance(map_location, dict):
        return lambda storage, location: storage.to(_validated_device(map_location.get(location, location)))
    if isinstance(map_location, (str, bytes)):
        target = map_location.decode("ascii") if isinstance(map_location, bytes) else map_location
        return lambda storage, location: storage.to(_validated_device(target))
    if isinstance(map_location, Device):
        return lambda storage, location: storage.to(_validated_device(str(map_location)))

    def restore(storage, location):
        result = map_location(storage, location)
        if result is None:
            return storage.to(_validated_device(location))
        if not isinstance(result, _LoadedStorage):
            raise TypeError(f"map_location must return a storage or None, got {type(result).__name__}")
        return result
    return restore


# ---- the weights_only unpickler ----------------------------------------------------------------

def _read_global(readline):
    module = readline()[:-1].decode("utf-8")
    name = readline()[:-1].decode("utf-8")
    return _IMPORT_MAPPING.get(module, module), name


def _unsupported_global_message(full_path):
    if full_path.startswith("builtins."):
        full_path = full_path[len("builtins."):]
    return (f"Unsupported global: GLOBAL {full_path} was not an allowed global by default. Please use "
            f"`torch.serialization.add_safe_globals([{full_path}])` or the "
            f"`torch.serialization.safe_globals([{full_path}])` context manager to allowlist this global if you "
            "trust this class/function.")


class _WeightsUnpickler:
    """PyTorch's ``weights_only`` unpickler: protocol-2 opcodes only, globals only from the allow-list.

    Nothing is ever imported: a GLOBAL resolves through the allow-list or fails; REDUCE and NEWOBJ
    only call allow-listed objects; BUILD only sets state on Parameters, OrderedDicts and
    allow-listed types; persistent ids must be storages.
    """

    def __init__(self, file, *, encoding="bytes"):
        self.read = file.read
        self.readline = file.readline
        self.encoding = encoding
        self.memo = {}
        self.proto = -1
        self.persistent_load = None

    def load(self):
        """Read one pickled object."""
        self.stack = []
        self.metastack = []
        self._user = _user_allowed_globals()
        self._callable_ids = _allowed_ids() | {id(v) for v in self._user.values()}
        read = self.read
        ops = self._OPS
        while True:
            key = read(1)
            if not key:
                raise EOFError
            if key == pickle.STOP:
                return self.stack.pop()
            op = ops.get(key[0])
            if op is None:
                raise pickle.UnpicklingError(f"Unsupported operand {key[0]}")
            op(self)

    def _pop_mark(self):
        items = self.stack
        self.stack = self.metastack.pop()
        return items

    def _global(self):
        module, name = _read_global(self.readline)
        full_path = f"{module}.{name}"
        if module in _BLOCKED_MODULES:
            raise pickle.UnpicklingError(
                f"Trying to load unsupported GLOBAL {full_path} whose module {module} is blocked.")
        allowed = _allowed_globals()
        if full_path in allowed:
            self.stack.append(allowed[full_path])
        elif full_path in self._user:
            self.stack.append(self._user[full_path])
        else:
            raise pickle.UnpicklingError(_unsupported_global_message(full_path))

    def _newobj(self):
        from .nn.parameter import Parameter

        args = self.stack.pop()
        cls = self.stack.pop()
        if cls is Parameter:
            self.stack.append(Parameter(*args))
        elif id(cls) in self._callable_ids:
            self.stack.append(cls.__new__(cls, *args))
        else:
            raise pickle.UnpicklingError("Can only create new object for nn.Parameter or classes allowlisted via "
                                         f"`add_safe_globals` but got {cls}")

    def _reduce(self):
        args = self.stack.pop()
        func = self.stack[-1]
        if id(func) not in self._callable_ids:
            raise pickle.UnpicklingError(f"Trying to call reduce for unrecognized function {func}")
        self.stack[-1] = func(*args)

    def _build(self):
        from .nn.parameter import Parameter

        state = self.stack.pop()
        inst = self.stack[-1]
        t = type(inst)
        if t is Tensor:
            raise NotImplementedError("jtorch cannot load legacy tensor state (BUILD on torch.Tensor)")
        if t is Parameter:
            _set_obj_state(inst, state)
        elif t is OrderedDict:
            inst.__dict__.update(state)
        elif id(t) in self._callable_ids:
            if hasattr(inst, "__setstate__"):
                inst.__setstate__(state)
            else:
                _set_obj_state(inst, state)
        else:
            raise pickle.UnpicklingError("Can only build Tensor, Parameter, OrderedDict or types allowlisted via "
                                         f"`add_safe_globals`, but got {t}")

    def _append(self):
        item = self.stack.pop()
        if type(self.stack[-1]) is not list:
            raise pickle.UnpicklingError(f"Can only append to lists, but got {type(self.stack[-1])}")
        self.stack[-1].append(item)

    def _appends(self):
        items = self._pop_mark()
        if type(self.stack[-1]) is not list:
            raise pickle.UnpicklingError(f"Can only extend lists, but got {type(self.stack[-1])}")
        self.stack[-1].extend(items)

    def _check_setitem(self, opcode):
        if type(self.stack[-1]) not in (dict, OrderedDict, Counter):
            raise pickle.UnpicklingError(f"Can only {opcode} for dict, collections.OrderedDict, "
                                         f"collections.Counter, but got {type(self.stack[-1])}")

    def _setitem(self):
        v = self.stack.pop()
        k = self.stack.pop()
        self._check_setitem("SETITEM")
        self.stack[-1][k] = v

    def _setitems(self):
        items = self._pop_mark()
        self._check_setitem("SETITEMS")
        target = self.stack[-1]
        for i in range(0, len(items), 2):
            target[items[i]] = items[i + 1]

    def _mark(self):
        self.metastack.append(self.stack)
        self.stack = []

    def _tuple(self):
        items = self._pop_mark()
        self.stack.append(tuple(items))

    def _tuple_n(self, n):
        if n:
            self.stack[-n:] = [tuple(self.stack[-n:])]
        else:
            self.stack.append(())

    def _binunicode(self):
        (n,) = unpack("<I", self.read(4))
        if n > sys.maxsize:
            raise pickle.UnpicklingError("String is too long")
        self.stack.append(str(self.read(n), "utf-8", "surrogatepass"))

    def _short_binstring(self):
        data = self.read(self.read(1)[0])
        self.stack.append(data if self.encoding == "bytes" else data.decode(self.encoding, "strict"))

    def _binpersid(self):
        pid = self.stack.pop()
        if type(pid) is not tuple and type(pid) is not int:
            raise pickle.UnpicklingError(f"persistent_load id must be tuple or int, but got {type(pid)}")
        if type(pid) is tuple and len(pid) > 0 and _ascii(pid[0]) != "storage":
            raise pickle.UnpicklingError(f"Only persistent_load of storage is allowed, but got {type(pid[0])}")
        if self.persistent_load is None:
            raise pickle.UnpicklingError("unsupported persistent id encountered")
        self.stack.append(self.persistent_load(pid))

    def _get(self, fmt, size):
        (i,) = unpack(fmt, self.read(size))
        self.stack.append(self.memo[i])

    def _put(self, fmt, size):
        (i,) = unpack(fmt, self.read(size))
        self.memo[i] = self.stack[-1]

    def _proto(self):
        self.proto = self.read(1)[0]
        if self.proto != 2:
            warnings.warn(f"Detected pickle protocol {self.proto} in the checkpoint, which was not the default "
                          "pickle protocol used by `torch.load` (2). The weights_only Unpickler might not support "
                          "all instructions implemented by this protocol, please file an issue for adding support "
                          "if you encounter this.", stacklevel=5)

    def _const(value):
        return lambda self: self.stack.append(value)

    def _empty(container):
        return lambda self: self.stack.append(container())

    def _number(fmt, size):
        return lambda self: self.stack.append(unpack(fmt, self.read(size))[0])

    _OPS = {
        pickle.GLOBAL[0]: _global, pickle.NEWOBJ[0]: _newobj, pickle.REDUCE[0]: _reduce, pickle.BUILD[0]: _build,
        pickle.APPEND[0]: _append, pickle.APPENDS[0]: _appends, pickle.SETITEM[0]: _setitem,
        pickle.SETITEMS[0]: _setitems, pickle.MARK[0]: _mark,
        pickle.TUPLE[0]: _tuple,
        pickle.TUPLE1[0]: lambda self: self._tuple_n(1), pickle.TUPLE2[0]: lambda self: self._tuple_n(2),
        pickle.TUPLE3[0]: lambda self: self._tuple_n(3), pickle.EMPTY_TUPLE[0]: lambda self: self._tuple_n(0),
        pickle.NONE[0]: _const(None), pickle.NEWFALSE[0]: _const(False), pickle.NEWTRUE[0]: _const(True),
        pickle.EMPTY_LIST[0]: _empty(list), pickle.EMPTY_DICT[0]: _empty(dict), pickle.EMPTY_SET[0]: _empty(set),
        pickle.BININT[0]: _number("<i", 4), pickle.BININT1[0]: _number("<B", 1), pickle.BININT2[0]: _number("<H", 2),
        pickle.BINFLOAT[0]: _number(">d", 8), pickle.BINUNICODE[0]: _binunicode,
        pickle.SHORT_BINSTRING[0]: _short_binstring, pickle.BINPERSID[0]: _binpersid,
        pickle.BINGET[0]: lambda self: self._get("<B", 1), pickle.LONG_BINGET[0]: lambda self: self._get("<I", 4),
        pickle.BINPUT[0]: lambda self: self._put("<B", 1), pickle.LONG_BINPUT[0]: lambda self: self._put("<I", 4),
        pickle.LONG1[0]: lambda self: self.stack.append(pickle.decode_long(self.read(self.read(1)[0]))),
        pickle.PROTO[0]: _proto,
    }
    del _const, _empty, _number


def _weights_only_message(message):
    """PyTorch's wrapping of a weights_only UnpicklingError message."""
    if re.search(r"GLOBAL (\S+) was not an allowed global by default.", message):
        return ("Weights only load failed. This file can still be loaded, to do so you have two options, "
                "\033[1mdo those steps only if you trust the source of the checkpoint\033[0m. "
                f"\n\t(1) {UNSAFE_MESSAGE}\n\t(2) Alternatively, to load with `weights_only=True` please check "
                "the recommended steps in the following error message.\n\tWeightsUnpickler error: "
                + message + _DOCS_MESSAGE)
    updated = f"Weights only load failed. {UNSAFE_MESSAGE}\n"
    if not re.search(r"whose module (\S+) is blocked", message):
        updated += ("Please file an issue with the following so that we can make `weights_only=True` compatible "
                    "with your use case: WeightsUnpickler error: ")
    return updated + "\n\n" + message + _DOCS_MESSAGE


# ---- the full (weights_only=False) unpickler ---------------------------------------------------

def _torch_global(module, name):
    """What the PyTorch global ``module.name`` is in jtorch: the allow-list, else ``j<module>.name``."""
    if name in _STORAGE_TYPES:
        return _STORAGE_TYPES[name]
    full_path = f"{module}.{name}"
    allowed = _allowed_globals()
    if full_path in allowed:
        return allowed[full_path]
    jmodule = "jtorch._tensor" if module == "torch.tensor" else "j" + module
    try:
        return getattr(importlib.import_module(jmodule), name)
    except (ImportError, AttributeError):
        raise pickle.UnpicklingError(f"jtorch has no counterpart of {full_path} (looked for {jmodule}.{name})") \
            from None


@functools.lru_cache(maxsize=None)
def _full_unpickler(pickle_module):
    """An Unpickler class of ``pickle_module`` that maps PyTorch's globals to jtorch's."""
    class Unpickler(pickle_module.Unpickler):
        def find_class(self, module, name):
            if module == "torch" or module.startswith("torch."):
                return _torch_global(module, name)
            return super().find_class(module, name)
    return Unpickler


# ---- reading the archive -----------------------------------------------------------------------

def _ascii(value):
    return value.decode("ascii") if isinstance(value, bytes) else value


class _Archive:
    """The records of a checkpoint zip, under the folder named by its first entry."""

    def __init__(self, zf):
        self.zf = zf
        names = zf.namelist()
        if not names:
            raise RuntimeError("PytorchStreamReader failed reading zip archive: failed finding central directory")
        prefix, sep, _ = names[0].partition("/")
        if not sep:
            raise RuntimeError(f"file in archive is not in a subdirectory: {names[0]}")
        self.prefix = prefix + "/"
        self.names = frozenset(names)
        self._check_version()
        order = self.read("byteorder") if self.has("byteorder") else b"little"
        if order not in (b"little", b"big"):
            raise ValueError("Unknown endianness type: " + order.decode())
        self.swap = order.decode() != sys.byteorder

    def has(self, name):
        return self.prefix + name in self.names

    def read(self, name):
        if not self.has(name):
            raise RuntimeError(f"PytorchStreamReader failed locating file {name}: file not found")
        return self.zf.read(self.prefix + name)

    def _check_version(self):
        name = "version" if self.has("version") else ".data/version"
        if not self.has(name):
            raise RuntimeError('Expected hasRecord("version") to be true, but got false.')
        version = int(self.read(name).decode("ascii").strip())
        if version < 1:
            raise RuntimeError(f"Attempted to read a PyTorch file with version {version}, but the minimum "
                               "supported version for reading is 1. Your PyTorch script module file is too old.")
        if version > _MAX_FILE_VERSION:
            raise RuntimeError(f"Attempted to read a PyTorch file with version {version}, but the maximum supported "
                               f"version for reading is {_MAX_FILE_VERSION}. The version of your PyTorch installation "
                               "may be too old, please upgrade PyTorch to latest version to mitigate this issue.")


def _persistent_loader(archive, restore):
    """``persistent_load`` for an archive: storages read once per key and restored to their device."""
    storages = {}

    def persistent_load(pid):
        if not isinstance(pid, tuple) or len(pid) != 5 or _ascii(pid[0]) != "storage":
            raise pickle.UnpicklingError(f"persistent id must be ('storage', type, key, location, numel), got {pid!r}")
        storage_type, key, location, numel = pid[1:]
        if not isinstance(storage_type, _StorageType) or not isinstance(key, str) or type(numel) is not int:
            raise pickle.UnpicklingError(f"invalid storage persistent id {pid!r}")
        if storage_type.dtype is None:
            raise _missing(f"torch.{storage_type.name}")
        if key not in storages:
            nbytes = numel * storage_type.dtype.itemsize
            data = archive.read(f"data/{key}")
            if len(data) < nbytes:
                raise RuntimeError(f"storage data/{key} holds {len(data)} bytes, the checkpoint expects {nbytes}")
            storage = _LoadedStorage(memoryview(data)[:nbytes], storage_type.dtype, archive.swap)
            storages[key] = restore(storage, _ascii(location))
        return storages[key]
    return persistent_load


def _load_archive(archive, map_location, unpickler_class, load_args):
    """Unpickle ``data.pkl`` with ``unpickler_class``, storages coming from the archive's records."""
    unpickler = unpickler_class(io.BytesIO(archive.read("data.pkl")), **load_args)
    unpickler.persistent_load = _persistent_loader(archive, _restorer(map_location))
    previous = getattr(_load_state, "map_location", None)
    _load_state.map_location = map_location
    try:
        return unpickler.load()
    finally:
        _load_state.map_location = previous


def _load_non_zip(fh, weights_only, pickle_module, load_args):
    """A file that is not a zip: PyTorch's legacy format (not supported) or not a checkpoint at all."""
    unpickler = _WeightsUnpickler(fh, **load_args) if weights_only else pickle_module.Unpickler(fh, **load_args)
    if unpickler.load() != _MAGIC_NUMBER:
        raise RuntimeError("Invalid magic number; corrupt file?")
    raise NotImplementedError("jtorch.load does not read PyTorch's legacy (pre-1.6, non-zip) checkpoint format; "
                              "re-save the file with a recent torch.save")


def _is_zipfile(fh):
    start = fh.tell()
    magic = fh.read(4)
    fh.seek(start)
    return magic == b"PK\x03\x04"


def _resolve_weights_only(weights_only, pickle_module):
    """``weights_only`` after PyTorch's default (True unless a pickle_module is given) and env overrides."""
    not_set = weights_only is None
    if not_set:
        weights_only = pickle_module is None
    truthy = ("1", "y", "yes", "true")
    force = os.getenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "0").lower() in truthy
    force_no = os.getenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "0").lower() in truthy
    if force and force_no:
        raise RuntimeError("Only one of `TORCH_FORCE_WEIGHTS_ONLY_LOAD` or `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD` "
                           "should be set, but both were set.")
    if force:
        return True
    if force_no and not_set:
        warnings.warn("Environment variable TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD detected, since the`weights_only` "
                      "argument was not explicitly passed to `torch.load`, forcing weights_only=False.",
                      UserWarning, stacklevel=3)
        return False
    return bool(weights_only)


class _opened:
    """Context manager giving a readable binary file for a path (opened and closed) or a file object."""

    def __init__(self, f):
        self.f = f
        self.owned = isinstance(f, (str, os.PathLike))

    def __enter__(self):
        if self.owned:
            self.fh = open(self.f, "rb")
            return self.fh
        try:
            self.f.seek(self.f.tell())
        except (io.UnsupportedOperation, AttributeError) as e:
            raise type(e)(f"{e}. You can only torch.load from a file that is seekable. Please pre-load the data "
                          "into a buffer like io.BytesIO and try to load from it instead.") from None
        return self.f

    def __exit__(self, *exc):
        if self.owned:
            self.fh.close()


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None, **pickle_load_args):
    """Load an object saved by ``torch.save`` or :func:`save` (PyTorch's zip format) from a path or file object.

    ``weights_only`` (default True) unpickles with an allow-list only: tensors, Parameters, dtypes,
    ``Size``, devices, builtin containers and :func:`add_safe_globals` entries; anything else
    raises ``pickle.UnpicklingError`` without running code. With ``weights_only=False`` PyTorch
    globals (``torch.nn.modules.linear.Linear``...) resolve to their jtorch counterparts.
    ``map_location`` (str, device, dict or callable) places storages as in PyTorch; storages tagged
    ``cuda:N`` need a GPU unless mapped. Differs from PyTorch: ``mmap`` only checks its arguments
    (data is read into device arrays either way), the legacy non-zip format and TorchScript
    archives raise NotImplementedError, and quantized/sparse/float8 tensors are not supported.
    """
    weights_only = _resolve_weights_only(weights_only, pickle_module)
    if weights_only:
        if pickle_module is not None:
            raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
        if pickle_load_args:
            warnings.warn("pickle_load_args only works if `weights_only=False`.", stacklevel=2)
    elif pickle_module is None:
        pickle_module = pickle
    pickle_load_args.setdefault("encoding", "utf-8")
    with _opened(f) as fh:
        if not _is_zipfile(fh):
            if mmap:
                name = f"{f}, " if isinstance(f, str) else ""
                raise RuntimeError(f"mmap can only be used with files saved with `torch.save({name}"
                                   "_use_new_zipfile_serialization=True), please torch.save your checkpoint with "
                                   "this option in order to use mmap.")
            try:
                return _load_non_zip(fh, weights_only, pickle_module, pickle_load_args)
            except pickle.UnpicklingError as e:
                if not weights_only:
                    raise
                raise pickle.UnpicklingError(_weights_only_message(str(e))) from None
        with zipfile.ZipFile(fh) as zf:
            archive = _Archive(zf)
            if archive.has("constants.pkl"):
                if weights_only:
                    raise RuntimeError("Cannot use ``weights_only=True`` with TorchScript archives passed to "
                                       "``torch.load``. " + UNSAFE_MESSAGE)
                raise NotImplementedError("jtorch cannot load TorchScript archives (torch.jit.save files)")
            if mmap and not isinstance(f, (str, os.PathLike)):
                raise ValueError("f must be a file path in order to use the mmap argument")
            if not weights_only:
                return _load_archive(archive, map_location, _full_unpickler(pickle_module), pickle_load_args)
            try:
                return _load_archive(archive, map_location, _WeightsUnpickler, pickle_load_args)
            except pickle.UnpicklingError as e:
                raise pickle.UnpicklingError(_weights_only_message(str(e))) from None


def get_unsafe_globals_in_checkpoint(f):
    """The ``module.name`` globals in a checkpoint that a ``weights_only`` load would refuse (read, not run)."""
    safe = set(_allowed_globals()) | set(_user_allowed_globals())
    with _opened(f) as fh:
        if not _is_zipfile(fh):
            raise ValueError("Expected input to be a checkpoint returned by torch.save")
        with zipfile.ZipFile(fh) as zf:
            archive = _Archive(zf)
            if archive.has("constants.pkl"):
                raise ValueError("Expected input to be a checkpoint returned by torch.save but got a torchscript "
                                 "checkpoint")
            found = set()
            for opcode, arg, _ in pickletools.genops(archive.read("data.pkl")):
                if opcode.name == "GLOBAL":
                    module, _, name = arg.partition(" ")
                    found.add(f"{_IMPORT_MAPPING.get(module, module)}.{name}")
    return sorted(found - safe)
