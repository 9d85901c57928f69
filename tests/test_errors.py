"""Error parity: bad input raises the exception type PyTorch raises, with a message naming the
problem (more cases live next to their ops in the other test files)."""
import pytest

from parity import check_error

CASES = [
    ("broadcast_add", lambda t: t.ones(2, 3) + t.ones(4), r"size of tensor a \(3\) must match the size of tensor b \(4\)"),
    ("broadcast_mul_3d", lambda t: t.ones(2, 3, 4) * t.ones(3, 3, 4), r"non-singleton dimension 0"),
    ("item_many", lambda t: t.ones(3).item(), r"a Tensor with 3 elements cannot be converted to Scalar"),
    ("bool_many", lambda t: bool(t.ones(2)), r"more than one value is ambiguous"),
    ("bool_empty", lambda t: bool(t.ones(0)), r"no values is ambiguous"),
    ("len_0d", lambda t: len(t.tensor(1.0)), r"len\(\) of a 0-d tensor"),
    ("iter_0d", lambda t: iter(t.tensor(1.0)), r"iteration over a 0-d tensor"),
    ("index_float", lambda t: [1, 2][t.tensor(1.0)], r"only integer tensors"),
    ("int_many", lambda t: int(t.ones(2)), r"only one element tensors"),
    ("mean_int", lambda t: t.tensor([1, 2]).mean(), r"mean\(\): could not infer output dtype"),
    ("inplace_cast", lambda t: t.tensor([1, 2]).add_(1.5), r"result type Float can't be cast to the desired output type Long"),
    ("inplace_broadcast", lambda t: t.ones(3).add_(t.ones(2, 3)), r"doesn't match the broadcast shape"),
    ("sub_bool", lambda t: t.tensor([True]) - t.tensor([False]), r"Subtraction, the `-` operator, with two bool"),
    ("neg_bool", lambda t: -t.tensor([True]), r"Negation, the `-` operator, on a bool tensor"),
    ("int_neg_pow", lambda t: t.tensor([2]) ** -1, r"Integers to negative integer powers"),
    ("bitwise_float", lambda t: t.ones(2) & t.ones(2), r"not implemented for 'Float'"),
    ("cuda_tensor", lambda t: t.zeros(1, device="cuda"), r"Torch not compiled with CUDA enabled"),
    ("cuda_method", lambda t: t.ones(2).cuda(), r"Torch not compiled with CUDA enabled"),
    ("bad_device", lambda t: t.device("gpu"), r"Expected one of cpu, cuda"),
    ("negative_size", lambda t: t.zeros(2, -1), r"Dimension size must be non-negative"),
    ("arange_zero_step", lambda t: t.arange(0, 5, 0), r"step must be nonzero"),
    ("arange_sign", lambda t: t.arange(5, 0, 1), r"upper bound and lower bound inconsistent"),
    ("ragged", lambda t: t.tensor([[1, 2], [3]]), r"expected sequence of length 2 at dim 1"),
    ("dim_out_of_range", lambda t: t.ones(2, 3).sum(2), r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)"),
    ("dim_repeated", lambda t: t.ones(2, 3).sum((0, 0)), r"appears multiple times"),
    ("where_cond_dtype", lambda t: t.where(t.ones(2), t.ones(2), t.zeros(2)), r"where expected condition to be a boolean tensor"),
    ("clamp_none", lambda t: t.ones(2).clamp(), r"At least one of 'min' or 'max' must not be None"),
    ("div_mode", lambda t: t.ones(2).div(2, rounding_mode="round"), r"rounding_mode"),
    ("set_default_int", lambda t: t.set_default_dtype(t.int64), r"only floating-point types"),
    ("add_type", lambda t: t.add(t.ones(2), "a"), r"must be Tensor"),
    ("rand_int_dtype", lambda t: t.rand(2, dtype=t.int64), r"not implemented for 'Long'"),
    ("randint_bounds", lambda t: t.randint(5, 5, (2,)), r"from=5 >= to=5"),
    ("multinomial_negative", lambda t: t.multinomial(t.tensor([-1.0, 2.0]), 1), r"probability tensor contains"),
    ("normal_std", lambda t: t.normal(0.0, -1.0, (2,)), r"normal expects std >= 0.0"),
    ("tril_1d", lambda t: t.tril(t.ones(3)), r"tril: input tensor must have at least 2 dimensions"),
]


@pytest.mark.parametrize("name,fn,match", CASES, ids=[c[0] for c in CASES])
def test_error_parity(name, fn, match):
    check_error(fn, match=match)
