"""Parity tests for the reduction family (jtorch/_ops/reduction.py): values, dtypes, shapes and
gradients against PyTorch, in eager and compiled mode, plus PyTorch's errors."""
import math
import pickle

import numpy as np
import pytest

from parity import MODES, arr, check, check_error

import jtorch

F32, F64 = "float32", "float64"
NAN, INF = float("nan"), float("inf")


def f32(*rows):
    return np.array(rows, np.float32)


TIES = f32([1, 3, 3, 1, 0], [2, 2, 2, 5, 2])
NANS = f32([1, NAN, 3, NAN, 0], [2, 2, 2, 5, 2])
ZEROS_ROW = f32([0, 0, 0], [1, -2, 2])
WITH_ZERO = f32([1, 0, 2, 3], [0, 0, 2, 1], [1, 2, 3, 4])
INTS = np.array([[3, 1, 3, 2, 1], [0, 0, 4, 4, 2]], np.int64)

CASES = [
    # sum, mean, nansum, nanmean, prod
    ("sum_all", lambda t, a: a.sum(), [arr(3, 4)]),
    ("sum_neg_keepdim", lambda t, a: t.sum(a, -1, keepdim=True), [arr(2, 3, 4)]),
    ("sum_tuple", lambda t, a: t.sum(a, (0, 2)), [arr(2, 3, 4, 5)]),
    ("sum_5d", lambda t, a: a.sum(dim=(1, -1), keepdim=True), [arr(2, 1, 3, 2, 2, dtype=F64)]),
    ("sum_0d", lambda t, a: t.sum(a, 0), [arr()]),
    ("sum_empty", lambda t, a: t.sum(a, 0), [arr(0, 3)]),
    ("sum_int", lambda t, a: t.sum(a, 1), [arr(3, 4, dtype="int32")]),
    ("sum_bool", lambda t, a: a.sum(), [arr(3, 4, dtype="bool")]),
    ("sum_dtype", lambda t, a: t.sum(a, dtype=t.float64), [arr(3, 4)]),
    ("mean_tuple_keepdim", lambda t, a: t.mean(a, (0, -1), keepdim=True), [arr(2, 3, 4, dtype=F64)]),
    ("mean_0d", lambda t, a: a.mean(), [arr()]),
    ("mean_empty_dim", lambda t, a: t.mean(a, 0), [arr(0, 3)]),
    ("mean_int_dtype", lambda t, a: t.mean(a, 1, dtype=t.float32), [arr(3, 4, dtype="int64")]),
    ("nansum", lambda t, a: t.nansum(a, 1), [NANS]),
    ("nansum_int", lambda t, a: a.nansum(), [arr(3, 4, dtype="int64")]),
    ("nanmean", lambda t, a: t.nanmean(a, 1, keepdim=True), [NANS]),
    ("nanmean_all", lambda t, a: a.nanmean(), [NANS]),
    ("prod_all_zero", lambda t, a: t.prod(a), [WITH_ZERO]),
    ("prod_dim_zeros", lambda t, a: t.prod(a, 1), [WITH_ZERO]),
    ("prod_dim_neg_keepdim", lambda t, a: a.prod(-2, keepdim=True), [arr(2, 3, 4)]),
    ("prod_int", lambda t, a: t.prod(a, 0), [arr(3, 4, dtype="int32")]),
    ("prod_bool", lambda t, a: a.prod(), [arr(3, 4, dtype="bool")]),
    ("prod_dtype", lambda t, a: t.prod(a, 1, dtype=t.float64), [arr(3, 4)]),
    # max, min, amax, amin, aminmax, argmax, argmin
    ("max_all_ties", lambda t, a: t.max(a), [TIES]),
    ("max_all_nan", lambda t, a: a.max(), [NANS]),
    ("min_all_ties", lambda t, a: t.min(a), [TIES]),
    ("max_dim_ties", lambda t, a: t.max(a, 1), [TIES]),
    ("max_dim_keepdim", lambda t, a: a.max(dim=-2, keepdim=True), [arr(2, 3, 4)]),
    ("min_dim_nan", lambda t, a: t.min(a, 1), [NANS]),
    ("min_dim_ties", lambda t, a: a.min(0), [TIES]),
    ("max_0d", lambda t, a: (t.max(a), t.max(a, 0)), [arr()]),
    ("max_empty_rows", lambda t, a: t.max(a, 1), [arr(0, 3)]),
    ("max_int_dim", lambda t, a: t.max(a, 1), [INTS]),
    ("max_bool", lambda t, a: (a.max(), a.min(0)), [arr(3, 4, dtype="bool")]),
    ("max_other", lambda t, a, b: (t.max(a, b), a.min(b)), [arr(3, 4), arr(4)]),
    ("amax_ties_tuple", lambda t, a: t.amax(a, (0, 1)), [TIES]),
    ("amax_ties_dim", lambda t, a: a.amax(1), [TIES]),
    ("amax_nan", lambda t, a: t.amax(a, 1), [NANS]),
    ("amin_keepdim", lambda t, a: t.amin(a, -1, keepdim=True), [TIES]),
    ("amax_5d", lambda t, a: t.amax(a, (0, 2, 4)), [arr(2, 3, 2, 2, 3, dtype=F64)]),
    ("amax_int", lambda t, a: a.amax(), [INTS]),
    ("aminmax_all", lambda t, a: t.aminmax(a), [TIES]),
    ("aminmax_dim", lambda t, a: a.aminmax(dim=1, keepdim=True), [TIES]),
    ("argmax_flat", lambda t, a: (t.argmax(a), t.argmin(a)), [TIES]),
    ("argmax_dim_keepdim", lambda t, a: t.argmax(a, 1, keepdim=True), [INTS]),
    ("argmin_neg", lambda t, a: a.argmin(-2), [arr(2, 3, 4)]),
    ("argmax_none_keepdim", lambda t, a: t.argmax(a, keepdim=True), [arr(2, 3)]),
    ("argmax_nan", lambda t, a: (t.argmax(a, 1), t.argmin(a, 1)), [NANS]),
    ("argmax_0d", lambda t, a: (t.argmax(a), t.argmax(a, 0, True)), [arr()]),
    # std, var
    ("var_all", lambda t, a: t.var(a), [arr(3, 4)]),
    ("var_dim_biased", lambda t, a: t.var(a, 1, unbiased=False), [arr(3, 4)]),
    ("std_tuple_keepdim", lambda t, a: t.std(a, (0, 2), keepdim=True), [arr(2, 3, 4, dtype=F64)]),
    ("std_correction", lambda t, a: a.std(1, correction=2), [arr(3, 5)]),
    ("var_correction0", lambda t, a: t.var(a, dim=-1, correction=0, keepdim=True), [arr(3, 5)]),
    ("std_positional_unbiased", lambda t, a: t.std(a, False), [arr(4, 3)]),
    ("std_var_positional", lambda t, a: (a.std(0, True, True), a.var(1, False)), [arr(4, 3)]),
    ("std_zero_spread", lambda t, a: t.std(a * 0, 1), [arr(3, 4)]),
    ("var_mean", lambda t, a: t.var_mean(a, 1), [arr(3, 4)]),
    ("std_mean_keepdim", lambda t, a: t.std_mean(a, (0, 1), keepdim=True, correction=0), [arr(2, 3, 4)]),
    ("var_5d", lambda t, a: t.var(a, (1, 3)), [arr(2, 3, 2, 3, 2, dtype=F64)]),
    # norm
    ("norm_fro", lambda t, a: t.norm(a), [arr(3, 4)]),
    ("norm_p1_dim", lambda t, a: t.norm(a, 1, 1), [arr(3, 4)]),
    ("norm_inf_ties", lambda t, a: t.norm(a, INF, dim=1), [TIES]),
    ("norm_neg_inf", lambda t, a: a.norm(-INF, dim=1), [TIES - 2]),
    ("norm_p0", lambda t, a: t.norm(a, 0), [WITH_ZERO]),
    ("norm_p3_keepdim", lambda t, a: t.norm(a, 3, dim=0, keepdim=True), [arr(3, 4)]),
    ("norm_p_half", lambda t, a: t.norm(a, 0.5, dim=1), [WITH_ZERO]),
    ("norm_p_15", lambda t, a: t.norm(a, 1.5, dim=1), [WITH_ZERO]),
    ("norm_neg_p", lambda t, a: t.norm(a, -1, dim=1), [ZEROS_ROW]),
    ("norm_at_zero", lambda t, a: tuple(t.norm(a, p, dim=1) for p in (2, 1, 3, 0.5, 1.5, INF)), [ZEROS_ROW]),
    ("norm_zero_all", lambda t, a: t.norm(a * 0), [arr(2, 3)]),
    ("norm_dtype", lambda t, a: t.norm(a, dtype=t.float64), [arr(3, 4)]),
    ("norm_fro_tuple", lambda t, a: a.norm("fro", (0, 2)), [arr(2, 3, 4)]),
    ("norm_nuc", lambda t, a: t.norm(a, "nuc"), [arr(3, 4, dtype=F64)]),
    ("norm_nuc_dims", lambda t, a: t.norm(a, "nuc", dim=(2, 0), keepdim=True), [arr(3, 2, 4, dtype=F64)]),
    ("norm_method_dim", lambda t, a: a.norm(dim=-1), [arr(2, 3, 4)]),
    # logsumexp
    ("logsumexp_tuple_keepdim", lambda t, a: t.logsumexp(a, (0, 2), keepdim=True), [arr(2, 3, 4)]),
    ("logsumexp_inf", lambda t, a: t.logsumexp(a, 1), [f32([-INF, 0, 1], [-INF, -INF, 2])]),
    ("logsumexp_int", lambda t, a: a.logsumexp(0), [arr(3, 4, dtype="int64")]),
    ("logsumexp_0d", lambda t, a: t.logsumexp(a, 0), [arr()]),
    # scans
    ("cumsum_neg", lambda t, a: t.cumsum(a, -1), [arr(2, 3, 4)]),
    ("cumsum_int", lambda t, a: (t.cumsum(a, 0), a.cumsum(1)), [arr(3, 4, dtype="int32")]),
    ("cumsum_bool_dtype", lambda t, a: (a.cumsum(0), a.cumsum(0, dtype=t.float32)), [arr(5, dtype="bool")]),
    ("cumsum_0d_empty", lambda t, a, b: (t.cumsum(a, 0), t.cumsum(b, 1)), [arr(), arr(2, 0)]),
    ("cumsum_inplace", lambda t, a: (a * 1).cumsum_(1), [arr(3, 4)]),
    ("cumprod_zeros", lambda t, a: t.cumprod(a, 1), [WITH_ZERO]),
    ("cumprod_dtype", lambda t, a: a.cumprod(0, dtype=t.float64), [arr(3, 4)]),
    ("cummax_ties", lambda t, a: t.cummax(a, 1), [TIES]),
    ("cummin_ties", lambda t, a: a.cummin(1), [TIES]),
    ("cummax_nan", lambda t, a: (t.cummax(a, 1), t.cummin(a, -1)), [NANS]),
    ("cummax_int_0d", lambda t, a, b: (t.cummax(a, 0), t.cummin(b, 0)), [INTS, arr()]),
    ("logcumsumexp", lambda t, a: t.logcumsumexp(a, 1), [arr(3, 5)]),
    ("logcumsumexp_inf", lambda t, a: a.logcumsumexp(1), [f32([1, -INF, 2, -INF])]),
    # all, any, count_nonzero
    ("all_any_float", lambda t, a: (t.all(a), t.any(a, 1), a.all(0, keepdim=True)), [WITH_ZERO]),
    ("all_any_uint8", lambda t, a: (t.all(a, 1), a.any(), t.any(a, (0, 1), keepdim=True)),
     [arr(3, 4, dtype="uint8", low=0, high=1)]),
    ("all_any_bool_tuple", lambda t, a: (t.all(a, (0, 2)), t.any(a, -1)), [arr(2, 3, 4, dtype="bool")]),
    ("all_any_empty_0d", lambda t, a, b: (t.all(a), t.any(a), t.all(b, 1), t.any(b, 0)), [arr(), arr(0, 3)]),
    ("count_nonzero", lambda t, a: (t.count_nonzero(a), t.count_nonzero(a, 1), a.count_nonzero((0, 1))),
     [WITH_ZERO]),
    # median, nanmedian, mode, kthvalue
    ("median_all_ties", lambda t, a: t.median(a), [TIES]),
    ("median_all_even", lambda t, a: a.median(), [arr(2, 4)]),
    ("median_all_nan", lambda t, a: t.median(a), [NANS]),
    ("median_dim", lambda t, a: t.median(a, 1), [arr(3, 5)]),
    ("median_dim_keepdim", lambda t, a: a.median(0, keepdim=True), [arr(4, 3, 2)]),
    ("median_dim_nan", lambda t, a: t.median(a, 1), [NANS]),
    ("median_0d_int", lambda t, a, b: (t.median(a), t.median(a, 0), t.median(b)), [arr(), INTS]),
    ("nanmedian_all", lambda t, a: t.nanmedian(a), [NANS]),
    ("nanmedian_dim", lambda t, a: a.nanmedian(1), [f32([1, NAN, 3, 0], [NAN, 5, NAN, NAN], [4, 2, NAN, 7])]),
    ("mode_float", lambda t, a: t.mode(a), [TIES]),
    ("mode_dim0_keepdim", lambda t, a: t.mode(a, 0, keepdim=True), [arr(6, 3, dtype="int64")]),
    ("mode_nan_0d", lambda t, a, b: (a.mode(1), t.mode(b)), [NANS, arr()]),
    ("kthvalue", lambda t, a: t.kthvalue(a, 2, 1), [arr(3, 5)]),
    ("kthvalue_ends", lambda t, a: (a.kthvalue(1), a.kthvalue(4, 0, True)), [arr(4, 3)]),
    ("kthvalue_0d", lambda t, a: t.kthvalue(a, 1), [arr()]),
    # quantile, nanquantile
    ("quantile_scalar", lambda t, a: t.quantile(a, 0.3), [arr(3, 5)]),
    ("quantile_dim_keepdim", lambda t, a: a.quantile(0.75, dim=1, keepdim=True), [arr(3, 5, dtype=F64)]),
    ("quantile_tensor_q", lambda t, a, q: t.quantile(a, q, dim=0), [arr(5, 3), f32(0.1, 0.5, 0.9)]),
    ("quantile_q_keepdim_none", lambda t, a, q: t.quantile(a, q, keepdim=True), [arr(2, 3), f32(0.25, 1.0)]),
    ("quantile_modes",
     lambda t, a: tuple(t.quantile(a, 0.4, 1, interpolation=m) for m in ("lower", "higher", "midpoint", "nearest")),
     [arr(3, 6)]),
    ("quantile_nan", lambda t, a: t.quantile(a, 0.5, 1), [NANS]),
    ("nanquantile", lambda t, a: t.nanquantile(a, 0.3, 1), [f32([1, NAN, 3, 0], [NAN, NAN, NAN, NAN])]),
    ("nanquantile_modes", lambda t, a: (a.nanquantile(0.6, interpolation="nearest"), a.nanquantile(0.5, 0)), [NANS]),
    # sort, argsort, msort, topk
    ("sort_default", lambda t, a: t.sort(a), [arr(3, 5)]),
    ("sort_dim0_desc", lambda t, a: a.sort(0, descending=True), [arr(4, 3, 2)]),
    ("sort_ties_stable", lambda t, a: (t.sort(a, stable=True), t.sort(a, 1, True)), [TIES]),
    ("sort_nan", lambda t, a: (t.sort(a), t.sort(a, descending=True)), [NANS]),
    ("sort_int_bool", lambda t, a, b: (t.sort(a, 1, descending=True), t.sort(b, 0)),
     [INTS, arr(4, 2, dtype="bool")]),
    ("sort_0d_empty", lambda t, a, b: (t.sort(a), t.sort(b, 1)), [arr(), arr(3, 0)]),
    ("sort_5d", lambda t, a: t.sort(a, 2), [arr(2, 2, 3, 2, 2, dtype=F64)]),
    ("argsort", lambda t, a: (t.argsort(a), a.argsort(0, descending=True)), [TIES]),
    ("msort", lambda t, a: t.msort(a), [arr(4, 3)]),
    ("topk_largest", lambda t, a: t.topk(a, 3), [arr(3, 6)]),
    ("topk_smallest_dim0", lambda t, a: a.topk(2, 0, largest=False), [arr(4, 3, 2)]),
    ("topk_k0_full", lambda t, a: (t.topk(a, 0), t.topk(a, 5, 1)), [arr(2, 5)]),
    ("topk_nan_int", lambda t, a, b: (t.topk(a, 2), t.topk(b, 2, 0)), [f32([1, NAN, 3, 0]), arr(4, 3, dtype="int64",
                                                                                               low=-100, high=100)]),
    ("topk_0d", lambda t, a: t.topk(a, 1), [arr()]),
    # histc, searchsorted, bucketize (static output shapes)
    ("histc_range", lambda t, a: t.histc(a, bins=7, min=-1.5, max=1.5), [arr(50)]),
    ("histc_data_range", lambda t, a: a.histc(5), [arr(4, 6, dtype=F64)]),
    ("histc_same", lambda t, a: t.histc(a, bins=4), [f32(1, 1)]),
    ("searchsorted_1d", lambda t, s, v: (t.searchsorted(s, v), t.searchsorted(s, v, right=True)),
     [f32(-1, 0, 0, 1.5, 2), f32([0, 2.5], [-3, 1.5])]),
    ("searchsorted_nd", lambda t, s, v: t.searchsorted(s, v, side="right", out_int32=True),
     [np.sort(arr(2, 5), 1), arr(2, 3)]),
    ("searchsorted_sorter_scalar", lambda t, s, i: (t.searchsorted(s, 0.5, sorter=i), t.searchsorted(s, 1.0, sorter=i)),
     [f32(3, 1, 0.5, 2), np.array([2, 1, 3, 0])]),
    ("bucketize", lambda t, v, b: (t.bucketize(v, b), t.bucketize(v, b, right=True)),
     [f32([0, 1, 2.5], [3, 4, -1]), f32(0, 1, 3)]),
]

