"""``torch.special``: special mathematical functions.

Functions PyTorch also has at top level (``erf``, ``i0``, ``logit``, ...) are the same objects as
``jtorch.<name>``; the rest are defined here with the op builders of the pointwise family.
``bessel_j0``/``bessel_j1`` and the orthogonal polynomials are not provided (JAX has no accurate
kernels for them).
"""
import math

import jax
import jax.numpy as jnp
from jax.scipy import special as _jsp

from ._ops import pointwise as _pw
from ._ops.activation import log_softmax as _log_softmax, softmax as _softmax
from ._ops.reduction import logsumexp
from ._ops.pointwise import (digamma, erf, erfc, erfinv, exp2, expm1, i0, log1p, logit, polygamma, round, sinc,
                             xlogy)

__all__ = ["expit", "logit", "erf", "erfc", "erfinv", "erfcx", "exp2", "expm1", "log1p", "logsumexp", "softmax",
           "log_softmax", "sinc", "i0", "i0e", "i1", "i1e", "xlogy", "xlog1py", "gammaln", "digamma", "psi",
           "polygamma", "multigammaln", "ndtr", "ndtri", "log_ndtr", "entr", "round", "zeta", "gammainc",
           "gammaincc"]

_REAL = {"complex": None}
_REAL_NO_HALF = {"complex": None, "float16": None, "bfloat16": None}


def _in_float32(fn):
    """``fn`` evaluated in float32 for half-precision inputs (JAX's half kernels for it are inaccurate)."""
    def kernel(a):
        if a.dtype.itemsize < 4:
            return fn(a.astype(jnp.float32)).astype(a.dtype)
        return fn(a)
    return kernel


@jax.custom_jvp
def _entr_kernel(a):
    return jnp.where(a > 0, -a * jnp.log(jnp.where(a > 0, a, 1)),
                     jnp.where(a == 0, jnp.zeros_like(a), jnp.where(jnp.isnan(a), a, -jnp.inf)))


@_entr_kernel.defjvp
def _entr_jvp(primals, tangents):
    """PyTorch's entr derivative ``-(1 + log(x))`` (``inf`` at 0, NaN below)."""
    a, = primals
    return _entr_kernel(a), -(1 + jnp.log(a)) * tangents[0]


@jax.custom_jvp
def _ndtri_kernel(p):
    return _jsp.ndtri(p)


@_ndtri_kernel.defjvp
def _ndtri_jvp(primals, tangents):
    y = _ndtri_kernel(primals[0])
    return y, tangents[0] * math.sqrt(2 * math.pi) * jnp.exp(y * y / 2)


def expit(input, *, out=None):
    """The logistic sigmoid ``1 / (1 + exp(-input))``."""
    return _pw.sigmoid(input, out=out)


gammaln = _pw.lgamma
psi = digamma
erfcx = _pw.unary("erfcx", _jsp.erfcx, reject=_REAL_NO_HALF)
i0e = _pw.unary("i0e", _in_float32(_jsp.i0e), reject=_REAL)
i1 = _pw.unary("i1", _in_float32(_jsp.i1), reject=_REAL)
i1e = _pw.unary("i1e", _in_float32(_jsp.i1e), reject=_REAL)
ndtr = _pw.unary("ndtr", _in_float32(_jsp.ndtr), kernel="erf_vml_cpu", reject=_REAL)
ndtri = _pw.unary("ndtri", _ndtri_kernel, reject=_REAL_NO_HALF)
log_ndtr = _pw.unary("log_ndtr", _jsp.log_ndtr, reject=_REAL_NO_HALF)
entr = _pw.unary("entr", _entr_kernel, reject=_REAL)
xlog1py = _pw.binary("xlog1py", _pw._xlog1py, float_result=True, scalar_self=True, reject=_REAL)
zeta = _pw.binary("zeta", _jsp.zeta, float_result=True, scalar_self=True, reject=_REAL)
gammainc = _pw.igamma
gammaincc = _pw.igammac


def multigammaln(input, p, *, out=None):
    """The multivariate log-gamma function (``torch.mvlgamma``)."""
    return _pw.mvlgamma(input, p, out=out)


def softmax(input, dim, *, dtype=None):
    """Softmax over ``dim`` (computed in ``dtype`` when given)."""
    return _softmax(input, dim, dtype=dtype)


def log_softmax(input, dim, *, dtype=None):
    """Log-softmax over ``dim`` (computed in ``dtype`` when given)."""
    return _log_softmax(input, dim, dtype=dtype)
