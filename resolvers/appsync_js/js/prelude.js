// The APPSYNC_JS runtime glue, evaluated in every fresh QuickJS context before the resolver's
// module (host protocol: emulator.resolvers.appsync_js.host). It builds `util`, `extensions`,
// `runtime`, `console` and the `@aws-appsync/utils/dynamodb` module as thin wrappers over the one
// host callable, which it hides; the helpers (and console's formatting) are Python. Kept small:
// QuickJS compiles it for every resolver call (about 0.08 ms per KB). Its functions are named
// __appsync_*, which user code may not use, so an error's position is the first frame of another
// name.
(function (host, shape, every) {
  'use strict';
  const STOP = Object.freeze({});
  function __appsync_answer(text) {
    if (text[0] === 'r') return JSON.parse(text.slice(1));
    if (text[0] === 'u') return undefined;
    if (text[0] === 's') throw STOP;
    throw new Error(text.slice(1));
  }
  function __appsync_call(path, args) {
    let count = args.length;
    while (count > 0 && args[count - 1] === undefined) count = count - 1;
    let payload;
    try { payload = JSON.stringify(args.slice(0, count)); } catch (e) { return __appsync_answer('e' + path + ': ' + e.message); }
    return __appsync_answer(host(path, payload));
  }
  function __appsync_build(members, prefix) {
    const built = {};
    for (const name in members) {
      const path = prefix + name;
      built[name] = members[name] === 1 ? function __appsync_helper(...args) { return __appsync_call(path, args); } : __appsync_build(members[name], path + '.');
    }
    return Object.freeze(built);
  }
  function __appsync_thrown(error) {
    return String(error) + '\n' + (error && error.stack);
  }
  const util = __appsync_build(shape.util, 'util.');
  const extensions = __appsync_build(shape.extensions, 'extensions.');
  const runtime = Object.freeze({
    earlyReturn: function __appsync_earlyReturn(value, options) {
      return __appsync_answer(host('!earlyReturn', JSON.stringify([value === undefined ? null : value, options === undefined ? null : options])));
    },
  });
  let ticks = 0;
  let next = every;
  let handlers = null;
  let failure = null;
  const fixed = (value) => ({ value, writable: false, configurable: false });
  Object.defineProperties(globalThis, {
    util: fixed(util),
    extensions: fixed(extensions),
    runtime: fixed(runtime),
    console: fixed(__appsync_build(shape.console, '!console.')),
    __appsync_modules: fixed(Object.freeze({
      '@aws-appsync/utils': Object.freeze({ util, extensions, runtime }),
      '@aws-appsync/utils/dynamodb': __appsync_build(shape.dynamodb, 'dynamodb.'),
    })),
    __appsync_tick: fixed(function __appsync_tick() {
      ticks = ticks + 1;
      if (ticks >= next) { next = ticks + every; __appsync_answer(host('!tick', '')); }
    }),
    // Each handler runs in a new instance of the module, which hands its handlers over here.
    __appsync_register: fixed(function __appsync_register(exported) { handlers = exported; }),
    // A module's top-level code runs when it is evaluated; QuickJS reports a failure there
    // through the promise the evaluation returns.
    __appsync_loaded: fixed(function __appsync_loaded(evaluation) {
      failure = null;
      evaluation.then(undefined, function __appsync_failed(error) { failure = __appsync_thrown(error); });
    }),
    // Runs one handler; the stash comes back even when the handler fails. `thrown` tells Python
    // how it failed (for STOP, Python already knows: util.error, earlyReturn, the CPU limit).
    __appsync_run: fixed(function __appsync_run(name, json) {
      const ctx = JSON.parse(json);
      if (failure !== null) return JSON.stringify({ stash: ctx.stash, thrown: failure });
      ctx.args = ctx.arguments;
      Object.freeze(ctx.env);
      ticks = 0;
      next = every;
      let value;
      try {
        const handler = handlers[name];
        if (typeof handler !== 'function') throw new Error("The code's '" + name + "' export is not a function");
        value = handler(ctx);
      } catch (error) {
        return JSON.stringify({ stash: ctx.stash, thrown: __appsync_thrown(error) });
      }
      try { return JSON.stringify({ value, stash: ctx.stash }); } catch (error) {
        return JSON.stringify({ stash: {}, thrown: 'TypeError: the ' + name + ' handler returned a value that is not JSON: ' + error.message });
      }
    }),
  });
  // No code from strings: it would escape the start-time check and the CPU-time tick.
  Object.defineProperty(Object.getPrototypeOf(fixed), 'constructor', { value: undefined });
  delete globalThis.eval;
  delete globalThis.Function;
  delete globalThis.__appsync_host;
})(globalThis.__appsync_host, JSON.parse(globalThis.__appsync_host('!shape', '')), __APPSYNC_CHECK_EVERY__);
