// The published OpenAPI documents (/openapi/v2 as JSON and gnostic protobuf, /openapi/v3 and one
// OpenAPI 3 document per group version), generated from the kinds' schemas.
export { OpenApiDocs, type OpenApiDocName, type OpenApiDocsOptions } from './docs.js';
