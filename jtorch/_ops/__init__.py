"""The op library: the dispatcher (``dispatch``) and one module per op family."""
