/**
 * Escaping, one function per output context. Everything a repository controls (check names from
 * third-party modules, messages, reasons, snippets, paths, the repository's own name) reaches the
 * Markdown, HTML, SVG and SARIF renderers only through these.
 *
 * - Markdown (`mdText`): GitHub and GitLab interpret HTML inside Markdown, so `<`, `>`, `&`, `"`
 *   become entities, and every character Markdown gives a meaning inline is backslash-escaped:
 *   `\` `` ` `` `*` `_` `[` `]` `(` `)` `|` `~` `$` (math), `!` before `[`; line-start markers
 *   (`#`, `-`, `+`, `=`, `1.`) are escaped too; newlines become `<br>` so a value never leaves its
 *   table cell or list item; `@name` gets a word joiner so a report pasted into an issue pings nobody.
 * - Markdown code (`mdCodeSpan`, `mdFence`): delimiters longer than any backtick run in the content,
 *   so the content cannot close them; fences can be indented to stay inside a list item.
 * - HTML (`escapeHtml`): `& < > " ' \` =` as Handlebars does; templates use `{{ }}` for data.
 * - XML/SVG (`escapeXml`): `& < > " '`, and characters XML 1.0 forbids are replaced.
 * - Prose from our own tables (`parseRich` + `mdRich`/`htmlRich`): a small, closed Markdown subset
 *   (paragraphs, lists, fences, code spans, bold, http(s) links when allowed); everything else in it
 *   is escaped as text.
 */

