"""``torchvision.transforms.functional`` (the v1 API): every function takes a PIL image or an
image tensor (shape (..., C, H, W)) and returns the same kind, with torchvision's argument
checks, error types and messages.

PIL images go through Pillow exactly as torchvision does. Tensors are read as host numpy arrays
and results come back as host tensors (``jtorch._host_tensor``): no jtorch op, hence no JAX, runs
here, so these functions are safe in DataLoader worker processes.

Differs from torchvision: tensor results never share memory with the input (torchvision returns
views for crops and flips); resampling of tensors (resize, rotate, affine, perspective, blur)
matches PyTorch's kernels to float rounding, not bit for bit.
"""
import math
import numbers
import sys
import warnings
from enum import Enum

import numpy as np
from PIL import Image

from ... import _dtype as D
from ..._host_tensor import host_array, host_tensor
from ..._tensor import Tensor
from . import _functional_pil as F_pil
from . import _functional_tensor as F_t

__all__ = ["InterpolationMode", "get_dimensions", "get_image_size", "get_image_num_channels", "to_tensor",
           "pil_to_tensor", "convert_image_dtype", "to_pil_image", "normalize", "resize", "pad", "crop",
           "center_crop", "resized_crop", "hflip", "vflip", "perspective", "five_crop", "ten_crop",
           "adjust_brightness", "adjust_contrast", "adjust_saturation", "adjust_hue", "adjust_gamma", "rotate",
           "affine", "to_grayscale", "rgb_to_grayscale", "erase", "gaussian_blur", "invert", "posterize",
           "solarize", "adjust_sharpness", "autocontrast", "equalize", "pil_modes_mapping"]


class InterpolationMode(Enum):
    """Interpolation modes: ``nearest``, ``nearest-exact``, ``bilinear``, ``bicubic``, and, for PIL
    images only, ``box``, ``hamming`` and ``lanczos``."""

    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


_FROM_INT = {0: InterpolationMode.NEAREST, 2: InterpolationMode.BILINEAR, 3: InterpolationMode.BICUBIC,
             4: InterpolationMode.BOX, 5: InterpolationMode.HAMMING, 1: InterpolationMode.LANCZOS}

pil_modes_mapping = {InterpolationMode.NEAREST: 0, InterpolationMode.BILINEAR: 2, InterpolationMode.BICUBIC: 3,
                     InterpolationMode.NEAREST_EXACT: 0, InterpolationMode.BOX: 4, InterpolationMode.HAMMING: 5,
                     InterpolationMode.LANCZOS: 1}


def _interpolation_modes_from_int(i):
    """The InterpolationMode of a Pillow resampling constant."""
    return _FROM_INT[i]


def _interpolation(interpolation):
    if isinstance(interpolation, int):
        return _interpolation_modes_from_int(interpolation)
    if not isinstance(interpolation, InterpolationMode):
        raise TypeError("Argument interpolation should be a InterpolationMode or a corresponding Pillow integer "
                        "constant")
    return interpolation


def _own(arr):
    """``arr`` as a C-contiguous array that shares memory with no input."""
    if arr.flags.owndata and arr.flags.c_contiguous:
        return arr
    return np.array(arr, order="C")


def _on_tensor(fn, img, *args, **kwargs):
    """Run the numpy kernel ``fn`` on the value of tensor ``img``; a host tensor of the result."""
    return host_tensor(_own(fn(host_array(img), *args, **kwargs)))


def _write_back(t, arr):
    """Make tensor ``t`` hold ``arr`` in place (what torchvision's ``inplace=True`` does); without
    JAX when ``t`` is a plain tensor outside autograd, as data tensors are."""
    arr = np.asarray(arr, dtype=t.dtype.np)
    if t._view is None and not t.requires_grad and t.grad_fn is None:
        t._write_inplace(_own(arr))
    else:
        t.copy_(host_tensor(_own(arr)))
    return t


def get_dimensions(img):
    """[channels, height, width] of a PIL image or image tensor."""
    if isinstance(img, Tensor):
        return F_t.get_dimensions(img)
    return F_pil.get_dimensions(img)


def get_image_size(img):
    """[width, height] of a PIL image or image tensor."""
    if isinstance(img, Tensor):
        F_t.get_dimensions(img)
        return [img.shape[-1], img.shape[-2]]
    return F_pil.get_image_size(img)


