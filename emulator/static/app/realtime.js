// Subscriptions over the AppSync real-time protocol, as AppSync's own clients speak it:
// WebSocket subprotocols ["graphql-ws", "header-<base64url auth JSON>"], then connection_init →
// connection_ack, start (payload.data is a JSON *string*, extensions.authorization) → start_ack,
// data frames, and stop → complete when the explorer stops listening.

const STOP_WAIT_MS = 3000;

/** base64url without padding, over the UTF-8 bytes of ``text`` (what Amplify and Apollo send). */
export function base64url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function newId() {
  return globalThis.crypto && crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

/**
 * Opens one connection for one subscription and reports through ``observer`` (next/complete)
 * and ``onStatus(text)``. Returns ``{ unsubscribe() }``, which sends stop and closes.
 *
 * @param options.url            ws:// URL of /graphql/realtime
 * @param options.connectionAuth auth JSON for the connection header (includes host)
 * @param options.startAuth      async (data) => auth JSON for extensions.authorization
 * @param options.request        { query, variables, operationName }
 */
export function subscribe(options, observer, onStatus = () => {}) {
  const id = newId();
  const data = JSON.stringify(options.request);
  const socket = new WebSocket(options.url, ["graphql-ws", `header-${base64url(JSON.stringify(options.connectionAuth))}`]);
  let finished = false;
  let started = false;

  const finish = (reason) => {
    if (finished) return;
    finished = true;
    onStatus(reason);
    observer.complete();
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close(1000);
  };
  const fail = (errors, reason) => {
    if (!finished) observer.next({ errors: Array.isArray(errors) ? errors : [errors] });
    finish(reason);
  };
  const send = (message) => socket.send(JSON.stringify(message));

  socket.addEventListener("open", () => {
    onStatus("connecting…");
    send({ type: "connection_init" });
  });
  socket.addEventListener("message", async (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    switch (message.type) {
      case "connection_ack":
        onStatus("connected; starting…");
        try {
          send({ id, type: "start", payload: { data, extensions: { authorization: await options.startAuth(data) } } });
        } catch (error) {
          fail({ message: `could not authorize the subscription: ${error.message}` }, "failed");
        }
        break;
      case "start_ack":
        started = true;
        onStatus("listening");
        break;
      case "data":
        if (message.id === id) observer.next(message.payload);
        break;
      case "error":
      case "connection_error":
        fail((message.payload && message.payload.errors) || message.payload || { message: message.type }, message.type);
        break;
      case "complete":
        if (message.id === id) finish("complete");
        break;
      default: // "ka" and anything new: nothing to do
    }
  });
  socket.addEventListener("close", (event) => {
    if (!finished) fail({ message: `the real-time connection closed (code ${event.code}${event.reason ? `: ${event.reason}` : ""})` }, "closed");
  });
  socket.addEventListener("error", () => {
    if (!finished && !started) fail({ message: `could not open the real-time connection to ${options.url}` }, "failed");
  });

  return {
    unsubscribe() {
      if (finished) return;
      if (socket.readyState !== WebSocket.OPEN || !started) return finish("stopped");
      onStatus("stopping…");
      send({ id, type: "stop" });
      setTimeout(() => finish("stopped"), STOP_WAIT_MS); // AppSync answers stop with complete
    },
  };
}
