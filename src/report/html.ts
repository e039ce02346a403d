/**
 * HTML report (`--format html`): one self-contained file — inline CSS and SVG, no external request
 * of any kind, works from file://, readable on a phone, printable (every <details> opens, the nav
 * goes). Template: templates/report.html.hbs (`{{x}}` is Handlebars' HTML escaping).
 *
 * The page works without JavaScript. One small script adds "Copy" buttons to code blocks and opens
 * every <details> before printing; the Content-Security-Policy allows exactly that script (by its
 * SHA-256) and inline styles, and forbids everything else: no other script, no network, no frames.
 */
import { createHash } from 'node:crypto';
import type { Assessment } from '../assessment.js';
import type { RenderOptions } from './index.js';
import { loadTemplate } from './templates.js';
import { buildView, type ReportView } from './view.js';

/** The page's only script. Adds Copy buttons and opens every <details> before printing; optional. */
export const PAGE_SCRIPT =
  "document.querySelectorAll('.snippet:not(.excerpt)').forEach(function(s){var b=document.createElement('button');b.type='button';b.className='copy';b.textContent='Copy';" +
  "b.addEventListener('click',function(){navigator.clipboard.writeText(s.querySelector('code').textContent).then(function(){b.textContent='Copied';setTimeout(function(){b.textContent='Copy'},1500)})});s.appendChild(b)});" +
  "addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true})});";

export const SCRIPT_HASH = `sha256-${createHash('sha256').update(PAGE_SCRIPT).digest('base64')}`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  `script-src '${SCRIPT_HASH}'`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export interface HtmlView extends ReportView {
  page: { csp: string; script: unknown };
}

export async function renderHtml(a: Assessment, o: RenderOptions): Promise<string> {
  const template = await loadTemplate('html', o.templateDir);
  const Handlebars = ((await import('handlebars')) as unknown as { default: typeof import('handlebars') }).default;
  const view: HtmlView = {
    ...buildView(a, { findingsPerCheck: Infinity, collapseOver: 0 }),
    page: { csp: CONTENT_SECURITY_POLICY, script: new Handlebars.SafeString(PAGE_SCRIPT) },
  };
  return template(view);
}
