"""Moving results from DataLoader workers to the main process over a pipe.

A result is pickled with protocol 5, and the memory of its numpy arrays (tensors pickle as their
host arrays) goes through the pipe out of band, as raw bytes: no copy into the pickle stream, and
the main process rebuilds the arrays on the received buffers (writable, like fresh arrays). Tensors
arrive as host tensors. Several workers share one pipe; a lock keeps each message's parts together.
"""
import copyreg
import io
import pickle

from ..._host_tensor import host_array, host_tensor
from ..._tensor import Tensor

__all__ = ["encode", "send", "recv"]


def _rebuild_tensor(arr):
    return host_tensor(arr)


def _reduce_tensor(t):
    if t.requires_grad:
        return t.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
    return _rebuild_tensor, (host_array(t),)


class _Pickler(pickle.Pickler):
    dispatch_table = copyreg.dispatch_table.copy()
    dispatch_table[Tensor] = _reduce_tensor


def encode(obj):
    """``obj`` as (pickle stream, raw array buffers); raises if it cannot be pickled."""
    buffers = []
    stream = io.BytesIO()
    _Pickler(stream, protocol=5, buffer_callback=buffers.append).dump(obj)
    raws = [b.raw() for b in buffers]
    return pickle.dumps(([r.nbytes for r in raws], stream.getvalue()), protocol=5), raws


def send(conn, lock, encoded):
    """Write an :func:`encode` d message to ``conn`` (one writer at a time, under ``lock``)."""
    head, raws = encoded
    with lock:
        conn.send_bytes(head)
        for raw in raws:
            conn.send_bytes(raw)


def recv(conn):
    """Read one message from ``conn`` and unpickle it."""
    sizes, stream = pickle.loads(conn.recv_bytes())
    buffers = []
    for n in sizes:
        buf = bytearray(n)
        conn.recv_bytes_into(buf)
        buffers.append(buf)
    return pickle.loads(stream, buffers=buffers)
