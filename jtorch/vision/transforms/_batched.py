"""The batched fast path of the built-in datasets: a whole batch of uint8 images through a
transform chain in a few vectorized numpy passes, giving exactly what the per-sample path gives.

:func:`supports_batch` says whether a transform qualifies: a :class:`Compose` (or a single
transform) of ToTensor, PILToTensor, Normalize, RandomHorizontalFlip, RandomVerticalFlip,
RandomCrop, CenterCrop and ConvertImageDtype (exactly these classes, not subclasses: those may
run user code) that turns the image into a tensor. :func:`apply_batch` runs it on ``images`` (the
stack of ``np.asarray(pil_image)`` of every sample) with a batched ``hr.Stream``: each random
step draws once per call, one value per sample, so sample k gets what it would get from
``hr.Stream(seed, positions[k])`` on the per-sample path.

Speed: flips and crops commute with the pointwise steps (ToTensor, Normalize,
ConvertImageDtype), so they are moved ahead of them and run on the uint8 data; ToTensor and
Normalize are then one cast-and-divide pass and two in-place passes over float32 NCHW data.
Images whose NCHW transpose is contiguous (a dataset that keeps torchvision's CIFAR layout, a
CHW array viewed as HWC) need no transposing copy at all.
"""
import numpy as np

from ... import _dtype as D
from ... import _host_random as hr
from ..._host_tensor import host_array
from ..._tensor import Tensor
from . import _functional_tensor as F_t
from .transforms import (CenterCrop, Compose, ConvertImageDtype, Normalize, PILToTensor, RandomCrop,
                         RandomHorizontalFlip, RandomVerticalFlip, ToTensor)

__all__ = ["supports_batch", "apply_batch"]

_GEOMETRIC = (RandomHorizontalFlip, RandomVerticalFlip, RandomCrop, CenterCrop)


def _steps(transform):
    if type(transform) is Compose:
        return [s for t in transform.transforms for s in _steps(t)]
    return [transform]


def _padding_ok(padding):
    if padding is None:
        return True
    if isinstance(padding, int):
        return padding >= 0
    return (isinstance(padding, (list, tuple)) and len(padding) in (1, 2, 4)
            and all(isinstance(p, int) and p >= 0 for p in padding))


def _fill_ok(fill, in_tensor):
    if in_tensor:
        return isinstance(fill, (int, float)) and not isinstance(fill, bool)
    values = fill if isinstance(fill, (list, tuple)) else [fill]
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= int(v) <= 255 for v in values)


def _crop_ok(step, in_tensor):
    if step.padding is None and not step.pad_if_needed:
        return True
    return (_padding_ok(step.padding) and step.padding_mode in ("constant", "edge", "reflect", "symmetric")
            and (step.padding_mode != "constant" or _fill_ok(step.fill, in_tensor)))


def supports_batch(transform):
    """Whether :func:`apply_batch` can run ``transform`` (see the module docstring)."""
    dtype = None
    for step in _steps(transform):
        kind = type(step)
        if kind in (ToTensor, PILToTensor):
            if dtype is not None:
                return False
            dtype = D.get_default_dtype() if kind is ToTensor else D.uint8
        elif kind is Normalize:
            if dtype is None or not dtype.is_floating_point:
                return False
        elif kind is ConvertImageDtype:
            if dtype is None or not isinstance(step.dtype, D.dtype) or not _convertible(dtype, step.dtype):
                return False
            dtype = step.dtype
        elif kind is RandomCrop:
            if not _crop_ok(step, dtype is not None):
                return False
        elif kind not in _GEOMETRIC:
            return False
    return dtype is not None


def _convertible(src, dst):
    unsafe = (src is D.float32 and dst in (D.int32, D.int64)) or (src is D.float64 and dst is D.int64)
    return not unsafe and dst.np.kind in "fiu"


