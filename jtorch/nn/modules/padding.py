"""Padding layers: zero, constant, reflection, replication and circular, in 1/2/3-D
(PyTorch's modules; ``padding`` is stored as the full ``F.pad`` tuple)."""
from .. import functional as F
from .module import Module
from .utils import _ntuple, _pair, _quadruple

__all__ = ["CircularPad1d", "CircularPad2d", "CircularPad3d", "ConstantPad1d", "ConstantPad2d", "ConstantPad3d",
           "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d", "ReplicationPad2d",
           "ReplicationPad3d", "ZeroPad1d", "ZeroPad2d", "ZeroPad3d"]

_sextuple = _ntuple(6)
_EXPAND = {1: _pair, 2: _quadruple, 3: _sextuple}


class _ModePadNd(Module):
    """Padding by ``F.pad`` mode ``_mode`` over ``_n`` trailing dims."""

    _n = 0
    _mode = ""

    def __init__(self, padding):
        super().__init__()
        self.padding = _EXPAND[self._n](padding)

    def forward(self, input):
        """Pad ``input``."""
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self):
        return f"{self.padding}"


class _CircularPadNd(_ModePadNd):
    """Circular padding; also checks the input's rank like PyTorch."""

    _mode = "circular"

    def _check_input_dim(self, input):
        n = self._n + 1
        if input.dim() != n and input.dim() != n + 1:
            raise ValueError(f"expected {n}D or {n + 1}D input (got {input.dim()}D input)")

    def forward(self, input):
        """Pad ``input`` circularly."""
        self._check_input_dim(input)
        return F.pad(input, self.padding, "circular")


class CircularPad1d(_CircularPadNd):
    """Pad the last dim by wrapping around."""

    _n = 1


class CircularPad2d(_CircularPadNd):
    """Pad the last 2 dims by wrapping around."""

    _n = 2


class CircularPad3d(_CircularPadNd):
    """Pad the last 3 dims by wrapping around."""

    _n = 3


class _ReflectionPadNd(_ModePadNd):
    """Reflection padding (the edge is not repeated)."""

    _mode = "reflect"


class ReflectionPad1d(_ReflectionPadNd):
    """Reflection-pad the last dim."""

    _n = 1


class ReflectionPad2d(_ReflectionPadNd):
    """Reflection-pad the last 2 dims."""

    _n = 2


class ReflectionPad3d(_ReflectionPadNd):
    """Reflection-pad the last 3 dims."""

    _n = 3


class _ReplicationPadNd(_ModePadNd):
    """Replication padding (the edge value is repeated)."""

    _mode = "replicate"


class ReplicationPad1d(_ReplicationPadNd):
    """Replication-pad the last dim."""

    _n = 1


class ReplicationPad2d(_ReplicationPadNd):
    """Replication-pad the last 2 dims."""

    _n = 2


class ReplicationPad3d(_ReplicationPadNd):
    """Replication-pad the last 3 dims."""

    _n = 3


class _ConstantPadNd(Module):
    """Constant padding with ``value``."""

    _n = 0

    def __init__(self, padding, value):
        super().__init__()
        self.value = value
        self.padding = _EXPAND[self._n](padding)

    def forward(self, input):
        """Pad ``input`` with ``value``."""
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Constant-pad the last dim."""

    _n = 1


class ConstantPad2d(_ConstantPadNd):
    """Constant-pad the last 2 dims."""

    _n = 2


class ConstantPad3d(_ConstantPadNd):
    """Constant-pad the last 3 dims."""

    _n = 3


class ZeroPad1d(ConstantPad1d):
    """Zero-pad the last dim."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    """Zero-pad the last 2 dims."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ZeroPad3d(ConstantPad3d):
    """Zero-pad the last 3 dims."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"
