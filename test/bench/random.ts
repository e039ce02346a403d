/** A small deterministic PRNG, so the generated repository is the same on every machine. */
export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** mulberry32: uniform in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  hex(n: number): string {
    let s = '';
    while (s.length < n)
      s += Math.floor(this.next() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    return s.slice(0, n);
  }

  ident(): string {
    return `${this.pick(WORDS)}${this.pick(WORDS).replace(/^./, (c) => c.toUpperCase())}`;
  }
}

export const WORDS = [
  'account',
  'buffer',
  'cache',
  'digest',
  'event',
  'frame',
  'graph',
  'handle',
  'index',
  'job',
  'key',
  'ledger',
  'message',
  'node',
  'option',
  'packet',
  'query',
  'record',
  'stream',
  'token',
  'upload',
  'vector',
  'worker',
  'zone',
  'policy',
  'signer',
  'builder',
  'resolver',
  'loader',
  'mirror',
  'artifact',
  'bundle',
  'config',
  'client',
  'server',
  'session',
  'store',
  'queue',
  'router',
  'filter',
  'parser',
  'writer',
  'reader',
  'schema',
];
