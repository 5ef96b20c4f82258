// The appsync-emulator's Node.js Lambda runner: one long-lived process per function instance,
// one call at a time, as one Lambda instance serves calls.
//
//   node [--import tsx] runner.mjs <handler file> <export name>
//
// Protocol, one JSON document per line (see resolvers/functions/protocol.py):
//   stdout, once started:  {"type": "ready"}  or  {"type": "init_error", "error": {...}}
//   stdin, a call:         {"id", "event", "context": {"functionName", "awsRequestId", "deadlineMs", ...}}
//   stdout, its answer:    {"id", "result"}  or  {"id", "error": {"errorType", "errorMessage", "trace"}}
// Everything the handler prints (console.*, process.stdout.write) goes to stderr, which the
// emulator logs under the function's name. The process exits when stdin closes.
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const [, , handlerFile, exportName] = process.argv;
const handlerName = process.env._HANDLER || `index.${exportName}`;

const writeProtocol = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr);

function send(message) {
  writeProtocol(`${JSON.stringify(message)}\n`);
}

function describe(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name || 'Error',
      errorMessage: error.message ?? String(error),
      trace: String(error.stack || '').split('\n'),
    };
  }
  if (typeof error === 'string') {
    return { errorType: 'string', errorMessage: error, trace: [] };
  }
  let text;
  try {
    text = JSON.stringify(error);
  } catch {
    text = String(error);
  }
  return { errorType: typeof error, errorMessage: text ?? String(error), trace: [] };
}

async function loadHandler() {
  let module;
  try {
    module = await import(pathToFileURL(handlerFile).href);
  } catch (error) {
    const described = describe(error);
    described.errorType = error instanceof SyntaxError ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError';
    described.errorMessage = `${error?.name || 'Error'}: ${error?.message ?? String(error)}`;
    throw described;
  }
  let handler = module[exportName];
  if (typeof handler !== 'function' && module.default && typeof module.default[exportName] === 'function') {
    handler = module.default[exportName]; // CommonJS: module.exports arrives as the default export
  }
  if (typeof handler !== 'function') {
    throw { errorType: 'Runtime.HandlerNotFound', errorMessage: `${handlerName} is undefined or not exported`, trace: [] };
  }
  return handler;
}

function lambdaContext(request) {
  const given = request.context || {};
  const name = given.functionName || 'function';
  return {
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: given.invokedFunctionArn || `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    memoryLimitInMB: String(given.memoryLimitInMB || 128),
    awsRequestId: given.awsRequestId || String(request.id),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: given.logStreamName || 'appsync-emulator',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, (given.deadlineMs || Date.now()) - Date.now()),
  };
}

// The three handler styles: async (a promise), callback, and context.succeed/fail/done.
// A plain function with fewer than three parameters that returns no promise answers null, as
// Lambda does once the event loop is empty.
function invoke(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== null && error !== undefined) reject(error);
      else resolve(result);
    };
    const callback = (error, result) => finish(error, result);
    context.done = callback;
    context.succeed = (result) => finish(null, result);
    context.fail = (error) => finish(error ?? new Error('handler failed'));
    let returned;
    try {
      returned = handler(event, context, callback);
    } catch (error) {
      finish(error ?? new Error('handler threw'));
      return;
    }
    if (returned && typeof returned.then === 'function') {
      returned.then((result) => finish(null, result), (error) => finish(error ?? new Error('handler rejected')));
    } else if (handler.length < 3) {
      setImmediate(() => finish(null, null));
    }
  });
}

function answer(id, result) {
  let line;
  try {
    line = JSON.stringify({ id, result: result === undefined ? null : result });
  } catch (error) {
    line = JSON.stringify({ id, error: { errorType: 'Runtime.MarshalError', errorMessage: `Unable to stringify response body: ${error.message}`, trace: [] } });
  }
  writeProtocol(`${line}\n`);
}

let handler;
try {
  handler = await loadHandler();
} catch (error) {
  send({ type: 'init_error', error: error.errorType ? error : describe(error) });
  process.exit(1);
}
send({ type: 'ready' });

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    send({ id: null, error: { errorType: 'Runtime.InvalidRequest', errorMessage: error.message, trace: [] } });
    continue;
  }
  try {
    answer(request.id, await invoke(handler, request.event, lambdaContext(request)));
  } catch (error) {
    send({ id: request.id, error: describe(error) });
  }
}
process.exit(0);
