/** Terminal report: headline, a table of checks (cli-table3), then findings and unknowns. */
import Table from 'cli-table3';
import type { Assessment } from '../assessment.js';
import type { Finding } from '../check.js';
import type { Location } from '../facts/model.js';
import { paint, safeText, type Paint } from './color.js';
import type { RenderOptions } from './index.js';

const FINDINGS_PER_CHECK = 10;

export function renderTable(a: Assessment, o: RenderOptions): string {
  const p = paint(o.color);
  const lines: string[] = [];
  lines.push(p.bold(`${a.tool.name} ${a.tool.version}`) + ` — ${describeTarget(a)}`);
  lines.push(`Aggregate score: ${scoreText(a.score, p)} / 10`);
  lines.push('');

  const table = new Table({
    head: ['Score', 'Check', 'Risk', 'Reason'],
    style: { head: o.color ? ['bold'] : [], border: o.color ? ['grey'] : [] },
    colWidths: [7, 24, 10, 60],
    wordWrap: true,
  });
  for (const c of a.checks) {
    table.push([scoreText(c.score, p), safeText(c.name), c.risk, safeText(c.reason)]);
  }
  lines.push(table.toString());

  const withFindings = a.checks.filter((c) => c.findings.length > 0);
  if (withFindings.length > 0) {
    lines.push('', p.bold('Findings'));
    for (const c of withFindings) {
      lines.push(`  ${p.bold(safeText(c.name))} (${c.findings.length})`);
      const shown = o.details ? c.findings : c.findings.slice(0, FINDINGS_PER_CHECK);
      for (const f of shown) lines.push(...findingLines(f, p));
      if (shown.length < c.findings.length)
        lines.push(p.dim(`    … ${c.findings.length - shown.length} more (--details or --format json)`));
    }
  }
  if (a.unknowns.length > 0) {
    lines.push('', p.bold('Could not be determined'));
    for (const u of a.unknowns) {
      lines.push(
        `  - ${safeText(u.fact)}: ${safeText(u.reason)}${u.needs ? ` — needs ${safeText(u.needs)}` : ''} ${p.dim(`(${u.checks.join(', ')})`)}`,
      );
    }
  }
  if (a.diagnostics.length > 0) {
    lines.push('', p.bold('Notes on the files read'));
    for (const d of a.diagnostics.slice(0, 20)) lines.push(`  - ${d.path ? `${safeText(d.path)}: ` : ''}${safeText(d.message)}`);
    if (a.diagnostics.length > 20) lines.push(p.dim(`  … ${a.diagnostics.length - 20} more`));
  }
  return `${lines.join('\n')}\n`;
}

function describeTarget(a: Assessment): string {
  const t = a.target;
  const name = t.repo ? `${t.host}/${t.repo}` : (t.path ?? 'local directory');
  const commit = t.commit ? ` @ ${t.commit.slice(0, 12)}` : '';
  const how = t.source === 'local' ? ` (local checkout${t.repo && t.path ? ` ${t.path}` : ''})` : '';
  return safeText(`${name}${commit}${how}`);
}

export function scoreText(score: number | null, p: Paint): string {
  if (score === null) return p.dim('?');
  const s = Number.isInteger(score) ? String(score) : score.toFixed(1);
  return score >= 8 ? p.green(s) : score >= 5 ? p.yellow(s) : p.red(s);
}

function findingLines(f: Finding, p: Paint): string[] {
  const sev =
    f.severity === 'critical' || f.severity === 'high'
      ? p.red(f.severity)
      : f.severity === 'medium'
        ? p.yellow(f.severity)
        : p.dim(f.severity);
  const out = [
    `    ${sev.padEnd(8)} ${f.location ? `${safeText(formatLocation(f.location))}  ` : ''}${p.dim(safeText(f.rule))}  ${safeText(f.message)}`,
  ];
  if (f.remediation) out.push(p.dim(`             → ${safeText(f.remediation.text.split('\n')[0])}`));
  return out;
}

export function formatLocation(l: Location): string {
  return `${l.path}${l.line ? `:${l.line}${l.column ? `:${l.column}` : ''}` : ''}`;
}
