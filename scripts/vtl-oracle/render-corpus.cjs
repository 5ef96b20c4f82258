#!/usr/bin/env node
// Renders the VTL corpus (tests/fixtures/vtl-corpus: the templates Amplify's transformer
// generates) with Amplify's own simulator (@aws-amplify/amplify-appsync-simulator, the engine
// behind `amplify mock`) and stores every render as a fixture the Python suite compares against:
// tests/fixtures/vtl-corpus/expected.json.gz. `make test` never runs this script; run it after
// changing the corpus, the callers or the arguments below:
//
//   cd scripts/vtl-oracle && npm ci && node render-corpus.cjs
//
// Each v2 field runs as AppSync runs its pipeline (pipelines.json): the before template, then
// per function the request template, a fake data source and the response template, then the
// after template; stash and arguments carry over, `#return` skips the data source, an error
// stops the pipeline. v1 fields are unit resolvers (request, data source, response). Every render
// is recorded with the exact context it saw, so the Python side replays each render on its own.
//
// Deterministic: the clock is fixed and `autoId` counts from 1 in every render.

"use strict";

const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const crypto = require("crypto");
const Module = require("module");

const NOW = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
Date.now = () => NOW;

let idCounter = 0;
const fixedUuid = () => {
  idCounter += 1;
  return `00000000-0000-4000-8000-${String(idCounter).padStart(12, "0")}`;
};
const realLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === "uuid") {
    return { ...realLoad.call(this, request, parent, isMain), v4: fixedUuid };
  }
  return realLoad.call(this, request, parent, isMain);
};

const { VelocityTemplate } = require("@aws-amplify/amplify-appsync-simulator/lib/velocity");

const ROOT = path.resolve(__dirname, "..", "..");
const CORPUS = path.join(ROOT, "tests", "fixtures", "vtl-corpus");
const OUTPUT = path.join(CORPUS, "expected.json.gz");

// Callers: the auth modes and identities the generated auth templates branch on.
const AUTH_ROLE = "arn:aws:sts::123456789012:assumed-role/authRole/CognitoIdentityCredentials";
const UNAUTH_ROLE = "arn:aws:sts::123456789012:assumed-role/unauthRole/CognitoIdentityCredentials";
const OWNER = "sub-owner::owner";
const userPool = (sub, username, groups) => ({
  requestAuthorizationMode: "AMAZON_COGNITO_USER_POOLS",
  jwt: {
    sub,
    iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local",
    "cognito:username": username,
    "cognito:groups": groups,
    email: `${username}@example.com`,
    token_use: "id",
  },
});
const iam = (userArn, authType) => ({
  requestAuthorizationMode: "AWS_IAM",
  iamToken: {
    username: "AROAEXAMPLE:CognitoIdentityCredentials",
    userArn,
    cognitoIdentityPoolId: "us-east-1:pool",
    cognitoIdentityId: "us-east-1:identity",
    cognitoIdentityAuthType: authType,
    cognitoIdentityAuthProvider: null,
  },
});
const CALLERS = {
  apiKey: { requestAuthorizationMode: "API_KEY" },
  owner: userPool("sub-owner", "owner", ["Members"]),
  other: userPool("sub-other", "other", []),
  admin: userPool("sub-admin", "admin", ["Admin"]),
  iamAuth: iam(AUTH_ROLE, "authenticated"),
  iamUnauth: iam(UNAUTH_ROLE, "unauthenticated"),
  iamOther: iam("arn:aws:sts::123456789012:assumed-role/AdminRole/session", "authenticated"),
  oidc: {
    requestAuthorizationMode: "OPENID_CONNECT",
    jwt: { sub: "sub-owner", iss: "https://oidc.example.com", username: "owner", groups: ["Admin"] },
  },
};

// The item the fake data source holds, owned by `owner` (owner-like fields hold the owner).
function storedItem(typeName, fields) {
  const item = { id: "item-1", __typename: typeName, title: "Hello", content: "World", _version: 1 };
  for (const field of fields) {
    if (!(field in item)) {
      item[field] = /group/i.test(field) ? ["Admin"] : OWNER;
    }
  }
  item.createdAt = "2024-01-01T00:00:00.000Z";
  item.updatedAt = "2024-01-01T00:00:00.000Z";
  return item;
}