def get_image_num_channels(img):
    """The number of channels of a PIL image or image tensor."""
    if isinstance(img, Tensor):
        return F_t.get_dimensions(img)[0]
    return F_pil.get_image_num_channels(img)


_PIL_NP_TYPES = {"I": np.int32, ("I;16" if sys.byteorder == "little" else "I;16B"): np.int16, "F": np.float32}


def _to_default_float(chw_uint8):
    dt = D.get_default_dtype().np
    out = np.empty(chw_uint8.shape, dtype=dt)
    np.divide(chw_uint8, dt.type(255), out=out, dtype=dt)
    return out


def to_tensor(pic):
    """A PIL image or HWC ndarray as a CHW tensor: uint8 data scaled to [0, 1] in the default
    float dtype, other data kept as it is (PIL 'I', 'I;16' and 'F' images give int32, int16 and
    float32 tensors; mode '1' counts as uint8 0/255)."""
    is_array = isinstance(pic, np.ndarray)
    if not (F_pil.is_pil_image(pic) or is_array):
        raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
    if is_array:
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        chw = pic[None] if pic.ndim == 2 else pic.transpose(2, 0, 1)
    else:
        arr = np.asarray(pic)
        wanted = _PIL_NP_TYPES.get(pic.mode, np.uint8)
        if arr.dtype != wanted:
            arr = arr.astype(wanted)
        if pic.mode == "1":
            arr = arr * np.uint8(255)
        chw = arr.reshape(pic.size[1], pic.size[0], -1).transpose(2, 0, 1)
    if chw.dtype == np.uint8:
        return host_tensor(_to_default_float(chw))
    return host_tensor(_own(chw))


def pil_to_tensor(pic):
    """A PIL image as a CHW tensor of its own element type (uint8 for most modes), unscaled."""
    if not F_pil.is_pil_image(pic):
        raise TypeError(f"pic should be PIL Image. Got {type(pic)}")
    arr = np.asarray(pic)
    return host_tensor(np.array(arr.reshape(pic.size[1], pic.size[0], -1).transpose(2, 0, 1), order="C"))


def convert_image_dtype(image, dtype=D.float32):
    """Convert an image tensor to ``dtype``, rescaling values: integers span [0, max], floats
    [0, 1]; float-to-int casts that could overflow raise RuntimeError."""
    if not isinstance(image, Tensor):
        raise TypeError("Input img should be Tensor Image")
    if image.dtype is dtype:
        return image
    return _on_tensor(F_t.convert_image_dtype, image, dtype.np)


_MODES_BY_CHANNELS = {2: ["LA"], 4: ["RGBA", "CMYK", "RGBX"], 3: ["RGB", "YCbCr", "HSV"]}
_DEFAULT_MODES = {2: "LA", 4: "RGBA", 3: "RGB"}


def to_pil_image(pic, mode=None):
    """A CHW tensor or HWC ndarray as a PIL image; float data is scaled by 255 (unless mode 'F').
    Without ``mode``: 1 channel gives 'L'/'I;16'/'I'/'F' by dtype, 2 'LA', 3 'RGB', 4 'RGBA'."""
    if isinstance(pic, Tensor):
        arr = host_array(pic)
        pic = arr.transpose(1, 2, 0) if arr.ndim == 3 else arr
    elif not isinstance(pic, np.ndarray):
        raise TypeError(f"pic should be Tensor or ndarray. Got {type(pic)}.")
    if pic.ndim == 2:
        pic = pic[:, :, None]
    if pic.ndim != 3:
        raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
    if pic.shape[-1] > 4:
        raise ValueError(f"pic should not have > 4 channels. Got {pic.shape[-1]} channels.")
    npimg = pic
    if F_t.is_float(npimg) and mode != "F":
        npimg = (npimg * 255).astype(np.uint8)
    channels = npimg.shape[2]
    if channels == 1:
        npimg = npimg[:, :, 0]
        expected = {np.dtype(np.uint8): "L", np.dtype(np.int16): "I;16" if sys.byteorder == "little" else "I;16B",
                    np.dtype(np.int32): "I", np.dtype(np.float32): "F"}.get(npimg.dtype)
        if mode is not None and mode != expected:
            raise ValueError(f"Incorrect mode ({mode}) supplied for input type {np.dtype}. Should be {expected}")
        mode = expected
    else:
        permitted = _MODES_BY_CHANNELS[channels]
        if mode is not None and mode not in permitted:
            raise ValueError(f"Only modes {permitted} are supported for {channels}D inputs")
        if mode is None and npimg.dtype == np.uint8:
            mode = _DEFAULT_MODES[channels]
    if mode is None:
        raise TypeError(f"Input type {npimg.dtype} is not supported")
    return F_pil.image_from_array(npimg, mode)


