"""The seed document's scripts run with only their imports changed and print what PyTorch prints."""
import os
import subprocess
import sys

import pytest

torch = pytest.importorskip("torch")

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


def _run_example(code, cwd, standin_size=None):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT, os.path.join(ROOT, "examples")]))
    if standin_size:
        env["CIFAR10_STANDIN_SIZE"] = standin_size
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _example_code(prelude=""):
    path = os.path.join(ROOT, "examples", "cifar10_cnn.py")
    return prelude + f"import runpy\nrunpy.run_path({path!r}, run_name='__main__')\n"


def test_cifar10_example_trains_on_the_labelled_standin(tmp_path):
    """Without ./data/cifar-10-batches-py the seed's CNN script says so and trains on the stand-in."""
    source = _source("cifar10_cnn.py")
    assert "import jtorch as torch" in source and "num_workers=2" in source
    out = _run_example(_example_code(), tmp_path, standin_size="400,40")
    assert out.count("SYNTHETIC stand-in") == 2
    lines = out.splitlines()
    assert lines[1].startswith("[1] loss: ") and lines[2].startswith("[2] loss: ")
    assert float(lines[2].split()[-1]) < float(lines[1].split()[-1])
    assert "Test Accuracy of the model on the 40 test images:" in out
    state = torch.load(tmp_path / "cnn.pth")["state_dict"]
    assert state["conv1.weight"].shape == (6, 3, 5, 5)


def test_cifar10_example_uses_the_real_folder(tmp_path, monkeypatch):
    """With the dataset folder present, the example reads it (files in torchvision's format)."""
    from test_vision_datasets import write_cifar
    from jtorch.vision import datasets

    write_cifar(tmp_path / "data", datasets.CIFAR10, monkeypatch, n=(8, 8, 8, 8, 8), n_test=6)
    patch = ("import jtorch.vision.datasets as d\n"
             f"d.CIFAR10.train_list = {datasets.CIFAR10.train_list!r}\n"
             f"d.CIFAR10.test_list = {datasets.CIFAR10.test_list!r}\n"
             f"d.CIFAR10.meta = {datasets.CIFAR10.meta!r}\n")
    out = _run_example(_example_code(patch), tmp_path)
    assert "SYNTHETIC" not in out
    assert "Test Accuracy of the model on the 6 test images:" in out


def test_static_vs_dynamic_example_prints_the_comparison(tmp_path):
    path = os.path.join(ROOT, "examples", "static_vs_dynamic.py")
    out = _run_example(f"import runpy, sys\nsys.argv = ['x', '--steps', '4']\nrunpy.run_path({path!r}, "
                       "run_name='__main__')\n", tmp_path, standin_size="200,20")
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:3] == ["step", "eager", "loss"])
    rows = [line.split() for line in lines[header + 1:header + 5]]
    assert [r[0] for r in rows] == ["1", "2", "3", "4"]
    assert all(float(r[3]) < 1e-5 for r in rows)
    assert "Dynamic graph of one loss" in out and "ConvolutionBackward0" in out and "Static graph: 1 program" in out
