/**
 * One shellcheck process for many scripts: each script is written to a temporary directory (no
 * .shellcheckrc above it, so every check applies) and all paths are passed at once, which saves a
 * process start per script. The findings come back per script name ('' = clean), so a table of
 * tests can still assert one script each. Gate the tests with testWithTool('shellcheck', …)
 * (test/helpers/tools.ts).
 *
 * shellcheck spends about half a second of CPU on each 16 KB boot script, so `shellcheckInBackground`
 * starts the process when the test file loads and the gated tests, placed last in the file, await
 * it: on two cores it runs beside the file's other tests instead of after them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTool, runTool, TOOLS } from './tools';

/** shellcheck's gcc-format lines for `files` (absolute paths), grouped by file; files without findings map to ''. */
export function shellcheckFiles(files: readonly string[], args: readonly string[] = ['-s', 'bash']): Map<string, string> {
  return byFile(files, runTool('shellcheck', [...args, '-f', 'gcc', ...files]));
}

function byFile(files: readonly string[], r: { status: number | null; stdout: string; stderr: string }): Map<string, string> {
  const out = new Map<string, string>(files.map((f) => [f, '']));
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const file = files.find((f) => line.startsWith(`${f}:`));
    if (file === undefined) throw new Error(`shellcheck printed a line for no given file: ${line}`);
    out.set(file, `${out.get(file)}${line}\n`);
  }
  // Exit 1 = findings (listed above); anything else is shellcheck failing to run.
  if (r.status !== 0 && r.status !== 1) throw new Error(`shellcheck exited ${r.status}: ${r.stderr}`);
  if (r.status === 1 && [...out.values()].every((v) => v === '')) throw new Error(`shellcheck exited 1 without findings: ${r.stderr}`);
  return out;
}

/**
 * Starts shellcheck over every script now (when it is installed) and returns the findings of a
 * script by name ('' when clean) once the run has ended. Without shellcheck nothing starts and a
 * lookup (which only a required-tool run makes, see testWithTool) fails naming the tool.
 */
export function shellcheckInBackground(scripts: readonly (readonly [name: string, script: string])[]): (name: string) => Promise<string> {
  if (new Set(scripts.map(([n]) => n)).size !== scripts.length) throw new Error('shellcheckInBackground: script names must be unique');
  if (!hasTool('shellcheck')) {
    return async () => {
      throw new Error(`shellcheck does not run here; install it: ${TOOLS.shellcheck.install}`);
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'deepseek-shellcheck-'));
  const files = scripts.map(([, script], i) => {
    const f = join(dir, `${i}.sh`);
    writeFileSync(f, script);
    return f;
  });
  const findings = new Promise<Map<string, string>>((resolve, reject) => {
    const child = spawn('shellcheck', ['-s', 'bash', '-f', 'gcc', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => {
      rmSync(dir, { recursive: true, force: true });
      try {
        const per = byFile(files, { status, stdout, stderr });
        resolve(new Map(scripts.map(([n], i) => [n, per.get(files[i]!)!])));
      } catch (e) {
        reject(e);
      }
    });
  });
  // A rejection is reported by the test that awaits it, not as an unhandled one.
  findings.catch(() => undefined);
  return async (name) => {
    const f = (await findings).get(name);
    if (f === undefined) throw new Error(`no script named ${name} in this shellcheck run`);
    return f;
  };
}
