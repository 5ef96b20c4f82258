"""Parsing templates: every construct AppSync templates use, and errors with line and column."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.resolvers.vtl import TemplateSyntaxError, VtlContext, VtlTemplate
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


FRAGMENTS = [
    "$", "#", "\\", "(", ")", "[", "]", "{", "}", '"', "'", ",", ".", "..", "=", "==", "!", "-", "+", "*", "/", "%",
    " ", "\n", "a", "1", "1.5", "$a", "$!a", "${a}", "$a.b", "$a.b()", "$a[0]", "$ctx.args", "$util.toJson(",
    "$util.time.nowFormatted(", "$util.error(", "#set(", "#if(", "#elseif(", "#else", "#end", "#foreach(", " in ",
    "#break", "#stop", "#return", "#macro(", "#define(", "#evaluate(", "##", "#*", "*#", "#[[", "]]#", "true",
    "null", "[1..3]", "{'k': 1}", "$l.add(1)", "$m.put('k', 2)", "$s.split('a')", "$n / 0", "#{end}",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30))
def test_any_text_parses_or_is_a_syntax_error_and_renders_without_crashing(parts: list[str]) -> None:
    source = "".join(parts)
    try:
        template = VtlTemplate.parse(source, "fuzz.vtl")
    except TemplateSyntaxError:
        return
    rendered = template.render(VtlContext(arguments={"x": 1}, stash={}))
    assert isinstance(rendered.text, str)
    assert rendered.error is None or rendered.error.error_type is None or isinstance(rendered.error.error_type, str)
