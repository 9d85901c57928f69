"""The seed document's scripts run with only their imports changed and print what PyTorch prints."""
import os
import subprocess
import sys

import pytest

pytest.importorskip("torch")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run(source, cwd):
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _source(script):
    with open(os.path.join(ROOT, "examples", script), encoding="utf-8") as f:
        return f.read()


@pytest.mark.parametrize("script", ["tensors_autograd.py"])
def test_seed_script_prints_what_torch_prints(script, tmp_path):
    source = _source(script)
    assert "import jtorch as torch" in source
    ours = _run(source, tmp_path)
    theirs = _run(source.replace("import jtorch as torch", "import torch"), tmp_path)
    assert ours == theirs
    assert ours.split() == ["True", "True"]


def test_seed_mlp_script_runs(tmp_path):
    """The seed's second script (Linear + Adam, 100 steps) runs with only its imports changed."""
    source = _source("mlp_adam.py")
    assert "import jtorch as torch\nfrom jtorch import nn" in source
    _run(source + "\nprint(float(loss) > 0)\n", tmp_path)
