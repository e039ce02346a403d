/**
 * SARIF 2.1.0 (`--format sarif`) for GitHub code scanning (`github/codeql-action/upload-sarif`).
 *
 * - One rule per check (id and name = the check's name), with its description, help text and
 *   Markdown (what it looks at, how to fix it), `defaultConfiguration.level`, and the properties
 *   GitHub reads: `security-severity` (Scorecard's 9.0/7.0/4.0/1.0 by risk), `precision`, `tags`.
 * - One result per finding, level mapped like Scorecard (critical/high → error, medium → warning,
 *   low/info → note), at its precise location: `artifactLocation.uri` relative to the repository
 *   root with `uriBaseId: %SRCROOT%`, `region` start/end line and column (UTF-16 columns, 1-based).
 * - GitHub needs a location on every result. A finding without one is placed where its check's
 *   other findings or evidence point (the file that is relevant to it), else — as Scorecard does —
 *   on a placeholder path (`no-file-associated-with-this-alert`), line 1; such results carry
 *   `properties.placeholderLocation: true`.
 * - `partialFingerprints["slsaScorecard/v1"]`: a hash of check, rule, path and message (not the line,
 *   so an alert survives code moving), with an occurrence counter for identical findings.
 * - `versionControlProvenance` when the repository URL and commit are known; the run's SLSA levels
 *   and aggregate score go in `run.properties`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Assessment } from '../assessment.js';
import type { Finding, Risk, Severity } from '../check.js';
import type { CheckResult } from '../engine.js';
import type { Location } from '../facts/model.js';
import { PACKAGE_ROOT } from '../version.js';
import { cleanText, mdRich, mdText, oneLine, sarifText, safeUrl } from './escape.js';
import { encodePath, formatScore } from './view.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const PLACEHOLDER_PATH = 'no-file-associated-with-this-alert';

type Level = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
const SECURITY_SEVERITY: Record<Risk, string> = { critical: '9.0', high: '7.0', medium: '4.0', low: '1.0' };
const PROBLEM_SEVERITY: Record<Risk, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'recommendation' };

export function renderSarif(a: Assessment): string {
  const rules = a.checks.map(rule);
  const ruleIndex = new Map(a.checks.map((c, i) => [c.name, i]));
  const seen = new Map<string, number>();
  const results = a.checks.flatMap((c) => (c.findings ?? []).map((f) => result(a, c, f, ruleIndex.get(c.name) ?? 0, seen)));
  const vcs = versionControl(a);
  const info = informationUri();
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: a.tool.name,
            version: a.tool.version,
            semanticVersion: a.tool.version,
            ...(info ? { informationUri: info } : {}),
            rules,
          },
        },
        automationDetails: { id: `${a.tool.name}/` },
        ...(vcs ? { versionControlProvenance: [vcs] } : {}),
        columnKind: 'utf16CodeUnits',
        results,
        properties: {
          score: a.score,
          ...(a.slsa
            ? { slsa: a.slsa.frameworks.map((f) => ({ id: f.id, confirmed: f.confirmed, attainable: f.attainable, next: f.next })) }
            : {}),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function rule(c: CheckResult) {
  const description = cleanText(c.description || c.name);
  const short = oneLine(description.split(/\n|(?<=\.)\s/)[0] || c.name, 200);
  const remediation = (c.documentation?.remediation ?? []).map(cleanText);
  const text = [
    description,
    '',
    `Risk: ${c.risk}.`,
    ...(remediation.length ? ['', 'Remediation:', ...remediation.map((r) => `- ${r}`)] : []),
  ].join('\n');
  const markdown = [
    mdRich(description, { links: false }),
    '',
    `**Risk:** ${mdText(c.risk)}${c.module ? ` · third-party check from ${mdText(c.module)}` : ''}`,
    ...(remediation.length ? ['', '**Remediation**', '', ...remediation.map((r) => `- ${mdRich(r, { links: false, indent: 2 })}`)] : []),
  ].join('\n');
  const risk: Risk = c.risk in SECURITY_SEVERITY ? c.risk : 'medium';
  const help = safeUrl(c.documentation?.url);
  return {
    id: cleanText(c.name),
    name: cleanText(c.name),
    shortDescription: { text: short },
    fullDescription: { text: description },
    help: { text, markdown },
    ...(help ? { helpUri: help } : {}),
    defaultConfiguration: { level: LEVEL[risk] },
    properties: {
      precision: 'high',
      'problem.severity': PROBLEM_SEVERITY[risk],
      'security-severity': SECURITY_SEVERITY[risk],
      tags: ['security', 'supply-chain', ...(c.slsa?.length ? ['slsa'] : [])],
    },
  };
}

function result(a: Assessment, c: CheckResult, f: Finding, ruleIndex: number, seen: Map<string, number>) {
  const own = validLocation(f.location);
  const loc = own ?? fallbackLocation(c);
  const severity: Severity = f.severity in LEVEL ? f.severity : 'info';
  const key = ['v1', c.name, f.rule, loc?.path ?? '', cleanText(f.message)].join('\0');
  const n = (seen.get(key) ?? 0) + 1;
  seen.set(key, n);
  const fingerprint = `${createHash('sha256').update(key).digest('hex').slice(0, 32)}:${n}`;
  const message = [`${f.message}`, f.remediation?.text ? `Remediation: ${f.remediation.text}` : ''].filter(Boolean).join('\n');
  return {
    ruleId: cleanText(c.name),
    ruleIndex,
    level: LEVEL[severity],
    message: { text: sarifText(message) },
    locations: [physical(loc ?? { path: PLACEHOLDER_PATH, line: 1 }, f.snippet)],
    partialFingerprints: { 'slsaScorecard/v1': fingerprint },
    properties: {
      rule: cleanText(f.rule),
      severity,
      checkScore: formatScore(c.score),
      ...(own ? {} : { placeholderLocation: true }),
      ...(f.remediation?.patch ? { patch: cleanText(f.remediation.patch) } : {}),
    },
  };
}

/** A repository-relative path, never absolute or leaving the repository. */
function validLocation(l: Location | undefined): Location | undefined {
  if (!l || typeof l.path !== 'string' || l.path === '' || l.path.startsWith('/') || /^[a-z]:/i.test(l.path)) return undefined;
  if (l.path.split('/').includes('..')) return undefined;
  return l;
}

