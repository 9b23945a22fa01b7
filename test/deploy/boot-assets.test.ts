/**
 * The boot-script fragments (lib/deploy/boot/*.sh): the generated module the library renders from
 * is what scripts/boot-assets.ts makes of the .sh files now, every fragment passes shellcheck on its
 * own (with the folder's .shellcheckrc), every fragment is used, and each hook a script calls is
 * implemented exactly once in every combination the renderers choose.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOOT_ASSETS, type BootAssetName } from '../../lib/deploy/boot/assets.generated';
import { bootFragments } from '../../lib/deploy/boot';
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
    expect(pkg.scripts.build).toMatch(/^ts-node --transpile-only scripts\/boot-assets\.ts --check && tsc /);
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