def _host_values(value):
    return host_array(value) if isinstance(value, Tensor) else value


def normalize(tensor, mean, std, inplace=False):
    """``(tensor - mean) / std`` per channel of a float image tensor (in place with ``inplace``)."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(tensor)}")
    out = F_t.normalize(host_array(tensor), _host_values(mean), _host_values(std))
    if inplace:
        return _write_back(tensor, out)
    return host_tensor(out)


def _compute_resized_output_size(image_size, size, max_size=None):
    h, w = image_size
    short, long = (w, h) if w <= h else (h, w)
    if len(size) == 1:
        requested = size if isinstance(size, int) else size[0]
        new_short, new_long = requested, int(requested * long / short)
        if max_size is not None:
            if max_size <= requested:
                raise ValueError(f"max_size = {max_size} must be strictly greater than the requested "
                                 f"size for the smaller edge size = {size}")
            if new_long > max_size:
                new_short, new_long = int(max_size * new_short / new_long), max_size
        new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    else:
        new_w, new_h = size[1], size[0]
    return [new_h, new_w]


_TENSOR_RESIZE_MODES = ("nearest", "nearest-exact", "bilinear", "bicubic")


def resize(img, size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=True):
    """Resize to ``size`` = (h, w), or make the smaller edge ``size`` (an int or 1-sequence)
    keeping the aspect ratio, the longer edge capped at ``max_size``. PIL images are always
    antialiased; tensors when ``antialias`` (bilinear/bicubic)."""
    interpolation = _interpolation(interpolation)
    if isinstance(size, (list, tuple)):
        if len(size) not in (1, 2):
            raise ValueError(f"Size must be an int or a 1 or 2 element tuple/list, not a {len(size)} element "
                             "tuple/list")
        if max_size is not None and len(size) != 1:
            raise ValueError("max_size should only be passed if size specifies the length of the smaller edge, "
                             "i.e. size should be an int or a sequence of length 1.")
    _, height, width = get_dimensions(img)
    if isinstance(size, int):
        size = [size]
    output_size = _compute_resized_output_size((height, width), size, max_size)
    if [height, width] == output_size:
        return img
    if not isinstance(img, Tensor):
        if antialias is False:
            warnings.warn("Anti-alias option is always applied for PIL Image input. Argument antialias is ignored.")
        return F_pil.resize(img, size=output_size, interpolation=pil_modes_mapping[interpolation])
    if interpolation.value not in _TENSOR_RESIZE_MODES:
        raise NotImplementedError(f"resizing a tensor with interpolation {interpolation.value!r} is not supported; "
                                  f"use one of {list(_TENSOR_RESIZE_MODES)} or a PIL image")
    return _on_tensor(F_t.resize, img, output_size, interpolation.value, antialias)


def pad(img, padding, fill=0, padding_mode="constant"):
    """Pad the borders by ``padding`` (int, (lr, tb) or (l, t, r, b)) with ``padding_mode``
    constant (``fill``), edge, reflect or symmetric; negative padding crops."""
    if not isinstance(img, Tensor):
        return F_pil.pad(img, padding=padding, fill=fill, padding_mode=padding_mode)
    return _on_tensor(F_t.pad, img, padding, fill, padding_mode)


def crop(img, top, left, height, width):
    """The (height, width) box at (top, left); parts outside the image are zero."""
    if not isinstance(img, Tensor):
        return F_pil.crop(img, top, left, height, width)
    return _on_tensor(F_t.crop, img, top, left, height, width)


def center_crop(img, output_size):
    """The central (h, w) box; an image smaller than the box is zero-padded first."""
    if isinstance(output_size, numbers.Number):
        output_size = (int(output_size), int(output_size))
    elif isinstance(output_size, (tuple, list)) and len(output_size) == 1:
        output_size = (output_size[0], output_size[0])
    _, image_height, image_width = get_dimensions(img)
    crop_height, crop_width = output_size
    if crop_width > image_width or crop_height > image_height:
        padding_ltrb = [
            (crop_width - image_width) // 2 if crop_width > image_width else 0,
            (crop_height - image_height) // 2 if crop_height > image_height else 0,
            (crop_width - image_width + 1) // 2 if crop_width > image_width else 0,
            (crop_height - image_height + 1) // 2 if crop_height > image_height else 0,
        ]
        img = pad(img, padding_ltrb, fill=0)
        _, image_height, image_width = get_dimensions(img)
        if crop_width == image_width and crop_height == image_height:
            return img
    crop_top = int(round((image_height - crop_height) / 2.0))
    crop_left = int(round((image_width - crop_width) / 2.0))
    return crop(img, crop_top, crop_left, crop_height, crop_width)


def resized_crop(img, top, left, height, width, size, interpolation=InterpolationMode.BILINEAR, antialias=True):
    """:func:`crop` then :func:`resize`."""
    img = crop(img, top, left, height, width)
    return resize(img, size, interpolation, antialias=antialias)


def hflip(img):
    """Mirror left-right."""
    if not isinstance(img, Tensor):
        return F_pil.hflip(img)
    return _on_tensor(F_t.hflip, img)


def vflip(img):
    """Mirror top-bottom."""
    if not isinstance(img, Tensor):
        return F_pil.vflip(img)
    return _on_tensor(F_t.vflip, img)


def _get_perspective_coeffs(startpoints, endpoints):
    """Pillow's 8 perspective coefficients mapping ``endpoints`` back onto ``startpoints``."""
    if len(startpoints) != 4 or len(endpoints) != 4:
        raise ValueError(f"Please provide exactly four corners, got {len(startpoints)} startpoints and "
                         f"{len(endpoints)} endpoints.")
    a = np.zeros((8, 8))
    for i, (p1, p2) in enumerate(zip(endpoints, startpoints)):
        a[2 * i] = [p1[0], p1[1], 1, 0, 0, 0, -p2[0] * p1[0], -p2[0] * p1[1]]
        a[2 * i + 1] = [0, 0, 0, p1[0], p1[1], 1, -p2[1] * p1[0], -p2[1] * p1[1]]
    b = np.asarray(startpoints, dtype=np.float64).reshape(8)
    res = np.linalg.lstsq(a, b, rcond=None)[0].astype(np.float32)
    return res.tolist()


