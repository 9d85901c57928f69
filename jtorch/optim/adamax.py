"""``torch.optim.Adamax``."""
import jax.numpy as jnp

from .optimizer import (ElementwiseOptimizer, check_lr, decay_grad, lerp, nonzero, scalar, step_tensor,
                        zeros_state)

__all__ = ["Adamax"]


def _adamax_kernel(p, g, state, h, f):
    """PyTorch's single-tensor Adamax update (infinity-norm second moment)."""
    dt = p.dtype
    if f["maximize"]:
        g = -g
    step = state["step"] + 1
    if f["weight_decay"]:
        g = decay_grad(g, p, h["weight_decay"])
    exp_avg = lerp(state["exp_avg"], g, scalar(1 - h["beta1"], dt))
    exp_inf = jnp.maximum(state["exp_inf"] * scalar(h["beta2"], dt), jnp.abs(g) + scalar(h["eps"], dt))
    clr = h["lr"] / (1 - jnp.asarray(h["beta1"], jnp.float64) ** step.astype(jnp.float64))
    return p + scalar(-clr, dt) * (exp_avg / exp_inf), {"step": step, "exp_avg": exp_avg, "exp_inf": exp_inf}


class Adamax(ElementwiseOptimizer):
    """Adamax, PyTorch's ``torch.optim.Adamax``. State: ``step``, ``exp_avg``, ``exp_inf``."""

    _kernel = staticmethod(_adamax_kernel)

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *,
                 maximize=False, differentiable=False, capturable=False):
        check_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    _group_defaults = {"foreach": None, "maximize": False, "differentiable": False, "capturable": False}
    _tensor_state_keys = ("step",)

    def _init_state(self, group, p):
        return {"step": step_tensor(), "exp_avg": zeros_state(p), "exp_inf": zeros_state(p)}

    def _flags(self, group):
        return (("maximize", bool(group["maximize"])), ("weight_decay", nonzero(group["weight_decay"])))

    def _hyper(self, group):
        beta1, beta2 = group["betas"]
        return {"lr": group["lr"], "beta1": beta1, "beta2": beta2, "eps": group["eps"],
                "weight_decay": group["weight_decay"]}
