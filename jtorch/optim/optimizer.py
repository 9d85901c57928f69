"""``torch.optim.Optimizer``: parameter groups, per-parameter state, hooks and state dicts.

The base class is PyTorch's, line for line where behaviour is visible: the same validation
errors, the same ``state_dict()`` structure (state keyed by integer parameter index, groups
holding index lists), the same casting on ``load_state_dict()`` and the same step hooks.
The element-wise optimizers build on :class:`ElementwiseOptimizer`, which runs one jitted
update per parameter group (hyperparameters traced, so editing ``group['lr']`` never
recompiles) and writes the results into the parameters and state tensors in place.
"""
import functools
import itertools
import warnings
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from copy import deepcopy

import jax
import jax.numpy as jnp

from .. import _dtype as D
from .._runtime import typename
from .._tensor import Tensor, wrap
from ..autograd.grad_mode import enable_grad, no_grad

__all__ = ["Optimizer", "register_optimizer_step_pre_hook", "register_optimizer_step_post_hook", "required"]


class RemovableHandle:
    """Handle returned by the ``register_*_hook`` methods; ``remove()`` unregisters the hook."""

    _next_id = 0

    def __init__(self, hooks_dict):
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = RemovableHandle._next_id
        RemovableHandle._next_id += 1

    def remove(self):
        """Unregister the hook (no-op if already removed)."""
        hooks_dict = self.hooks_dict_ref()
        if hooks_dict is not None and self.id in hooks_dict:
            del hooks_dict[self.id]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class _RequiredParameter:
    """Marks a default that every parameter group must set."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()

_global_optimizer_pre_hooks = OrderedDict()
_global_optimizer_post_hooks = OrderedDict()


def register_optimizer_step_pre_hook(hook):
    """Register ``hook(optimizer, args, kwargs)`` to run before every optimizer's ``step``."""
    handle = RemovableHandle(_global_optimizer_pre_hooks)
    _global_optimizer_pre_hooks[handle.id] = hook
    return handle


def register_optimizer_step_post_hook(hook):
    """Register ``hook(optimizer, args, kwargs)`` to run after every optimizer's ``step``."""
    handle = RemovableHandle(_global_optimizer_post_hooks)
    _global_optimizer_post_hooks[handle.id] = hook
    return handle


def _to_scalar(x):
    """A 1-element tensor hyperparameter as a 0-d tensor; anything else unchanged."""
    if isinstance(x, Tensor) and x.dim() != 0:
        return x.squeeze()
    return x


def _get_scalar_dtype():
    """The dtype of ``state['step']``: float64 when that is the default dtype, else float32."""
    return D.float64 if D.get_default_dtype() is D.float64 else D.float32


def _register(hooks_dict, hook, prepend=False):
    handle = RemovableHandle(hooks_dict)
    hooks_dict[handle.id] = hook
    if prepend:
        hooks_dict.move_to_end(handle.id, last=False)
    return handle


