// The HTTP face of authorization.k8s.io/v1: SelfSubjectAccessReview (`kubectl auth can-i`),
// SubjectAccessReview and LocalSubjectAccessReview (may someone else do this?), and
// SelfSubjectRulesReview (`kubectl auth can-i --list`). Reviews are create-only and nothing is
// stored; whether the caller may create the review at all was decided like any request (the
// self reviews are open to every authenticated user through system:basic-user).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TSchema } from '@sinclair/typebox';
import {
  LocalSubjectAccessReview,
  SelfSubjectAccessReview,
  SelfSubjectRulesReview,
  SubjectAccessReview,
  type NonResourceRule,
  type ResourceRule,
} from '../../../api/authorization/v1/index.js';
import type { PolicyRule } from '../../../api/rbac/v1/index.js';
import { badRequest, StatusError } from '../../../lib/errors.js';
import { invalid, invalidError, type FieldError } from '../../../lib/field-errors.js';
import { parseBody, readBody, sendJson } from '../../http/io.js';
import type { UserInfo } from '../tokens.js';
import type { Attributes } from './attributes.js';
import { SUPERUSER_GROUP, type RbacAuthorizer } from './rbac-authorizer.js';

const PREFIX = '/apis/authorization.k8s.io/v1/';
const GROUP = 'authorization.k8s.io';

type Json = Record<string, unknown>;

interface Spec {
  resourceAttributes?: Json;
  nonResourceAttributes?: Json;
  user?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
  uid?: string;
  namespace?: string;
}

export interface AuthorizationApi {
  /** Answers the request when the path is one of the reviews; false leaves it to the router. */
  serve(req: IncomingMessage, res: ServerResponse, at: { path: string; user: UserInfo }): Promise<boolean>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

async function body(req: IncomingMessage, schema: TSchema): Promise<Json> {
  const b = parseBody(await readBody(req), { contentType: req.headers['content-type'], schema });
  if (b === null || typeof b !== 'object' || Array.isArray(b)) throw badRequest('the body must be a JSON object');
  return b as Json;
}

/** The attributes a review spec asks about; Invalid unless exactly one kind is given. */
function attributesOf(kind: string, spec: Spec): Attributes {
  const r = spec.resourceAttributes;
  const n = spec.nonResourceAttributes;
  const errs: FieldError[] = [];
  if ((r && n) || (!r && !n)) errs.push(invalid('spec.resourceAttributes', r ?? null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  if (errs.length) throw invalidError({ kind, group: GROUP, name: '' }, errs);
  if (n) return { kind: 'nonResource', verb: str(n.verb), path: str(n.path) };
  const a = r ?? {};
  return {
    kind: 'resource',
    verb: str(a.verb),
    group: str(a.group),
    version: str(a.version),
    resource: str(a.resource),
    subresource: str(a.subresource),
    namespace: str(a.namespace),
    name: str(a.name),
  };
}

const answer = (kind: string, input: Json, status: Json): Json => ({
  kind,
  apiVersion: `${GROUP}/v1`,
  metadata: { ...((input.metadata ?? {}) as Json), creationTimestamp: null },
  spec: input.spec ?? {},
  status,
});

/** Rules as a rules review lists them: resource rules and non-resource rules apart. */
function splitRules(rules: readonly PolicyRule[]): { resourceRules: ResourceRule[]; nonResourceRules: NonResourceRule[] } {
  const resourceRules: ResourceRule[] = [];
  const nonResourceRules: NonResourceRule[] = [];
  for (const r of rules) {
    if ((r.nonResourceURLs ?? []).length > 0) nonResourceRules.push({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs ?? [] });
    else
      resourceRules.push({
        verbs: r.verbs ?? [],
        ...(r.apiGroups ? { apiGroups: r.apiGroups } : {}),
        ...(r.resources ? { resources: r.resources } : {}),
        ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}),
      });
  }
  return { resourceRules, nonResourceRules };
}

export function authorizationApi(authorizer: RbacAuthorizer): AuthorizationApi {
  const decide = (user: UserInfo, attrs: Attributes): Json => {
    const d = authorizer.authorize(user, attrs);
    return { allowed: d.allowed, ...(d.reason ? { reason: d.reason } : {}) };
  };

  return {
    async serve(req, res, at) {
      if (!at.path.startsWith(PREFIX)) return false;
      const parts = at.path.slice(PREFIX.length).split('/');
      const namespace = parts[0] === 'namespaces' && parts.length === 3 ? parts[1] : undefined;
      const resource = namespace !== undefined ? parts[2] : parts.length === 1 ? parts[0] : undefined;
      const known = namespace !== undefined ? resource === 'localsubjectaccessreviews' : ['selfsubjectaccessreviews', 'subjectaccessreviews', 'selfsubjectrulesreviews'].includes(resource ?? '');
      if (!known) return false;
      if (req.method !== 'POST') throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');

      if (resource === 'selfsubjectaccessreviews') {
        const input = await body(req, SelfSubjectAccessReview);
        const attrs = attributesOf('SelfSubjectAccessReview', (input.spec ?? {}) as Spec);
        sendJson(res, 201, answer('SelfSubjectAccessReview', input, decide(at.user, attrs)));
        return true;
      }
      if (resource === 'selfsubjectrulesreviews') {
        const input = await body(req, SelfSubjectRulesReview);
        const ns = str(((input.spec ?? {}) as Spec).namespace);
        const status = at.user.groups.includes(SUPERUSER_GROUP)
          ? { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false }
          : (() => {
              const set = authorizer.rulesFor(at.user, ns);
              return { ...splitRules(set.rules), incomplete: false, ...(set.errors.length ? { evaluationError: set.errors.join(', ') } : {}) };
            })();
        sendJson(res, 201, answer('SelfSubjectRulesReview', input, status));
        return true;
      }
      const kind = namespace !== undefined ? 'LocalSubjectAccessReview' : 'SubjectAccessReview';
      const input = await body(req, namespace !== undefined ? LocalSubjectAccessReview : SubjectAccessReview);
      const spec = (input.spec ?? {}) as Spec;
      if (!spec.user && !(spec.groups ?? []).length)
        throw invalidError({ kind, group: GROUP, name: '' }, [invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified')]);
      if (namespace !== undefined) {
        if (spec.nonResourceAttributes)
          throw invalidError({ kind, group: GROUP, name: '' }, [invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request')]);
        const ra = (spec.resourceAttributes ??= {});
        if (!ra.namespace) ra.namespace = namespace;
        else if (ra.namespace !== namespace) throw badRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace}`);
      }
      const subject: UserInfo = { name: spec.user ?? '', groups: spec.groups ?? [], ...(spec.uid ? { uid: spec.uid } : {}), ...(spec.extra ? { extra: spec.extra } : {}) };
      sendJson(res, 201, answer(kind, input, decide(subject, attributesOf(kind, spec))));
      return true;
    },
  };
}
