import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_FILE, OutputConflictError, writeOutputFiles, type OutputFile } from '../../../constructs/local/write';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'out-')), 'deploy');
const FILES: OutputFile[] = [
  { path: 'compose.yaml', content: 'services: {}\n' },
  { path: 'preflight.sh', content: '#!/usr/bin/env bash\n', mode: 0o755 },
];

function conflictsOf(fn: () => unknown): { path: string; reason: string }[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OutputConflictError);
    return [...(e as OutputConflictError).conflicts];
  }
  throw new Error('expected an OutputConflictError');
}

describe('writeOutputFiles', () => {
  test('creates the folder, the files (with their modes) and a manifest of SHA-256 hashes', () => {
    const dir = fresh();
    const r = writeOutputFiles(dir, FILES);
    expect(r).toEqual({ created: ['compose.yaml', 'preflight.sh'], replaced: [], unchanged: [] });
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe('services: {}\n');
    expect(statSync(join(dir, 'preflight.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(join(dir, 'compose.yaml')).mode & 0o777).toBe(0o644);
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
    expect(manifest.files['compose.yaml']).toBe(`sha256:${createHash('sha256').update('services: {}\n').digest('hex')}`);
  });

  test('running again: identical files are unchanged, changed output replaces files it wrote', () => {
    const dir = fresh();
    writeOutputFiles(dir, FILES);
    expect(writeOutputFiles(dir, FILES)).toEqual({ created: [], replaced: [], unchanged: ['compose.yaml', 'preflight.sh'] });
    const next = [{ path: 'compose.yaml', content: 'services:\n  engine: {}\n' }, FILES[1]];
    expect(writeOutputFiles(dir, next)).toEqual({ created: [], replaced: ['compose.yaml'], unchanged: ['preflight.sh'] });
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe('services:\n  engine: {}\n');
    // And the new content is what the manifest now vouches for: a third run is clean.
    expect(writeOutputFiles(dir, next).unchanged).toEqual(['compose.yaml', 'preflight.sh']);
  });

  test('refuses a file it did not write, and writes nothing at all', () => {
    const dir = fresh();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'preflight.sh'), 'my own script\n');
    expect(conflictsOf(() => writeOutputFiles(dir, FILES))).toEqual([{ path: 'preflight.sh', reason: 'exists and was not written by deepseek-iac' }]);
    expect(existsSync(join(dir, 'compose.yaml'))).toBe(false);
    expect(existsSync(join(dir, MANIFEST_FILE))).toBe(false);
    expect(readFileSync(join(dir, 'preflight.sh'), 'utf8')).toBe('my own script\n');
  });

  test('refuses a file it wrote that was edited since, listing every conflict at once', () => {
    const dir = fresh();
    writeOutputFiles(dir, FILES);
    writeFileSync(join(dir, 'compose.yaml'), 'services: {} # tuned by hand\n');
    writeFileSync(join(dir, 'preflight.sh'), 'edited\n');
    expect(conflictsOf(() => writeOutputFiles(dir, FILES))).toEqual([
      { path: 'compose.yaml', reason: 'changed since deepseek-iac wrote it' },
      { path: 'preflight.sh', reason: 'changed since deepseek-iac wrote it' },
    ]);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe('services: {} # tuned by hand\n');
  });

  test('a deleted file is written again; new files are added; unrelated files are left alone', () => {
    const dir = fresh();
    writeOutputFiles(dir, FILES);
    rmSync(join(dir, 'compose.yaml'));
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const again = writeOutputFiles(dir, [...FILES, { path: 'README.md', content: '# x\n' }]);
    expect(again.created).toEqual(['compose.yaml', 'README.md']);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
  });

  test('a folder in place of a file is a conflict', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'compose.yaml'), { recursive: true });
    expect(conflictsOf(() => writeOutputFiles(dir, FILES))).toEqual([{ path: 'compose.yaml', reason: 'exists and is not a regular file' }]);
  });

  test('a manifest that is not ours stops everything', () => {
    const dir = fresh();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, MANIFEST_FILE), '{"files": "nope"}');
    expect(conflictsOf(() => writeOutputFiles(dir, FILES))).toEqual([{ path: MANIFEST_FILE, reason: expect.stringContaining('not a deepseek-iac manifest') }]);
  });

  test.each(['../escape.txt', '/etc/passwd', 'a/../../b', MANIFEST_FILE, ''])('rejects the output path %j', (path) => {
    expect(() => writeOutputFiles(fresh(), [{ path, content: 'x' }])).toThrow(/must be relative/);
  });
});
