/**
 * Handlebars, privately: one instance per output kind (`Handlebars.create()`), our helpers
 * registered on it, templates read from `templates/` — or, file by file, from the user's
 * `--template DIR` (DIR/report.md.hbs, DIR/report.html.hbs, DIR/partials/NAME.{md,html}.hbs).
 *
 * Escaping: in HTML templates `{{x}}` is Handlebars' HTML escaping. In Markdown templates `{{x}}`
 * is Markdown escaping (escape.ts `mdText`): the instance's compiled templates get a container whose
 * `escapeExpression` is ours, so a user's template is as safe by default as ours. Helpers that emit
 * markup (`code`, `fence`, `inline`, `rich`, `link`, …) escape their inputs themselves and return SafeStrings.
 * Never use `{{{ }}}` on assessment data.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type HandlebarsNs from 'handlebars';
import { PACKAGE_ROOT } from '../version.js';
import {
  escapeHtml,
  htmlInline,
  htmlRich,
  mdCodeSpan,
  mdFence,
  mdInline,
  mdInlineRich,
  mdLink,
  mdRich,
  mdText,
  oneLine,
  safeUrl,
} from './escape.js';

export type TemplateKind = 'md' | 'html';
type Hb = typeof HandlebarsNs;
type Template = HandlebarsNs.TemplateDelegate;

export const BUILTIN_TEMPLATES = join(PACKAGE_ROOT, 'templates');

const cache = new Map<string, Template>();

export async function loadTemplate(kind: TemplateKind, userDir?: string): Promise<Template> {
  const key = `${kind}\0${userDir ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const Handlebars = ((await import('handlebars')) as unknown as { default: Hb }).default;
  const hb = Handlebars.create();
  if (kind === 'md') useMarkdownEscaping(hb);
  registerHelpers(hb, kind);
  for (const [name, text] of partials(kind, userDir)) hb.registerPartial(name, text);
  const main = `report.${kind}.hbs`;
  const source = readTemplate(main, userDir);
  const template = hb.compile(source, { preventIndent: true, strict: false });
  cache.set(key, template);
  return template;
}

function readTemplate(rel: string, userDir?: string): string {
  if (userDir) {
    const p = join(userDir, rel);
    if (existsSync(p)) return readFileSync(p, 'utf8');
  }
  return readFileSync(join(BUILTIN_TEMPLATES, rel), 'utf8');
}

/** Partials for one kind: `NAME.md.hbs` / `NAME.html.hbs` (the kind's own) and `NAME.hbs` (both); the user's win by name. */
function partials(kind: TemplateKind, userDir?: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const dir of [join(BUILTIN_TEMPLATES, 'partials'), ...(userDir ? [join(userDir, 'partials')] : [])]) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).sort()) {
      const m = /^([\w-]+?)(?:\.(md|html))?\.hbs$/.exec(f);
      if (!m || (m[2] && m[2] !== kind)) continue;
      out.set(m[1], readFileSync(join(dir, f), 'utf8'));
    }
  }
  return out;
}

/**
 * Makes `{{x}}` Markdown-escape in every template (and partial) this instance compiles. Handlebars
 * calls a compiled template's `main(container, …)`; the container's `escapeExpression` is what
 * `{{x}}` uses, so it is replaced there. Values with `toHTML()` (SafeStrings from helpers) pass as is.
 */
function useMarkdownEscaping(hb: Hb): void {
  const original = hb.template.bind(hb);
  const escape = (v: unknown): string => {
    if (v && typeof (v as { toHTML?: unknown }).toHTML === 'function') return (v as { toHTML(): string }).toHTML();
    if (v === null || v === undefined) return '';
    return mdText(v);
  };
  (hb as { template: unknown }).template = (spec: { main: (container: { escapeExpression: unknown }, ...rest: unknown[]) => string }) => {
    const main = spec.main;
    spec.main = function (this: unknown, container, ...rest) {
      container.escapeExpression = escape;
      return main.call(this, container, ...rest);
    };
    return original(spec as never);
  };
}

type Opts = HandlebarsNs.HelperOptions;

