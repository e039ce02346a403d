/**
 * SARIF 2.1.0 output, validated against the official schema (test/fixtures/sarif-schema-2.1.0.json,
 * see its README for where it comes from and the two repairs), plus what GitHub code scanning relies on.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { renderSarif, PLACEHOLDER_PATH } from '../../src/report/sarif.js';
import { assess } from '../../src/assessment.js';
import { LocalSource } from '../../src/sources/local/index.js';
import { builtinChecks } from '../../checks/index.js';
import { tempTree } from '../helpers/facts.js';
import { COMMIT, hostile, realistic } from './fixtures.js';

const SCHEMA_FILE = join(import.meta.dirname, '..', 'fixtures', 'sarif-schema-2.1.0.json');

function loadSchema(): Record<string, unknown> {
  const text = readFileSync(SCHEMA_FILE, 'utf8');
  expect(text.length).toBe(112785);
  const schema = JSON.parse(text);
  expect(schema.title).toBe('Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema');
  // Repair 1: the misplaced anyOf of `region`.
  const region = schema.definitions.region;
  expect(Array.isArray(region.properties.anyOf)).toBe(true);
  region.anyOf = region.properties.anyOf;
  delete region.properties.anyOf;
  // Repair 2: the inline (?i) flag ECMAScript lacks.
  for (const def of [schema.definitions.run, schema.definitions.toolComponent]) {
    expect(def.properties.language.pattern).toBe('^(?i)[a-zA]{2}(-[a-z]{2})?$');
    def.properties.language.pattern = '^[a-zA-Z]{2}(-[a-zA-Z]{2})?$';
  }
  return schema;
}

let validate: ValidateFunction;
beforeAll(() => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  validate = ajv.compile(loadSchema());
});

function valid(log: unknown): void {
  const ok = validate(log);
  expect(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
}

/** SARIF navigated loosely: the schema above checks its shape. */
type J = ReturnType<typeof JSON.parse>;
type Log = {
  runs: Array<{
    tool: { driver: { name: string; version: string; rules: Array<Record<string, J>> } };
    results: Array<Record<string, J>>;
    versionControlProvenance?: Array<Record<string, string>>;
    properties: Record<string, J>;
  }>;
};

describe('SARIF', () => {
  it('the schema rejects what it should (the validator is live)', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(
      validate({
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'x' } },
            results: [
              {
                message: { text: 'm' },
                locations: [{ physicalLocation: { artifactLocation: { uri: 'a b' }, region: { startColumn: 1 } } }],
              },
            ],
          },
        ],
      }),
    ).toBe(false);
  });

  it('a realistic assessment: valid, one rule per check, results at precise locations', () => {
    const a = realistic();
    const log = JSON.parse(renderSarif(a)) as Log;
    valid(log);
    const run = log.runs[0];
    expect(run.tool.driver).toMatchObject({ name: 'slsa-scorecard', version: '0.1.0' });
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(a.checks.map((c) => c.name));
    const pinned = run.tool.driver.rules[1];
    expect(pinned).toMatchObject({
      id: 'Pinned-Dependencies',
      shortDescription: { text: 'Pinned-Dependencies description.' },
      defaultConfiguration: { level: 'warning' },
      properties: { 'security-severity': '4.0', precision: 'high' },
    });
    expect(pinned.help.markdown).toContain('**Remediation**');
    expect(run.tool.driver.rules[2].properties['security-severity']).toBe('7.0');
    expect(run.results).toHaveLength(a.checks.reduce((n, c) => n + c.findings.length, 0));
    const first = run.results[0];
    expect(first).toMatchObject({
      ruleId: 'Pinned-Dependencies',
      ruleIndex: 1,
      level: 'warning',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: '.github/workflows/ci.yml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 9, startColumn: 15, endLine: 9, endColumn: 34, snippet: { text: '      - uses: actions/checkout@v4' } },
          },
        },
      ],
    });
    expect(first.message.text).toContain('Remediation: Pin `actions/checkout`');
    // A path with a space is a valid URI reference.
    expect(run.results[1].locations[0].physicalLocation.artifactLocation.uri).toBe('scripts/setup%20dir/install.sh');
    // Severity mapping: high → error, medium → warning, low → note.
    expect(run.results.find((r) => r.ruleId === 'Token-Permissions')!.level).toBe('error');
    expect(run.results.find((r) => r.ruleId === 'Has-Codeowners')!.level).toBe('note');
    expect(run.versionControlProvenance).toEqual([{ repositoryUri: 'https://github.com/acme/widget', revisionId: COMMIT, branch: 'main' }]);
    expect(run.properties.slsa[0]).toEqual({ id: 'slsa-v1.2-build', confirmed: 1, attainable: 2, next: 2 });
  });

  it("a finding without a location gets its check's file, else the placeholder GitHub accepts", () => {
    const a = realistic();
    const log = JSON.parse(renderSarif(a)) as Log;
    const policy = log.runs[0].results.find((r) => r.ruleId === 'Security-Policy')!;
    expect(policy.locations[0].physicalLocation.artifactLocation.uri).toBe(PLACEHOLDER_PATH);
    expect(policy.locations[0].physicalLocation.region.startLine).toBe(1);
    expect(policy.properties.placeholderLocation).toBe(true);
    const h = hostile();
    const evil = (JSON.parse(renderSarif(h)) as Log).runs[0].results.filter((r) => r.ruleId.startsWith('Evil'));
    // The second Evil finding has no location: it goes where the first one is.
    expect(evil[1].locations[0].physicalLocation.artifactLocation.uri).toBe(evil[0].locations[0].physicalLocation.artifactLocation.uri);
  });

  it('fingerprints are stable when lines move and distinct for repeated findings', () => {
    const a = realistic();
    const before = (JSON.parse(renderSarif(a)) as Log).runs[0].results.map((r) => r.partialFingerprints['slsaScorecard/v1']);
    for (const c of a.checks) for (const f of c.findings) if (f.location?.line) f.location.line += 5;
    const after = (JSON.parse(renderSarif(a)) as Log).runs[0].results.map((r) => r.partialFingerprints['slsaScorecard/v1']);
    expect(after).toEqual(before);
    expect(new Set(before).size).toBe(before.length);
  });

  it('hostile content and a local target without a remote stay valid', () => {
    valid(JSON.parse(renderSarif(hostile())));
    const local = realistic({
      target: { platform: 'local', host: null, repo: null, commit: null, source: 'local', path: '/x' },
      slsa: undefined,
    });
    const log = JSON.parse(renderSarif(local)) as Log;
    valid(log);
    expect(log.runs[0].versionControlProvenance).toBeUndefined();
  });

  it('a real assessment of a git repository is valid', async () => {
    const t = tempTree(
      {
        '.github/workflows/ci.yml':
          'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: curl -sSL https://example.com/i.sh | bash\n',
        Dockerfile: 'FROM node:20\nRUN npm install -g something\n',
      },
      { git: true },
    );
    try {
      const a = await assess(new LocalSource(t.dir), { checks: [...builtinChecks] });
      const log = JSON.parse(renderSarif(a)) as Log;
      valid(log);
      expect(log.runs[0].results.length).toBeGreaterThan(0);
    } finally {
      t.cleanup();
    }
  });
});
