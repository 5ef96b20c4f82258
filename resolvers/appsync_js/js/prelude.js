// The APPSYNC_JS runtime glue, evaluated in every fresh QuickJS context before the resolver's
// module (see emulator.resolvers.appsync_js.host for the host protocol). It builds `util`,
// `extensions`, `runtime`, `console` and the `@aws-appsync/utils/dynamodb` module as thin
// wrappers over the one host callable, which it hides; the helpers themselves are Python.
(function (host, shape, checkEvery) {
  'use strict';
  const own = new WeakSet();
  const STOP = Object.freeze({ appsyncStop: true });

  function mark(fn) {
    own.add(fn);
    return fn;
  }

  // An error's stack is reduced to the position of the innermost frame in the user's code. The
  // hook is set through its setter, which is then removed so user code cannot replace it.
  Error.prepareStackTrace = mark(function (error, frames) {
    for (const frame of frames) {
      const fn = frame.getFunction();
      if (frame.isNative() || (fn !== undefined && own.has(fn)) || !frame.getLineNumber()) {
        continue;
      }
      return '@@' + frame.getLineNumber() + ':' + frame.getColumnNumber();
    }
    return '@@';
  });
  Object.defineProperty(Error, 'prepareStackTrace', { configurable: false, set: undefined });

  const fail = mark(function (message) {
    throw new Error(message);
  });

  const answer = mark(function (text) {
    switch (text[0]) {
      case 'r':
        return JSON.parse(text.slice(1));
      case 'u':
        return undefined;
      case 's':
        throw STOP;
      default:
        return fail(text.slice(1));
    }
  });

  const call = mark(function (path, args) {
    let count = args.length;
    while (count > 0 && args[count - 1] === undefined) {
      count = count - 1;
    }
    let payload;
    try {
      payload = JSON.stringify(args.slice(0, count));
    } catch (error) {
      fail(path + ': ' + error.message);
    }
    return answer(host(path, payload));
  });

  const namespace = mark(function (members, prefix) {
    const built = {};
    for (const name of Object.keys(members)) {
      const path = prefix + name;
      built[name] = members[name] === 1 ? mark(function (...args) { return call(path, args); }) : namespace(members[name], path + '.');
    }
    return Object.freeze(built);
  });

  const format = mark(function (value) {
    if (typeof value === 'string') {
      return value;
    }
    try {
      const text = JSON.stringify(value);
      return text === undefined ? String(value) : text;
    } catch (error) {
      return String(value);
    }
  });

  const logger = mark(function (level) {
    return mark(function (...args) {
      host('!log', JSON.stringify([level, args.map(format).join(' ')]));
    });
  });

  const util = namespace(shape.util, 'util.');
  const extensions = namespace(shape.extensions, 'extensions.');
  const runtime = Object.freeze({
    earlyReturn: mark(function (value, options) {
      return answer(host('!earlyReturn', JSON.stringify([value === undefined ? null : value, options === undefined ? null : options])));
    }),
  });
  const dynamodb = namespace(shape.dynamodb, 'dynamodb.');
  const console = Object.freeze({
    log: logger('log'), info: logger('info'), warn: logger('warn'), error: logger('error'), debug: logger('debug'),
  });

  let ticks = 0;
  let nextCheck = checkEvery;
  const tick = mark(function () {
    ticks = ticks + 1;
    if (ticks >= nextCheck) {
      nextCheck = ticks + checkEvery;
      answer(host('!tick', ''));
    }
  });

  // A module's top-level code runs when it is evaluated; QuickJS reports a failure there through
  // the promise the evaluation returns.
  let moduleFailure = null;
  const loaded = mark(function (evaluation) {
    evaluation.then(undefined, mark(function (error) {
      moduleFailure = String(error) + '\n' + (error && error.stack);
    }));
  });

  const run = mark(function (name, contextJson) {
    const ctx = JSON.parse(contextJson);
    if (moduleFailure !== null) {
      return JSON.stringify({ stash: ctx.stash, thrown: moduleFailure });
    }
    ctx.args = ctx.arguments;
    Object.freeze(ctx.env);
    const handler = globalThis.__appsync_handlers[name];
    if (typeof handler !== 'function') {
      fail("The code's '" + name + "' export is not a function");
    }
    let value;
    try {
      value = handler(ctx);
    } catch (error) {
      // Keep the stash the handler had built; Python learns from `thrown` (or from what the host
      // recorded, for STOP) how the handler ended.
      return JSON.stringify({ stash: ctx.stash, thrown: String(error) + '\n' + (error && error.stack) });
    }
    try {
      return JSON.stringify({ value: value, stash: ctx.stash });
    } catch (error) {
      return JSON.stringify({ stash: {}, thrown: 'TypeError: the ' + name + ' handler returned a value that is not JSON: ' + error.message });
    }
  });

  const constant = { writable: false, configurable: false, enumerable: false };
  Object.defineProperties(globalThis, {
    util: Object.assign({ value: util }, constant),
    extensions: Object.assign({ value: extensions }, constant),
    runtime: Object.assign({ value: runtime }, constant),
    console: Object.assign({ value: console }, constant),
    __appsync_tick: Object.assign({ value: tick }, constant),
    __appsync_run: Object.assign({ value: run }, constant),
    __appsync_loaded: Object.assign({ value: loaded }, constant),
    __appsync_modules: Object.assign({
      value: Object.freeze({
        '@aws-appsync/utils': Object.freeze({ util: util, extensions: extensions, runtime: runtime }),
        '@aws-appsync/utils/dynamodb': dynamodb,
      }),
    }, constant),
  });
  // No code from strings: it would escape the start-time check and the CPU-time tick.
  Object.defineProperty(Object.getPrototypeOf(function () {}), 'constructor', { value: undefined });
  delete globalThis.eval;
  delete globalThis.Function;
  delete globalThis.__appsync_host;
})(globalThis.__appsync_host, __APPSYNC_SHAPE__, __APPSYNC_CHECK_EVERY__);
