"""jtorch.vision.models: torchvision's architectures (parameter counts, state_dict keys, reprs),
initialisation, forward/backward, numerical parity with a hand-written real-torch ResNet-18 and
Bottleneck, the weights API (enums, hub cache, offline failure, legacy ``pretrained=``) and the
model registry.

Building a model compiles one XLA kernel per new parameter shape, so the parameter-count table
builds with initialisation switched off (counts and keys do not depend on it) and the numeric
tests share one ResNet-18."""
import socket
import subprocess
import sys
import time

import numpy as np
import pytest
import torch
from PIL import Image

import jtorch
import jtorch.nn.functional as JF
from jtorch import nn as jnn
from jtorch.vision import models
from jtorch import hub as _hub
from jtorch.vision.models import densenet as jdensenet
from jtorch.vision.models import resnet as jresnet

tnn = torch.nn

# (builder, kwargs, torchvision's documented parameter count, first and last state_dict keys)
PARAM_TABLE = [
    ("resnet18", {}, 11689512, "conv1.weight", "fc.bias"),
    ("resnet34", {}, 21797672, "conv1.weight", "fc.bias"),
    ("resnet50", {}, 25557032, "conv1.weight", "fc.bias"),
    ("resnet101", {}, 44549160, "conv1.weight", "fc.bias"),
    ("resnext50_32x4d", {}, 25028904, "conv1.weight", "fc.bias"),
    ("wide_resnet50_2", {}, 68883240, "conv1.weight", "fc.bias"),
    ("vgg11", {}, 132863336, "features.0.weight", "classifier.6.bias"),
    ("vgg16", {}, 138357544, "features.0.weight", "classifier.6.bias"),
    ("vgg16_bn", {}, 138365992, "features.0.weight", "classifier.6.bias"),
    ("alexnet", {}, 61100840, "features.0.weight", "classifier.6.bias"),
    ("mobilenet_v2", {}, 3504872, "features.0.0.weight", "classifier.1.bias"),
    ("mobilenet_v3_large", {}, 5483032, "features.0.0.weight", "classifier.3.bias"),
    ("mobilenet_v3_small", {}, 2542856, "features.0.0.weight", "classifier.3.bias"),
    ("squeezenet1_0", {}, 1248424, "features.0.weight", "classifier.1.bias"),
    ("squeezenet1_1", {}, 1235496, "features.0.weight", "classifier.1.bias"),
    ("densenet121", {}, 7978856, "features.conv0.weight", "classifier.bias"),
    ("shufflenet_v2_x1_0", {}, 2278604, "conv1.0.weight", "fc.bias"),
    ("googlenet", {"aux_logits": False, "init_weights": False}, 6624904, "conv1.conv.weight", "fc.bias"),
]

# keys from torchvision's checkpoints, deep inside each architecture
KEY_SPOTS = {
    "resnet50": ["layer1.0.downsample.0.weight", "layer4.2.bn3.running_var", "layer3.5.conv2.weight"],
    "vgg16_bn": ["features.1.num_batches_tracked", "features.41.running_mean"],
    "mobilenet_v2": ["features.1.conv.0.0.weight", "features.1.conv.1.weight", "features.18.1.bias"],
    "mobilenet_v3_large": ["features.4.block.2.fc1.weight", "features.4.block.2.fc2.bias", "features.16.1.weight"],
    "mobilenet_v3_small": ["features.1.block.1.fc1.weight", "features.12.0.weight"],
    "squeezenet1_1": ["features.3.squeeze.weight", "features.12.expand3x3.bias"],
    "densenet121": ["features.denseblock1.denselayer1.norm1.weight", "features.transition3.conv.weight",
                    "features.denseblock4.denselayer16.conv2.weight", "features.norm5.running_var"],
    "shufflenet_v2_x1_0": ["stage2.0.branch1.0.weight", "stage2.1.branch2.6.running_mean", "conv5.1.bias"],
    "googlenet": ["inception3a.branch4.1.conv.weight", "inception5b.branch3.1.bn.running_var"],
}

REPR_SPOTS = {
    "mobilenet_v3_small": ["(0): Conv2dNormActivation(", "(2): SqueezeExcitation(",
                           "(1): " + repr(tnn.BatchNorm2d(16, eps=0.001, momentum=0.01)),
                           "(scale_activation): Hardsigmoid()", "(2): Dropout(p=0.2, inplace=True)"],
    "densenet121": ["(denseblock1): _DenseBlock(", "(denselayer1): _DenseLayer(",
                    "(pool): " + repr(tnn.AvgPool2d(kernel_size=2, stride=2))],
    "squeezenet1_1": ["(3): Fire(", "(2): " + repr(tnn.MaxPool2d(3, 2, ceil_mode=True))],
}

