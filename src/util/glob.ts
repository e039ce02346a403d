/**
 * Path globs for config ignores, gitignore-like: `*` within a segment, `**` across segments, a
 * pattern without `/` matches a name at any depth, a trailing `/` means "everything under".
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function compileGlobs(patterns: readonly string[]): (path: string) => boolean {
  const res = patterns.map((p) => {
    let g = p.trim();
    const anchored = g.startsWith('/');
    g = g.replace(/^\/+/, '');
    if (g.endsWith('/')) g += '**';
    if (!anchored && !g.includes('/')) g = `**/${g}`;
    // `dir/**` also matches `dir` itself; `x` also matches everything under a directory `x`.
    return [globToRegExp(g), globToRegExp(`${g}/**`)];
  });
  return (path) => res.some(([a, b]) => a.test(path) || b.test(path));
}
