from sdgtrack.errors import IssueCode
from sdgtrack.ingest.text import read_text_table


def test_line_numbers_survive_blank_and_malformed_lines(tmp_path):
    path = tmp_path / "t.csv"
    # line: 1 header, 2 ok, 3 blank, 4 short, 5 ok, 6 long, 7 ok
    path.write_text("a,b,c\n1,2,3\n\n4,5\n6,7,8\n9,10,11,12\n13,14,15\n")
    text, issues = read_text_table(path)
    assert [2, 5, 7] == text.rows.tolist()
    assert ["1", "6", "13"] == text.table["a"].to_pylist()
    assert [(4, IssueCode.MALFORMED_ROW), (6, IssueCode.MALFORMED_ROW)] == [
        (i.row, i.code) for i in issues]


def test_header_without_newline_is_an_empty_table(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("Year,Units,Value")
    text, issues = read_text_table(path)
    assert (0, ["Year", "Units", "Value"], []) == (
        text.table.num_rows, text.table.column_names, issues)
