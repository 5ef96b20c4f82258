"""Parsing templates: every construct AppSync templates use, and errors with line and column."""

from __future__ import annotations

import pytest

from emulator.resolvers.vtl import TemplateSyntaxError, VtlTemplate
from tests.vtl_support import text


@pytest.mark.parametrize(
    "template,line,column,message",
    [
        ("#if($a)\nnever closed", 1, 1, "#if without #end"),
        ("ok\n  #end", 2, 3, "Unexpected #end"),
        ("#set($a = )", 1, 11, "Unexpected ')'"),
        ("#set($a 1)", 1, 9, "Expected '='"),
        ('x\n#set($a = "open)', 2, 11, "Unterminated string literal"),
        ("#foreach($a of $b)#end", 1, 13, "Expected 'in'"),
        ("$util.toJson({'a' 1})", 1, 19, "Expected ':' in a map"),
        ("#* never closed", 1, 1, "Unterminated comment"),
        ("#set($a.b() = 1)", 1, 12, "cannot assign to a method call"),
        ("#set($a = [1, 2)", 1, 16, "Expected ',' or ']'"),
    ],
)
def test_syntax_errors_name_the_place(template: str, line: int, column: int, message: str) -> None:
    with pytest.raises(TemplateSyntaxError) as caught:
        VtlTemplate.parse(template, "Query.getPost.req.vtl")
    error = caught.value
    assert (error.line, error.column) == (line, column) and message in error.message
    assert str(error).endswith(f"at Query.getPost.req.vtl[line {line}, column {column}]")
    assert error.as_appsync_error().error_type == "MappingTemplate"


@pytest.mark.parametrize(
    "hostile",
    ["(" * 5000 + "1", "#if(true)" * 5000, '#set($a = "' + "#if(true)" * 300 + '")', "[" * 3000, "{" * 3000],
)
def test_hostile_nesting_is_a_syntax_error_not_a_crash(hostile: str) -> None:
    with pytest.raises(TemplateSyntaxError):
        VtlTemplate.parse("#set($x = " + hostile + ")" if hostile[0] in "([{" else hostile, "hostile.vtl")


def test_comments_unparsed_blocks_and_formal_directives() -> None:
    template = "a## line comment\nb#* block\ncomment *#c#[[ $not #if parsed ]]#d#{if}(true)e#{else}f#{end}g"
    assert text(template) == "abc $not #if parsed deg"


def test_references_end_where_velocity_ends_them() -> None:
    assert text("#set($a = {'b': 'x'})$a.b. $a.b() $a.b[ ${a.b}c $a.bc") == "x. $a.b() x[ xc $a.bc"


def test_directive_arguments_may_span_lines_and_use_words() -> None:
    template = '#set( $m = {\n  "a": [1, 2],\n  "b": { "c": true }\n} )\n#if( $m.a.size() eq 2 and not $m.b.c == false )yes#end'
    assert text(template) == "yes"


def test_elseif_chains_and_inline_else() -> None:
    template = "#foreach($n in [1, 2, 3])#if($n == 1)one#elseif($n == 2)two#else other#end;#end"
    assert text(template) == "one;two; other;"
    assert text('"key": #if( $k ) $k #else {"id": 1} #end', arguments={}) == '"key":  {"id": 1} '
