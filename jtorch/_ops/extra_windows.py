"""Window functions: ``hann_window``, ``hamming_window``, ``blackman_window``, ``bartlett_window``,
``kaiser_window``.

The values depend only on Python numbers, so they are computed on the host in float64 (PyTorch computes in the
target dtype, so float32 results can differ from PyTorch's in the last bit) and placed like any factory result.
``periodic=True`` computes a window of ``window_length + 1`` and drops the last value, as PyTorch does.
"""
import numpy as np

from .. import _dtype as D
from ..nn._kernels._util import ctype
from .creation import _finish, _host_array

__all__ = ["hann_window", "hamming_window", "blackman_window", "bartlett_window", "kaiser_window"]


def _hamming(n, alpha, beta):
    return alpha - beta * np.cos(np.arange(n) * (2 * np.pi / (n - 1)))


def _blackman(n):
    x = np.arange(n) * (np.pi / (n - 1))
    return 0.08 * np.cos(4 * x) - 0.5 * np.cos(2 * x) + 0.42


def _bartlett(n):
    x = np.arange(n) * (2.0 / (n - 1))
    half = ((n - 1) >> 1) + 1
    x[half:] = 2 - x[half:]
    return x


def _kaiser(n, beta):
    alpha = (n - 1) / 2.0
    return np.i0(beta * np.sqrt(1 - ((np.arange(n) - alpha) / alpha) ** 2)) / np.i0(beta)


def _window(name, values, window_length, periodic, dtype, device, requires_grad):
    """Checks, the periodic trick and placement shared by the window functions."""
    dtype = D.get_default_dtype() if dtype is None else dtype
    if window_length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got window_length={window_length}")
    if not dtype.is_floating_point:
        dev = "cpu" if device is None else str(device)
        raise RuntimeError(f"{name} expects floating point dtypes, got: TensorOptions(dtype={ctype(dtype)}, "
                           f"device={dev}, layout=Strided (default), requires_grad=false (default), "
                           "pinned_memory=false, memory_format=(nullopt))")
    if window_length <= 1:
        arr = np.ones(window_length)
    else:
        n = window_length + 1 if periodic else window_length
        arr = values(n)[:window_length]
    return _finish(_host_array(arr, dtype.np), device, requires_grad)


def hann_window(window_length, periodic=True, *, dtype=None, layout=None, device=None, requires_grad=False,
                pin_memory=False):
    """The Hann window ``0.5 - 0.5 cos(2 pi n / (N - 1))``."""
    return _window("hann_window", lambda n: _hamming(n, 0.5, 0.5), window_length, periodic, dtype, device,
                   requires_grad)


def hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46, *, dtype=None, layout=None, device=None,
                   requires_grad=False, pin_memory=False):
    """The Hamming window ``alpha - beta cos(2 pi n / (N - 1))``."""
    return _window("hamming_window", lambda n: _hamming(n, alpha, beta), window_length, periodic, dtype, device,
                   requires_grad)


def blackman_window(window_length, periodic=True, *, dtype=None, layout=None, device=None, requires_grad=False,
                    pin_memory=False):
    """The Blackman window ``0.42 - 0.5 cos(2 pi n / (N - 1)) + 0.08 cos(4 pi n / (N - 1))``."""
    return _window("blackman_window", _blackman, window_length, periodic, dtype, device, requires_grad)


def bartlett_window(window_length, periodic=True, *, dtype=None, layout=None, device=None, requires_grad=False,
                    pin_memory=False):
    """The Bartlett (triangular) window."""
    return _window("bartlett_window", _bartlett, window_length, periodic, dtype, device, requires_grad)


def kaiser_window(window_length, periodic=True, beta=12.0, *, dtype=None, layout=None, device=None,
                  requires_grad=False, pin_memory=False):
    """The Kaiser window ``I0(beta sqrt(1 - ((n - a) / a)^2)) / I0(beta)`` with ``a = (N - 1) / 2``."""
    return _window("kaiser_window", lambda n: _kaiser(n, beta), window_length, periodic, dtype, device,
                   requires_grad)