function registerHelpers(hb: Hb, kind: TemplateKind): void {
  const safe = (s: string) => new hb.SafeString(s);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : Number(v) || 0);
  const indentOf = (o: Opts | undefined) => Math.max(0, Math.min(40, num(o?.hash?.indent)));

  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hb.registerHelper('gt', (a: unknown, b: unknown) => num(a) > num(b));
  hb.registerHelper('lt', (a: unknown, b: unknown) => num(a) < num(b));
  hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper('not', (a: unknown) => !a);
  hb.registerHelper('add', (a: unknown, b: unknown) => num(a) + num(b));
  /** `{{plural n "finding"}}` → "1 finding", "3 findings". */
  hb.registerHelper('plural', (n: unknown, word: unknown, o?: Opts) => {
    const plural = typeof o?.hash?.plural === 'string' ? o.hash.plural : `${String(word)}s`;
    return `${num(n)} ${num(n) === 1 ? String(word) : plural}`;
  });
  /** `(pluck items "name")`: one field of each item. */
  hb.registerHelper('pluck', (items: unknown, field: unknown) =>
    Array.isArray(items) ? items.map((x) => (x as Record<string, unknown>)?.[String(field)]) : [],
  );
  hb.registerHelper('upper', (s: unknown) => String(s ?? '').toUpperCase());
  hb.registerHelper('oneLine', (s: unknown, o?: Opts) => oneLine(s, num(o?.hash?.max) || Infinity));

  if (kind === 'md') {
    /** Inline code span. */
    hb.registerHelper('code', (s: unknown) => safe(mdCodeSpan(s)));
    /** One line with its `code spans` kept (not for table cells: use {{x}} there). */
    hb.registerHelper('inline', (s: unknown) => safe(mdInlineRich(s)));
    /** Fenced block: `{{fence code lang indent=3}}`. */
    hb.registerHelper('fence', (code: unknown, lang: unknown, o?: Opts) =>
      safe(mdFence(code, typeof lang === 'string' ? lang : '', indentOf(o ?? (lang as Opts)))),
    );
    /** Prose with code spans kept (no links): remediation, descriptions. */
    hb.registerHelper('rich', (s: unknown, o: Opts) => safe(mdRich(s, { links: false, indent: indentOf(o) })));
    /** Our own prose (SLSA roadmap and requirement text): code spans, bold, lists, fences, http(s) links. */
    hb.registerHelper('toolmd', (s: unknown, o: Opts) => safe(mdRich(s, { links: true, indent: indentOf(o) })));
    /** `[text](url)` with the text escaped; plain text when the URL is not http(s). */
    hb.registerHelper('link', (text: unknown, url: unknown) => safe(mdLink(mdInline(text), url)));
    /** `[`code`](url)`. */
    hb.registerHelper('codelink', (text: unknown, url: unknown) => safe(mdLink(mdCodeSpan(text), url)));
    /** For raw HTML blocks in Markdown (`<summary>`): HTML escaping on one line. */
    hb.registerHelper('html', (s: unknown) => safe(escapeHtml(oneLine(s))));
    /** Join a list, each item Markdown-escaped (or code-spanned with code=true). */
    hb.registerHelper('join', (items: unknown, sep: unknown, o?: Opts) => {
      const list = Array.isArray(items) ? items : [];
      const asCode = Boolean(o?.hash?.code ?? (sep as Opts)?.hash?.code);
      return safe(list.map((x) => (asCode ? mdCodeSpan(x) : mdInline(x))).join(typeof sep === 'string' ? mdInline(sep) : ', '));
    });
  } else {
    hb.registerHelper('rich', (s: unknown) => safe(htmlRich(s, { links: false })));
    /** One line with its `code spans` as <code>. */
    hb.registerHelper('inline', (s: unknown) => safe(htmlInline(s)));
    hb.registerHelper('toolmd', (s: unknown) => safe(htmlRich(s, { links: true })));
    /** An http(s) URL or nothing (for href attributes; the template still escapes it). */
    hb.registerHelper('url', (u: unknown) => safeUrl(u) ?? '');
    hb.registerHelper('join', (items: unknown, sep: unknown) =>
      (Array.isArray(items) ? items : []).map((x) => String(x)).join(typeof sep === 'string' ? sep : ', '),
    );
  }
}
