"""``jtorch.autograd``: backward/grad, grad modes, custom Functions, graph nodes."""
from . import graph
from .api import backward, grad
from .function import Function, FunctionCtx, once_differentiable
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad,
                        set_grad_enabled)
from .variable import Variable
from .anomaly_mode import detect_anomaly, set_detect_anomaly

__all__ = ["backward", "grad", "Function", "FunctionCtx", "once_differentiable", "no_grad", "enable_grad",
           "set_grad_enabled", "inference_mode", "is_grad_enabled", "is_inference_mode_enabled", "Variable",
           "graph", "detect_anomaly", "set_detect_anomaly"]
