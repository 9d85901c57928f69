"""Random sampling ops. Each draw takes (seed, counter) from a :class:`jtorch.Generator` as
traced scalars, so new draws never recompile and compiled code can thread the counter.

Shapes, dtypes and argument errors follow PyTorch; the streams do not (same seed, same numbers
in jtorch, but not PyTorch's numbers). Checks that need the values of a tensor argument (a
probability outside [0, 1], a negative std) run only in eager mode.
"""
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .. import random as R
from .._tensor import Tensor
from .common import broadcast_shapes, write_out
from .creation import _finish, _int_arg, _overflow, _size_seq, size_args
from .dispatch import Op

__all__ = ["rand", "rand_like", "randn", "randn_like", "randint", "randint_like", "randperm", "normal",
           "bernoulli", "multinomial", "poisson"]

# C++ names PyTorch's bound checks print.
_C_INT_NAMES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short int",
                "int32": "int", "int64": "long int", "uint16": "unsigned short", "uint32": "unsigned int",
                "uint64": "unsigned long"}
_C_FLOAT_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16"}
# std::numeric_limits<T>::digits: random_() on a float tensor draws integers in [0, 2**digits].
_MANTISSA_DIGITS = {"float32": 24, "float64": 53, "float16": 11, "bfloat16": 8}


def _parts(generator):
    if generator is not None and not isinstance(generator, R.Generator):
        raise TypeError(f"expected a torch.Generator, but got {type(generator).__name__}")
    seed, counter = (generator or R.default_generator).next_key_parts()
    if isinstance(counter, jax.core.Tracer):
        return seed, counter
    if seed >= 1 << 63:
        seed -= 1 << 64
    return np.int64(seed), np.int64(counter)


def _key(seed, counter):
    return jax.random.fold_in(jax.random.key(seed), counter.astype(jnp.uint32))


def _bits_kernel(s, c, *, n, dtype):
    """``n`` uniform random bits: the one slow-to-compile threefry program, per size bucket."""
    return jax.random.bits(_key(s, c), (n,), dtype)


_bits_op = Op("random_bits", _bits_kernel, differentiable=False)
_take_op = Op("random_bits_shape", lambda flat, *, shape: flat[:math.prod(shape)].reshape(shape),
              differentiable=False)


def _wide(dtype):
    """Whether draws for ``dtype`` need 64 random bits per value (float64 and complex128)."""
    return np.dtype(dtype) in (np.dtype(np.float64), np.dtype(np.complex128))


def _bucket(n):
    """Bits are drawn in power-of-two buckets (at least 256) so that XLA compiles the threefry
    program once per bucket rather than once per tensor shape; a cheap slice gives the shape."""
    return max(256, 1 << max(n - 1, 0).bit_length())


def _bits(generator, shape, wide=False):
    """Random bits (uint32, or uint64 when ``wide``) of ``shape`` from ``generator``'s next draw."""
    shape = tuple(shape)
    flat = _bits_op.raw(*_parts(generator), n=_bucket(math.prod(shape)), dtype=np.uint64 if wide else np.uint32)
    return _take_op.raw(flat, shape=shape)


def _draw(generator, shape, dtype):
    """The bits for ``shape`` values of ``dtype`` (two per value for complex dtypes)."""
    shape = (2,) + tuple(shape) if np.dtype(dtype).kind == "c" else tuple(shape)
    return _bits(generator, shape, _wide(dtype))


def _unit(bits):
    """Floats uniform in [0, 1): float32 from uint32 bits, float64 from uint64 bits."""
    if bits.dtype == jnp.uint64:
        return lax.bitcast_convert_type((bits >> 12) | np.uint64(0x3FF0000000000000), jnp.float64) - 1.0
    return lax.bitcast_convert_type((bits >> 9) | np.uint32(0x3F800000), jnp.float32) - 1.0


def _open_unit(bits):
    """Floats uniform in (0, 1)."""
    u = _unit(bits)
    return jnp.maximum(u, jnp.finfo(u.dtype).tiny)


