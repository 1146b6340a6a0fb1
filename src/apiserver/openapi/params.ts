// The query and path parameters of the REST operations, described in our own words. Their names
// and types are the API: clients probe for some of them (kubectl checks that PATCH takes
// `fieldValidation` before it leaves field validation to the server).

export interface Param {
  name: string;
  in: 'path' | 'query';
  type: 'string' | 'boolean' | 'integer';
  description: string;
  required?: boolean;
}

const q = (name: string, type: Param['type'], description: string): Param => ({ name, in: 'query', type, description });

export const PARAMS = {
  name: { name: 'name', in: 'path', type: 'string', description: 'Name of the object.', required: true },
  namespace: { name: 'namespace', in: 'path', type: 'string', description: 'Namespace of the objects.', required: true },
  pretty: q('pretty', 'string', "If 'true', the reply is indented for reading."),
  allowWatchBookmarks: q('allowWatchBookmarks', 'boolean', 'Ask a watch to send BOOKMARK events carrying the latest resource version.'),
  continue: q('continue', 'string', 'Token from the previous page of a paged list, to read the next page.'),
  fieldSelector: q('fieldSelector', 'string', 'Only return objects whose fields match, e.g. metadata.name=web,status.phase!=Running.'),
  labelSelector: q('labelSelector', 'string', 'Only return objects whose labels match, e.g. app=web,tier in (frontend).'),
  limit: q('limit', 'integer', 'Return at most this many objects; the list metadata then holds a continue token.'),
  resourceVersion: q('resourceVersion', 'string', 'Read at or after this resource version (list), or start watching after it (watch).'),
  resourceVersionMatch: q('resourceVersionMatch', 'string', 'How resourceVersion applies to a list: Exact or NotOlderThan.'),
  sendInitialEvents: q('sendInitialEvents', 'boolean', 'Start a watch with synthetic ADDED events for the current objects, then a bookmark.'),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'End the list or watch after this many seconds.'),
  watch: q('watch', 'boolean', 'Stream changes to the selected objects instead of listing them.'),
  dryRun: q('dryRun', 'string', 'Set to All to run every stage of the request without persisting the result.'),
  fieldManager: q('fieldManager', 'string', 'Name of the actor making the change, recorded in managedFields; required for apply patches.'),
  fieldValidation: q(
    'fieldValidation',
    'string',
    'What to do with unknown or duplicate fields in the body: Ignore drops them silently, ' +
      'Warn (the default) drops them and returns a warning for each, Strict rejects the request.',
  ),
  force: q('force', 'boolean', 'For apply patches: take ownership of fields other managers own instead of failing with a conflict.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer', 'Seconds to let the object terminate; 0 deletes at once; unset uses the default for the kind.'),
  ignoreStoreReadErrorWithClusterBreakingPotential: q(
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    'boolean',
    'Delete an object even though its stored form cannot be read. Dangerous.',
  ),
  orphanDependents: q('orphanDependents', 'boolean', 'Deprecated: use propagationPolicy=Orphan.'),
  propagationPolicy: q('propagationPolicy', 'string', 'How dependents are garbage collected: Orphan, Background or Foreground.'),
} satisfies Record<string, Param>;
