"""numpy versions of the resampling kernels torchvision's tensor backend borrows from PyTorch:
``interpolate`` (nearest, nearest-exact, bilinear and bicubic, with or without antialiasing,
``align_corners=False``) and ``grid_sample`` (nearest and bilinear, zeros padding,
``align_corners=False``). Arrays are float, shaped (..., H, W).

Differs from PyTorch: filtering is done as two matrix products (rows, then columns), so results
agree with PyTorch's kernels to float rounding, not bit for bit.
"""
import numpy as np

__all__ = ["resize", "grid_sample", "affine_grid", "perspective_grid", "affine_output_size", "gaussian_kernel1d",
           "correlate_separable"]


def _nearest_index(out_size, in_size, exact):
    scale = np.float32(in_size) / np.float32(out_size)
    offset = np.float32(0.5) if exact else np.float32(0.0)
    src = np.floor((np.arange(out_size, dtype=np.float32) + offset) * scale).astype(np.int64)
    return np.minimum(src, in_size - 1)


def _cubic(x, a):
    x = np.abs(x)
    return np.where(x <= 1.0, ((a + 2) * x - (a + 3)) * x * x + 1,
                    np.where(x < 2.0, (((x - 5) * x + 8) * x - 4) * a, 0.0))


def _linear_weights(out_size, in_size):
    """PyTorch's bilinear source weights (align_corners=False, negative sources clamped to 0)."""
    scale = in_size / out_size
    src = np.maximum(scale * (np.arange(out_size) + 0.5) - 0.5, 0.0)
    i0 = np.floor(src).astype(np.int64)
    i1 = np.minimum(i0 + 1, in_size - 1)
    frac = src - i0
    weights = np.zeros((out_size, in_size))
    rows = np.arange(out_size)
    np.add.at(weights, (rows, i0), 1.0 - frac)
    np.add.at(weights, (rows, i1), frac)
    return weights


def _cubic_weights(out_size, in_size):
    """PyTorch's bicubic source weights (a = -0.75, border taps clamped)."""
    scale = in_size / out_size
    src = scale * (np.arange(out_size) + 0.5) - 0.5
    i0 = np.floor(src).astype(np.int64)
    frac = src - i0
    weights = np.zeros((out_size, in_size))
    rows = np.arange(out_size)
    for tap in range(-1, 3):
        idx = np.clip(i0 + tap, 0, in_size - 1)
        np.add.at(weights, (rows, idx), _cubic(frac - tap, -0.75))
    return weights


def _antialias_weights(out_size, in_size, cubic):
    """PyTorch's (and Pillow's) antialiased weights: the filter is stretched by the downscale
    factor and normalised over the taps that fall inside the image."""
    scale = in_size / out_size
    support = (2.0 if cubic else 1.0) * (scale if scale >= 1.0 else 1.0)
    invscale = 1.0 / scale if scale >= 1.0 else 1.0
    weights = np.zeros((out_size, in_size))
    for i in range(out_size):
        center = scale * (i + 0.5)
        xmin = max(int(center - support + 0.5), 0)
        xmax = min(int(center + support + 0.5), in_size)
        x = (np.arange(xmin, xmax) - center + 0.5) * invscale
        w = _cubic(x, -0.5) if cubic else np.maximum(1.0 - np.abs(x), 0.0)
        total = w.sum()
        weights[i, xmin:xmax] = w / total if total != 0 else w
    return weights


def _weights(out_size, in_size, mode, antialias):
    if antialias:
        return _antialias_weights(out_size, in_size, mode == "bicubic")
    if mode == "bilinear":
        return _linear_weights(out_size, in_size)
    return _cubic_weights(out_size, in_size)


def resize(x, size, mode, antialias):
    """``interpolate(x, size, mode, align_corners=False, antialias=antialias)`` on the last two axes."""
    out_h, out_w = size
    in_h, in_w = x.shape[-2:]
    if mode in ("nearest", "nearest-exact"):
        exact = mode == "nearest-exact"
        rows = _nearest_index(out_h, in_h, exact)
        cols = _nearest_index(out_w, in_w, exact)
        return x[..., rows[:, None], cols[None, :]]
    wh = _weights(out_h, in_h, mode, antialias).astype(x.dtype)
    ww = _weights(out_w, in_w, mode, antialias).astype(x.dtype)
    return np.matmul(np.matmul(wh, x), ww.T)


def _unnormalize(coord, size):
    return ((coord + 1) * size - 1) / 2