EAGER_CASES = [
    ("unique", lambda t, a: t.unique(a), [np.array([3, 1, 2, 1, 3, 0])]),
    ("unique_inverse_counts", lambda t, a: t.unique(a, return_inverse=True, return_counts=True), [INTS]),
    ("unique_float_nan", lambda t, a: a.unique(sorted=False, return_counts=True), [f32(NAN, 1, 2, NAN, 1)]),
    ("unique_dim", lambda t, a: t.unique(a, dim=0, return_inverse=True, return_counts=True),
     [np.array([[1, 2], [0, 5], [1, 2], [0, 1]])]),
    ("unique_dim1", lambda t, a: a.unique(dim=1), [np.array([[1, 0, 1], [2, 5, 2]])]),
    ("unique_0d_empty", lambda t, a, b: (t.unique(a, return_inverse=True), t.unique(b)),
     [np.array(3.0, np.float32), np.zeros(0, np.float32)]),
    ("unique_bool", lambda t, a: t.unique(a), [arr(7, dtype="bool")]),
    ("unique_consecutive", lambda t, a: t.unique_consecutive(a, return_inverse=True, return_counts=True),
     [np.array([1, 1, 2, 2, 3, 1, 1, 2])]),
    ("unique_consecutive_dim", lambda t, a: a.unique_consecutive(dim=0, return_counts=True),
     [np.array([[1, 2], [1, 2], [0, 0], [1, 2]])]),
    ("bincount", lambda t, a: (t.bincount(a), t.bincount(a, minlength=10)), [np.array([0, 3, 1, 3, 5])]),
    ("bincount_weights", lambda t, a, w, v: (t.bincount(a, w), a.bincount(v)),
     [np.array([0, 3, 1, 3]), f32(0.5, 1, 2, 3), np.array([1.0, 2, 3, 4])]),
    ("bincount_empty", lambda t, a: t.bincount(a, minlength=3), [np.zeros(0, np.int64)]),
]

