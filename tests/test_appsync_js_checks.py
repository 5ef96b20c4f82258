"""The APPSYNC_JS start-time check: what AppSync refuses is refused here, with AppSync's wording
(its ESLint plugin's messages) and the line and column; what AppSync runs loads."""

from __future__ import annotations

import pytest

from emulator.resolvers.appsync_js import JsCodeError, JsCodeLoader, JsResolverCode
from emulator.resolvers.appsync_js.runtime import compile_problem
from emulator.resolvers.appsync_js.source_map import EditedSource, Insertion, SourceText
from tests.appsync_js_support import RESPONSE, refusals, request_only


@pytest.fixture(scope="module")
def loader() -> JsCodeLoader:
    return JsCodeLoader()


REFUSED = [
    ("  try { ctx.args.x.y; } catch (e) { }", "Try statements are not supported.", 3),
    ("  try { ctx.args.x.y; } finally { }", "Try statements are not supported.", 3),
    ("  throw new Error('no');", "Throw statements are not supported.", 3),
    ("  while (ctx.args.go) { }", "While statements are not supported.", 3),
    ("  do { } while (ctx.args.go);", "do...while statements are not supported.", 3),
    ("  for (let i = 0; i < 3; i += 1) { }", "For statements are not supported.", 3),
    ("  for (const x of ctx.args.list) { if (x) { continue; } }", "Continue statements are not supported", 45),
    ("  outer: for (const x of ctx.args.list) { break outer; }", "Labeled statements are not supported.", 3),
    ("  let i = 0; i++;", "The operator ++ is not supported", 14),
    ("  let i = 0; --i;", "The operator -- is not supported", 14),
    ("  return ~ctx.args.n;", "The operator ~ is not supported", 10),
    ("  return 'id' in ctx.args;", "in operator is not supported. Use Object.hasOwn().", 10),
    ("  return ctx.args instanceof Object;", "The operator instanceof is not supported", 10),
    ("  return /ab+c/.test(ctx.args.s);", "Regex literals are not supported.", 10),
    ("  return new Promise(() => 1);", "Promise is not supported", 10),
    ("  return this;", "This expressions are not supported.", 10),
    ("  class A { }", "Class declarations are not supported.", 3),
    ("  const A = class { };", "Class declarations are not supported.", 13),
    ("  const f = async () => 1;", "Async functions are not supported.", 13),
    ("  const f = function* () { };", "Generator functions are not supported.", 13),
    ("  const __appsync_tick = 1;", "'__appsync_tick': names starting with __appsync are reserved by the emulator.", 9),
    ("  return import('x');", "Dynamic imports are not supported.", 10),
]


@pytest.mark.parametrize(("body", "message", "column"), REFUSED, ids=[case[1] + " " + case[0].strip() for case in REFUSED])
def test_each_refused_construct_is_reported_with_appsync_wording_line_and_column(
    loader: JsCodeLoader, body: str, message: str, column: int
) -> None:
    assert (message, 2, column) in refusals(loader, request_only(body))


def test_top_level_async_await_and_generators_are_refused(loader: JsCodeLoader) -> None:
    source = "async function load() { await 1; }\nfunction* gen() { yield 1; }\n" + request_only("  return {};")
    found = refusals(loader, source)
    assert ("Async functions are not supported.", 1, 1) in found
    assert ("The `await` keyword is not supported", 1, 25) in found
    assert ("Generator functions are not supported.", 2, 1) in found
    assert ("Yield statements are not supported", 2, 19) in found


def test_every_problem_is_listed_in_source_order(loader: JsCodeLoader) -> None:
    source = request_only("  let i = 0;\n  while (i < 3) { i++; }\n  throw 'x';")
    assert refusals(loader, source) == [
        ("While statements are not supported.", 3, 3),
        ("The operator ++ is not supported", 3, 19),
        ("Throw statements are not supported.", 4, 3),
    ]


def test_the_error_has_appsyncs_code_errors_shape(loader: JsCodeLoader) -> None:
    with pytest.raises(JsCodeError) as raised:
        loader.load(request_only("  while (true) { }"), "amplify/data/spin.js")
    assert raised.value.as_appsync() == {
        "message": "The code contains one or more errors.",
        "codeErrors": [
            {
                "errorType": "LINT_ERROR",
                "value": "While statements are not supported.",
                "location": {"line": 2, "column": 3, "span": 16},
            }
        ],
    }
    assert "amplify/data/spin.js:2:3: While statements are not supported." in str(raised.value)


def test_a_syntax_error_is_a_parser_error_at_its_position(loader: JsCodeLoader) -> None:
    with pytest.raises(JsCodeError) as raised:
        loader.load("export function request(ctx) {\n  return { id: ctx.args.id ;\n}" + RESPONSE, "code.js")
    [problem] = raised.value.problems
    assert (problem.error_type, problem.line, problem.column) == ("PARSER_ERROR", 2, 28)
    assert problem.value == "Parsing error: Unexpected token"


