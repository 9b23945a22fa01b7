/**
 * Writes generated files into a folder without ever clobbering someone else's work. Every file we
 * write is recorded with its SHA-256 in `.deepseek-iac.json`; on the next run a file may be
 * replaced only if it is in that manifest and still has the recorded hash. Anything else already
 * there (a file we did not write, or one edited since) is a conflict. All conflicts are found
 * before the first write and reported together; nothing is written when there is one.
 *
 * Links are never followed: existing entries are examined with `lstat` (a link, dangling or not,
 * is a conflict), and every file is written to a fresh temporary name opened with
 * O_CREAT|O_EXCL|O_NOFOLLOW and renamed into place, so a link planted at the temporary or final
 * name cannot redirect a write outside the folder. Any other file-system failure is an
 * {@link OutputWriteError} naming the path and the reason.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, fchmodSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
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

/** A file-system failure while examining or writing the folder (permission, not a folder, disk full). */
export class OutputWriteError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'OutputWriteError';
  }
}

/** errno → words. */
function reasonOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    EACCES: 'permission denied', EPERM: 'permission denied', ENOTDIR: 'a part of the path is a file, not a folder',
    EEXIST: 'already exists', ENOSPC: 'no space left on the device', EROFS: 'read-only file system', ELOOP: 'is a symbolic link',
    ENAMETOOLONG: 'path too long',
  };
  return (code && words[code]) ?? code ?? (e as Error).message;
}

/** Run a file-system step; its errors become an OutputWriteError for `path`. */
function fsStep<T>(path: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof OutputWriteError || e instanceof OutputConflictError) throw e;
    throw new OutputWriteError(path, reasonOf(e));
  }
}

/** lstat, or undefined when nothing is there. */
function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Write `content` to `target` through a fresh temporary file (exclusive create, no link followed),
 * then rename it over the target: rename replaces a link itself, never what it points to.
 */
function writeAtomically(target: string, content: string, mode: number): void {
  const temp = `${target}.${randomBytes(6).toString('hex')}.deepseek-iac-tmp`;
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  try {
    writeSync(fd, content);
    fchmodSync(fd, mode);
  } catch (e) {
    closeSync(fd);
    unlinkSync(temp);
    throw e;
  }
  closeSync(fd);
  renameSync(temp, target);
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
  const st = fsStep(path, () => lstatOrUndefined(path));
  if (st === undefined) return { generator: 'deepseek-iac', files: {} };
  if (!st.isFile()) return { path: MANIFEST_FILE, reason: 'exists and is not a regular file (a link or folder); move it away or choose another folder' };
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
  if (dir === '') throw new OutputWriteError(dir, 'the output folder must be named');
  const dirStat = fsStep(dir, () => lstatOrUndefined(dir));
  // A link to a folder is the user's choice of folder; a file (or a link to one) is not a folder.
  if (dirStat !== undefined && !fsStep(dir, () => statSync(dir)).isDirectory()) throw new OutputWriteError(dir, 'exists and is not a folder');
  const manifest = readManifest(dir);
  if (!('files' in manifest)) throw new OutputConflictError(dir, [manifest]);

  const conflicts: WriteConflict[] = [];
  const plan: { file: OutputFile; rel: string; state: 'create' | 'replace' | 'same' }[] = [];
  for (const file of files) {
    const rel = checkedPath(file.path);
    const target = join(dir, rel);
    const st = fsStep(target, () => lstatOrUndefined(target));
    if (st === undefined) {
      plan.push({ file, rel, state: 'create' });
      continue;
    }
    if (!st.isFile()) {
      conflicts.push({ path: rel, reason: `exists and is not a regular file${st.isSymbolicLink() ? ' (a symbolic link)' : ''}` });
      continue;
    }
    const recorded = Object.prototype.hasOwnProperty.call(manifest.files, rel) ? manifest.files[rel] : undefined;
    const current = sha256(fsStep(target, () => readFileSync(target)));
    if (recorded === undefined) conflicts.push({ path: rel, reason: 'exists and was not written by deepseek-iac' });
    else if (recorded !== current) conflicts.push({ path: rel, reason: 'changed since deepseek-iac wrote it' });
    else plan.push({ file, rel, state: current === sha256(file.content) ? 'same' : 'replace' });
  }
  if (conflicts.length > 0) throw new OutputConflictError(dir, conflicts);

  fsStep(dir, () => mkdirSync(dir, { recursive: true }));
  const recorded: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, manifest.files);
  for (const { file, rel, state } of plan) {
    const target = join(dir, rel);
    const mode = file.mode ?? 0o644;
    fsStep(target, () => {
      if (state !== 'same') {
        mkdirSync(dirname(target), { recursive: true });
        // Write beside the target, then rename: a crash never leaves a half-written file under the real name.
        writeAtomically(target, file.content, mode);
      } else {
        chmodSync(target, mode); // a regular file (lstat above), so chmod follows no link
      }
    });
    recorded[rel] = sha256(file.content);
  }
  const next: Manifest = { generator: 'deepseek-iac', files: { ...recorded } };
  const manifestPath = join(dir, MANIFEST_FILE);
  fsStep(manifestPath, () => writeAtomically(manifestPath, `${JSON.stringify(next, null, 2)}\n`, 0o644));

  return {
    created: plan.filter((p) => p.state === 'create').map((p) => p.rel),
    replaced: plan.filter((p) => p.state === 'replace').map((p) => p.rel),
    unchanged: plan.filter((p) => p.state === 'same').map((p) => p.rel),
  };
}
