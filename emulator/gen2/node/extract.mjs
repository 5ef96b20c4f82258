/**
 * Reads an Amplify Gen 2 project for appsync-emulator (emulator/gen2/reader.py runs it).
 *
 *   node --import tsx [--import ./fast-path.mjs] extract.mjs --out FILE --data amplify/data/resource.ts
 *        [--auth amplify/auth/resource.ts] [--introspection]
 *
 * Run in the project's folder with the project's own `tsx`. It imports the data resource, takes
 * the argument of `defineData(...)`, calls the schema's `transform()` (Amplify's own code, from the
 * project's `@aws-amplify/data-schema`) and writes one JSON document to FILE: the SDL, custom
 * handlers, Lambda functions (described: name, entry, timeout, environment, secrets), function
 * access, authorization modes, the auth resource's groups and, with --introspection, the model
 * introspection schema made by the project's `@aws-amplify/graphql-generator` (as `defineData`
 * does). Everything the user's code prints goes to stderr; the JSON only ever goes to FILE.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// User output (console.log in resource.ts) must never mix with the answer: send it to stderr.
for (const name of ['log', 'info', 'debug']) console[name] = console.error.bind(console);
process.stdout.write = process.stderr.write.bind(process.stderr);

const HELPER_VERSION = 1;
const DEFAULT_TIMEOUT_SECONDS = 3; // defineFunction's documented default

class ExtractError extends Error {
  constructor(kind, message, detail = {}) {
    super(message);
    this.kind = kind;
    this.detail = detail;
  }
}

function parseArgs(argv) {
  const args = { introspection: false };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag === '--introspection') args.introspection = true;
    else if (['--out', '--data', '--auth'].includes(flag)) args[flag.slice(2)] = argv[(i += 1)];
    else throw new ExtractError('usage', `unknown argument ${flag}`);
  }
  if (!args.out || !args.data) throw new ExtractError('usage', '--out and --data are required');
  return args;
}

/** The file named in one stack-trace line (Amplify's FilePathExtractor rules). */
function filePathOfStackLine(line) {
  const match = line.match(/\((?<filepath>(\w:)?[^:]*)[:\d]*\)/) ?? line.match(/at (?<filepath>.*\.\w[^:\d]*)[:\d]*/);
  const found = match?.groups?.filepath;
  if (!found) return undefined;
  try {
    const url = new URL(found);
    return url.protocol === 'file:' ? fileURLToPath(url) : found;
  } catch {
    return found;
  }
}

/** The folder of whoever called the factory that captured ``stack`` (its second frame). */
function callerDirectory(stack) {
  const lines = String(stack ?? '').split('\n').map((l) => l.trim()).filter((l) => l.startsWith('at'));
  const file = lines.length >= 2 ? filePathOfStackLine(lines[1]) : undefined;
  if (!file) throw new ExtractError('load', 'cannot tell which file called defineFunction; give it an absolute entry');
  return path.dirname(file);
}

function kindOf(value) {
  if (!value || typeof value !== 'object') return undefined;
  if (typeof value.kind === 'string') return value.kind; // the fast path's recorded factories
  return {
    DataFactory: 'data',
    FunctionFactory: 'function',
    ProvidedFunctionFactory: 'provided-function',
    AmplifyAuthFactory: 'auth',
    AmplifyReferenceAuthFactory: 'auth',
  }[value.constructor?.name];
}

