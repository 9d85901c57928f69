"""jtorch: the PyTorch API on JAX.

``import jtorch as torch`` and a PyTorch script runs on XLA. Every name here is re-exported
explicitly from the module that defines it.
"""
import jax as _jax

_jax.config.update("jax_enable_x64", True)

from . import _dtype, _ops  # noqa: E402
from ._device import device  # noqa: E402
from ._dtype import *  # noqa: E402,F401,F403  (dtypes and promotion; see _dtype.__all__)
from ._dtype import bool, float, int  # noqa: E402,F401  (shadow the builtins like torch does)
from ._legacy import *  # noqa: E402,F401,F403
from ._tensor import Size, Tensor  # noqa: E402
from ._tensor_str import get_printoptions, printoptions, set_printoptions  # noqa: E402,F401
from ._runtime import *  # noqa: E402,F401,F403
from ._ops.conversion import clone  # noqa: E402,F401
from ._ops.creation import *  # noqa: E402,F401,F403
from ._ops.pointwise import *  # noqa: E402,F401,F403
from ._ops.random_ops import *  # noqa: E402,F401,F403
from ._ops.reduction import *  # noqa: E402,F401,F403
from ._ops.views import *  # noqa: E402,F401,F403
from ._ops.indexing import *  # noqa: E402,F401,F403
from ._ops.shape import *  # noqa: E402,F401,F403
from ._ops.linalg import *  # noqa: E402,F401,F403
from ._ops.activation import *  # noqa: E402,F401,F403
from . import autograd, backends, cuda, accelerator, random  # noqa: E402,F401
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled  # noqa: E402,F401
from . import special  # noqa: E402,F401
from .random import Generator, default_generator, fork_rng, get_rng_state, initial_seed, manual_seed, seed, set_rng_state  # noqa: E402,F401,E501
from . import linalg  # noqa: E402,F401
from . import serialization  # noqa: E402,F401
from .serialization import load, save  # noqa: E402,F401
from . import nn  # noqa: E402,F401
from . import optim  # noqa: E402,F401
from ._ops.toplevel_nn import *  # noqa: E402,F401,F403
from ._ops.control_flow import cond  # noqa: E402,F401
from ._ops.extra import *  # noqa: E402,F401,F403
from ._ops.extra_stats import *  # noqa: E402,F401,F403
from ._ops.extra_linalg import *  # noqa: E402,F401,F403
from ._ops.extra_views import *  # noqa: E402,F401,F403
from ._ops.extra_windows import *  # noqa: E402,F401,F403
from . import utils  # noqa: E402,F401
from ._compile import compile  # noqa: E402,F401
from . import compiler  # noqa: E402,F401

__version__ = "2.13.0+jtorch"


def __getattr__(name):
    """``jtorch.hub`` (it pulls in ``jtorch.vision``) and ``jtorch._dynamo`` are imported on first use."""
    if name in ("hub", "_dynamo"):
        import importlib

        return importlib.import_module("." + name, __name__)
    raise AttributeError(f"module 'jtorch' has no attribute '{name}'")
