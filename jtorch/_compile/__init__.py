"""Compiled mode: ``jtorch.compile`` traces ordinary eager jtorch code into XLA programs."""
from .api import CompiledFunction, OptimizedModule, compile
from .._compile_errors import GraphBreakError

__all__ = ["compile", "CompiledFunction", "OptimizedModule", "GraphBreakError"]
