"""``python -m jtorch script.py`` runs an unmodified PyTorch script on jtorch."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCRIPT = """
import sys
import torch
import torch.linalg
from torch import autograd
x = torch.tensor([1., 2.], requires_grad=True)
(x ** 2).sum().backward()
print(torch.__name__, torch.linalg.__name__, x.grad.tolist(), sys.argv[1:])
"""


def _run(*args, cwd):
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.run([sys.executable, "-m", "jtorch", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=120)


def test_script_runs_with_torch_aliased(tmp_path):
    (tmp_path / "train.py").write_text(SCRIPT)
    proc = _run("train.py", "--epochs", "2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["jtorch", "jtorch.linalg", "[2.0,", "4.0]", "['--epochs',", "'2']"]


def test_code_string_and_missing_module(tmp_path):
    proc = _run("-c", "import torch; print(torch.ones(2).sum().item())", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "2.0"
    proc = _run("-c", "import torch.no_such_module", cwd=tmp_path)
    assert proc.returncode != 0
    assert "ModuleNotFoundError" in proc.stderr


def test_usage_without_arguments(tmp_path):
    proc = _run(cwd=tmp_path)
    assert proc.returncode == 2
    assert "usage: python -m jtorch" in proc.stdout
