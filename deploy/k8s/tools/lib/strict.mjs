// Unknown-field check for the kubernetes-models kinds. Their JSON-schema validators accept any extra property (the
// upstream OpenAPI has no additionalProperties: false), so a typo such as `livenesProbe` would pass. The packages'
// type declarations (.d.ts) list every field of every type; this walks an object along them and reports each key
// that the type does not declare, the way `kubectl apply --validate=strict` does against a live API server.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { nodeModules } from './deps.mjs';

const cache = new Map();

function resolveImport(fromFile, spec) {
  const file = spec.startsWith('.') ? resolve(dirname(fromFile), spec) : join(nodeModules, spec);
  const dts = file.replace(/\.js$/, '') + '.d.ts';
  return existsSync(dts) ? dts : null;
}

/** {props: Map<name, typeExpr>, imports: Map<typeName, file>} of the first interface declared in a .d.ts. */
function parse(file) {
  if (cache.has(file)) return cache.get(file);
  const text = readFileSync(file, 'utf8');
  const imports = new Map();
  for (const m of text.matchAll(/^import \{([^}]+)\} from "([^"]+)";$/gm)) {
    for (const name of m[1].split(',').map((s) => s.trim()).filter(Boolean)) imports.set(name, m[2]);
  }
  const start = text.search(/^export interface \w+(?: extends [^{]+)? \{$/m);
  let props = null;
  if (start >= 0) {
    props = new Map();
    const lines = text.slice(start).split('\n');
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      if (line === '}') break;
      const m = /^ {4}"([^"]+)"\??: (.*)$/.exec(line);
      if (!m) continue;
      let type = m[2];
      if (type === '{') {
        // { [key: string]: T; } spread over three lines
        const value = /^\s+\[key: string\]: (.*);$/.exec(lines[i + 1] || '');
        type = value ? `Map<${value[1]}>` : 'unknown';
        i += 2;
      } else {
        type = type.replace(/;$/, '');
      }
      props.set(m[1], type);
    }
  }
  const parsed = { file, props, imports };
  cache.set(file, parsed);
  return parsed;
}

function typeFile(parsed, typeName) {
  const spec = parsed.imports.get(typeName);
  return spec ? resolveImport(parsed.file, spec) : null;
}

function walk(value, file, path, errors) {
  if (!file || value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const parsed = parse(file);
  if (!parsed.props) return; // a type alias (Quantity, IntOrString, ...): a leaf
  for (const [key, child] of Object.entries(value)) {
    const type = parsed.props.get(key);
    if (type === undefined) {
      errors.push(`${path}.${key}: unknown field`);
      continue;
    }
    let m;
    if ((m = /^Array<(I\w+)>$/.exec(type))) {
      if (Array.isArray(child)) child.forEach((c, i) => walk(c, typeFile(parsed, m[1]), `${path}.${key}[${i}]`, errors));
    } else if ((m = /^Map<(I\w+)>$/.exec(type))) {
      if (child && typeof child === 'object') {
        for (const [k, v] of Object.entries(child)) walk(v, typeFile(parsed, m[1]), `${path}.${key}.${k}`, errors);
      }
    } else if ((m = /^(I\w+)$/.exec(type))) {
      walk(child, typeFile(parsed, m[1]), `${path}.${key}`, errors);
    }
  }
}

/** Unknown fields of obj, a kind declared in <pkg>/<dir>/<Kind>.d.ts; [] when the declaration is not found. */
export function unknownFields(obj, pkg, dir) {
  const file = join(nodeModules, pkg, dir, `${obj.kind}.d.ts`);
  if (!existsSync(file)) return [`no type declaration ${pkg}/${dir}/${obj.kind}.d.ts`];
  const errors = [];
  walk(obj, file, '', errors);
  return errors.map((e) => e.replace(/^\./, ''));
}
