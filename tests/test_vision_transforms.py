"""jtorch.vision.transforms against hand-computed numpy expectations, Pillow itself (PIL inputs go
through the same Pillow calls as torchvision), real PyTorch's ``interpolate``/``grid_sample`` for
the tensor resampling kernels, and torchvision's reprs and error messages. Also: reproducibility
under ``jtorch.manual_seed``, the draw counts of random transforms, the batched fast path equal to
the per-sample path, and the transforms running in a DataLoader worker (no JAX)."""
import colorsys
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch
from PIL import Image, ImageEnhance, ImageOps

import jtorch
import jtorch.vision.transforms as T
import jtorch.vision.transforms.functional as F
from jtorch import _host_random as hr
from jtorch._host_tensor import host_array, host_tensor

MEAN = (0.4914, 0.4822, 0.4465)
STD = (0.247, 0.243, 0.261)


def rgb(h=6, w=8, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def pil(arr):
    return Image.fromarray(arr)


def value(x):
    return np.asarray(x) if isinstance(x, Image.Image) else host_array(x)


def chw(arr, dtype=np.float32):
    """What ToTensor gives for a uint8 HWC array."""
    return (arr.transpose(2, 0, 1).astype(np.float32) / np.float32(255)).astype(dtype)


def seeded(fn, seed=0):
    jtorch.manual_seed(seed)
    return fn()


def draws_after(fn, seed=3):
    """The next host draw after running ``fn`` from ``seed``: tells how many draws ``fn`` made."""
    jtorch.manual_seed(seed)
    fn()
    return hr.random()


def nth_draw(n, seed=3):
    jtorch.manual_seed(seed)
    for _ in range(n):
        hr.random()
    return hr.random()


# ---------------------------------------------------------------- conversions

PIL_MODES = [
    ("RGB", rgb(), np.float32, 3),
    ("L", rgb()[..., 0], np.float32, 1),
    ("RGBA", np.random.default_rng(1).integers(0, 256, (6, 8, 4), dtype=np.uint8), np.float32, 4),
    ("LA", np.random.default_rng(2).integers(0, 256, (6, 8, 2), dtype=np.uint8), np.float32, 2),
]


@pytest.mark.parametrize("mode,arr,dtype,channels", PIL_MODES, ids=[m[0] for m in PIL_MODES])
def test_to_tensor_pil_uint8_modes(mode, arr, dtype, channels):
    img = Image.fromarray(arr, mode)
    out = T.ToTensor()(img)
    expected = (arr.reshape(6, 8, channels).transpose(2, 0, 1).astype(np.float32) / np.float32(255))
    assert out.dtype == jtorch.float32 and tuple(out.shape) == (channels, 6, 8)
    np.testing.assert_array_equal(value(out), expected)
    pil_t = T.PILToTensor()(img)
    assert pil_t.dtype == jtorch.uint8
    np.testing.assert_array_equal(value(pil_t), arr.reshape(6, 8, channels).transpose(2, 0, 1))


@pytest.mark.parametrize("mode,np_in,dtype,scaled", [
    ("I", np.arange(48, dtype=np.int32).reshape(6, 8) * 1000, jtorch.int32, False),
    ("F", np.linspace(-3, 3, 48, dtype=np.float32).reshape(6, 8), jtorch.float32, False),
    ("I;16", np.arange(48, dtype=np.uint16).reshape(6, 8) * 100, jtorch.int16, False),
    ("P", np.arange(48, dtype=np.uint8).reshape(6, 8), jtorch.float32, True),
])
def test_to_tensor_other_pil_modes(mode, np_in, dtype, scaled):
    img = Image.fromarray(np_in) if mode != "P" else Image.fromarray(np_in).convert("P")
    assert img.mode == mode
    out = T.ToTensor()(img)
    assert out.dtype == dtype and tuple(out.shape) == (1, 6, 8)
    expected = np.asarray(img).astype(dtype.np)[None]
    np.testing.assert_array_equal(value(out), expected / np.float32(255) if scaled else expected)


def test_to_tensor_mode_1_and_pil_to_tensor_dtypes():
    bits = np.random.default_rng(0).random((6, 8)) > 0.5
    img = Image.fromarray(bits)
    assert img.mode == "1"
    np.testing.assert_array_equal(value(T.ToTensor()(img)), bits[None].astype(np.float32))
    assert T.PILToTensor()(img).dtype == jtorch.bool
    i16 = Image.fromarray(np.arange(48, dtype=np.uint16).reshape(6, 8))
    assert T.PILToTensor()(i16).dtype == jtorch.uint16


@pytest.mark.parametrize("arr,expected", [
    (rgb(), chw(rgb())),
    (rgb()[..., 0], rgb()[..., 0][None].astype(np.float32) / np.float32(255)),
    (np.linspace(0, 5, 48, dtype=np.float32).reshape(4, 4, 3), np.linspace(0, 5, 48, dtype=np.float32)
     .reshape(4, 4, 3).transpose(2, 0, 1)),
    (np.arange(24, dtype=np.int32).reshape(2, 4, 3), np.arange(24, dtype=np.int32).reshape(2, 4, 3).transpose(2, 0, 1)),
])
def test_to_tensor_ndarray(arr, expected):
    out = T.ToTensor()(arr)
    assert out.dtype.np == expected.dtype
    np.testing.assert_array_equal(value(out), expected)


def test_to_tensor_uses_default_dtype():
    prev = jtorch.get_default_dtype()
    jtorch.set_default_dtype(jtorch.float64)
    try:
        out = T.ToTensor()(pil(rgb()))
    finally:
        jtorch.set_default_dtype(prev)
    assert out.dtype == jtorch.float64
    np.testing.assert_array_equal(value(out), rgb().transpose(2, 0, 1) / 255.0)


@pytest.mark.parametrize("fn,arg,exc,msg", [
    (T.ToTensor(), [1, 2], TypeError, "pic should be PIL Image or ndarray. Got <class 'list'>"),
    (T.ToTensor(), np.zeros((1, 2, 3, 4), np.uint8), ValueError, "pic should be 2/3 dimensional. Got 4 dimensions."),
    (T.PILToTensor(), np.zeros((2, 2), np.uint8), TypeError, "pic should be PIL Image. Got <class 'numpy.ndarray'>"),
    (T.ToPILImage(), [1], TypeError, "pic should be Tensor or ndarray. Got <class 'list'>."),
    (T.ToPILImage(), np.zeros((1, 2, 3, 4), np.uint8), ValueError, "pic should be 2/3 dimensional. Got 4 dimensions."),
    (T.ToPILImage(), np.zeros((2, 2, 5), np.uint8), ValueError, "pic should not have > 4 channels. Got 5 channels."),
    (T.ToPILImage("RGB"), np.zeros((2, 2, 1), np.uint8), ValueError, "Incorrect mode (RGB) supplied for input type"),
    (T.ToPILImage("L"), np.zeros((2, 2, 3), np.uint8), ValueError,
     "Only modes ['RGB', 'YCbCr', 'HSV'] are supported for 3D inputs"),
    (T.ToPILImage(), np.zeros((2, 2, 3), np.int32), TypeError, "Input type int32 is not supported"),
    (T.Normalize(MEAN, STD), rgb(), TypeError, "img should be Tensor Image. Got <class 'numpy.ndarray'>"),
    (T.ConvertImageDtype(jtorch.float32), rgb(), TypeError, "Input img should be Tensor Image"),
    (T.RandomHorizontalFlip(1.0), rgb(), TypeError, "img should be PIL Image. Got <class 'numpy.ndarray'>"),
    (T.Grayscale(), rgb(), TypeError, "img should be PIL Image. Got <class 'numpy.ndarray'>"),
    (lambda x: F.erase(x, 0, 0, 1, 1, 0), pil(rgb()), TypeError,
     "img should be Tensor Image. Got <class 'PIL.Image.Image'>"),
])
def test_input_type_errors(fn, arg, exc, msg):
    with pytest.raises(exc, match=re.escape(msg)):
        fn(arg)


@pytest.mark.parametrize("data,mode,expected_mode", [
    (rgb(), None, "RGB"),
    (rgb()[..., :1], None, "L"),
    (rgb()[..., :2], None, "LA"),
    (np.concatenate([rgb(), rgb()[..., :1]], 2), None, "RGBA"),
    (rgb(), "YCbCr", "YCbCr"),
    (np.arange(48, dtype=np.int32).reshape(6, 8, 1), None, "I"),
    (np.arange(48, dtype=np.int16).reshape(6, 8, 1), None, "I;16"),
])
def test_to_pil_image_modes(data, mode, expected_mode):
    img = T.ToPILImage(mode)(data)
    assert img.mode == expected_mode and img.size == (8, 6)
    np.testing.assert_array_equal(np.asarray(img).reshape(data.shape).astype(data.dtype), data)


def test_to_pil_image_from_tensors():
    arr = rgb()
    assert np.array_equal(np.asarray(T.ToPILImage()(T.ToTensor()(pil(arr)))), arr)
    assert np.array_equal(np.asarray(T.ToPILImage()(T.PILToTensor()(pil(arr)))), arr)
    floats = host_tensor(np.array([[[0.5, 0.999], [0.0, 1.0]]], dtype=np.float32))
    img = T.ToPILImage()(floats)
    assert img.mode == "L" and np.asarray(img).tolist() == [[127, 254], [0, 255]]
    f_img = T.ToPILImage("F")(floats)
    assert f_img.mode == "F" and np.allclose(np.asarray(f_img), host_array(floats)[0])
    two_d = T.ToPILImage()(host_tensor(np.arange(6, dtype=np.uint8).reshape(2, 3)))
    assert two_d.mode == "L" and two_d.size == (3, 2)


# ---------------------------------------------------------------- normalize / dtype

def test_normalize_values_and_inplace():
    t = T.ToTensor()(pil(rgb()))
    expected = (value(t) - np.float32(MEAN)[:, None, None]) / np.float32(STD)[:, None, None]
    out = T.Normalize(MEAN, STD)(t)
    assert out is not t and out.dtype == jtorch.float32
    np.testing.assert_array_equal(value(out), expected)
    np.testing.assert_array_equal(value(t), chw(rgb()))
    same = T.Normalize(MEAN, STD, inplace=True)(t)
    assert same is t
    np.testing.assert_array_equal(value(t), expected)


def test_normalize_batched_and_scalar_and_tensor_params():
    batch = host_tensor(np.random.default_rng(0).random((2, 3, 4, 5)).astype(np.float64))
    out = F.normalize(batch, host_tensor(np.array([0.5, 0.4, 0.3])), [1.0, 2.0, 4.0])
    np.testing.assert_array_equal(value(out), (value(batch) - np.array([0.5, 0.4, 0.3])[:, None, None])
                                  / np.array([1.0, 2.0, 4.0])[:, None, None])
    assert out.dtype == jtorch.float64
    np.testing.assert_array_equal(value(F.normalize(batch, 0.5, 2.0)), (value(batch) - 0.5) / 2.0)


@pytest.mark.parametrize("tensor,mean,std,exc,msg", [
    (np.ones((3, 2, 2), np.float32), MEAN, (1.0, 0.0, 1.0), ValueError,
     "std evaluated to zero after conversion to torch.float32, leading to division by zero."),
    (np.ones((3, 2, 2), np.float32), MEAN, (1.0, 1e-50, 1.0), ValueError, "std evaluated to zero"),
    (np.ones((3, 2, 2), np.uint8), MEAN, STD, TypeError, "Input tensor should be a float tensor. Got torch.uint8."),
    (np.ones((2, 2), np.float32), MEAN, STD, ValueError,
     "Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = torch.Size([2, 2])"),
    (np.ones((3, 2, 2), np.float32), (0.5, 0.5), (1.0, 1.0), RuntimeError,
     "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0"),
])
def test_normalize_errors(tensor, mean, std, exc, msg):
    with pytest.raises(exc, match=re.escape(msg)):
        T.Normalize(mean, std)(host_tensor(tensor))


def test_normalize_broadcast_error_matches_torch():
    with pytest.raises(RuntimeError) as theirs:
        torch.ones(3, 2, 2).sub_(torch.tensor([0.5, 0.5]).view(-1, 1, 1))
    with pytest.raises(RuntimeError) as ours:
        F.normalize(host_tensor(np.ones((3, 2, 2), np.float32)), (0.5, 0.5), (1.0, 1.0))
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("src,dst,expected", [
    (np.array([[[0, 128, 255]]], np.uint8), jtorch.float32, np.array([[[0, 128, 255]]], np.float32) / np.float32(255)),
    (np.array([[[0.0, 0.5, 1.0]]], np.float32), jtorch.uint8, np.array([[[0, 127, 255]]], np.uint8)),
    (np.array([[[0, 1, 255]]], np.uint8), jtorch.int16, np.array([[[0, 128, 32640]]], np.int16)),
    (np.array([[[0, 255, 32767]]], np.int16), jtorch.uint8, np.array([[[0, 1, 255]]], np.uint8)),
    (np.array([[[0.25]]], np.float32), jtorch.float64, np.array([[[0.25]]], np.float64)),
])
def test_convert_image_dtype(src, dst, expected):
    out = T.ConvertImageDtype(dst)(host_tensor(src))
    assert out.dtype == dst
    np.testing.assert_array_equal(value(out), expected)


@pytest.mark.parametrize("src,dst", [(np.float32, jtorch.int32), (np.float32, jtorch.int64),
                                     (np.float64, jtorch.int64)])
def test_convert_image_dtype_unsafe(src, dst):
    with pytest.raises(RuntimeError, match=re.escape(f"The cast from {jtorch._dtype.from_np(np.dtype(src))} to {dst} "
                                                     "cannot be performed safely.")):
        F.convert_image_dtype(host_tensor(np.zeros((1, 2, 2), src)), dst)


# ---------------------------------------------------------------- geometry

def test_flips_pil_and_tensor():
    arr = rgb()
    for flip, axis in ((T.RandomHorizontalFlip(1.0), 1), (T.RandomVerticalFlip(1.0), 0)):
        np.testing.assert_array_equal(np.asarray(flip(pil(arr))), np.flip(arr, axis))
        t = T.ToTensor()(pil(arr))
        np.testing.assert_array_equal(value(flip(t)), np.flip(value(t), axis + 1))
        batch = host_tensor(np.stack([value(t)] * 2))
        np.testing.assert_array_equal(value(flip(batch)), np.flip(value(batch), axis + 2))
    img = pil(arr)
    assert T.RandomHorizontalFlip(0.0)(img) is img


@pytest.mark.parametrize("transform,draws", [
    (T.RandomHorizontalFlip(), 1), (T.RandomVerticalFlip(), 1), (T.RandomGrayscale(), 1),
    (T.RandomCrop((6, 8)), 0), (T.RandomCrop(4), 2), (T.RandomCrop(8, padding=1), 2),
    (T.RandomRotation(10), 1), (T.ColorJitter(0.2), 2), (T.ColorJitter(0.2, 0.2, 0.2, 0.1), 5),
    (T.ColorJitter(), 1), (T.RandomApply([T.RandomHorizontalFlip()], p=0.0), 1),
    (T.RandomApply([T.RandomHorizontalFlip()], p=1.0), 2), (T.RandomChoice([T.Grayscale(), T.Grayscale(3)]), 1),
    (T.RandomOrder([T.Grayscale(), T.Grayscale()]), 1), (T.GaussianBlur(3), 1),
    (T.RandomAffine(10, (0.1, 0.1), (0.9, 1.1), (1, 2, 3, 4)), 6), (T.RandomPerspective(p=0.0), 1),
    (T.RandomPerspective(p=1.0), 9), (T.Compose([T.CenterCrop(4), T.ToTensor(), T.Normalize(MEAN, STD)]), 0),
])
def test_draw_counts(transform, draws):
    img = pil(rgb(6, 8))
    assert draws_after(lambda: transform(img)) == nth_draw(draws)


@pytest.mark.parametrize("size,expected", [(4, (4, 4)), ((3, 5), (3, 5)), ([5], (5, 5)), ((6, 8), (6, 8))])
def test_random_crop_matches_slicing(size, expected):
    arr = rgb(6, 8)
    t = T.RandomCrop(size)
    out = seeded(lambda: t(pil(arr)))
    jtorch.manual_seed(0)
    i, j, h, w = t.get_params(pil(arr), t.size)
    assert (h, w) == expected
    np.testing.assert_array_equal(np.asarray(out), arr[i:i + h, j:j + w])
    out_t = seeded(lambda: t(T.PILToTensor()(pil(arr))))
    np.testing.assert_array_equal(value(out_t), arr[i:i + h, j:j + w].transpose(2, 0, 1))


@pytest.mark.parametrize("padding,fill,mode", [
    (2, 0, "constant"), ((1, 3), (10, 20, 30), "constant"), ([1, 2, 3, 4], 7, "constant"), (2, 0, "edge"),
    (2, 0, "reflect"), ((2, 1), 0, "symmetric"),
])
def test_pad_pil_and_tensor(padding, fill, mode):
    arr = rgb(6, 8)
    left, top, right, bottom = ((padding,) * 4 if isinstance(padding, int) else
                                (padding[0], padding[1]) * 2 if len(padding) == 2 else padding)
    widths = ((top, bottom), (left, right), (0, 0))
    if mode == "constant":
        fills = np.broadcast_to(np.asarray(fill, np.uint8), (3,))
        expected = np.stack([np.pad(arr[..., c], widths[:2], constant_values=fills[c]) for c in range(3)], -1)
    else:
        expected = np.pad(arr, widths, mode=mode)
    np.testing.assert_array_equal(np.asarray(T.Pad(padding, fill, mode)(pil(arr))), expected)
    if not isinstance(fill, tuple):
        out = T.Pad(padding, fill, mode)(T.PILToTensor()(pil(arr)))
        np.testing.assert_array_equal(value(out), expected.transpose(2, 0, 1))


@pytest.mark.parametrize("args,exc,msg", [
    (("x",), TypeError, "Got inappropriate padding arg"),
    ((1, "red"), TypeError, "Got inappropriate fill arg"),
    ((1, 0, "wrap"), ValueError, "Padding mode should be either constant, edge, reflect or symmetric"),
    (((1, 2, 3),), ValueError, "Padding must be an int or a 1, 2, or 4 element tuple, not a 3 element tuple"),
])
def test_pad_errors(args, exc, msg):
    with pytest.raises(exc, match=re.escape(msg)):
        T.Pad(*args)


def test_reflect_padding_limit_matches_torch():
    with pytest.raises(RuntimeError) as theirs:
        torch.nn.functional.pad(torch.zeros(1, 3, 2, 5), [1, 1, 4, 4], mode="reflect")
    with pytest.raises(RuntimeError) as ours:
        T.Pad((1, 4), padding_mode="reflect")(host_tensor(np.zeros((3, 2, 5), np.float32)))
    assert str(ours.value) == str(theirs.value)


def test_pad_fill_errors():
    with pytest.raises(ValueError, match=re.escape("The number of elements in 'fill' does not match the number of "
                                                   "channels of the image (2 != 3)")):
        F.pad(pil(rgb()), 1, fill=(1, 2))
    with pytest.raises(TypeError, match="Got inappropriate fill arg"):
        F.pad(T.ToTensor()(pil(rgb())), 1, fill=(1, 2, 3))


def test_random_crop_padding_and_pad_if_needed():
    arr = rgb(6, 8)
    t = T.RandomCrop((10, 12), pad_if_needed=True, fill=5)
    out = np.asarray(seeded(lambda: t(pil(arr))))
    assert out.shape == (10, 12, 3)
    padded = np.pad(arr, ((4, 4), (4, 4), (0, 0)), constant_values=5)
    jtorch.manual_seed(0)
    i, j, _, _ = T.RandomCrop.get_params(pil(padded), (10, 12))
    np.testing.assert_array_equal(out, padded[i:i + 10, j:j + 12])
    with pytest.raises(ValueError, match=re.escape("Required crop size (10, 12) is larger than input image size "
                                                   "(6, 8)")):
        T.RandomCrop((10, 12))(pil(arr))
    t2 = T.RandomCrop(8, padding=2, padding_mode="reflect")
    a = seeded(lambda: t2(T.ToTensor()(pil(arr))), seed=4)
    b = seeded(lambda: t2(pil(arr)), seed=4)
    np.testing.assert_array_equal(value(a), value(T.ToTensor()(b)))


@pytest.mark.parametrize("size,hw", [(4, (6, 8)), ((3, 5), (6, 8)), ((5, 4), (7, 9)), ((10, 12), (6, 8)),
                                     ((9, 8), (6, 8)), ((6, 8), (6, 8))])
def test_center_crop(size, hw):
    arr = rgb(*hw)
    th, tw = (size, size) if isinstance(size, int) else size
    h, w = hw
    pt, pl = max(th - h, 0) // 2, max(tw - w, 0) // 2
    padded = np.pad(arr, ((pt, max(th - h, 0) - pt), (pl, max(tw - w, 0) - pl), (0, 0)))
    top = int(round((padded.shape[0] - th) / 2.0))
    left = int(round((padded.shape[1] - tw) / 2.0))
    expected = padded[top:top + th, left:left + tw]
    np.testing.assert_array_equal(np.asarray(T.CenterCrop(size)(pil(arr))), expected)
    np.testing.assert_array_equal(value(T.CenterCrop(size)(T.PILToTensor()(pil(arr)))), expected.transpose(2, 0, 1))


def test_crop_outside_is_zero_padded_for_tensors():
    arr = np.arange(1, 13, dtype=np.uint8).reshape(1, 3, 4)
    out = value(F.crop(host_tensor(arr), -1, 2, 3, 4))
    expected = np.zeros((1, 3, 4), np.uint8)
    expected[0, 1:, :2] = arr[0, :2, 2:]
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("hw,size,max_size,expected", [
    ((6, 8), 4, None, (4, 5)), ((6, 8), [4], None, (4, 5)), ((6, 8), (3, 7), None, (3, 7)),
    ((6, 8), 12, None, (12, 16)), ((6, 12), 4, 6, (3, 6)), ((12, 6), 4, 7, (7, 3)), ((6, 8), 4, 5, (4, 5)),
])
def test_resize_pil(hw, size, max_size, expected):
    img = pil(rgb(*hw))
    out = T.Resize(size, max_size=max_size)(img)
    assert out.size == expected[::-1]
    np.testing.assert_array_equal(np.asarray(out), np.asarray(img.resize(expected[::-1], Image.BILINEAR)))


@pytest.mark.parametrize("interpolation,pil_filter", [
    (T.InterpolationMode.NEAREST, Image.NEAREST), (T.InterpolationMode.BICUBIC, Image.BICUBIC),
    (T.InterpolationMode.LANCZOS, Image.LANCZOS), (T.InterpolationMode.BOX, Image.BOX),
    (Image.HAMMING, Image.HAMMING), (3, Image.BICUBIC),
])
def test_resize_pil_interpolations(interpolation, pil_filter):
    img = pil(rgb(6, 8))
    np.testing.assert_array_equal(np.asarray(T.Resize((4, 3), interpolation)(img)),
                                  np.asarray(img.resize((3, 4), pil_filter)))


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact", "bilinear", "bicubic"])
@pytest.mark.parametrize("antialias", [True, False])
@pytest.mark.parametrize("size", [(3, 5), (13, 17), (4, 20)])
def test_resize_tensor_matches_torch_interpolate(mode, antialias, size):
    x = np.random.default_rng(1).random((2, 3, 7, 9)).astype(np.float32)
    out = F.resize(host_tensor(x), list(size), T.InterpolationMode(mode), antialias=antialias)
    aa = antialias and mode in ("bilinear", "bicubic")
    extra = {"align_corners": False} if mode in ("bilinear", "bicubic") else {}
    ref = torch.nn.functional.interpolate(torch.from_numpy(x), size=size, mode=mode, antialias=aa, **extra).numpy()
    np.testing.assert_allclose(value(out), ref, atol=2e-6)


def test_resize_tensor_uint8_rounds_like_torchvision():
    x = np.random.default_rng(2).integers(0, 256, (3, 7, 9), dtype=np.uint8)
    out = F.resize(host_tensor(x), [4, 5], T.InterpolationMode.BICUBIC)
    ref = torch.nn.functional.interpolate(torch.from_numpy(x[None].astype(np.float32)), size=(4, 5), mode="bicubic",
                                          align_corners=False, antialias=True)
    expected = ref.clamp(0, 255).round().to(torch.uint8).numpy()[0]
    assert out.dtype == jtorch.uint8
    assert np.abs(value(out).astype(int) - expected.astype(int)).max() <= 1


def test_resize_checks():
    img = pil(rgb(6, 8))
    assert T.Resize((6, 8))(img) is img
    with pytest.raises(TypeError, match=re.escape("Size should be int or sequence. Got <class 'float'>")):
        T.Resize(2.5)
    with pytest.raises(ValueError, match="If size is a sequence, it should have 1 or 2 values"):
        T.Resize((1, 2, 3))
    with pytest.raises(ValueError, match="max_size should only be passed if size specifies the length of the smaller"):
        T.Resize((4, 4), max_size=10)(img)
    with pytest.raises(ValueError, match=re.escape("max_size = 4 must be strictly greater than the requested size for "
                                                   "the smaller edge size = [4]")):
        T.Resize(4, max_size=4)(img)
    with pytest.raises(TypeError, match="Argument interpolation should be a InterpolationMode"):
        F.resize(img, 4, interpolation="bilinear")
    with pytest.warns(UserWarning, match="Anti-alias option is always applied for PIL Image input"):
        T.Resize(4, antialias=False)(img)
    with pytest.raises(NotImplementedError, match="lanczos"):
        T.Resize(4, T.InterpolationMode.LANCZOS)(T.ToTensor()(img))
    assert T.Resize(4, interpolation=0).interpolation is T.InterpolationMode.NEAREST


def test_random_resized_crop():
    arr = rgb(12, 16)
    t = T.RandomResizedCrop((5, 7), scale=(0.3, 0.9))
    out = seeded(lambda: t(pil(arr)), seed=5)
    jtorch.manual_seed(5)
    i, j, h, w = t.get_params(pil(arr), t.scale, t.ratio)
    assert 0 <= i <= 12 - h and 0 <= j <= 16 - w and 0.3 * 192 * 0.6 <= h * w <= 0.9 * 192 * 1.4
    expected = pil(arr).crop((j, i, j + w, i + h)).resize((7, 5), Image.BILINEAR)
    np.testing.assert_array_equal(np.asarray(out), np.asarray(expected))
    assert tuple(seeded(lambda: t(T.ToTensor()(pil(arr))), seed=5).shape) == (3, 5, 7)


@pytest.mark.parametrize("hw,ratio,expected", [
    ((12, 16), (3 / 4, 4 / 3), (0, 0, 12, 16)),
    ((10, 40), (1.0, 2.0), (0, 10, 10, 20)),
    ((40, 10), (1.0, 2.0), (15, 0, 10, 10)),
])
def test_random_resized_crop_fallback(hw, ratio, expected):
    img = pil(rgb(*hw))
    jtorch.manual_seed(0)
    assert T.RandomResizedCrop.get_params(img, (5.0, 6.0), ratio) == expected
    assert draws_after(lambda: T.RandomResizedCrop.get_params(img, (5.0, 6.0), ratio)) == nth_draw(20)


def test_random_resized_crop_warns():
    with pytest.warns(UserWarning, match="Scale and ratio should be of kind"):
        T.RandomResizedCrop(4, scale=(1.0, 0.5))
    with pytest.raises(TypeError, match="Scale should be a sequence"):
        T.RandomResizedCrop(4, scale=0.5)


def test_rotation_pil_matches_pillow():
    arr = rgb(9, 11)
    t = T.RandomRotation((-40, 40), interpolation=T.InterpolationMode.BILINEAR, expand=True, fill=(1, 2, 3))
    out = seeded(lambda: t(pil(arr)), seed=2)
    angle = seeded(lambda: t.get_params(t.degrees), seed=2)
    assert -40 <= angle <= 40
    np.testing.assert_array_equal(np.asarray(out), np.asarray(pil(arr).rotate(angle, Image.BILINEAR, True, None,
                                                                               fillcolor=(1, 2, 3))))


def test_rotation_center_and_default_fill():
    arr = rgb(9, 11)
    out = F.rotate(pil(arr), 33.0, center=(2, 3))
    np.testing.assert_array_equal(np.asarray(out), np.asarray(pil(arr).rotate(33.0, Image.NEAREST, False, (2, 3),
                                                                              fillcolor=(0, 0, 0))))
    t = T.PILToTensor()(pil(arr))
    shifted = value(F.rotate(t, 90, center=[0, 0]))
    assert shifted.shape == (3, 9, 11)


def test_rotate_tensor_right_angles():
    x = np.random.default_rng(3).random((3, 5, 5)).astype(np.float32)
    np.testing.assert_array_equal(value(F.rotate(host_tensor(x), 90)), np.rot90(x, 1, axes=(1, 2)))
    np.testing.assert_array_equal(value(F.rotate(host_tensor(x), 180.0)), x[:, ::-1, ::-1])
    rect = np.random.default_rng(4).random((2, 4, 6)).astype(np.float32)
    out = value(F.rotate(host_tensor(rect), -90, expand=True))
    np.testing.assert_array_equal(out, np.rot90(rect, -1, axes=(1, 2)))
    filled = value(F.rotate(host_tensor(np.ones((1, 4, 4), np.float32)), 45, fill=[0.25]))
    assert filled[0, 0, 0] == np.float32(0.25) and filled[0, 2, 2] == 1.0


def test_rotate_tensor_bilinear_is_torch_grid_sample():
    x = np.random.default_rng(5).random((1, 2, 6, 7)).astype(np.float32)
    angle = 30.0
    out = value(F.rotate(host_tensor(x), angle, T.InterpolationMode.BILINEAR))
    a = np.radians(angle)
    theta = torch.tensor([[[np.cos(a), -np.sin(a) * 6 / 7, 0.0], [np.sin(a) * 7 / 6, np.cos(a), 0.0]]],
                         dtype=torch.float64).float()
    grid = torch.nn.functional.affine_grid(theta, (1, 2, 6, 7), align_corners=False)
    ref = torch.nn.functional.grid_sample(torch.from_numpy(x), grid, mode="bilinear", align_corners=False).numpy()
    np.testing.assert_allclose(out, ref, atol=1e-5)


def test_affine_and_perspective_pil_match_pillow():
    arr = rgb(9, 11)
    img = pil(arr)
    out = F.affine(img, 15.0, [1, -2], 1.1, [5.0, 3.0], fill=9)
    matrix = F._get_inverse_affine_matrix([5.5, 4.5], 15.0, [1, -2], 1.1, [5.0, 3.0])
    assert np.array_equal(np.asarray(out), np.asarray(img.transform((11, 9), Image.AFFINE, matrix, Image.NEAREST,
                                                                     fillcolor=(9, 9, 9))))
    ident = F.affine(img, 0.0, [0, 0], 1.0, 0.0)
    np.testing.assert_array_equal(np.asarray(ident), arr)
    corners = [[0, 0], [10, 0], [10, 8], [0, 8]]
    np.testing.assert_array_equal(np.asarray(F.perspective(img, corners, corners, Image.NEAREST)), arr)
    t = T.PILToTensor()(img)
    np.testing.assert_array_equal(value(F.affine(t, 0.0, [0, 0], 1.0, 0.0)), arr.transpose(2, 0, 1))
    np.testing.assert_array_equal(value(F.perspective(t, corners, corners, Image.NEAREST)), arr.transpose(2, 0, 1))


@pytest.mark.parametrize("ctor,exc,msg", [
    (lambda: T.RandomRotation(-5), ValueError, "If degrees is a single number, it must be positive."),
    (lambda: T.RandomRotation((1, 2, 3)), ValueError, "degrees should be a sequence of length 2."),
    (lambda: T.RandomRotation(5, center=3), TypeError, "center should be a sequence of length 2."),
    (lambda: T.RandomRotation(5, fill={}), TypeError, "Fill should be either a sequence or a number."),
    (lambda: T.RandomAffine(5, translate=(0.5, 2)), ValueError, "translation values should be between 0 and 1"),
    (lambda: T.RandomAffine(5, scale=(0, 1)), ValueError, "scale values should be positive"),
    (lambda: T.RandomAffine(5, shear=(1, 2, 3)), ValueError, "shear should be a sequence of length 2 or 4."),
    (lambda: F.rotate(pil(rgb()), "9"), TypeError, "Argument angle should be int or float"),
])
def test_geometry_argument_errors(ctor, exc, msg):
    with pytest.raises(exc, match=re.escape(msg)):
        ctor()


def test_five_and_ten_crop():
    arr = rgb(6, 8)
    crops = T.FiveCrop((2, 3))(pil(arr))
    expected = [arr[:2, :3], arr[:2, 5:], arr[4:, :3], arr[4:, 5:], arr[2:4, 2:5]]
    for c, e in zip(crops, expected):
        np.testing.assert_array_equal(np.asarray(c), e)
    ten = T.TenCrop(2, vertical_flip=True)(T.PILToTensor()(pil(arr)))
    assert len(ten) == 10
    np.testing.assert_array_equal(value(ten[5]), arr[::-1][:2, :2].transpose(2, 0, 1))
    with pytest.raises(ValueError, match=re.escape("Requested crop size (7, 7) is bigger than input size (6, 8)")):
        T.FiveCrop(7)(pil(arr))


# ---------------------------------------------------------------- colour

def test_grayscale_pil_and_tensor():
    arr = rgb()
    np.testing.assert_array_equal(np.asarray(T.Grayscale()(pil(arr))), np.asarray(pil(arr).convert("L")))
    three = T.Grayscale(3)(pil(arr))
    assert three.mode == "RGB"
    np.testing.assert_array_equal(np.asarray(three)[..., 1], np.asarray(pil(arr).convert("L")))
    f = T.ToTensor()(pil(arr))
    x = value(f)
    expected = np.float32(0.2989) * x[0] + np.float32(0.587) * x[1] + np.float32(0.114) * x[2]
    np.testing.assert_array_equal(value(T.Grayscale()(f))[0], expected)
    u = value(T.Grayscale(3)(T.PILToTensor()(pil(arr))))
    xu = arr.astype(np.float32).transpose(2, 0, 1)
    expected_u = (np.float32(0.2989) * xu[0] + np.float32(0.587) * xu[1] + np.float32(0.114) * xu[2]).astype(np.uint8)
    assert u.shape == (3, 6, 8) and np.array_equal(u[2], expected_u)
    with pytest.raises(ValueError, match="num_output_channels should be either 1 or 3"):
        T.Grayscale(2)(pil(arr))
    with pytest.raises(TypeError, match=re.escape("Input image tensor permitted channel values are [1, 3], but "
                                                  "found 2")):
        T.Grayscale()(host_tensor(np.zeros((2, 3, 3), np.float32)))
    kept = np.asarray(T.RandomGrayscale(1.0)(pil(arr)))
    assert kept.shape == (6, 8, 3) and np.array_equal(kept[..., 0], np.asarray(pil(arr).convert("L")))
    assert T.RandomGrayscale(1.0)(pil(arr).convert("L")).mode == "L"


@pytest.mark.parametrize("name,factor,enhancer", [
    ("adjust_brightness", 1.7, ImageEnhance.Brightness), ("adjust_contrast", 0.4, ImageEnhance.Contrast),
    ("adjust_saturation", 1.9, ImageEnhance.Color), ("adjust_sharpness", 2.5, ImageEnhance.Sharpness),
])
def test_color_adjust_pil_is_image_enhance(name, factor, enhancer):
    img = pil(rgb())
    np.testing.assert_array_equal(np.asarray(getattr(F, name)(img, factor)),
                                  np.asarray(enhancer(img).enhance(factor)))


def _gray(x):
    return np.float32(0.2989) * x[0] + np.float32(0.587) * x[1] + np.float32(0.114) * x[2]


@pytest.mark.parametrize("name,factor,expected", [
    ("adjust_brightness", 1.7, lambda x, f: np.clip(f * x, 0, 1)),
    ("adjust_contrast", 0.4, lambda x, f: np.clip(f * x + (1 - f) * _gray(x).mean(), 0, 1)),
    ("adjust_saturation", 1.9, lambda x, f: np.clip(f * x + (1 - f) * _gray(x)[None], 0, 1)),
])
def test_color_adjust_tensor_formulas(name, factor, expected):
    x = chw(rgb())
    out = value(getattr(F, name)(host_tensor(x), factor))
    np.testing.assert_allclose(out, expected(x, np.float32(factor)), atol=1e-6)


@pytest.mark.parametrize("name,factor,expected", [
    ("adjust_brightness", 1.7, lambda x, g, f: f * x),
    ("adjust_contrast", 0.4, lambda x, g, f: f * x + (1 - f) * g.mean(dtype=np.float32)),
    ("adjust_saturation", 1.9, lambda x, g, f: f * x + (1 - f) * g[None]),
])
def test_color_adjust_uint8_tensor_truncates(name, factor, expected):
    x = rgb().transpose(2, 0, 1).astype(np.float32)
    gray = _gray(x).astype(np.uint8).astype(np.float32)
    out = value(getattr(F, name)(T.PILToTensor()(pil(rgb())), factor))
    ref = np.clip(expected(x, gray, np.float32(factor)), 0, 255).astype(np.uint8)
    assert out.dtype == np.uint8 and np.abs(out.astype(int) - ref.astype(int)).max() <= 1
    assert np.mean(out == ref) > 0.95


def test_adjust_hue_tensor_matches_colorsys():
    x = chw(rgb(4, 5))
    out = value(F.adjust_hue(host_tensor(x), 0.2))
    expected = np.empty_like(x)
    for i in range(4):
        for j in range(5):
            h, s, v = colorsys.rgb_to_hsv(*x[:, i, j])
            expected[:, i, j] = colorsys.hsv_to_rgb((h + 0.2) % 1.0, s, v)
    np.testing.assert_allclose(out, expected, atol=1e-5)
    one = host_tensor(np.ones((1, 2, 2), np.float32))
    assert value(F.adjust_hue(one, 0.3)).tolist() == value(one).tolist()


def test_adjust_hue_pil():
    img = pil(rgb())
    h, s, v = img.convert("HSV").split()
    shifted = (np.asarray(h).astype(np.int64) + int(0.1 * 255)) % 256
    expected = Image.merge("HSV", (Image.fromarray(shifted.astype(np.uint8)), s, v)).convert("RGB")
    np.testing.assert_array_equal(np.asarray(F.adjust_hue(img, 0.1)), np.asarray(expected))
    with pytest.raises(ValueError, match=re.escape("hue_factor (0.7) is not in [-0.5, 0.5].")):
        F.adjust_hue(img, 0.7)


def test_color_jitter_order_and_factors():
    img = pil(rgb())
    cj = T.ColorJitter(brightness=0.5, contrast=(0.2, 0.3), hue=0.1)
    out = seeded(lambda: cj(img), seed=11)
    order, b, c, s, h = seeded(lambda: cj.get_params(cj.brightness, cj.contrast, cj.saturation, cj.hue), seed=11)
    assert sorted(order.tolist()) == [0, 1, 2, 3] and s is None
    assert 0.5 <= b <= 1.5 and 0.2 <= c <= 0.3 and -0.1 <= h <= 0.1
    expected = img
    for k in order:
        expected = {0: lambda x: ImageEnhance.Brightness(x).enhance(b),
                    1: lambda x: ImageEnhance.Contrast(x).enhance(c),
                    2: lambda x: x, 3: lambda x: F.adjust_hue(x, h)}[int(k)](expected)
    np.testing.assert_array_equal(np.asarray(out), np.asarray(expected))


@pytest.mark.parametrize("kwargs,exc,msg", [
    ({"brightness": -1}, ValueError, "If brightness is a single number, it must be non negative."),
    ({"contrast": "x"}, TypeError, "contrast should be a single number or a list/tuple with length 2."),
    ({"saturation": (2, 1)}, ValueError, "saturation values should be between (0, inf), but got [2.0, 1.0]."),
    ({"hue": 0.6}, ValueError, "hue values should be between (-0.5, 0.5), but got [-0.6, 0.6]."),
    ({"hue": (-0.6, 0.1)}, ValueError, "hue values should be between (-0.5, 0.5), but got [-0.6, 0.1]."),
])
def test_color_jitter_checks(kwargs, exc, msg):
    with pytest.raises(exc, match=re.escape(msg)):
        T.ColorJitter(**kwargs)


def test_color_jitter_params():
    cj = T.ColorJitter(brightness=2.0, contrast=0, saturation=(1.0, 1.0), hue=0.25)
    assert cj.brightness == (0.0, 3.0) and cj.contrast is None and cj.saturation is None and cj.hue == (-0.25, 0.25)


@pytest.mark.parametrize("name,args,pil_fn", [
    ("invert", (), ImageOps.invert), ("posterize", (3,), lambda i: ImageOps.posterize(i, 3)),
    ("solarize", (100,), lambda i: ImageOps.solarize(i, 100)), ("autocontrast", (), ImageOps.autocontrast),
    ("equalize", (), ImageOps.equalize),
])
def test_pil_ops(name, args, pil_fn):
    img = pil(rgb())
    np.testing.assert_array_equal(np.asarray(getattr(F, name)(img, *args)), np.asarray(pil_fn(img)))


def test_tensor_ops():
    arr = rgb()
    u = T.PILToTensor()(pil(arr))
    x = arr.transpose(2, 0, 1)
    np.testing.assert_array_equal(value(F.invert(u)), 255 - x)
    np.testing.assert_array_equal(value(F.posterize(u, 3)), x & 0b11100000)
    np.testing.assert_array_equal(value(F.solarize(u, 100)), np.where(x >= 100, 255 - x, x))
    lo = x.min(axis=(1, 2), keepdims=True).astype(np.float32)
    hi = x.max(axis=(1, 2), keepdims=True).astype(np.float32)
    stretched = np.clip((x - lo) * (255 / (hi - lo)), 0, 255).astype(np.uint8)
    np.testing.assert_array_equal(value(F.autocontrast(u)), stretched)
    np.testing.assert_array_equal(value(F.equalize(u)), np.asarray(ImageOps.equalize(pil(arr))).transpose(2, 0, 1))
    gamma = value(F.adjust_gamma(host_tensor(chw(arr)), 2.0, 0.5))
    np.testing.assert_allclose(gamma, np.clip(0.5 * chw(arr) ** 2, 0, 1), atol=1e-7)
    with pytest.raises(ValueError, match="The number if bits should be between 0 and 8. Got 9"):
        F.posterize(u, 9)


def test_gaussian_blur():
    arr = rgb(7, 9)
    x = chw(arr)
    out = value(F.gaussian_blur(host_tensor(x), [3, 5], [0.8, 1.3]))

    def kernel(k, s):
        g = np.exp(-0.5 * (np.linspace(-(k - 1) / 2, (k - 1) / 2, k) / s) ** 2)
        return g / g.sum()
    k2 = np.outer(kernel(5, 1.3), kernel(3, 0.8))
    padded = np.pad(x, ((0, 0), (2, 2), (1, 1)), mode="reflect")
    expected = np.zeros_like(x)
    for a in range(5):
        for b in range(3):
            expected += k2[a, b] * padded[:, a:a + 7, b:b + 9]
    np.testing.assert_allclose(out, expected, atol=1e-6)
    blurred_pil = F.gaussian_blur(pil(arr), 3, 1.0)
    assert blurred_pil.mode == "RGB" and blurred_pil.size == (9, 7)
    with pytest.raises(ValueError, match="Kernel size value should be an odd and positive number."):
        T.GaussianBlur(4)
    with pytest.raises(ValueError, match="sigma values should be positive and of the form"):
        T.GaussianBlur(3, (2.0, 1.0))
    with pytest.raises(ValueError, match=re.escape("kernel_size should have odd and positive integers. Got [2, 2]")):
        F.gaussian_blur(pil(arr), 2)


# ---------------------------------------------------------------- erasing

def test_random_erasing():
    t = T.ToTensor()(pil(rgb(10, 12)))
    er = T.RandomErasing(p=1.0, value=(0.1, 0.2, 0.3))
    out = seeded(lambda: er(t), seed=8)
    i, j, h, w, v = seeded(lambda: (hr.random(), er.get_params(t, er.scale, er.ratio, [0.1, 0.2, 0.3]))[1], seed=8)
    expected = value(t).copy()
    expected[:, i:i + h, j:j + w] = np.float32([0.1, 0.2, 0.3])[:, None, None]
    np.testing.assert_array_equal(value(out), expected)
    assert value(t).max() <= 1.0 and out is not t
    noisy = seeded(lambda: T.RandomErasing(p=1.0, value="random")(t), seed=9)
    i, j, h, w, v = seeded(lambda: (hr.random(), er.get_params(t, er.scale, er.ratio, None))[1], seed=9)
    assert tuple(v.shape) == (3, h, w)
    np.testing.assert_array_equal(value(noisy)[:, i:i + h, j:j + w], value(v))
    inplace = T.RandomErasing(p=1.0, value=0, inplace=True)
    before = value(t).copy()
    assert inplace(t) is t and not np.array_equal(value(t), before)


@pytest.mark.parametrize("kwargs,exc,msg", [
    ({"value": object()}, TypeError, "Argument value should be either a number or str or a sequence"),
    ({"value": "noise"}, ValueError, "If value is str, it should be 'random'"),
    ({"scale": 0.5}, TypeError, "Scale should be a sequence"),
    ({"ratio": 0.5}, TypeError, "Ratio should be a sequence"),
    ({"scale": (0.5, 1.5)}, ValueError, "Scale should be between 0 and 1"),
    ({"p": 1.5}, ValueError, "Random erasing probability should be between 0 and 1"),
])
def test_random_erasing_checks(kwargs, exc, msg):
    with pytest.raises(exc, match=re.escape(msg)):
        T.RandomErasing(**kwargs)


def test_random_erasing_value_length():
    with pytest.raises(ValueError, match="If value is a sequence, it should have either a single value or 3"):
        T.RandomErasing(p=1.0, value=(1, 2))(T.ToTensor()(pil(rgb())))


def test_random_erasing_gives_up_on_too_large_boxes():
    t = T.ToTensor()(pil(rgb(4, 4)))
    jtorch.manual_seed(0)
    assert T.RandomErasing.get_params(t, (1.0, 1.0), (1.0, 1.0), [0.0])[:4] == (0, 0, 4, 4)


# ---------------------------------------------------------------- containers

def test_containers():
    img = pil(rgb())
    assert T.Compose([T.CenterCrop(4), T.Lambda(lambda x: x.size)])(img) == (4, 4)
    assert T.RandomApply([T.Grayscale()], p=1.0)(img).mode == "L"
    assert T.RandomApply([T.Grayscale()], p=0.0)(img) is img
    picks = {seeded(lambda: T.RandomChoice([T.Grayscale(), T.Lambda(lambda x: "b")])(img), seed=s) == "b"
             for s in range(20)}
    assert picks == {True, False}
    assert all(seeded(lambda: T.RandomChoice([T.Lambda(lambda x: "a"), T.Lambda(lambda x: "b")], p=[0.0, 1.0])(img),
                      seed=s) == "b" for s in range(10))
    orders = {seeded(lambda: T.RandomOrder([T.Lambda(lambda x: x + "a"), T.Lambda(lambda x: x + "b")])(""), seed=s)
              for s in range(20)}
    assert orders == {"ab", "ba"}
    with pytest.raises(TypeError, match="Argument lambd should be callable, got 'int'"):
        T.Lambda(3)
    with pytest.raises(TypeError, match="Argument transforms should be a sequence"):
        T.RandomOrder(T.Grayscale())
    with pytest.raises(TypeError, match="Argument p should be a sequence"):
        T.RandomChoice([T.Grayscale()], p=0.5)


REPRS = [
    (T.Compose([T.ToTensor(), T.Normalize(MEAN, STD)]),
     "Compose(\n    ToTensor()\n    Normalize(mean=(0.4914, 0.4822, 0.4465), std=(0.247, 0.243, 0.261))\n)"),
    (T.ToTensor(), "ToTensor()"), (T.PILToTensor(), "PILToTensor()"), (T.ToPILImage(), "ToPILImage()"),
    (T.ToPILImage("RGB"), "ToPILImage(mode=RGB)"), (T.ConvertImageDtype(jtorch.float32), "ConvertImageDtype()"),
    (T.Resize(32), "Resize(size=32, interpolation=bilinear, max_size=None, antialias=True)"),
    (T.Resize((3, 4), T.InterpolationMode.NEAREST, antialias=False),
     "Resize(size=(3, 4), interpolation=nearest, max_size=None, antialias=False)"),
    (T.CenterCrop(10), "CenterCrop(size=(10, 10))"), (T.CenterCrop([4, 5]), "CenterCrop(size=[4, 5])"),
    (T.Pad(4), "Pad(padding=4, fill=0, padding_mode=constant)"), (T.Lambda(abs), "Lambda()"),
    (T.RandomApply([T.Grayscale()]), "RandomApply(\n    p=0.5\n    Grayscale(num_output_channels=1)\n)"),
    (T.RandomChoice([T.Grayscale()]), "RandomChoice(\n    Grayscale(num_output_channels=1)\n)(p=None)"),
    (T.RandomOrder([T.Grayscale()]), "RandomOrder(\n    Grayscale(num_output_channels=1)\n)"),
    (T.RandomCrop(32, padding=4), "RandomCrop(size=(32, 32), padding=4)"),
    (T.RandomHorizontalFlip(), "RandomHorizontalFlip(p=0.5)"), (T.RandomVerticalFlip(0.3), "RandomVerticalFlip(p=0.3)"),
    (T.RandomResizedCrop(224),
     "RandomResizedCrop(size=(224, 224), scale=(0.08, 1.0), ratio=(0.75, 1.3333), interpolation=bilinear, "
     "antialias=True)"),
    (T.ColorJitter(0.4, 0.4), "ColorJitter(brightness=(0.6, 1.4), contrast=(0.6, 1.4), saturation=None, hue=None)"),
    (T.RandomRotation(30), "RandomRotation(degrees=[-30.0, 30.0], interpolation=nearest, expand=False, fill=0)"),
    (T.RandomRotation((0, 90), center=(1, 2)),
     "RandomRotation(degrees=[0.0, 90.0], interpolation=nearest, expand=False, center=(1, 2), fill=0)"),
    (T.RandomAffine(10, translate=(0.1, 0.2)), "RandomAffine(degrees=[-10.0, 10.0], translate=(0.1, 0.2))"),
    (T.Grayscale(3), "Grayscale(num_output_channels=3)"), (T.RandomGrayscale(), "RandomGrayscale(p=0.1)"),
    (T.RandomErasing(), "RandomErasing(p=0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0, inplace=False)"),
    (T.GaussianBlur(3), "GaussianBlur(kernel_size=(3, 3), sigma=(0.1, 2.0))"),
    (T.RandomPosterize(2), "RandomPosterize(bits=2,p=0.5)"), (T.RandomInvert(), "RandomInvert(p=0.5)"),
    (T.FiveCrop(3), "FiveCrop(size=(3, 3))"), (T.RandomPerspective(), "RandomPerspective(p=0.5)"),
]


@pytest.mark.parametrize("transform,expected", REPRS, ids=[r[1].split("(")[0] + str(i) for i, r in enumerate(REPRS)])
def test_repr(transform, expected):
    assert repr(transform) == expected


def test_interpolation_mode():
    assert T.InterpolationMode.BILINEAR.value == "bilinear"
    assert T.InterpolationMode("nearest-exact") is T.InterpolationMode.NEAREST_EXACT
    assert F.pil_modes_mapping[T.InterpolationMode.LANCZOS] == Image.LANCZOS


def test_linear_transformation():
    x = np.random.default_rng(0).random((3, 2, 2)).astype(np.float32)
    m = np.random.default_rng(1).random((12, 12)).astype(np.float32)
    mean = np.random.default_rng(2).random(12).astype(np.float32)
    t = T.LinearTransformation(host_tensor(m), host_tensor(mean))
    np.testing.assert_allclose(value(t(host_tensor(x))), ((x.reshape(1, 12) - mean) @ m).reshape(3, 2, 2), rtol=1e-6)
    with pytest.raises(ValueError, match="transformation_matrix should be square"):
        T.LinearTransformation(host_tensor(m[:3]), host_tensor(mean))


# ---------------------------------------------------------------- randomness

AUGMENT = T.Compose([T.RandomResizedCrop(6, scale=(0.5, 1.0)), T.RandomHorizontalFlip(),
                     T.ColorJitter(0.3, 0.3, 0.3, 0.1), T.RandomRotation(15), T.RandomGrayscale(0.3), T.ToTensor(),
                     T.RandomErasing(0.5, value="random")])


def test_reproducible_under_manual_seed():
    img = pil(rgb(12, 14))
    a = [value(seeded(lambda: AUGMENT(img), seed=s)) for s in range(4)]
    b = [value(seeded(lambda: AUGMENT(img), seed=s)) for s in range(4)]
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert len({x.tobytes() for x in a}) == 4


def test_per_sample_streams_are_independent_of_global_state():
    img = pil(rgb(12, 14))
    outs = []
    for seed in (0, 1):
        jtorch.manual_seed(seed)
        with hr.use(hr.Stream(5, 17)):
            outs.append(value(AUGMENT(img)))
    np.testing.assert_array_equal(outs[0], outs[1])


def test_flip_probability():
    img = T.PILToTensor()(pil(rgb()))
    jtorch.manual_seed(0)
    flips = sum(not np.array_equal(value(T.RandomHorizontalFlip(0.3)(img)), value(img)) for _ in range(400))
    assert 80 <= flips <= 160


# ---------------------------------------------------------------- batched fast path

BATCHABLE = [
    T.Compose([T.ToTensor(), T.Normalize(MEAN, STD), T.RandomHorizontalFlip()]),
    T.Compose([T.ToTensor()]),
    T.ToTensor(),
    T.Compose([T.RandomCrop(6, padding=2), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize(MEAN, STD)]),
    T.Compose([T.RandomCrop((5, 7), padding=(1, 2), fill=(9, 8, 7)), T.RandomVerticalFlip(0.7), T.PILToTensor()]),
    T.Compose([T.RandomCrop(8, padding=3, padding_mode="reflect"), T.ToTensor()]),
    T.Compose([T.RandomCrop(9, pad_if_needed=True, fill=4, padding_mode="constant"), T.PILToTensor()]),
    T.Compose([T.ToTensor(), T.RandomCrop(6, padding=1, fill=0.5), T.Normalize(MEAN, STD), T.RandomHorizontalFlip()]),
    T.Compose([T.PILToTensor(), T.RandomCrop(7, padding=2, padding_mode="symmetric"),
               T.ConvertImageDtype(jtorch.float32), T.Normalize(0.5, 0.25)]),
    T.Compose([T.CenterCrop(5), T.ToTensor(), T.CenterCrop(12), T.RandomVerticalFlip()]),
    T.Compose([T.ToTensor(), T.Normalize((0.1307,), (0.3081,))]),
    T.Compose([T.Compose([T.RandomHorizontalFlip(), T.RandomCrop(4)]), T.ToTensor(),
               T.ConvertImageDtype(jtorch.uint8), T.ConvertImageDtype(jtorch.float64)]),
    T.Compose([T.RandomHorizontalFlip(), T.PILToTensor(), T.ConvertImageDtype(jtorch.int16), T.RandomVerticalFlip()]),
]


def _per_sample(transform, images, seed, positions, mode):
    outs = []
    for k, pos in enumerate(positions):
        with hr.use(hr.Stream(seed, int(pos))):
            outs.append(host_array(transform(Image.fromarray(images[k], mode))))
    return np.stack(outs)


@pytest.mark.parametrize("transform", BATCHABLE, ids=[f"chain{i}" for i in range(len(BATCHABLE))])
@pytest.mark.parametrize("layout", ["rgb", "rgb_chw_view", "gray"])
def test_batched_equals_per_sample(transform, layout):
    rng = np.random.default_rng(len(repr(transform)))
    if layout == "gray":
        if any(isinstance(s, T.Normalize) and s.mean == MEAN for s in T._batched._steps(transform)):
            pytest.skip("3-channel normalisation")
        images, mode = rng.integers(0, 256, (13, 8, 8), dtype=np.uint8), "L"
    elif layout == "rgb_chw_view":
        images, mode = rng.integers(0, 256, (13, 3, 8, 8), dtype=np.uint8).transpose(0, 2, 3, 1), "RGB"
    else:
        images, mode = rng.integers(0, 256, (13, 8, 8, 3), dtype=np.uint8), "RGB"
    assert T.supports_batch(transform)
    for seed, positions in ((3, np.arange(13)), (99, rng.permutation(1000)[:13]), (7, np.arange(4) * 5)):
        batch = images[:len(positions)]
        try:
            expected = _per_sample(transform, batch, seed, positions, mode)
        except ValueError as e:
            with pytest.raises(ValueError, match=re.escape(str(e))):
                T.apply_batch(transform, batch, hr.Stream(seed, np.asarray(positions)))
            continue
        out = T.apply_batch(transform, batch, hr.Stream(seed, np.asarray(positions)))
        assert out.dtype == expected.dtype and out.flags.c_contiguous
        np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("transform", [
    T.Compose([T.RandomHorizontalFlip()]),
    T.Compose([T.Normalize(MEAN, STD), T.ToTensor()]),
    T.Compose([T.ToTensor(), T.Lambda(lambda x: x)]),
    T.Compose([T.ToTensor(), T.ToTensor()]),
    T.Compose([T.PILToTensor(), T.Normalize(MEAN, STD)]),
    T.Compose([T.ToTensor(), T.ConvertImageDtype(jtorch.int64)]),
    T.Compose([T.RandomCrop(4, padding=-1), T.ToTensor()]),
    T.Compose([T.RandomCrop(4, padding=1, fill=300), T.ToTensor()]),
    T.Compose([T.ToTensor(), T.RandomCrop(4, padding=1, fill=(1, 2, 3))]),
    T.Compose([T.ColorJitter(0.1), T.ToTensor()]),
    T.Compose([type("MyFlip", (T.RandomHorizontalFlip,), {})(), T.ToTensor()]),
    T.Lambda(lambda x: x),
])
def test_supports_batch_false(transform):
    assert not T.supports_batch(transform)


def test_apply_batch_errors_like_per_sample():
    images = np.zeros((2, 4, 4, 3), np.uint8)
    with pytest.raises(ValueError, match=re.escape("Required crop size (5, 5) is larger than input image size (4, 4)")):
        T.apply_batch(T.Compose([T.RandomCrop(5), T.ToTensor()]), images, hr.Stream(0, np.arange(2)))
    with pytest.raises(ValueError, match="std evaluated to zero"):
        T.apply_batch(T.Compose([T.ToTensor(), T.Normalize(MEAN, (1, 0, 1))]), images, hr.Stream(0, np.arange(2)))
    with pytest.raises(ValueError, match="apply_batch expects a uint8 batch"):
        T.apply_batch(T.ToTensor(), images.astype(np.float32), hr.Stream(0, np.arange(2)))


def test_apply_batch_does_not_modify_input():
    images = np.random.default_rng(0).integers(0, 256, (6, 8, 8, 3), dtype=np.uint8)
    before = images.copy()
    T.apply_batch(BATCHABLE[0], images, hr.Stream(1, np.arange(6)))
    T.apply_batch(BATCHABLE[3], images, hr.Stream(1, np.arange(6)))
    np.testing.assert_array_equal(images, before)


# ---------------------------------------------------------------- no JAX in workers

def test_transforms_run_in_a_worker_without_jax():
    code = textwrap.dedent("""
        import numpy as np
        from PIL import Image
        from jtorch._host_tensor import enter_worker, host_array
        enter_worker()
        import jtorch
        import jtorch.vision.transforms as T
        from jtorch.vision import utils
        from jtorch import _host_random as hr
        img = Image.fromarray(np.random.default_rng(0).integers(0, 256, (16, 16, 3), dtype=np.uint8))
        chain = T.Compose([T.RandomResizedCrop(12), T.RandomHorizontalFlip(), T.ColorJitter(0.2, 0.2, 0.2, 0.1),
                           T.RandomRotation(10), T.RandomAffine(5, shear=3), T.GaussianBlur(3), T.ToTensor(),
                           T.Resize(10), T.RandomErasing(1.0), T.Normalize(0.5, 0.5, inplace=True),
                           T.RandomRotation(10), T.ColorJitter(0.2, 0.2, 0.2, 0.1),
                           T.ConvertImageDtype(jtorch.float64)])
        with hr.use(hr.Stream(1, 2)):
            out = chain(img)
        grid = utils.make_grid([out, out], normalize=True)
        batch = T.apply_batch(T.Compose([T.RandomCrop(14, padding=2), T.ToTensor()]), np.asarray(img)[None],
                              hr.Stream(1, np.arange(1)))
        print(tuple(out.shape), host_array(grid).shape, batch.shape)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "(3, 10, 10) (3, 14, 26) (1, 3, 14, 14)"
