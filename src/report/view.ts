/**
 * The report view: the assessment reshaped for the Markdown and HTML templates (and a user's own
 * templates given with --template). Strings stay raw here — apart from control characters, which
 * are replaced — and each template engine escapes them for its context (see escape.ts).
 */
import type { Assessment } from '../assessment.js';
import type { Finding, Severity } from '../check.js';
import type { CheckResult } from '../engine.js';
import type { Location } from '../facts/model.js';
import type { FrameworkResult, RequirementEvidence, RequirementState, SlsaResult } from '../slsa/types.js';
import { cleanText } from './escape.js';

export type Grade = 'good' | 'fair' | 'poor' | 'none';
const GRADE_LABELS: Record<Grade, string> = { good: 'Good', fair: 'Needs work', poor: 'Poor', none: 'Not scored' };

export interface LocationView {
  path: string;
  line?: number;
  /** `path:line:column`. */
  text: string;
  /** The file at the assessed commit on its platform, when platform, host, repository and commit are known. */
  url?: string;
}

export interface FindingView {
  rule: string;
  severity: Severity;
  message: string;
  location?: LocationView;
  snippet?: string;
  snippetLanguage: string;
  remediation?: string;
  patch?: string;
  patchLanguage: string;
}

export interface CheckView {
  name: string;
  anchor: string;
  score: number | null;
  scoreText: string;
  pct: number;
  grade: Grade;
  risk: string;
  reason: string;
  description: string;
  summary: string;
  module?: string;
  docsUrl?: string;
  remediation: string[];
  findings: FindingView[];
  findingCount: number;
  /** Findings shown (the rest are counted in `hiddenFindings`). */
  shownFindings: FindingView[];
  hiddenFindings: number;
  /** Many findings: the templates fold them away. */
  collapse: boolean;
  severityCounts: Array<{ severity: Severity; count: number }>;
  unknowns: Array<{ fact: string; reason: string; needs?: string }>;
}

export interface EvidenceView {
  check?: string;
  kind?: string;
  message: string;
  location?: LocationView;
}

export interface LevelView {
  level: number;
  label: string;
  state: 'confirmed' | 'attainable' | 'unreached';
  stateLabel: string;
  /** Bar height for the ladder, percent. */
  height: number;
  isNext: boolean;
}

export interface RequirementView {
  id: string;
  name: string;
  category: string;
  state: RequirementState;
  /** CSS-friendly state: met, indicated, not_met, unknown, na. */
  stateClass: string;
  stateLabel: string;
  levels: string;
  evidence: EvidenceView[];
  remediation?: string;
  needs?: string;
  blocking: boolean;
}

export interface StepView {
  n: number;
  requirement: string;
  requirementName: string;
  title: string;
  action: string;
  snippet?: { language: string; code: string };
  evidence: EvidenceView[];
}

export interface FrameworkView {
  id: string;
  name: string;
  short: string;
  confirmed: number;
  confirmedLabel: string;
  attainable: number;
  attainableLabel: string;
  next: number | null;
  nextLabel?: string;
  atTop: boolean;
  levels: LevelView[];
  blocking: Array<{ id: string; name: string }>;
  roadmap: StepView[];
  requirements: RequirementView[];
  stateCounts: Array<{ state: RequirementState; label: string; count: number }>;
  unknownRequirements: RequirementView[];
}

export interface ReportView {
  tool: { name: string; version: string };
  title: string;
  target: {
    platform: string;
    platformLabel: string;
    host?: string;
    repo?: string;
    commit?: string;
    commitShort?: string;
    branch?: string;
    path?: string;
    source: string;
    repoUrl?: string;
    commitUrl?: string;
    linked: boolean;
  };
  date: string;
  dateText: string;
  score: {
    value: number | null;
    text: string;
    pct: number;
    grade: Grade;
    gradeLabel: string;
    /** Gauge arc length (circle r=52). */ dash: string;
  };
  counts: { checks: number; concluded: number; inconclusive: number; findings: number; unknowns: number };
  severityCounts: Array<{ severity: Severity; count: number }>;
  slsa?: { frameworks: FrameworkView[] };
  /** One line: "Build L1 · Source L0". */
  slsaHeadline?: string;
  checks: CheckView[];
  checksWithFindings: CheckView[];
  roadmaps: FrameworkView[];
  unknowns: Array<{ fact: string; reason: string; needs?: string; checks: string[] }>;
  diagnostics: Array<{ path?: string; message: string }>;
  hiddenDiagnostics: number;
  requests: { total: number };
  durationMs: number;
}