def grid_sample(x, grid, mode):
    """``grid_sample(x, grid, mode, padding_mode='zeros', align_corners=False)`` for x (N, C, H, W)
    and grid (N, oh, ow, 2) holding normalised (x, y) sample positions."""
    n, c, h, w = x.shape
    ix = _unnormalize(grid[..., 0], w)
    iy = _unnormalize(grid[..., 1], h)
    batch = np.arange(n)[:, None, None]
    if mode == "nearest":
        jx = np.rint(ix).astype(np.int64)
        jy = np.rint(iy).astype(np.int64)
        inside = (jx >= 0) & (jx < w) & (jy >= 0) & (jy < h)
        vals = x[batch, :, np.clip(jy, 0, h - 1), np.clip(jx, 0, w - 1)]
        return np.moveaxis(np.where(inside[..., None], vals, 0).astype(x.dtype), -1, 1)
    x0 = np.floor(ix).astype(np.int64)
    y0 = np.floor(iy).astype(np.int64)
    fx = (ix - x0).astype(x.dtype)
    fy = (iy - y0).astype(x.dtype)
    out = np.zeros((n, grid.shape[1], grid.shape[2], c), dtype=x.dtype)
    for dy, wy in ((0, 1 - fy), (1, fy)):
        for dx, wx in ((0, 1 - fx), (1, fx)):
            cx, cy = x0 + dx, y0 + dy
            inside = (cx >= 0) & (cx < w) & (cy >= 0) & (cy < h)
            vals = x[batch, :, np.clip(cy, 0, h - 1), np.clip(cx, 0, w - 1)]
            out += np.where(inside, wx * wy, 0).astype(x.dtype)[..., None] * vals
    return np.moveaxis(out, -1, 1)


def affine_grid(theta, w, h, ow, oh):
    """torchvision's affine sampling grid (1, oh, ow, 2): output pixel centres, relative to the
    output centre, mapped by ``theta`` (2x3) and normalised by the input size."""
    xs = np.linspace(-ow * 0.5 + 0.5, ow * 0.5 + 0.5 - 1, ow)
    ys = np.linspace(-oh * 0.5 + 0.5, oh * 0.5 + 0.5 - 1, oh)
    base = np.stack(np.broadcast_arrays(xs[None, :], ys[:, None], np.ones((1, 1))), axis=-1)
    rescaled = np.asarray(theta, dtype=np.float64).reshape(2, 3).T / np.array([0.5 * w, 0.5 * h])
    return (base @ rescaled)[None]


def perspective_grid(coeffs, ow, oh):
    """torchvision's perspective sampling grid (1, oh, ow, 2) for Pillow-style ``coeffs``."""
    a, b, c, d, e, f, g, hh = coeffs
    xs = np.arange(ow) + 0.5
    ys = np.arange(oh)[:, None] + 0.5
    den = g * xs + hh * ys + 1.0
    gx = (a * xs + b * ys + c) / den / (0.5 * ow) - 1.0
    gy = (d * xs + e * ys + f) / den / (0.5 * oh) - 1.0
    return np.stack(np.broadcast_arrays(gx, gy), axis=-1)[None]


def affine_output_size(matrix, w, h):
    """(w, h) of the canvas holding the whole image after ``matrix`` (torchvision's ``expand``)."""
    pts = np.array([[-0.5 * w, -0.5 * h, 1.0], [-0.5 * w, 0.5 * h, 1.0],
                    [0.5 * w, 0.5 * h, 1.0], [0.5 * w, -0.5 * h, 1.0]], dtype=np.float32)
    theta = np.asarray(matrix, dtype=np.float32).reshape(2, 3)
    new_pts = pts @ theta.T
    lo = new_pts.min(axis=0) + np.array([w * 0.5, h * 0.5], dtype=np.float32)
    hi = new_pts.max(axis=0) + np.array([w * 0.5, h * 0.5], dtype=np.float32)
    tol = 1e-4
    cmax = np.ceil(np.trunc(hi / tol) * tol)
    cmin = np.floor(np.trunc(lo / tol) * tol)
    size = cmax - cmin
    return int(size[0]), int(size[1])


def gaussian_kernel1d(kernel_size, sigma):
    """The normalised 1-D Gaussian torchvision blurs with."""
    half = (kernel_size - 1) * 0.5
    x = np.linspace(-half, half, kernel_size)
    pdf = np.exp(-0.5 * (x / sigma) ** 2)
    return pdf / pdf.sum()


def correlate_separable(x, kx, ky):
    """Valid 2-D correlation of x (..., H, W) with the outer product ``ky[:, None] * kx[None, :]``."""
    kw, kh = len(kx), len(ky)
    h, w = x.shape[-2:]
    cols = sum(kx[i] * x[..., :, i:w - kw + 1 + i] for i in range(kw))
    return sum(ky[i] * cols[..., i:h - kh + 1 + i, :] for i in range(kh))