OFFLINE_MESSAGE = ("Could not download pretrained weights from "
                   "https://download.pytorch.org/models/resnet18-f37072fd.pth")


def _noop(tensor, *args, **kwargs):
    return tensor


@pytest.fixture
def no_init(monkeypatch):
    """Skip every weight initialisation while building (structure only)."""
    for name in ["kaiming_normal_", "kaiming_uniform_", "normal_", "constant_", "uniform_", "trunc_normal_",
                 "zeros_", "ones_"]:
        monkeypatch.setattr(jnn.init, name, _noop)
    for cls in [jnn.modules.conv._ConvNd, jnn.Linear, jnn.modules.batchnorm._NormBase]:
        monkeypatch.setattr(cls, "reset_parameters", lambda self: None)


@pytest.fixture
def hub_home(tmp_path, monkeypatch):
    """An empty torch hub cache; returns its checkpoints folder."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    return tmp_path / "hub" / "checkpoints"


@pytest.fixture(scope="module")
def r18():
    """One ResNet-18 (10 classes, real initialisation) shared by the numeric tests."""
    jtorch.manual_seed(0)
    return models.resnet18(num_classes=10)


def np_of(t):
    return t.detach().cpu().numpy()


def to_torch_state(jstate):
    return {k: torch.from_numpy(np.array(np_of(v))) for k, v in jstate.items()}


# --- real-torch reference modules, written from torchvision's architecture (same names) ---

class BasicBlock(tnn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = tnn.Conv2d(inplanes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = tnn.BatchNorm2d(planes)
        self.relu = tnn.ReLU(inplace=True)
        self.conv2 = tnn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = tnn.BatchNorm2d(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(out + (x if self.downsample is None else self.downsample(x)))


class Bottleneck(tnn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None, groups=1, base_width=64):
        super().__init__()
        width = int(planes * (base_width / 64.0)) * groups
        self.conv1 = tnn.Conv2d(inplanes, width, kernel_size=1, bias=False)
        self.bn1 = tnn.BatchNorm2d(width)
        self.conv2 = tnn.Conv2d(width, width, 3, stride=stride, padding=1, groups=groups, bias=False)
        self.bn2 = tnn.BatchNorm2d(width)
        self.conv3 = tnn.Conv2d(width, planes * 4, kernel_size=1, bias=False)
        self.bn3 = tnn.BatchNorm2d(planes * 4)
        self.relu = tnn.ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + (x if self.downsample is None else self.downsample(x)))


class ResNet(tnn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.conv1 = tnn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = tnn.BatchNorm2d(64)
        self.relu = tnn.ReLU(inplace=True)
        self.maxpool = tnn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._layer(64, 64, 1)
        self.layer2 = self._layer(64, 128, 2)
        self.layer3 = self._layer(128, 256, 2)
        self.layer4 = self._layer(256, 512, 2)
        self.avgpool = tnn.AdaptiveAvgPool2d((1, 1))
        self.fc = tnn.Linear(512, num_classes)

    @staticmethod
    def _layer(inplanes, planes, stride):
        downsample = None
        if stride != 1 or inplanes != planes:
            downsample = tnn.Sequential(tnn.Conv2d(inplanes, planes, kernel_size=1, stride=stride, bias=False),
                                        tnn.BatchNorm2d(planes))
        return tnn.Sequential(BasicBlock(inplanes, planes, stride, downsample), BasicBlock(planes, planes))

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


# --- structure ---

@pytest.mark.parametrize("name, kwargs, count, first, last", PARAM_TABLE)
def test_structure_matches_torchvision(no_init, name, kwargs, count, first, last):
    model = models.get_model(name, **kwargs)
    assert sum(p.numel() for p in model.parameters()) == count
    keys = list(model.state_dict())
    assert keys[0] == first and keys[-1] == last
    assert set(KEY_SPOTS.get(name, [])) <= set(keys)
    text = repr(model)
    for line in REPR_SPOTS.get(name, []):
        assert line in text


def test_num_classes_and_options_change_structure(no_init):
    assert models.resnet18(num_classes=10).fc.weight.shape == (10, 512)
    assert models.mobilenet_v3_small(num_classes=7).classifier[3].out_features == 7
    assert models.squeezenet1_1(num_classes=5).classifier[1].out_channels == 5
    dilated = models.resnet50(replace_stride_with_dilation=[False, True, True])
    assert dilated.layer4[1].conv2.dilation == (4, 4) and dilated.layer4[0].conv2.stride == (1, 1)
    assert models.vgg11(dropout=0.3).classifier[2].p == 0.3
    assert models.mobilenet_v2(width_mult=0.5).features[0][0].out_channels == 16
    assert models.googlenet(init_weights=False).aux1 is not None


def test_constructor_errors(no_init):
    with pytest.raises(ValueError, match="replace_stride_with_dilation should be None or a 3-element tuple"):
        models.resnet18(replace_stride_with_dilation=[True])
    with pytest.raises(ValueError, match="BasicBlock only supports groups=1 and base_width=64"):
        models.resnet18(groups=2)
    with pytest.raises(NotImplementedError, match="Dilation > 1 not supported in BasicBlock"):
        models.resnet18(replace_stride_with_dilation=[False, False, True])
    with pytest.raises(ValueError, match="The parameter 'groups' expected value 32 but got 8 instead."):
        models.resnext50_32x4d(groups=8)
    with pytest.raises(ValueError, match="Unsupported SqueezeNet version 2_0"):
        models.squeezenet.SqueezeNet("2_0")
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        models.resnet18(bogus=1)


def test_repr_matches_real_torch(r18):
    assert repr(r18) == repr(ResNet(10))


# --- initialisation ---

def test_resnet_init(r18):
    assert all(np.all(np_of(m.weight) == 1) and np.all(np_of(m.bias) == 0)
               for m in r18.modules() if isinstance(m, jnn.BatchNorm2d))
    weight = np_of(r18.layer4[1].conv2.weight)
    assert abs(weight.std() / np.sqrt(2.0 / (512 * 9)) - 1) < 0.02 and abs(weight.mean()) < 1e-3
    bound = 1 / np.sqrt(512)
    assert np.abs(np_of(r18.fc.weight)).max() <= bound and np_of(r18.fc.weight).std() > bound / 3


def test_zero_init_residual():
    model = models.resnet18(zero_init_residual=True)
    assert all(np.all(np_of(b.bn2.weight) == 0) and np.all(np_of(b.bn1.weight) == 1)
               for layer in (model.layer1, model.layer4) for b in layer)


# --- forward, backward, parity ---

def test_forward_backward_all_params_get_grads(r18):
    r18.train()
    jtorch.manual_seed(1)
    x = jtorch.randn(2, 3, 64, 64)
    out = r18(x)
    assert out.shape == (2, 10)
    JF.cross_entropy(out, jtorch.tensor([1, 7])).backward()
    for name, p in r18.named_parameters():
        assert p.grad is not None and p.grad.shape == p.shape, name
        assert np.isfinite(np_of(p.grad)).all(), name
    assert np.abs(np_of(r18.conv1.weight.grad)).sum() > 0
    r18.zero_grad()


def test_bn_train_and_eval_differ(r18):
    x = jtorch.randn(2, 3, 64, 64)
    r18.train()
    with jtorch.no_grad():
        train_out = np_of(r18(x))
    r18.eval()
    with jtorch.no_grad():
        eval_out = np_of(r18(x))
    assert train_out.shape == eval_out.shape == (2, 10)
    assert not np.allclose(train_out, eval_out)


def test_dropout_model_train_eval_and_backward():
    jtorch.manual_seed(0)
    model = models.squeezenet1_1(num_classes=10)
    x = jtorch.randn(2, 3, 64, 64)
    model.eval()
    with jtorch.no_grad():
        assert np.array_equal(np_of(model(x)), np_of(model(x)))
    model.train()
    a, b = model(x), model(x)
    assert a.shape == (2, 10) and not np.array_equal(np_of(a), np_of(b))
    (a.sum() + b.sum()).backward()
    assert all(p.grad is not None for p in model.parameters())


def test_resnet18_matches_real_torch(r18, tmp_path):
    """Our state_dict, saved by jtorch.save, loads into a hand-written torch ResNet-18 (strict),
    and the two agree on a 224x224 image preprocessed by the weights' preset."""
    for m in r18.modules():
        if isinstance(m, jnn.BatchNorm2d):
            m.running_mean.copy_(jtorch.randn(m.num_features) * 0.1)
            m.running_var.copy_(jtorch.rand(m.num_features) + 0.5)
    jtorch.save(r18.state_dict(), tmp_path / "r18.pth")
    reference = ResNet(10)
    reference.load_state_dict(torch.load(tmp_path / "r18.pth"))
    image = Image.fromarray(np.random.default_rng(0).integers(0, 256, (240, 300, 3), dtype=np.uint8))
    x = models.ResNet18_Weights.DEFAULT.transforms()(image).unsqueeze(0)
    assert x.shape == (1, 3, 224, 224)
    r18.eval()
    reference.eval()
    with jtorch.no_grad():
        ours = np_of(r18(x))
    with torch.no_grad():
        theirs = reference(torch.from_numpy(np_of(x))).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("training", [False, True])
