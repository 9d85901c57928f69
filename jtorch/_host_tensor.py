"""Tensors backed by host numpy arrays, and the DataLoader worker mode.

Data code (datasets, transforms, collation) runs in forked DataLoader workers, where JAX must
never run: XLA's threads do not survive ``fork()``, and a forked child that calls into JAX aborts.
So data code builds tensors with :func:`host_tensor`, which wraps a numpy array without calling
JAX. In the main process such a tensor is an ordinary tensor: ops take its numpy array as a jit
argument, which converts it on the way in (cheaper than converting it up front).

:func:`enter_worker` puts a worker process into worker mode: jtorch's creation functions
(``tensor``, ``from_numpy``, ``as_tensor``, legacy constructors) then return host tensors, and any
JAX use raises :class:`WorkerJaxError`, which the DataLoader turns into a fallback to loading in
the main process.
"""
import numpy as np

from . import _dtype as D
from ._tensor import wrap

__all__ = ["host_tensor", "host_array", "in_worker", "enter_worker", "WorkerJaxError"]

_in_worker = False


class WorkerJaxError(RuntimeError):
    """A jtorch op (a JAX computation) was called in a DataLoader worker process."""


_LAZY_LIMIT = 1 << 20


def host_tensor(arr):
    """A tensor holding the numpy array ``arr`` itself (no copy, no JAX call).

    The caller hands ``arr`` over: it must not be written afterwards. Arrays that are not
    C-contiguous are made so (one copy). In the main process, arrays over 1 MiB (a dataset's
    whole ``data``, say) are moved to a JAX array at once, so ops that use them repeatedly do not
    convert them on every call."""
    arr = np.asarray(arr, order="C")
    D.from_np(arr.dtype)
    if not _in_worker and arr.nbytes > _LAZY_LIMIT:
        import jax.numpy as jnp

        arr = jnp.asarray(arr)
    return wrap(arr)


def host_array(t):
    """The value of tensor ``t`` as a numpy array (no JAX call when ``t`` is host-backed or a
    ready device array); may share memory with ``t``, so treat it as read-only."""
    return np.asarray(t._read())


def in_worker():
    """Whether this process is a DataLoader worker (JAX is off limits)."""
    return _in_worker


def _blocked(*args, **kwargs):
    raise WorkerJaxError(
        "jtorch ops cannot run in a DataLoader worker process: JAX cannot be used after fork(). In a "
        "Dataset's __getitem__/transform, work on numpy arrays or PIL images (jtorch.tensor/from_numpy and "
        "the jtorch.vision transforms are fine), or use num_workers=0.")


def enter_worker():
    """Make this (forked) process a DataLoader worker: creation functions return host tensors and
    any JAX computation raises :class:`WorkerJaxError` instead of deadlocking."""
    global _in_worker
    import jax
    from jax._src import xla_bridge

    _in_worker = True
    xla_bridge.backends = _blocked
    xla_bridge.get_backend = _blocked
    jax.clear_caches()
