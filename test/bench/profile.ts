/** Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function, hottest first. */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotFunction {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

export function summarizeProfile(
  path: string,
  root: string,
  top = 15,
): { totalMs: number; functions: HotFunction[]; byFile: HotFunction[] } {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  // Self time from the sample timeline (more exact than hitCount × interval).
  const self = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const dt = deltas[i + 1] ?? 0;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + dt);
  }
  const totalUs = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const fns = new Map<string, HotFunction>();
  const files = new Map<string, HotFunction>();
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const cf = n.callFrame;
    const file = shortUrl(cf.url, root);
    const name = cf.functionName || (cf.url ? '(anonymous)' : `(${n.callFrame.functionName || 'program'})`);
    const where = file ? `${file}:${cf.lineNumber + 1}` : '';
    const key = `${name}\0${where}`;
    const f = fns.get(key) ?? { name, where, selfMs: 0, share: 0 };
    f.selfMs += us / 1000;
    fns.set(key, f);
    const fileKey = file || name;
    const g = files.get(fileKey) ?? { name: fileKey, where: '', selfMs: 0, share: 0 };
    g.selfMs += us / 1000;
    files.set(fileKey, g);
  }
  const finish = (m: Map<string, HotFunction>) =>
    [...m.values()]
      .map((f) => ({ ...f, share: (f.selfMs * 1000) / totalUs }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top);
  return { totalMs: totalUs / 1000, functions: finish(fns), byFile: finish(files) };
}

function shortUrl(url: string, root: string): string {
  if (!url) return '';
  let path = url;
  if (url.startsWith('file://')) {
    try {
      path = fileURLToPath(url);
    } catch {
      return url;
    }
  }
  if (path.startsWith(root)) {
    path = relative(root, path);
    const nm = path.lastIndexOf('node_modules/');
    return nm >= 0 ? path.slice(nm) : path;
  }
  return path;
}
