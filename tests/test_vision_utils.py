"""jtorch.vision.utils: make_grid's layout (torchvision's: ``nrow`` images per row, ``padding``
pixels of ``pad_value`` before every row and column and after the last), its normalisation options
and errors; save_image round trips read back with Pillow."""
import io
import re

import numpy as np
import pytest
from PIL import Image

import jtorch
from jtorch._host_tensor import host_array, host_tensor
from jtorch.vision import utils


def images(n, c=3, h=4, w=5, seed=0, dtype=np.float32):
    return np.random.default_rng(seed).random((n, c, h, w)).astype(dtype)


def expected_grid(batch, nrow, padding, pad_value):
    n, c, h, w = batch.shape
    cols = min(nrow, n)
    rows = -(-n // cols)
    grid = np.full((c, rows * (h + padding) + padding, cols * (w + padding) + padding), pad_value, batch.dtype)
    for k in range(n):
        y, x = divmod(k, cols)
        top, left = padding + y * (h + padding), padding + x * (w + padding)
        grid[:, top:top + h, left:left + w] = batch[k]
    return grid


@pytest.mark.parametrize("n,nrow,padding,pad_value", [
    (5, 2, 1, 0.0), (5, 8, 2, 0.5), (8, 8, 2, 0.0), (9, 3, 0, 1.0), (3, 1, 4, 0.25), (2, 5, 2, 0.0),
])
def test_make_grid_layout(n, nrow, padding, pad_value):
    batch = images(n)
    grid = utils.make_grid(host_tensor(batch), nrow=nrow, padding=padding, pad_value=pad_value)
    assert isinstance(grid, jtorch.Tensor) and grid.dtype == jtorch.float32
    np.testing.assert_array_equal(host_array(grid), expected_grid(batch, nrow, padding, pad_value))


def test_make_grid_shapes_and_channels():
    one = images(1)
    np.testing.assert_array_equal(host_array(utils.make_grid(host_tensor(one))), one[0])
    np.testing.assert_array_equal(host_array(utils.make_grid(host_tensor(one[0]))), one[0])
    gray = images(4, c=1)
    out = host_array(utils.make_grid(host_tensor(gray), nrow=2))
    np.testing.assert_array_equal(out, expected_grid(np.repeat(gray, 3, axis=1), 2, 2, 0.0))
    single_gray = host_array(utils.make_grid(host_tensor(gray[0])))
    np.testing.assert_array_equal(single_gray, np.repeat(gray[0], 3, axis=0))
    plane = host_array(utils.make_grid(host_tensor(gray[0, 0])))
    np.testing.assert_array_equal(plane, np.repeat(gray[0, 0][None], 3, axis=0))
    listed = host_array(utils.make_grid([host_tensor(x) for x in images(3)], nrow=2, padding=1))
    np.testing.assert_array_equal(listed, expected_grid(images(3), 2, 1, 0.0))
    u8 = images(3, dtype=np.float32)
    u8 = (u8 * 255).astype(np.uint8)
    grid = utils.make_grid(host_tensor(u8), pad_value=255)
    assert grid.dtype == jtorch.uint8
    np.testing.assert_array_equal(host_array(grid), expected_grid(u8, 8, 2, 255))


def test_make_grid_normalize():
    batch = images(4) * 10 - 3
    out = host_array(utils.make_grid(host_tensor(batch), normalize=True, padding=0))
    lo, hi = batch.min(), batch.max()
    np.testing.assert_allclose(out, expected_grid((batch - lo) / (hi - lo), 8, 0, 0.0), rtol=1e-6)
    ranged = host_array(utils.make_grid(host_tensor(batch), normalize=True, value_range=(0.0, 5.0), padding=0))
    np.testing.assert_allclose(ranged, expected_grid(np.clip(batch, 0, 5) / 5, 8, 0, 0.0), rtol=1e-6)
    each = host_array(utils.make_grid(host_tensor(batch), normalize=True, scale_each=True, padding=0))
    per = np.stack([(b - b.min()) / (b.max() - b.min()) for b in batch])
    np.testing.assert_allclose(each, expected_grid(per, 8, 0, 0.0), rtol=1e-6)
    constant = host_array(utils.make_grid(host_tensor(np.full((2, 3, 2, 2), 4.0, np.float32)), normalize=True))
    assert np.all(constant[:, 2:4, 2:4] == 0.0)
    np.testing.assert_array_equal(host_array(host_tensor(batch)), batch)


@pytest.mark.parametrize("arg,kwargs,exc,msg", [
    (np.zeros((2, 3, 4, 4)), {}, TypeError, "tensor or list of tensors expected, got <class 'numpy.ndarray'>"),
    ([np.zeros((3, 4, 4))], {}, TypeError, "tensor or list of tensors expected, got a list containing "
                                           "<class 'numpy.ndarray'>"),
    (host_tensor(np.zeros((2, 3, 4, 4), np.float32)), {"normalize": True, "value_range": [0, 1]}, TypeError,
     "value_range has to be a tuple (min, max) if specified. min and max are numbers"),
    ([host_tensor(np.zeros((3, 4, 4), np.float32)), host_tensor(np.zeros((3, 5, 4), np.float32))], {}, RuntimeError,
     "stack expects each tensor to be equal size, but got [3, 4, 4] at entry 0 and [3, 5, 4] at entry 1"),
])
def test_make_grid_errors(arg, kwargs, exc, msg):
    with pytest.raises(exc, match=re.escape(msg)):
        utils.make_grid(arg, **kwargs)


def _scaled(grid):
    return np.clip(grid * np.float32(255) + np.float32(0.5), 0, 255).astype(np.uint8).transpose(1, 2, 0)


@pytest.mark.parametrize("suffix", [".png", ".bmp", ".tiff"])
def test_save_image_round_trip(tmp_path, suffix):
    batch = images(5)
    path = tmp_path / f"grid{suffix}"
    utils.save_image(host_tensor(batch), path, nrow=3, padding=1)
    with Image.open(path) as img:
        assert img.mode == "RGB"
        np.testing.assert_array_equal(np.asarray(img), _scaled(expected_grid(batch, 3, 1, 0.0)))


def test_save_image_single_and_file_object(tmp_path):
    one = images(1, h=6, w=7)[0]
    buf = io.BytesIO()
    utils.save_image(host_tensor(one), buf, format="PNG")
    buf.seek(0)
    with Image.open(buf) as img:
        assert img.format == "PNG" and img.size == (7, 6)
        np.testing.assert_array_equal(np.asarray(img), _scaled(one))
    gray = images(1, c=1)[0]
    path = str(tmp_path / "gray.png")
    utils.save_image(host_tensor(gray), path)
    with Image.open(path) as img:
        np.testing.assert_array_equal(np.asarray(img), _scaled(np.repeat(gray, 3, axis=0)))
    outside = host_tensor(np.array([[[-1.0, 0.5, 2.0]]] * 3, np.float32))
    utils.save_image(outside, path)
    with Image.open(path) as img:
        assert np.asarray(img)[0, :, 0].tolist() == [0, 128, 255]


def test_save_image_errors(tmp_path):
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Byte"):
        utils.save_image(host_tensor(np.zeros((3, 2, 2), np.uint8)), tmp_path / "x.png")
    with pytest.raises(ValueError, match="unknown file extension"):
        utils.save_image(host_tensor(np.zeros((3, 2, 2), np.float32)), tmp_path / "x.unknownext")