def _std_normal(bits):
    """Standard normal values by inverting the CDF of uniform bits."""
    u = _unit(bits)
    lo = np.nextafter(np.array(-1, u.dtype), np.array(1, u.dtype))
    return np.array(np.sqrt(2), u.dtype) * lax.erf_inv(jnp.maximum(lo, u * 2 - 1))


def _as_complex(x, dtype):
    return lax.complex(x[0], x[1]).astype(dtype) if np.dtype(dtype).kind == "c" else x


def _uniform_kernel(bits, lo, hi, *, dtype):
    if np.dtype(dtype).kind == "c":
        return _as_complex(_unit(bits), dtype)
    return (_unit(bits) * (hi - lo) + lo).astype(dtype)


def _normal_kernel(bits, mean, std, *, dtype):
    z = _std_normal(bits)
    if np.dtype(dtype).kind == "c":
        z = _as_complex(z * np.array(np.sqrt(0.5), z.dtype), dtype)
    return (z * std + mean).astype(dtype)


def _normal_zero_grad_kernel(bits, mean, std, *, dtype):
    """PyTorch records normal(tensor mean/std) in the graph but gives mean and std zero gradients."""
    return _normal_kernel(bits, lax.stop_gradient(mean), lax.stop_gradient(std), dtype=dtype)


def _randint_kernel(bits, lo, span, *, dtype):
    """``lo + bits % span`` in 64-bit two's complement (bias below span / 2**64)."""
    return ((bits % span).astype(jnp.int64) + lo).astype(dtype)


def _random_full_kernel(bits, *, dtype):
    """Uniform integers in [0, 2**63 - 1]: ``random_()`` on an int64 tensor."""
    return (bits >> 1).astype(dtype)


def _bernoulli_kernel(bits, p, *, dtype):
    return (_unit(bits) < p).astype(dtype)


def _exponential_kernel(bits, lambd, *, dtype):
    return (-jnp.log1p(-_unit(bits)) / lambd).astype(dtype)


def _cauchy_kernel(bits, median, sigma, *, dtype):
    return (jnp.tan(np.pi * (_open_unit(bits) - 0.5)) * sigma + median).astype(dtype)


def _geometric_kernel(bits, p, *, dtype):
    """Number of Bernoulli(p) trials up to the first success (>= 1), as PyTorch counts."""
    return (jnp.floor(jnp.log(_open_unit(bits)) / jnp.log1p(-p)) + 1).astype(dtype)


def _log_normal_kernel(bits, mean, std, *, dtype):
    return jnp.exp(_std_normal(bits) * std + mean).astype(dtype)


def _multinomial_kernel(bits, p, *, n, replacement):
    """Categorical draws by the Gumbel-max trick; without replacement, Gumbel top-k (distinct)."""
    logp = jnp.log(p.astype(jnp.float64))
    scores = logp - jnp.log(-jnp.log(_open_unit(bits)))
    if replacement:
        return jnp.moveaxis(jnp.argmax(scores, axis=-1), 0, -1).astype(jnp.int64)
    return jnp.argsort(-scores, axis=-1)[..., :n].astype(jnp.int64)


_uniform_op = Op("uniform", _uniform_kernel, differentiable=False)
_normal_op = Op("normal", _normal_kernel, differentiable=False)
_normal_tensor_float = Op("normal", _normal_zero_grad_kernel, saves=(), grad_name="NormalBackward1")
_normal_float_tensor = Op("normal", _normal_zero_grad_kernel, saves=(), grad_name="NormalBackward2")
_normal_tensor_tensor = Op("normal", _normal_zero_grad_kernel, saves=(), grad_name="NormalBackward3")
_randint_op = Op("randint", _randint_kernel, differentiable=False)
_random_full_op = Op("random", _random_full_kernel, differentiable=False)
_randperm_op = Op("randperm", lambda bits, *, dtype: jnp.argsort(bits).astype(dtype), differentiable=False)
_bernoulli_op = Op("bernoulli", _bernoulli_kernel, differentiable=False)
_poisson_op = Op("poisson", lambda s, c, rate: jax.random.poisson(_key(s, c), rate).astype(rate.dtype),
                 differentiable=False)
