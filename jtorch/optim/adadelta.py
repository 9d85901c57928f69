"""``torch.optim.Adadelta``."""
import jax.numpy as jnp

from .optimizer import ElementwiseOptimizer, check_lr, decay_grad, nonzero, scalar, step_tensor, zeros_state

__all__ = ["Adadelta"]


def _adadelta_kernel(p, g, state, h, f):
    """PyTorch's single-tensor Adadelta update."""
    dt = p.dtype
    if f["maximize"]:
        g = -g
    if f["weight_decay"]:
        g = decay_grad(g, p, h["weight_decay"])
    rho, eps = scalar(h["rho"], dt), scalar(h["eps"], dt)
    square_avg = state["square_avg"] * rho + scalar(1 - h["rho"], dt) * g * g
    std = jnp.sqrt(square_avg + eps)
    delta = jnp.sqrt(state["acc_delta"] + eps) / std * g
    acc_delta = state["acc_delta"] * rho + scalar(1 - h["rho"], dt) * delta * delta
    new_state = {"step": state["step"] + 1, "square_avg": square_avg, "acc_delta": acc_delta}
    return p + scalar(-h["lr"], dt) * delta, new_state


class Adadelta(ElementwiseOptimizer):
    """Adadelta, PyTorch's ``torch.optim.Adadelta``. State: ``step``, ``square_avg``, ``acc_delta``."""

    _kernel = staticmethod(_adadelta_kernel)

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, capturable=False,
                 maximize=False, differentiable=False):
        check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "capturable": capturable, "foreach": foreach, "differentiable": differentiable}
        super().__init__(params, defaults)

    _group_defaults = {"foreach": None, "maximize": False, "differentiable": False, "capturable": False}
    _tensor_state_keys = ("step",)

    def _init_state(self, group, p):
        return {"step": step_tensor(), "square_avg": zeros_state(p), "acc_delta": zeros_state(p)}

    def _flags(self, group):
        return (("maximize", bool(group["maximize"])), ("weight_decay", nonzero(group["weight_decay"])))

    def _hyper(self, group):
        return {"lr": group["lr"], "rho": group["rho"], "eps": group["eps"], "weight_decay": group["weight_decay"]}