// Arguments per kind of field; each list is a set of variants.
function argumentVariants(typeName, fieldName) {
  const filter = { title: { beginsWith: "He" }, or: [{ content: { contains: "W" } }, { _version: { ge: 1 } }] };
  if (typeName === "Mutation" && fieldName.startsWith("create")) {
    return [
      { input: { id: "item-1", title: "Hello", content: "World" } },
      { input: { title: "Hello", owner: OWNER }, condition: { title: { beginsWith: "H" } } },
      { input: { id: "item-1", title: "Hello" } },
      { input: { id: "item-1", content: "World", groups: ["Admin"] } },
    ];
  }
  if (typeName === "Mutation" && fieldName.startsWith("update")) {
    return [
      { input: { id: "item-1", title: "Changed", content: null }, condition: { title: { eq: "Hello" } } },
      { input: { id: "item-1", content: "Changed" } },
    ];
  }
  if (typeName === "Mutation") {
    return [{ input: { id: "item-1" } }];
  }
  if (typeName === "Query" && fieldName.startsWith("get")) {
    return [{ id: "item-1" }];
  }
  if (typeName === "Query" && fieldName.startsWith("list")) {
    return [{}, { filter, limit: 5, nextToken: "token-1" }];
  }
  if (typeName === "Query") {
    return [{ title: "Hello", id: "item-1", sortDirection: "DESC", limit: 5 }, { title: "Hello", filter }];
  }
  if (typeName === "Subscription") {
    return [{}, { owner: "owner", filter: { title: { eq: "Hello" } } }];
  }
  return [{ limit: 5 }];
}

// What a data source answers to a request document (an error for `failing` data steps).
function dataSourceResult(dataSource, request, item) {
  if (/NONE/.test(dataSource)) {
    return request && typeof request === "object" ? request.payload ?? null : null;
  }
  const operation = request && request.operation;
  if (operation === "Query" || operation === "Scan") {
    return { items: [item], nextToken: null, scannedCount: 1 };
  }
  return JSON.parse(JSON.stringify(item));
}

// Inline templates in pipelines.json are CloudFormation `Fn::Sub` strings: AppSync receives them
// with `${AWS::Partition}`, `${AWS::AccountId}` and the logical ids already substituted.
const PSEUDO_PARAMETERS = { "AWS::Partition": "aws", "AWS::AccountId": "123456789012", "AWS::Region": "us-east-1" };
const cloudFormationSub = (text) =>
  text.replace(/\$\{([A-Za-z0-9:.]+)\}/g, (_, name) => PSEUDO_PARAMETERS[name] ?? name.replace(/\.Name$/, ""));

const inline = {};
const templates = new Map();
function template(ref, corpusDir) {
  if (ref.file) {
    const rel = path.join(corpusDir, ref.file);
    return { key: rel, text: fs.readFileSync(path.join(CORPUS, rel), "utf8") };
  }
  const text = cloudFormationSub(ref.inline);
  const hash = crypto.createHash("sha1").update(text).digest("hex").slice(0, 12);
  inline[hash] = text;
  return { key: `inline:${hash}`, text };
}

function compiled(ref) {
  if (!templates.has(ref.key)) {
    templates.set(ref.key, new VelocityTemplate({ path: ref.key, content: ref.text }, SIMULATOR));
  }
  return templates.get(ref.key);
}

const SIMULATOR = { appSyncConfig: { defaultAuthenticationType: { authenticationType: "AMAZON_COGNITO_USER_POOLS" } } };
const copy = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
const records = [];
const seen = new Set();

function fakeInfo(typeName, fieldName) {
  return {
    fieldName,
    parentType: typeName,
    path: { key: fieldName, prev: undefined },
    fieldNodes: [],
    operation: { selectionSet: { selections: [] } },
    variableValues: {},
    fragments: {},
  };
}

