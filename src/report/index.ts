/** Renderers by format name; each is loaded only when used. */
import type { Assessment } from '../assessment.js';

export interface RenderOptions {
  color: boolean;
  details: boolean;
  /** A directory of Handlebars templates overriding ours by file name (--template). */
  templateDir?: string;
}

type Renderer = (a: Assessment, o: RenderOptions) => string | Promise<string>;

const RENDERERS: Record<string, { ext: string[]; load: () => Promise<Renderer> }> = {
  table: { ext: ['.txt'], load: async () => (await import('./table.js')).renderTable },
  json: { ext: ['.json'], load: async () => (await import('./json.js')).renderJson },
  md: { ext: ['.md', '.markdown'], load: async () => (await import('./markdown.js')).renderMarkdown },
  html: { ext: ['.html', '.htm'], load: async () => (await import('./html.js')).renderHtml },
  sarif: { ext: ['.sarif', '.sarif.json'], load: async () => (await import('./sarif.js')).renderSarif },
  badge: { ext: ['.svg'], load: async () => (await import('./badge.js')).renderBadge },
  shields: { ext: ['.shields.json'], load: async () => (await import('./shields.js')).renderShields },
};

export const FORMAT_NAMES = Object.keys(RENDERERS);

/** Longest suffix first: `x.sarif.json` is SARIF and `x.shields.json` shields, though both end in `.json`. */
const BY_SUFFIX = Object.entries(RENDERERS)
  .flatMap(([format, r]) => r.ext.map((ext) => ({ ext, format })))
  .sort((a, b) => b.ext.length - a.ext.length);

export function inferFormat(file: string): string | undefined {
  const lower = file.toLowerCase();
  return BY_SUFFIX.find(({ ext }) => lower.endsWith(ext))?.format;
}

export async function renderAs(format: string, a: Assessment, o: RenderOptions): Promise<string> {
  const r = RENDERERS[format];
  if (!r) throw new Error(`unknown format ${format}`);
  return (await r.load())(a, o);
}
