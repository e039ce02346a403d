/**
 * Just enough GraphQL for the fake GitLab: parses a query document (operations, variables,
 * aliases, arguments with literals, lists, objects and variables, nested selections) and executes
 * it against plain resolver objects, returning exactly the fields asked for. A field the "schema"
 * (the resolver object) lacks is a validation error — the whole query is rejected, as GitLab does
 * for a field its version does not have. A resolver may throw FieldError: that field is null and
 * an error carries its path (GitLab's partial answers).
 */

type Value = string | number | boolean | null | Value[] | { [k: string]: Value } | { $var: string };

interface Field {
  alias?: string;
  name: string;
  args: Record<string, Value>;
  selections?: Field[];
  line: number;
  column: number;
}

export interface Operation {
  name?: string;
  variables: string[];
  selections: Field[];
}

export class GraphqlSyntaxError extends Error {}

export class FieldError extends Error {}

interface Token {
  kind: 'punct' | 'name' | 'string' | 'number' | 'var';
  value: string;
  line: number;
  column: number;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (/[\s,\uFEFF]/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const column = i - lineStart + 1;
    if ('{}()[]:!=@|'.includes(c)) {
      out.push({ kind: 'punct', value: c, line, column });
      i++;
      continue;
    }
    if (src.startsWith('...', i)) {
      out.push({ kind: 'punct', value: '...', line, column });
      i += 3;
      continue;
    }
    if (c === '$') {
      const m = /^\$([_A-Za-z][_0-9A-Za-z]*)/.exec(src.slice(i));
      if (!m) throw new GraphqlSyntaxError(`Expected variable name at ${line}:${column}`);
      out.push({ kind: 'var', value: m[1], line, column });
      i += m[0].length;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\') {
          s += JSON.parse(`"${src.slice(j, j + 2)}"`);
          j += 2;
        } else s += src[j++];
      }
      if (j >= src.length) throw new GraphqlSyntaxError(`Unterminated string at ${line}:${column}`);
      out.push({ kind: 'string', value: s, line, column });
      i = j + 1;
      continue;
    }
    const num = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ kind: 'number', value: num[0], line, column });
      i += num[0].length;
      continue;
    }
    const name = /^[_A-Za-z][_0-9A-Za-z]*/.exec(src.slice(i));
    if (name) {
      out.push({ kind: 'name', value: name[0], line, column });
      i += name[0].length;
      continue;
    }
    throw new GraphqlSyntaxError(`Unexpected character "${c}" at ${line}:${column}`);
  }
  return out;
}

export function parseOperation(src: string): Operation {
  const t = tokenize(src);
  let p = 0;
  const peek = () => t[p];
  const expect = (v: string) => {
    const tok = t[p];
    if (!tok || tok.value !== v || (tok.kind !== 'punct' && tok.kind !== 'name')) {
      throw new GraphqlSyntaxError(
        `Expected "${v}", found ${tok ? `"${tok.value}"` : 'end of document'}${tok ? ` at ${tok.line}:${tok.column}` : ''}`,
      );
    }
    p++;
  };
  const value = (): Value => {
    const tok = t[p++];
    if (!tok) throw new GraphqlSyntaxError('Unexpected end of document');
    if (tok.kind === 'var') return { $var: tok.value };
    if (tok.kind === 'string') return tok.value;
    if (tok.kind === 'number') return Number(tok.value);
    if (tok.kind === 'name') return tok.value === 'true' ? true : tok.value === 'false' ? false : tok.value === 'null' ? null : tok.value;
    if (tok.value === '[') {
      const list: Value[] = [];
      while (peek()?.value !== ']') list.push(value());
      p++;
      return list;
    }
    if (tok.value === '{') {
      const obj: Record<string, Value> = {};
      while (peek()?.value !== '}') {
        const k = t[p++].value;
        expect(':');
        obj[k] = value();
      }
      p++;
      return obj;
    }
    throw new GraphqlSyntaxError(`Unexpected "${tok.value}" at ${tok.line}:${tok.column}`);
  };
  const selectionSet = (): Field[] => {
    expect('{');
    const fields: Field[] = [];
    while (peek() && peek().value !== '}') {
      const first = t[p++];
      if (first.kind !== 'name') throw new GraphqlSyntaxError(`Expected a field name at ${first.line}:${first.column}`);
      let name = first.value;
      let alias: string | undefined;
      if (peek()?.value === ':') {
        p++;
        alias = name;
        name = t[p++].value;
      }
      const args: Record<string, Value> = {};
      if (peek()?.value === '(') {
        p++;
        while (peek()?.value !== ')') {
          const k = t[p++].value;
          expect(':');
          args[k] = value();
        }
        p++;
      }
      const f: Field = { name, args, line: first.line, column: first.column, ...(alias ? { alias } : {}) };
      if (peek()?.value === '{') f.selections = selectionSet();
      fields.push(f);
    }
    expect('}');
    return fields;
  };
  const op: Operation = { variables: [], selections: [] };
  if (peek()?.value === 'query') {
    p++;
    if (peek()?.kind === 'name') op.name = t[p++].value;
    if (peek()?.value === '(') {
      p++;
      while (peek()?.value !== ')') {
        const v = t[p++];
        if (v.kind !== 'var') throw new GraphqlSyntaxError(`Expected a variable at ${v.line}:${v.column}`);
        op.variables.push(v.value);
        expect(':');
        // type: Name, [Name!]!, …
        while (peek() && !(peek().kind === 'var' || peek().value === ')' || peek().value === '=')) p++;
        if (peek()?.value === '=') {
          p++;
          value();
        }
      }
      p++;
    }
  } else if (peek()?.value === 'mutation') {
    throw new GraphqlSyntaxError('mutations are not supported by this fake');
  }
  op.selections = selectionSet();
  if (p !== t.length) throw new GraphqlSyntaxError(`Unexpected "${t[p].value}" after the operation`);
  return op;
}

