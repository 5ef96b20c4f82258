"""The VTL engine's semantics: Java-like values, Velocity 1.7 operators, AppSync's directives."""

from __future__ import annotations

import pytest

from emulator.errors import AppSyncError
from emulator.resolvers.appsync_util import UtilRequest
from emulator.resolvers.vtl import VtlContext, VtlTemplate
from tests.vtl_support import run, text


@pytest.mark.parametrize(
    "expression,printed",
    [
        ("7 / 2", "3"),  # integers stay integers on AppSync (the simulator says 3.5)
        ("-7 / 2", "-3"),  # truncated toward zero, as Java
        ("7.0 / 2", "3.5"),
        ("-7 % 3", "-1"),
        ("2 * 3 + 4", "10"),
        ("2 + 3 * 4", "14"),
        ("(2 + 3) * 4", "20"),
        ("10 - 2 - 3", "5"),
        ("1 + 0.5", "1.5"),
        ("10000000.0 * 1000", "1.0E10"),  # Double.toString
        ('"a" + 1', "a1"),
        ("5 == '5'", "true"),  # different classes compare by toString
        ("1 == 1.0", "true"),
        ("$nothing == $none", "true"),
        ("3 > 2 && !(1 >= 2)", "true"),
        ("3 gt 2 and 1 le 2", "true"),
        ("'b' > 'a'", "false"),  # only numbers are ordered
        ("$nothing || false", "false"),
    ],
)
def test_operators(expression: str, printed: str) -> None:
    assert text(f"#set($x = {expression})$x") == printed


def test_division_by_zero_is_null_and_a_null_set_changes_nothing() -> None:
    assert text("#set($x = 1)#set($x = 1 / 0)$x") == "1"
    assert text("#set($x = 1)#set($x = $ctx.args.missing)$x") == "1"
    assert text("#set($m = {'k': 1})#set($m.k = $nothing)$m.k") == "1"


def test_values_print_as_java_prints_them() -> None:
    template = '#set($m = {"a": 1, "b": [true, null, 1.5], "c": {}})$m $m.b $m.a.class $m.keySet()'
    assert text(template) == "{a=1, b=[true, null, 1.5], c={}} [true, null, 1.5] $m.a.class [a, b, c]"


def test_undefined_and_quiet_references() -> None:
    assert text('"$ctx.args.missing" "$!ctx.args.missing" "$!{ctx.args.missing}" "${ctx.args.missing}"') == (
        '"$ctx.args.missing" "" "" "${ctx.args.missing}"')
    assert text("$ctx.args.id $context.arguments.id", arguments={"id": "p1"}) == "p1 p1"
    assert text("$ and $1 and # and #nope and $.x") == "$ and $1 and # and #nope and $.x"


def test_java_methods_and_their_return_values() -> None:
    assert text('#set($m = {})$m.put("a", 1)|$m.put("a", 2)|$m.size()') == '$m.put("a", 1)|1|1'  # put returns the previous value
    assert text("#set($l = [])$l.add(1) $l.add(0, 'x') $l") == "true  [x, 1]"  # add(int, x) is void
    assert text("#set($l = ['a', 'b', 'c'])$l.remove(0) $l.remove('c') $l.remove('z') $l") == "a true false [b]"  # index, value
    assert text("#set($l = [1, 2])$l.contains(1) $l.contains(1.0) $l.indexOf(2) $l.isEmpty() $l.empty") == "true false 1 false false"
    assert text("#set($s = 'a-b-c')$s.split('-').size() $s.replaceAll('-(\\w)', '+$1') $s.toUpperCase() $s.length()") == "3 a+b+c A-B-C 5"
    assert text("#set($s = ' x ')[$s.trim()] $s.isEmpty() $s.substring(1, 2) $s.indexOf('x') $s.charAt(1)") == "[x] false x 1 x"
    assert text("#set($n = 7.9)$n.intValue() $n.doubleValue() #set($i = 3)$i.equals(3) $i.equals(3.0)") == "7 7.9 true false"


def test_maps_keep_insertion_order_and_entries_write_through() -> None:
    template = (
        "#set($m = {'z': 1, 'a': 2})"
        "#foreach($e in $m.entrySet())$e.key=$e.value;$util.qr($e.setValue($e.value * 10))#end "
        "$m #foreach($v in $m)$v,#end"  # a map iterates its values
    )
    assert text(template) == "z=1;a=2; {z=10, a=20} 10,20,"
    assert text("#set($m = {})#set($m.x = 1)#set($m['y'] = 2)$m $m['x'] $m.get('y')") == "{x=1, y=2} 1 2"


