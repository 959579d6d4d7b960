import pyarrow as pa

from sdgtrack.ingest.values import parse_numbers, parse_years
from sdgtrack.model.codes import normalise_code


def test_published_qualifiers_keep_their_number_and_bound():
    value, qualifier = parse_numbers(pa.chunked_array([["<5", ">95", "<0.1", "N", "NV", "7.25",
                                                        "-3", "1,5", "≤2"]]))
    assert [5.0, 95.0, 0.1, None, None, 7.25, -3.0, None, 2.0] == value.to_pylist()
    assert ["<", ">", "<", None, None, None, None, None, "<="] == qualifier.to_pylist()


def test_years_are_four_digits_or_null():
    years = parse_years(pa.chunked_array([["2015", "2015.0", " 2020 ", "20l5", "2014-2016"]]))
    assert [2015, 2015, 2020, None, None] == years.to_pylist()


def test_un_api_codes_become_sdmx_codes_and_blank_is_total():
    assert "_T" == normalise_code("sex", "BOTHSEX")
    assert "F" == normalise_code("sex", "FEMALE")
    assert "_T" == normalise_code("urbanisation", "")
    assert "R" == normalise_code("urbanisation", "RURAL")
    assert "Y0T4" == normalise_code("age", "<5Y")  # under five: 0 to 4 years
    assert "Y_GE15" == normalise_code("age", "15+")
