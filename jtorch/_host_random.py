"""Random numbers for host-side data code (transforms, samplers, DataLoader seeds), without JAX.

Data code runs in DataLoader worker processes, which must never start JAX, and per-sample work
must cost what numpy costs. So host draws are a counter-based hash, computed in plain Python or
numpy: value ``k`` of stream ``s`` under ``seed`` is ``bits64(seed, s, k)``.

* Outside a DataLoader, host draws come from jtorch's generator (``jtorch.manual_seed``
  reproduces them): each draw takes the generator's next counter value, exactly as a device draw
  does, so ``get_rng_state``/``set_rng_state``/``fork_rng`` cover host draws too.
* Inside a DataLoader, each sample draws from its own stream, keyed by the epoch's base seed
  and the sample's position in the epoch (see :func:`use`). A sample's random transforms then
  give the same result whichever worker fetches it, and a batched fast path that draws for all
  samples of a batch at once (a :class:`Stream` over an array of positions) gives exactly what
  the per-sample path gives.

Differs from PyTorch: the numbers are not PyTorch's (its CPU generator is a Mersenne Twister).
"""
import contextlib

import numpy as np

__all__ = ["Stream", "GeneratorSource", "bits64", "current", "use", "use_batch", "batch_positions", "random", "randint", "uniform", "randperm",
           "numpy_generator", "draw_seed"]

_M = 0xFFFF_FFFF_FFFF_FFFF
_GOLDEN = 0x9E37_79B9_7F4A_7C15
_MUL1 = 0xBF58_476D_1CE4_E5B9
_MUL2 = 0x94D0_49BB_1331_11EB
_GENERATOR_STREAM = 0
_SMALL_BATCH = 12  # up to this many streams, Python ints beat ~20 small numpy uint64 passes


def _mix_int(x):
    """splitmix64's finaliser on a Python int (64-bit arithmetic)."""
    x = ((x ^ (x >> 30)) * _MUL1) & _M
    x = ((x ^ (x >> 27)) * _MUL2) & _M
    return x ^ (x >> 31)


_U30, _U27, _U31 = np.uint64(30), np.uint64(27), np.uint64(31)
_UMUL1, _UMUL2, _UGOLDEN, _UONE = np.uint64(_MUL1), np.uint64(_MUL2), np.uint64(_GOLDEN), np.uint64(1)


def _mix_array(x):
    """splitmix64's finaliser on a uint64 array, in place (numpy wraps array arithmetic modulo 2**64)."""
    x ^= x >> _U30
    x *= _UMUL1
    x ^= x >> _U27
    x *= _UMUL2
    x ^= x >> _U31
    return x


def bits64(seed, stream, counter):
    """64 random bits for (seed, stream, counter); ``stream`` may be an int array (one value each)."""
    seed &= _M
    counter_term = (_GOLDEN * (counter + 1)) & _M
    if isinstance(stream, np.ndarray):
        if stream.size <= _SMALL_BATCH:
            return np.array([_mix_int((_mix_int((seed + (int(v) + 1) * _GOLDEN) & _M) + counter_term) & _M)
                             for v in stream.reshape(-1)], dtype=np.uint64).reshape(stream.shape)
        x = stream.astype(np.uint64)
        x += _UONE
        x *= _UGOLDEN
        x += np.uint64(seed)
        x = _mix_array(x)
        x += np.uint64(counter_term)
        return _mix_array(x)
    x = _mix_int((seed + (stream + 1) * _GOLDEN) & _M)
    return _mix_int((x + counter_term) & _M)


def _to_unit(bits):
    """53 high bits as a float in [0, 1) (a float64 array for array input)."""
    if isinstance(bits, np.ndarray):
        return (bits >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))
    return (bits >> 11) * (1.0 / (1 << 53))


