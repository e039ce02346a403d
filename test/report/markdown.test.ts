/** The Markdown report's structure: headline, SLSA table, check table, roadmap, findings with links at the commit, unknowns. */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { Finding } from '../../src/check.js';
import { COMMIT, realistic } from './fixtures.js';
import { blocks, cells, linkTargets, liveText, longestBlankRun } from './md.js';

const O = { color: false, details: false };

describe('Markdown report', () => {
  it('headline: score, SLSA levels per framework, counts, target at the commit', async () => {
    const md = await renderMarkdown(realistic(), O);
    const lines = md.split('\n');
    expect(lines[0]).toBe('# slsa-scorecard report: acme/widget');
    expect(lines[2]).toBe('**Score 6.4 / 10** · **SLSA Build L1 · Source L1** · 6 checks · 11 findings · 2 could not be determined');
    expect(md).toContain(
      `Repository [acme/widget](https://github.com/acme/widget) on github.com at commit [\`${COMMIT.slice(0, 12)}\`](https://github.com/acme/widget/commit/${COMMIT}) (\`main\`)`,
    );
    const slsa = md.split('## SLSA levels')[1].split('\n\n')[1].split('\n');
    expect(slsa.slice(2).map(cells)).toEqual([
      ['SLSA v1.2 Build track', '**L1**', 'L2', 'L2: blocked by Provenance generation: Authentic'],
      ['SLSA v1.2 Source track', '**L1**', 'L4', 'L2: blocked by History'],
      ['SLSA v0.1', '**none**', 'L2', 'L1: blocked by Scripted build'],
    ]);
    expect(md).toContain('<details><summary>SLSA v1.2 Build track: requirements (1 met, 1 indicated, 1 not met, 1 unknown)</summary>');
    expect(md).toMatch(/\| Isolation strength: Isolated \| L3 \| ❔ unknown \| needs: GitHub Actions API \\\(actions: read\\\) \|/);
  });

  it('one table row per check: score, name, risk, reason', async () => {
    const a = realistic();
    const md = await renderMarkdown(a, O);
    const table = md.split('## Checks')[1].split('\n\n')[1].split('\n');
    expect(table[0]).toBe('| Score | Check | Risk | Reason |');
    const rows = table.slice(2).map(cells);
    expect(rows).toHaveLength(a.checks.length);
    expect(rows[1]).toEqual([
      '🔴 3',
      'Pinned-Dependencies',
      'medium',
      'dependency not pinned by hash detected \\-- score normalized to 3'.replace('\\-', '-'),
    ]);
    expect(rows[4]).toEqual(['⚪ ?', 'Signed-Tags', 'high', 'no tags']);
    expect(rows[5][1]).toBe('Has-Codeowners (module ./tools/codeowners-check.mjs)');
  });

  it('roadmap: ordered steps, snippets fenced, only our documentation links', async () => {
    const md = await renderMarkdown(realistic(), O);
    const road = md.split('## Roadmap')[1].split('## Findings')[0];
    expect(road).toContain('### SLSA v1.2 Build track: L1 → L2');
    expect(road).toContain('1. **Sign provenance on the hosted build platform** — Provenance generation: Authentic');
    expect(road).toContain('see [the docs](https://slsa.dev/spec/v1.2/build-requirements)');
    const fence = blocks(road).fences[0];
    expect(fence.info).toBe('yaml');
    expect(fence.body.join('\n')).toBe('   permissions:\n     id-token: write\n   steps:\n     - uses: actions/attest-build-provenance@v3');
    expect(road).toContain(
      `[\`.github/workflows/release.yml:12:7\`](https://github.com/acme/widget/blob/${COMMIT}/.github/workflows/release.yml#L12)`,
    );
  });

  it('findings grouped by check, linked to the file and line at the assessed commit, long lists folded', async () => {
    const md = await renderMarkdown(realistic(), O);
    const findings = md.split('## Findings')[1].split('## Could not be determined')[0];
    expect(findings).toContain('### Pinned-Dependencies (8 findings)');
    expect(findings).toContain('<details><summary>8 findings: 8 medium</summary>');
    expect(findings).toContain(
      `- **medium** [\`.github/workflows/ci.yml:9:15\`](https://github.com/acme/widget/blob/${COMMIT}/.github/workflows/ci.yml#L9) — third-party GitHubAction not pinned by hash: actions/checkout@v4 (\`GitHubAction\`)`,
    );
    expect(findings).toContain(`https://github.com/acme/widget/blob/${COMMIT}/scripts/setup%20dir/install.sh#L20`);
    expect(findings).toContain('  Fix: Pin `actions/checkout` to a full commit SHA.');
    const diff = blocks(findings).fences.find((f) => f.info === 'diff');
    expect(diff?.body[0]).toBe('  -      - uses: actions/checkout@v4');
    // Token-Permissions has one finding: not folded.
    expect(findings.split('### Token-Permissions')[1].split('###')[0]).not.toContain('<details>');
    expect(findings).toContain('- **medium** — no security policy file \\(SECURITY.md\\) found (`noSecurityPolicy`)');
    for (const url of linkTargets(liveText(md))) expect(url).toMatch(/^https:\/\/(github\.com\/acme\/widget(\/|$)|slsa\.dev\/)/);
  });

  it('unknowns say what would make them known', async () => {
    const md = await renderMarkdown(realistic(), O);
    const rows = md.split('## Could not be determined')[1].split('\n\n')[2].split('\n').slice(2).map(cells);
    expect(rows[0]).toEqual([
      'branchProtection',
      'not visible in a local checkout',
      'assess github.com/acme/widget with a token \\(Administration: read\\)',
      'Branch-Protection',
    ]);
  });

  it('GitLab links use /-/blob/ and line ranges; local targets have no links', async () => {
    const a = realistic({
      target: { platform: 'gitlab', host: 'gitlab.example.org', repo: 'group/sub/widget', commit: COMMIT, source: 'gitlab-api' },
    });
    a.checks[1].findings[0].location = { path: 'ci/.gitlab-ci.yml', line: 3, endLine: 5 };
    const md = await renderMarkdown(a, O);
    expect(md).toContain(`https://gitlab.example.org/group/sub/widget/-/blob/${COMMIT}/ci/.gitlab-ci.yml#L3-5`);
    const local = await renderMarkdown(
      realistic({ target: { platform: 'local', host: null, repo: null, commit: COMMIT, source: 'local', path: '/home/me/widget' } }),
      O,
    );
    expect(local).toContain('Local directory `widget` at commit `3f786850e387`');
    expect(linkTargets(liveText(local)).filter((u) => !u.startsWith('https://slsa.dev/'))).toEqual([]);
  });

  it('without SLSA results it says so; long finding lists are capped unless --details', async () => {
    const many: Finding[] = Array.from({ length: 40 }, (_, i) => ({
      rule: 'r',
      severity: 'low',
      message: `m${i}`,
      location: { path: 'a.sh', line: i + 1 },
    }));
    const a = realistic({ slsa: undefined });
    a.checks[0].findings = many;
    const md = await renderMarkdown(a, O);
    expect(md).toContain('*SLSA levels were not evaluated in this run.*');
    expect(md).not.toContain('## Roadmap');
    expect(md.split('\n')[2]).toBe('**Score 6.4 / 10** · 6 checks · 51 findings · 2 could not be determined');
    expect(md).toContain('- … and 10 more findings (all of them: `--details`, or `--format json` / `sarif`)');
    expect(md).not.toContain('m30');
    const all = await renderMarkdown(a, { color: false, details: true });
    expect(all).toContain('m39');
  });

  it('fits $GITHUB_STEP_SUMMARY: well-formed fences, no runs of blank lines, under 1 MiB', async () => {
    const md = await renderMarkdown(realistic(), O);
    expect(() => blocks(md)).not.toThrow();
    expect(longestBlankRun(md)).toBe(1);
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024);
  });
});
