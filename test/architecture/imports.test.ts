import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The layering rules, checked on the source text so they also hold for files no test imports:
 * - lib/ imports no IaC framework and nothing from constructs/ or bin/;
 * - inside lib/, each folder imports only the layers below it (LIB_LAYERS);
 * - an adapter imports lib and its own framework only, never another adapter;
 * - no runtime import cycle among the project's own files.
 * Every folder scanned must hold TypeScript files: a folder that cannot be read fails instead of passing
 * with nothing checked.
 */
const ROOT = join(__dirname, '..', '..');
const ADAPTERS = ['cdk', 'cdktf', 'pulumi', 'local'] as const;
const FRAMEWORK_OF: Record<(typeof ADAPTERS)[number], RegExp | null> = {
  cdk: /^(aws-cdk-lib|constructs|cdk-nag)(\/|$)/,
  cdktf: /^(cdktf(\/|$)|@cdktf\/|constructs(\/|$))/,
  pulumi: /^@pulumi\//,
  local: /^yaml$/,
};
const ANY_FRAMEWORK = /^(aws-cdk-lib|constructs|cdk-nag|cdktf|@cdktf\/|@pulumi\/|cdk8s)/;

/**
 * What each part of lib/ may import from lib/ besides itself (lib/README.md): the shared vocabulary
 * (`types.ts`, `errors.ts`, the notice registry `notices.ts`) at the bottom; the input schema, the data and the engines'
 * launch rendering on it; sizing is arithmetic on the data; planning uses all of those; deploy and report
 * sit on the plan. `index.ts` is the public face and may import anything.
 */
const VOCABULARY = ['types.ts', 'errors.ts', 'notices.ts'];
const LIB_LAYERS: Readonly<Record<string, readonly string[]>> = {
  'types.ts': [],
  'errors.ts': ['types.ts'],
  'notices.ts': [],
  input: VOCABULARY,
  catalog: VOCABULARY,
  serving: [...VOCABULARY, 'catalog'],
  sizing: [...VOCABULARY, 'catalog'],
  plan: [...VOCABULARY, 'input', 'catalog', 'sizing', 'serving'],
  // Deploy reads what it needs from the plan (checkpoint kind, instance facts), never the catalog or sizing.
  deploy: [...VOCABULARY, 'input', 'serving', 'plan'],
  report: [...VOCABULARY, 'input', 'catalog', 'sizing', 'serving', 'plan'],
};

/** Every .ts file under `dir`; throws when `dir` cannot be read (a missing folder is an error, not "no offenders"). */
function tsFiles(dir: string): string[] {
  let out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(tsFiles(p));
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** tsFiles, and at least one: a scan that sees nothing proves nothing. */
function scanned(dir: string): string[] {
  const files = tsFiles(dir);
  if (files.length === 0) throw new Error(`no TypeScript files under ${relative(ROOT, dir)}: the architecture rules would pass vacuously`);
  return files;
}

interface ImportRef {
  readonly spec: string;
  /** `import type` / `export type`, or only `type` names in the braces: erased at compile time. */
  readonly typeOnly: boolean;
}

const IMPORT_RE = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importRefs(source: string): ImportRef[] {
  return [...source.matchAll(IMPORT_RE)].map((m) => {
    if (m[4] === undefined) return { spec: (m[5] ?? m[6] ?? m[7])!, typeOnly: false };
    const braces = /^\{([^}]*)\}$/.exec(m[3].trim());
    const names = braces ? braces[1].split(',').map((n) => n.trim()).filter((n) => n.length > 0) : [];
    const allTypes = names.length > 0 && names.every((n) => n.startsWith('type '));
    return { spec: m[4], typeOnly: m[2] !== undefined || allTypes };
  });
}

function imports(file: string): string[] {
  return importRefs(readFileSync(file, 'utf8')).map((r) => r.spec);
}

/** The project file a relative import names (`./x` → x.ts or x/index.ts); undefined for packages and JSON. */
function resolveRelative(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts'), base.replace(/\.js$/, '.ts')]) {
    if (candidate.endsWith('.ts') && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  if (/\.json$/.test(spec)) return undefined;
  throw new Error(`${relative(ROOT, from)}: cannot resolve import '${spec}'`);
}

/** Runtime edges (type-only imports left out) among the project's own files. */
function runtimeGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const targets = importRefs(readFileSync(f, 'utf8')).filter((r) => !r.typeOnly).map((r) => resolveRelative(f, r.spec)).filter((t): t is string => t !== undefined);
    graph.set(f, [...new Set(targets)]);
  }
  return graph;
}

/** Each cycle once, as the list of files along it (depth-first search with the current path on a stack). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    path.push(f);
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === 'open') found.push(path.slice(path.indexOf(t)));
      else if (state.get(t) === undefined) visit(t);
    }
    path.pop();
    state.set(f, 'done');
  };
  for (const f of [...graph.keys()].sort()) if (state.get(f) === undefined) visit(f);
  return found;
}

/** Whether import `spec` (from a file in constructs/<x>/ or deeper) names constructs/<folder>. */
function importsFolder(spec: string, folder: string): boolean {
  return new RegExp(`(^|/)constructs/${folder}(/|$)|^\\.\\./${folder}(/|$)`).test(spec);
}

/** The part of lib/ a file belongs to: its top folder, or the file itself at lib/'s top level. */
function libPart(file: string): string {
  return relative(join(ROOT, 'lib'), file).split(/[\\/]/)[0];
}

