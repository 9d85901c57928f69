"""The tensor half of ``jtorch.vision.transforms.functional``, on host numpy arrays.

Each function takes the numpy value of an image tensor (shape (..., C, H, W), or (H, W)) and
returns a numpy array, doing what torchvision's tensor backend does in the same dtypes (float32
arithmetic for float32 and integer images, truncating casts back to integer dtypes), with its
argument checks and messages. No jtorch op (no JAX) runs here: these run in DataLoader workers.
"""
import numpy as np

from ... import _dtype as D
from . import _interpolate as I

__all__ = ["get_dimensions", "max_value", "is_float", "convert_image_dtype", "hflip", "vflip", "crop", "pad", "resize",
           "rgb_to_grayscale", "adjust_brightness", "adjust_contrast", "adjust_saturation", "adjust_hue",
           "adjust_gamma", "adjust_sharpness", "invert", "posterize", "solarize", "autocontrast", "equalize",
           "normalize_params", "normalize", "erase", "affine", "rotate", "perspective", "gaussian_blur", "float_dtype"]

_INT_MAX = {np.dtype(np.uint8): 255, np.dtype(np.int8): 127, np.dtype(np.int16): 32767,
            np.dtype(np.uint16): 65535, np.dtype(np.int32): 2147483647, np.dtype(np.int64): 9223372036854775807}


def _name(dtype):
    return repr(D.from_np(dtype))


def _assert_image(img):
    if img.ndim < 2:
        raise TypeError("Tensor is not a torch image.")


def get_dimensions(img):
    """[channels, height, width] (one channel for a 2-D image)."""
    _assert_image(img)
    channels = 1 if img.ndim == 2 else img.shape[-3]
    return [channels, img.shape[-2], img.shape[-1]]


def _assert_channels(img, permitted):
    c = get_dimensions(img)[0]
    if c not in permitted:
        raise TypeError(f"Input image tensor permitted channel values are {permitted}, but found {c}")


def max_value(dtype):
    """The value of full intensity: the integer maximum, or 1 for floating dtypes."""
    return _INT_MAX.get(np.dtype(dtype), 1)


def is_float(arr):
    """Whether ``arr`` holds floating-point values (bfloat16 included)."""
    return D.from_np(arr.dtype).is_floating_point


def float_dtype(arr):
    """The dtype torchvision computes in: the image's own float dtype, else float32."""
    return arr.dtype if is_float(arr) else np.dtype(np.float32)


def _scalar(value, dtype):
    return np.asarray(value, dtype=dtype)[()]


