/**
 * Writes generated files into a folder without ever clobbering someone else's work. Every file we
 * write is recorded with its SHA-256 in `.deepseek-iac.json`; on the next run a file may be
 * replaced only if it is in that manifest and still has the recorded hash. Anything else already
 * there (a file we did not write, or one edited since) is a conflict. All conflicts are found
 * before the first write and reported together; nothing is written when there is one.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';

/** Manifest file name inside the output folder. */
export const MANIFEST_FILE = '.deepseek-iac.json';

/** One file to write, path relative to the output folder. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
  /** File mode, e.g. 0o755 for scripts. @default 0o644 */
  readonly mode?: number;
}

/** A file that may not be written, and why. */
export interface WriteConflict {
  readonly path: string;
  readonly reason: string;
}

/** Thrown when the folder holds files deepseek-iac may not replace; lists them all. */
export class OutputConflictError extends Error {
  /** Every file that may not be written, with the reason. */
  readonly conflicts: readonly WriteConflict[];

  constructor(dir: string, conflicts: readonly WriteConflict[]) {
    super(`refusing to write into ${dir}:\n${conflicts.map((c) => `  ${c.path}: ${c.reason}`).join('\n')}`);
    this.name = 'OutputConflictError';
    this.conflicts = conflicts;
  }
}

/** What a write did. */
export interface WriteResult {
  /** Files created that did not exist. */
  readonly created: readonly string[];
  /** Files replaced (they were ours and unchanged). */
  readonly replaced: readonly string[];
  /** Files whose content was already identical. */
  readonly unchanged: readonly string[];
}

interface Manifest {
  readonly generator: 'deepseek-iac';
  /** Relative path → `sha256:<hex>` of what we wrote. */
  readonly files: Readonly<Record<string, string>>;
}

function sha256(content: string | Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

function readManifest(dir: string): Manifest | WriteConflict {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return { generator: 'deepseek-iac', files: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Manifest>;
    const files = parsed.files;
    const valid = parsed.generator === 'deepseek-iac' && typeof files === 'object' && files !== null
      && Object.values(files).every((h) => typeof h === 'string' && h.startsWith('sha256:'));
    if (valid) return { generator: 'deepseek-iac', files: files as Record<string, string> };
  } catch {
    // fall through: unreadable manifests are reported as a conflict below
  }
  return { path: MANIFEST_FILE, reason: 'exists but is not a deepseek-iac manifest; move it away or choose another folder' };
}

/** A relative path that stays inside the folder, or an Error (a caller bug, not a user conflict). */
function checkedPath(path: string): string {
  const n = normalize(path);
  if (path === '' || isAbsolute(path) || n.startsWith('..') || n.split(sep).includes('..') || n === MANIFEST_FILE) {
    throw new Error(`output path "${path}" must be relative, inside the folder, and not ${MANIFEST_FILE}`);
  }
  return n;
}

/**
 * Write `files` into `dir` (created if missing) and update the manifest.
 * @throws OutputConflictError listing every file that exists and is not ours-and-unchanged.
 */
export function writeOutputFiles(dir: string, files: readonly OutputFile[]): WriteResult {
  const manifest = readManifest(dir);
  if (!('files' in manifest)) throw new OutputConflictError(dir, [manifest]);

  const conflicts: WriteConflict[] = [];
  const plan: { file: OutputFile; rel: string; state: 'create' | 'replace' | 'same' }[] = [];
  for (const file of files) {
    const rel = checkedPath(file.path);
    const target = join(dir, rel);
    if (!existsSync(target)) {
      plan.push({ file, rel, state: 'create' });
      continue;
    }
    if (!lstatSync(target).isFile()) {
      conflicts.push({ path: rel, reason: 'exists and is not a regular file' });
      continue;
    }
    const recorded = manifest.files[rel];
    const current = sha256(readFileSync(target));
    if (recorded === undefined) conflicts.push({ path: rel, reason: 'exists and was not written by deepseek-iac' });
    else if (recorded !== current) conflicts.push({ path: rel, reason: 'changed since deepseek-iac wrote it' });
    else plan.push({ file, rel, state: current === sha256(file.content) ? 'same' : 'replace' });
  }
  if (conflicts.length > 0) throw new OutputConflictError(dir, conflicts);

  mkdirSync(dir, { recursive: true });
  const recorded: Record<string, string> = { ...manifest.files };
  for (const { file, rel, state } of plan) {
    const target = join(dir, rel);
    if (state !== 'same') {
      mkdirSync(dirname(target), { recursive: true });
      // Write beside the target, then rename: a crash never leaves a half-written file under the real name.
      const temp = `${target}.deepseek-iac-tmp`;
      writeFileSync(temp, file.content, { mode: file.mode ?? 0o644 });
      renameSync(temp, target);
    }
    chmodSync(target, file.mode ?? 0o644);
    recorded[rel] = sha256(file.content);
  }
  const next: Manifest = { generator: 'deepseek-iac', files: recorded };
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(next, null, 2)}\n`);

  return {
    created: plan.filter((p) => p.state === 'create').map((p) => p.rel),
    replaced: plan.filter((p) => p.state === 'replace').map((p) => p.rel),
    unchanged: plan.filter((p) => p.state === 'same').map((p) => p.rel),
  };
}