def perspective(img, startpoints, endpoints, interpolation=InterpolationMode.BILINEAR, fill=None):
    """Warp so that the four ``startpoints`` corners land on ``endpoints``."""
    coeffs = _get_perspective_coeffs(startpoints, endpoints)
    interpolation = _interpolation(interpolation)
    if not isinstance(img, Tensor):
        return F_pil.perspective(img, coeffs, interpolation=pil_modes_mapping[interpolation], fill=fill)
    return _on_tensor(F_t.perspective, img, coeffs, interpolation.value, fill)


def _crop_size(size):
    if isinstance(size, numbers.Number):
        size = (int(size), int(size))
    elif isinstance(size, (tuple, list)) and len(size) == 1:
        size = (size[0], size[0])
    if len(size) != 2:
        raise ValueError("Please provide only two dimensions (h, w) for size.")
    return size


def five_crop(img, size):
    """The four corner crops and the central crop: (tl, tr, bl, br, center)."""
    size = _crop_size(size)
    _, image_height, image_width = get_dimensions(img)
    crop_height, crop_width = size
    if crop_width > image_width or crop_height > image_height:
        raise ValueError(f"Requested crop size {size} is bigger than input size {(image_height, image_width)}")
    tl = crop(img, 0, 0, crop_height, crop_width)
    tr = crop(img, 0, image_width - crop_width, crop_height, crop_width)
    bl = crop(img, image_height - crop_height, 0, crop_height, crop_width)
    br = crop(img, image_height - crop_height, image_width - crop_width, crop_height, crop_width)
    return tl, tr, bl, br, center_crop(img, [crop_height, crop_width])


def ten_crop(img, size, vertical_flip=False):
    """:func:`five_crop` of the image and of its mirror image (vertical with ``vertical_flip``)."""
    size = _crop_size(size)
    first = five_crop(img, size)
    return first + five_crop(vflip(img) if vertical_flip else hflip(img), size)


def _adjust(name, img, *args):
    if not isinstance(img, Tensor):
        return getattr(F_pil, name)(img, *args)
    return _on_tensor(getattr(F_t, name), img, *args)


def adjust_brightness(img, brightness_factor):
    """Scale the brightness: 0 gives black, 1 the original image."""
    return _adjust("adjust_brightness", img, brightness_factor)