def _hooked_step(func):
    """Wrap a ``step`` so the global and per-optimizer pre/post hooks run around it."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        self = args[0]
        for pre_hook in itertools.chain(_global_optimizer_pre_hooks.values(),
                                        self._optimizer_step_pre_hooks.values()):
            result = pre_hook(self, args, kwargs)
            if result is not None:
                if isinstance(result, tuple) and len(result) == 2:
                    args, kwargs = result
                else:
                    raise RuntimeError(f"{func} must return None or a tuple of (new_args, new_kwargs), but got "
                                       f"{result}.")
        out = func(*args, **kwargs)
        self._optimizer_step_code()
        for post_hook in itertools.chain(self._optimizer_step_post_hooks.values(),
                                         _global_optimizer_post_hooks.values()):
            post_hook(self, args, kwargs)
        return out

    wrapper.hooked = True
    return wrapper


class Optimizer:
    """Base class for all optimizers (PyTorch's ``torch.optim.Optimizer``).

    ``params`` is an iterable of tensors, of ``(name, tensor)`` pairs, or of dicts (parameter
    groups); ``defaults`` holds the options a group does not set. Subclasses implement ``step``.
    """

    # Group options a pickled optimizer from an older version may lack (filled on unpickling),
    # and state entries older versions kept as Python numbers (turned into 0-d tensors).
    _group_defaults = {}
    _tensor_state_keys = ()

    def __init__(self, params, defaults):
        self.defaults = defaults
        self._optimizer_step_pre_hooks = OrderedDict()
        self._optimizer_step_post_hooks = OrderedDict()
        self._optimizer_state_dict_pre_hooks = OrderedDict()
        self._optimizer_state_dict_post_hooks = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks = OrderedDict()
        self._optimizer_load_state_dict_post_hooks = OrderedDict()
        self._patch_step_function()
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, "
                            "but got " + typename(params))
        self.state = defaultdict(dict)
        self.param_groups = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)
        for name in ("_optimizer_step_pre_hooks", "_optimizer_step_post_hooks", "_optimizer_state_dict_pre_hooks",
                     "_optimizer_state_dict_post_hooks", "_optimizer_load_state_dict_pre_hooks",
                     "_optimizer_load_state_dict_post_hooks"):
            if name not in self.__dict__:
                setattr(self, name, OrderedDict())
        self._patch_step_function()
        self.defaults.setdefault("differentiable", False)
        for group in self.param_groups:
            for key, value in self._group_defaults.items():
                group.setdefault(key, value)
        if self._tensor_state_keys:
            _tensor_steps(self, self._tensor_state_keys)

    def __repr__(self):
        format_string = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            format_string += "\n"
            format_string += f"Parameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    format_string += f"    {key}: {group[key]}\n"
        format_string += ")"
        return format_string

    def _optimizer_step_code(self):
        """Called after every ``step`` (PyTorch's profiler entry point); does nothing."""

    def _patch_step_function(self):
        cls = self.__class__
        if not getattr(cls.step, "hooked", None):
            cls.step = _hooked_step(cls.step)

    # ---- hooks ----
    def register_step_pre_hook(self, hook):
        """Register ``hook(optimizer, args, kwargs) -> None | (args, kwargs)`` to run before ``step``."""
        return _register(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook):
        """Register ``hook(optimizer, args, kwargs)`` to run after ``step``."""
        return _register(self._optimizer_step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook, prepend=False):
        """Register ``hook(optimizer)`` to run before ``state_dict()``."""
        return _register(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend=False):
        """Register ``hook(optimizer, state_dict) -> state_dict | None`` to run after ``state_dict()``."""
        return _register(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend=False):
        """Register ``hook(optimizer, state_dict) -> state_dict | None`` to run before ``load_state_dict()``."""
        return _register(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend=False):
        """Register ``hook(optimizer)`` to run after ``load_state_dict()``."""
        return _register(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    # ---- state dicts ----
    def state_dict(self):
        """``{'state': {index: per-parameter state}, 'param_groups': [group options + 'params': [indices]]}``.

        As in PyTorch the per-parameter state dicts and their tensors are the optimizer's own
        (not copies): later steps update them.
        """
        for pre_hook in self._optimizer_state_dict_pre_hooks.values():
            pre_hook(self)
        param_mappings = {}
        start_index = 0

        def pack_group(group):
            nonlocal start_index
            packed = {k: v for k, v in group.items() if k != "params"}
            param_mappings.update({id(p): i for i, p in enumerate(group["params"], start_index)
                                   if id(p) not in param_mappings})
            packed["params"] = [param_mappings[id(p)] for p in group["params"]]
            start_index += len(packed["params"])
            return packed

        param_groups = [pack_group(g) for g in self.param_groups]
        packed_state = {(param_mappings[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        state_dict = {"state": packed_state, "param_groups": param_groups}
        for post_hook in self._optimizer_state_dict_post_hooks.values():
            hook_result = post_hook(self, state_dict)
            if hook_result is not None:
                state_dict = hook_result
        return state_dict

    @staticmethod
    def _process_value_according_to_param_policy(param, value, param_id, param_groups, key=None):
        """Cast a loaded state tensor: floating state to the parameter's dtype; ``step`` kept
        unless the group is fused or capturable (then float32)."""
        fused = capturable = False
        for pg in param_groups:
            if param_id in pg["params"]:
                fused = pg.get("fused", False)
                capturable = pg.get("capturable", False)
                break
        if key == "step":
            return value.to(dtype=D.float32, device=param.device) if capturable or fused else value
        if param.is_floating_point():
            return value.to(dtype=param.dtype, device=param.device)
        return value.to(device=param.device)

    def load_state_dict(self, state_dict):
        """Load a ``state_dict()`` (the groups' options and the per-parameter state, matched by position).

        Raises ValueError when the number of groups or a group's size differs, like PyTorch.
        """
        state_dict = state_dict.copy()
        for pre_hook in self._optimizer_load_state_dict_pre_hooks.values():
            hook_result = pre_hook(self, state_dict)
            if hook_result is not None:
                state_dict = hook_result
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                             "optimizer's group")
        id_map = dict(zip(itertools.chain.from_iterable(g["params"] for g in saved_groups),
                          itertools.chain.from_iterable(g["params"] for g in groups)))

        def _cast(param, value, param_id=None, param_groups=None, key=None):
            if isinstance(value, Tensor):
                return Optimizer._process_value_according_to_param_policy(param, value, param_id, param_groups,
                                                                          key)
            if isinstance(value, dict):
                return {k: _cast(param, v, param_id=param_id, param_groups=param_groups, key=k)
                        for k, v in value.items()}
            if isinstance(value, Iterable):
                return type(value)(_cast(param, v, param_id=param_id, param_groups=param_groups) for v in value)
            return value

        state = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = _cast(param, v, param_id=k, param_groups=state_dict["param_groups"])
            else:
                state[k] = v

        def update_group(group, new_group):
            new_group["params"] = group["params"]
            if "param_names" in group and "param_names" not in new_group:
                new_group["param_names"] = group["param_names"]
            return new_group

        param_groups = [update_group(g, ng) for g, ng in zip(groups, saved_groups)]
        self.__setstate__({"state": state, "param_groups": param_groups})
        for post_hook in self._optimizer_load_state_dict_post_hooks.values():
            post_hook(self)

    # ---- gradients and steps ----
    def zero_grad(self, set_to_none=True):
        """Reset the gradients: set them to None (default) or zero them in place."""
        for group in self.param_groups:
            for p in group["params"]:
                g = p.grad
                if g is not None:
                    if set_to_none:
                        p.grad = None
                    else:
                        if g.grad_fn is not None:
                            g.detach_()
                        else:
                            g.requires_grad_(False)
                        g.zero_()

    def step(self, closure=None):
        """Perform a single optimization step (implemented by subclasses)."""
        raise NotImplementedError

    def add_param_group(self, param_group):
        """Add a parameter group (a dict with ``'params'`` and optional per-group options)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering of "
                            "tensors in sets will change between runs. Please use a list instead.")
        else:
            param_group["params"] = list(params)
        tensors, names = [], []
        for param in param_group["params"]:
            if isinstance(param, tuple):
                names.append(param[0])
                tensors.append(param[1])
            else:
                tensors.append(param)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some param names are missing")
            param_group["param_names"] = names
        for param in param_group["params"]:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is " + typename(param))
            if not self.defaults.get("differentiable", None) and not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            param_group.setdefault(name, default)
        params = param_group["params"]
        if len(params) != len(set(params)):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, this will cause "
                          "an error; see github.com/pytorch/pytorch/issues/40967 for more information", stacklevel=3)
        param_set = set()
        for group in self.param_groups:
            param_set.update(set(group["params"]))
            if ("param_names" in param_group) != ("param_names" in group):
                current = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {current} to the optimizer")
        if not param_set.isdisjoint(set(param_group["params"])):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)


# ---------------------------------------------------------------------------------------------
# Element-wise optimizers: one jitted update per parameter group.
# ---------------------------------------------------------------------------------------------

def nonzero(v):
    """``v != 0`` for a Python number; True for tensors and traced values (the general path)."""
    if isinstance(v, (int, float)):
        return v != 0
    return True


def _hyper_value(v):
    """A hyperparameter as a jit argument: Python numbers as floats, tensors as arrays."""
    if isinstance(v, Tensor):
        return v._read()
    if isinstance(v, (int, float)):
        return float(v)
    return v


def _compute_dtype(dtype):
    """The real dtype an update of a ``dtype`` parameter runs in (half types in float32)."""
    if jnp.issubdtype(dtype, jnp.complexfloating):
        dtype = jnp.finfo(dtype).dtype
    if dtype in (jnp.float16, jnp.bfloat16):
        return jnp.dtype(jnp.float32)
    return jnp.dtype(dtype)


def _run_group(kernel, flags, hyper, params, grads, states):
    """Apply ``kernel`` to every (param, grad, state) of a group; pure, jitted per (kernel, flags).

    Arrays with the parameter's dtype are handed to the kernel in the compute dtype (complex
    ones as real views, like PyTorch's ``view_as_real``) and converted back afterwards; other
    state (the float32 ``step``) passes unchanged. State keys a kernel creates are
    parameter-shaped.
    """
    f = dict(flags)
    new_params, new_states = [], []
    for p, g, s in zip(params, grads, states):
        pd = p.dtype
        cplx = jnp.issubdtype(pd, jnp.complexfloating)
        cdt = _compute_dtype(pd)

        def to_compute(x):
            if cplx:
                x = jnp.stack([x.real, x.imag], -1)
            return x.astype(cdt)

        def back(x):
            if cplx:
                x = jax.lax.complex(x[..., 0], x[..., 1])
            return x.astype(pd)

        like = {k for k, v in s.items() if v.dtype == pd}
        new_p, new_s = kernel(to_compute(p), to_compute(g), {k: to_compute(v) if k in like else v
                                                             for k, v in s.items()}, hyper, f)
        new_params.append(back(new_p))
        new_states.append({k: back(v) if k in like or k not in s else v for k, v in new_s.items()})
    return new_params, new_states


_COMPILED = {}


def _compiled(kernel, flags):
    fn = _COMPILED.get((kernel, flags))
    if fn is None:
        fn = _COMPILED[(kernel, flags)] = jax.jit(functools.partial(_run_group, kernel, flags))
    return fn


def scalar(x, dtype):
    """A hyperparameter (traced float64 or tensor array) as a ``dtype`` scalar, as PyTorch converts
    a Python scalar argument to the op's computation type."""
    return jnp.asarray(x).astype(dtype)


def lerp(a, b, w):
    """PyTorch's ``a.lerp(b, w)`` for a scalar weight (its two-branch formula, for equal rounding)."""
    diff = b - a
    return jnp.where(jnp.abs(w) < 0.5, a + w * diff, b - diff * (1 - w))


def decay_grad(g, p, weight_decay):
    """``g + weight_decay * p`` (L2 weight decay folded into the gradient)."""
    return g + scalar(weight_decay, p.dtype) * p


class ElementwiseOptimizer(Optimizer):
    """An optimizer whose update is element-wise per parameter, run as one jitted call per group.

    Subclasses define ``_kernel(p, g, state, hyper, flags) -> (new_p, new_state)`` (a pure jnp
    function on one parameter, its gradient and its state arrays), ``_flags(group)`` (the
    hashable structural options: ``maximize``, ``amsgrad``...), ``_hyper(group)`` (the numeric
    hyperparameters; traced, so changing them never recompiles) and ``_init_state(group, p)``
    (PyTorch's lazily created state tensors). Parameters whose ``grad`` is None are skipped.
    ``foreach``, ``fused``, ``capturable`` and ``differentiable`` are accepted and stored but
    select nothing: every group runs the same jitted update (PyTorch's single-tensor math),
    which autograd does not record. Differences from PyTorch: float16/bfloat16 parameters are
    updated in float32 and rounded once (PyTorch rounds after every op, so results can differ
    in the last bits, and e.g. its float16 Adam can divide by an underflowed ``eps``).
    """

    _kernel = None

    def _flags(self, group):
        return ()

    def _hyper(self, group):
        return {}

    def _init_state(self, group, p):
        return {}

    def _stateful(self, group):
        """Whether the group keeps per-parameter state (SGD without momentum does not)."""
        return True

    def step(self, closure=None):
        """Perform one optimization step; ``closure`` (re-evaluating the loss) runs with grad enabled."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                self._step_group(group)
        return loss

    def _step_group(self, group):
        params = [p for p in group["params"] if p.grad is not None]
        if not params:
            return
        stateful = self._stateful(group)
        states = []
        for p in params:
            if stateful:
                st = self.state[p]
                if len(st) == 0:
                    st.update(self._init_state(group, p))
            else:
                st = {}
            states.append(st)
        fn = _compiled(type(self)._kernel, self._flags(group))
        hyper = {k: _hyper_value(v) for k, v in self._hyper(group).items()}
        new_params, new_states = fn(hyper, [p._read() for p in params], [p.grad._read() for p in params],
                                    [{k: v._read() for k, v in st.items() if isinstance(v, Tensor)} for st in states])
        for p, arr in zip(params, new_params):
            p._write_inplace(arr)
        for st, new in zip(states, new_states):
            for k, arr in new.items():
                t = st.get(k)
                if isinstance(t, Tensor):
                    t._write_inplace(arr)
                else:
                    st[k] = wrap(arr)


def step_tensor():
    """A fresh ``state['step']``: a 0-d tensor of the scalar dtype holding 0."""
    from .._ops.creation import tensor

    return tensor(0.0, dtype=_get_scalar_dtype())


def zeros_state(p):
    """A zero state tensor shaped like ``p`` (``torch.zeros_like(p)``)."""
    from .._ops.creation import zeros_like

    return zeros_like(p)


def check_fused(defaults, differentiable, foreach):
    """PyTorch's constructor checks for ``fused=True``."""
    if defaults.get("fused"):
        if differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


def check_lr(lr):
    """PyTorch's learning-rate checks (1-element tensor, non-negative)."""
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")


def _tensor_steps(opt, keys):
    """Turn Python-number ``step``-like state (older checkpoints) into 0-d tensors, as PyTorch's
    ``__setstate__`` does."""
    from .._ops.creation import tensor

    for group in opt.param_groups:
        for p in group["params"]:
            p_state = opt.state.get(p, [])
            for key in keys:
                if len(p_state) != 0 and key in p_state and not isinstance(p_state[key], Tensor):
                    p_state[key] = tensor(float(p_state[key]), dtype=_get_scalar_dtype())
