/**
 * The portfolio's reports, built from `index.jsonl` alone (the per-repository assessment files are
 * read only to draw missing badges, one at a time):
 *
 * - `dashboard.html` — ONE self-contained page: inline CSS, inline SVG charts, one inline script
 *   (sort + filter), no request of any kind. The Content-Security-Policy allows exactly that style
 *   block and that script (by SHA-256) and nothing else. Template: templates/portfolio/dashboard.html.hbs,
 *   where `{{x}}` is Handlebars' HTML escaping and `{{{ }}}` is never used on repository data. The
 *   one JSON island (`<script type="application/json">`) has `<`, `>`, `&` and U+2028/9 escaped.
 * - `summary.md` — the same figures in Markdown, every repository-controlled string escaped (mdText).
 * - `repos.csv` — the table (plus one column per check), RFC 4180, formula-injection-safe (csv.ts).
 * - `badges/…svg` — with --badges, drawn here for any finished repository that has none yet.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type HandlebarsNs from 'handlebars';
import { renderBadge } from '../report/badge.js';
import { cleanText, mdCodeSpan, mdInline, mdText, oneLine, safeUrl } from '../report/escape.js';
import { FRAMEWORKS } from '../slsa/frameworks/index.js';
import { PACKAGE_ROOT, TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { Assessment } from '../assessment.js';
import { csvRow, type Cell } from './csv.js';
import { readIndex, writeAtomic } from './journal.js';
import { badgePath, isSafeRelative } from './names.js';
import type { IndexEntry } from './types.js';

export interface ReportFiles {
  dashboard: string;
  summary: string;
  csv: string;
  badges: number;
}

const TEMPLATE_DIR = join(PACKAGE_ROOT, 'templates', 'portfolio');
/** Heat-map rows at most (lowest scores first); the table has every repository. */
export const HEATMAP_ROWS = 400;
const FAILING_SHOWN = 15;
const BLOCKED_SHOWN = 12;

const FW_SHORT: Record<string, string> = { 'slsa-v1.2-build': 'Build', 'slsa-v1.2-source': 'Source', 'slsa-v0.1': 'v0.1' };
const FW_ORDER = ['slsa-v1.2-build', 'slsa-v1.2-source', 'slsa-v0.1'];

interface FrameworkInfo {
  id: string;
  short: string;
  name: string;
  levels: number[];
  levelNames: Record<number, string>;
  requirementNames: Map<string, string>;
}

function frameworkInfo(id: string): FrameworkInfo {
  const spec = FRAMEWORKS.find((f) => f.id === id);
  return {
    id,
    short: FW_SHORT[id] ?? cleanText(id),
    name: spec?.name ?? cleanText(id),
    levels: spec?.levels ?? [0, 1, 2, 3, 4],
    levelNames: spec?.levelNames ?? {},
    requirementNames: new Map((spec?.requirements ?? []).map((r) => [r.id, r.name])),
  };
}

const levelText = (f: FrameworkInfo, level: number | undefined) =>
  level === undefined ? '' : level < Math.min(...f.levels) ? 'none' : `L${level}`;

type Grade = 'good' | 'fair' | 'poor' | 'none';
const gradeOf = (s: number | null | undefined): Grade =>
  s === null || s === undefined ? 'none' : s >= 8 ? 'good' : s >= 5 ? 'fair' : 'poor';
const scoreText = (s: number | null | undefined) => (s === null || s === undefined ? '?' : Number.isInteger(s) ? String(s) : s.toFixed(1));
const heatClass = (s: number | null | undefined) => (s === null || s === undefined ? 'hn' : `h${Math.max(0, Math.min(10, Math.round(s)))}`);

export interface PortfolioView {
  entries: IndexEntry[];
  frameworks: FrameworkInfo[];
  checks: string[];
  ok: number;
  errors: number;
  meanScore: number | null;
  medianScore: number | null;
  histogram: Array<{ label: string; count: number }>;
  unscored: number;
  levels: Array<{
    fw: FrameworkInfo;
    counts: Array<{ level: number; label: string; name: string; confirmed: number; attainable: number }>;
  }>;
  failing: Array<{ fw: FrameworkInfo; id: string; name: string; notMet: number; blocks: IndexEntry[] }>;
  checkStats: Array<{ name: string; mean: number | null; failing: number; unknown: number }>;
}

