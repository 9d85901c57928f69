"""Resampling: ``interpolate``/``upsample*`` (nearest, nearest-exact, linear, bilinear, bicubic,
trilinear, area), ``grid_sample``, ``affine_grid``, ``pixel_shuffle``/``pixel_unshuffle`` and
``channel_shuffle``.

Source indices and interpolation weights are computed on the host from the static sizes with
ATen's formulas and precision (nearest uses float32 index math like ATen; linear and cubic
weights use the input's accumulation type), so outputs pick the same pixels as PyTorch.
"""
import math
import warnings

import jax.numpy as jnp
import numpy as np

from ..._ops.dispatch import Op
from ._util import check_tensor, size_str

__all__ = ["interpolate", "upsample", "upsample_nearest", "upsample_bilinear", "grid_sample", "affine_grid",
           "pixel_shuffle", "pixel_unshuffle", "channel_shuffle", "native_channel_shuffle"]

_CUBIC_A = -0.75


# ---- index math (host, numpy) ----
def _scale_value(scale, in_size, out_size, dtype):
    """ATen's ``compute_scales_value``: ``1 / scale`` when given, else ``in / out``."""
    if scale is not None and scale > 0:
        return dtype(1.0 / scale)
    return dtype(in_size) / dtype(out_size)


def _area_scale(in_size, out_size, align_corners, scale, dtype):
    if align_corners:
        return dtype(in_size - 1) / dtype(out_size - 1) if out_size > 1 else dtype(0)
    return _scale_value(scale, in_size, out_size, dtype)


def _source_index(scale, out_size, align_corners, cubic, dtype):
    i = np.arange(out_size).astype(dtype)
    if align_corners:
        return scale * i
    src = scale * (i + dtype(0.5)) - dtype(0.5)
    return src if cubic else np.maximum(src, dtype(0))


def _nearest_indices(in_size, out_size, scale, exact):
    i = np.arange(out_size)
    if not exact and out_size == in_size:
        return i
    if not exact and out_size == 2 * in_size:
        return i >> 1
    s = _scale_value(scale, in_size, out_size, np.float32)
    if exact:
        src = np.floor(((i + 0.5) * np.float64(s)).astype(np.float32))
    else:
        src = np.floor(i.astype(np.float32) * s)
    return np.minimum(src.astype(np.int64), in_size - 1)


def _linear_taps(in_size, out_size, align_corners, scale, dtype):
    """(indices (2, out), weights (2, out)) of ATen's ``compute_source_index_and_lambda``."""
    if out_size == in_size:
        i = np.arange(out_size)
        return np.stack([i, i]), np.stack([np.ones(out_size, dtype), np.zeros(out_size, dtype)])
    ratio = _area_scale(in_size, out_size, align_corners, scale, dtype)
    real = _source_index(ratio, out_size, align_corners, False, dtype)
    i0 = np.minimum(np.floor(real).astype(np.int64), in_size - 1)
    l1 = np.clip(real - i0.astype(dtype), 0, 1).astype(dtype)
    i1 = i0 + (i0 < in_size - 1)
    return np.stack([i0, i1]), np.stack([(dtype(1) - l1).astype(dtype), l1])


def _cubic_coefficients(t, dtype):
    a = dtype(_CUBIC_A)

    def conv1(x):
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def conv2(x):
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    one = dtype(1)
    return [conv2(t + one), conv1(t), conv1(one - t), conv2(one - t + one)]


def _cubic_taps(in_size, out_size, align_corners, scale, dtype):
    ratio = _area_scale(in_size, out_size, align_corners, scale, dtype)
    real = _source_index(ratio, out_size, align_corners, True, dtype)
    i0 = np.minimum(np.floor(real).astype(np.int64), in_size - 1)
    t = np.clip(real - i0.astype(dtype), 0, 1).astype(dtype)
    idx = np.stack([np.clip(i0 - 1 + j, 0, in_size - 1) for j in range(4)])
    return idx, np.stack([c.astype(dtype) for c in _cubic_coefficients(t, dtype)])


# ---- interpolation kernels ----
def _acc_np(dtype):
    return np.float64 if np.dtype(dtype) == np.float64 else np.float32


def _interp_nearest(x, *, out, scales, exact):
    n = len(out)
    for d in range(n):
        axis = x.ndim - n + d
        idx = _nearest_indices(x.shape[axis], out[d], scales[d], exact)
        x = jnp.take(x, idx, axis=axis)
    return x


