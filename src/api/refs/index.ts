// Kind references without schemas: each kind's group, version, kind, resource names and scope,
// built by kindRef and loading nothing of TypeBox. Clients address kinds with these; the node agent
// imports only these (and types) from src/api, so it never builds the schemas the API server
// validates with. Each group's schema modules spread these names into their full definitions.
export * from './core-v1.js';
export * from './coordination-v1.js';
export * from './discovery-v1.js';
export * from './networking-v1.js';