/** Aggregates the latest entry of every repository. */
export function buildView(entries: IndexEntry[]): PortfolioView {
  const fwIds = new Set<string>();
  const checks: string[] = [];
  const checkSeen = new Set<string>();
  for (const e of entries) {
    for (const id of Object.keys(e.levels ?? {})) fwIds.add(id);
    for (const c of Object.keys(e.checks ?? {})) {
      if (!checkSeen.has(c)) {
        checkSeen.add(c);
        checks.push(c);
      }
    }
  }
  const rank = (id: string) => (FW_ORDER.includes(id) ? FW_ORDER.indexOf(id) : FW_ORDER.length);
  const frameworks = [...fwIds].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).map(frameworkInfo);
  const ok = entries.filter((e) => e.status === 'ok');
  const scores = ok.map((e) => e.score).filter((s): s is number => typeof s === 'number' && Number.isFinite(s));
  const sorted = [...scores].sort((a, b) => a - b);
  const mean = scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10 : null;
  const median = sorted.length
    ? sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]
      : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2
    : null;
  const histogram = Array.from({ length: 10 }, (_, i) => ({ label: i === 9 ? '9–10' : `${i}–${i + 1}`, count: 0 }));
  for (const s of scores) histogram[Math.min(9, Math.max(0, Math.floor(s)))].count++;

  const levels = frameworks.map((fw) => ({
    fw,
    counts: fw.levels.map((level) => ({
      level,
      label: levelText(fw, level),
      name: fw.levelNames[level] ?? '',
      confirmed: ok.filter((e) => e.levels?.[fw.id]?.confirmed === level).length,
      attainable: ok.filter((e) => e.levels?.[fw.id]?.attainable === level).length,
    })),
  }));
  // v0.1's "confirmed 0" means no level: count it as its own bucket.
  for (const l of levels) {
    const lowest = Math.min(...l.fw.levels);
    if (lowest > 0) {
      l.counts.unshift({
        level: lowest - 1,
        label: 'none',
        name: 'No level',
        confirmed: ok.filter((e) => (e.levels?.[l.fw.id]?.confirmed ?? lowest) < lowest).length,
        attainable: ok.filter((e) => (e.levels?.[l.fw.id]?.attainable ?? lowest) < lowest).length,
      });
    }
  }

  const failingMap = new Map<string, { fw: FrameworkInfo; id: string; name: string; notMet: number; blocks: IndexEntry[] }>();
  for (const e of ok) {
    for (const fw of frameworks) {
      const blocking = new Set(e.blocking?.[fw.id] ?? []);
      for (const id of e.failing?.[fw.id] ?? []) {
        const k = `${fw.id}\0${id}`;
        let f = failingMap.get(k);
        if (!f) failingMap.set(k, (f = { fw, id, name: fw.requirementNames.get(id) ?? id, notMet: 0, blocks: [] }));
        f.notMet++;
        if (blocking.has(id)) f.blocks.push(e);
      }
    }
  }
  const failing = [...failingMap.values()].sort(
    (a, b) => b.blocks.length - a.blocks.length || b.notMet - a.notMet || a.id.localeCompare(b.id),
  );

  const checkStats = checks.map((name) => {
    const vals = ok.map((e) => e.checks?.[name]);
    const nums = vals.filter((v): v is number => typeof v === 'number');
    return {
      name,
      mean: nums.length ? Math.round((nums.reduce((a, b) => a + b, 0) / nums.length) * 10) / 10 : null,
      failing: nums.filter((v) => v < 5).length,
      unknown: vals.filter((v) => v === null).length,
    };
  });

  return {
    entries,
    frameworks,
    checks,
    ok: ok.length,
    errors: entries.length - ok.length,
    meanScore: mean,
    medianScore: median,
    histogram,
    unscored: ok.length - scores.length,
    levels,
    failing,
    checkStats,
  };
}

// ───────────────────────────── HTML ─────────────────────────────

type Hb = typeof HandlebarsNs;
let compiled: Promise<{ template: HandlebarsNs.TemplateDelegate; css: string; js: string; hb: Hb }> | undefined;

async function loadDashboardTemplate() {
  compiled ??= (async () => {
    const Handlebars = ((await import('handlebars')) as unknown as { default: Hb }).default;
    const hb = Handlebars.create();
    hb.registerHelper('lt', (a: unknown, b: unknown) => Number(a) < Number(b));
    const [source, css, js] = await Promise.all([
      readFile(join(TEMPLATE_DIR, 'dashboard.html.hbs'), 'utf8'),
      readFile(join(TEMPLATE_DIR, 'dashboard.css'), 'utf8'),
      readFile(join(TEMPLATE_DIR, 'dashboard.js'), 'utf8'),
    ]);
    return { template: hb.compile(source, { strict: false, preventIndent: true }), css, js, hb };
  })();
  return compiled;
}

