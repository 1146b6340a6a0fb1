// Public face of the port-forward protocols: serving SPDY (also tunnelled in a WebSocket) and
// channel-framed WebSocket port-forward, and dialling a runtime's stream server over SPDY.
export { servePortForwardSpdy, PORT_FORWARD_PROTOCOL } from './server-spdy.js';
export { servePortForwardWebSocket, WS_PORT_FORWARD_PROTOCOLS } from './server-ws.js';
export { dialPortForward, type PortForwardClient } from './client-spdy.js';
export { portsFromQuery, type ForwardHandler, type ForwardRequest } from './request.js';
