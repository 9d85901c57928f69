"""``torch.optim.Adagrad``."""
import jax.numpy as jnp

from .optimizer import ElementwiseOptimizer, check_fused, check_lr, decay_grad, nonzero, scalar, step_tensor

__all__ = ["Adagrad"]


def _adagrad_kernel(p, g, state, h, f):
    """PyTorch's single-tensor dense Adagrad update: ``clr = lr / (1 + (step - 1) * lr_decay)``."""
    dt = p.dtype
    step = state["step"] + 1
    if f["maximize"]:
        g = -g
    if f["weight_decay"]:
        g = decay_grad(g, p, h["weight_decay"])
    clr = h["lr"] / (1 + (step.astype(jnp.float64) - 1) * h["lr_decay"])
    state_sum = state["sum"] + g * g
    std = jnp.sqrt(state_sum) + scalar(h["eps"], dt)
    return p + scalar(-clr, dt) * (g / std), {"step": step, "sum": state_sum}


class Adagrad(ElementwiseOptimizer):
    """Adagrad, PyTorch's ``torch.optim.Adagrad`` (dense gradients only).

    As in PyTorch the state (``step``, ``sum`` filled with ``initial_accumulator_value``) is
    created in the constructor; groups added later get it on their first step.
    """

    _kernel = staticmethod(_adagrad_kernel)

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                 foreach=None, *, maximize=False, differentiable=False, fused=None):
        check_lr(lr)
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        check_fused(defaults, differentiable, foreach)
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p].update(self._init_state(group, p))

    _group_defaults = {"foreach": None, "maximize": False, "differentiable": False, "fused": None}
    _tensor_state_keys = ("step",)

    def _init_state(self, group, p):
        from .._ops.creation import full_like

        value = group["initial_accumulator_value"]
        return {"step": step_tensor(), "sum": full_like(p, complex(value, value) if p.is_complex() else value)}

    def _flags(self, group):
        return (("maximize", bool(group["maximize"])), ("weight_decay", nonzero(group["weight_decay"])))

    def _hyper(self, group):
        return {"lr": group["lr"], "lr_decay": group["lr_decay"], "eps": group["eps"],
                "weight_decay": group["weight_decay"]}