def _flip_last(x):
    """``x[..., ::-1]`` as a new array. uint8 rows are reversed as whole 64/32/16-bit words (word
    order reversed, then bytes swapped); short rows word column by word column, which keeps
    numpy's inner loops long."""
    w = x.shape[-1]
    if x.dtype == np.uint8 and x.flags.c_contiguous:
        for word in (np.uint64, np.uint32, np.uint16):
            size = np.dtype(word).itemsize
            if w % size:
                continue
            words = x.view(word).reshape(-1, w // size)
            if words.shape[1] > 8:
                return words[:, ::-1].byteswap().view(np.uint8).reshape(x.shape)
            out = np.empty_like(words)
            for k in range(words.shape[1]):
                out[:, k] = words[:, -1 - k]
            return out.byteswap(inplace=True).view(np.uint8).reshape(x.shape)
    return np.ascontiguousarray(x[..., ::-1])


def _flip(x, mask, axis):
    """Flip the samples of ``x`` (N, C, H, W) selected by ``mask`` along W (axis -1) or H (-2)."""
    idx = np.flatnonzero(mask)
    out = np.array(x, order="C")
    if idx.size:
        sub = out[idx]
        out[idx] = _flip_last(sub) if axis == -1 else sub[..., ::-1, :]
    return out


def _crop(x, i, j, th, tw):
    if np.ndim(i) == 0:
        return x[..., i:i + th, j:j + tw]
    windows = np.lib.stride_tricks.sliding_window_view(x, (th, tw), axis=(2, 3))
    return windows[np.arange(x.shape[0]), :, i, j]


def _pad(x, padding, fill, mode, in_tensor):
    """Pad the batch as ``F.pad`` pads each sample: a PIL image (fill per channel, as ints) or a
    tensor (one number)."""
    left, right, top, bottom = F_t.parse_padding(padding)
    if in_tensor:
        return F_t.pad(x, [left, top, right, bottom], fill, mode)
    widths = ((0, 0), (0, 0), (top, bottom), (left, right))
    if mode != "constant":
        return np.pad(x, widths, mode=mode)
    channels = x.shape[1]
    values = list(fill) if isinstance(fill, (list, tuple)) else [fill]
    if len(values) == 1:
        values = values * channels
    elif len(values) != channels:
        raise ValueError("The number of elements in 'fill' does not match the number of channels of the image "
                         f"({len(values)} != {channels})")
    n, _, h, w = x.shape
    out = np.empty((n, channels, h + top + bottom, w + left + right), dtype=x.dtype)
    out[...] = np.asarray([int(v) for v in values], dtype=x.dtype)[:, None, None]
    out[:, :, top:top + h, left:left + w] = x
    return out


class _Plan:
    """The concrete ops of one batch: (kind, args) in execution order, built while drawing."""

    def __init__(self, n, c, h, w):
        self.n, self.c, self.h, self.w = n, c, h, w
        self.ops = []
        self.dtype = None

    def geometric(self, kind, *args):
        pos = len(self.ops)
        while pos > 0 and self.ops[pos - 1][0] in ("to_tensor", "pil_to_tensor", "normalize", "convert"):
            pos -= 1
        self.ops.insert(pos, (kind, args))

    def draw_crop(self, step, stream):
        if step.padding is not None:
            self.pad(step.padding, step.fill, step.padding_mode)
        if step.pad_if_needed and self.w < step.size[1]:
            self.pad([step.size[1] - self.w, 0], step.fill, step.padding_mode)
        if step.pad_if_needed and self.h < step.size[0]:
            self.pad([0, step.size[0] - self.h], step.fill, step.padding_mode)
        th, tw = step.size
        if self.h < th or self.w < tw:
            raise ValueError(f"Required crop size {(th, tw)} is larger than input image size {(self.h, self.w)}")
        if (self.h, self.w) != (th, tw):
            i = hr.randint(0, self.h - th + 1, stream)
            j = hr.randint(0, self.w - tw + 1, stream)
            self.geometric("crop", i, j, th, tw)
        self.h, self.w = th, tw

    def center_crop(self, size):
        th, tw = size
        if tw > self.w or th > self.h:
            self.pad([(tw - self.w) // 2 if tw > self.w else 0, (th - self.h) // 2 if th > self.h else 0,
                      (tw - self.w + 1) // 2 if tw > self.w else 0, (th - self.h + 1) // 2 if th > self.h else 0], 0,
                     "constant")
        if (self.h, self.w) != (th, tw):
            self.geometric("crop", int(round((self.h - th) / 2.0)), int(round((self.w - tw) / 2.0)), th, tw)
        self.h, self.w = th, tw

    def pad(self, padding, fill, mode):
        left, right, top, bottom = F_t.parse_padding(padding)
        self.ops.append(("pad", (padding, fill, mode, self.dtype is not None)))
        self.h += top + bottom
        self.w += left + right


_NORMALIZE_CACHE = {}


def _normalize_arrays(step, shape, dtype):
    """Full-size (C, H, W) mean and std arrays for ``step`` (checked as ``F.normalize`` checks
    them); cached by value, since subtracting a same-shape array is the fastest numpy pass."""
    mean, std = step.mean, step.std
    key = None
    if not isinstance(mean, Tensor) and not isinstance(std, Tensor):
        key = (repr(mean), repr(std), shape, dtype)
        hit = _NORMALIZE_CACHE.get(key)
        if hit is not None:
            return hit
    mean, std = F_t.normalize_params(shape, dtype, _host_values(mean), _host_values(std))
    arrays = tuple(np.ascontiguousarray(np.broadcast_to(v, shape)) for v in (mean, std))
    if key is not None:
        if len(_NORMALIZE_CACHE) > 64:
            _NORMALIZE_CACHE.clear()
        _NORMALIZE_CACHE[key] = arrays
    return arrays


def _host_values(value):
    return host_array(value) if isinstance(value, Tensor) else value


def _plan(steps, images, stream):
    n = images.shape[0]
    c = images.shape[3] if images.ndim == 4 else 1
    plan = _Plan(n, c, images.shape[1], images.shape[2])
    for step in steps:
        kind = type(step)
        if kind is RandomHorizontalFlip or kind is RandomVerticalFlip:
            mask = hr.random(stream) < step.p
            plan.geometric("hflip" if kind is RandomHorizontalFlip else "vflip", mask)
        elif kind is RandomCrop:
            plan.draw_crop(step, stream)
        elif kind is CenterCrop:
            plan.center_crop(step.size)
        elif kind is ToTensor:
            plan.dtype = D.get_default_dtype()
            plan.ops.append(("to_tensor", (plan.dtype,)))
        elif kind is PILToTensor:
            plan.dtype = D.uint8
            plan.ops.append(("pil_to_tensor", ()))
        elif kind is Normalize:
            plan.ops.append(("normalize", _normalize_arrays(step, (plan.c, plan.h, plan.w), plan.dtype.np)))
        else:
            plan.ops.append(("convert", (step.dtype,)))
            plan.dtype = step.dtype
    return plan


def _run(plan, x):
    owned = False
    for kind, args in plan.ops:
        if kind == "hflip" or kind == "vflip":
            x = _flip(x, args[0], -1 if kind == "hflip" else -2)
            owned = True
        elif kind == "crop":
            x = _crop(x, *args)
        elif kind == "pad":
            x = _pad(x, *args)
            owned = True
        elif kind == "to_tensor":
            dt = args[0].np
            out = np.empty(x.shape, dtype=dt)
            np.divide(x, dt.type(255), out=out, dtype=dt)
            x, owned = out, True
        elif kind == "pil_to_tensor":
            x, owned = np.array(x, order="C"), True
        elif kind == "normalize":
            mean, std = args
            if not owned:
                x, owned = np.array(x, order="C"), True
            np.subtract(x, mean, out=x)
            np.divide(x, std, out=x)
        else:
            x = F_t.convert_image_dtype(x, args[0].np)
            owned = x.flags.owndata
    return x if x.flags.owndata and x.flags.c_contiguous else np.array(x, order="C")


def apply_batch(transform, images, stream):
    """``transform`` applied to every image of ``images`` (uint8, (N, H, W, C) or (N, H, W) for
    one-channel images), drawing from the batched ``stream``; the stacked tensors' values as one
    C-contiguous numpy array, equal to what the per-sample path gives."""
    images = np.asarray(images)
    if images.dtype != np.uint8 or images.ndim not in (3, 4):
        raise ValueError(f"apply_batch expects a uint8 batch of shape (N, H, W) or (N, H, W, C), got "
                         f"{images.dtype} {images.shape}")
    x = images.transpose(0, 3, 1, 2) if images.ndim == 4 else images[:, None]
    return _run(_plan(_steps(transform), images, stream), x)
