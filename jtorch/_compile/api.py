"""``jtorch.compile``: a function or module as XLA programs, one per call signature."""
import functools
import warnings
import weakref

from ..nn.modules.module import Module
from .. import random as R
from .breaks import GraphBreakError, describe, is_break
from .discover import discover
from .program import Program, StateChanged, explain_change, leaves_of, signature, signature_labels

__all__ = ["compile", "CompiledFunction", "OptimizedModule", "LIVE", "CONFIG"]

LIVE = weakref.WeakSet()
CONFIG = {"log_recompiles": False, "disable": False}
_EAGER = "eager"


class CompiledFunction:
    """A compiled function (what ``jtorch.compile(fn)`` returns); call it like ``fn``.

    The first call runs eagerly (it creates optimizer state and gradients); each later call with
    a new signature (argument shapes/dtypes, ``requires_grad``, non-float Python arguments,
    ``module.training``, grad mode, optimizer options) traces the ordinary eager code once into
    one XLA program, compiles it and runs it; calls with a known signature only run the program.
    Parameters, buffers, gradients, optimizer state, learning rates and the RNG counter are found
    automatically and threaded through the program (see ``jtorch._compile.program``).

    Code a static graph cannot express (``if`` on a tensor value, ``.item()``, ``.tolist()``,
    ``print`` of a tensor, data-dependent shapes) is found while tracing: with
    ``fullgraph=True`` it raises :class:`GraphBreakError` naming the line and the way out;
    otherwise that signature runs eagerly from then on, after one warning saying why.

    Differs from ``torch.compile``: Python floats passed as arguments are part of the signature
    (a new value recompiles, it is never frozen); other Python state mutated inside (besides LR
    scheduler steps, which are replayed) is not replayed; ``dynamic`` is accepted and ignored
    (every new shape compiles); buffers are not donated.
    """

    def __init__(self, fn, fullgraph=False, dynamic=None, disable=False):
        self._fn = fn
        self.fullgraph = fullgraph
        self.dynamic = dynamic
        self.disable = disable
        self.reset()
        if not isinstance(fn, Module):
            functools.update_wrapper(self, fn)
        LIVE.add(self)

    def reset(self):
        """Forget every compiled program (the next call runs eagerly, then compiles again)."""
        self._programs = {}
        self._found = None
        self._warm = False
        self._last_key = None
        self.recompiles = []
        self.graph_breaks = []
        self.compile_seconds = []

    def _state(self, args, kwargs):
        if self._found is None:
            self._found = discover(self._fn, args, kwargs)
            self._params = self._found.parameters()
        return self._found, self._params

    def __call__(self, *args, **kwargs):
        if self.disable or CONFIG["disable"] or R._compiling[0]:
            return self._fn(*args, **kwargs)
        if not self._warm:
            self._warm = True
            return self._fn(*args, **kwargs)
        found, params = self._state(args, kwargs)
        leaves, treedef = leaves_of(args, kwargs)
        key = signature(leaves, treedef, found, params)
        program = self._programs.get(key)
        if program is _EAGER:
            return self._fn(*args, **kwargs)
        if program is None:
            program = self._build(args, kwargs)
            if program is None:
                return self._fn(*args, **kwargs)
        return program.run(leaves)

    def _build(self, args, kwargs):
        """Trace and compile a program for this call's signature; None when it must run eagerly."""
        self._found = None
        found, params = self._state(args, kwargs)
        leaves, treedef = leaves_of(args, kwargs)
        key = signature(leaves, treedef, found, params)
        program = Program(self._fn, leaves, treedef, found, params)
        try:
            seconds = program.compile()
        except StateChanged:
            return None
        except Exception as exc:
            if not is_break(exc):
                raise
            reason = describe(exc)
            if self.fullgraph:
                raise GraphBreakError(reason) from exc
            self.graph_breaks.append(reason)
            self._programs[key] = _EAGER
            warnings.warn(f"jtorch.compile: this call signature runs eagerly (graph break): {reason}", stacklevel=4)
            return None
        labelled = signature_labels(key, found)
        if self._last_key is not None:
            reasons = explain_change(self._last_key, labelled)
            self.recompiles.append(reasons)
            if CONFIG["log_recompiles"]:
                print(f"jtorch.compile: recompiling {getattr(self, '__name__', self._fn)!s}: " + "; ".join(reasons))
        self._last_key = labelled
        self._programs[key] = program
        self.compile_seconds.append(seconds)
        return program

    def programs(self):
        """The compiled programs so far (one per call signature)."""
        return [p for p in self._programs.values() if p is not _EAGER]

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return functools.partial(self, obj)


class OptimizedModule(Module):
    """What ``jtorch.compile(module)`` returns: the module (as ``_orig_mod``, so ``state_dict``
    keys gain the ``_orig_mod.`` prefix like PyTorch's) with a compiled ``forward``; every
    other attribute is the original module's."""

    def __init__(self, mod, compiled):
        super().__init__()
        self._orig_mod = mod
        object.__setattr__(self, "_compiled_call", compiled)

    def forward(self, *args, **kwargs):
        return self._compiled_call(*args, **kwargs)

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self._modules["_orig_mod"], name)


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None, options=None,
            disable=False):
    """``torch.compile``: ``model`` (a function or module) compiled into XLA programs; also a
    decorator, with or without arguments. ``backend``, ``mode`` and ``options`` are accepted and
    ignored (XLA compiles everything); see :class:`CompiledFunction` for what is compiled and how."""
    if model is None:
        return lambda m: compile(m, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode,
                                 options=options, disable=disable)
    if isinstance(model, Module):
        return OptimizedModule(model, CompiledFunction(model, fullgraph, dynamic, disable))
    if not callable(model):
        raise RuntimeError(f"Unsupported type {type(model).__name__} for torch.compile: expected a function or an "
                           "nn.Module")
    return CompiledFunction(model, fullgraph, dynamic, disable)