def _interp_taps(x, *, out, scales, align_corners, cubic):
    n = len(out)
    acc = _acc_np(x.dtype)
    for d in range(n):
        axis = x.ndim - n + d
        taps = _cubic_taps if cubic else _linear_taps
        idx, wts = taps(x.shape[axis], out[d], align_corners, scales[d], acc)
        shape = [1] * x.ndim
        shape[axis] = out[d]
        y = None
        for k in range(idx.shape[0]):
            term = jnp.take(x, idx[k], axis=axis) * wts[k].reshape(shape).astype(x.dtype)
            y = term if y is None else y + term
        x = y
    return x


_nearest_op = Op("upsample_nearest", _interp_nearest, saves=(), grad_name="UpsampleNearest2DBackward0")
_taps_op = Op("upsample_linear", _interp_taps, saves=(), grad_name="UpsampleBilinear2DBackward0")

_MODE_DIMS = {"linear": 3, "bilinear": 4, "trilinear": 5, "bicubic": 4}


def _is_integer(x):
    return isinstance(x, (int, np.integer)) or (hasattr(x, "dtype") and not x.dtype.is_floating_point
                                                 and getattr(x, "ndim", 1) == 0)


def _sizes_and_scales(input, size, scale_factor, dim):
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError("Input and output must have the same number of spatial dimensions, but got input "
                                 f"with spatial dimensions of {list(input.shape[2:])} and output size of {size}. "
                                 "Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in "
                                 "(o1, o2, ...,oK) format.")
            if not all(_is_integer(x) for x in size):
                raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] or Tuple[int, int, "
                                f"int], but got size with types {[type(x) for x in size]}")
            return [int(s) for s in size], None
        return [int(size)] * dim, None
    if scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    if isinstance(scale_factor, (list, tuple)):
        if len(scale_factor) != dim:
            raise ValueError("Input and scale_factor must have the same number of spatial dimensions, but got input "
                             f"with spatial dimensions of {list(input.shape[2:])} and scale_factor of shape "
                             f"{scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                             "scale_factor in (s1, s2, ...,sK) format.")
        return None, [float(s) for s in scale_factor]
    return None, [float(scale_factor)] * dim


def _interp_dims_error(input, mode):
    n = input.ndim
    want = _MODE_DIMS.get(mode)
    if want is not None and n in (3, 4, 5):
        raise NotImplementedError(f"Got {n}D input, but {mode} mode needs {want}D input")
    raise NotImplementedError("Input Error: Only 3D, 4D and 5D input Tensors supported"
                              f" (got {n}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | "
                              f"lanczos | area | nearest-exact (got {mode})")


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize the spatial dims (``N, C, *spatial``) to ``size`` or by ``scale_factor``.

    Pixel choice and weights follow ATen exactly (a given ``scale_factor`` sets the sampling ratio
    ``1 / scale`` unless ``recompute_scale_factor``). ``antialias=True`` is not supported.
    """
    from .pooling import adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d

    check_tensor(input, "interpolate")
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: linear | bilinear | "
                             "bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    dim = input.ndim - 2
    output_size, scale_factors = _sizes_and_scales(input, size, scale_factor, dim)
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and output_size is None:
        recompute_scale_factor = True
    if recompute_scale_factor and scale_factors is not None:
        output_size = [int(math.floor(input.shape[i + 2] * scale_factors[i])) for i in range(dim)]
        scale_factors = None
    if antialias:
        if not (mode in ("bilinear", "bicubic", "lanczos") and input.ndim == 4):
            raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a "
                             "4-D tensor as input")
        raise NotImplementedError("interpolate(antialias=True) is not supported by jtorch")
    if input.ndim not in (3, 4, 5) or (mode in _MODE_DIMS and _MODE_DIMS[mode] != input.ndim):
        _interp_dims_error(input, mode)
    if mode not in ("nearest", "nearest-exact", "area", "linear", "bilinear", "bicubic", "trilinear"):
        _interp_dims_error(input, mode)
    if output_size is None:
        output_size = [int(math.floor(input.shape[i + 2] * scale_factors[i])) for i in range(dim)]
    scales = tuple(scale_factors) if scale_factors is not None else (None,) * dim
    out = tuple(output_size)
    _check_output_size(input, out)
    if mode == "area":
        pool = {1: adaptive_avg_pool1d, 2: adaptive_avg_pool2d, 3: adaptive_avg_pool3d}[dim]
        return pool(input, out)
    if mode in ("nearest", "nearest-exact"):
        return _nearest_op(input, out=out, scales=scales, exact=mode == "nearest-exact")
    if not input.dtype.is_floating_point:
        from ..._tensor import scalar_type_name

        raise NotImplementedError(f"\"upsample_{mode}{dim}d\" not implemented for '{scalar_type_name(input.dtype)}'")
    return _taps_op(input, out=out, scales=scales, align_corners=bool(align_corners), cubic=mode == "bicubic")


def _check_output_size(input, out):
    if any(s <= 0 for s in input.shape[2:]) or any(o <= 0 for o in out):
        shown = ", ".join(map(str, input.shape[2:]))
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input ({shown}) and output "
                           f"({', '.join(map(str, out))})")


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Deprecated alias of :func:`interpolate` (warns like PyTorch)."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """Deprecated: ``interpolate(..., mode='nearest')``."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """Deprecated: ``interpolate(..., mode='bilinear', align_corners=True)``."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# ---- grid sampling ----
def _unnormalize(coord, size, align_corners):
    if align_corners:
        return (coord + 1) / 2 * (size - 1)
    return ((coord + 1) * size - 1) / 2


def _clip(coord, size):
    """Clamp to ``[0, size - 1]`` with zero gradient at and beyond the bounds (ATen's clip_coordinates_set_grad)."""
    hi = size - 1
    return jnp.where(coord <= 0, jnp.zeros_like(coord), jnp.where(coord >= hi, jnp.full_like(coord, hi), coord))


def _reflect(coord, twice_low, twice_high):
    if twice_low == twice_high:
        return jnp.zeros_like(coord)
    lo = twice_low / 2
    span = (twice_high - twice_low) / 2
    c = coord - lo
    c = jnp.where(c < 0, -c, c)
    extra = jnp.fmod(c, span)
    flips = jnp.floor(c / span)
    return jnp.where(jnp.fmod(flips, 2) == 0, extra + lo, span - extra + lo)


def _apply_padding(coord, size, padding_mode, align_corners):
    if padding_mode == "border":
        return _clip(coord, size)
    if padding_mode == "reflection":
        if align_corners:
            coord = _reflect(coord, 0, 2 * (size - 1))
        else:
            coord = _reflect(coord, -1, 2 * size - 1)
        return _clip(coord, size)
    return coord


def _gather(x, coords, sizes):
    """``x[n, c, *coords[n, ...]]`` with zeros outside; coords are integer arrays ``(N, *grid, *taps)``."""
    n, c = x.shape[0], x.shape[1]
    valid = None
    flat = None
    for ci, s in zip(coords, sizes):
        ok = (ci >= 0) & (ci < s)
        valid = ok if valid is None else valid & ok
        cc = jnp.clip(ci, 0, s - 1)
        flat = cc if flat is None else flat * s + cc
    out_shape = flat.shape[1:]
    idx = flat.reshape(n, 1, -1)
    vals = jnp.take_along_axis(x.reshape(n, c, -1), jnp.broadcast_to(idx, (n, c, idx.shape[2])), axis=2)
    vals = vals.reshape((n, c) + out_shape)
    return jnp.where(valid[:, None], vals, jnp.zeros((), x.dtype))


def _taps(base, offsets):
    """``base[..., None, ...] + offsets`` laid out on one new trailing axis per sampled dim."""
    nd = len(base)
    out = []
    for d in range(nd):
        shape = (1,) * (base[d].ndim) + tuple(len(offsets) if k == d else 1 for k in range(nd))
        out.append(base[d].reshape(base[d].shape + (1,) * nd) + np.asarray(offsets).reshape(shape))
    return out


def _weighted_sum(vals, weights, nd):
    """Sum the tap axes of ``vals`` (N, C, *grid, *taps) weighted by per-dim tap weights (N, *grid, taps)."""
    w = None
    for d in range(nd):
        shape = weights[d].shape[:-1] + tuple(weights[d].shape[-1] if k == d else 1 for k in range(nd))
        wd = weights[d].reshape(shape)
        w = wd if w is None else w * wd
    return jnp.sum(vals * w[:, None], axis=tuple(range(vals.ndim - nd, vals.ndim)))


def _grid_sample_kernel(x, grid, *, mode, padding_mode, align_corners):
    nd = grid.shape[-1]
    sizes = x.shape[2:]
    # grid's last dim is (x, y[, z]): x indexes the last spatial dim
    raw = [_unnormalize(grid[..., nd - 1 - d], sizes[d], align_corners) for d in range(nd)]
    if mode == "bicubic":
        return _grid_bicubic(x, raw, sizes, padding_mode, align_corners)
    src = [_apply_padding(r, s, padding_mode, align_corners) for r, s in zip(raw, sizes)]
    if mode == "nearest":
        return _gather(x, [jnp.round(s).astype(jnp.int64) for s in src], sizes)
    lo = [jnp.floor(s) for s in src]
    frac = [s - f for s, f in zip(src, lo)]
    idx = _taps([f.astype(jnp.int64) for f in lo], (0, 1))
    weights = [jnp.stack([1 - f, f], axis=-1) for f in frac]
    return _weighted_sum(_gather(x, idx, sizes), weights, nd)


def _grid_bicubic(x, raw, sizes, padding_mode, align_corners):
    lo = [jnp.floor(r) for r in raw]
    t = [r - f for r, f in zip(raw, lo)]
    weights = [jnp.stack(_cubic_coefficients(tt, lambda v: v), axis=-1) for tt in t]
    taps = _taps(lo, (-1, 0, 1, 2))
    coords = [_apply_padding(c, s, padding_mode, align_corners).astype(jnp.int64) for c, s in zip(taps, sizes)]
    return _weighted_sum(_gather(x, coords, sizes), weights, 2)


_grid_sample_op = Op("grid_sampler", _grid_sample_kernel, grad_name="GridSampler2DBackward0")


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """Sample ``input`` at the normalized ``[-1, 1]`` locations in ``grid`` (bilinear, nearest or bicubic;
    zeros, border or reflection padding), 4-D or 5-D input."""
    check_tensor(input, "grid_sample")
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError(f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', "
                         f"but got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
                         f"'reflection', but got: '{padding_mode}'")
    if align_corners is None:
        warnings.warn("Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. "
                      "Please specify align_corners=True if the old behavior is desired. See the documentation of "
                      "grid_sample for details.", stacklevel=2)
        align_corners = False
    _check_grid(input, grid, mode)
    return _grid_sample_op(input, grid, mode=mode, padding_mode=padding_mode, align_corners=bool(align_corners))


def _check_grid(input, grid, mode):
    if input.dtype is not grid.dtype:
        raise RuntimeError(f"grid_sampler(): expected input and grid to have same dtype, but input has "
                           f"{input.dtype} and grid has {grid.dtype}")
    if input.ndim not in (4, 5) or grid.ndim != input.ndim:
        raise RuntimeError(f"grid_sampler(): expected grid to have same number of dimensions as input, but got "
                           f"{grid.ndim}D grid and {input.ndim}D input" if input.ndim in (4, 5) else
                           f"grid_sampler(): expected 4D or 5D input and grid with same number of dimensions, but "
                           f"got input with sizes {size_str(input.shape)} and grid with sizes {size_str(grid.shape)}")
    if input.shape[0] != grid.shape[0]:
        raise RuntimeError(f"grid_sampler(): expected grid and input to have same batch size, but got input with "
                           f"sizes {size_str(input.shape)} and grid with sizes {size_str(grid.shape)}")
    if grid.shape[-1] != input.ndim - 2:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {input.ndim - 2} in last dimension, but got "
                           f"grid with sizes {size_str(grid.shape)}")
    if mode == "bicubic" and input.ndim != 4:
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    if not input.dtype.is_floating_point:
        from ..._tensor import scalar_type_name

        raise NotImplementedError(f"\"grid_sampler_2d_cpu\" not implemented for '{scalar_type_name(input.dtype)}'")


