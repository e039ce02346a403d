// Copies the response examples of GitHub's official OpenAPI description (@octokit/openapi) that the
// fake's fixtures are built from into test/fixtures/github/openapi-examples.json (run: node test/fake-github/extract-examples.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'));
const names = [
  'full-repository-default-response',
  'release-items',
  'release-asset',
  'git-tag',
  'repository-rule-items',
  'workflow-run-paginated',
  'hook-items',
  'actions-default-workflow-permissions',
  'contributor-items-response-if-repository-contains-content',
  'branch-get',
  'branch-protection',
  'commit-items',
  'git-ref-items',
  'content-file-response-if-content-is-a-directory',
  'list-attestations',
  'list-attestations-bulk',
];
const out = {};
for (const n of names) out[n] = spec.components.examples[n].value;
writeFileSync(new URL('../fixtures/github/openapi-examples.json', import.meta.url), JSON.stringify(out, null, 2) + '\n');
console.log(`wrote ${names.length} examples`);
