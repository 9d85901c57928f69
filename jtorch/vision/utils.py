"""``torchvision.utils``: :func:`make_grid` and :func:`save_image`.

Both work on the host numpy values of the tensors (no jtorch op, hence no JAX), so they can run
in DataLoader workers too; ``make_grid`` returns a host tensor.
"""
import math

import numpy as np
from PIL import Image

from .. import _dtype as D
from .._host_tensor import host_array, host_tensor
from .._tensor import Tensor

__all__ = ["make_grid", "save_image"]


def _stack(tensors):
    arrays = [host_array(t) for t in tensors]
    for k, a in enumerate(arrays[1:], 1):
        if a.shape != arrays[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(arrays[0].shape)} at "
                               f"entry 0 and {list(a.shape)} at entry {k}")
    return np.stack(arrays)


def _as_batch(tensor):
    """The images as an (N, C, H, W) array; one-channel images repeated to three channels."""
    if isinstance(tensor, list):
        arr = _stack(tensor)
    else:
        arr = host_array(tensor)
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim == 3:
        if arr.shape[0] == 1:
            arr = np.concatenate((arr, arr, arr), 0)
        arr = arr[None]
    if arr.ndim == 4 and arr.shape[1] == 1:
        arr = np.concatenate((arr, arr, arr), 1)
    return arr


def _norm_ip(img, low, high):
    """Clamp to [low, high] and map to [0, 1], in ``img``'s dtype (``img`` is modified)."""
    if not D.from_np(img.dtype).is_floating_point:
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{D.ATEN_NAMES[D.from_np(img.dtype).name]}")
    np.clip(img, low, high, out=img)
    img -= img.dtype.type(low)
    img /= img.dtype.type(max(high - low, 1e-5))


def _norm_range(t, value_range):
    if value_range is not None:
        _norm_ip(t, value_range[0], value_range[1])
    else:
        _norm_ip(t, float(t.min()), float(t.max()))


def make_grid(tensor, nrow=8, padding=2, normalize=False, value_range=None, scale_each=False, pad_value=0.0):
    """A grid of images: ``tensor`` (B, C, H, W), a single (C, H, W) or (H, W) image, or a list
    of equally sized images; ``nrow`` images per row with ``padding`` pixels of ``pad_value``
    around each. ``normalize`` maps ``value_range`` (default: the min and max, per image with
    ``scale_each``) to [0, 1]. Returns a (C, H', W') tensor (one image comes back unpadded)."""
    if not isinstance(tensor, Tensor):
        if isinstance(tensor, list):
            for t in tensor:
                if not isinstance(t, Tensor):
                    raise TypeError(f"tensor or list of tensors expected, got a list containing {type(t)}")
        else:
            raise TypeError(f"tensor or list of tensors expected, got {type(tensor)}")
    arr = _as_batch(tensor)
    if normalize is True:
        arr = arr.copy()
        if value_range is not None and not isinstance(value_range, tuple):
            raise TypeError("value_range has to be a tuple (min, max) if specified. min and max are numbers")
        if scale_each is True:
            for t in arr:
                _norm_range(t, value_range)
        else:
            _norm_range(arr, value_range)
    if arr.shape[0] == 1:
        return host_tensor(np.array(arr[0]))
    nmaps = arr.shape[0]
    xmaps = min(nrow, nmaps)
    ymaps = int(math.ceil(float(nmaps) / xmaps))
    height, width = int(arr.shape[2] + padding), int(arr.shape[3] + padding)
    grid = np.full((arr.shape[1], height * ymaps + padding, width * xmaps + padding), pad_value, dtype=arr.dtype)
    for k in range(nmaps):
        y, x = divmod(k, xmaps)
        grid[:, y * height + padding:(y + 1) * height, x * width + padding:(x + 1) * width] = arr[k]
    return host_tensor(grid)


def save_image(tensor, fp, format=None, **kwargs):
    """Save a tensor image (or a batch or list, as the :func:`make_grid` of ``kwargs``) to ``fp``
    (a path or a file object) with Pillow; ``format`` overrides the file extension (and is needed
    for file objects). Values in [0, 1] are scaled to [0, 255] and rounded."""
    grid = host_array(make_grid(tensor, **kwargs))
    if not D.from_np(grid.dtype).is_floating_point:
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{D.ATEN_NAMES[D.from_np(grid.dtype).name]}")
    scaled = grid * grid.dtype.type(255)
    scaled += grid.dtype.type(0.5)
    ndarr = np.clip(scaled, 0, 255).transpose(1, 2, 0).astype(np.uint8)
    Image.fromarray(np.ascontiguousarray(ndarr)).save(fp, format=format)
