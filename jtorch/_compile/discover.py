"""Finding the state a compiled function touches: modules, optimizers, schedulers and tensors
reachable from the function (its arguments, bound ``self``, closure cells and the globals its
code names, following the global functions it calls a few levels deep).

The state a program threads in and out is then every storage of those modules' parameters,
buffers and gradients, the optimizers' state tensors, and the loose tensors found, plus the
optimizers' learning rates (traced, so editing ``param_groups[i]['lr']`` never recompiles).
"""
import inspect
import types

from .._tensor import Tensor
from ..nn.modules.module import Module
from ..optim.lr_scheduler import LRScheduler
from ..optim.optimizer import Optimizer

__all__ = ["Found", "discover"]

_MAX_DEPTH = 3


class Found:
    """What :func:`discover` found: modules (each once), optimizers, schedulers, loose tensors."""

    __slots__ = ("modules", "optimizers", "schedulers", "tensors", "names")

    def __init__(self):
        self.modules = {}
        self.optimizers = {}
        self.schedulers = {}
        self.tensors = {}
        self.names = {}

    def add(self, obj, name, depth=0):
        """Record ``obj`` (reached as ``name``) if it is state, or a container of state (one level)."""
        if isinstance(obj, Tensor):
            self.tensors.setdefault(id(obj), obj)
        elif isinstance(obj, Module):
            for sub, m in obj.named_modules():
                if id(m) not in self.modules:
                    self.modules[id(m)] = m
                    self.names[id(m)] = f"{name}.{sub}" if sub else name
        elif isinstance(obj, Optimizer):
            self.optimizers.setdefault(id(obj), obj)
        elif isinstance(obj, LRScheduler):
            self.schedulers.setdefault(id(obj), obj)
            self.add(obj.optimizer, f"{name}.optimizer")
        elif depth == 0 and isinstance(obj, (list, tuple, set, frozenset)):
            for i, v in enumerate(obj):
                self.add(v, f"{name}[{i}]", 1)
        elif depth == 0 and isinstance(obj, dict):
            for k, v in obj.items():
                self.add(v, f"{name}[{k!r}]", 1)

    def name_of(self, module):
        """The name ``module`` was reached by (``model``, ``model.conv1``, ``input 0``...)."""
        return self.names.get(id(module), type(module).__name__)

    def parameters(self):
        """Every parameter of the modules and optimizers found (each once, in a stable order)."""
        seen = {}
        for m in self.modules.values():
            for p in m._parameters.values():
                if p is not None:
                    seen.setdefault(id(p), p)
        for opt in self.optimizers.values():
            for group in opt.param_groups:
                for p in group["params"]:
                    seen.setdefault(id(p), p)
        return list(seen.values())

    def state_tensors(self):
        """Buffers, optimizer state tensors and loose tensors (parameters excluded)."""
        out = {}
        for m in self.modules.values():
            for b in m._buffers.values():
                if b is not None:
                    out.setdefault(id(b), b)
        for opt in self.optimizers.values():
            for st in opt.state.values():
                for v in st.values():
                    if isinstance(v, Tensor):
                        out.setdefault(id(v), v)
        for t in self.tensors.values():
            out.setdefault(id(t), t)
        return list(out.values())


def _code_objects(code):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


def _walk_function(fn, found, seen, depth):
    fn = inspect.unwrap(fn) if callable(fn) else fn
    if isinstance(fn, types.MethodType):
        found.add(fn.__self__, "self")
        fn = fn.__func__
    if not isinstance(fn, types.FunctionType) or id(fn) in seen or depth > _MAX_DEPTH:
        return
    seen.add(id(fn))
    for cell_name, cell in zip(fn.__code__.co_freevars, fn.__closure__ or ()):
        try:
            value = cell.cell_contents
        except ValueError:
            continue
        found.add(value, cell_name)
        if isinstance(value, (types.FunctionType, types.MethodType)):
            _walk_function(value, found, seen, depth + 1)
    g = fn.__globals__
    for code in _code_objects(fn.__code__):
        for name in code.co_names:
            if name in g:
                value = g[name]
                found.add(value, name)
                if isinstance(value, (types.FunctionType, types.MethodType)):
                    _walk_function(value, found, seen, depth + 1)


def discover(fn, args, kwargs):
    """The state reachable from calling ``fn(*args, **kwargs)``."""
    found = Found()
    for i, a in enumerate(args):
        found.add(a, f"input {i}")
    for k, a in kwargs.items():
        found.add(a, k)
    found.tensors.clear()  # argument tensors are inputs of each call, not state
    if isinstance(fn, Module):
        found.add(fn, "model")
        fn = fn.forward
    _walk_function(fn, found, set(), 0)
    return found
