"""``torch.cond``: structured control flow that compiled programs can express."""
import jax

from .._tensor import Tensor

__all__ = ["cond"]


def _is_tensor(x):
    return isinstance(x, Tensor)


def cond(pred, true_fn, false_fn, operands=()):
    """``true_fn(*operands)`` if ``pred`` else ``false_fn(*operands)``.

    ``pred`` is a Python bool/number or a one-element tensor. Eagerly (a concrete ``pred``) only
    the chosen branch runs, as in PyTorch. Inside a compiled function, where ``pred`` is a traced
    value, both branches run and each output is selected with ``where`` (the branches must return
    tensors of the same shapes and dtypes, as ``torch.cond`` requires); gradients flow through the
    chosen branch. Differs from PyTorch: as with ``where``, a branch whose gradient is inf or nan
    where it is not chosen (``sqrt`` of a negative, say) makes that gradient nan.
    """
    if not isinstance(operands, (tuple, list)):
        raise RuntimeError(f"Expect operands to be a tuple of possibly nested dict/list/tuple that only consists of "
                           f"tensor leaves, but got {operands}.")
    if isinstance(pred, Tensor):
        if pred.numel() != 1:
            raise RuntimeError(f"Expected pred to be bool or single-element tensor, but got {pred}.")
        if isinstance(pred._read(), jax.core.Tracer):
            return _select(pred.reshape(()).bool(), true_fn(*operands), false_fn(*operands))
        pred = bool(pred)
    return true_fn(*operands) if pred else false_fn(*operands)


def _select(pred, a, b):
    from .pointwise import where

    a_leaves, a_tree = jax.tree_util.tree_flatten(a, is_leaf=_is_tensor)
    b_leaves, b_tree = jax.tree_util.tree_flatten(b, is_leaf=_is_tensor)
    if a_tree != b_tree:
        raise RuntimeError(f"cond branches must return the same structure, got {a_tree} and {b_tree}")
    out = []
    for x, y in zip(a_leaves, b_leaves):
        if not (isinstance(x, Tensor) and isinstance(y, Tensor)):
            raise RuntimeError("cond branches must return tensors (or nested tuples/lists/dicts of tensors)")
        if x.shape != y.shape or x.dtype != y.dtype:
            raise RuntimeError(f"cond branches must return tensors of equal shape and dtype, got "
                               f"{tuple(x.shape)} {x.dtype} and {tuple(y.shape)} {y.dtype}")
        out.append(where(pred, x, y))
    return jax.tree_util.tree_unflatten(a_tree, out)
