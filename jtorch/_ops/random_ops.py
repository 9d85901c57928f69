"""Random sampling ops. Each draw takes (seed, counter) from a :class:`jtorch.Generator` as
traced scalars, so new draws never recompile and compiled code can thread the counter."""
import math

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .. import random as R
from .._tensor import Tensor
from .common import write_out
from .creation import _finish, _size_arg
from .dispatch import Op

__all__ = ["rand", "rand_like", "randn", "randn_like", "randint", "randint_like", "randperm", "normal",
           "bernoulli", "multinomial", "poisson"]


def _parts(generator):
    seed, counter = (generator or R.default_generator).next_key_parts()
    if seed >= 1 << 63:
        seed -= 1 << 64
    return np.int64(seed), np.int64(counter)


def _key(seed, counter):
    return jax.random.fold_in(jax.random.key(seed), counter.astype(jnp.uint32))


def _gen_dtype(dtype):
    return np.float32 if np.dtype(dtype).itemsize < 4 else dtype


_uniform_op = Op("uniform", lambda s, c, lo, hi, *, shape, dtype: (
    jax.random.uniform(_key(s, c), shape, _gen_dtype(dtype)) * (hi - lo) + lo).astype(dtype), differentiable=False)
_normal_op = Op("normal", lambda s, c, mean, std, *, shape, dtype: (
    jax.random.normal(_key(s, c), shape, _gen_dtype(dtype)) * std + mean).astype(dtype))
_randint_op = Op("randint", lambda s, c, lo, hi, *, shape, dtype: jax.random.randint(
    _key(s, c), shape, lo, hi, dtype=np.int64).astype(dtype), differentiable=False)
_randperm_op = Op("randperm", lambda s, c, *, n, dtype: jax.random.permutation(_key(s, c), n).astype(dtype),
                  differentiable=False)
_bernoulli_op = Op("bernoulli", lambda s, c, p, *, shape, dtype: (
    jax.random.uniform(_key(s, c), shape, np.float64 if np.dtype(dtype) == np.float64 else np.float32) < p
).astype(dtype), differentiable=False)
_poisson_op = Op("poisson", lambda s, c, rate: jax.random.poisson(_key(s, c), rate).astype(rate.dtype),
                 differentiable=False)
_exponential_op = Op("exponential", lambda s, c, lambd, *, shape, dtype: (
    jax.random.exponential(_key(s, c), shape, _gen_dtype(dtype)) / lambd).astype(dtype), differentiable=False)
_cauchy_op = Op("cauchy", lambda s, c, median, sigma, *, shape, dtype: (
    jax.random.cauchy(_key(s, c), shape, _gen_dtype(dtype)) * sigma + median).astype(dtype), differentiable=False)
_geometric_op = Op("geometric", lambda s, c, p, *, shape, dtype: jax.random.geometric(
    _key(s, c), p, shape).astype(dtype), differentiable=False)


def _float_dtype(dtype, fn):
    dtype = dtype or D.get_default_dtype()
    if not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError(f"\"{fn}\" not implemented for '{_aten(dtype)}'")
    return dtype


def _aten(d):
    from .._tensor import scalar_type_name

    return scalar_type_name(d)


def rand(*sizes, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False, size=None):
    """Uniform samples in [0, 1)."""
    size = sizes if size is None else (size,)
    dtype = _float_dtype(dtype, "check_uniform_bounds")
    t = _finish(_uniform_op.raw(*_parts(generator), 0.0, 1.0, shape=_size_arg(size, "rand"), dtype=dtype.np), device,
                requires_grad)
    return write_out(out, t) if out is not None else t


def randn(*sizes, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, size=None):
    """Standard normal samples."""
    size = sizes if size is None else (size,)
    dtype = _float_dtype(dtype, "normal_kernel_cpu")
    t = _finish(_normal_op.raw(*_parts(generator), 0.0, 1.0, shape=_size_arg(size, "randn"), dtype=dtype.np),
                device, requires_grad)
    return write_out(out, t) if out is not None else t


def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    """``rand`` with ``input``'s shape, dtype and device."""
    return rand(*input.shape, dtype=dtype or input.dtype, device=device or input.device, requires_grad=requires_grad)


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    """``randn`` with ``input``'s shape, dtype and device."""
    return randn(*input.shape, dtype=dtype or input.dtype, device=device or input.device, requires_grad=requires_grad)


def randint(*args, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
            pin_memory=False, size=None):
    """Integers in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``; int64."""
    if size is not None:
        args = args + (size,)
    if len(args) == 2:
        low, high, size = 0, args[0], args[1]
    elif len(args) == 3:
        low, high, size = args
    else:
        raise TypeError("randint() received an invalid combination of arguments - expected (high, size) or "
                        "(low, high, size)")
    low, high = int(low), int(high)
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    dtype = dtype or D.int64
    t = _finish(_randint_op.raw(*_parts(generator), low, high, shape=_size_arg((size,), "randint"), dtype=dtype.np),
                device, requires_grad)
    return write_out(out, t) if out is not None else t


