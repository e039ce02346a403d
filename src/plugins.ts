/**
 * Check modules: the built-in checks and third-party ones load through the same door. A module's
 * default export (or its `checks` export) is a check definition or a list of them.
 */
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CheckDefinition, Risk } from './check.js';

export class PluginError extends Error {}

const RISKS: ReadonlySet<Risk> = new Set(['critical', 'high', 'medium', 'low']);

export async function loadCheckModule(specifier: string, baseDir: string, knownFacts: ReadonlySet<string>): Promise<CheckDefinition[]> {
  const url = resolveSpecifier(specifier, baseDir);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    throw new PluginError(`check module ${specifier}: cannot load: ${(err as Error).message}`);
  }
  const exported = mod.default ?? mod.checks;
  const list = Array.isArray(exported) ? exported : [exported];
  if (list.length === 0 || exported === undefined)
    throw new PluginError(`check module ${specifier}: no default export (expected defineCheck(...) or an array of them)`);
  return list.map((c, i) => validateCheck(c, `${specifier}${list.length > 1 ? `[${i}]` : ''}`, knownFacts));
}

function resolveSpecifier(specifier: string, baseDir: string): string {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier) || /\.[cm]?js$/.test(specifier);
  if (isPath) return pathToFileURL(resolve(baseDir, specifier)).href;
  try {
    return pathToFileURL(createRequire(join(baseDir, 'noop.js')).resolve(specifier)).href;
  } catch {
    throw new PluginError(`check module ${specifier}: package not found from ${baseDir} (npm install it, or give a path)`);
  }
}

export function validateCheck(c: unknown, where: string, knownFacts: ReadonlySet<string>): CheckDefinition {
  const def = c as Partial<CheckDefinition> | null;
  const problems: string[] = [];
  if (!def || typeof def !== 'object') throw new PluginError(`check module ${where}: export is not a check definition`);
  if (typeof def.id !== 'string' || !/^[A-Za-z][\w.-]*$/.test(def.id)) problems.push('`id` must be a name like My-Check');
  if (!RISKS.has(def.risk as Risk)) problems.push('`risk` must be critical, high, medium or low');
  if (typeof def.description !== 'string') problems.push('`description` must be a string');
  if (typeof def.run !== 'function') problems.push('`run` must be a function');
  if (!Array.isArray(def.facts)) problems.push('`facts` must be a list of fact names');
  else
    for (const f of def.facts)
      if (!knownFacts.has(f)) problems.push(`unknown fact \`${String(f)}\` (known: ${[...knownFacts].join(', ')})`);
  if (def.remediation !== undefined && !Array.isArray(def.remediation)) problems.push('`remediation` must be a list of strings');
  if (problems.length > 0) throw new PluginError(`check module ${where}: ${problems.join('; ')}`);
  return { remediation: [], ...def } as CheckDefinition;
}