_exponential_op = Op("exponential", _exponential_kernel, differentiable=False)
_cauchy_op = Op("cauchy", _cauchy_kernel, differentiable=False)
_geometric_op = Op("geometric", _geometric_kernel, differentiable=False)
_log_normal_op = Op("log_normal", _log_normal_kernel, differentiable=False)
_multinomial_op = Op("multinomial", _multinomial_kernel, differentiable=False)


def _aten(d):
    return D.ATEN_NAMES[d.name]


def _not_implemented(kernel, dtype):
    return NotImplementedError(f"\"{kernel}\" not implemented for '{_aten(dtype)}'")


def _float_dtype(dtype, kernel):
    dtype = dtype or D.get_default_dtype()
    if not (dtype.is_floating_point or dtype.is_complex):
        raise _not_implemented(kernel, dtype)
    return dtype


def _concrete(t):
    """Whether a tensor's values can be inspected now (not inside a traced, compiled program)."""
    return not isinstance(t._read(), jax.core.Tracer)


def _g(v):
    """A number as PyTorch's C++ messages print it (``%g``)."""
    return f"{v:g}" if isinstance(v, float) else str(v)


def rand(*sizes, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False, size=None):
    """Uniform samples in [0, 1) (complex dtypes: real and imaginary parts each uniform)."""
    shape = size_args("rand", sizes, size)
    dtype = _float_dtype(dtype, "check_uniform_bounds")
    t = _finish(_uniform_op.raw(_draw(generator, shape, dtype.np), 0.0, 1.0, dtype=dtype.np), device, requires_grad)
    return write_out(out, t)


def randn(*sizes, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, size=None):
    """Standard normal samples (complex dtypes: variance 1/2 in each part, like PyTorch)."""
    shape = size_args("randn", sizes, size)
    dtype = _float_dtype(dtype, "normal_kernel_cpu")
    t = _finish(_normal_op.raw(_draw(generator, shape, dtype.np), 0.0, 1.0, dtype=dtype.np), device, requires_grad)
    return write_out(out, t)


