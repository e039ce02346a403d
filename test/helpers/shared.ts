/**
 * The team's shared data beside the project (../shared): Scorecard's parity cases, the real-world CI
 * corpus, real provenance. Resolved from this file, so a clone anywhere (CI's too) finds it.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach } from 'vitest';
import { tempTree } from './facts.js';

export const SHARED = resolve(import.meta.dirname, '..', '..', '..', 'shared');
export const COMPAT_DIR = join(SHARED, 'compat', 'cases');
export const CORPUS_DIR = join(SHARED, 'corpus');
export const PROVENANCE_DIR = join(SHARED, 'provenance-samples');

export interface CompatCase {
  id: string;
  dir: string;
  check: string;
  compare: 'score' | 'findings' | 'detected';
  expected: number | boolean;
  rules: string[] | null;
  scorecardTest?: string;
  notes: string;
}

/** Scorecard's parity cases, all or those of one check. */
export function compatCases(check?: string): CompatCase[] {
  const file = join(COMPAT_DIR, 'cases.json');
  if (!existsSync(file)) return [];
  const all = JSON.parse(readFileSync(file, 'utf8')) as CompatCase[];
  return check ? all.filter((c) => c.check === check) : all;
}

/** Every file under a directory (relative paths), for corpus walks. */
export function filesUnder(dir: string, match: (rel: string) => boolean = () => true): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const r = rel ? `${rel}/${n}` : n;
      if (statSync(p).isDirectory()) walk(p, r);
      else if (match(r)) out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** Temporary trees removed after each test: `const tree = useTempTrees(); tree({...})`. */
export function useTempTrees(): (files: Record<string, string | Buffer>, git?: boolean) => string {
  let cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanups) c();
    cleanups = [];
  });
  return (files, git = false) => {
    const t = tempTree(files, { git });
    cleanups.push(t.cleanup);
    return t.dir;
  };
}
