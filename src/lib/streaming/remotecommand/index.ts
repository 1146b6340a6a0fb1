// Public face of the remote-command (exec/attach) protocols: serving them over SPDY or WebSocket,
// dialling a runtime's stream server over SPDY, and the outcome encoding on the error stream.
export { serveRemoteCommandSpdy, SPDY_REMOTE_COMMAND_PROTOCOLS, type SpdyServeOptions } from './server-spdy.js';
export { serveRemoteCommandWebSocket, WS_REMOTE_COMMAND_PROTOCOLS } from './server-ws.js';
export { dialRemoteCommand, CLIENT_REMOTE_COMMAND_PROTOCOLS, type RemoteCommandClient } from './client-spdy.js';
export { remoteCommandOptions, ResizeParser, type RemoteCommandOptions, type RemoteCommandSession, type TerminalSize } from './session.js';
export { decodeOutcome, encodeOutcome, type RemoteCommandOutcome } from './status.js';