def adjust_contrast(img, contrast_factor):
    """Scale the contrast: 0 gives solid grey, 1 the original image."""
    return _adjust("adjust_contrast", img, contrast_factor)


def adjust_saturation(img, saturation_factor):
    """Scale the saturation: 0 gives greyscale, 1 the original image."""
    return _adjust("adjust_saturation", img, saturation_factor)


def adjust_hue(img, hue_factor):
    """Rotate the hue by ``hue_factor`` (in [-0.5, 0.5]) of a turn."""
    return _adjust("adjust_hue", img, hue_factor)


def adjust_gamma(img, gamma, gain=1):
    """Gamma-correct: ``gain * x ** gamma`` on intensities in [0, 1]."""
    return _adjust("adjust_gamma", img, gamma, gain)


def adjust_sharpness(img, sharpness_factor):
    """Scale the sharpness: 0 gives a smoothed image, 1 the original image."""
    return _adjust("adjust_sharpness", img, sharpness_factor)


def invert(img):
    """Invert the colours."""
    return _adjust("invert", img)


def posterize(img, bits):
    """Keep the ``bits`` (0-8) high bits of each channel."""
    if not (0 <= bits <= 8):
        raise ValueError(f"The number if bits should be between 0 and 8. Got {bits}")
    return _adjust("posterize", img, bits)


def solarize(img, threshold):
    """Invert the values at or above ``threshold``."""
    return _adjust("solarize", img, threshold)


def autocontrast(img):
    """Stretch each channel to the full intensity range."""
    return _adjust("autocontrast", img)


def equalize(img):
    """Equalise the histogram of each channel."""
    return _adjust("equalize", img)


def _get_inverse_affine_matrix(center, angle, translate, scale, shear, inverted=True):
    """torchvision's affine matrix (inverse by default): rotation by ``angle``, then shear, then
    scale, about ``center``, then translation."""
    rot = math.radians(angle)
    sx = math.radians(shear[0])
    sy = math.radians(shear[1])
    cx, cy = center
    tx, ty = translate
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    if inverted:
        matrix = [x / scale for x in (d, -b, 0.0, -c, a, 0.0)]
        matrix[2] += matrix[0] * (-cx - tx) + matrix[1] * (-cy - ty)
        matrix[5] += matrix[3] * (-cx - tx) + matrix[4] * (-cy - ty)
        matrix[2] += cx
        matrix[5] += cy
    else:
        matrix = [x * scale for x in (a, b, 0.0, c, d, 0.0)]
        matrix[2] += matrix[0] * (-cx) + matrix[1] * (-cy)
        matrix[5] += matrix[3] * (-cx) + matrix[4] * (-cy)
        matrix[2] += cx + tx
        matrix[5] += cy + ty
    return matrix


def _tensor_center(img, center):
    if center is None:
        return [0.0, 0.0]
    _, height, width = get_dimensions(img)
    return [1.0 * (c - s * 0.5) for c, s in zip(center, [width, height])]


def rotate(img, angle, interpolation=InterpolationMode.NEAREST, expand=False, center=None, fill=None):
    """Rotate counter-clockwise by ``angle`` degrees about ``center`` (default: the image centre);
    ``expand`` grows the canvas to hold the whole rotated image."""
    interpolation = _interpolation(interpolation)
    if not isinstance(angle, (int, float)):
        raise TypeError("Argument angle should be int or float")
    if center is not None and not isinstance(center, (list, tuple)):
        raise TypeError("Argument center should be a sequence")
    if not isinstance(img, Tensor):
        return F_pil.rotate(img, angle=angle, interpolation=pil_modes_mapping[interpolation], expand=expand,
                            center=center, fill=fill)
    matrix = _get_inverse_affine_matrix(_tensor_center(img, center), -angle, [0.0, 0.0], 1.0, [0.0, 0.0])
    return _on_tensor(F_t.rotate, img, matrix, interpolation.value, expand, fill)


def _check_affine_args(angle, translate, scale, shear, center):
    if not isinstance(angle, (int, float)):
        raise TypeError("Argument angle should be int or float")
    if not isinstance(translate, (list, tuple)):
        raise TypeError("Argument translate should be a sequence")
    if len(translate) != 2:
        raise ValueError("Argument translate should be a sequence of length 2")
    if scale <= 0.0:
        raise ValueError("Argument scale should be positive")
    if not isinstance(shear, (numbers.Number, list, tuple)):
        raise TypeError("Shear should be either a single value or a sequence of two values")
    if isinstance(shear, numbers.Number):
        shear = [shear, 0.0]
    shear = list(shear)
    if len(shear) == 1:
        shear = [shear[0], shear[0]]
    if len(shear) != 2:
        raise ValueError(f"Shear should be a sequence containing two values. Got {shear}")
    if center is not None and not isinstance(center, (list, tuple)):
        raise TypeError("Argument center should be a sequence")
    return float(angle), list(translate), shear


