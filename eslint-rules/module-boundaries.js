// @ts-check
/**
 * The house's layering as a lint rule (ESLint has no built-in for it): which folder may import which,
 * no import cycle between feature modules, and a module reached by another only through its
 * index.ts. The module graph is read once per lint run from the import lines of src/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm;

/** The unit a file of src/ belongs to: `modules/<name>`, a top folder (`domain`, `platform`...), or `app`. */
export function unitOf(file) {
  const parts = relative(SRC, file).split(sep);
  if (parts[0] === '..' || parts.length === 0) return null;
  if (parts.length === 1) return 'app';
  if (parts[0] === 'modules') return parts.length > 2 ? `modules/${parts[1]}` : 'modules';
  return parts[0];
}

/** What each layer may import besides itself (`modules/*` are the feature modules). */
const MAY_IMPORT = {
  domain: [],
  platform: ['domain'],
  access: ['domain', 'platform'],
  modules: ['domain', 'platform', 'access', 'modules/*'],
  cli: ['*'],
  demo: ['domain', 'platform', 'access', 'modules/*'],
  app: ['*'],
};

function allowed(from, to) {
  if (from === to) return true;
  const layer = from.startsWith('modules/') ? 'modules' : from;
  const list = MAY_IMPORT[layer] ?? ['*'];
  if (list.includes('*')) return to !== 'demo' || from === 'app';
  return list.includes(to) || (to.startsWith('modules/') && list.includes('modules/*'));
}

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

const targetOf = (file, spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts'));

let graph;
/** modules/<a> -> set of modules/<b> it imports. */
function moduleGraph() {
  if (graph) return graph;
  graph = new Map();
  for (const file of sourceFiles(SRC)) {
    const from = unitOf(file);
    if (!from?.startsWith('modules/')) continue;
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = unitOf(targetOf(file, spec));
      if (to?.startsWith('modules/') && to !== from) {
        if (!graph.has(from)) graph.set(from, new Set());
        graph.get(from).add(to);
      }
    }
  }
  return graph;
}

function reaches(start, goal, seen = new Set()) {
  if (start === goal) return true;
  if (seen.has(start)) return false;
  seen.add(start);
  for (const next of moduleGraph().get(start) ?? []) if (reaches(next, goal, seen)) return true;
  return false;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: { type: 'problem', schema: [], messages: { bad: '{{why}}' } },
  create(context) {
    const file = context.filename;
    const from = unitOf(file);
    if (!from) return {};
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = targetOf(file, spec);
      const to = unitOf(target);
      if (!to || to === from) return;
      const report = (why) => context.report({ node: node.source, messageId: 'bad', data: { why } });
      if (!allowed(from, to)) return report(`${from} may not import ${to} (see ARCHITECTURE.md, layers)`);
      if (to.startsWith('modules/') && from.startsWith('modules/')) {
        if (!target.endsWith(`${sep}index.ts`)) report(`import ${to} through its index.ts, not its internals`);
        if (reaches(to, from)) report(`import cycle between modules: ${from} -> ${to} -> ... -> ${from}`);
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

export default { rules: { 'module-boundaries': rule } };