/** Where the check's other findings or its evidence point: the file relevant to it. */
function fallbackLocation(c: CheckResult): Location | undefined {
  for (const f of c.findings ?? []) {
    const l = validLocation(f.location);
    if (l) return { path: l.path, line: 1 };
  }
  for (const e of c.evidence ?? []) {
    const l = validLocation(e.location);
    if (l) return { path: l.path, line: l.line ?? 1 };
  }
  return undefined;
}

function physical(l: Location, snippet?: string) {
  const int = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : undefined);
  const startLine = int(l.line) ?? 1;
  const startColumn = int(l.column);
  const endLine = int(l.endLine) !== undefined && l.endLine! >= startLine ? l.endLine : undefined;
  const endColumn =
    int(l.endColumn) !== undefined &&
    (endLine === undefined || endLine > startLine || (startColumn !== undefined && l.endColumn! > startColumn))
      ? l.endColumn
      : undefined;
  return {
    physicalLocation: {
      artifactLocation: { uri: encodePath(cleanText(l.path)), uriBaseId: '%SRCROOT%' },
      region: {
        startLine,
        ...(startColumn ? { startColumn } : {}),
        ...(endLine ? { endLine } : {}),
        ...(endColumn ? { endColumn } : {}),
        ...(snippet ? { snippet: { text: cleanText(snippet) } } : {}),
      },
    },
  };
}

function versionControl(a: Assessment) {
  const t = a.target;
  if (t.platform !== 'github' && t.platform !== 'gitlab') return undefined;
  if (!t.host || !t.repo || !/^[\w.-]+(:\d+)?$/.test(t.host) || !/^[\w.-]+(\/[\w.-]+)+$/.test(t.repo)) return undefined;
  return {
    repositoryUri: `https://${t.host}/${t.repo}`,
    ...(t.commit && /^[0-9a-f]{7,64}$/i.test(t.commit) ? { revisionId: t.commit } : {}),
    ...(t.branch ? { branch: cleanText(t.branch) } : {}),
  };
}

/** The package's homepage (package.json `homepage`, or its repository URL), if it declares one. */
function informationUri(): string | undefined {
  const p = join(PACKAGE_ROOT, 'package.json');
  if (!existsSync(p)) return undefined;
  try {
    const pkg = JSON.parse(readFileSync(p, 'utf8')) as { homepage?: unknown; repository?: unknown };
    const repo = typeof pkg.repository === 'string' ? pkg.repository : (pkg.repository as { url?: unknown } | undefined)?.url;
    for (const u of [pkg.homepage, repo]) {
      if (typeof u === 'string') {
        const https = u.replace(/^git\+/, '').replace(/\.git$/, '');
        if (safeUrl(https)) return https;
      }
    }
  } catch {
    /* no homepage */
  }
  return undefined;
}