/** Control characters (except tab and newline) and bidi overrides, which can forge or hide text. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Normalizes newlines and replaces control characters with U+FFFD. */
export function cleanText(s: unknown): string {
  if (s === null || s === undefined) return '';
  return String(s).replace(/\r\n?/g, '\n').replace(CONTROL, '\ufffd');
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

export function escapeHtml(s: unknown): string {
  return cleanText(s).replace(/[&<>"'`=]/g, (c) => HTML_ESCAPES[c]);
}

/** XML 1.0 text and attribute values (the SVG badge). */
export function escapeXml(s: unknown): string {
  return cleanText(s)
    .replace(/[\t\n]/g, ' ')
    .replace(/[\ud800-\udfff]/g, (c, i: number, all: string) => {
      // keep well-formed surrogate pairs, replace lone surrogates (not allowed in XML)
      const code = c.charCodeAt(0);
      if (code < 0xdc00) return /[\udc00-\udfff]/.test(all[i + 1] ?? '') ? c : '\ufffd';
      return /[\ud800-\udbff]/.test(all[i - 1] ?? '') ? c : '\ufffd';
    })
    .replace(/[\ufffe\uffff]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

// ───────────────────────────── Markdown ─────────────────────────────

const MD_INLINE: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const WORD_JOINER = '\u2060';

/** Markdown-escapes text that sits in the middle of a line (no line-start rules). */
export function mdInline(s: unknown): string {
  return cleanText(s)
    .replace(/[\\`*_[\]()|~$]/g, (c) => `\\${c}`)
    .replace(/!(?=\\\[)/g, '\\!')
    .replace(/[&<>"]/g, (c) => MD_INLINE[c])
    .replace(/(^|[^\w`])@(?=[\w-])/g, `$1@${WORD_JOINER}`)
    .replace(/\t/g, ' ')
    .replace(/\n/g, '<br>');
}

/** Markdown-escapes a value wherever it lands, including at the start of a line or table cell. */
export function mdText(s: unknown): string {
  return escapeLineStart(mdInline(s));
}

/** Neutralizes the block markers a value would start at the beginning of a line: headings, list items, rules. */
function escapeLineStart(escaped: string): string {
  return escaped
    .replace(/^(\s*)(#{1,6})(?=\s|$)/, '$1\\$2')
    .replace(/^(\s*)([-+])(?=\s|$)/, '$1\\$2')
    .replace(/^(\s*)(=+|-+)(\s*)$/, '$1\\$2$3')
    .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

function longestRun(s: string, ch: string): number {
  let max = 0;
  let cur = 0;
  for (const c of s) {
    cur = c === ch ? cur + 1 : 0;
    if (cur > max) max = cur;
  }
  return max;
}

/** An inline code span the content cannot close; newlines become spaces (a newline could start a block). */
export function mdCodeSpan(s: unknown): string {
  const body = cleanText(s).replace(/\s*\n\s*/g, ' ');
  if (body === '') return '';
  const ticks = '`'.repeat(longestRun(body, '`') + 1);
  const pad = /^[`\s]|[`\s]$/.test(body) ? ' ' : '';
  return `${ticks}${pad}${body}${pad}${ticks}`;
}

/** A fenced code block whose fence is longer than any backtick run in the code; `indent` keeps it inside a list item. */
export function mdFence(code: unknown, language?: unknown, indent = 0): string {
  const body = cleanText(code).replace(/\n+$/, '');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  const info = cleanText(language)
    .replace(/[^\w+.-]/g, '')
    .slice(0, 30);
  const pad = ' '.repeat(indent);
  return [`${fence}${info}`, ...body.split('\n'), fence].map((l) => (l === '' ? '' : pad + l)).join('\n');
}

/** A URL fit for a Markdown link destination: http(s) only, and nothing that could end the destination. */
export function safeUrl(url: unknown): string | undefined {
  const u = cleanText(url);
  if (!/^https?:\/\/[^\s]+$/i.test(u) || /[\ufffd]/.test(u)) return undefined;
  return u.replace(/[<>"'`()[\]\\|{}^]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function mdLink(text: string, url: unknown): string {
  const u = safeUrl(url);
  return u ? `[${text}](${u})` : text;
}

// ─────────────────────── prose with a closed Markdown subset ───────────────────────

export type Inline =
  { t: 'text'; v: string } | { t: 'code'; v: string } | { t: 'strong'; v: Inline[] } | { t: 'link'; text: string; url: string };
export type Block =
  { t: 'p'; lines: Inline[][] } | { t: 'list'; ordered: boolean; items: Inline[][] } | { t: 'code'; lang: string; code: string };

/**
 * Parses prose into a closed Markdown subset: paragraphs, `-`/`1.` lists, fenced code, code spans,
 * `**bold**`, and `[text](https://…)` links to documentation hosts when `links` is set. Anything else is text.
 */
export function parseRich(s: unknown, opts: { links: boolean }): Block[] {
  const lines = cleanText(s).split('\n');
  const blocks: Block[] = [];
  let para: Inline[][] | null = null;
  let list: { ordered: boolean; items: string[] } | null = null;
  const flush = () => {
    if (para) blocks.push({ t: 'p', lines: para });
    if (list) blocks.push({ t: 'list', ordered: list.ordered, items: list.items.map((i) => parseInline(i, opts.links)) });
    para = null;
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^\s*(`{3,}|~{3,})\s*([\w+.-]*)\s*$/.exec(line);
    if (fence) {
      flush();
      const close = new RegExp(`^\\s*${fence[1][0] === '`' ? '`' : '~'}{${fence[1].length},}\\s*$`);
      const code: string[] = [];
      for (i++; i < lines.length && !close.test(lines[i]); i++) code.push(lines[i]);
      blocks.push({ t: 'code', lang: fence[2], code: code.join('\n') });
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const item = /^\s*(?:([-*+])|(\d{1,3})[.)])\s+(.*)$/.exec(line);
    if (item) {
      const ordered = item[2] !== undefined;
      if (!list || list.ordered !== ordered) {
        flush();
        list = { ordered, items: [] };
      }
      list.items.push(item[3]);
      continue;
    }
    if (list && /^\s+\S/.test(line)) {
      list.items[list.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    if (list) flush();
    (para ??= []).push(parseInline(line.trim(), opts.links));
  }
  flush();
  return blocks;
}

/** Where links in our own prose may point: documentation of SLSA, the platforms and the tools the roadmap names. */
const DOC_HOSTS =
  /^https:\/\/((www\.)?slsa\.dev|docs\.github\.com|cli\.github\.com|github\.com\/(slsa-framework|ossf|sigstore|actions|github)\/|docs\.gitlab\.com|(docs\.)?sigstore\.dev|(www\.)?openssf\.org|scorecard\.dev|securityscorecards\.dev)(\/|$)/i;

export function parseInline(s: string, links: boolean): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const push = (tok: Inline) => {
    if (text) out.push({ t: 'text', v: text });
    text = '';
    out.push(tok);
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '`') {
      let n = 1;
      while (s[i + n] === '`') n++;
      const run = '`'.repeat(n);
      let j = s.indexOf(run, i + n);
      while (j !== -1 && s[j + n] === '`') {
        let k = j;
        while (s[k] === '`') k++;
        j = s.indexOf(run, k);
      }
      if (j !== -1) {
        const body = s.slice(i + n, j);
        push({ t: 'code', v: /^ .* $/.test(body) && body.trim() !== '' ? body.slice(1, -1) : body });
        i = j + n;
        continue;
      }
      text += run;
      i += n;
      continue;
    }
    if (c === '*' && s[i + 1] === '*') {
      const j = s.indexOf('**', i + 2);
      if (j > i + 2) {
        push({ t: 'strong', v: parseInline(s.slice(i + 2, j), links) });
        i = j + 2;
        continue;
      }
    }
    if (c === '[' && links && s[i - 1] !== '!') {
      const m = /^\[([^\]\n]+)\]\((https:\/\/[^\s()<>]+)\)/.exec(s.slice(i));
      if (m && DOC_HOSTS.test(m[2])) {
        push({ t: 'link', text: m[1], url: m[2] });
        i += m[0].length;
        continue;
      }
    }
    text += c;
    i++;
  }
  if (text) out.push({ t: 'text', v: text });
  return out;
}

function inlineToMd(tokens: Inline[]): string {
  let out = '';
  tokens.forEach((tok, idx) => {
    if (tok.t === 'text') out += idx === 0 ? mdText(tok.v) : mdInline(tok.v);
    else if (tok.t === 'code') out += mdCodeSpan(tok.v);
    else if (tok.t === 'strong') out += `**${inlineToMd(tok.v)}**`;
    else out += mdLink(mdInline(tok.text), tok.url);
  });
  return out;
}

/** Prose rendered as Markdown in the closed subset; `indent` keeps every line inside a list item. */
export function mdRich(s: unknown, opts: { links: boolean; indent?: number }): string {
  const pad = ' '.repeat(opts.indent ?? 0);
  const blocks = parseRich(s, opts).map((b) => {
    if (b.t === 'code') return mdFence(b.code, b.lang, opts.indent ?? 0);
    if (b.t === 'p') return b.lines.map((l) => pad + inlineToMd(l)).join('  \n');
    return b.items.map((it, i) => `${pad}${b.ordered ? `${i + 1}.` : '-'} ${inlineToMd(it)}`).join('\n');
  });
  // The first line continues wherever the caller placed it (after a list marker, say).
  return blocks.join('\n\n').slice(pad.length);
}

function inlineToHtml(tokens: Inline[]): string {
  return tokens
    .map((tok) => {
      if (tok.t === 'text') return escapeHtml(tok.v);
      if (tok.t === 'code') return `<code>${escapeHtml(tok.v)}</code>`;
      if (tok.t === 'strong') return `<strong>${inlineToHtml(tok.v)}</strong>`;
      const u = safeUrl(tok.url);
      return u ? `<a href="${escapeHtml(u)}" rel="noopener noreferrer">${escapeHtml(tok.text)}</a>` : escapeHtml(tok.text);
    })
    .join('');
}

/** Prose rendered as HTML in the closed subset (every text run escaped). */
export function htmlRich(s: unknown, opts: { links: boolean }): string {
  return parseRich(s, opts)
    .map((b) => {
      if (b.t === 'code')
        return `<div class="snippet"${b.lang ? ` data-lang="${escapeHtml(b.lang)}"` : ''}><pre><code>${escapeHtml(b.code)}</code></pre></div>`;
      if (b.t === 'p') return `<p>${b.lines.map(inlineToHtml).join('<br>')}</p>`;
      const tag = b.ordered ? 'ol' : 'ul';
      return `<${tag}>${b.items.map((it) => `<li>${inlineToHtml(it)}</li>`).join('')}</${tag}>`;
    })
    .join('');
}

/** One line of text whose `code spans` are kept (messages, reasons, evidence), as Markdown outside tables. */
export function mdInlineRich(s: unknown): string {
  return inlineToMd(parseInline(cleanText(s).replace(/\s*\n\s*/g, ' '), false));
}

/** One line of text whose `code spans` become <code>, everything else escaped. */
export function htmlInline(s: unknown): string {
  return inlineToHtml(parseInline(cleanText(s).replace(/\s*\n\s*/g, ' '), false));
}

/** Plain text with one line (summaries, table cells, SVG titles). */
export function oneLine(s: unknown, max = Infinity): string {
  const t = cleanText(s).replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** SARIF message text: `[` and `]` are escaped (SARIF §3.11.6 embedded links), and `\` itself. */
export function sarifText(s: unknown): string {
  return cleanText(s).replace(/[\\[\]]/g, (c) => `\\${c}`);
}