export interface GraphqlResult {
  data?: Record<string, unknown> | null;
  errors?: Array<{
    message: string;
    locations?: Array<{ line: number; column: number }>;
    path?: Array<string | number>;
    extensions?: Record<string, unknown>;
  }>;
}

/** Resolver objects: a field is a value, or a function of its arguments. `__typename` names the type in errors. */
export type Resolved = Record<string, unknown>;

export function execute(query: string, variables: Record<string, unknown>, root: Resolved): GraphqlResult {
  let op: Operation;
  try {
    op = parseOperation(query);
  } catch (e) {
    return { errors: [{ message: `Parse error: ${(e as Error).message}` }] };
  }
  for (const v of op.variables) {
    if (!(v in variables)) return { errors: [{ message: `Variable $${v} of type was provided invalid value` }] };
  }
  const validation: NonNullable<GraphqlResult['errors']> = [];
  const runtime: NonNullable<GraphqlResult['errors']> = [];
  const resolveArgs = (args: Record<string, Value>): Record<string, unknown> => {
    const sub = (v: Value): unknown => {
      if (v && typeof v === 'object' && !Array.isArray(v) && '$var' in v) return variables[(v as { $var: string }).$var];
      if (Array.isArray(v)) return v.map(sub);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sub(x as Value)]));
      return v;
    };
    return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, sub(v)]));
  };
  const run = (obj: Resolved, fields: Field[], path: Array<string | number>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const key = f.alias ?? f.name;
      if (f.name === '__typename') {
        out[key] = obj.__typename ?? 'Object';
        continue;
      }
      if (!(f.name in obj)) {
        validation.push({
          message: `Field '${f.name}' doesn't exist on type '${String(obj.__typename ?? 'Object')}'`,
          locations: [{ line: f.line, column: f.column }],
          path: [...path, key],
          extensions: { code: 'undefinedField', typeName: obj.__typename, fieldName: f.name },
        });
        continue;
      }
      let v: unknown = obj[f.name];
      try {
        if (typeof v === 'function') v = (v as (a: Record<string, unknown>) => unknown)(resolveArgs(f.args));
      } catch (e) {
        if (!(e instanceof FieldError)) throw e;
        runtime.push({ message: e.message, locations: [{ line: f.line, column: f.column }], path: [...path, key] });
        out[key] = null;
        continue;
      }
      out[key] = shape(v, f, [...path, key]);
    }
    return out;
  };
  const shape = (v: unknown, f: Field, path: Array<string | number>): unknown => {
    if (v === null || v === undefined) return null;
    if (Array.isArray(v)) return v.map((x, i) => shape(x, f, [...path, i]));
    if (f.selections) {
      if (typeof v !== 'object') return null;
      return run(v as Resolved, f.selections, path);
    }
    return v;
  };
  const data = run(root, op.selections, []);
  if (validation.length) return { errors: validation };
  return runtime.length ? { data, errors: runtime } : { data };
}
