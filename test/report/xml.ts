/** A small XML 1.0 well-formedness check (elements, attributes, entities, comments) for the SVG badge. */
export function checkXml(xml: string): void {
  const stack: string[] = [];
  const body = xml.replace(/^<\?xml[^?]*\?>/, '');
  const token = /<!--([\s\S]*?)-->|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)/gy;
  let pos = 0;
  let roots = 0;
  while (pos < body.length) {
    token.lastIndex = pos;
    const m = token.exec(body);
    if (!m) throw new Error(`not well-formed at ${pos}: ${JSON.stringify(body.slice(pos, pos + 40))}`);
    pos = token.lastIndex;
    if (m[1] !== undefined) {
      if (m[1].includes('--')) throw new Error('"--" inside a comment');
      continue;
    }
    if (m[6] !== undefined) {
      if (stack.length === 0 && m[6].trim() !== '') throw new Error('text outside the root element');
      checkText(m[6]);
      continue;
    }
    const [, , close, name, attrs, selfClose] = m;
    const seen = new Set<string>();
    for (const a of attrs.matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (seen.has(a[1])) throw new Error(`duplicate attribute ${a[1]}`);
      seen.add(a[1]);
      checkText(a[2] ?? a[3]);
    }
    if (close) {
      if (stack.pop() !== name) throw new Error(`mismatched </${name}>`);
    } else if (!selfClose) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
  }
  if (stack.length) throw new Error(`unclosed <${stack.join('><')}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}

function checkText(t: string): void {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(t)) throw new Error('character not allowed in XML');
  if (/]]>/.test(t)) throw new Error(']]> in text');
  for (const e of t.matchAll(/&([^;]*);?/g)) {
    if (!/^(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+)$/i.test(e[1]) || !e[0].endsWith(';')) throw new Error(`bad entity ${e[0]}`);
  }
}
