"""``torch.optim.Adam`` (and the shared update of ``AdamW``)."""
import jax.numpy as jnp

from .._tensor import Tensor
from .optimizer import (ElementwiseOptimizer, _to_scalar, check_fused, check_lr, decay_grad,
                        lerp, nonzero, scalar, step_tensor, zeros_state)

__all__ = ["Adam"]


def moments(state, g, beta1, beta2):
    """Adam's moment updates: ``exp_avg.lerp_(g, 1 - beta1)``; ``exp_avg_sq * beta2 + (1 - beta2) g^2``."""
    dt = g.dtype
    exp_avg = lerp(state["exp_avg"], g, scalar(1 - beta1, dt))
    exp_avg_sq = state["exp_avg_sq"] * scalar(beta2, dt) + scalar(1 - beta2, dt) * g * g
    return exp_avg, exp_avg_sq


def weight_decay(p, g, h, decoupled):
    """Decoupled decay (``p *= 1 - lr * wd``) or L2 decay folded into the gradient."""
    if decoupled:
        return p * scalar(1 - h["lr"] * h["weight_decay"], p.dtype), g
    return p, decay_grad(g, p, h["weight_decay"])


def _adam_kernel(p, g, state, h, f):
    """PyTorch's single-tensor (non-capturable) Adam update: bias corrections in float64 scalars,
    ``denom = sqrt(v) / sqrt(bc2) + eps``, ``p += -(lr / bc1) * m / denom``."""
    dt = p.dtype
    if f["maximize"]:
        g = -g
    step = state["step"] + 1
    if f["weight_decay"]:
        p, g = weight_decay(p, g, h, f["decoupled"])
    exp_avg, exp_avg_sq = moments(state, g, h["beta1"], h["beta2"])
    new_state = {"step": step, "exp_avg": exp_avg, "exp_avg_sq": exp_avg_sq}
    n = step.astype(jnp.float64)
    bias_correction1 = 1 - jnp.asarray(h["beta1"], jnp.float64) ** n
    bias_correction2 = 1 - jnp.asarray(h["beta2"], jnp.float64) ** n
    step_size = h["lr"] / bias_correction1
    second = exp_avg_sq
    if f["amsgrad"]:
        second = new_state["max_exp_avg_sq"] = jnp.maximum(state["max_exp_avg_sq"], exp_avg_sq)
    denom = jnp.sqrt(second) / scalar(jnp.sqrt(bias_correction2), dt) + scalar(h["eps"], dt)
    return p + scalar(-step_size, dt) * (exp_avg / denom), new_state


class Adam(ElementwiseOptimizer):
    """Adam, PyTorch's ``torch.optim.Adam`` (``amsgrad``, ``maximize``, ``decoupled_weight_decay``).

    State per parameter: ``step`` (a float32 0-d tensor), ``exp_avg``, ``exp_avg_sq`` and, with
    amsgrad, ``max_exp_avg_sq``.
    """

    _kernel = staticmethod(_adam_kernel)

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
                 decoupled_weight_decay=False):
        if isinstance(lr, Tensor):
            if foreach and not capturable:
                raise ValueError("lr as a Tensor is not supported for capturable=False and foreach=True")
            if lr.numel() != 1:
                raise ValueError("Tensor lr must be 1-element")
        check_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not ((isinstance(betas[0], float) and isinstance(betas[1], float))
                or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))):
            raise ValueError("betas must be either both floats or both Tensors")
        for i, beta in enumerate(betas):
            if isinstance(beta, Tensor):
                if not capturable and foreach:
                    raise ValueError(f"betas[{i}] as a Tensor is not supported for capturable=False and foreach=True")
                if beta.numel() != 1:
                    raise ValueError(f"Tensor betas[{i}] must be 1-element")
        betas = tuple(map(_to_scalar, betas))
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "amsgrad": amsgrad,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable, "fused": fused, "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)
        check_fused(defaults, differentiable, foreach)

    _group_defaults = {"amsgrad": False, "maximize": False, "foreach": None, "capturable": False,
                       "differentiable": False, "decoupled_weight_decay": False, "fused": None}
    _tensor_state_keys = ("step",)

    def _init_state(self, group, p):
        state = {"step": step_tensor(), "exp_avg": zeros_state(p), "exp_avg_sq": zeros_state(p)}
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = zeros_state(p)
        return state

    def _flags(self, group):
        return (("maximize", bool(group["maximize"])), ("weight_decay", nonzero(group["weight_decay"])),
                ("decoupled", bool(group["decoupled_weight_decay"])), ("amsgrad", bool(group["amsgrad"])))

    def _hyper(self, group):
        beta1, beta2 = group["betas"]
        return {"lr": group["lr"], "beta1": beta1, "beta2": beta2, "eps": group["eps"],
                "weight_decay": group["weight_decay"]}
