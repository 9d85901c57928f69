"""``torch.optim.RAdam``."""
import jax.numpy as jnp

from .adam import moments, weight_decay
from .optimizer import ElementwiseOptimizer, check_lr, nonzero, scalar, step_tensor, zeros_state

__all__ = ["RAdam"]

_F64 = jnp.float64


def _radam_kernel(p, g, state, h, f):
    """PyTorch's single-tensor RAdam update; its ``if rho_t > 5`` branch is a select on the step."""
    dt = p.dtype
    if f["maximize"]:
        g = -g
    step = state["step"] + 1
    n = step.astype(_F64)
    if f["weight_decay"]:
        p, g = weight_decay(p, g, h, f["decoupled"])
    exp_avg, exp_avg_sq = moments(state, g, h["beta1"], h["beta2"])
    beta2 = jnp.asarray(h["beta2"], _F64)
    bias_correction1 = 1 - jnp.asarray(h["beta1"], _F64) ** n
    bias_correction2 = 1 - beta2 ** n
    corrected = exp_avg / scalar(bias_correction1, dt)
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * n * (beta2 ** n) / bias_correction2
    rect = jnp.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
    adaptive = scalar(jnp.sqrt(bias_correction2), dt) / (jnp.sqrt(exp_avg_sq) + scalar(h["eps"], dt))
    plain = corrected * scalar(h["lr"], dt)
    update = jnp.where(rho_t > 5.0, plain * adaptive * scalar(rect, dt), plain)
    return p - update, {"step": step, "exp_avg": exp_avg, "exp_avg_sq": exp_avg_sq}


class RAdam(ElementwiseOptimizer):
    """RAdam, PyTorch's ``torch.optim.RAdam`` (``decoupled_weight_decay``).

    State: ``step``, ``exp_avg``, ``exp_avg_sq``.
    """

    _kernel = staticmethod(_radam_kernel)

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False):
        check_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable, "decoupled_weight_decay": decoupled_weight_decay,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    _group_defaults = {"foreach": None, "maximize": False, "differentiable": False, "decoupled_weight_decay": False,
                       "capturable": False}
    _tensor_state_keys = ("step",)

    def _init_state(self, group, p):
        return {"step": step_tensor(), "exp_avg": zeros_state(p), "exp_avg_sq": zeros_state(p)}

    def _flags(self, group):
        return (("maximize", bool(group["maximize"])), ("weight_decay", nonzero(group["weight_decay"])),
                ("decoupled", bool(group["decoupled_weight_decay"])))

    def _hyper(self, group):
        beta1, beta2 = group["betas"]
        return {"lr": group["lr"], "beta1": beta1, "beta2": beta2, "eps": group["eps"],
                "weight_decay": group["weight_decay"]}
