"""``torch.optim.SGD``: stochastic gradient descent with momentum, dampening and Nesterov."""
from .._tensor import Tensor
from .optimizer import ElementwiseOptimizer, check_fused, decay_grad, nonzero, scalar

__all__ = ["SGD"]


def _sgd_kernel(p, g, state, h, f):
    """PyTorch's single-tensor SGD update for one parameter."""
    dt = p.dtype
    if f["maximize"]:
        g = -g
    if f["weight_decay"]:
        g = decay_grad(g, p, h["weight_decay"])
    new_state = {}
    if f["momentum"]:
        buf = state.get("momentum_buffer")
        if buf is None:
            buf = g
        else:
            buf = buf * scalar(h["momentum"], dt) + scalar(1 - h["dampening"], dt) * g
        new_state["momentum_buffer"] = buf
        g = g + scalar(h["momentum"], dt) * buf if f["nesterov"] else buf
    return p + scalar(-h["lr"], dt) * g, new_state


class SGD(ElementwiseOptimizer):
    """Stochastic gradient descent (optionally with momentum), PyTorch's ``torch.optim.SGD``.

    ``state[p]['momentum_buffer']`` starts as a copy of the first gradient, as in PyTorch.
    """

    _kernel = staticmethod(_sgd_kernel)

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
                 maximize=False, foreach=None, differentiable=False, fused=None):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay,
                    "nesterov": nesterov, "maximize": maximize, "foreach": foreach,
                    "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        check_fused(defaults, differentiable, foreach)

    _group_defaults = {"nesterov": False, "maximize": False, "foreach": None, "differentiable": False, "fused": False}

    def _stateful(self, group):
        return nonzero(group["momentum"])

    def _flags(self, group):
        return (("maximize", bool(group["maximize"])), ("weight_decay", nonzero(group["weight_decay"])),
                ("momentum", nonzero(group["momentum"])), ("nesterov", bool(group["nesterov"])))

    def _hyper(self, group):
        return {"lr": group["lr"], "weight_decay": group["weight_decay"], "momentum": group["momentum"],
                "dampening": group["dampening"]}
