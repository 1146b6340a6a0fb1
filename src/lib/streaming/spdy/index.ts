// Public face of the SPDY/3.1 implementation: a session over a byte stream, its streams, the
// frame codec (for tests and tools) and the header-compression dictionary.
export { SpdyConnection, type SpdyConnectionOptions, type SpdyRole } from './connection.js';
export { SpdyStream } from './stream.js';
export { RstStatus, SpdyProtocolError } from './frames.js';
