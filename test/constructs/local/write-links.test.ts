/**
 * Issue 13: the writer never follows a link. Before the fix a link planted at the fixed temporary
 * name (`compose.yaml.deepseek-iac-tmp`) made the write land in the link's target outside --out,
 * and a dangling link at the manifest name made the manifest land outside it.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_FILE, OutputConflictError, OutputWriteError, writeOutputFiles, type OutputFile } from '../../../constructs/local/write';

const FILES: OutputFile[] = [
  { path: 'compose.yaml', content: 'services: {}\n' },
  { path: 'preflight.sh', content: '#!/usr/bin/env bash\n', mode: 0o755 },
];

function setup(): { dir: string; outside: string } {
  const base = mkdtempSync(join(tmpdir(), 'links-'));
  const dir = join(base, 'deploy');
  mkdirSync(dir);
  const outside = join(base, 'victim');
  writeFileSync(outside, 'precious\n');
  return { dir, outside };
}

describe('writeOutputFiles and links', () => {
  test('a link planted at the old temporary name does not redirect the write', () => {
    const { dir, outside } = setup();
    symlinkSync(outside, join(dir, 'compose.yaml.deepseek-iac-tmp'));
    writeOutputFiles(dir, FILES);
    expect(readFileSync(outside, 'utf8')).toBe('precious\n');
    expect(lstatSync(join(dir, 'compose.yaml')).isFile()).toBe(true);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe('services: {}\n');
  });

  test('a dangling link at the manifest name is a conflict: nothing is created at its target', () => {
    const { dir } = setup();
    const target = join(dir, '..', 'planted-manifest');
    symlinkSync(target, join(dir, MANIFEST_FILE));
    expect(() => writeOutputFiles(dir, FILES)).toThrow(OutputConflictError);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir)).toEqual([MANIFEST_FILE]);
  });

  test('a link (dangling or not) at an output file name is a conflict, never followed', () => {
    const { dir, outside } = setup();
    symlinkSync(outside, join(dir, 'compose.yaml'));
    symlinkSync(join(dir, '..', 'nowhere'), join(dir, 'preflight.sh'));
    try {
      writeOutputFiles(dir, FILES);
      throw new Error('expected a conflict');
    } catch (e) {
      expect(e).toBeInstanceOf(OutputConflictError);
      expect((e as OutputConflictError).conflicts.map((c) => c.path)).toEqual(['compose.yaml', 'preflight.sh']);
    }
    expect(readFileSync(outside, 'utf8')).toBe('precious\n');
    expect(existsSync(join(dir, '..', 'nowhere'))).toBe(false);
  });

  test('a file where the folder should be is an OutputWriteError, not an EEXIST trace', () => {
    const { outside } = setup();
    expect(() => writeOutputFiles(outside, FILES)).toThrow(OutputWriteError);
    expect(() => writeOutputFiles(join(outside, 'sub'), FILES)).toThrow(/a part of the path is a file|not a folder/);
    expect(readFileSync(outside, 'utf8')).toBe('precious\n');
  });

  test('no temporary file is left behind', () => {
    const { dir } = setup();
    writeOutputFiles(dir, FILES);
    expect(readdirSync(dir).sort()).toEqual([MANIFEST_FILE, 'compose.yaml', 'preflight.sh']);
  });
});