def test_foreach_state_break_and_scoping() -> None:
    template = (
        "#set($x = 'outer')"
        "#foreach($x in [1..5])#if($x == 4)#break#end"
        "$foreach.index/$foreach.count/$velocityCount/$foreach.hasNext/$foreach.first,#end $x"
    )
    assert text(template) == "0/1/1/true/true,1/2/2/true/false,2/3/3/true/false, outer"
    assert text("#foreach($i in [3..1])$i#end #foreach($i in $nothing)x#end") == "321 "
    nested = "#foreach($a in [1, 2])#foreach($b in ['x'])$foreach.parent.index$b#end#end"
    assert text(nested) == "0x1x"


def test_if_elseif_else_and_truth() -> None:
    template = "#foreach($v in ['', 0, false, $nothing, []])#if($v)T#elseif($v == false)F#{else}N#end#end"
    assert text(template) == "TTFNT"  # only null and false are false


def test_return_ends_the_template_with_a_value() -> None:
    rendered = run('{"ignored": true}#if($ctx.args.early)#return({"early": $ctx.args.early})#end{"late": 1}', arguments={"early": 5})
    assert rendered.returned and rendered.value() == {"early": 5}
    bare = run("#foreach($i in [1, 2])#if($i == 2)#return#end#end")
    assert bare.returned and bare.value() is None
    assert run('{"late": 1}').value() == {"late": 1}


def test_stop_keeps_what_was_rendered() -> None:
    assert text("a#stop b") == "a"


def test_macros_and_define() -> None:
    template = (
        "#macro(greet $name $punct)Hello $name$punct#end"
        "#greet('Ann' '!') #greet('Bob', '?') "
        "#define($block)[$ctx.args.v]#end$block"
    )
    assert text(template, arguments={"v": 3}) == "Hello Ann! Hello Bob? [3]"
    recursive = run("#macro(loop $n)#loop($n)#end#loop(1)")
    assert recursive.error is not None and recursive.error.error_type == "MappingTemplate"


def test_strings_interpolate_unless_single_quoted() -> None:
    assert text("""#set($a = 'x')#set($s = "${a}-$a.#if(true)y#end")#set($t = '$a')$s $t""") == "x-x.y $a"
    # Velocity 1.7 identifiers may hold '-' (2.x refuses them): "$a-" names the variable "a-"
    assert text("#set($a = 'x')[$a-b] [${a}-b]") == "[$a-b] [x-b]"
    assert text('#set($s = "say ""hi"" \\n")$s') == 'say "hi" \\n'  # backslashes kept as written


def test_escaped_references() -> None:
    assert text("#set($a = 1)\\$a \\$undefined \\\\$a") == "$a \\$undefined \\1"


def test_lines_holding_only_directives_render_nothing() -> None:
    template = "{\n  #set($a = 1)\n  ## a comment\n  #if($a)\n    \"a\": $a\n  #end\n}\n"
    assert text(template) == '{\n    "a": 1\n}\n'
    assert text("x #if(true) y #end z") == "x  y  z"  # inline directives keep the spaces around them


def test_context_is_shared_with_the_caller() -> None:
    stash: dict[str, object] = {"list": []}
    arguments = {"input": {"id": "1"}}
    rendered = run(
        '$util.qr($ctx.stash.put("seen", true))$util.qr($ctx.stash.list.add(1))'
        '$util.qr($ctx.args.input.put("owner", $ctx.identity.claims.get("sub")))'
        "$ctx.prev.result.id $ctx.source.id $ctx.result.n $ctx.error.type $ctx.info.fieldName $ctx.request.headers.host",
        stash=stash, arguments=arguments, identity={"claims": {"sub": "u1"}}, prev_result={"id": "prev"},
        source={"id": "src"}, result={"n": 1}, error={"message": "m", "type": "T"}, request={"headers": {"host": "h"}},
    )
    assert rendered.text == "prev src 1 T getPost h"
    assert stash == {"list": [1], "seen": True} and rendered.stash is stash
    assert arguments == {"input": {"id": "1", "owner": "u1"}}