def rand_like(input, *, generator=None, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """``rand`` with ``input``'s shape, dtype and device."""
    return rand(tuple(input.shape), generator=generator, dtype=dtype or input.dtype,
                device=device if device is not None else input.device, requires_grad=requires_grad)


def randn_like(input, *, generator=None, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """``randn`` with ``input``'s shape, dtype and device."""
    return randn(tuple(input.shape), generator=generator, dtype=dtype or input.dtype,
                 device=device if device is not None else input.device, requires_grad=requires_grad)


def _check_random_bounds(lo, hi, dtype):
    """PyTorch's random_from_to checks: ``from < to`` and both within an integer dtype's range."""
    if lo >= hi:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={lo} >= to={hi}")
    if dtype.is_floating_point or dtype.is_complex:
        return
    info = (0, 1) if dtype is D.bool else (int(np.iinfo(dtype.np).min), int(np.iinfo(dtype.np).max))
    name = _C_INT_NAMES[dtype.name]
    if not info[0] <= lo <= info[1]:
        raise RuntimeError(f"from is out of bounds for {name}")
    if not info[0] <= hi - 1 <= info[1]:
        raise RuntimeError(f"to - 1 is out of bounds for {name}")


def _randint_args(args, low, high, size):
    """(low, high, size, size's position) from randint's overloads ``(high, size)``, ``(low, high, size)``."""
    args = args + tuple(a for a in (low, high, size) if a is not None)
    if len(args) == 2:
        return 0, _int_arg("randint", "high", 1, args[0]), args[1], 2
    if len(args) == 3 and all(_is_int(a) for a in args[:2]) and isinstance(args[2], (tuple, list)):
        return int(args[0]), int(args[1]), args[2], 3
    raise TypeError(f"randint() received an invalid combination of arguments - got "
                    f"({', '.join(type(a).__name__ for a in args)}), but expected one of:\n"
                    " * (int high, tuple of ints size, *, torch.Generator generator, Tensor out = None, "
                    "torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, "
                    "bool pin_memory = False, bool requires_grad = False)\n"
                    " * (int low, int high, tuple of ints size, *, torch.Generator generator, Tensor out = None, "
                    "torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, "
                    "bool pin_memory = False, bool requires_grad = False)\n")


def _is_int(v):
    """Whether ``v`` is accepted as an int argument (ints, numpy ints, integer one-element tensors)."""
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool) or isinstance(v, Tensor) and not (
        v.dtype.is_floating_point or v.dtype.is_complex) and v.numel() == 1


def _check_int64(*values):
    for v in values:
        if not -2 ** 63 <= v < 2 ** 63:
            raise ValueError("Overflow when unpacking long long")


def randint(*args, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
            pin_memory=False, low=None, high=None, size=None):
    """Integers in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``; int64 by default."""
    low, high, size, pos = _randint_args(args, low, high, size)
    _check_int64(low, high)
    shape = _size_seq("randint", size, pos)
    dtype = dtype or D.int64
    _check_random_bounds(low, high, dtype)
    bits = _bits(generator, shape, True)
    t = _finish(_randint_op.raw(bits, np.int64(low), np.uint64(high - low), dtype=dtype.np), device, requires_grad)
    return write_out(out, t)


def randint_like(input, low=0, high=None, *, generator=None, dtype=None, layout=None, device=None,
                 requires_grad=False, memory_format=None):
    """``randint`` with ``input``'s shape, dtype and device: ``randint_like(x, high)`` or ``(x, low, high)``."""
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), generator=generator, dtype=dtype or input.dtype,
                   device=device if device is not None else input.device, requires_grad=requires_grad)


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
             pin_memory=False):
    """A random permutation of ``0..n-1`` (int64 by default)."""
    n = _int_arg("randperm", "n", 1, n)
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    dtype = dtype or D.int64
    if dtype is D.bool or dtype.is_complex:
        raise _not_implemented("randperm", dtype)
    if not dtype.is_floating_point and n > 0 and n - 1 > np.iinfo(dtype.np).max:
        raise _overflow(dtype)
    t = _finish(_randperm_op.raw(_bits(generator, (n,), True), dtype=dtype.np), device, requires_grad)
    return write_out(out, t)


def _normal_error(mean, std, size):
    got = ", ".join("Tensor" if isinstance(v, Tensor) else type(v).__name__
                    for v in (mean, std, size) if v is not None)
    return TypeError(f"normal() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                     " * (Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
                     " * (Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None)\n"
                     " * (float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
                     " * (float mean, float std, tuple of ints size, *, torch.Generator generator = None, "
                     "Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device "
                     "device = None, bool pin_memory = False, bool requires_grad = False)\n")


def _check_std(std):
    if isinstance(std, Tensor):
        if _concrete(std) and (std < 0).any().item():
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_g(std)}")


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
           requires_grad=False, pin_memory=False):
    """Normal samples: ``normal(mean, std, size)`` with numbers, or elementwise with tensor ``mean``
    and/or ``std`` (broadcast; the result has the tensor mean's dtype, else std's)."""
    tensors = isinstance(mean, Tensor) or isinstance(std, Tensor)
    if tensors:
        if size is not None:
            raise _normal_error(mean, std, size)
        like = mean if isinstance(mean, Tensor) else std
        _float_dtype(like.dtype, "normal_kernel_cpu")
        _check_std(std)
        shape = broadcast_shapes(*[tuple(x.shape) for x in (mean, std) if isinstance(x, Tensor)])
        op = (_normal_tensor_tensor if isinstance(mean, Tensor) and isinstance(std, Tensor)
              else _normal_tensor_float if isinstance(mean, Tensor) else _normal_float_tensor)
        mean = mean if isinstance(mean, Tensor) else float(mean)
        std = std if isinstance(std, Tensor) else float(std)
        return write_out(out, op(_draw(generator, shape, like.dtype.np), mean, std, dtype=like.dtype.np))
    if size is None:
        raise _normal_error(mean, std, size)
    _check_std(std)
    shape = _size_seq("normal", size, 3)
    dtype = _float_dtype(dtype, "normal_kernel_cpu")
    t = _finish(_normal_op.raw(_draw(generator, shape, dtype.np), float(mean), float(std), dtype=dtype.np), device,
                requires_grad)
    return write_out(out, t)


