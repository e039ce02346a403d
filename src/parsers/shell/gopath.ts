/**
 * Go's `path` / `path/filepath` (POSIX) and the bit of `net/url` Scorecard uses, so that file-name
 * matching behaves exactly like Scorecard's.
 */

/** filepath.Clean: lexical shortest equivalent path. */
export function clean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const body = out.join('/');
  if (rooted) return '/' + body;
  return body === '' ? '.' : body;
}

/** path.Base: last element, trailing slashes removed; "" → ".", all slashes → "/". */
export function base(p: string): string {
  if (p === '') return '.';
  let end = p.length;
  while (end > 0 && p.charCodeAt(end - 1) === 47) end--;
  if (end === 0) return '/';
  return p.slice(p.lastIndexOf('/', end - 1) + 1, end);
}

/** filepath.Dir: all but the last element, cleaned. */
export function dir(p: string): string {
  const i = p.lastIndexOf('/');
  return clean(i < 0 ? '' : p.slice(0, i + 1));
}

/** filepath.Join: non-empty elements joined by "/" and cleaned; "" when all are empty. */
export function join(...elems: string[]): string {
  const nonEmpty = elems.filter((e) => e !== '');
  return nonEmpty.length === 0 ? '' : clean(nonEmpty.join('/'));
}

/** strings.EqualFold for the ASCII-dominated strings compared here. */
export function equalFold(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

/** The decoded path of a URL as url.Parse would give it; throws on a malformed escape, as Go errors. */
export function urlPath(raw: string): string {
  let rest = raw;
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q);
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(rest);
  if (scheme) {
    rest = rest.slice(scheme[0].length);
    if (rest.startsWith('//')) {
      const slash = rest.indexOf('/', 2);
      rest = slash < 0 ? '' : rest.slice(slash);
    } else if (!rest.startsWith('/')) {
      return ''; // opaque URL such as "mailto:x": no path
    }
  }
  return decodeURIComponent(rest);
}