def randint_like(input, low=0, high=None, *, dtype=None, layout=None, device=None, requires_grad=False,
                 memory_format=None):
    """``randint`` with ``input``'s shape (and dtype)."""
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), dtype=dtype or input.dtype, device=device or input.device)


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
             pin_memory=False):
    """A random permutation of ``0..n-1`` (int64)."""
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    dtype = dtype or D.int64
    return _finish(_randperm_op.raw(*_parts(generator), n=int(n), dtype=dtype.np), device, requires_grad)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
           requires_grad=False, pin_memory=False):
    """Normal samples: ``normal(mean, std, size)`` with numbers, or elementwise with tensors."""
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        shapes = [x.shape for x in (mean, std) if isinstance(x, Tensor)]
        shape = tuple(np.broadcast_shapes(*shapes))
        like = mean if isinstance(mean, Tensor) else std
        if isinstance(std, Tensor) and (std < 0).any().item():
            raise RuntimeError("normal expects all elements of std >= 0.0")
        res = _normal_op(*_parts(generator), mean, std, shape=shape, dtype=like.dtype.np)
        return write_out(out, res)
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    if size is None:
        raise TypeError("normal() missing required argument 'size'")
    dtype = dtype or D.get_default_dtype()
    t = _finish(_normal_op.raw(*_parts(generator), float(mean), float(std), shape=_size_arg((size,), "normal"),
                               dtype=dtype.np), device, requires_grad)
    return write_out(out, t) if out is not None else t


def bernoulli(input, p=None, *, generator=None, out=None):
    """1 with probability ``input`` (or ``p``), else 0; same dtype as ``input``."""
    prob = input if p is None else p
    if isinstance(prob, Tensor) and (((prob < 0) | (prob > 1)).any().item()):
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message "
                           "be improved?  If so, please report an enhancement request to PyTorch.)")
    res = _bernoulli_op(*_parts(generator), prob.detach() if isinstance(prob, Tensor) else float(prob),
                        shape=tuple(input.shape), dtype=input.dtype.np)
    return write_out(out, res)


def poisson(input, generator=None):
    """Poisson samples with rates ``input``."""
    return _poisson_op(*_parts(generator), input.detach())


_multinomial_op = Op("multinomial", lambda s, c, p, *, n, replacement: _multinomial(_key(s, c), p, n, replacement),
                     differentiable=False)


def _multinomial(key, p, n, replacement):
    logp = jnp.log(p.astype(jnp.float64))
    if replacement:
        draws = jax.random.categorical(key, logp, axis=-1, shape=(n,) + p.shape[:-1])
        return jnp.moveaxis(draws, 0, -1).astype(jnp.int64)
    g = jax.random.gumbel(key, p.shape, jnp.float64)
    return jnp.argsort(-(logp + g), axis=-1)[..., :n].astype(jnp.int64)


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Indices sampled from the rows of ``input`` (non-negative weights)."""
    if input.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.dtype.is_floating_point:
        raise RuntimeError("multinomial only supports floating-point dtypes for input, got: "
                           f"{_aten(input.dtype)}")
    n_cat = input.shape[-1]
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > n_cat:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    arr = np.asarray(input.detach()._read(), dtype=np.float64)
    if (arr < 0).any() or not np.isfinite(arr).all():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (arr.sum(-1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    return write_out(out, _multinomial_op(*_parts(generator), input.detach(), n=int(num_samples),
                                          replacement=bool(replacement)))


def _sampler(fn):
    def method(self, *args, generator=None, **kwargs):
        return self._inplace_from(fn(self, *args, generator=generator, **kwargs), "RandomBackward")
    return method


def _uniform_like(self, from_=0.0, to=1.0, *, generator=None, **kw):
    from_ = kw.pop("from", from_)
    return _uniform_op(*_parts(generator), float(from_), float(to), shape=tuple(self.shape), dtype=self.dtype.np)


def _normal_like(self, mean=0.0, std=1.0, *, generator=None):
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    return _normal_op(*_parts(generator), float(mean), float(std), shape=tuple(self.shape), dtype=self.dtype.np)


def _random_like(self, from_=0, to=None, *, generator=None, **kw):
    from_ = kw.pop("from", from_)
    if to is None:
        if from_ != 0:
            from_, to = 0, from_
        else:
            d = self.dtype
            to = 2 ** min(D.finfo(d).bits if d.is_floating_point else D.iinfo(d).bits - 1, 53) if d is not D.bool \
                else 2
    return _randint_op(*_parts(generator), int(from_), int(to), shape=tuple(self.shape), dtype=self.dtype.np)


def _bernoulli_like(self, p=0.5, *, generator=None):
    return _bernoulli_op(*_parts(generator), p.detach() if isinstance(p, Tensor) else float(p),
                         shape=tuple(self.shape), dtype=self.dtype.np)


def _exponential_like(self, lambd=1.0, *, generator=None):
    return _exponential_op(*_parts(generator), float(lambd), shape=tuple(self.shape), dtype=self.dtype.np)


def _cauchy_like(self, median=0.0, sigma=1.0, *, generator=None):
    return _cauchy_op(*_parts(generator), float(median), float(sigma), shape=tuple(self.shape), dtype=self.dtype.np)


def _log_normal_like(self, mean=1.0, std=2.0, *, generator=None):
    from .pointwise import exp

    return exp(_normal_op(*_parts(generator), float(mean), float(std), shape=tuple(self.shape), dtype=self.dtype.np))


def _geometric_like(self, p, *, generator=None):
    return _geometric_op(*_parts(generator), float(p), shape=tuple(self.shape), dtype=self.dtype.np)


Tensor.uniform_ = _sampler(_uniform_like)
Tensor.normal_ = _sampler(_normal_like)
Tensor.random_ = _sampler(_random_like)
Tensor.bernoulli_ = _sampler(_bernoulli_like)
Tensor.exponential_ = _sampler(_exponential_like)
Tensor.cauchy_ = _sampler(_cauchy_like)
Tensor.log_normal_ = _sampler(_log_normal_like)
Tensor.geometric_ = _sampler(_geometric_like)
Tensor.bernoulli = lambda self, p=None, *, generator=None: bernoulli(self, p, generator=generator)
Tensor.multinomial = lambda self, num_samples, replacement=False, *, generator=None: multinomial(
    self, num_samples, replacement, generator=generator)