export interface ViewOptions {
  /** Findings shown per check (the rest are counted); Infinity shows all. */
  findingsPerCheck: number;
  /** Checks with more findings than this are folded. */
  collapseOver: number;
}

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const STATES: RequirementState[] = ['met', 'indicated', 'not_met', 'unknown', 'n/a'];
export const STATE_LABELS: Record<RequirementState, string> = {
  met: 'met',
  indicated: 'indicated',
  not_met: 'not met',
  unknown: 'unknown',
  'n/a': 'n/a',
};

const LANGUAGES: Array<[RegExp, string]> = [
  [/\.ya?ml$/i, 'yaml'],
  [/(^|\/)Dockerfile[^/]*$|\.dockerfile$/i, 'dockerfile'],
  [/\.(sh|bash)$/i, 'shell'],
  [/\.json$/i, 'json'],
  [/\.(ps1|psm1)$/i, 'powershell'],
  [/\.py$/i, 'python'],
  [/\.(js|mjs|cjs)$/i, 'javascript'],
  [/\.ts$/i, 'typescript'],
  [/\.toml$/i, 'toml'],
  [/\.go$/i, 'go'],
];

export function languageOf(path: string | undefined): string {
  if (!path) return '';
  return LANGUAGES.find(([re]) => re.test(path))?.[1] ?? '';
}

export function formatScore(score: number | null): string {
  if (score === null || score === undefined) return '?';
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}

export function gradeOf(score: number | null): Grade {
  if (score === null || score === undefined) return 'none';
  return score >= 8 ? 'good' : score >= 5 ? 'fair' : 'poor';
}

const SAFE_HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i;
const SAFE_REPO = /^[\w.-]+(\/[\w.-]+)+$/;
const SAFE_COMMIT = /^[0-9a-f]{7,64}$/i;

/** Base of file links (`https://host/repo/blob/commit/` or GitLab's `/-/blob/`), when everything needed is known and well-formed. */
export function blobBase(t: Assessment['target']): string | undefined {
  if (t.platform !== 'github' && t.platform !== 'gitlab') return undefined;
  if (!t.host || !t.repo || !t.commit) return undefined;
  if (
    !SAFE_HOST.test(t.host) ||
    !SAFE_REPO.test(t.repo) ||
    t.repo.split('/').some((s) => s === '.' || s === '..') ||
    !SAFE_COMMIT.test(t.commit)
  )
    return undefined;
  return `https://${t.host}/${t.repo}/${t.platform === 'gitlab' ? '-/' : ''}blob/${t.commit}/`;
}

function repoUrl(t: Assessment['target']): string | undefined {
  if (t.platform !== 'github' && t.platform !== 'gitlab') return undefined;
  if (!t.host || !t.repo || !SAFE_HOST.test(t.host) || !SAFE_REPO.test(t.repo)) return undefined;
  return `https://${t.host}/${t.repo}`;
}

