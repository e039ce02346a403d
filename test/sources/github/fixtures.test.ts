/**
 * The fake GitHub is only as good as its fixtures: every REST response it serves (success and error
 * bodies) is validated against GitHub's official OpenAPI description (@octokit/openapi) for its
 * route and status, and every GraphQL document the source sends is validated against GitHub's
 * schema (@octokit/graphql-schema). Responses are collected from full assessments of every
 * scenario with every kind of token — so every route the source uses is covered (asserted).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { validate as validateGraphql } from '@octokit/graphql-schema';
import { beforeAll, expect, test } from 'vitest';
import { ALL_SCENARIOS, TOKENS } from '../../fake-github/scenarios.js';
import type { LoggedRequest } from '../../fake-github/server.js';
import { branchesQuery, repositoryBatchQuery, usersQuery } from '../../../src/sources/github/queries.js';
import { assessFully, sourceFor, withFake } from './helpers.js';

const require = createRequire(import.meta.url);
let spec: {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: Record<string, Record<string, unknown>>;
};
let ajv: Ajv;
const served: LoggedRequest[] = [];
let routes: string[] = [];

beforeAll(async () => {
  spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'));
  ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  ajv.addSchema({ $id: 'gh', components: openapiNullable(spec.components) });

  await withFake({ scenarios: ALL_SCENARIOS() }, async (fake) => {
    routes = fake.routes;
    const runs: Array<[string, string | undefined, Record<string, unknown>?]> = [];
    for (const repo of ['acme/widget', 'acme/classic', 'acme/old-widget', 'acme/empty', 'slsa-framework/example-package', 'bob/tool']) {
      for (const token of [TOKENS.admin, TOKENS.read, TOKENS.fineRead, undefined]) runs.push([repo, token]);
    }
    runs.push(['acme/secret', TOKENS.read], ['acme/secret', undefined], ['acme/missing', TOKENS.read]);
    for (const [repo, token] of runs) {
      const src = await sourceFor(fake, repo, token).catch(() => undefined);
      if (src) await assessFully(src);
    }
    served.push(...fake.requests);
  });
  // REST fallback with tokens (GraphQL down): classic protection over REST, 200 and "Branch not protected".
  await withFake(
    { scenarios: ALL_SCENARIOS(), faults: [{ match: 'graphql', kind: 'status', status: 502, times: Infinity }] },
    async (fake) => {
      for (const repo of ['acme/classic', 'acme/widget']) {
        for (const token of [TOKENS.admin, TOKENS.fineRead]) await assessFully(await sourceFor(fake, repo, token, { retries: 0 }));
      }
      served.push(...fake.requests.filter((r) => r.path !== '/graphql'));
    },
  );
}, 60_000);

/** OpenAPI 3.0's `nullable` beside `allOf`/`anyOf`/`$ref` (no `type`) in JSON Schema terms. */
function openapiNullable<T>(v: T): T {
  if (Array.isArray(v)) return v.map(openapiNullable) as T;
  if (!v || typeof v !== 'object') return v;
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) o[k] = openapiNullable(x);
  if (o.nullable === true && !('type' in o)) {
    delete o.nullable;
    return { anyOf: [o, { type: 'null' }] } as T;
  }
  return o as T;
}

const validators = new Map<string, ValidateFunction>();

function schemaFor(route: string, status: number): { ref: string; documented: boolean } {
  const [method, template] = route.split(' ');
  const op = spec.paths[template]?.[method.toLowerCase()];
  if (!op) throw new Error(`route not in GitHub's OpenAPI description: ${route}`);
  let resp = op.responses[String(status)] as { $ref?: string; content?: Record<string, { schema?: unknown }> } | undefined;
  if (!resp) return { ref: 'gh#/components/schemas/basic-error', documented: false };
  if (resp.$ref) resp = spec.components.responses[resp.$ref.split('/').pop()!] as typeof resp;
  const pointer = resp?.content?.['application/json']?.schema;
  if (!pointer) return { ref: '', documented: true };
  return { ref: JSON.stringify(pointer), documented: true };
}

function validatorFor(route: string, status: number): ValidateFunction | undefined {
  const key = `${route} ${status}`;
  if (validators.has(key)) return validators.get(key);
  const { ref } = schemaFor(route, status);
  if (!ref) return undefined;
  const schema = ref.startsWith('gh#') ? { $ref: ref } : openapiNullable(JSON.parse(ref.replace(/"#\/components\//g, '"gh#/components/')));
  const v = ajv.compile(schema);
  validators.set(key, v);
  return v;
}

test('every REST response the fake served validates against the OpenAPI schema of its route and status', () => {
  const json = served.filter((r) => r.route && r.json !== undefined && r.status > 0 && r.status !== 304);
  expect(json.length).toBeGreaterThan(100);
  const failures: string[] = [];
  const seen = new Set<string>();
  for (const r of json) {
    const key = `${r.route} ${r.status} ${JSON.stringify(r.json).length}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const v = validatorFor(r.route!, r.status);
    if (!v) continue;
    if (!v(r.json)) failures.push(`${r.route} → ${r.status}: ${ajv.errorsText(v.errors, { separator: '\n  ' })}`);
  }
  expect(failures).toEqual([]);
});

test('every route the fake serves was exercised (so every fixture was validated), with success and error statuses', () => {
  const hit = new Set(served.filter((r) => r.route).map((r) => r.route!));
  expect(routes.filter((r) => !hit.has(r))).toEqual([]);
  const statuses = new Set(served.filter((r) => r.route).map((r) => r.status));
  for (const s of [200, 302, 304, 404]) if (s !== 304) expect(statuses.has(s), String(s)).toBe(true);
  // GitHub's error bodies: message + documentation_url (+ status).
  for (const r of served.filter((x) => x.status >= 400 && x.json)) {
    expect(r.json).toMatchObject({
      message: expect.any(String),
      documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com\//),
    });
  }
});

test('every GraphQL document the source sent validates against GitHub’s schema', () => {
  const docs = new Set(
    served.filter((r) => r.path === '/graphql' && r.requestBody).map((r) => (JSON.parse(r.requestBody!) as { query: string }).query),
  );
  expect(docs.size).toBeGreaterThanOrEqual(2);
  for (const q of docs) expect(validateGraphql(q).map((e) => e.message)).toEqual([]);
  // And the builders for sizes the scenarios did not reach (portfolio batches, many release branches, many contributors).
  for (const q of [
    repositoryBatchQuery(Array.from({ length: 25 }, (_, i) => ({ owner: `o${i % 4}`, name: `r${i}` }))).query,
    branchesQuery(3),
    usersQuery(30),
  ]) {
    expect(validateGraphql(q).map((e) => e.message)).toEqual([]);
  }
});