SUPPORTED = """import { util, runtime, extensions } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { get, operations as ops } from '@aws-appsync/utils/dynamodb';

const LIMIT = 20;

function clean(values) {
  const { id, ...rest } = values ?? {};
  return { ...rest, tags: [...(rest.tags ?? []), 'new'] };
}

export function request(ctx) {
  const input = clean(ctx.args.input);
  ctx.args.input.id = ctx.args.input?.id ?? util.autoId();
  ctx.stash.started = util.time.nowISO8601();
  var count = 0;
  for (const key in input) { count += 1; }
  for (const item of ctx.args.list ?? []) { if (!item) { break; } }
  switch (ctx.info.fieldName) {
    case 'a': count = count * 2; break;
    default: count = -count;
  }
  const flags = count & 1 | 2 ^ 3 << 1 >> 1 >>> 0;
  const has = Object.hasOwn(input, 'tags') && typeof input === 'object' && void 0 === undefined;
  const names = Object.keys(input).map((name) => `${name}:${input[name]}`).filter((x) => x).join(',');
  if (ctx.args.skip) { runtime.earlyReturn({ names, flags, has }); }
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ id: { eq: 'x' } }));
  const message = `multi
line ${names} ${LIMIT}`;
  delete input.tags;
  return ddb.update({ key: { id: ctx.args.input.id }, update: { ...input, n: ops.increment(1), m: message } });
}

export const response = (ctx) => ctx.result ?? get({ key: { id: 'x' } });
"""


def test_code_using_what_appsync_supports_loads(loader: JsCodeLoader) -> None:
    assert refusals(loader, SUPPORTED) == []


def test_imports_are_limited_to_appsyncs_modules_and_their_exports(loader: JsCodeLoader) -> None:
    source = (
        "import { v4 } from 'uuid';\n"
        "import { util, Context } from '@aws-appsync/utils';\n"
        "import ddb from '@aws-appsync/utils/dynamodb';\n"
        "import { sql } from '@aws-appsync/utils/rds';\n"
        "export { util } from '@aws-appsync/utils';\n" + request_only("  return {};")
    )
    assert refusals(loader, source) == [
        ("Importing 'uuid' is not supported: APPSYNC_JS code can import only from '@aws-appsync/utils' "
         "and '@aws-appsync/utils/dynamodb'.", 1, 20),
        ("'@aws-appsync/utils' has no export named 'Context'.", 2, 16),
        ("'@aws-appsync/utils/dynamodb' has no default export; use import * as ddb from '@aws-appsync/utils/dynamodb'.", 3, 8),
        ("'@aws-appsync/utils/rds' is not supported by the emulator.", 4, 21),
        ("Re-exporting from another module is not supported.", 5, 1),
    ]


def test_both_handlers_must_be_exported(loader: JsCodeLoader) -> None:
    assert refusals(loader, "export function request(ctx) { return {}; }") == [
        ("The code does not export a 'response' function. AppSync resolvers and functions export both "
         "'request' and 'response'.", 1, 1)
    ]
    assert refusals(loader, "function a(ctx) { return {}; }\nexport { a as request, a as response };") == []


def test_code_longer_than_appsyncs_limit_is_refused(loader: JsCodeLoader) -> None:
    padding = "// " + "x" * 32768 + "\n"
    assert refusals(loader, padding + request_only("  return {};")) == [
        ("The code is longer than AppSync's limit of 32768 characters.", 1, 1)
    ]


# --- ctx is read-only at its top level (the plugin's no-disallowed-re-assignment) --------------


def test_assigning_ctx_or_its_own_properties_is_refused(loader: JsCodeLoader) -> None:
    source = (
        "export function request(ctx) {\n"
        "  ctx.result = {};\n"
        "  ctx['stash'] = {};\n"
        "  delete ctx.error;\n"
        "  ctx = {};\n"
        "  return {};\n"
        "}\n"
        "export function response(context) { context.prev = 1; return context.result; }\n"
    )
    assert refusals(loader, source) == [
        ("ctx is readonly. Adding/Updating result is not supported.", 2, 3),
        ("ctx is readonly. Adding/Updating stash is not supported.", 3, 3),
        ("ctx is readonly. Adding/Updating error is not supported.", 4, 10),
        ("ctx is readonly and re-assignment is not supported.", 5, 3),
        ("context is readonly. Adding/Updating prev is not supported.", 8, 37),
    ]


