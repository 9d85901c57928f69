"""Seeing the dynamic graph: recorded ops with shapes, DOT text, rendering."""
import jtorch
import jtorch.autograd.graph as graph


def _loss():
    jtorch.manual_seed(0)
    model = jtorch.nn.Linear(10, 20)
    return model(jtorch.randn(4, 10)).relu().sum()


def test_recorded_ops_lists_ops_with_shapes():
    assert graph.recorded_ops(_loss()) == [
        ("SumBackward0", [(4, 20)]), ("ReluBackward0", [(4, 20)]),
        ("AddmmBackward0", [(4, 10), (20, 10), (20,)]), ("AccumulateGrad", [(20,)]), ("AccumulateGrad", [(20, 10)])]
    assert graph.recorded_ops(jtorch.ones(2)) == []


def test_dot_text_and_render(tmp_path):
    dot = graph.to_dot(_loss())
    assert dot.startswith("digraph graph {") and dot.rstrip().endswith("}")
    assert 'label="AddmmBackward0\\n4x10, 20x10, 20"' in dot
    assert dot.count("->") == 5
    written = graph.render(_loss(), tmp_path / "g.svg")
    assert written[0].endswith("g.dot") and (tmp_path / "g.dot").read_text() == dot
