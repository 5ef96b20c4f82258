/**
 * What a browser gives DataStore and Node does not, set up before aws-amplify loads:
 *
 * - IndexedDB, in memory (fake-indexeddb), so DataStore keeps its store as in a browser;
 * - a `window` with `navigator.onLine` and online/offline events, which Amplify's Reachability
 *   watches (without one it reports "always online"), so a test can take the client offline;
 * - a WebSocket: aws-amplify v6 always opens `wss://`; against the plain-HTTP emulator the scheme
 *   is rewritten to `ws://`.
 */
'use strict';

require('fake-indexeddb/auto');
const WS = require('ws');

const connectivity = new EventTarget();
connectivity.navigator = { onLine: true };
globalThis.window = connectivity;

function setOnline(online) {
  connectivity.navigator.onLine = online;
  connectivity.dispatchEvent(new Event(online ? 'online' : 'offline'));
}

class EmulatorWebSocket extends WS {
  constructor(url, protocols) {
    super(String(url).replace(/^wss:/, 'ws:'), protocols);
  }
}

globalThis.WebSocket = EmulatorWebSocket;

module.exports = { setOnline };
