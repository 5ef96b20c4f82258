"""Positions survive the runtime's edits of the user's code."""

from __future__ import annotations

from emulator.resolvers.appsync_js.source_map import EditedSource, Insertion, SourceText


def test_utf16_offsets_and_lines() -> None:
    text = SourceText("a = '😀';\nb")  # the emoji is two UTF-16 units, one Python character
    assert text.index(4) == 4 and text.index(7) == 6  # after the emoji JavaScript counts one more
    assert text.location(text.index(9)) == (1, 9)
    assert text.location(text.index(10)) == (2, 1)


def test_insertions_keep_lines_and_map_columns_back() -> None:
    source = SourceText("f(x);\ng(y); h(z);")
    edited = EditedSource.build(source, [Insertion(0, "const a = 1; "), Insertion(8, "tick();"), Insertion(13, "tick();")])
    assert edited.text == "const a = 1; f(x);\ng(tick();y); htick();(z);"
    assert edited.original(1, 14) == (1, 1)  # f
    assert edited.original(2, 10) == (2, 3)  # y
    assert edited.original(2, 22) == (2, 8)  # (z)
    assert edited.original(2, 5) == (2, 3)  # inside an insertion: where it was inserted


def test_closing_text_goes_before_opening_text_at_one_index() -> None:
    source = SourceText("ab")
    edited = EditedSource.build(source, [
        Insertion(1, "(", depth=1), Insertion(1, ")", depth=2, closes=True), Insertion(1, "]", depth=1, closes=True),
        Insertion(1, "[", depth=2),
    ])
    assert edited.text == "a)]([b"