/** lib/ files importing a part of lib/ their own part may not, as "file → import (part)". */
function layerOffenders(files: readonly string[], layers: Readonly<Record<string, readonly string[]>>, importsOf: (file: string) => string[] = imports): string[] {
  const out: string[] = [];
  for (const f of files) {
    const from = libPart(f);
    if (from === 'index.ts') continue;
    const allowed = layers[from];
    if (allowed === undefined) {
      out.push(`${relative(ROOT, f)}: ${from} has no layer in LIB_LAYERS`);
      continue;
    }
    for (const spec of importsOf(f)) {
      const target = resolveRelative(f, spec);
      if (target === undefined) continue;
      const rel = relative(join(ROOT, 'lib'), target);
      if (rel.startsWith('..')) continue; // outside lib: the framework/adapter rule's business
      const to = libPart(target);
      if (to !== from && !allowed.includes(to)) out.push(`${relative(ROOT, f)} → ${spec} (${to})`);
    }
  }
  return out;
}

describe('architecture: who may import what', () => {
  const libFiles = scanned(join(ROOT, 'lib'));

  test('lib/ imports no IaC framework', () => {
    const offenders = libFiles.flatMap((f) => imports(f).filter((i) => ANY_FRAMEWORK.test(i)).map((i) => `${relative(ROOT, f)} → ${i}`));
    expect(offenders).toEqual([]);
  });

  test('lib/ imports nothing from constructs/ or bin/', () => {
    const offenders = libFiles.flatMap((f) => imports(f).map((i) => [i, resolveRelative(f, i)] as const)
      .filter(([, t]) => t !== undefined && /^(constructs|bin)[\\/]/.test(relative(ROOT, t)))
      .map(([i]) => `${relative(ROOT, f)} → ${i}`));
    expect(offenders).toEqual([]);
  });

  test('inside lib/, each part imports only the layers below it (catalog and sizing never plan, serving or deploy)', () => {
    for (const part of Object.keys(LIB_LAYERS)) expect([part, existsSync(join(ROOT, 'lib', part))]).toEqual([part, true]);
    expect(layerOffenders(libFiles, LIB_LAYERS)).toEqual([]);
  });

  test.each(ADAPTERS)('constructs/%s imports lib and its own framework only', (adapter) => {
    const offenders: string[] = [];
    for (const f of scanned(join(ROOT, 'constructs', adapter))) {
      for (const i of imports(f)) {
        const otherAdapter = ADAPTERS.some((a) => a !== adapter && importsFolder(i, a));
        const foreignFramework = ANY_FRAMEWORK.test(i) && !FRAMEWORK_OF[adapter]?.test(i);
        if (otherAdapter || foreignFramework) offenders.push(`${relative(ROOT, f)} → ${i}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  test('no runtime import cycle in lib/, constructs/ or bin/', () => {
    const files = ['lib', 'constructs', 'bin'].flatMap((d) => scanned(join(ROOT, d)));
    expect(cycles(runtimeGraph(files)).map((c) => c.map((f) => relative(ROOT, f)).join(' → '))).toEqual([]);
  });
});

describe('the rules themselves catch a violation', () => {
  test('framework patterns', () => {
    expect(ANY_FRAMEWORK.test('aws-cdk-lib/aws-ec2')).toBe(true);
    expect(importsFolder('../cdktf/props', 'cdktf')).toBe(true);
    expect(importsFolder('../../lib/deploy/terraform-shape/args', 'cdktf')).toBe(false);
    expect(FRAMEWORK_OF.pulumi!.test('aws-cdk-lib')).toBe(false);
  });

  test('an unreadable or empty folder fails the scan instead of passing with nothing checked', () => {
    expect(() => scanned(join(ROOT, 'lib', 'no-such-folder'))).toThrow(/ENOENT/);
    expect(() => scanned(join(ROOT, 'test', 'fixtures', 'hf-configs'))).toThrow(/no TypeScript files/);
  });

  test('import parsing: type-only imports are told apart from runtime ones', () => {
    expect(importRefs([
      "import { a, b } from './x';",
      "import type { C } from './y';",
      "import { type D, type E } from './z';",
      "import { type F, g } from './w';",
      "export { h } from './v';",
      "export type { I } from './u';",
      "import './side-effect';",
      "const j = require('./r');",
    ].join('\n'))).toEqual([
      { spec: './x', typeOnly: false }, { spec: './y', typeOnly: true }, { spec: './z', typeOnly: true }, { spec: './w', typeOnly: false },
      { spec: './v', typeOnly: false }, { spec: './u', typeOnly: true }, { spec: './side-effect', typeOnly: false }, { spec: './r', typeOnly: false },
    ]);
  });

  test('the cycle search finds a cycle and only real ones', () => {
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
    expect(cycles(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });

  test.each([
    ['catalog importing plan', 'catalog/gpus.ts', '../plan/planner', 'plan'],
    ['sizing importing plan', 'sizing/params.ts', '../plan/candidates', 'plan'],
    ['catalog importing serving', 'catalog/gpus.ts', '../serving', 'serving'],
    ['serving importing sizing', 'serving/index.ts', '../sizing/params', 'sizing'],
    ['deploy importing sizing', 'deploy/blueprint.ts', '../sizing/storage', 'sizing'],
    ['deploy importing the catalog', 'deploy/capacity.ts', '../catalog/instances', 'catalog'],
  ])('the layer check flags %s', (_name, file, spec, part) => {
    const f = join(ROOT, 'lib', file);
    expect(layerOffenders([f], LIB_LAYERS, () => [spec])).toEqual([`lib/${file} → ${spec} (${part})`]);
    expect(layerOffenders([f], LIB_LAYERS, () => ['../types'])).toEqual([]);
  });
});
