/**
 * Repository-controlled text through the portfolio reports: names an API returns (`<script>`,
 * `"><img onerror>`, CSV formula payloads), failure reasons that quote them, and a third-party
 * check whose id and reason are payloads. The dashboard runs none of it (Chromium: no dialog, no
 * `window.__pwned`, no request, no CSP violation) and shows it as text; the Markdown summary has no
 * raw HTML and no broken table; the CSV parses back with every cell intact and no cell a formula.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinChecks } from '../../checks/index.js';
import { defineCheck } from '../../src/check.js';
import { buildView, jsonForScript, renderCsv, renderDashboard, renderSummaryMd } from '../../src/portfolio/dashboard.js';
import { assessmentPath, badgePath, safeSegment } from '../../src/portfolio/names.js';
import type { IndexEntry } from '../../src/portfolio/types.js';
import { XSS } from '../report/fixtures.js';
import { openFile, RUN_BROWSER } from './browser.js';
import { githubOrg, indexLines, run, tempDir, type GitHubSetup, removeTempDirs } from './helpers.js';

afterAll(() => removeTempDirs());

const FORMULA = "=cmd|' /C calc'!A0";
const HOSTILE_NAMES = [
  `acme/${XSS.script}`,
  `acme/${XSS.img}`,
  `acme/${FORMULA}`,
  'acme/+SUM(1,2)',
  'acme/@import',
  'acme/-2+3',
  'acme/x\u202egnp.exe',
];

/** RFC 4180: quoted fields, doubled quotes, CRLF records. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

const evilCheck = defineCheck({
  id: `Evil-${XSS.script}${FORMULA}`,
  risk: 'low',
  description: XSS.img,
  facts: ['repository'],
  remediation: [XSS.script],
  run: () => ({ score: 3, reason: Object.values(XSS).join(' ') }),
});

function expectNoRawMarkup(html: string): void {
  expect(html).not.toMatch(/<img/i);
  expect(html).not.toMatch(/<iframe/i);
  expect(html).not.toMatch(/<svg onload/i);
  expect(html).not.toMatch(/\bonerror=/i);
  expect(html).not.toMatch(/(href|src|action)\s*=\s*["']?\s*javascript:/i);
  // Exactly two script elements: the JSON island and the page's own script.
  expect(html.match(/<script/gi)).toHaveLength(2);
  expect(html).toMatch(/<script type="application\/json" id="portfolio-data">[^<]*<\/script>/);
}

describe('repository-controlled text in the portfolio reports', () => {
  let gh: GitHubSetup;
  let dir: string;
  let entries: IndexEntry[];

  beforeAll(async () => {
    gh = await githubOrg({ count: 3, seed: 2, extraListed: HOSTILE_NAMES.map((name) => ({ name })) });
    dir = tempDir('escaping');
    await run(gh, dir, {
      checks: [...builtinChecks.filter((c) => ['License', 'Security-Policy'].includes(c.id)), evilCheck],
      badges: true,
    });
    entries = indexLines(dir);
  }, 60_000);
  afterAll(async () => gh?.close());

  it('names the API returns that are not repository names are recorded as unknown, never requested', () => {
    for (const name of HOSTILE_NAMES) {
      const e = entries.find((x) => x.repo === name);
      expect(e?.status, name).toBe('error');
      expect(e?.reason).toContain('not a valid GitHub repository name');
    }
    expect(entries.filter((e) => e.status === 'ok').length).toBeGreaterThanOrEqual(3);
    const requested = [...gh.front.routes.keys()].join('\n');
    expect(requested).not.toMatch(/script|img|calc|SUM/);
  });

  it('dashboard.html: no markup from the data, the text shown as text', () => {
    const html = readFileSync(join(dir, 'dashboard.html'), 'utf8');
    expectNoRawMarkup(html);
    expect(html).toContain('&lt;script&gt;window.__pwned&#x3D;1;alert(1)&lt;/script&gt;');
  });

  it.skipIf(!RUN_BROWSER)(
    'dashboard.html in Chromium: nothing runs, nothing is requested, the payloads read as text',
    { timeout: 60_000 },
    async () => {
      const b = await openFile(join(dir, 'dashboard.html'));
      try {
        expect(await b.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
        expect(b.problems).toEqual([]);
        expect(b.requests).toHaveLength(1);
        const text = (await b.page.textContent('#repos')) ?? '';
        expect(text).toContain(XSS.script);
        expect(text).toContain(FORMULA);
        expect(await b.page.locator('#repos img, #repos script, #repos iframe').count()).toBe(0);
        const heat = (await b.page.textContent('table.heat thead')) ?? '';
        expect(heat).toContain(`Evil-${XSS.script}`);
        // The filter still works on hostile rows.
        await b.page.fill('#filter', 'onerror');
        expect(await b.page.textContent('#shown')).toBe('1');
        const data = JSON.parse((await b.page.textContent('#portfolio-data')) ?? '{}') as { repositories?: number };
        expect(data.repositories).toBe(entries.length);
      } finally {
        await b.close();
      }
    },
  );

  it('summary.md: no raw HTML, table rows intact', () => {
    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(md).not.toMatch(/<(script|img|iframe|svg)/i);
    for (const line of md.split('\n').filter((l) => l.startsWith('| ') && l.includes('not a valid'))) {
      // Two unescaped pipes inside the row → cells would split: count only the structural ones.
      expect(line.replace(/\\\|/g, '').split('|')).toHaveLength(4);
    }
    expect(md).toContain('&lt;script&gt;');
  });

  it('repos.csv: RFC 4180 round trip, no cell starts a formula', () => {
    const rows = parseCsv(readFileSync(join(dir, 'repos.csv'), 'utf8'));
    const width = rows[0].length;
    expect(rows.every((r) => r.length === width)).toBe(true);
    expect(rows).toHaveLength(entries.length + 1);
    for (const r of rows) for (const cell of r) expect(cell, cell).not.toMatch(/^[\s]*[=+\-@]/);
    const header = rows[0];
    expect(header).toContain(`Evil-${XSS.script}${FORMULA}`);
    const repoCol = header.indexOf('repository');
    expect(rows.map((r) => r[repoCol])).toContain(`acme/${FORMULA}`);
  });

  it('renderers: every string a payload, formulas at the start of cells', async () => {
    const evil = (x: string) => `${FORMULA}${x}`;
    const e: IndexEntry = {
      v: 1,
      key: 'github/evil/x',
      platform: 'github',
      host: evil(XSS.img),
      repo: evil(XSS.script),
      url: `javascript:alert(1)//${XSS.img}`,
      status: 'ok',
      file: `repos/${XSS.script}`,
      score: 4,
      levels: { 'slsa-v1.2-build': { confirmed: 0, attainable: 1 }, [XSS.script]: { confirmed: 1, attainable: 2 } },
      checks: { [evil(XSS.svg)]: 2, [XSS.html]: null },
      failing: { 'slsa-v1.2-build': [XSS.img], [XSS.script]: [XSS.fence] },
      blocking: { 'slsa-v1.2-build': [XSS.img], [XSS.script]: [XSS.fence] },
      unknowns: 1,
      attempts: 1,
      durationMs: 1,
      finishedAt: XSS.script,
    };
    const err: IndexEntry = {
      ...e,
      key: 'github/evil/y',
      status: 'error',
      reason: `${evil(XSS.control)} ${XSS.mdLink} ${XSS.mention}`,
      file: undefined,
    };
    const view = buildView([e, err]);
    const html = await renderDashboard(view, { generatedAt: new Date(0) });
    expectNoRawMarkup(html);
    expect(html).not.toContain('href="repos/<'); // unsafe file paths are not linked
    expect(html).not.toContain('\u202e');
    const md = renderSummaryMd(view, { generatedAt: new Date(0) });
    // Code spans show their content literally (CommonMark): markup inside them is text.
    const outsideCode = md.replace(/(`+)[^`][\s\S]*?[^`]\1(?!`)/g, '');
    expect(outsideCode).not.toMatch(/<(script|img|iframe|svg|style)/i);
    expect(md).toContain('&lt;script&gt;');
    expect(md).not.toMatch(/\]\(javascript:/);
    const csv = parseCsv(renderCsv(view));
    expect(csv.every((r) => r.length === csv[0].length)).toBe(true);
    for (const r of csv) for (const cell of r) expect(cell, cell).not.toMatch(/^[\s]*[=+\-@]/);
    expect(jsonForScript({ a: '</script><!--\u2028' })).toBe('{"a":"\\u003c/script\\u003e\\u003c!--\\u2028"}');
  });

  it('file names from hostile names stay inside their directory', () => {
    for (const name of [
      ...HOSTILE_NAMES,
      'acme/..',
      'acme/.',
      'acme/.git',
      'acme/CON',
      'a/b/../../etc/passwd',
      'acme/x'.padEnd(400, 'y'),
    ]) {
      const p = assessmentPath({ platform: 'github', host: 'github.com', repo: name });
      expect(p).toMatch(/^repos\/github\/github\.com\/[^/]+\/.+\.json$/);
      expect(p.split('/').every((s) => s !== '..' && s !== '.' && !s.startsWith('.') && s.length <= 125)).toBe(true);
      expect(p).not.toMatch(/[<>"'\\|?*\u0000-\u001f\u202e]/);
      expect(badgePath({ platform: 'github', host: 'github.com', repo: name })).toMatch(/^badges\/.+\.svg$/);
    }
    expect(safeSegment('A.B')).toBe(safeSegment('a.b')); // case-insensitive platforms, case-insensitive file systems
    expect(safeSegment('a/b')).not.toBe(safeSegment('a_b'));
  });
});