def test_deeper_writes_reads_and_shadowing_names_are_fine(loader: JsCodeLoader) -> None:
    source = (
        "export function request(ctx) {\n"
        "  ctx.args.something = 'x';\n"
        "  ctx.stash.list = [];\n"
        "  const other = { ctx: 1 };\n"
        "  other[ctx.args.key] = 2;\n"
        "  const copy = ctx.args ? ctx.args : {};\n"
        "  copy.id = 1;\n"
        "  if (true) { const ctx = 'shadow'; return { ctx }; }\n"
        "  return JSON.stringify(ctx.stash);\n"
        "}\n"
        "export function response(ctx) { ctx.result.val = ctx.args.something; return ctx.result; }\n"
    )
    assert refusals(loader, source) == []


# --- functions (the plugin's type-aware rules, as far as syntax decides them) ---------------


def test_recursion_is_refused_with_the_cycle(loader: JsCodeLoader) -> None:
    source = (
        "function even(n) { return n === 0 ? true : odd(n - 1); }\n"
        "function odd(n) { return n === 0 ? false : even(n - 1); }\n"
        "const fact = (n) => n < 2 ? 1 : n * fact(n - 1);\n" + request_only("  return { e: even(4), f: fact(3) };")
    )
    assert refusals(loader, source) == [
        ("Recursive function calls not supported. Detected cycle in even <-odd <-even", 1, 44),
        ("Recursive function calls not supported. Detected cycle in odd <-even <-odd", 2, 44),
        ("Recursive function calls not supported. Detected cycle in fact <-fact", 3, 37),
        ("Recursive function calls not supported. Detected cycle in even <-odd <-even", 5, 15),
        ("Recursive function calls not supported. Detected cycle in fact <-fact", 5, 27),
    ]


def test_functions_passed_returned_or_reassigned_are_refused(loader: JsCodeLoader) -> None:
    # Line 7 sorts what JSON.parse returns (typed any): AppSync's type-aware rule lets it pass.
    source = (
        "function double(x) { return x * 2; }\n"
        "function apply(f, x) { return f(x); }\n"
        "const alias = double;\n"
        "function make() { return () => 1; }\n"
        "const curry = (a) => (b) => a + b;\n"
        + request_only("  const sorted = JSON.parse('[]').sort((a, b) => a - b);\n  return { a: apply(double, 2), s: [3, 1].sort((a, b) => a - b) };")
    )
    assert refusals(loader, source) == [
        ("re-assigning function is not allowed", 3, 7),
        ("returning a function is not allowed", 4, 19),
        ("returning a function is not allowed", 5, 15),
        ("Functions can not be passed as an argument", 8, 15),
        ("Functions can not be passed as an argument", 8, 36),
    ]


def test_callbacks_of_array_methods_and_calls_on_untyped_data_are_fine(loader: JsCodeLoader) -> None:
    body = (
        "  const items = ctx.result.items.filter((i) => i.ok).map((i) => ({ ...i, n: 1 }));\n"
        "  const total = items.reduce((sum, i) => sum + i.n, 0);\n"
        "  const sorted = ctx.result.items.sort((a, b) => a.n - b.n);\n"
        "  return { items, total, sorted, some: items.some((i) => i.n > 1), first: items.find((i) => i) };"
    )
    assert refusals(loader, request_only(body)) == []


def test_methods_the_runtime_lacks_are_refused_where_the_type_is_certain(loader: JsCodeLoader) -> None:
    body = (
        "  const o = Object.freeze({ a: 1 });\n"
        "  const p = Object.create(null);\n"
        "  const s = String(ctx.args.n).padStart(3, '0');\n"
        "  const r = `${ctx.args.n}`.repeat(2);\n"
        "  return { o, p, s, r, fine: Object.entries(o), also: ctx.args.text.padStart(2) };"
    )
    assert refusals(loader, request_only(body)) == [
        ("Method ObjectConstructor.freeze is not implemented", 2, 13),
        ("Method ObjectConstructor.create is not implemented", 3, 13),
        ("Method String.padStart is not implemented", 4, 13),
        ("Method String.repeat is not implemented", 5, 13),
    ]


def test_top_level_code_does_not_run_away_while_loading(loader: JsCodeLoader) -> None:
    forever = "const step = { done: false };\nfor (const x of { [Symbol.iterator]: () => ({ next: () => step }) }) { }\n"
    assert refusals(loader, forever + request_only("  return {};")) == []


def test_quickjs_refusing_what_acorn_accepted_is_a_parser_error_at_the_users_position() -> None:
    source = SourceText("export function request(ctx) {\n  return 1 +;\n}")
    code = JsResolverCode("odd.js", source.text, "const a = 1; " + source.text, EditedSource.build(source, [Insertion(0, "const a = 1; ")]))
    problem = compile_problem(code)
    assert problem is not None
    assert (problem.error_type, problem.line, problem.column) == ("PARSER_ERROR", 2, 13)
    assert problem.value.startswith("Parsing error: SyntaxError:")
