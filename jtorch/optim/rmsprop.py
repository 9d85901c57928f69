"""``torch.optim.RMSprop``."""
import jax.numpy as jnp

from .optimizer import ElementwiseOptimizer, check_lr, decay_grad, lerp, nonzero, scalar, step_tensor, zeros_state

__all__ = ["RMSprop"]


def _rmsprop_kernel(p, g, state, h, f):
    """PyTorch's single-tensor RMSprop update (``centered`` and ``momentum`` variants)."""
    dt = p.dtype
    if f["maximize"]:
        g = -g
    new_state = {"step": state["step"] + 1}
    if f["weight_decay"]:
        g = decay_grad(g, p, h["weight_decay"])
    square_avg = state["square_avg"] * scalar(h["alpha"], dt) + scalar(1 - h["alpha"], dt) * g * g
    new_state["square_avg"] = square_avg
    if f["centered"]:
        grad_avg = new_state["grad_avg"] = lerp(state["grad_avg"], g, scalar(1 - h["alpha"], dt))
        avg = jnp.sqrt(square_avg - grad_avg * grad_avg)
    else:
        avg = jnp.sqrt(square_avg)
    avg = avg + scalar(h["eps"], dt)
    if f["momentum"]:
        buf = new_state["momentum_buffer"] = state["momentum_buffer"] * scalar(h["momentum"], dt) + g / avg
        return p + scalar(-h["lr"], dt) * buf, new_state
    return p + scalar(-h["lr"], dt) * (g / avg), new_state


class RMSprop(ElementwiseOptimizer):
    """RMSprop, PyTorch's ``torch.optim.RMSprop``.

    State: ``step``, ``square_avg``, plus ``momentum_buffer`` (momentum > 0) and ``grad_avg``
    (centered).
    """

    _kernel = staticmethod(_rmsprop_kernel)

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        check_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
                    "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable}
        super().__init__(params, defaults)

    _group_defaults = {"momentum": 0, "centered": False, "foreach": None, "maximize": False, "differentiable": False,
                       "capturable": False}
    _tensor_state_keys = ("step",)

    def _init_state(self, group, p):
        state = {"step": step_tensor(), "square_avg": zeros_state(p)}
        if group["momentum"] > 0:
            state["momentum_buffer"] = zeros_state(p)
        if group["centered"]:
            state["grad_avg"] = zeros_state(p)
        return state

    def _flags(self, group):
        momentum = group["momentum"]
        return (("maximize", bool(group["maximize"])), ("weight_decay", nonzero(group["weight_decay"])),
                ("centered", bool(group["centered"])),
                ("momentum", momentum > 0 if isinstance(momentum, (int, float)) else True))

    def _hyper(self, group):
        return {"lr": group["lr"], "alpha": group["alpha"], "eps": group["eps"],
                "weight_decay": group["weight_decay"], "momentum": group["momentum"]}
