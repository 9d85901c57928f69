"""The PIL-image half of ``jtorch.vision.transforms.functional``: each function takes and returns
a ``PIL.Image.Image`` and does what torchvision's PIL backend does (same Pillow calls, same
argument checks and messages)."""
import numbers

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

__all__ = ["is_pil_image", "image_from_array", "get_dimensions", "get_image_size", "get_image_num_channels",
           "hflip", "vflip", "crop", "pad", "resize", "rotate", "affine", "perspective", "to_grayscale",
           "adjust_brightness", "adjust_contrast", "adjust_saturation", "adjust_hue", "adjust_gamma",
           "adjust_sharpness", "invert", "posterize", "solarize", "autocontrast", "equalize", "parse_fill"]

PADDING_MODES = ("constant", "edge", "reflect", "symmetric")


def is_pil_image(img):
    """Whether ``img`` is a PIL image."""
    return isinstance(img, Image.Image)


def _check(img):
    if not isinstance(img, Image.Image):
        raise TypeError(f"img should be PIL Image. Got {type(img)}")


def image_from_array(arr, mode):
    """A PIL image of ``mode`` reading the raw bytes of ``arr`` ((H, W) or (H, W, C)), like the
    pre-11.3 ``Image.fromarray(arr, mode)`` (the data is reinterpreted, not converted)."""
    arr = np.ascontiguousarray(arr)
    return Image.frombuffer(mode, (arr.shape[1], arr.shape[0]), arr.tobytes(), "raw", mode, 0, 1)


def get_dimensions(img):
    """[channels, height, width] of a PIL image."""
    if isinstance(img, Image.Image):
        width, height = img.size
        return [len(img.getbands()), height, width]
    raise TypeError(f"Unexpected type {type(img)}")


def get_image_size(img):
    """[width, height] of a PIL image."""
    if isinstance(img, Image.Image):
        return list(img.size)
    raise TypeError(f"Unexpected type {type(img)}")


def get_image_num_channels(img):
    """The number of bands of a PIL image."""
    if isinstance(img, Image.Image):
        return len(img.getbands())
    raise TypeError(f"Unexpected type {type(img)}")


def hflip(img):
    """Mirror left-right."""
    _check(img)
    return img.transpose(Image.FLIP_LEFT_RIGHT)


def vflip(img):
    """Mirror top-bottom."""
    _check(img)
    return img.transpose(Image.FLIP_TOP_BOTTOM)


def crop(img, top, left, height, width):
    """The box (left, top, left + width, top + height); areas outside the image are zero."""
    _check(img)
    return img.crop((left, top, left + width, top + height))


def resize(img, size, interpolation):
    """Resize to ``size`` = [h, w] with a Pillow resampling filter (Pillow always antialiases)."""
    _check(img)
    if not (isinstance(size, list) and len(size) == 2):
        raise TypeError(f"Got inappropriate size arg: {size}")
    return img.resize(tuple(size[::-1]), interpolation)


def parse_fill(fill, img, name="fillcolor"):
    """torchvision's fill handling for Pillow calls: a number is repeated per band, a 1-sequence
    too; a sequence must have one value per band; values are ints unless the mode is 'F'."""
    num_channels = get_image_num_channels(img)
    if fill is None:
        fill = 0
    if isinstance(fill, (int, float)) and num_channels > 1:
        fill = tuple([fill] * num_channels)
    if isinstance(fill, (list, tuple)):
        if len(fill) == 1:
            fill = fill * num_channels
        elif len(fill) != num_channels:
            msg = "The number of elements in 'fill' does not match the number of channels of the image ({} != {})"
            raise ValueError(msg.format(len(fill), num_channels))
        fill = tuple(fill)
    if img.mode != "F":
        fill = tuple(int(x) for x in fill) if isinstance(fill, (list, tuple)) else int(fill)
    return {name: fill}


def _ltrb(padding):
    if isinstance(padding, int):
        return [padding] * 4
    if len(padding) == 2:
        return [padding[0], padding[1], padding[0], padding[1]]
    return list(padding)