def test_bottleneck_matches_real_torch(training):
    jtorch.manual_seed(0)
    downsample = jnn.Sequential(jresnet.conv1x1(64, 128, 2), jnn.BatchNorm2d(128))
    ours = jresnet.Bottleneck(64, 32, stride=2, downsample=downsample, groups=2, base_width=32)
    for m in ours.modules():
        if isinstance(m, jnn.BatchNorm2d):
            m.weight.data.copy_(jtorch.rand(m.num_features) + 0.5)
            m.running_var.copy_(jtorch.rand(m.num_features) + 0.5)
    reference = Bottleneck(64, 32, stride=2, groups=2, base_width=32,
                           downsample=tnn.Sequential(tnn.Conv2d(64, 128, 1, stride=2, bias=False),
                                                     tnn.BatchNorm2d(128)))
    reference.load_state_dict(to_torch_state(ours.state_dict()))
    ours.train(training)
    reference.train(training)
    x = np.random.default_rng(1).standard_normal((2, 64, 8, 8)).astype(np.float32)
    np.testing.assert_allclose(np_of(ours(jtorch.tensor(x))), reference(torch.from_numpy(x)).detach().numpy(),
                               rtol=1e-4, atol=1e-5)


# --- weights: hub cache, offline failure, legacy interface ---

