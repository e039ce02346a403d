/** Just enough CommonMark to check our output: fenced blocks, code spans, escapes. */

export interface Fence {
  fence: string;
  info: string;
  body: string[];
}

/** Splits Markdown into text lines and fenced blocks (backtick or tilde fences, CommonMark closing rules). */
export function blocks(md: string): { text: string[]; fences: Fence[] } {
  const text: string[] = [];
  const fences: Fence[] = [];
  let cur: Fence | null = null;
  for (const line of md.split('\n')) {
    if (cur) {
      const t = line.trim();
      if (t.length >= cur.fence.length && [...t].every((c) => c === cur!.fence[0])) {
        fences.push(cur);
        cur = null;
      } else cur.body.push(line);
      continue;
    }
    const m = /^\s{0,12}(`{3,}|~{3,})(.*)$/.exec(line);
    if (m && !(m[1][0] === '`' && m[2].includes('`'))) cur = { fence: m[1], info: m[2].trim(), body: [] };
    else text.push(line);
  }
  if (cur) throw new Error(`unclosed fence ${cur.fence}`);
  return { text, fences };
}

/** Removes inline code spans (matched backtick runs) from a line. */
export function stripCodeSpans(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] === '\\') {
      out += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (line[i] === '`') {
      let n = 1;
      while (line[i + n] === '`') n++;
      const run = '`'.repeat(n);
      let j = line.indexOf(run, i + n);
      while (j !== -1 && line[j + n] === '`') {
        let k = j;
        while (line[k] === '`') k++;
        j = line.indexOf(run, k);
      }
      if (j === -1) {
        out += run;
        i += n;
        continue;
      }
      out += '⟦code⟧';
      i = j + n;
      continue;
    }
    out += line[i++];
  }
  return out;
}

/** The Markdown outside fences and code spans: where markup is live. */
export function liveText(md: string): string {
  return blocks(md).text.map(stripCodeSpans).join('\n');
}

/** Cells of a table row: split on pipes that are not backslash-escaped. */
export function cells(row: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\') {
      cur += row.slice(i, i + 2);
      i++;
    } else if (row[i] === '|') {
      parts.push(cur);
      cur = '';
    } else cur += row[i];
  }
  parts.push(cur);
  return parts.slice(1, -1).map((c) => c.trim());
}

/** Unescaped link/image destinations `](url)` in live text. */
export function linkTargets(live: string): string[] {
  const out: string[] = [];
  const re = /(?<!\\)\]\(([^)\s]*)\)/g;
  for (let m = re.exec(live); m; m = re.exec(live)) out.push(m[1]);
  return out;
}

/** The longest run of blank lines outside fenced blocks. */
export function longestBlankRun(md: string): number {
  let max = 0;
  let run = 0;
  let fence: string | null = null;
  for (const line of md.split('\n')) {
    const f = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (f && f[0] === fence[0] && f.length >= fence.length && line.trim() === f) fence = null;
      continue;
    }
    if (f) {
      fence = f;
      run = 0;
      continue;
    }
    run = line.trim() === '' ? run + 1 : 0;
    max = Math.max(max, run);
  }
  return max;
}