/** Percent-encodes each path segment (and the characters Markdown link destinations trip over). */
export function encodePath(path: string): string {
  return path
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

export function fileUrl(t: Assessment['target'], loc: Location): string | undefined {
  const base = blobBase(t);
  if (!base || !loc.path || loc.path.startsWith('/') || loc.path.split('/').includes('..')) return undefined;
  let url = base + encodePath(loc.path);
  if (loc.line && loc.line > 0) {
    url += `#L${Math.trunc(loc.line)}`;
    if (loc.endLine && loc.endLine > loc.line)
      url += t.platform === 'gitlab' ? `-${Math.trunc(loc.endLine)}` : `-L${Math.trunc(loc.endLine)}`;
  }
  return url;
}

function locationText(l: Location): string {
  return `${l.path}${l.line ? `:${l.line}${l.column ? `:${l.column}` : ''}` : ''}`;
}

function locationView(a: Assessment, l: Location | undefined): LocationView | undefined {
  if (!l || typeof l.path !== 'string') return undefined;
  return {
    path: cleanText(l.path),
    ...(l.line ? { line: l.line } : {}),
    text: cleanText(locationText(l)),
    ...(fileUrl(a.target, l) ? { url: fileUrl(a.target, l) } : {}),
  };
}

/** A unified diff (every line `+`, `-`, space or `@@`, with at least one change), else the file's language. */
function patchLanguage(patch: string, lang: string): string {
  const lines = patch.replace(/\n$/, '').split('\n');
  if (/^(diff |--- |@@ )/.test(patch) || (lines.every((l) => /^([-+ ]|@@|$)/.test(l)) && lines.some((l) => /^[-+]/.test(l)))) return 'diff';
  return lang || (/^\s*[\w-]+:(\s|$)/m.test(patch) ? 'yaml' : '');
}

function findingView(a: Assessment, f: Finding): FindingView {
  const lang = languageOf(f.location?.path);
  const patch = f.remediation?.patch;
  return {
    rule: cleanText(f.rule),
    severity: SEVERITIES.includes(f.severity) ? f.severity : 'info',
    message: cleanText(f.message),
    ...(f.location ? { location: locationView(a, f.location) } : {}),
    ...(f.snippet ? { snippet: cleanText(f.snippet) } : {}),
    snippetLanguage: lang,
    ...(f.remediation?.text ? { remediation: cleanText(f.remediation.text) } : {}),
    ...(patch ? { patch: cleanText(patch) } : {}),
    patchLanguage: patch ? patchLanguage(patch, lang) : '',
  };
}

function severityCounts(findings: Array<{ severity: Severity }>): Array<{ severity: Severity; count: number }> {
  return SEVERITIES.map((severity) => ({ severity, count: findings.filter((f) => f.severity === severity).length })).filter(
    (c) => c.count > 0,
  );
}

export function anchorOf(prefix: string, name: string): string {
  return `${prefix}-${
    cleanText(name)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'x'
  }`;
}

function checkView(a: Assessment, c: CheckResult, o: ViewOptions, index: number): CheckView {
  const findings = (c.findings ?? []).map((f) => findingView(a, f));
  const shown = Number.isFinite(o.findingsPerCheck) ? findings.slice(0, o.findingsPerCheck) : findings;
  const description = cleanText(c.description ?? '');
  return {
    name: cleanText(c.name),
    anchor: `${anchorOf('check', c.name)}-${index}`,
    score: c.score,
    scoreText: formatScore(c.score),
    pct: c.score === null ? 0 : Math.round(Math.max(0, Math.min(10, c.score)) * 10),
    grade: gradeOf(c.score),
    risk: cleanText(c.risk),
    reason: cleanText(c.reason),
    description,
    summary: description.split(/\n|(?<=\.)\s/)[0] ?? '',
    ...(c.module ? { module: cleanText(c.module) } : {}),
    ...(c.documentation?.url ? { docsUrl: cleanText(c.documentation.url) } : {}),
    remediation: (c.documentation?.remediation ?? []).map(cleanText),
    findings,
    findingCount: findings.length,
    shownFindings: shown,
    hiddenFindings: findings.length - shown.length,
    collapse: findings.length > o.collapseOver,
    severityCounts: severityCounts(findings),
    unknowns: (c.unknowns ?? []).map((u) => ({
      fact: cleanText(u.fact),
      reason: cleanText(u.reason),
      ...(u.needs ? { needs: cleanText(u.needs) } : {}),
    })),
  };
}

/** "Build", "Source", "v0.1" — the short names the badge and headline use. */
export function frameworkShort(id: string, name?: string): string {
  if (id === 'slsa-v1.2-build') return 'Build';
  if (id === 'slsa-v1.2-source') return 'Source';
  if (id === 'slsa-v0.1') return 'v0.1';
  return cleanText(name ?? id);
}

function evidenceView(a: Assessment, e: RequirementEvidence): EvidenceView {
  return {
    ...(e.check ? { check: cleanText(e.check) } : {}),
    ...(e.kind ? { kind: cleanText(e.kind) } : {}),
    message: cleanText(e.message),
    ...(e.location ? { location: locationView(a, e.location) } : {}),
  };
}

function frameworkView(a: Assessment, f: FrameworkResult): FrameworkView {
  const levels = [...(f.levels ?? [])].sort((x, y) => x - y);
  const top = levels[levels.length - 1] ?? 0;
  const bottom = levels[0] ?? 0;
  const span = Math.max(1, top - bottom);
  const blockingIds = new Set(f.blocking ?? []);
  const reqName = new Map((f.requirements ?? []).map((r) => [r.id, cleanText(r.name)]));
  const requirements: RequirementView[] = (f.requirements ?? []).map((r) => ({
    id: cleanText(r.id),
    name: cleanText(r.name),
    category: cleanText(r.category),
    state: STATES.includes(r.state) ? r.state : 'unknown',
    stateClass: STATES.includes(r.state) ? r.state.replace('/', '') : 'unknown',
    stateLabel: STATE_LABELS[r.state] ?? cleanText(r.state),
    levels: (r.levels ?? []).map((l) => `L${l}`).join(', '),
    evidence: (r.evidence ?? []).map((e) => evidenceView(a, e)),
    ...(r.remediation ? { remediation: cleanText(r.remediation) } : {}),
    ...(r.needs ? { needs: cleanText(r.needs) } : {}),
    blocking: blockingIds.has(r.id),
  }));
  return {
    id: cleanText(f.id),
    name: cleanText(f.name),
    short: frameworkShort(f.id, f.name),
    confirmed: f.confirmed,
    confirmedLabel: levelLabel(f, f.confirmed),
    attainable: f.attainable,
    attainableLabel: levelLabel(f, f.attainable),
    next: f.next,
    ...(f.next !== null && f.next !== undefined ? { nextLabel: `L${f.next}` } : {}),
    atTop: f.next === null || f.next === undefined,
    levels: levels.map((level) => {
      const state = level <= f.confirmed ? 'confirmed' : level <= f.attainable ? 'attainable' : 'unreached';
      return {
        level,
        label: `L${level}`,
        state,
        stateLabel: state === 'confirmed' ? 'confirmed' : state === 'attainable' ? 'attainable' : 'not reached',
        height: Math.round(35 + (65 * (level - bottom)) / span),
        isNext: level === f.next,
      };
    }),
    blocking: (f.blocking ?? []).map((id) => ({ id: cleanText(id), name: reqName.get(id) ?? cleanText(id) })),
    roadmap: (f.roadmap ?? []).map((s, i) => ({
      n: i + 1,
      requirement: cleanText(s.requirement),
      requirementName: reqName.get(s.requirement) ?? cleanText(s.requirement),
      title: cleanText(s.title),
      action: cleanText(s.action),
      ...(s.snippet?.code ? { snippet: { language: cleanText(s.snippet.language), code: cleanText(s.snippet.code) } } : {}),
      evidence: (s.evidence ?? []).map((e) => evidenceView(a, e)),
    })),
    requirements,
    stateCounts: STATES.map((state) => ({
      state,
      label: STATE_LABELS[state],
      count: requirements.filter((r) => r.state === state).length,
    })).filter((c) => c.count > 0),
    unknownRequirements: requirements.filter((r) => r.state === 'unknown'),
  };
}

/** v0.1 counts levels from 1: "none" when not even L1 holds. */
export function levelLabel(f: Pick<FrameworkResult, 'levels'>, level: number): string {
  const lowest = Math.min(...(f.levels?.length ? f.levels : [0]));
  return level < lowest ? 'none' : `L${level}`;
}

/** "Build L1 · Source L0" from the confirmed levels (v1.2 tracks; v0.1 when it is the only one). */
export function slsaHeadline(slsa: SlsaResult | undefined): string | undefined {
  const fws = slsa?.frameworks ?? [];
  if (fws.length === 0) return undefined;
  const current = fws.filter((f) => f.id !== 'slsa-v0.1');
  return (current.length ? current : fws)
    .map((f) => `${frameworkShort(f.id, f.name)} ${levelLabel(f, f.confirmed) === 'none' ? 'none' : `L${f.confirmed}`}`)
    .join(' · ');
}

function targetTitle(a: Assessment): string {
  const t = a.target;
  if (t.repo) return cleanText(t.repo);
  if (t.path) return cleanText(t.path.split(/[\\/]/).filter(Boolean).pop() ?? t.path);
  return 'local directory';
}

export function buildView(a: Assessment, o: ViewOptions): ReportView {
  const t = a.target;
  const checks = a.checks.map((c, i) => checkView(a, c, o, i));
  const allFindings = checks.flatMap((c) => c.findings);
  const repo = repoUrl(t);
  const commitOk = t.commit && SAFE_COMMIT.test(t.commit);
  const frameworks = a.slsa?.frameworks?.map((f) => frameworkView(a, f));
  const date = new Date(a.date);
  return {
    tool: { name: cleanText(a.tool.name), version: cleanText(a.tool.version) },
    title: targetTitle(a),
    target: {
      platform: t.platform,
      platformLabel: t.platform === 'github' ? 'GitHub' : t.platform === 'gitlab' ? 'GitLab' : 'local',
      ...(t.host ? { host: cleanText(t.host) } : {}),
      ...(t.repo ? { repo: cleanText(t.repo) } : {}),
      ...(t.commit ? { commit: cleanText(t.commit), commitShort: cleanText(t.commit.slice(0, 12)) } : {}),
      ...(t.branch ? { branch: cleanText(t.branch) } : {}),
      ...(t.path ? { path: cleanText(t.path) } : {}),
      source: t.source === 'local' ? 'local checkout' : t.source === 'github-api' ? 'GitHub API' : 'GitLab API',
      ...(repo ? { repoUrl: repo } : {}),
      ...(repo && commitOk ? { commitUrl: `${repo}/${t.platform === 'gitlab' ? '-/' : ''}commit/${t.commit}` } : {}),
      linked: Boolean(blobBase(t)),
    },
    date: cleanText(a.date),
    dateText: Number.isNaN(date.getTime()) ? cleanText(a.date) : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    score: {
      value: a.score,
      text: formatScore(a.score),
      pct: a.score === null ? 0 : Math.round(a.score * 10),
      grade: gradeOf(a.score),
      gradeLabel: GRADE_LABELS[gradeOf(a.score)],
      dash: (((a.score ?? 0) / 10) * 2 * Math.PI * 52).toFixed(1),
    },
    counts: {
      checks: checks.length,
      concluded: checks.filter((c) => c.score !== null).length,
      inconclusive: checks.filter((c) => c.score === null).length,
      findings: allFindings.length,
      unknowns: a.unknowns?.length ?? 0,
    },
    severityCounts: severityCounts(allFindings),
    ...(frameworks ? { slsa: { frameworks } } : {}),
    ...(slsaHeadline(a.slsa) ? { slsaHeadline: slsaHeadline(a.slsa) } : {}),
    checks,
    checksWithFindings: checks.filter((c) => c.findingCount > 0),
    roadmaps: (frameworks ?? []).filter((f) => f.roadmap.length > 0),
    unknowns: (a.unknowns ?? []).map((u) => ({
      fact: cleanText(u.fact),
      reason: cleanText(u.reason),
      ...(u.needs ? { needs: cleanText(u.needs) } : {}),
      checks: u.checks.map(cleanText),
    })),
    diagnostics: (a.diagnostics ?? [])
      .slice(0, 50)
      .map((d) => ({ ...(d.path ? { path: cleanText(d.path) } : {}), message: cleanText(d.message) })),
    hiddenDiagnostics: Math.max(0, (a.diagnostics?.length ?? 0) - 50),
    requests: { total: a.requests?.total ?? 0 },
    durationMs: a.durationMs,
  };
}