_P_RANGE_ERROR = ("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be "
                  "improved?  If so, please report an enhancement request to PyTorch.)")


def _bernoulli_p(p):
    """``p`` checked like PyTorch: a number in [0, 1] or a tensor of probabilities."""
    if isinstance(p, Tensor):
        if _concrete(p) and not bool(((p >= 0) & (p <= 1)).all().item()):
            raise RuntimeError(_P_RANGE_ERROR)
        return p.detach()
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={_g(p)}")
    return float(p)


def bernoulli(input, p=None, *, generator=None, out=None):
    """1 with probability ``input`` (or ``p``), else 0; the result has ``input``'s dtype."""
    if p is None:
        if not (input.dtype.is_floating_point or input.dtype.is_complex):
            raise _not_implemented("bernoulli_tensor_cpu_p_", input.dtype)
        p = input
    bits = _bits(generator, input.shape, _wide(input.dtype.np))
    res = _bernoulli_op(bits, _bernoulli_p(p), dtype=input.dtype.np)
    return write_out(out, res)


def poisson(input, generator=None):
    """Poisson samples with rates ``input`` (same dtype)."""
    if not input.dtype.is_floating_point:
        raise _not_implemented("poisson_cpu", input.dtype)
    if _concrete(input) and (input < 0).any().item():
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    return _poisson_op(*_parts(generator), input.detach())