def test_util_error_ends_the_template_and_appended_errors_are_collected() -> None:
    rendered = run('$util.appendError("first", "Warn")before$util.error("boom", "Custom", {"x": 1})after')
    assert rendered.error is not None and (rendered.error.message, rendered.error.error_type, rendered.error.data) == (
        "boom", "Custom", {"x": 1})
    assert [error.message for error in rendered.errors] == ["first"]
    with pytest.raises(AppSyncError, match="boom"):
        rendered.value()
    denied = run("$util.unauthorized()")
    assert denied.error is not None and denied.error.message == "Not Authorized to access getPost on type Query"


def test_void_helpers_render_nothing_and_unknown_ones_render_as_written() -> None:
    assert text('[$util.qr(1)][$util.log.info("x")][$util.nope()][$util.isNull()]') == "[][][$util.nope()][$util.isNull()]"
    assert text("$util.time.nowEpochSeconds()", util=UtilRequest(clock=lambda: 5000)) == "5"


def test_extensions_are_handed_to_the_caller() -> None:
    template = (
        "$extensions.setSubscriptionFilter($util.transform.toSubscriptionFilter($ctx.args.filter))"
        '$extensions.invalidateSubscriptions({"subscriptionField": "onUpdate", "payload": {"id": "1"}})'
        "$util.toJson(null)"
    )
    rendered = run(template, arguments={"filter": {"title": {"eq": "x"}}})
    assert rendered.value() is None
    assert rendered.extensions.subscription_filters == [
        {"filterGroup": [{"filters": [{"fieldName": "title", "operator": "eq", "value": "x"}]}]}]
    assert rendered.extensions.invalidations == [{"subscriptionField": "onUpdate", "payload": {"id": "1"}}]


def test_failures_are_mapping_template_errors_with_the_place() -> None:
    rendered = run("line one\n  $ctx.args.list.get(5)", arguments={"list": [1]})
    assert rendered.error is not None and rendered.error.error_type == "MappingTemplate"
    assert "index out of range" in rendered.error.message and "test.vtl[line 2, column 3]" in rendered.error.message
    bad_json = run("not json")
    with pytest.raises(AppSyncError) as caught:
        bad_json.value()
    assert caught.value.error_type == "MappingTemplate" and "Unable to parse the JSON document" in caught.value.message
    assert run("  \n ").value() is None


def test_a_request_document_renders_as_amplify_writes_them() -> None:
    template = """{
  "version": "2018-05-29",
  "operation": "PutItem",
  "key": { "id": $util.dynamodb.toDynamoDBJson($util.defaultIfNullOrBlank($ctx.args.input.id, $util.autoId())) },
  "attributeValues": $util.dynamodb.toMapValuesJson($ctx.args.input),
  "condition": $util.transform.toDynamoDBConditionExpression({"id": {"attributeExists": false}})
}"""
    util = UtilRequest(random_bytes=lambda size: bytes(size))
    document = run(template, arguments={"input": {"title": "T", "n": 2}}, util=util).value()
    assert document == {
        "version": "2018-05-29",
        "operation": "PutItem",
        "key": {"id": {"S": "00000000-0000-4000-8000-000000000000"}},
        "attributeValues": {"title": {"S": "T"}, "n": {"N": 2}},
        "condition": {"expression": "(attribute_not_exists(#id))", "expressionNames": {"#id": "id"}, "expressionValues": {}},
    }


def test_parsed_templates_are_cached_and_renders_independent() -> None:
    template = VtlTemplate.parse("#set($n = $ctx.args.n * 2)$n", "double.vtl")
    assert VtlTemplate.parse("#set($n = $ctx.args.n * 2)$n", "double.vtl") is template
    first = template.render(VtlContext(arguments={"n": 1}))
    second = template.render(VtlContext(arguments={"n": 5}))
    assert (first.text, second.text) == ("2", "10")


def test_appsync_quotas_bound_every_render() -> None:
    # "Iterations in a foreach loop in mapping templates: 1000" (Velocity stops the loop there)
    assert text("#set($n = 0)#foreach($i in [1..1500])#set($n = $n + 1)#end$n") == "1000"
    # "Evaluated resolver template size: 5 MB"
    huge = run("#set($s = 'x')#set($s = $s.repeat(1000000))#foreach($i in [1..6])$s#end")
    assert huge.error is not None and "5 MB" in huge.error.message and huge.text == ""
    nested = run("#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])#end#end#end")
    assert nested.error is not None and nested.error.error_type == "MappingTemplate"
    broken = run("$ctx.args.items.containsAll(5)", arguments={"items": [1]})
    assert broken.error is not None and "Error invoking method 'containsAll'" in broken.error.message
