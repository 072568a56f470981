// The layering of ARCHITECTURE.md as a lint rule: which folder may import which.
//   src/domain    -> src/domain only (pure rules, no I/O)
//   src/platform  -> src/platform, src/domain, src/config.ts (imports no feature)
//   src/access    -> src/access, src/platform, src/domain, src/config.ts
//   src/modules/X -> its own folder, src/access, src/platform, src/domain, src/config.ts, and another
//                    module only through that module's index.ts (its public face)
// The composition root (src/app.ts, src/services.ts, src/cli, src/demo, ...), tests and benches
// may import anything.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = resolve(ROOT, 'src');

/** The layer and module of an absolute path under src/, or null outside the layered folders. */
function placeOf(abs) {
  const rel = relative(SRC, abs);
  if (rel.startsWith('..')) return null;
  const parts = rel.split(sep);
  if (parts[0] === 'modules' && parts.length > 2)
    return { layer: 'modules', module: parts[1], rest: parts.slice(2) };
  if (['domain', 'platform', 'access'].includes(parts[0])) return { layer: parts[0] };
  if (rel === 'config.ts') return { layer: 'config' };
  return { layer: 'root' };
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]/g;

/** Module -> the modules it imports, read from the files as they are on disk (once per lint run). */
let graph;
function moduleGraph() {
  if (graph) return graph;
  graph = new Map();
  const dir = join(SRC, 'modules');
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
    const abs = join(entry.parentPath, entry.name);
    const from = placeOf(abs);
    if (!from || from.layer !== 'modules') continue;
    const edges = graph.get(from.module) ?? new Set();
    graph.set(from.module, edges);
    for (const m of readFileSync(abs, 'utf8').matchAll(IMPORT)) {
      const to = placeOf(resolve(dirname(abs), (m[1] ?? m[2]).replace(/\.js$/, '.ts')));
      if (to && to.layer === 'modules' && to.module !== from.module) edges.add(to.module);
    }
  }
  return graph;
}

/** A path of modules from `start` back to `goal`, or null. */
function pathBack(start, goal) {
  const seen = new Set();
  const walk = (m, path) => {
    if (m === goal) return path;
    if (seen.has(m)) return null;
    seen.add(m);
    for (const next of moduleGraph().get(m) ?? []) {
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return null;
  };
  return walk(start, [start]);
}

const ALLOWED = {
  domain: ['domain'],
  platform: ['platform', 'domain', 'config'],
  access: ['access', 'platform', 'domain', 'config'],
  modules: ['access', 'platform', 'domain', 'config'],
};

export default {
  meta: {
    type: 'problem',
    docs: { description: 'layers import only downwards; modules import each other only through index.ts' },
    schema: [],
    messages: {
      layer: '{{from}} may not import {{to}} (see ARCHITECTURE.md, "Rules a change keeps")',
      cycle: 'module cycle: {{cycle}} (a module may not depend on one that depends on it)',
      internals: 'module "{{from}}" may import module "{{to}}" only through its index.ts, not {{file}}',
    },
  },
  create(context) {
    const file = context.filename;
    const from = placeOf(file);
    if (!from || !ALLOWED[from.layer]) return {};
    function check(node) {
      const spec = node.source && node.source.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      const to = placeOf(target);
      if (!to) return;
      if (from.layer === 'modules' && to.layer === 'modules') {
        if (to.module === from.module) return;
        const back = pathBack(to.module, from.module);
        if (back) {
          context.report({
            node: node.source,
            messageId: 'cycle',
            data: { cycle: [from.module, ...back].join(' -> ') },
          });
          return;
        }
        if (to.rest.length === 1 && to.rest[0] === 'index.ts') return;
        context.report({
          node: node.source,
          messageId: 'internals',
          data: { from: from.module, to: to.module, file: to.rest.join('/') },
        });
        return;
      }
      if (ALLOWED[from.layer].includes(to.layer)) return;
      context.report({
        node: node.source,
        messageId: 'layer',
        data: { from: `src/${from.layer}`, to: relative(ROOT, target) },
      });
    }
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};
