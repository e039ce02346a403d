/**
 * Injection payloads through every renderer (table, json, md, html, sarif, badge, shields): check
 * names, reasons, messages, snippets, paths, remediation, evidence, unknowns and the repository's
 * name. Markdown and HTML must carry them as text, SVG must stay well-formed XML, JSON and SARIF
 * must stay valid JSON. (The HTML is also opened in Chromium: browser.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { renderAs, type RenderOptions } from '../../src/report/index.js';
import { PAGE_SCRIPT } from '../../src/report/html.js';
import { mdCodeSpan, mdFence, mdRich, mdText, htmlRich, htmlInline, mdInlineRich, escapeXml } from '../../src/report/escape.js';
import { ALL, XSS, hostile } from './fixtures.js';
import { blocks, cells, linkTargets, liveText } from './md.js';
import { checkXml } from './xml.js';

const O: RenderOptions = { color: false, details: true };
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202e]/;
/** Tags our Markdown template writes itself. */
const MD_TAGS = /^<\/?(details|summary|br|sub)>/;

describe('hostile repository content', () => {
  const a = hostile();

  it('Markdown: no raw HTML, no live links or images but ours, no control characters, tables keep their shape', async () => {
    const md = await renderAs('md', a, O);
    expect(md).not.toMatch(CONTROL);
    const live = liveText(md);
    // Every "<" outside code is one of our own tags; no tag carries an attribute.
    for (const m of live.matchAll(/<[^\n]{0,20}/g)) expect(m[0], m[0]).toMatch(MD_TAGS);
    expect(live).not.toMatch(/<[^>]*onerror=/i);
    expect(live).not.toMatch(/<script/i);
    // The only live link targets are the repository at the assessed commit and our own docs links.
    for (const url of linkTargets(live)) expect(url).toMatch(/^https:\/\/(github\.com\/acme\/|slsa\.dev\/)/);
    expect(live).not.toMatch(/(?<!\\)!\[/);
    expect(live).not.toMatch(/\]\(javascript:/i);
    // The payload is there, as text.
    expect(live).toContain('&lt;script&gt;window.\\_\\_pwned=1;alert\\(1\\)&lt;/script&gt;');
    expect(live).toContain('\\[x\\]\\(javascript:alert\\(1\\)\\)');
    expect(live).toContain('@\u2060octocat');
    expect(live).toContain('\\$x^2\\$');
    // Table rows keep four cells whatever the content.
    const table = md.split('## Checks')[1].split('\n\n')[1].split('\n');
    for (const row of table.slice(2)) expect(cells(row), row).toHaveLength(4);
    expect(table.length - 2).toBe(a.checks.length);
    const unknowns = md.split('## Could not be determined')[1].split('\n\n')[2].split('\n');
    for (const row of unknowns.slice(2)) expect(cells(row), row).toHaveLength(4);
    // The snippet that tries to close its fence stays inside a longer one.
    const { fences } = blocks(md);
    const snippet = fences.find((f) => f.body.some((l) => l.includes('snippet <script>')));
    expect(snippet?.fence.length).toBeGreaterThan(3);
    expect(snippet?.body.map((l) => l.replace(/^ {2}/, '')).join('\n')).toContain(
      '```\n</code></pre><script>window.__pwned=5</script>\n~~~',
    );
    // Fence info strings stay a bare language word.
    for (const f of fences) expect(f.info).toMatch(/^[\w+.-]*$/);
  });

  it('HTML: nothing but our one script, no handlers, no foreign links, no control characters', async () => {
    const html = await renderAs('html', a, O);
    expect(html).not.toMatch(CONTROL);
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(html).toContain(`<script>${PAGE_SCRIPT}</script>`);
    expect(html).not.toMatch(/<(img|iframe|svg onload|style>body)/i);
    expect(html).not.toMatch(/\son\w+=/i);
    expect(html).not.toMatch(/(href|src|action)\s*=\s*["']?\s*javascript:/i);
    for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g))
      expect(m[1]).toMatch(/^(#[\w-]+|https:\/\/(github\.com\/acme\/|slsa\.dev\/))/);
    expect(html).toContain('&lt;script&gt;window.__pwned&#x3D;1;alert(1)&lt;/script&gt;');
  });

  it('SVG badge: well-formed XML, the payload only as escaped text', async () => {
    const svg = await renderAs('badge', a, O);
    expect(svg).not.toMatch(CONTROL);
    checkXml(svg);
    expect(svg).not.toMatch(/<(script|img)/i);
    expect(svg).toContain('acme/&quot;&gt;&lt;img src=x onerror=&quot;');
  });

  it('JSON, SARIF and shields stay valid JSON carrying the text', async () => {
    const json = JSON.parse(await renderAs('json', a, O));
    expect(json).toEqual(JSON.parse(JSON.stringify(a)));
    const sarif = JSON.parse(await renderAs('sarif', a, O));
    const evil = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId.startsWith('Evil'));
    expect(evil.message.text).toContain('\\[x\\](javascript:alert(1))');
    expect(JSON.stringify(sarif)).not.toMatch(/[\u0000-\u0008\u001b\u202e]/);
    for (const rule of sarif.runs[0].rules ?? sarif.runs[0].tool.driver.rules) {
      expect(liveText(rule.help.markdown)).not.toMatch(/<script|<img/i);
      expect(rule.helpUri ?? '').not.toMatch(/javascript/i);
    }
    const shields = JSON.parse(await renderAs('shields', a, O));
    expect(Object.keys(shields).sort()).toEqual(['color', 'label', 'message', 'schemaVersion']);
  });

  it('table: control characters cannot forge terminal output', async () => {
    const t = await renderAs('table', a, O);
    expect(t).not.toMatch(/[\u0000\u0007\u001b\u202e]/);
  });
});

describe('escaping primitives', () => {
  it('mdText escapes inline markup and line-start markers, and keeps plain text readable', () => {
    expect(mdText('a_b *c* [d](e) `f` | g ~h~ $i$ <j> & "k"')).toBe(
      'a\\_b \\*c\\* \\[d\\]\\(e\\) \\`f\\` \\| g \\~h\\~ \\$i\\$ &lt;j&gt; &amp; &quot;k&quot;',
    );
    expect(mdText('# head')).toBe('\\# head');
    expect(mdText('- item')).toBe('\\- item');
    expect(mdText('1. item')).toBe('1\\. item');
    expect(mdText('---')).toBe('\\---');
    expect(mdText('7.4')).toBe('7.4');
    expect(mdText('line\nnext')).toBe('line<br>next');
    expect(mdText('![x](y)')).toBe('\\!\\[x\\]\\(y\\)');
    expect(mdText('ping @team and me@example.com')).toBe('ping @\u2060team and me@example.com');
  });

  it('code spans and fences are longer than any backtick run inside', () => {
    expect(mdCodeSpan('a`b')).toBe('``a`b``');
    expect(mdCodeSpan('`x`')).toBe('`` `x` ``');
    expect(mdCodeSpan('two\nlines')).toBe('`two lines`');
    expect(mdFence('x\n````\ny', 'yaml')).toBe('`````yaml\nx\n````\ny\n`````');
    expect(mdFence('a\n\nb', 'sh"><', 2)).toBe('  ```sh\n  a\n\n  b\n  ```');
  });

  it('prose keeps code spans, bold and http(s) links only where allowed', () => {
    expect(mdRich('Use `a|b` and **c** [docs](https://slsa.dev/spec)', { links: true })).toBe(
      'Use `a|b` and **c** [docs](https://slsa.dev/spec)',
    );
    expect(mdRich('[docs](https://slsa.dev/spec)', { links: false })).toBe('\\[docs\\]\\(https://slsa.dev/spec\\)');
    // Only documentation hosts, only https, never an image.
    expect(mdRich('[x](https://evil.example/) [y](http://slsa.dev/) ![z](https://slsa.dev/z.png)', { links: true })).toBe(
      '\\[x\\]\\(https://evil.example/\\) \\[y\\]\\(http://slsa.dev/\\) \\!\\[z\\]\\(https://slsa.dev/z.png\\)',
    );
    expect(mdRich('[x](javascript:alert(1))', { links: true })).toBe('\\[x\\]\\(javascript:alert\\(1\\)\\)');
    expect(mdRich('one\n\n- a\n- b', { links: false, indent: 3 })).toBe('one\n\n   - a\n   - b');
    expect(htmlRich('`<b>` **x** [d](https://slsa.dev) [e](javascript:1)', { links: true })).toBe(
      '<p><code>&lt;b&gt;</code> <strong>x</strong> <a href="https://slsa.dev" rel="noopener noreferrer">d</a> [e](javascript:1)</p>',
    );
  });

  it('one-line messages keep their code spans and nothing else', () => {
    expect(mdInlineRich('job `build` runs <b>[x](y)</b>\n# not a heading')).toBe(
      'job `build` runs &lt;b&gt;\\[x\\]\\(y\\)&lt;/b&gt; # not a heading',
    );
    expect(htmlInline('job `<build>` runs <b>\u0000')).toBe('job <code>&lt;build&gt;</code> runs &lt;b&gt;\ufffd');
  });

  it('XML escaping replaces what XML 1.0 forbids', () => {
    expect(escapeXml(`a<b>&"'\u0000\ud800`)).toBe('a&lt;b&gt;&amp;&quot;&apos;\ufffd\ufffd');
    expect(escapeXml('😀')).toBe('😀');
  });

  it('the payload set is what the issue names', () => {
    for (const p of ['<script>', 'onerror=', '[x](javascript:alert(1))', '![x](https://evil', ']]>', '<!--']) expect(ALL).toContain(p);
    expect(XSS.control).toMatch(CONTROL);
  });
});