const sha256 = (s: string) => `sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}`;

/** JSON for a `<script type="application/json">` island: nothing in it can end the element or start markup. */
export function jsonForScript(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

interface Bar {
  x: number;
  y: number;
  w: number;
  h: number;
  label: string;
  count: number;
  tx: number;
  ty: number;
  cls: string;
}

function histogramBars(v: PortfolioView): { bars: Bar[]; width: number; height: number; max: number } {
  const width = 520;
  const height = 200;
  const top = 16;
  const bottom = 28;
  const max = Math.max(1, ...v.histogram.map((b) => b.count));
  const bw = (width - 20) / v.histogram.length;
  const bars = v.histogram.map((b, i) => {
    const h = Math.round(((height - top - bottom) * b.count) / max);
    const x = Math.round(10 + i * bw + 3);
    return {
      x,
      y: height - bottom - h,
      w: Math.round(bw - 6),
      h,
      label: b.label,
      count: b.count,
      tx: Math.round(x + (bw - 6) / 2),
      ty: height - bottom - h - 4,
      cls: i >= 8 ? 'good' : i >= 5 ? 'fair' : 'poor',
    };
  });
  return { bars, width, height, max };
}

function levelBars(v: PortfolioView) {
  const width = 520;
  return v.levels.map((l) => {
    const max = Math.max(1, ...l.counts.map((c) => c.confirmed));
    const rowH = 22;
    const labelW = 64;
    const rows = l.counts.map((c, i) => ({
      y: 6 + i * rowH,
      w: Math.round(((width - labelW - 60) * c.confirmed) / max),
      label: c.label,
      name: c.name,
      confirmed: c.confirmed,
      attainable: c.attainable,
      ty: 6 + i * rowH + 14,
      tx: labelW + Math.round(((width - labelW - 60) * c.confirmed) / max) + 6,
    }));
    return { fw: l.fw, rows, width, height: 12 + l.counts.length * rowH, labelW };
  });
}

function tableRows(v: PortfolioView) {
  return v.entries.map((e) => {
    const name = `${e.host}/${e.repo}`;
    const levels = v.frameworks.map((fw) => {
      const p = e.levels?.[fw.id];
      return {
        text: p ? `${levelText(fw, p.confirmed)}${p.attainable > p.confirmed ? ` (→ ${levelText(fw, p.attainable)})` : ''}` : '—',
        sort: p ? String(p.confirmed * 10 + Math.min(9, p.attainable)) : '',
      };
    });
    return {
      name: oneLine(name, 300),
      url: safeUrl(e.url) ?? '',
      platform: e.platform,
      ok: e.status === 'ok',
      status: e.status === 'ok' ? 'ok' : 'unknown',
      score: e.status === 'ok' ? scoreText(e.score) : '?',
      scoreSort: e.status === 'ok' && typeof e.score === 'number' ? String(e.score) : '',
      grade: e.status === 'ok' ? gradeOf(e.score) : 'none',
      levels,
      unknowns: e.status === 'ok' ? String(e.unknowns ?? 0) : '',
      reason: e.status === 'error' ? oneLine(e.reason ?? 'unknown', 500) : '',
      file: e.status === 'ok' && isSafeRelative(e.file, 'repos/') ? e.file : '',
      search: cleanText(`${name} ${e.platform} ${e.status === 'ok' ? 'ok' : 'unknown'}`).toLowerCase(),
    };
  });
}

function heatmap(v: PortfolioView) {
  const rows = [...v.entries]
    .filter((e) => e.status === 'ok')
    .sort((a, b) => (a.score ?? -1) - (b.score ?? -1) || a.key.localeCompare(b.key))
    .slice(0, HEATMAP_ROWS);
  return {
    columns: v.checks.map((c) => ({ name: oneLine(c, 60) })),
    rows: rows.map((e) => ({
      name: oneLine(`${e.host}/${e.repo}`, 200),
      score: scoreText(e.score),
      cells: v.checks.map((c) => {
        const s = e.checks?.[c];
        return {
          cls: s === undefined ? 'hx' : heatClass(s),
          text: s === undefined ? '' : scoreText(s),
          title: `${oneLine(c, 60)}: ${s === undefined ? 'not run' : scoreText(s)}`,
        };
      }),
    })),
    shown: rows.length,
    total: v.ok,
  };
}

export async function renderDashboard(v: PortfolioView, o: { generatedAt: Date }): Promise<string> {
  const { template, css, js } = await loadDashboardTemplate();
  const csp = [
    "default-src 'none'",
    `style-src '${sha256(css)}'`,
    `script-src '${sha256(js)}'`,
    "img-src 'none'",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const hb = (await loadDashboardTemplate()).hb;
  const failing = v.failing.slice(0, FAILING_SHOWN).map((f) => ({
    framework: f.fw.short,
    id: f.id,
    name: f.name,
    notMet: f.notMet,
    blocked: f.blocks.length,
    repos: f.blocks.slice(0, BLOCKED_SHOWN).map((e) => oneLine(`${e.host}/${e.repo}`, 200)),
    more: Math.max(0, f.blocks.length - BLOCKED_SHOWN),
  }));
  const data = {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    generatedAt: o.generatedAt.toISOString(),
    repositories: v.entries.length,
    assessed: v.ok,
    unknown: v.errors,
    meanScore: v.meanScore,
    medianScore: v.medianScore,
    levels: Object.fromEntries(v.levels.map((l) => [l.fw.id, Object.fromEntries(l.counts.map((c) => [c.label, c.confirmed]))])),
  };
  return template({
    page: { csp, css: new hb.SafeString(css), js: new hb.SafeString(js), data: new hb.SafeString(jsonForScript(data)) },
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    generatedAt: o.generatedAt.toISOString(),
    generatedText: o.generatedAt
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC'),
    total: v.entries.length,
    ok: v.ok,
    errors: v.errors,
    mean: v.meanScore === null ? '?' : scoreText(v.meanScore),
    median: v.medianScore === null ? '?' : scoreText(v.medianScore),
    frameworks: v.frameworks.map((f) => ({ short: f.short, name: f.name })),
    histogram: histogramBars(v),
    unscored: v.unscored,
    levelCharts: levelBars(v),
    failing,
    checkStats: v.checkStats.map((c) => ({
      name: oneLine(c.name, 60),
      mean: c.mean === null ? '?' : scoreText(c.mean),
      failing: c.failing,
      unknown: c.unknown,
      cls: heatClass(c.mean),
    })),
    heat: heatmap(v),
    rows: tableRows(v),
  });
}

// ───────────────────────────── Markdown ─────────────────────────────

export function renderSummaryMd(v: PortfolioView, o: { generatedAt: Date }): string {
  const out: string[] = [];
  const cell = (s: unknown) => mdText(oneLine(s, 300));
  out.push(`# Portfolio summary`, '');
  out.push(`${mdInline(TOOL_NAME)} ${mdInline(TOOL_VERSION)} · ${mdInline(o.generatedAt.toISOString())}`, '');
  out.push(
    `**${v.entries.length}** repositories: **${v.ok}** assessed, **${v.errors}** unknown (could not be assessed). ` +
      `Mean score **${v.meanScore === null ? '?' : scoreText(v.meanScore)}**, median **${v.medianScore === null ? '?' : scoreText(v.medianScore)}**.`,
    '',
  );
  out.push('## SLSA levels (confirmed)', '');
  if (v.levels.length) {
    out.push(`| Level | ${v.levels.map((l) => mdText(l.fw.short)).join(' | ')} |`, `|---|${v.levels.map(() => '---:').join('|')}|`);
    const labels = [...new Set(v.levels.flatMap((l) => l.counts.map((c) => c.label)))].sort((a, b) =>
      a === 'none' ? -1 : b === 'none' ? 1 : a.localeCompare(b),
    );
    for (const label of labels) {
      out.push(
        `| ${mdText(label)} | ${v.levels.map((l) => String(l.counts.find((c) => c.label === label)?.confirmed ?? '—')).join(' | ')} |`,
      );
    }
  } else out.push('No SLSA results.');
  out.push('', '## Scores', '', '| Score | Repositories |', '|---|---:|');
  for (const b of v.histogram) out.push(`| ${b.label} | ${b.count} |`);
  if (v.unscored) out.push(`| not scored | ${v.unscored} |`);
  out.push('', '## Most common failing SLSA requirements', '');
  if (v.failing.length === 0) out.push('None.');
  else {
    out.push('| Framework | Requirement | Not met | Blocks the next level of | Repositories blocked |', '|---|---|---:|---:|---|');
    for (const f of v.failing.slice(0, FAILING_SHOWN)) {
      const repos = f.blocks.slice(0, 8).map((e) => mdCodeSpan(oneLine(`${e.host}/${e.repo}`, 200)));
      const more = f.blocks.length > 8 ? ` and ${f.blocks.length - 8} more` : '';
      out.push(
        `| ${mdText(f.fw.short)} | ${cell(f.name)} (${mdCodeSpan(f.id)}) | ${f.notMet} | ${f.blocks.length} | ${repos.join(', ')}${more} |`,
      );
    }
  }
  out.push('', '## Checks', '', '| Check | Mean score | Below 5 | Unknown |', '|---|---:|---:|---:|');
  for (const c of v.checkStats)
    out.push(`| ${cell(c.name)} | ${c.mean === null ? '?' : scoreText(c.mean)} | ${c.failing} | ${c.unknown} |`);
  const worst = v.entries
    .filter((e) => e.status === 'ok')
    .sort((a, b) => (a.score ?? -1) - (b.score ?? -1))
    .slice(0, 20);
  if (worst.length) {
    out.push(
      '',
      '## Lowest scores',
      '',
      `| Repository | Score | ${v.frameworks.map((f) => mdText(f.short)).join(' | ')} |`,
      `|---|---:|${v.frameworks.map(() => '---').join('|')}|`,
    );
    for (const e of worst) {
      out.push(
        `| ${cell(`${e.host}/${e.repo}`)} | ${scoreText(e.score)} | ${v.frameworks.map((f) => mdText(levelText(f, e.levels?.[f.id]?.confirmed) || '—')).join(' | ')} |`,
      );
    }
  }
  const errs = v.entries.filter((e) => e.status === 'error');
  if (errs.length) {
    out.push('', '## Not assessed (unknown)', '', '| Repository | Reason |', '|---|---|');
    for (const e of errs.slice(0, 200)) out.push(`| ${cell(`${e.host}/${e.repo}`)} | ${cell(e.reason ?? 'unknown')} |`);
    if (errs.length > 200) out.push('', `… and ${errs.length - 200} more (see repos.csv).`);
  }
  out.push(
    '',
    `Every repository: \`repos.csv\`, \`dashboard.html\`; each assessment: \`repos/<platform>/<host>/<owner>/<repo>.json\`.`,
    '',
  );
  return out.join('\n');
}

// ───────────────────────────── CSV ─────────────────────────────

export function renderCsv(v: PortfolioView): string {
  const head: Cell[] = ['repository', 'platform', 'host', 'url', 'status', 'score'];
  for (const f of v.frameworks) head.push(`${f.short} confirmed`, `${f.short} attainable`);
  head.push('unknown facts', 'reason', 'assessment file', ...v.checks);
  const lines = [csvRow(head)];
  for (const e of v.entries) {
    const row: Cell[] = [
      e.repo,
      e.platform,
      e.host,
      e.url,
      e.status === 'ok' ? 'ok' : 'unknown',
      e.status === 'ok' ? (e.score ?? null) : null,
    ];
    for (const f of v.frameworks) {
      const p = e.levels?.[f.id];
      row.push(p ? levelText(f, p.confirmed) : null, p ? levelText(f, p.attainable) : null);
    }
    row.push(e.status === 'ok' ? (e.unknowns ?? 0) : null, e.status === 'error' ? (e.reason ?? 'unknown') : null, e.file ?? null);
    for (const c of v.checks) row.push(e.checks?.[c] ?? null);
    lines.push(csvRow(row));
  }
  return lines.join('');
}

// ───────────────────────────── All of it ─────────────────────────────

export async function buildReports(root: string, o: { badges: boolean; log?: (line: string) => void; now?: Date }): Promise<ReportFiles> {
  const { entries } = await readIndex(root);
  const list = [...entries.values()].sort((a, b) => a.key.localeCompare(b.key));
  entries.clear();
  let badges = 0;
  if (o.badges) {
    for (const e of list) {
      if (e.status !== 'ok' || !isSafeRelative(e.file, 'repos/')) continue;
      const rel = badgePath(e);
      try {
        await stat(join(root, rel));
        continue;
      } catch {
        /* draw it */
      }
      try {
        const a = JSON.parse(await readFile(join(root, e.file), 'utf8')) as Assessment;
        await writeAtomic(root, rel, renderBadge(a));
        badges++;
      } catch (err) {
        o.log?.(`badge for ${oneLine(`${e.host}/${e.repo}`, 200)} not drawn: ${(err as Error).message}`);
      }
    }
  }
  const view = buildView(list);
  const now = o.now ?? new Date();
  await writeAtomic(root, 'dashboard.html', await renderDashboard(view, { generatedAt: now }));
  await writeAtomic(root, 'summary.md', renderSummaryMd(view, { generatedAt: now }));
  await writeAtomic(root, 'repos.csv', renderCsv(view));
  return { dashboard: join(root, 'dashboard.html'), summary: join(root, 'summary.md'), csv: join(root, 'repos.csv'), badges };
}
