"""``torchvision.transforms`` (the v1 API): transform classes, ``functional`` and
``InterpolationMode``, plus the batched fast path the built-in datasets use
(:func:`supports_batch`, :func:`apply_batch`)."""
from . import functional, transforms
from ._batched import apply_batch, supports_batch
from .transforms import *  # noqa: F401,F403  (the classes; see transforms.__all__)
from .transforms import __all__ as _classes

__all__ = list(_classes) + ["functional", "transforms", "supports_batch", "apply_batch"]