def pad(img, padding, fill=0, padding_mode="constant"):
    """Pad the borders (int, (lr, tb) or (l, t, r, b)); negative padding crops."""
    _check(img)
    if not isinstance(padding, (numbers.Number, tuple, list)):
        raise TypeError("Got inappropriate padding arg")
    if fill is not None and not isinstance(fill, (numbers.Number, tuple, list)):
        raise TypeError("Got inappropriate fill arg")
    if not isinstance(padding_mode, str):
        raise TypeError("Got inappropriate padding_mode arg")
    if isinstance(padding, list):
        padding = tuple(padding)
    if isinstance(padding, tuple) and len(padding) not in (1, 2, 4):
        raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a {len(padding)} element tuple")
    if isinstance(padding, tuple) and len(padding) == 1:
        padding = padding[0]
    if padding_mode not in PADDING_MODES:
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    if padding_mode == "constant":
        opts = parse_fill(fill, img, name="fill")
        out = ImageOps.expand(img, border=padding, **opts)
        if img.mode == "P":
            out.putpalette(img.getpalette())
        return out
    left, top, right, bottom = _ltrb(padding)
    crop_l, crop_t, crop_r, crop_b = (max(-p, 0) for p in (left, top, right, bottom))
    if crop_l or crop_t or crop_r or crop_b:
        img = img.crop((crop_l, crop_t, img.width - crop_r, img.height - crop_b))
    left, top, right, bottom = (max(p, 0) for p in (left, top, right, bottom))
    arr = np.asarray(img)
    widths = ((top, bottom), (left, right)) + ((0, 0),) * (arr.ndim - 2)
    out = Image.fromarray(np.pad(arr, widths, mode=padding_mode))
    if img.mode == "P":
        out.putpalette(img.getpalette())
    return out


def rotate(img, angle, interpolation=Image.NEAREST, expand=False, center=None, fill=None):
    """Rotate counter-clockwise by ``angle`` degrees with ``Image.rotate``."""
    _check(img)
    return img.rotate(angle, interpolation, expand, center, **parse_fill(fill, img))


def affine(img, matrix, interpolation=Image.NEAREST, fill=None):
    """Apply the inverse affine ``matrix`` (6 coefficients) with ``Image.transform``."""
    _check(img)
    return img.transform(img.size, Image.AFFINE, matrix, interpolation, **parse_fill(fill, img))


def perspective(img, coeffs, interpolation=Image.BICUBIC, fill=None):
    """Apply the perspective ``coeffs`` (8 coefficients) with ``Image.transform``."""
    _check(img)
    return img.transform(img.size, Image.PERSPECTIVE, coeffs, interpolation, **parse_fill(fill, img))


def to_grayscale(img, num_output_channels):
    """Luma ('L'), or luma copied into 3 bands ('RGB')."""
    _check(img)
    if num_output_channels == 1:
        return img.convert("L")
    if num_output_channels == 3:
        gray = np.asarray(img.convert("L"), dtype=np.uint8)
        return image_from_array(np.dstack([gray, gray, gray]), "RGB")
    raise ValueError("num_output_channels should be either 1 or 3")


def _enhance(enhancer, img, factor):
    _check(img)
    return enhancer(img).enhance(factor)


def adjust_brightness(img, brightness_factor):
    """Blend with black (``ImageEnhance.Brightness``)."""
    return _enhance(ImageEnhance.Brightness, img, brightness_factor)


def adjust_contrast(img, contrast_factor):
    """Blend with the mean grey (``ImageEnhance.Contrast``)."""
    return _enhance(ImageEnhance.Contrast, img, contrast_factor)


def adjust_saturation(img, saturation_factor):
    """Blend with the greyscale image (``ImageEnhance.Color``)."""
    return _enhance(ImageEnhance.Color, img, saturation_factor)


def adjust_sharpness(img, sharpness_factor):
    """Blend with a smoothed image (``ImageEnhance.Sharpness``)."""
    return _enhance(ImageEnhance.Sharpness, img, sharpness_factor)


def adjust_hue(img, hue_factor):
    """Shift the hue channel (in HSV, as uint8 that wraps around) by ``hue_factor * 255``."""
    if not (-0.5 <= hue_factor <= 0.5):
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    _check(img)
    mode = img.mode
    if mode in {"L", "1", "I", "F"}:
        return img
    h, s, v = img.convert("HSV").split()
    np_h = np.array(h, dtype=np.uint8)
    np_h += np.int32(hue_factor * 255).astype(np.uint8)
    h = image_from_array(np_h, "L")
    return Image.merge("HSV", (h, s, v)).convert(mode)


def adjust_gamma(img, gamma, gain=1.0):
    """``255 * gain * (x / 255) ** gamma`` through a lookup table on the RGB image."""
    _check(img)
    if gamma < 0:
        raise ValueError("Gamma should be a non-negative real number")
    mode = img.mode
    table = [int((255 + 1 - 1e-3) * gain * pow(v / 255.0, gamma)) for v in range(256)] * 3
    return img.convert("RGB").point(table).convert(mode)


def invert(img):
    """``ImageOps.invert``."""
    _check(img)
    return ImageOps.invert(img)


def posterize(img, bits):
    """``ImageOps.posterize``."""
    _check(img)
    return ImageOps.posterize(img, bits)


def solarize(img, threshold):
    """``ImageOps.solarize``."""
    _check(img)
    return ImageOps.solarize(img, threshold)


def autocontrast(img):
    """``ImageOps.autocontrast``."""
    _check(img)
    return ImageOps.autocontrast(img)


def equalize(img):
    """``ImageOps.equalize``."""
    _check(img)
    return ImageOps.equalize(img)
