import pytest

from timeline.export import csv_cell


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_it_neutralises_every_formula_trigger(trigger):
    assert csv_cell(f"{trigger}SUM(A1:A9)") == f"'{trigger}SUM(A1:A9)"


@pytest.mark.parametrize("value", ["Huawei", "5G", "1 Dec 2018", "", "a=b", "NÚKIB"])
def test_it_leaves_ordinary_cells_alone(value):
    assert csv_cell(value) == value


def test_it_joins_multi_valued_cells_and_guards_the_result():
    assert csv_cell(["GB", "DE"]) == "GB | DE"
    assert csv_cell(["-1", "x"]) == "'-1 | x"
