/**
 * The boot-script fragments (lib/deploy/boot/*.sh): the generated module the library renders from
 * is what scripts/boot-assets.ts makes of the .sh files now, every fragment passes shellcheck on its
 * own (with the folder's .shellcheckrc), every fragment is used, and each hook a script calls is
 * implemented exactly once in every combination the renderers choose; the per-node header gives
 * bash back every value byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { join } from 'node:path';
import { BOOT_ASSETS, type BootAssetName } from '../../lib/deploy/boot/assets.generated';
import { bootFragments, variablesHeader } from '../../lib/deploy/boot';
import { nodeScriptFragments, type NodeScriptChoice } from '../../lib/deploy/user-data';
import { AZURE_FRAGMENTS } from '../../lib/deploy/azure/boot-script';
import { BOOT_DIR, fragmentFiles, GENERATED, renderBootAssetsModule } from '../../scripts/boot-assets';
import { testWithTool } from '../helpers/tools';
import { shellcheckFiles } from '../helpers/shellcheck';

const AWS_CHOICES: NodeScriptChoice[] = [
  { storage: 'ebs', fsx: false },
  { storage: 'ebs', fsx: true },
  { storage: 'instance-store', fsx: false },
  { storage: 'instance-store', fsx: true },
];
const combos: [string, BootAssetName[]][] = [
  ...AWS_CHOICES.map((c): [string, BootAssetName[]] => [`AWS ${c.storage}${c.fsx ? ' + FSx' : ''}`, nodeScriptFragments(c)]),
  ['Azure', [...AZURE_FRAGMENTS]],
];

describe('generated module', () => {
  test('is what scripts/boot-assets.ts generates from the .sh files now (rerun the script after editing a fragment)', () => {
    expect(readFileSync(GENERATED, 'utf8')).toBe(renderBootAssetsModule());
  });

  test('holds each .sh file of lib/deploy/boot byte for byte', () => {
    const files = fragmentFiles();
    expect(Object.keys(BOOT_ASSETS).sort()).toEqual(files);
    for (const f of files) expect(BOOT_ASSETS[f as BootAssetName]).toBe(readFileSync(join(BOOT_DIR, f), 'utf8'));
  });

  test('npm run build refuses a stale module before compiling (tsc then carries the fragments into dist)', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toMatch(/^ts-node --swc scripts\/boot-assets\.ts --check && tsc /);
  });
});

describe('fragments', () => {
  test('every fragment is part of some rendered script', () => {
    const used = new Set(combos.flatMap(([, names]) => names));
    expect(Object.keys(BOOT_ASSETS).filter((n) => !used.has(n as BootAssetName))).toEqual([]);
  });

  testWithTool('shellcheck', 'shellcheck of the boot-script fragments')('each passes shellcheck on its own (one run, the folder\'s .shellcheckrc)', () => {
    const paths = fragmentFiles().map((f) => join(BOOT_DIR, f));
    const findings = [...shellcheckFiles(paths, []).entries()].filter(([, v]) => v !== '');
    expect(findings).toEqual([]);
  });

  // Hooks: called by a shared or main fragment, implemented by the fragment the renderer picks.
  const HOOKS: Record<string, string[]> = {
    prepare_storage: ['AWS'],
    mount_weights: ['AWS'],
    engine_unit_extra: ['AWS', 'Azure'],
    api_key_check: ['AWS', 'Azure'],
    read_secret: ['AWS', 'Azure'],
  };
  test.each(combos)('%s: each hook it calls is defined exactly once, and the dispatch comes last', (name, names) => {
    const body = bootFragments(names);
    for (const [hook, clouds] of Object.entries(HOOKS)) {
      if (!clouds.some((c) => name.startsWith(c))) continue;
      expect(body).toMatch(new RegExp(`^(?!${hook}\\(\\)).*\\b${hook}\\b`, 'm'));
      expect(body.match(new RegExp(`^${hook}\\(\\) \\{`, 'gm'))).toHaveLength(1);
    }
    expect(body.trimEnd().endsWith('esac')).toBe(true);
    expect(body.startsWith('# ---- host paths')).toBe(true);
  });
});

describe('variables header', () => {
  /** What bash makes of a header: each variable's value (arrays joined by \x01), NUL-separated. */
  const evaluate = (header: string, names: readonly string[]): string[] => {
    const print = names.map((n) => `(IFS=$'\\x01'; printf '%s\\0' "\${${n}[*]}")`).join('\n');
    const r = spawnSync('bash', ['-c', `set -u\n${header}\n${print}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout.split('\0').slice(0, -1);
  };
  // Any text without NUL (quotes, $, backticks, newlines, control characters) and words that look like options.
  const value = fc.string({ unit: 'binary-ascii', maxLength: 40 }).filter((v) => !v.includes('\0'));

  test('bash reads back every value and array word byte for byte', () => {
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 6 }), fc.array(value.filter((v) => !v.includes('\x01')), { maxLength: 4 }), (values, words) => {
      const names = values.map((_, i) => `V${i}`);
      for (const oneLine of [false, true]) {
        const header = variablesHeader([...values.map((v, i) => [names[i]!, v] as const), ['ARR', words]], { arraysOnePerLine: oneLine });
        expect(evaluate(header, [...names, 'ARR'])).toEqual([...values, words.join('\x01')]);
      }
    }), { numRuns: 25, examples: [[["it's\n", '$(touch x)`id`', '-e', '', '\n\n'], ['a b', "'", '']]] });
  });

  test('literal values with $ get the SC2016 directive, others none', () => {
    expect(variablesHeader([['A', '${X}', 'literal'], ['B', 'plain', 'literal'], ['C', '$y']])).toBe("# shellcheck disable=SC2016\nreadonly A='${X}'\nreadonly B=plain\nreadonly C='$y'");
  });

  test.each([
    ['a lower-case name', [['lower', 'x']], /not an upper-case shell identifier/],
    ['a name with a space', [['A B', 'x']], /not an upper-case shell identifier/],
    ['a name given twice', [['A', 'x'], ['A', 'y']], /A given twice/],
    ['a NUL byte', [['A', 'x\0y']], /A holds a NUL byte/],
  ] as const)('refuses %s', (_name, vars, message) => {
    expect(() => variablesHeader(vars)).toThrow(message);
  });
});