// One render, recorded; returns the simulator's answer.
function render(ref, state, caller, typeName, fieldName) {
  const velocity = compiled(ref);
  let captured = null;
  let crash = null;
  const compile = velocity.compiler.render.bind(velocity.compiler);
  velocity.compiler.render = (...args) => {
    try {
      return compile(...args);
    } catch (error) {
      crash = error;
      throw error;
    }
  };
  const build = velocity.buildRenderContext.bind(velocity);
  velocity.buildRenderContext = (...args) => {
    captured = build(...args);
    return captured;
  };
  const context = {
    arguments: copy(state.args),
    source: copy(state.source),
    stash: copy(state.stash),
    result: copy(state.result),
    prev: state.prev === undefined ? undefined : { result: copy(state.prev) },
    error: copy(state.error),
  };
  const ctxValues = {
    arguments: state.args,
    source: state.source,
    stash: state.stash,
    result: state.result,
    prevResult: state.prev,
    error: state.error,
  };
  const requestContext = { ...CALLERS[caller], headers: { "x-request": "corpus" }, sourceIp: "127.0.0.1" };
  idCounter = 0;
  let answer;
  let expected;
  try {
    answer = velocity.render(ctxValues, requestContext, fakeInfo(typeName, fieldName));
    expected = {
      output: answer.result === undefined ? null : answer.result,
      isReturn: Boolean(answer.isReturn),
      hadException: Boolean(answer.hadException),
      errors: answer.errors.map((error) => ({
        message: error.message,
        type: error.errorType ?? null,
        data: error.data ?? null,
        errorInfo: error.errorInfo ?? null,
      })),
      stash: copy(answer.stash),
      arguments: copy(answer.args),
    };
    if (answer.hadException && !answer.errors.length) {
      // not a template error: the simulator itself failed (a JavaScript exception)
      expected.crash = String(crash && crash.message);
    }
  } catch (error) {
    answer = null;
    expected = { mappingError: { message: error.message, type: error.errorType ?? null } };
  } finally {
    velocity.buildRenderContext = build;
    velocity.compiler.render = compile;
  }
  const identity = captured && captured.ctx.identity ? captured.ctx.identity.toJSON() : null;
  context.identity = identity;
  context.request = { headers: { "x-request": "corpus" } };
  context.info = { fieldName, parentTypeName: typeName, variables: {}, selectionSetList: [], selectionSetGraphQL: "" };
  const authType = captured ? captured.util.authType() : null;
  const record = { template: ref.key, authType, context, expected };
  const key = JSON.stringify([record.template, authType, context]);
  if (!seen.has(key)) {
    seen.add(key);
    records.push(record);
  }
  return answer;
}

