"""Compiled mode: ``jtorch.compile`` traces ordinary eager jtorch code into XLA programs."""
from .api import CompiledFunction, OptimizedModule, compile
from .breaks import GraphBreakError

__all__ = ["compile", "CompiledFunction", "OptimizedModule", "GraphBreakError"]