def test_pretrained_offline_fails_fast_with_clear_error(hub_home, monkeypatch):
    def offline(*args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", offline)
    start = time.monotonic()
    with pytest.raises(RuntimeError, match=OFFLINE_MESSAGE) as info:
        models.resnet18(weights=models.ResNet18_Weights.IMAGENET1K_V1)
    assert time.monotonic() - start < 15
    message = str(info.value)
    assert "offline" in message and "weights=None" in message
    assert str(hub_home / "resnet18-f37072fd.pth") in message
    assert not (hub_home / "resnet18-f37072fd.pth").exists()


def test_weights_load_from_hub_cache(hub_home):
    jtorch.manual_seed(3)
    source = models.resnet18()
    hub_home.mkdir(parents=True)
    jtorch.save(source.state_dict(), hub_home / "resnet18-f37072fd.pth")
    expected = {k: np_of(v) for k, v in source.state_dict().items()}
    for kwargs in ({"weights": models.ResNet18_Weights.DEFAULT}, {"weights": "IMAGENET1K_V1"}):
        loaded = models.resnet18(**kwargs).state_dict()
        assert all(np.array_equal(np_of(loaded[k]), v) for k, v in expected.items())
    with pytest.warns(UserWarning) as record:
        legacy = models.resnet18(pretrained=True)
    assert [str(w.message)[:40] for w in record] == ["The parameter 'pretrained' is deprecated",
                                                     "Arguments other than a weight enum or `N"]
    assert "equivalent to passing `weights=ResNet18_Weights.IMAGENET1K_V1`" in str(record[1].message)
    assert np.array_equal(np_of(legacy.fc.weight), expected["fc.weight"])
    with pytest.raises(ValueError, match="The parameter 'num_classes' expected value 1000 but got 10 instead."):
        models.resnet18(weights="DEFAULT", num_classes=10)


def test_hub_checks_hash_of_downloads_and_names_legacy_files(hub_home, monkeypatch, tmp_path):
    def fake_download(url, root, filename):
        (tmp_path / "hub" / "checkpoints" / filename).write_bytes(b"not a checkpoint")

    monkeypatch.setattr(_hub, "download_url", fake_download)
    url = "https://download.pytorch.org/models/net-abc123.pth"
    with pytest.raises(RuntimeError, match='invalid hash value \\(expected "abc123", got "[0-9a-f]{64}"\\)'):
        _hub.load_state_dict_from_url(url, check_hash=True)
    assert not (hub_home / "net-abc123.pth").exists()
    torch.save({"w": torch.ones(2)}, hub_home / "old-0.pth", _use_new_zipfile_serialization=False)
    with pytest.raises(NotImplementedError, match="old-0.pth: .*legacy"):
        _hub.load_state_dict_from_url("https://example.com/old-0.pth")


def test_legacy_pretrained_false_and_positional(no_init):
    with pytest.warns(UserWarning) as record:
        model = models.resnet18(pretrained=False)
    messages = [str(w.message) for w in record]
    assert any("please use 'weights' instead" in m for m in messages)
    assert any("The current behavior is equivalent to passing `weights=None`" in m for m in messages)
    assert isinstance(model, models.ResNet)
    with pytest.warns(UserWarning, match="Using 'weights' as positional parameter"):
        models.squeezenet1_1(None)


def test_densenet_renames_old_checkpoint_keys():
    assert jdensenet._OLD_KEY.sub(r"\1\2", "features.denseblock1.denselayer2.norm.1.weight") == \
        "features.denseblock1.denselayer2.norm1.weight"
    assert jdensenet._OLD_KEY.match("features.denseblock1.denselayer2.norm1.weight") is None


# --- weights enums and registry ---

def test_weights_enums():
    w = models.ResNet50_Weights.DEFAULT
    assert w is models.ResNet50_Weights.IMAGENET1K_V2 and repr(w) == "ResNet50_Weights.IMAGENET1K_V2"
    assert w.url == "https://download.pytorch.org/models/resnet50-11ad3fa6.pth"
    assert w.meta["num_params"] == 25557032 and w.meta["_metrics"]["ImageNet-1K"]["acc@1"] == 80.858
    preset = w.transforms()
    assert preset.resize_size == [232] and preset.crop_size == [224]
    assert repr(preset).startswith("ImageClassification(\n    crop_size=[224]\n    resize_size=[232]")
    assert models.ResNet18_Weights.verify("ResNet18_Weights.IMAGENET1K_V1") is models.ResNet18_Weights.IMAGENET1K_V1
    assert models.ResNet18_Weights.verify(None) is None
    with pytest.raises(TypeError, match="expected ResNet18_Weights but received ResNet50_Weights"):
        models.resnet18(weights=models.ResNet50_Weights.DEFAULT)
    assert models.VGG16_Weights.IMAGENET1K_FEATURES.meta["categories"] is None
    for name in models.list_models():
        weights_enum = models.get_model_weights(name)
        assert weights_enum.DEFAULT.meta["num_params"] > 0 and weights_enum.DEFAULT.url.endswith(".pth")


def test_registry():
    names = models.list_models()
    assert {"resnet18", "vgg16_bn", "mobilenet_v3_small", "densenet121", "googlenet"} <= set(names)
    assert names == sorted(names) and models.list_models(module=models) == names
    assert models.list_models(include="resnet*", exclude=["*101", "*152"]) == ["resnet18", "resnet34", "resnet50"]
    assert models.get_model_builder("ResNet18") is models.resnet18
    assert models.get_model_weights(models.vgg11) is models.VGG11_Weights
    assert models.get_weight("MobileNet_V3_Large_Weights.IMAGENET1K_V1").meta["num_params"] == 5483032
    with pytest.raises(ValueError, match="Unknown model bogus"):
        models.get_model("bogus")
    with pytest.raises(ValueError, match="Invalid weight name provided: 'ResNet18_Weights'"):
        models.get_weight("ResNet18_Weights")


def test_torchvision_alias_runs_a_script(tmp_path):
    """``python -m jtorch`` resolves ``torchvision.models`` to this package."""
    script = tmp_path / "script.py"
    script.write_text("import torchvision\nfrom torchvision.models import ResNet18_Weights\n"
                      "from torchvision.models.resnet import BasicBlock\n"
                      "print(torchvision.models.resnet18.__module__, ResNet18_Weights.DEFAULT.meta['num_params'],"
                      " BasicBlock.expansion)\n")
    result = subprocess.run([sys.executable, "-m", "jtorch", str(script)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["jtorch.vision.models.resnet", "11689512", "1"]