class Stream:
    """One host random stream per sample: ``seed`` and ``stream`` (an int, or an int64 array for a
    batch of samples, one stream each), advanced by ``counter``. ``random()`` returns a float, or a
    float64 array with one value per stream."""

    __slots__ = ("seed", "stream", "counter")

    def __init__(self, seed, stream, counter=0):
        self.seed = int(seed)
        self.stream = stream
        self.counter = counter

    def bits(self):
        """The next 64 random bits (per stream); advances the counter."""
        c = self.counter
        self.counter = c + 1
        return bits64(self.seed, self.stream, c)

    def random(self):
        """The next uniform value in [0, 1) (per stream); advances the counter."""
        return _to_unit(self.bits())

    def split(self):
        """The per-sample streams of a batch stream, each at this stream's counter."""
        return [Stream(self.seed, int(s), self.counter) for s in np.asarray(self.stream).reshape(-1)]

    @property
    def batched(self):
        """Whether this stream draws for a batch (an array of sample positions)."""
        return isinstance(self.stream, np.ndarray)


class GeneratorSource:
    """Host draws from a jtorch ``Generator``: each draw uses (and advances) its counter."""

    __slots__ = ("generator",)
    batched = False

    def __init__(self, generator):
        self.generator = generator

    def bits(self):
        seed, c = self.generator.next_key_parts()
        return bits64(seed, _GENERATOR_STREAM, c)

    def random(self):
        return _to_unit(self.bits())


_active = []
_batches = []


def current(generator=None):
    """The source host draws come from: ``generator`` when given, else the innermost :func:`use`
    stream, else jtorch's default generator."""
    if generator is not None:
        return GeneratorSource(generator)
    if _active:
        return _active[-1]
    from .random import default_generator

    return GeneratorSource(default_generator)


@contextlib.contextmanager
def use(source):
    """Make ``source`` (a :class:`Stream`) the source of host draws inside the block."""
    _active.append(source)
    try:
        yield source
    finally:
        _active.pop()


@contextlib.contextmanager
def use_batch(seed, positions):
    """The block fetches a batch: sample ``k`` draws from stream ``positions[k]`` under ``seed``.

    A built-in dataset's ``__getitems__`` reads this with :func:`batch_positions` and draws for
    all samples at once (``Stream(seed, positions)``) or sample by sample. Other code in the
    block draws from one stream (``positions[0]``), so it stays reproducible.
    """
    positions = np.asarray(positions, dtype=np.int64)
    _batches.append((int(seed), positions))
    _active.append(Stream(seed, int(positions[0]) if positions.size else 0))
    try:
        yield
    finally:
        _active.pop()
        _batches.pop()


def batch_positions():
    """(seed, positions) of the batch being fetched (see :func:`use_batch`), or None."""
    return _batches[-1] if _batches else None


def random(source=None):
    """A uniform float in [0, 1) (an array for a batched stream)."""
    return (source or current()).random()


def uniform(low, high, source=None):
    """A uniform float in [low, high) (an array for a batched stream)."""
    return low + (high - low) * random(source)


def randint(low, high, source=None):
    """A uniform int in [low, high) (an int64 array for a batched stream), like ``torch.randint``."""
    if high <= low:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    u = random(source)
    if isinstance(u, np.ndarray):
        return low + np.minimum(np.floor(u * (high - low)).astype(np.int64), high - low - 1)
    return low + min(int(u * (high - low)), high - low - 1)


def numpy_generator(source=None):
    """A numpy Generator seeded by one host draw (for permutations and bulk draws)."""
    src = source or current()
    if getattr(src, "batched", False):
        raise RuntimeError("a numpy generator needs a single (per-sample) stream, not a batched one")
    return np.random.Generator(np.random.Philox(key=src.bits()))


def randperm(n, source=None):
    """A random permutation of ``range(n)`` as an int64 numpy array (one host draw)."""
    return numpy_generator(source).permutation(n).astype(np.int64)


def draw_seed(generator=None):
    """A non-negative 63-bit seed drawn from ``generator`` (default: jtorch's), like
    ``torch.empty((), dtype=torch.int64).random_(generator=g).item()`` in PyTorch's DataLoader."""
    return current(generator).bits() >> 1
