/**
 * The CLI's contact with the local file system: where relative paths start, and reading
 * `--hf-config` without hanging on a FIFO or reading /dev/zero until memory runs out.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { PlanError } from '../../lib';
import { HF_CONFIG_MAX_BYTES } from '../../lib/input/hf-config-bounds';

/**
 * The folder the user typed the command in. `npm run` starts scripts in the package root and
 * records the caller's folder in INIT_CWD (docs.npmjs.com/cli/v10/commands/npm-run-script), so a
 * relative `--out ./x` would otherwise land inside the package.
 */
export function userCwd(env: NodeJS.ProcessEnv = process.env): string {
  return env.INIT_CWD && env.INIT_CWD.startsWith('/') ? env.INIT_CWD : process.cwd();
}

/** A path as the user meant it: absolute as given, relative against {@link userCwd}. */
export function userPath(path: string): string {
  return resolve(userCwd(), path);
}

const errnoText = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder, not a file';
  return code ?? (e as Error).message;
};

/**
 * Read `--hf-config`: a regular file of at most {@link HF_CONFIG_MAX_BYTES}, parsed as a JSON
 * object. Opened non-blocking so a FIFO cannot hang the open; anything but a regular file
 * (device, FIFO, socket, folder) is refused after `fstat`, before a byte is read. Links are
 * followed on purpose: Hugging Face's cache stores config.json as a link to a blob.
 */
export function readHfConfigFile(path: string): Record<string, unknown> {
  const field = 'hfConfig';
  if (path === '') throw PlanError.single(field, 'must name a config.json file');
  const full = userPath(path);
  let fd: number;
  try {
    fd = openSync(full, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw PlanError.single(field, `cannot read "${path}": ${errnoText(e)}`);
  }
  let text: string;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw PlanError.single(field, `"${path}" is not a regular file (a device, FIFO, socket or folder); give a config.json file`);
    if (st.size > HF_CONFIG_MAX_BYTES) throw PlanError.single(field, `"${path}" is ${st.size} bytes; a config.json is at most ${HF_CONFIG_MAX_BYTES} bytes`);
    // Read at most one byte past the limit, in case the file grew after fstat.
    const buffer = Buffer.alloc(HF_CONFIG_MAX_BYTES + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > HF_CONFIG_MAX_BYTES) throw PlanError.single(field, `"${path}" is larger than ${HF_CONFIG_MAX_BYTES} bytes`);
    text = buffer.subarray(0, length).toString('utf8');
  } catch (e) {
    if (e instanceof PlanError) throw e;
    throw PlanError.single(field, `cannot read "${path}": ${errnoText(e)}`);
  } finally {
    closeSync(fd);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (e) {
    throw PlanError.single(field, `"${path}" is not a Hugging Face config.json object: ${(e as Error).message}`);
  }
}
