// The explorer: GraphiQL (vendored, see scripts/vendor-explorer.sh) with a fetcher that sends
// queries and mutations over HTTP and subscriptions over the AppSync real-time protocol, both
// authorized by the auth panel. Subscription events are listed below the editor as they arrive.

import { AuthPanel } from "./auth.js";
import { subscribe } from "./realtime.js";

const { React, ReactDOM, GraphiQL } = globalThis;
const $ = (id) => document.getElementById(id);
const MAX_EVENTS = 200;
const DEFAULT_QUERY = `# AppSync Emulator explorer
# Choose the auth mode above, then run (Ctrl-Enter).
# Ctrl-Space completes from the schema; the book icon
# opens its docs. Subscriptions use the real-time
# protocol; their events are listed below.

query {
  __typename
}
`;

/** The events drawer: status, a count and the newest events first. */
class EventLog {
  constructor() {
    this.count = 0;
    $("ae-events-clear").addEventListener("click", () => this.clear());
    $("ae-events-hide").addEventListener("click", () => ($("ae-events").hidden = true));
  }

  open(operationName) {
    $("ae-events").hidden = false;
    this.status(`${operationName || "subscription"}: opening…`);
    this.operationName = operationName || "subscription";
  }

  status(text) {
    $("ae-events-status").textContent = `${this.operationName || ""} ${text}`.trim();
  }

  add(payload) {
    this.count += 1;
    $("ae-events-count").textContent = String(this.count);
    const item = document.createElement("li");
    const time = document.createElement("time");
    time.textContent = `${new Date().toLocaleTimeString()} ${this.operationName}`;
    item.append(time, JSON.stringify(payload));
    const list = $("ae-event-list");
    list.prepend(item);
    while (list.children.length > MAX_EVENTS) list.lastChild.remove();
  }

  clear() {
    this.count = 0;
    $("ae-events-count").textContent = "0";
    $("ae-event-list").replaceChildren();
  }
}

// Parsed from the text sent, not GraphiQL's documentAST, which can lag behind the editor.
function operationType(params) {
  try {
    const document = GraphiQL.GraphQL.parse(params.query);
    const operation = GraphiQL.GraphQL.getOperationAST(document, params.operationName || undefined);
    return operation ? operation.operation : "query";
  } catch {
    return "query"; // let the server report the syntax error
  }
}

function makeFetcher(config, auth, events) {
  const host = location.host;
  const realtimeUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${host}${config.realtimePath}`;

  async function overHttp(params, extraHeaders) {
    const body = JSON.stringify(params);
    const headers = { "content-type": "application/json", ...(await auth.httpHeaders(body, host)) };
    if (auth.traceLists) headers["x-appsync-emulator-trace"] = "1";
    const response = await fetch(config.graphqlPath, { method: "POST", headers: { ...extraHeaders, ...headers }, body });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return { errors: [{ message: `HTTP ${response.status}: ${text}` }] };
    }
  }

  function overRealtime(params) {
    return {
      subscribe(observer) {
        let subscription = null;
        let cancelled = false;
        events.open(params.operationName);
        const relay = {
          next: (payload) => {
            events.add(payload);
            observer.next(payload);
          },
          complete: () => observer.complete(),
        };
        auth
          .connectionAuth(host)
          .then((connectionAuth) => {
            if (cancelled) return;
            subscription = subscribe(
              {
                url: realtimeUrl,
                connectionAuth,
                startAuth: (data) => auth.startAuthorization(host, data),
                request: params,
              },
              relay,
              (text) => events.status(text),
            );
          })
          .catch((error) => {
            relay.next({ errors: [{ message: `could not authorize the connection: ${error.message}` }] });
            relay.complete();
          });
        return {
          unsubscribe() {
            cancelled = true;
            if (subscription) subscription.unsubscribe();
          },
        };
      },
    };
  }

  return (graphQLParams, options = {}) => {
    const params = { query: graphQLParams.query, variables: graphQLParams.variables || {} };
    if (graphQLParams.operationName) params.operationName = graphQLParams.operationName;
    if (operationType(params) === "subscription") return overRealtime(params);
    return overHttp(params, options.headers || {});
  };
}

async function start() {
  const config = await (await fetch("/explorer/config")).json();
  const root = ReactDOM.createRoot($("graphiql"));
  const events = new EventLog();
  let auth = null;
  const render = () => {
    root.render(
      React.createElement(GraphiQL, {
        fetcher: makeFetcher(config, auth, events),
        defaultQuery: DEFAULT_QUERY,
        defaultEditorToolsVisibility: "variables",
        shouldPersistHeaders: false,
      }),
    );
  };
  auth = new AuthPanel(config, render); // a new fetcher per identity: GraphiQL refetches the schema
  render();
}

start().catch((error) => {
  $("graphiql").textContent = `The explorer could not start: ${error.message}`;
});
