/**
 * Assessments for the renderer tests, built directly: a realistic one (GitHub repository, SLSA
 * frameworks, findings with locations and snippets, unknowns, a third-party check) and a hostile
 * one where everything the repository controls carries an injection payload.
 */
import type { Assessment } from '../../src/assessment.js';
import type { CheckResult } from '../../src/engine.js';
import type { FrameworkResult, SlsaResult } from '../../src/slsa/types.js';

export const COMMIT = '3f786850e387550fdab836ed7e6dc881de23001b';

/** Each payload sets window.__pwned or opens a dialog if it ever runs. */
export const XSS = {
  script: '<script>window.__pwned=1;alert(1)</script>',
  img: '"><img src=x onerror="window.__pwned=2;alert(2)">',
  svg: '<svg onload="window.__pwned=3"><a href=\'javascript:window.__pwned=4\'>x</a></svg>',
  mdLink: '[x](javascript:alert(1))',
  mdImage: '![x](https://evil.example/x.png)',
  cdata: ']]><!-- <x>',
  control: 'bell\u0007 esc\u001b[31m null\u0000 rtl\u202eevil del\u007f',
  fence: '```\n</code></pre><script>window.__pwned=5</script>\n~~~',
  html: '<iframe src="https://evil.example/"></iframe><style>body{display:none}</style>',
  mention: '@octocat #1 $x^2$ | pipe *em* _u_ ~~s~~',
} as const;

export const ALL = Object.values(XSS).join(' ');

function chk(name: string, c: Partial<CheckResult> & Pick<CheckResult, 'score' | 'risk' | 'reason'>): CheckResult {
  return {
    name,
    description: `${name} description.`,
    findings: [],
    evidence: [],
    unknowns: [],
    slsa: [],
    documentation: { remediation: [`Fix ${name}.`] },
    durationMs: 1,
    ...c,
  };
}

function frameworks(): FrameworkResult[] {
  return [
    {
      id: 'slsa-v1.2-build',
      name: 'SLSA v1.2 Build track',
      levels: [0, 1, 2, 3],
      confirmed: 1,
      attainable: 2,
      next: 2,
      blocking: ['build.provenance-authentic'],
      roadmap: [
        {
          requirement: 'build.provenance-authentic',
          title: 'Sign provenance on the hosted build platform',
          action:
            'Use `actions/attest-build-provenance` with `permissions: id-token: write` — see [the docs](https://slsa.dev/spec/v1.2/build-requirements).\n\n- one\n- two',
          snippet: { language: 'yaml', code: 'permissions:\n  id-token: write\nsteps:\n  - uses: actions/attest-build-provenance@v3\n' },
          evidence: [
            {
              check: 'Provenance',
              kind: 'provenanceGenerator',
              message: 'no signing step in release.yml',
              location: { path: '.github/workflows/release.yml', line: 12, column: 7 },
            },
          ],
        },
      ],
      requirements: [
        {
          id: 'build.provenance-exists',
          name: 'Provenance generation: Exists',
          category: 'Platform',
          state: 'met',
          levels: [1, 2, 3],
          evidence: [{ message: 'verified attestation for v1.2.0' }],
          remediation: null,
        },
        {
          id: 'build.provenance-authentic',
          name: 'Provenance generation: Authentic',
          category: 'Platform',
          state: 'not_met',
          levels: [2, 3],
          evidence: [
            { check: 'Provenance', message: 'provenance is unsigned', location: { path: '.github/workflows/release.yml', line: 12 } },
          ],
          remediation: 'Sign provenance with Sigstore.',
        },
        {
          id: 'build.isolated',
          name: 'Isolation strength: Isolated',
          category: 'Platform',
          state: 'unknown',
          levels: [3],
          evidence: [],
          remediation: 'Use hosted runners.',
          needs: 'GitHub Actions API (actions: read)',
        },
        {
          id: 'build.hosted',
          name: 'Isolation strength: Hosted',
          category: 'Platform',
          state: 'indicated',
          levels: [2, 3],
          evidence: [{ message: 'runs-on: ubuntu-latest' }],
          remediation: null,
        },
      ],
    },
    {
      id: 'slsa-v1.2-source',
      name: 'SLSA v1.2 Source track',
      levels: [0, 1, 2, 3, 4],
      confirmed: 1,
      attainable: 4,
      next: 2,
      blocking: ['source.history'],
      roadmap: [],
      requirements: [
        {
          id: 'source.history',
          name: 'History',
          category: 'Source',
          state: 'unknown',
          levels: [2, 3, 4],
          evidence: [],
          remediation: null,
          needs: 'a token that can read branch protection (Administration: read)',
        },
      ],
    },
    {
      id: 'slsa-v0.1',
      name: 'SLSA v0.1',
      levels: [1, 2, 3, 4],
      confirmed: 0,
      attainable: 2,
      next: 1,
      blocking: ['build.scripted'],
      roadmap: [],
      requirements: [
        {
          id: 'build.scripted',
          name: 'Scripted build',
          category: 'Build',
          state: 'indicated',
          levels: [1, 2, 3, 4],
          evidence: [],
          remediation: null,
        },
      ],
    },
  ];
}