ERRORS = [
    ("sum_dim_range", lambda t, a: t.sum(a, 2), [arr(3, 4)], r"Dimension out of range \(expected to be in range of "
                                                              r"\[-2, 1\], but got 2\)"),
    ("sum_repeated", lambda t, a: t.sum(a, (0, -2)), [arr(3, 4)], "dim 0 appears multiple times"),
    ("cumsum_dim_range", lambda t, a: t.cumsum(a, -3), [arr(3, 4)], "Dimension out of range"),
    ("sort_dim_range_0d", lambda t, a: t.sort(a, 1), [arr()], r"range of \[-1, 0\], but got 1"),
    ("max_empty", lambda t, a: t.max(a), [arr(0, 3)],
     r"^max\(\): Expected reduction dim to be specified for input.numel\(\) == 0. Specify the reduction dim with "
     r"the 'dim' argument.$"),
    ("min_dim_empty", lambda t, a: t.min(a, -1), [arr(3, 0)], r"min\(\): Expected reduction dim 1 to have non-zero"),
    ("amax_empty", lambda t, a: t.amax(a), [arr(0)], r"amax\(\): Expected reduction dim to be specified"),
    ("amin_dim_empty", lambda t, a: t.amin(a, -1), [arr(2, 0)], r"amin\(\): Expected reduction dim -1 to have"),
    ("aminmax_empty", lambda t, a: t.aminmax(a), [arr(0)], "cannot compute aminmax over an empty dimension"),
    ("argmax_empty", lambda t, a: t.argmax(a), [arr(0, 2)], r"argmax\(\): Expected reduction dim to be specified"),
    ("argmax_bool", lambda t, a: t.argmax(a), [arr(3, dtype="bool")], "does not support bool input"),
    ("median_dim_empty", lambda t, a: t.median(a, 1), [arr(2, 0)], r"median\(\): Expected reduction dim 1"),
    ("median_bool", lambda t, a: t.median(a), [arr(3, dtype="bool")], "not implemented for 'Bool'"),
    ("mode_empty", lambda t, a: t.mode(a), [arr(2, 0)], r"mode\(\): Expected reduction dim 1"),
    ("topk_k_large", lambda t, a: t.topk(a, 4), [arr(3)], "^selected index k out of range$"),
    ("topk_k_negative", lambda t, a: t.topk(a, -1), [arr(3)], "^selected index k out of range$"),
    ("topk_bool", lambda t, a: t.topk(a, 1), [arr(3, dtype="bool")], "topk does not support bool"),
    ("kthvalue_range", lambda t, a: t.kthvalue(a, 4), [arr(2, 3)],
     r"^kthvalue\(\): selected number k out of range for dimension 1$"),
    ("kthvalue_zero", lambda t, a: t.kthvalue(a, 0, 0), [arr(2, 3)], "selected number k out of range for dimension 0"),
    ("mean_int", lambda t, a: t.mean(a), [arr(3, dtype="int64")], "Input dtype must be either a floating point"),
    ("nanmean_int", lambda t, a: t.nanmean(a), [arr(3, dtype="int64")], "expected input to have floating point"),
    ("std_int", lambda t, a: t.std(a), [arr(3, dtype="int64")], "std and var only support floating point"),
    ("var_mean_int", lambda t, a: t.var_mean(a), [arr(3, dtype="int64")], "var_mean only support floating point"),
    ("std_unbiased_and_correction", lambda t, a: t.std(a, 0, True, correction=1), [arr(3)], None),
    ("prod_tuple", lambda t, a: t.prod(a, (0,)), [arr(3)], None),
    ("norm_int", lambda t, a: t.norm(a), [arr(3, dtype="int64")], "Expected a floating point or complex tensor"),
    ("norm_nuc_3d", lambda t, a: t.norm(a, "nuc"), [arr(2, 2, 2)], r"dim must be a 2-tuple. Got 0 1 2"),
    ("norm_bad_order", lambda t, a: t.norm(a, "foo"), [arr(2, 2)], "Order foo not supported"),
    ("norm_inf_empty", lambda t, a: t.norm(a, INF), [arr(0, 2)], "cannot compute the inf norm on an empty tensor"),
    ("logcumsumexp_int", lambda t, a: t.logcumsumexp(a, 0), [arr(3, dtype="int64")], "not implemented for 'Long'"),
    ("quantile_q_range", lambda t, a: t.quantile(a, 1.5), [arr(3)], r"q must be in the range \[0, 1\] but got 1.5"),
    ("quantile_q_tensor_range", lambda t, a, q: t.quantile(a, q), [arr(3), f32(0.5, 2)], r"q values must be in"),
    ("quantile_q_dtype", lambda t, a, q: t.quantile(a, q), [arr(3), np.array([0.5])], "same dtype as the input"),
    ("quantile_q_2d", lambda t, a, q: t.quantile(a, q), [arr(3), f32([0.5])], "q must be a scalar or 1D tensor"),
    ("quantile_empty", lambda t, a: t.quantile(a, 0.5), [arr(0)], "input tensor must be non-empty"),
    ("quantile_int", lambda t, a: t.quantile(a, 0.5), [arr(3, dtype="int64")], "must be either float or double"),
    ("quantile_interp", lambda t, a: t.quantile(a, 0.5, interpolation="foo"), [arr(3)], "interpolation must be one"),
    ("bincount_negative", lambda t, a: t.bincount(a), [np.array([1, -1])], "1-d non-negative integral inputs"),
    ("bincount_2d", lambda t, a: t.bincount(a), [np.array([[1, 2]])], "1-d non-negative integral inputs"),
    ("bincount_float", lambda t, a: t.bincount(a), [arr(3)], "not implemented for 'Float'"),
    ("bincount_weights_len", lambda t, a, w: t.bincount(a, w), [np.array([1, 2]), arr(3)], "same length as input"),
    ("histc_bins", lambda t, a: t.histc(a, bins=0), [arr(3)], "bins must be > 0"),
    ("histc_min_max", lambda t, a: t.histc(a, min=2, max=1), [arr(3)], "max must be larger than min"),
    ("histc_int", lambda t, a: t.histc(a), [arr(3, dtype="int64")], "not implemented for 'Long'"),
    ("histc_not_finite", lambda t, a: t.histc(a), [f32(1, INF)], r"range of \[1, inf\] is not finite"),
    ("searchsorted_side", lambda t, s, v: t.searchsorted(s, v, side="left", right=True), [f32(1, 2), f32(1)],
     "side and right can't be set to opposites"),
    ("searchsorted_shape", lambda t, s, v: t.searchsorted(s, v), [arr(2, 3), arr(3, 1)],
     r"boundaries tensor \[2, 3\] and input value tensor \[3, 1\]"),
    ("bucketize_2d", lambda t, v, b: t.bucketize(v, b), [arr(3), arr(2, 2)], r"must be 1 dimension, but got dim\(2\)"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name,fn,inputs", CASES, ids=[c[0] for c in CASES])
def test_reduction(name, fn, inputs, mode):
    check(fn, *inputs, mode=mode)


@pytest.mark.parametrize("name,fn,inputs", EAGER_CASES, ids=[c[0] for c in EAGER_CASES])
def test_data_dependent_eager(name, fn, inputs):
    check(fn, *inputs, mode="eager", grad=False)


@pytest.mark.parametrize("name,fn,inputs,match", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(name, fn, inputs, match):
    check_error(fn, *inputs, match=match)


def test_unique_refuses_tracing():
    with pytest.raises(RuntimeError, match="depends on the data"):
        check(lambda t, a: t.unique(a), arr(4), mode="compiled", grad=False)


def test_return_types():
    import torch

    x = f32([1, 5, 2], [4, 0, 4])
    expected = torch.max(torch.from_numpy(x), 1)
    got = jtorch.max(jtorch.tensor(x), 1)
    assert repr(got) == repr(expected)
    assert type(got).__name__ == "max" and isinstance(got, tuple) and len(got) == 2
    values, indices = got
    assert values is got.values and indices is got.indices
    assert got.indices.tolist() == [1, 0]
    assert jtorch.return_types.max is type(got)
    back = pickle.loads(pickle.dumps(got))
    assert type(back) is type(got) and back.values.tolist() == [5.0, 4.0]
    mm = jtorch.aminmax(jtorch.tensor(x))
    assert (mm.min.item(), mm.max.item()) == (0.0, 5.0)


def test_out_arguments():
    import torch

    for lib in (torch, jtorch):
        x = lib.tensor(f32([1, 5, 2], [4, 0, 4]))
        values, indices = lib.empty(0), lib.empty(0, dtype=lib.int64)
        res = lib.max(x, 1, out=(values, indices))
        s = lib.empty(0)
        lib.sum(x, 0, out=s)
        c = lib.empty(0)
        lib.cumsum(x, 1, out=c)
        assert res[0] is values and values.tolist() == [5.0, 4.0] and indices.tolist() == [1, 0]
        assert s.tolist() == [5.0, 5.0, 6.0] and c.tolist() == [[1, 6, 8], [4, 4, 8]]


def test_double_backward_through_norm_and_std():
    import torch

    x = arr(3, 4, seed=3)
    grads = []
    for lib in (torch, jtorch):
        a = lib.tensor(x, requires_grad=True)
        loss = lib.norm(a, dim=1).sum() + lib.std(a, 0).sum() + lib.max(a)
        (g,) = lib.autograd.grad(loss, a, create_graph=True)
        (h,) = lib.autograd.grad((g * g).sum(), a)
        grads.append(np.asarray(h.detach()))
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-4, atol=1e-5)


def test_std_dof_warning():
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
        assert math.isnan(jtorch.var(jtorch.ones(1)).item())