/** One function as defineFunction resolves it (name, entry and timeout defaults included). */
function describeFunction(factory) {
  const props = factory.props ?? {};
  if (kindOf(factory) === 'provided-function') {
    return { name: props.name ?? null, provided: true, entry: null, timeoutSeconds: null, environment: {}, secrets: {} };
  }
  const needsCaller = !props.name || !props.entry || !path.isAbsolute(props.entry);
  const callerDir = needsCaller ? callerDirectory(factory.callerStack) : undefined;
  const name = props.name ?? (props.entry ? path.parse(props.entry).name : path.basename(callerDir));
  let entry = props.entry ? props.entry : path.join(callerDir, 'handler.ts');
  if (!path.isAbsolute(entry)) entry = path.join(callerDir, entry);
  const environment = {};
  const secrets = {};
  for (const [key, value] of Object.entries(props.environment ?? {})) {
    if (typeof value === 'string') environment[key] = value;
    else if (value && typeof value.secretName === 'string') secrets[key] = value.secretName;
    else environment[key] = String(value);
  }
  return {
    name,
    provided: false,
    entry,
    timeoutSeconds: props.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    memoryMB: props.memoryMB ?? null,
    runtime: props.runtime ?? null,
    resourceGroupName: props.resourceGroupName ?? null,
    environment,
    secrets,
  };
}

/** Functions are referenced by name in the output; each is described once under `functions`. */
class FunctionTable {
  constructor() {
    this.functions = {};
  }

  ref(value) {
    if (typeof value === 'string') return value; // a.handler.function('existing-lambda-name')
    const kind = kindOf(value);
    if (kind !== 'function' && kind !== 'provided-function') return null;
    const described = describeFunction(value);
    const key = described.name ?? `provided${Object.keys(this.functions).length + 1}`;
    this.functions[key] = { ...described, name: key };
    return key;
  }
}

function resolveHandlerEntry(entry) {
  if (typeof entry === 'string') return entry;
  const importer = filePathOfStackLine(String(entry?.importLine ?? ''));
  return importer ? path.join(path.dirname(importer), entry.relativePath) : String(entry?.relativePath ?? '');
}

function transformSchema(schema) {
  if (typeof schema === 'string') {
    return { schema, jsFunctions: [], functionSchemaAccess: [], lambdaFunctions: {}, customSqlDataSourceStrategies: [] };
  }
  if (typeof schema?.transform !== 'function') {
    throw new ExtractError('no-schema', 'defineData({ schema }) is neither an a.schema(...) nor a GraphQL string');
  }
  try {
    return schema.transform();
  } catch (error) {
    throw new ExtractError('schema', error?.message ?? String(error));
  }
}

function describeData(factory, functions) {
  const props = factory.props ?? {};
  const schemas = Array.isArray(props.schema?.schemas) ? props.schema.schemas : [props.schema];
  const parts = schemas.map(transformSchema);
  const lambdaFunctions = {};
  for (const part of parts) {
    for (const [key, fn] of Object.entries(part.lambdaFunctions ?? {})) lambdaFunctions[key] = functions.ref(fn);
  }
  for (const [key, fn] of Object.entries(props.functions ?? {})) lambdaFunctions[key] = functions.ref(fn);
  const modes = props.authorizationModes;
  let authorizationModes = null;
  if (modes) {
    authorizationModes = { ...modes };
    if (modes.lambdaAuthorizationMode) {
      authorizationModes.lambdaAuthorizationMode = {
        ...modes.lambdaAuthorizationMode,
        function: functions.ref(modes.lambdaAuthorizationMode.function),
      };
    }
  }
  return {
    name: props.name ?? 'amplifyData',
    schema: parts.map((p) => p.schema).join('\n'),
    jsFunctions: parts.flatMap((p) => p.jsFunctions ?? []).map((js) => ({
      typeName: js.typeName,
      fieldName: js.fieldName,
      handlers: (js.handlers ?? []).map((h) => ({ dataSource: String(h.dataSource), entry: resolveHandlerEntry(h.entry) })),
    })),
    functionSchemaAccess: parts.flatMap((p) => p.functionSchemaAccess ?? []).map((access) => ({
      function: functions.ref(access.resourceProvider),
      actions: [...(access.actions ?? [])],
    })),
    lambdaFunctions,
    databaseEngines: schemas.map((s) => String(s?.data?.configuration?.database?.engine ?? 'dynamodb')),
    authorizationModes,
  };
}

