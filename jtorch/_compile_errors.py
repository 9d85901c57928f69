"""The exceptions of compiled mode, importable by ops without importing the compiler."""

__all__ = ["GraphBreakError", "DataDependentOpError"]


class GraphBreakError(RuntimeError):
    """A compiled function with ``fullgraph=True`` needs a concrete value (a graph break)."""


class DataDependentOpError(RuntimeError):
    """Code that needs concrete tensor values (an output shape from the data, a non-default
    generator, an eager-only function) ran on traced (compiled) tensors."""