def affine(img, angle, translate, scale, shear, interpolation=InterpolationMode.NEAREST, fill=None, center=None):
    """Rotate by ``angle``, shear, scale and translate, keeping ``center`` (default: the image
    centre) fixed."""
    interpolation = _interpolation(interpolation)
    angle, translate, shear = _check_affine_args(angle, translate, scale, shear, center)
    _, height, width = get_dimensions(img)
    if not isinstance(img, Tensor):
        if center is None:
            center = [width * 0.5, height * 0.5]
        matrix = _get_inverse_affine_matrix(center, angle, translate, scale, shear)
        return F_pil.affine(img, matrix=matrix, interpolation=pil_modes_mapping[interpolation], fill=fill)
    translate_f = [1.0 * t for t in translate]
    matrix = _get_inverse_affine_matrix(_tensor_center(img, center), angle, translate_f, scale, shear)
    return _on_tensor(F_t.affine, img, matrix, interpolation.value, fill)


def to_grayscale(img, num_output_channels=1):
    """A PIL image of any mode as greyscale ('L', or 'RGB' with equal bands)."""
    if isinstance(img, Image.Image):
        return F_pil.to_grayscale(img, num_output_channels)
    raise TypeError("Input should be PIL Image")


def rgb_to_grayscale(img, num_output_channels=1):
    """An RGB image as greyscale with 1 or 3 (equal) channels."""
    if not isinstance(img, Tensor):
        return F_pil.to_grayscale(img, num_output_channels)
    return _on_tensor(F_t.rgb_to_grayscale, img, num_output_channels)


def erase(img, i, j, h, w, v, inplace=False):
    """Set the (h, w) box at (i, j) of an image tensor to ``v`` (in place with ``inplace``)."""
    if not isinstance(img, Tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(img)}")
    out = F_t.erase(host_array(img), i, j, h, w, _host_values(v))
    if inplace:
        return _write_back(img, out)
    return host_tensor(out)


def gaussian_blur(img, kernel_size, sigma=None):
    """Blur with a Gaussian of ``kernel_size`` (odd, positive) and ``sigma`` (default
    ``0.3 * ((k - 1) * 0.5 - 1) + 0.8``), reflect-padding the borders. PIL images are blurred as
    uint8 tensors and converted back."""
    if not isinstance(kernel_size, (int, list, tuple)):
        raise TypeError(f"kernel_size should be int or a sequence of integers. Got {type(kernel_size)}")
    if isinstance(kernel_size, int):
        kernel_size = [kernel_size, kernel_size]
    if len(kernel_size) != 2:
        raise ValueError(f"If kernel_size is a sequence its length should be 2. Got {len(kernel_size)}")
    for ksize in kernel_size:
        if ksize % 2 == 0 or ksize < 0:
            raise ValueError(f"kernel_size should have odd and positive integers. Got {kernel_size}")
    if sigma is None:
        sigma = [ksize * 0.15 + 0.35 for ksize in kernel_size]
    if not isinstance(sigma, (int, float, list, tuple)):
        raise TypeError(f"sigma should be either float or sequence of floats. Got {type(sigma)}")
    if isinstance(sigma, (int, float)):
        sigma = [float(sigma), float(sigma)]
    if isinstance(sigma, (list, tuple)) and len(sigma) == 1:
        sigma = [sigma[0], sigma[0]]
    if len(sigma) != 2:
        raise ValueError(f"If sigma is a sequence, its length should be 2. Got {len(sigma)}")
    for s in sigma:
        if s <= 0.0:
            raise ValueError(f"sigma should have positive values. Got {sigma}")
    if isinstance(img, Tensor):
        return _on_tensor(F_t.gaussian_blur, img, kernel_size, sigma)
    if not F_pil.is_pil_image(img):
        raise TypeError(f"img should be PIL Image or Tensor. Got {type(img)}")
    out = F_t.gaussian_blur(host_array(pil_to_tensor(img)), kernel_size, sigma)
    return to_pil_image(host_tensor(_own(out)), mode=img.mode)
