/**
 * `.slsa-scorecard.yml`: select/skip checks, path ignores (global and per check), per-check
 * options, third-party modules. Validated against src/schema/config.schema.json; an invalid file is
 * a clear error naming the file, line, column and key — never silently ignored.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject } from 'ajv';
import schema from './schema/config.schema.json' with { type: 'json' };
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

export interface CheckConfig {
  enabled?: boolean;
  ignore?: string[];
  options?: Record<string, unknown>;
}

export interface Config {
  select?: string[];
  skip?: string[];
  ignore?: string[];
  modules?: string[];
  failUnder?: number;
  checks?: Record<string, CheckConfig>;
}

export interface LoadedConfig {
  config: Config;
  /** The file it came from (undefined: defaults). */
  path?: string;
  /** Position of a key path (e.g. ['checks','Foo']) in the file, for later errors (unknown check ids). */
  where(keyPath: Array<string | number>): string;
}

export class ConfigError extends Error {}

export const CONFIG_NAMES = ['.slsa-scorecard.yml', '.slsa-scorecard.yaml'];

export function findConfig(dir: string): string | undefined {
  return CONFIG_NAMES.map((n) => join(dir, n)).find((p) => existsSync(p));
}

let validator: ReturnType<AjvClass['compile']> | undefined;

/** ajv loads only when a configuration file exists (a run without one starts faster). */
function compileValidator(): ReturnType<AjvClass['compile']> {
  const { Ajv } = createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass };
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

export function loadConfig(path: string | undefined): LoadedConfig {
  if (!path) return { config: {}, where: () => '(defaults)' };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${path}: cannot read the configuration file: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  return parseConfig(path, text);
}

export function parseConfig(path: string, text: string): LoadedConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const p = e.linePos?.[0];
    throw new ConfigError(`${path}:${p?.line ?? 1}:${p?.col ?? 1}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const where = (keyPath: Array<string | number>) => {
    const node = nodeAt(doc.contents as Node | null, keyPath, true);
    const pos = node?.range ? lines.linePos(node.range[0]) : { line: 1, col: 1 };
    return `${path}:${pos.line}:${pos.col}`;
  };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (err) {
    throw new ConfigError(`${path}:1:1: ${(err as Error).message}`);
  }
  validator ??= compileValidator();
  if (!validator(data)) {
    const msgs = (validator.errors ?? []).slice(0, 5).map((e) => describe(e, where));
    throw new ConfigError(`invalid configuration:\n  ${msgs.join('\n  ')}`);
  }
  return { config: data as Config, path, where };
}

function describe(e: ErrorObject, where: (p: Array<string | number>) => string): string {
  const keyPath = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'additionalProperty' || e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    const full = [...keyPath, extra];
    return `${where(full)}: unknown key \`${full.join('.')}\``;
  }
  const key = keyPath.length ? keyPath.join('.') : '(top level)';
  return `${where(keyPath)}: \`${key}\` ${e.message ?? 'is invalid'}`;
}

/** The node for a key path; `keyNode` returns the key itself for the last segment (where to point). */
function nodeAt(root: Node | null, keyPath: Array<string | number>, keyNode: boolean): Node | undefined {
  let cur: Node | null | undefined = root;
  for (let i = 0; i < keyPath.length; i++) {
    const k = keyPath[i];
    if (isMap(cur)) {
      const pair = cur.items.find((p) => String((p.key as { value?: unknown })?.value) === String(k));
      if (!pair) return cur;
      cur = (i === keyPath.length - 1 && keyNode ? pair.key : pair.value) as Node;
    } else if (isSeq(cur)) {
      cur = cur.items[Number(k)] as Node;
    } else return cur ?? undefined;
  }
  return cur ?? undefined;
}
