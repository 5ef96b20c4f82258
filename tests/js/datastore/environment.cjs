/**
 * What a browser gives DataStore and Node does not, set up before aws-amplify loads:
 *
 * - IndexedDB, in memory (fake-indexeddb), so DataStore keeps its store as in a browser;
 * - a `window` with `navigator.onLine` and online/offline events, which Amplify's Reachability
 *   watches (without one it reports "always online"), so a test can take the client offline;
 * - a WebSocket: aws-amplify v6 always opens `wss://`; against the plain-HTTP emulator the scheme
 *   is rewritten to `ws://`, and frames can be held back (`holdEvents`) to make the client miss
 *   other clients' changes, as a client whose socket dropped would.
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

const sockets = { holding: false };

function holdEvents(holding) {
  sockets.holding = holding;
}

class EmulatorWebSocket extends WS {
  constructor(url, protocols) {
    super(String(url).replace(/^wss:/, 'ws:'), protocols);
  }

  emit(event, ...args) {
    if (event === 'message' && sockets.holding && isDataFrame(args[0])) return false;
    return super.emit(event, ...args);
  }
}

function isDataFrame(raw) {
  try {
    return JSON.parse(String(raw)).type === 'data';
  } catch {
    return false;
  }
}

globalThis.WebSocket = EmulatorWebSocket;

module.exports = { setOnline, holdEvents };
