"""``python -m jtorch script.py [args]`` runs a PyTorch script unchanged on jtorch.

``import torch`` (and every ``torch.*`` submodule) resolves to jtorch, ``import torchvision`` to
``jtorch.vision``. Also ``python -m jtorch -m package.module [args]`` and
``python -m jtorch -c "code"``.
"""
import os
import runpy
import sys

from ._alias import install

USAGE = "usage: python -m jtorch script.py [args] | -m module [args] | -c code [args]"


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    install()
    if argv[0] == "-m" and len(argv) > 1:
        sys.argv = argv[1:]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    elif argv[0] == "-c" and len(argv) > 1:
        sys.argv = ["-c"] + argv[2:]
        exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__"})
    else:
        sys.argv = argv
        sys.path.insert(0, os.path.dirname(os.path.abspath(argv[0])))
        runpy.run_path(argv[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
