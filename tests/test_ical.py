"""core.ical: the RFC 5545 text rules, checked octet by octet."""
from lifelogger.core.ical import escape_text, fold


def test_text_escapes_backslash_semicolon_comma_and_newlines():
    assert escape_text('a\\b;c,d\r\ne\nf\rg') == "a\\\\b\\;c\\,d\\ne\\nf\\ng"


def test_control_characters_are_dropped_but_tabs_kept():
    assert escape_text("a\x00b\x1bc\td") == "ab" + "c\td"


def test_a_short_line_is_one_crlf_line():
    assert fold("SUMMARY:Reading") == "SUMMARY:Reading\r\n"


def test_long_lines_fold_at_75_octets_without_splitting_utf8():
    line = "DESCRIPTION:" + "é" * 100 + "x" * 50
    folded = fold(line)
    physical = folded.split("\r\n")
    assert physical[-1] == ""
    assert all(len(part.encode("utf-8")) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:-1])
    # Unfolding (remove CRLF + one space) gives the line back.
    assert folded.replace("\r\n ", "").removesuffix("\r\n") == line