def _check_distribution(input):
    arr = np.asarray(input.detach()._read(), dtype=np.float64)
    if (arr < 0).any() or not np.isfinite(arr).all():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if arr.size and (arr.sum(-1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Indices (int64) sampled from the rows of ``input`` (non-negative weights, 1-D or 2-D).

    Without replacement the draws are distinct (Gumbel top-k).
    """
    num_samples = _int_arg("multinomial", "num_samples", 2, num_samples)
    if input.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: {_aten(input.dtype)}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > input.shape[-1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if _concrete(input):
        _check_distribution(input)
    shape = ((num_samples,) if replacement else ()) + tuple(input.shape)
    res = _multinomial_op(_bits(generator, shape), input.detach(), n=num_samples, replacement=bool(replacement))
    return write_out(out, res)


def _sampler(fn, name):
    def method(self, *args, generator=None, **kwargs):
        return self._inplace_from(fn(self, *args, generator=generator, **kwargs), "RandomBackward")
    method.__name__ = name
    method.__doc__ = f"Fill this tensor in place with samples (``{name}``), like PyTorch."
    return method


def _float_bounds_check(value, dtype, what):
    if dtype.is_floating_point and not -D.finfo(dtype).max <= value <= D.finfo(dtype).max:
        raise RuntimeError(f"{what} is out of bounds for {_C_FLOAT_NAMES[dtype.name]}")


def _uniform_like(self, from_=0.0, to=1.0, *, generator=None, **kw):
    from_ = kw.pop("from", from_)
    _float_dtype(self.dtype, "check_uniform_bounds")
    _float_bounds_check(from_, self.dtype, "from")
    _float_bounds_check(to, self.dtype, "to")
    if from_ > to:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={_g(from_)} > "
                           f"to={_g(to)}")
    return _uniform_op(_draw(generator, self.shape, self.dtype.np), float(from_), float(to), dtype=self.dtype.np)


def _normal_like(self, mean=0.0, std=1.0, *, generator=None):
    _float_dtype(self.dtype, "normal_kernel_cpu")
    _check_std(std)
    return _normal_op(_draw(generator, self.shape, self.dtype.np), float(mean), float(std), dtype=self.dtype.np)


def _random_range(self, from_, to):
    """[from, to) for ``random_``: ``random_(to)``, ``random_(from, to)`` or the dtype's full range."""
    d = self.dtype
    for v in (from_, to):
        if v is not None and (not isinstance(v, (int, np.integer)) or isinstance(v, bool)):
            raise TypeError(f"random_() received an invalid combination of arguments - got "
                            f"({type(v).__name__}), but expected one of:\n * (*, torch.Generator generator = None)\n"
                            " * (int from, int to, *, torch.Generator generator = None)\n"
                            " * (int to, *, torch.Generator generator = None)\n")
    if to is None and from_ is not None:
        return 0, int(from_)
    if to is not None:
        return int(from_ or 0), int(to)
    if d is D.bool:
        return 0, 2
    if d.is_floating_point:
        return 0, 2 ** _MANTISSA_DIGITS[d.name] + 1
    return 0, int(np.iinfo(d.np).max) + 1


def _random_like(self, from_=None, to=None, *, generator=None, **kw):
    from_ = kw.pop("from", from_)
    lo, hi = _random_range(self, from_, to)
    _check_random_bounds(lo, hi, self.dtype)
    if hi > 2 ** 63 - 1:
        return _random_full_op(_bits(generator, self.shape, True), dtype=self.dtype.np)
    return _randint_op(_bits(generator, self.shape, True), np.int64(lo), np.uint64(hi - lo), dtype=self.dtype.np)


def _bernoulli_like(self, p=0.5, *, generator=None):
    bits = _bits(generator, self.shape, _wide(self.dtype.np))
    return _bernoulli_op(bits, _bernoulli_p(p), dtype=self.dtype.np)


def _exponential_like(self, lambd=1.0, *, generator=None):
    if not self.dtype.is_floating_point:
        raise RuntimeError("Exponential distribution is a continuous probability distribution. dtype must be a "
                           f"floating point but you specified {_aten(self.dtype)}")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={_g(lambd)}")
    return _exponential_op(_draw(generator, self.shape, self.dtype.np), float(lambd), dtype=self.dtype.np)


def _cauchy_like(self, median=0.0, sigma=1.0, *, generator=None):
    if not self.dtype.is_floating_point:
        raise RuntimeError("Cauchy distribution is a continuous probability distribution. dtype must be a floating "
                           f"point but you specified {_C_INT_NAMES.get(self.dtype.name, self.dtype.name)}")
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={_g(sigma)}")
    return _cauchy_op(_draw(generator, self.shape, self.dtype.np), float(median), float(sigma), dtype=self.dtype.np)


def _log_normal_like(self, mean=1.0, std=2.0, *, generator=None):
    _float_dtype(self.dtype, "log_normal_cpu")
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={_g(std)}")
    return _log_normal_op(_draw(generator, self.shape, self.dtype.np), float(mean), float(std), dtype=self.dtype.np)


def _geometric_like(self, p, *, generator=None):
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_g(p)}")
    return _geometric_op(_draw(generator, self.shape, self.dtype.np), float(p), dtype=self.dtype.np)


Tensor.uniform_ = _sampler(_uniform_like, "uniform_")
Tensor.normal_ = _sampler(_normal_like, "normal_")
Tensor.random_ = _sampler(_random_like, "random_")
Tensor.bernoulli_ = _sampler(_bernoulli_like, "bernoulli_")
Tensor.exponential_ = _sampler(_exponential_like, "exponential_")
Tensor.cauchy_ = _sampler(_cauchy_like, "cauchy_")
Tensor.log_normal_ = _sampler(_log_normal_like, "log_normal_")
Tensor.geometric_ = _sampler(_geometric_like, "geometric_")
Tensor.bernoulli = lambda self, p=None, *, generator=None: bernoulli(self, p, generator=generator)
Tensor.multinomial = lambda self, num_samples, replacement=False, *, generator=None: multinomial(
    self, num_samples, replacement, generator=generator)