// Runs one field as AppSync runs it; `failing` makes the last data source answer an error.
function runField(fieldKey, steps, corpusDir, caller, args, failing) {
  const [typeName, fieldName] = fieldKey.split(".");
  const texts = [steps.before, ...steps.functions.flatMap((f) => [f.request, f.response]), steps.after]
    .filter(Boolean)
    .map((ref) => template(ref, corpusDir).text)
    .join("\n");
  const referenced = new Set();
  for (const match of texts.matchAll(/\$(?:ctx|context)\.(?:source|result)\.([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_(])/g)) {
    referenced.add(match[1]);
  }
  const item = storedItem(typeName === "Query" || typeName === "Mutation" || typeName === "Subscription" ? "Item" : typeName, referenced);
  const state = { args: copy(args), source: typeName === "Query" || typeName === "Mutation" ? null : copy(item), stash: {}, result: undefined, prev: undefined, error: undefined };

  if (steps.before) {
    const answer = render(template(steps.before, corpusDir), state, caller, typeName, fieldName);
    if (!answer || answer.hadException) return;
    state.stash = answer.stash;
    state.args = answer.args;
    state.prev = answer.result;
  }
  for (const [index, fn] of steps.functions.entries()) {
    state.result = undefined;
    state.error = undefined;
    const request = render(template(fn.request, corpusDir), state, caller, typeName, fieldName);
    if (!request || request.hadException) return;
    state.stash = request.stash;
    state.args = request.args;
    if (request.isReturn) {
      state.prev = request.result;
      continue;
    }
    const last = index === steps.functions.length - 1;
    if (failing && last) {
      state.result = null;
      state.error = { message: "The conditional request failed", type: "DynamoDB:ConditionalCheckFailedException" };
    } else {
      state.result = dataSourceResult(fn.dataSource, request.result, item);
    }
    const response = render(template(fn.response, corpusDir), state, caller, typeName, fieldName);
    if (!response || response.hadException) return;
    state.stash = response.stash;
    state.args = response.args;
    state.prev = response.result;
  }
  if (steps.after) {
    state.result = undefined;
    state.error = undefined;
    render(template(steps.after, corpusDir), state, caller, typeName, fieldName);
  }
}

function v2Fields(corpusDir) {
  const pipelines = JSON.parse(fs.readFileSync(path.join(CORPUS, corpusDir, "pipelines.json"), "utf8"));
  return Object.entries(pipelines).map(([fieldKey, p]) => [
    fieldKey,
    { before: p.request, after: p.response, functions: p.functions },
  ]);
}

function v1Fields(corpusDir) {
  const files = fs.readdirSync(path.join(CORPUS, corpusDir, "resolvers")).filter((f) => f.endsWith(".req.vtl"));
  return files.map((file) => {
    const fieldKey = file.replace(/\.req\.vtl$/, "");
    const dataSource = "DynamoDB";
    return [
      fieldKey,
      {
        functions: [
          { dataSource, request: { file: `resolvers/${file}` }, response: { file: `resolvers/${fieldKey}.res.vtl` } },
        ],
      },
    ];
  });
}

const corpusDirs = ["v1", "v2"].flatMap((version) =>
  fs.readdirSync(path.join(CORPUS, version)).sort().map((name) => `${version}/${name}`),
);
for (const corpusDir of corpusDirs) {
  const fields = corpusDir.startsWith("v2/") ? v2Fields(corpusDir) : v1Fields(corpusDir);
  for (const [fieldKey, steps] of fields) {
    const [typeName, fieldName] = fieldKey.split(".");
    for (const caller of Object.keys(CALLERS)) {
      for (const args of argumentVariants(typeName, fieldName)) {
        runField(fieldKey, steps, corpusDir, caller, args, false);
      }
      if (typeName === "Mutation") {
        runField(fieldKey, steps, corpusDir, caller, argumentVariants(typeName, fieldName)[0], true);
      }
    }
  }
}

// Templates no pipeline reached (their auth step refuses every caller, e.g. a model without
// @auth in a non-sandbox API): rendered on their own, with the stash a pipeline would give them.
const reached = new Set(records.map((record) => record.template));
for (const corpusDir of corpusDirs) {
  for (const file of fs.readdirSync(path.join(CORPUS, corpusDir, "resolvers")).sort()) {
    const ref = template({ file: `resolvers/${file}` }, corpusDir);
    if (reached.has(ref.key)) continue;
    const [typeName, fieldName] = file.split(".");
    for (const caller of Object.keys(CALLERS)) {
      for (const args of argumentVariants(typeName, fieldName)) {
        const stash = { typeName, fieldName, conditions: [], metadata: {}, defaultValues: {}, hasAuth: true };
        render(ref, { args: copy(args), source: null, stash, result: undefined, prev: {}, error: undefined }, caller, typeName, fieldName);
      }
    }
  }
}

const pkg = require("@aws-amplify/amplify-appsync-simulator/package.json");
const document = {
  generator: "scripts/vtl-oracle/render-corpus.cjs",
  simulator: `${pkg.name}@${pkg.version}`,
  now: new Date(NOW).toISOString(),
  inline,
  records,
};
fs.writeFileSync(OUTPUT, zlib.gzipSync(JSON.stringify(document), { level: 9 }));
console.log(`${records.length} renders of ${templates.size} templates -> ${path.relative(ROOT, OUTPUT)}`);
