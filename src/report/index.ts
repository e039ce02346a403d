/** Renderers by format name; each is loaded only when used. */
import type { Assessment } from '../assessment.js';

export interface RenderOptions {
  color: boolean;
  details: boolean;
}

type Renderer = (a: Assessment, o: RenderOptions) => string | Promise<string>;

const RENDERERS: Record<string, { ext: string[]; load: () => Promise<Renderer> }> = {
  table: { ext: ['.txt'], load: async () => (await import('./table.js')).renderTable },
  json: { ext: ['.json'], load: async () => (await import('./json.js')).renderJson },
};

export const FORMAT_NAMES = Object.keys(RENDERERS);

export function inferFormat(file: string): string | undefined {
  const lower = file.toLowerCase();
  return Object.entries(RENDERERS).find(([, r]) => r.ext.some((e) => lower.endsWith(e)))?.[0];
}

export async function renderAs(format: string, a: Assessment, o: RenderOptions): Promise<string> {
  const r = RENDERERS[format];
  if (!r) throw new Error(`unknown format ${format}`);
  return (await r.load())(a, o);
}
