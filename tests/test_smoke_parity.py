import pytest

from parity import MODES, arr, check

CASES = [
    ("add", lambda t, a, b: a + b, [arr(3, 4), arr(4)]),
    ("mul_scalar", lambda t, a: a * 3, [arr(2, 3)]),
    ("chain", lambda t, a, b: ((a + 2) * b).mean(), [arr(5), arr(5)]),
    ("view_t", lambda t, a: a.view(3, 2).t() * 2, [arr(2, 3)]),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name,fn,inputs", CASES, ids=[c[0] for c in CASES])
def test_smoke(name, fn, inputs, mode):
    check(fn, *inputs, mode=mode)