def _base_axis(n, align_corners, dtype):
    if n <= 1:
        return np.zeros((1,), dtype)
    r = np.linspace(-1, 1, n, dtype=np.float64)
    if not align_corners:
        r = r * (n - 1) / n
    return r.astype(dtype)


def _affine_grid_kernel(theta, *, size, align_corners):
    spatial = size[2:]
    dt = np.dtype(theta.dtype)
    mesh = np.meshgrid(*[_base_axis(s, align_corners, dt) for s in spatial], indexing="ij")
    cols = [m for m in reversed(mesh)] + [np.ones(mesh[0].shape, dt)]
    base = np.stack(cols, axis=-1).reshape(-1, len(spatial) + 1)
    grid = jnp.einsum("pk,njk->npj", base, theta, precision="highest")
    return grid.reshape((size[0],) + tuple(spatial) + (len(spatial),))


_affine_grid_op = Op("affine_grid_generator", _affine_grid_kernel, saves=(), grad_name="AffineGridGeneratorBackward0")


def affine_grid(theta, size, align_corners=None):
    """The ``[-1, 1]`` sampling grid of the affine maps ``theta`` (``N x 2 x 3`` or ``N x 3 x 4``) for ``size``."""
    if align_corners is None:
        warnings.warn("Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. "
                      "Please specify align_corners=True if the old behavior is desired. See the documentation of "
                      "grid_sample for details.", stacklevel=2)
        align_corners = False
    if not theta.is_floating_point():
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    size = tuple(int(s) for s in size)
    if len(size) == 4:
        if theta.ndim != 3 or theta.shape[-2] != 2 or theta.shape[-1] != 3:
            raise ValueError(f"Expected a batch of 2D affine matrices of shape Nx2x3 for size {list(size)}. Got "
                             f"{theta.shape}.")
    elif len(size) == 5:
        if theta.ndim != 3 or theta.shape[-2] != 3 or theta.shape[-1] != 4:
            raise ValueError(f"Expected a batch of 3D affine matrices of shape Nx3x4 for size {list(size)}. Got "
                             f"{theta.shape}.")
    else:
        raise NotImplementedError(f"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
                                  f"respectively. Got size {list(size)}.")
    if align_corners and min(size[2:]) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
                      "align_corners=True. This is not an intended use case of affine_grid. See the documentation of "
                      "affine_grid for details.", stacklevel=2)
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {list(size)}")
    return _affine_grid_op(theta, size=size, align_corners=bool(align_corners))