async function importResource(file) {
  try {
    return await import(pathToFileURL(path.resolve(file)).href);
  } catch (error) {
    if (error instanceof ExtractError) throw error;
    const message = error?.message ?? String(error);
    if (error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'MODULE_NOT_FOUND') {
      const missing = message.match(/(?:package|module) '([^']+)'/)?.[1] ?? null;
      throw new ExtractError('module-not-found', message, { missing, file });
    }
    if (error?.name === 'TransformError' || /Transform failed with/.test(message)) {
      throw new ExtractError('syntax', message, { file });
    }
    throw new ExtractError('load', message, { file, where: projectFrame(error) });
  }
}

/** ``file:line:column`` of the first stack frame in the project's own code, if any. */
function projectFrame(error) {
  for (const line of String(error?.stack ?? '').split('\n')) {
    const match = line.match(/(?:file:\/\/)?((?:\w:)?[^\s()]+):(\d+):(\d+)\)?\s*$/);
    if (!match || match[1].includes('node_modules') || match[1].startsWith('node:')) continue;
    const file = match[1].startsWith('/') || /^\w:/.test(match[1]) ? match[1] : null;
    if (file && file.startsWith(process.cwd())) return `${file}:${match[2]}:${match[3]}`;
  }
  return null;
}

function findExport(module, kind) {
  return Object.values(module).find((value) => kindOf(value) === kind);
}

function modelIntrospection(sdl) {
  const requireFromProject = createRequire(path.join(process.cwd(), 'package.json'));
  let generator;
  for (const from of ['@aws-amplify/graphql-generator', '@aws-amplify/backend-data']) {
    try {
      const base = from === '@aws-amplify/graphql-generator' ? requireFromProject : createRequire(requireFromProject.resolve(from));
      generator = base('@aws-amplify/graphql-generator');
      break;
    } catch {
      // not installed where this looks; try the next place
    }
  }
  if (!generator) {
    return { error: '@aws-amplify/graphql-generator is not installed in this project (it comes with @aws-amplify/backend)' };
  }
  try {
    const files = generator.generateModelsSync({ schema: sdl, target: 'introspection' });
    return { schema: JSON.parse(files['model-introspection.json']) };
  } catch (error) {
    return { error: `@aws-amplify/graphql-generator failed: ${error?.message ?? error}` };
  }
}

async function main() {
  const started = performance.now();
  const args = parseArgs(process.argv.slice(2));
  try {
    const dataModule = await importResource(args.data);
    const imported = performance.now();
    const factory = findExport(dataModule, 'data');
    if (!factory) {
      throw new ExtractError('no-define-data', `${args.data} exports no defineData(...) result (expected export const data = defineData({...}))`);
    }
    const functions = new FunctionTable();
    const data = describeData(factory, functions);
    const transformed = performance.now();
    let auth = null;
    if (args.auth) {
      const authFactory = findExport(await importResource(args.auth), 'auth');
      if (authFactory) {
        const props = authFactory.props ?? {};
        auth = {
          groups: Array.isArray(props.groups) ? props.groups.map(String) : [],
          loginWith: Object.keys(props.loginWith ?? {}),
          referenced: Boolean(props.referenced) || authFactory.constructor?.name === 'AmplifyReferenceAuthFactory',
        };
      }
    }
    const introspection = args.introspection ? modelIntrospection(data.schema) : null;
    const answer = {
      helper: HELPER_VERSION,
      data,
      auth,
      functions: functions.functions,
      modelIntrospection: introspection?.schema ?? null,
      modelIntrospectionError: introspection?.error ?? null,
      timings: {
        importMs: Math.round(imported - started),
        transformMs: Math.round(transformed - imported),
        totalMs: Math.round(performance.now() - started),
      },
    };
    fs.writeFileSync(args.out, JSON.stringify(answer));
  } catch (error) {
    const kind = error instanceof ExtractError ? error.kind : 'internal';
    const detail = error instanceof ExtractError ? error.detail : { stack: String(error?.stack ?? '') };
    fs.writeFileSync(args.out, JSON.stringify({ helper: HELPER_VERSION, error: { kind, message: error?.message ?? String(error), ...detail } }));
    process.exitCode = 1;
  }
}

await main();
