"""``torch.optim.NAdam``."""
import jax.numpy as jnp

from .adam import moments, weight_decay
from .optimizer import ElementwiseOptimizer, _get_scalar_dtype, check_lr, nonzero, scalar, step_tensor, zeros_state

__all__ = ["NAdam"]

_F64 = jnp.float64


def _nadam_kernel(p, g, state, h, f):
    """PyTorch's single-tensor NAdam update; ``mu_product`` is a float32 tensor as in PyTorch."""
    dt = p.dtype
    if f["maximize"]:
        g = -g
    step = state["step"] + 1
    n = step.astype(_F64)
    bias_correction2 = 1 - jnp.asarray(h["beta2"], _F64) ** n
    if f["weight_decay"]:
        p, g = weight_decay(p, g, h, f["decoupled"])
    mu = h["beta1"] * (1.0 - 0.5 * (0.96 ** (n * h["momentum_decay"])))
    mu_next = h["beta1"] * (1.0 - 0.5 * (0.96 ** ((n + 1) * h["momentum_decay"])))
    mu_product = state["mu_product"] * scalar(mu, state["mu_product"].dtype)
    exp_avg, exp_avg_sq = moments(state, g, h["beta1"], h["beta2"])
    denom = jnp.sqrt(exp_avg_sq / scalar(bias_correction2, dt)) + scalar(h["eps"], dt)
    mu_product64 = mu_product.astype(_F64)
    mu_product_next = mu_product64 * mu_next
    p = p + scalar(-h["lr"] * (1.0 - mu) / (1.0 - mu_product64), dt) * (g / denom)
    p = p + scalar((-h["lr"] * mu_next) / (1.0 - mu_product_next), dt) * (exp_avg / denom)
    return p, {"step": step, "mu_product": mu_product, "exp_avg": exp_avg, "exp_avg_sq": exp_avg_sq}


class NAdam(ElementwiseOptimizer):
    """NAdam, PyTorch's ``torch.optim.NAdam`` (``momentum_decay``, ``decoupled_weight_decay``).

    State: ``step``, ``mu_product`` (0-d tensors), ``exp_avg``, ``exp_avg_sq``.
    """

    _kernel = staticmethod(_nadam_kernel)

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
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
        if not 0.0 <= momentum_decay:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay, "decoupled_weight_decay": decoupled_weight_decay,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    _group_defaults = {"maximize": False, "foreach": None, "capturable": False, "differentiable": False,
                       "decoupled_weight_decay": False}
    _tensor_state_keys = ("step", "mu_product")

    def _init_state(self, group, p):
        from .._ops.creation import tensor

        return {"step": step_tensor(), "mu_product": tensor(1.0, dtype=_get_scalar_dtype()),
                "exp_avg": zeros_state(p), "exp_avg_sq": zeros_state(p)}

    def _flags(self, group):
        return (("maximize", bool(group["maximize"])), ("weight_decay", nonzero(group["weight_decay"])),
                ("decoupled", bool(group["decoupled_weight_decay"])))

    def _hyper(self, group):
        beta1, beta2 = group["betas"]
        return {"lr": group["lr"], "beta1": beta1, "beta2": beta2, "eps": group["eps"],
                "weight_decay": group["weight_decay"], "momentum_decay": group["momentum_decay"]}