# ---- channel rearrangements ----
def _pixel_shuffle_kernel(x, *, r):
    lead = x.shape[:-3]
    c, h, w = x.shape[-3:]
    oc = c // (r * r)
    y = x.reshape(lead + (oc, r, r, h, w))
    k = len(lead)
    y = jnp.transpose(y, tuple(range(k)) + (k, k + 3, k + 1, k + 4, k + 2))
    return y.reshape(lead + (oc, h * r, w * r))


def _pixel_unshuffle_kernel(x, *, r):
    lead = x.shape[:-3]
    c, h, w = x.shape[-3:]
    y = x.reshape(lead + (c, h // r, r, w // r, r))
    k = len(lead)
    y = jnp.transpose(y, tuple(range(k)) + (k, k + 2, k + 4, k + 1, k + 3))
    return y.reshape(lead + (c * r * r, h // r, w // r))


def _channel_shuffle_kernel(x, *, groups):
    n, c = x.shape[0], x.shape[1]
    y = x.reshape((n, groups, c // groups) + x.shape[2:])
    return jnp.swapaxes(y, 1, 2).reshape(x.shape)


_pixel_shuffle_op = Op("pixel_shuffle", _pixel_shuffle_kernel, saves=(), grad_name="PixelShuffleBackward0")
_pixel_unshuffle_op = Op("pixel_unshuffle", _pixel_unshuffle_kernel, saves=(), grad_name="PixelUnshuffleBackward0")
_channel_shuffle_op = Op("channel_shuffle", _channel_shuffle_kernel, saves=(), grad_name="ViewBackward0")


def pixel_shuffle(input, upscale_factor):
    """``(*, C*r*r, H, W)`` to ``(*, C, H*r, W*r)``."""
    check_tensor(input, "pixel_shuffle", "self")
    r = int(upscale_factor)
    if input.ndim < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got input with "
                           f"{input.ndim} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    c = input.shape[-3]
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                           f"upscale_factor, but input.size(-3)={c} is not divisible by {r * r}")
    return _pixel_shuffle_op(input, r=r)


def pixel_unshuffle(input, downscale_factor):
    """``(*, C, H*r, W*r)`` to ``(*, C*r*r, H, W)``."""
    check_tensor(input, "pixel_unshuffle", "self")
    r = int(downscale_factor)
    if input.ndim < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
                           f"{input.ndim} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    h, w = input.shape[-2], input.shape[-1]
    if h % r:
        raise RuntimeError(f"pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)="
                           f"{h} is not divisible by {r}")
    if w % r:
        raise RuntimeError(f"pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)="
                           f"{w} is not divisible by {r}")
    return _pixel_unshuffle_op(input, r=r)


def channel_shuffle(input, groups):
    """Interleave the channels of ``groups`` groups: ``(N, g, C/g, *)`` transposed to ``(N, C/g, g, *)``."""
    check_tensor(input, "channel_shuffle", "self")
    g = int(groups)
    if g <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of groups:{g}")
    if input.ndim <= 2:
        raise RuntimeError(f"channel_shuffle expects input to have at least 3 dimensions, but got input with "
                           f"{input.ndim} dimension(s)")
    c = input.shape[1]
    if c % g:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels and {g} groups.")
    return _channel_shuffle_op(input, groups=g)


native_channel_shuffle = channel_shuffle
