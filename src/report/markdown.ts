/**
 * Markdown report (`--format md`): for a GitHub/GitLab issue, a pull-request comment or
 * `$GITHUB_STEP_SUMMARY` (which takes at most 1 MiB: findings beyond 30 per check are counted,
 * not listed, unless --details). Template: templates/report.md.hbs; escaping: templates.ts.
 */
import type { Assessment } from '../assessment.js';
import type { RenderOptions } from './index.js';
import { loadTemplate } from './templates.js';
import { buildView } from './view.js';

export async function renderMarkdown(a: Assessment, o: RenderOptions): Promise<string> {
  const template = await loadTemplate('md', o.templateDir);
  const view = buildView(a, { findingsPerCheck: o.details ? Infinity : 30, collapseOver: 5 });
  return `${squeezeBlankLines(template(view)).trim()}\n`;
}

/** Templates leave runs of blank lines where a section is empty: keep one, except inside fenced code. */
export function squeezeBlankLines(md: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of md.split('\n')) {
    const f = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null && f) fence = f;
    else if (fence !== null && f && f[0] === fence[0] && f.length >= fence.length && line.trim() === f) fence = null;
    else if (fence === null && line.trim() === '' && out.length > 0 && out[out.length - 1].trim() === '') continue;
    out.push(fence === null ? line.replace(/[ \t]+$/, '') : line);
  }
  return out.join('\n');
}
