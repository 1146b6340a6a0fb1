// Public face of the streaming protocols Kubernetes clients speak for exec, attach and
// port-forward: SPDY/3.1 sessions, channel.k8s.io WebSocket framing, the remote-command and
// port-forward protocols on top of both, and the HTTP upgrade around them.
export * from './spdy/index.js';
export * from './remotecommand/index.js';
export * from './portforward/index.js';
export { Channel, decodeChannelMessage, encodeChannelMessage, framing, headerList, negotiate, type ChannelFraming } from './channels.js';
export { acceptSpdyUpgrade, dialSpdy, offeredStreamProtocols, rejectUpgrade, UpgradeError, wantsSpdy, wantsWebSocket, SPDY_UPGRADE } from './upgrade.js';
export { acceptTunnel, TUNNEL_PROTOCOL } from './tunnel.js';