export function realistic(over: Partial<Assessment> = {}): Assessment {
  const slsa: SlsaResult = { frameworks: frameworks() };
  return {
    schemaVersion: '1.0.0',
    tool: { name: 'slsa-scorecard', version: '0.1.0' },
    target: {
      platform: 'github',
      host: 'github.com',
      repo: 'acme/widget',
      commit: COMMIT,
      source: 'local',
      path: '/src/widget',
      branch: 'main',
      url: 'https://github.com/acme/widget',
    },
    date: '2026-03-01T12:00:00.000Z',
    score: 6.4,
    checks: [
      chk('Binary-Artifacts', { score: 10, risk: 'high', reason: 'no binaries found in the repository' }),
      chk('Pinned-Dependencies', {
        score: 3,
        risk: 'medium',
        reason: 'dependency not pinned by hash detected -- score normalized to 3',
        findings: [
          {
            rule: 'GitHubAction',
            severity: 'medium',
            message: 'third-party GitHubAction not pinned by hash: actions/checkout@v4',
            location: { path: '.github/workflows/ci.yml', line: 9, column: 15, endLine: 9, endColumn: 34 },
            snippet: '      - uses: actions/checkout@v4',
            remediation: {
              text: 'Pin `actions/checkout` to a full commit SHA.',
              patch:
                '-      - uses: actions/checkout@v4\n+      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0',
            },
          },
          ...Array.from({ length: 7 }, (_, i) => ({
            rule: 'pipCommand',
            severity: 'medium' as const,
            message: `pip install without --require-hashes (${i + 1})`,
            location: { path: 'scripts/setup dir/install.sh', line: 20 + i, column: 1 },
          })),
        ],
      }),
      chk('Token-Permissions', {
        score: 0,
        risk: 'high',
        reason: 'detected GitHub workflow tokens with excessive permissions',
        findings: [
          {
            rule: 'topLevelWritePermission',
            severity: 'high',
            message: 'top-level permissions: write-all',
            location: { path: '.github/workflows/release.yml', line: 4, column: 1 },
          },
        ],
      }),
      chk('Security-Policy', {
        score: 0,
        risk: 'medium',
        reason: 'security policy file not detected',
        findings: [
          {
            rule: 'noSecurityPolicy',
            severity: 'medium',
            message: 'no security policy file (SECURITY.md) found',
            remediation: { text: 'Add a SECURITY.md.' },
          },
        ],
      }),
      chk('Signed-Tags', {
        score: null,
        risk: 'high',
        reason: 'no tags',
        unknowns: [{ fact: 'tags', reason: 'shallow clone', needs: 'git fetch --tags' }],
      }),
      chk('Has-Codeowners', {
        score: 0,
        risk: 'low',
        reason: 'no CODEOWNERS file',
        module: './tools/codeowners-check.mjs',
        findings: [{ rule: 'noCodeowners', severity: 'low', message: 'no CODEOWNERS file' }],
      }),
    ],
    slsa,
    unknowns: [
      {
        fact: 'branchProtection',
        reason: 'not visible in a local checkout',
        needs: 'assess github.com/acme/widget with a token (Administration: read)',
        checks: ['Branch-Protection'],
      },
      { fact: 'tags', reason: 'shallow clone', needs: 'git fetch --tags', checks: ['Signed-Tags'] },
    ],
    diagnostics: [{ path: 'vendor/big.bin', message: 'larger than 5 MB: not read' }],
    requests: { total: 0, rest: 0, graphql: 0, cached: 0, retries: 0 },
    durationMs: 42,
    ...over,
  };
}

/** Every repository-controlled string carries payloads: check names, reasons, messages, snippets, paths, the repository. */
export function hostile(): Assessment {
  const a = realistic();
  const p = ALL;
  a.target = { ...a.target, repo: `acme/${XSS.img}`, branch: `main${XSS.script}`, path: `/tmp/${XSS.script}` };
  a.checks = [
    ...a.checks,
    chk(`Evil${XSS.script}`, {
      score: 1,
      risk: 'critical',
      reason: `reason ${p}`,
      description: `description ${p}`,
      module: `./${XSS.img}.mjs`,
      documentation: { url: 'javascript:alert(1)', remediation: [`remediation ${p}`] },
      findings: [
        {
          rule: `rule${XSS.img}`,
          severity: 'critical',
          message: `message ${p}`,
          location: { path: `dir/${XSS.script}/${XSS.mdLink}.yml`, line: 3, column: 2 },
          snippet: `snippet ${p}`,
          remediation: { text: `fix ${p}`, patch: `patch ${p}` },
        },
        { rule: 'noLocation', severity: 'high', message: `no location ${XSS.mdImage}` },
      ],
      evidence: [{ kind: 'x', message: `evidence ${p}`, location: { path: `ev/${XSS.cdata}.txt`, line: 1 } }],
      unknowns: [{ fact: `fact${XSS.script}`, reason: `reason ${p}`, needs: `needs ${p}` }],
    }),
  ];
  a.unknowns = [...a.unknowns, { fact: `fact${XSS.script}`, reason: `reason ${p}`, needs: `needs ${p}`, checks: [`Evil${XSS.script}`] }];
  a.diagnostics = [{ path: `d/${XSS.script}`, message: `diag ${p}` }];
  const fw = a.slsa!.frameworks[0];
  fw.name = `Build ${XSS.svg}`;
  fw.requirements[1].evidence.push({ message: `evidence ${p}`, location: { path: `x/${XSS.img}`, line: 2 } });
  fw.requirements[2].needs = `needs ${p}`;
  fw.roadmap[0].evidence.push({ message: `roadmap evidence ${p}` });
  fw.roadmap[0].snippet = { language: `yaml${XSS.script}`, code: `code ${p}` };
  // Roadmap text is ours, but a value interpolated into it must still not escape.
  fw.roadmap[0].action += `\n\n${p}\n\n- item ${XSS.mdLink}`;
  fw.roadmap[0].title = `title ${p}`;
  return a;
}
