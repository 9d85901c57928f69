"""``torch.compiler``: reset compiled code, explain recompilations and graph breaks, and look at
the compiled programs (op count, compile time, jaxpr, StableHLO/HLO, XLA's cost analysis)."""
import functools
import os

from .._compile.api import CONFIG, LIVE, CompiledFunction, OptimizedModule
from .._compile_errors import DataDependentOpError, GraphBreakError
from .. import random as _R

from .compare import Comparison, compare

__all__ = ["reset", "explain", "dump", "is_compiling", "disable", "set_logging", "compare", "Comparison",
           "GraphBreakError"]


def _compiled(fn):
    if isinstance(fn, OptimizedModule):
        return fn._compiled_call
    if isinstance(fn, CompiledFunction):
        return fn
    raise TypeError(f"expected a function or module returned by jtorch.compile, got {type(fn).__name__}")


def reset():
    """Forget every compiled program of every compiled function (``torch.compiler.reset``)."""
    for fn in list(LIVE):
        fn.reset()


def is_compiling():
    """Whether the code is being traced into a compiled program right now."""
    return _R._compiling[0]


def disable(fn=None, recursive=True):
    """``torch.compiler.disable``: ``fn`` runs eagerly. Called while a compiled function is being
    traced, it is a graph break (that call signature then runs eagerly, or with
    ``fullgraph=True`` an error), since a jtorch program cannot call back into eager code."""
    if fn is None:
        return lambda f: disable(f, recursive)

    @functools.wraps(fn)
    def eager_only(*args, **kwargs):
        if _R._compiling[0]:
            raise DataDependentOpError(f"{getattr(fn, '__qualname__', fn)!s} is marked jtorch.compiler.disable, so it "
                                       "cannot run inside a compiled program")
        return fn(*args, **kwargs)
    return eager_only


def set_logging(recompiles=True):
    """Print the reason each time a compiled function compiles a new program."""
    CONFIG["log_recompiles"] = bool(recompiles)


class Explanation:
    """What ``explain`` reports for a compiled function."""

    def __init__(self, compiled):
        programs = compiled.programs()
        self.program_count = len(programs)
        self.recompile_reasons = [list(r) for r in compiled.recompiles]
        self.graph_breaks = list(compiled.graph_breaks)
        self.op_counts = [p.stats()["op_count"] for p in programs]
        self.compile_seconds = list(compiled.compile_seconds)

    def __str__(self):
        lines = [f"Programs compiled: {self.program_count}",
                 f"Recompiles: {len(self.recompile_reasons)}"]
        for i, reasons in enumerate(self.recompile_reasons, 1):
            lines.append(f"  recompile {i}: " + "; ".join(reasons))
        lines.append(f"Graph breaks: {len(self.graph_breaks)}")
        lines += [f"  {b}" for b in self.graph_breaks]
        for i, (ops, sec) in enumerate(zip(self.op_counts, self.compile_seconds)):
            lines.append(f"Program {i}: {ops} ops, compiled in {sec:.3f} s")
        return "\n".join(lines)

    __repr__ = __str__


def explain(fn):
    """Program count, each recompilation's reasons in PyTorch terms (``input 0: shape (64, 3, 32, 32)
    -> (16, 3, 32, 32)``, ``model.training changed``), graph breaks, op counts and compile times of
    a compiled function or module. Differs from ``torch._dynamo.explain``: it reports on the calls
    made so far instead of running the function."""
    return Explanation(_compiled(fn))


def dump(fn, directory):
    """Write each program's jaxpr, StableHLO, optimized HLO and cost analysis of a compiled function
    to ``directory`` (``program<i>.jaxpr.txt``, ``.stablehlo.txt``, ``.hlo.txt``, ``.cost.txt``);
    returns the paths written."""
    os.makedirs(directory, exist_ok=True)
    paths = []
    for i, program in enumerate(_compiled(fn).programs()):
        stats = program.stats()
        for suffix, text in (("jaxpr", stats["jaxpr"]), ("stablehlo", stats["stablehlo"]), ("hlo", stats["hlo"]),
                             ("cost", repr(stats["cost_analysis"]))):
            path = os.path.join(directory, f"program{i}.{suffix}.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            paths.append(path)
    return paths