def convert_image_dtype(img, dtype):
    """Convert to ``dtype`` (numpy), rescaling between integer ranges and [0, 1] floats."""
    dtype = np.dtype(dtype)
    if img.dtype == dtype:
        return img
    target = D.from_np(dtype)
    if is_float(img):
        if target.is_floating_point:
            return img.astype(dtype)
        if (img.dtype == np.float32 and dtype in (np.int32, np.int64)) or (
                img.dtype == np.float64 and dtype == np.int64):
            raise RuntimeError(f"The cast from {_name(img.dtype)} to {target} cannot be performed safely.")
        eps = 1e-3
        return (img * _scalar(max_value(dtype) + 1.0 - eps, img.dtype)).astype(dtype)
    input_max = max_value(img.dtype)
    if target.is_floating_point:
        return img.astype(dtype) / _scalar(input_max, dtype)
    output_max = max_value(dtype)
    if input_max > output_max:
        factor = (input_max + 1) // (output_max + 1)
        return (img // factor).astype(dtype)
    factor = (output_max + 1) // (input_max + 1)
    return img.astype(dtype) * dtype.type(factor)


def hflip(img):
    """Reverse the last axis."""
    _assert_image(img)
    return img[..., ::-1]


def vflip(img):
    """Reverse the second-to-last axis."""
    _assert_image(img)
    return img[..., ::-1, :]


def crop(img, top, left, height, width):
    """The box at (top, left) of (height, width); parts outside the image are zero."""
    _assert_image(img)
    h, w = img.shape[-2:]
    right, bottom = left + width, top + height
    if left < 0 or top < 0 or right > w or bottom > h:
        padding_ltrb = [max(-left + min(0, right), 0), max(-top + min(0, bottom), 0),
                        max(right - max(w, left), 0), max(bottom - max(h, top), 0)]
        return pad(img[..., max(top, 0):bottom, max(left, 0):right], padding_ltrb, fill=0)
    return img[..., top:bottom, left:right]


def parse_padding(padding):
    """[left, right, top, bottom] from an int or a 1-, 2- or 4-sequence (l, t, r, b)."""
    if isinstance(padding, int):
        return [padding] * 4
    if len(padding) == 1:
        return [padding[0]] * 4
    if len(padding) == 2:
        return [padding[0], padding[0], padding[1], padding[1]]
    return [padding[0], padding[2], padding[1], padding[3]]


PADDING_MODES = ("constant", "edge", "reflect", "symmetric")


def pad(img, padding, fill=0, padding_mode="constant"):
    """Pad the last two axes; negative padding crops. ``fill`` must be a number here."""
    _assert_image(img)
    if fill is None:
        fill = 0
    if not isinstance(padding, (int, tuple, list)):
        raise TypeError("Got inappropriate padding arg")
    if not isinstance(fill, (int, float)):
        raise TypeError("Got inappropriate fill arg")
    if not isinstance(padding_mode, str):
        raise TypeError("Got inappropriate padding_mode arg")
    if isinstance(padding, (tuple, list)) and len(padding) not in (1, 2, 4):
        raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a {len(padding)} element tuple")
    if padding_mode not in PADDING_MODES:
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    left, right, top, bottom = parse_padding(padding)
    h, w = img.shape[-2:]
    img = img[..., max(-top, 0):h - max(-bottom, 0), max(-left, 0):w - max(-right, 0)]
    widths = [(0, 0)] * (img.ndim - 2) + [(max(top, 0), max(bottom, 0)), (max(left, 0), max(right, 0))]
    if padding_mode == "reflect":
        _check_reflect(img.shape, widths[-2:])
    if padding_mode == "constant":
        return np.pad(img, widths, mode="constant", constant_values=np.asarray(fill).astype(img.dtype))
    return np.pad(img, widths, mode=padding_mode)


def _check_reflect(shape, widths):
    """PyTorch's reflection-padding limit (checked on the image made 4-D, width first)."""
    shape4 = [1] * (4 - len(shape)) + list(shape)
    for argument, dim, (before, after) in ((4, len(shape4) - 1, widths[1]), (6, len(shape4) - 2, widths[0])):
        if before >= shape4[dim] or after >= shape4[dim]:
            raise RuntimeError(f"Argument #{argument}: Padding size should be less than the corresponding input "
                               f"dimension, but got: padding ({before}, {after}) at dimension {dim} of input {shape4}")


def resize(img, size, interpolation="bilinear", antialias=True):
    """Resize the last two axes to ``size`` = [h, w]; integer images are computed in float32 and
    rounded back."""
    _assert_image(img)
    if antialias is None:
        antialias = False
    if antialias and interpolation not in ("bilinear", "bicubic"):
        antialias = False
    out_dtype = img.dtype
    work = img if img.dtype in (np.float32, np.float64) else img.astype(np.float32)
    out = I.resize(work, size, interpolation, antialias)
    if interpolation == "bicubic" and out_dtype == np.uint8:
        out = np.clip(out, 0, 255)
    return _cast_back(out, out_dtype)


def _cast_back(arr, dtype):
    if arr.dtype == dtype:
        return arr
    if not D.from_np(dtype).is_floating_point:
        arr = np.round(arr)
    return arr.astype(dtype)


def rgb_to_grayscale(img, num_output_channels=1):
    """ITU-R 601 luma ``0.2989 r + 0.587 g + 0.114 b`` in float32, cast back to the image dtype."""
    if img.ndim < 3:
        raise TypeError(f"Input image tensor should have at least 3 dimensions, but found {img.ndim}")
    _assert_channels(img, [1, 3])
    if num_output_channels not in (1, 3):
        raise ValueError("num_output_channels should be either 1 or 3")
    if img.shape[-3] == 3:
        dt = float_dtype(img)
        r, g, b = (img[..., i, :, :].astype(dt) for i in range(3))
        gray = (_scalar(0.2989, dt) * r + _scalar(0.587, dt) * g + _scalar(0.114, dt) * b).astype(img.dtype)
        gray = gray[..., None, :, :]
    else:
        gray = img.copy()
    if num_output_channels == 3:
        return np.broadcast_to(gray, img.shape)
    return gray


def _blend(img1, img2, ratio):
    dt = float_dtype(img1)
    ratio = float(ratio)
    out = _scalar(ratio, dt) * img1.astype(dt) + _scalar(1.0 - ratio, dt) * np.asarray(img2).astype(dt)
    return np.clip(out, 0, max_value(img1.dtype)).astype(img1.dtype)


def adjust_brightness(img, brightness_factor):
    """Blend with black."""
    if brightness_factor < 0:
        raise ValueError(f"brightness_factor ({brightness_factor}) is not non-negative.")
    _assert_image(img)
    _assert_channels(img, [1, 3])
    return _blend(img, np.zeros((), img.dtype), brightness_factor)


def adjust_contrast(img, contrast_factor):
    """Blend with the mean of the greyscale image."""
    if contrast_factor < 0:
        raise ValueError(f"contrast_factor ({contrast_factor}) is not non-negative.")
    _assert_image(img)
    _assert_channels(img, [3, 1])
    dt = float_dtype(img)
    gray = rgb_to_grayscale(img) if img.shape[-3] == 3 else img
    mean = np.mean(gray.astype(dt), axis=(-3, -2, -1), keepdims=True, dtype=dt)
    return _blend(img, mean, contrast_factor)


def adjust_saturation(img, saturation_factor):
    """Blend with the greyscale image (one-channel images are returned as they are)."""
    if saturation_factor < 0:
        raise ValueError(f"saturation_factor ({saturation_factor}) is not non-negative.")
    _assert_image(img)
    _assert_channels(img, [1, 3])
    if get_dimensions(img)[0] == 1:
        return img
    return _blend(img, rgb_to_grayscale(img), saturation_factor)


def _rgb2hsv(img):
    r, g, b = img[..., 0, :, :], img[..., 1, :, :], img[..., 2, :, :]
    maxc = img.max(axis=-3)
    minc = img.min(axis=-3)
    eqc = maxc == minc
    cr = maxc - minc
    one = np.ones_like(maxc)
    s = cr / np.where(eqc, one, maxc)
    cr_div = np.where(eqc, one, cr)
    rc, gc, bc = (maxc - r) / cr_div, (maxc - g) / cr_div, (maxc - b) / cr_div
    hr = (maxc == r) * (bc - gc)
    hg = ((maxc == g) & (maxc != r)) * (2.0 + rc - bc)
    hb = ((maxc != g) & (maxc != r)) * (4.0 + gc - rc)
    h = np.fmod((hr + hg + hb).astype(img.dtype) / 6.0 + 1.0, 1.0).astype(img.dtype)
    return h, s, maxc


def _hsv2rgb(h, s, v):
    i = np.floor(h * 6.0)
    f = h * 6.0 - i
    i = i.astype(np.int32) % 6
    p = np.clip(v * (1.0 - s), 0.0, 1.0)
    q = np.clip(v * (1.0 - s * f), 0.0, 1.0)
    t = np.clip(v * (1.0 - s * (1.0 - f)), 0.0, 1.0)
    r = np.choose(i, [v, q, p, p, t, v])
    g = np.choose(i, [t, v, v, q, p, p])
    b = np.choose(i, [p, p, t, v, v, q])
    return np.stack([r, g, b], axis=-3).astype(h.dtype)


def adjust_hue(img, hue_factor):
    """Rotate the hue (HSV) by ``hue_factor`` turns (one-channel images are returned as they are)."""
    if not (-0.5 <= hue_factor <= 0.5):
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    _assert_image(img)
    _assert_channels(img, [1, 3])
    if get_dimensions(img)[0] == 1:
        return img
    orig = img.dtype
    work = convert_image_dtype(img, np.float32)
    h, s, v = _rgb2hsv(work)
    h = np.mod(h + np.float32(hue_factor), np.float32(1.0))
    return convert_image_dtype(_hsv2rgb(h, s, v), orig)


def adjust_gamma(img, gamma, gain=1.0):
    """``gain * x ** gamma`` on [0, 1] intensities, clamped."""
    _assert_channels(img, [1, 3])
    if gamma < 0:
        raise ValueError("Gamma should be a non-negative real number")
    dtype = img.dtype
    work = img if is_float(img) else convert_image_dtype(img, np.float32)
    out = np.clip(_scalar(gain, work.dtype) * np.power(work, _scalar(gamma, work.dtype)), 0, 1)
    return convert_image_dtype(out.astype(work.dtype), dtype)


def _blurred_degenerate(img):
    dt = float_dtype(img)
    kernel = np.ones((3, 3), dtype=dt)
    kernel[1, 1] = 5.0
    kernel /= kernel.sum()
    work = img.astype(dt)
    h, w = img.shape[-2:]
    smooth = sum(kernel[a, b] * work[..., a:h - 2 + a, b:w - 2 + b] for a in range(3) for b in range(3))
    out = img.copy()
    out[..., 1:-1, 1:-1] = _cast_back(smooth, img.dtype)
    return out


def adjust_sharpness(img, sharpness_factor):
    """Blend with a 3x3-smoothed copy (the border is kept)."""
    if sharpness_factor < 0:
        raise ValueError(f"sharpness_factor ({sharpness_factor}) is not non-negative.")
    _assert_image(img)
    _assert_channels(img, [1, 3])
    if img.shape[-1] <= 2 or img.shape[-2] <= 2:
        return img
    return _blend(img, _blurred_degenerate(img), sharpness_factor)


def _assert_3d(img):
    _assert_image(img)
    if img.ndim < 3:
        raise TypeError(f"Input image tensor should have at least 3 dimensions, but found {img.ndim}")
    _assert_channels(img, [1, 3])


def invert(img):
    """``max_value - img``."""
    _assert_3d(img)
    return (np.asarray(max_value(img.dtype), dtype=img.dtype) - img).astype(img.dtype)


def posterize(img, bits):
    """Keep the ``bits`` high bits of each uint8 value."""
    _assert_image(img)
    if img.ndim < 3:
        raise TypeError(f"Input image tensor should have at least 3 dimensions, but found {img.ndim}")
    if img.dtype != np.uint8:
        raise TypeError(f"Only torch.uint8 image tensors are supported, but found {_name(img.dtype)}")
    _assert_channels(img, [1, 3])
    return img & np.uint8((-int(2 ** (8 - bits))) & 0xFF)


def solarize(img, threshold):
    """Invert the values at or above ``threshold``."""
    _assert_3d(img)
    if threshold > max_value(img.dtype):
        raise TypeError("Threshold should be less than bound of img.")
    return np.where(img >= threshold, invert(img), img)


def autocontrast(img):
    """Stretch each channel to the full range."""
    _assert_3d(img)
    bound = max_value(img.dtype)
    dt = float_dtype(img)
    lo = img.min(axis=(-2, -1), keepdims=True).astype(dt)
    hi = img.max(axis=(-2, -1), keepdims=True).astype(dt)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = _scalar(bound, dt) / (hi - lo)
    flat = ~np.isfinite(scale)
    lo[flat] = 0
    scale[flat] = 1
    return np.clip((img - lo) * scale, 0, bound).astype(img.dtype)


def _equalize_channel(chan):
    hist = np.bincount(chan.reshape(-1), minlength=256)
    nonzero = hist[hist != 0]
    step = nonzero[:-1].sum() // 255
    if step == 0:
        return chan
    lut = (np.cumsum(hist) + step // 2) // step
    lut = np.clip(np.concatenate([[0], lut[:-1]]), 0, 255)
    return lut[chan.astype(np.int64)].astype(np.uint8)


def equalize(img):
    """Histogram-equalise each channel of a uint8 image."""
    _assert_image(img)
    if not (3 <= img.ndim <= 4):
        raise TypeError(f"Input image tensor should have 3 or 4 dimensions, but found {img.ndim}")
    if img.dtype != np.uint8:
        raise TypeError(f"Only torch.uint8 image tensors are supported, but found {_name(img.dtype)}")
    _assert_channels(img, [1, 3])
    flat = img.reshape((-1,) + img.shape[-2:])
    return np.stack([_equalize_channel(c) for c in flat]).reshape(img.shape)


_NORMALIZE_VALUES = {}


def _hashable(v):
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, (tuple, list)) and all(isinstance(x, (int, float)) for x in v):
        return tuple(v)
    return None


def _normalize_values(dtype, mean, std):
    """``mean`` and ``std`` as arrays of ``dtype`` (1-D ones as (C, 1, 1)), checking std != 0;
    cached for plain numbers and sequences of numbers (the per-sample path calls this per image)."""
    key = (dtype, _hashable(mean), _hashable(std))
    hit = _NORMALIZE_VALUES.get(key) if None not in key[1:] else None
    if hit is not None:
        return hit
    mean = np.asarray(mean, dtype=dtype)
    std = np.asarray(std, dtype=dtype)
    if (std == 0).any():
        raise ValueError(f"std evaluated to zero after conversion to {_name(dtype)}, leading to division by zero.")
    if mean.ndim == 1:
        mean = mean[:, None, None]
    if std.ndim == 1:
        std = std[:, None, None]
    if None not in key[1:]:
        if len(_NORMALIZE_VALUES) > 64:
            _NORMALIZE_VALUES.clear()
        _NORMALIZE_VALUES[key] = (mean, std)
    return mean, std


def normalize_params(shape, dtype, mean, std):
    """Check a normalisation of images of ``shape`` and ``dtype``; ``mean`` and ``std`` as arrays
    of ``dtype`` that broadcast against the image (a 1-D sequence becomes (C, 1, 1))."""
    if len(shape) < 2:
        raise TypeError("Tensor is not a torch image.")
    if not D.from_np(dtype).is_floating_point:
        raise TypeError(f"Input tensor should be a float tensor. Got {_name(dtype)}.")
    if len(shape) < 3:
        raise ValueError(f"Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = "
                         f"torch.Size({list(shape)})")
    mean, std = _normalize_values(np.dtype(dtype), mean, std)
    _check_broadcast(shape, mean.shape)
    _check_broadcast(shape, std.shape)
    return mean, std


def normalize(img, mean, std):
    """``(img - mean) / std`` per channel, in the image's dtype."""
    mean, std = normalize_params(img.shape, img.dtype, mean, std)
    return (img - mean) / std


def _check_broadcast(a, b):
    for i in range(1, min(len(a), len(b)) + 1):
        if a[-i] != b[-i] and 1 not in (a[-i], b[-i]):
            raise RuntimeError(f"The size of tensor a ({a[-i]}) must match the size of tensor b ({b[-i]}) "
                               f"at non-singleton dimension {len(a) - i}")


def erase(img, i, j, h, w, v):
    """A copy of ``img`` with the box (i, j, h, w) set to ``v``."""
    _assert_image(img)
    out = img.copy()
    out[..., i:i + h, j:j + w] = v
    return out


def _apply_grid(img, grid, mode, fill):
    shape = img.shape
    work = img.reshape((-1,) + shape[-3:]) if img.ndim >= 3 else img[None, None]
    out_dtype = work.dtype
    dt = grid.dtype
    work = work.astype(dt)
    n = work.shape[0]
    if fill is not None:
        work = np.concatenate([work, np.ones((n, 1) + work.shape[2:], dtype=dt)], axis=1)
    out = I.grid_sample(work, np.broadcast_to(grid, (n,) + grid.shape[1:]), mode)
    if fill is not None:
        mask, out = out[:, -1:], out[:, :-1]
        fill_img = np.asarray(fill if isinstance(fill, (tuple, list)) else [float(fill)], dtype=dt)[None, :, None, None]
        if mode == "nearest":
            out = np.where(mask < 0.5, fill_img, out)
        else:
            out = out * mask + (1.0 - mask) * fill_img
    out = _cast_back(out, out_dtype)
    return out.reshape(shape[:-2] + out.shape[-2:]) if img.ndim >= 3 else out[0, 0]


def _assert_grid_inputs(img, matrix, interpolation, fill, coeffs=None):
    _assert_image(img)
    if matrix is not None and not isinstance(matrix, list):
        raise TypeError("Argument matrix should be a list")
    if matrix is not None and len(matrix) != 6:
        raise ValueError("Argument matrix should have 6 float values")
    if coeffs is not None and len(coeffs) != 8:
        raise ValueError("Argument coeffs should have 8 float values")
    num_channels = get_dimensions(img)[0]
    if fill is not None and isinstance(fill, (tuple, list)) and len(fill) > 1 and len(fill) != num_channels:
        msg = ("The number of elements in 'fill' cannot broadcast to match the number of channels of the image "
               "({} != {})")
        raise ValueError(msg.format(len(fill), num_channels))
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(f"Interpolation mode '{interpolation}' is unsupported with Tensor input")


def affine(img, matrix, interpolation="nearest", fill=None):
    """Sample ``img`` through the inverse affine ``matrix`` (relative to the image centre)."""
    _assert_grid_inputs(img, matrix, interpolation, fill)
    dt = float_dtype(img)
    h, w = img.shape[-2:]
    grid = I.affine_grid(matrix, w, h, w, h).astype(dt)
    return _apply_grid(img, grid, interpolation, fill)


def rotate(img, matrix, interpolation="nearest", expand=False, fill=None):
    """Like :func:`affine`, on a canvas grown to hold the whole image when ``expand``."""
    _assert_grid_inputs(img, matrix, interpolation, fill)
    h, w = img.shape[-2:]
    ow, oh = I.affine_output_size(matrix, w, h) if expand else (w, h)
    grid = I.affine_grid(matrix, w, h, ow, oh).astype(float_dtype(img))
    return _apply_grid(img, grid, interpolation, fill)


def perspective(img, coeffs, interpolation="bilinear", fill=None):
    """Sample ``img`` through Pillow-style perspective ``coeffs``."""
    _assert_grid_inputs(img, None, interpolation, fill, coeffs)
    h, w = img.shape[-2:]
    grid = I.perspective_grid(coeffs, w, h).astype(float_dtype(img))
    return _apply_grid(img, grid, interpolation, fill)


def gaussian_blur(img, kernel_size, sigma):
    """Reflect-pad by half the kernel and correlate with the Gaussian kernel."""
    _assert_image(img)
    dt = float_dtype(img)
    kx = I.gaussian_kernel1d(kernel_size[0], sigma[0]).astype(dt)
    ky = I.gaussian_kernel1d(kernel_size[1], sigma[1]).astype(dt)
    px, py = kernel_size[0] // 2, kernel_size[1] // 2
    work = pad(img.astype(dt), [px, py, px, py], padding_mode="reflect")
    return _cast_back(I.correlate_separable(work, kx, ky), img.dtype)
