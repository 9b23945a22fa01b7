/**
 * One shellcheck process for many scripts: each script is written to a temporary directory (no
 * .shellcheckrc above it, so every check applies) and all paths are passed at once, which saves a
 * process start per script. The findings come back per script name ('' = clean), so a table of
 * tests can still assert one script each. Gate the tests with testWithTool('shellcheck', …)
 * (test/helpers/tools.ts): the run happens on the first lookup, inside a gated test.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from './tools';

/** shellcheck's gcc-format lines for `files` (absolute paths), grouped by file; files without findings map to ''. */
export function shellcheckFiles(files: readonly string[], args: readonly string[] = ['-s', 'bash']): Map<string, string> {
  const r = runTool('shellcheck', [...args, '-f', 'gcc', ...files]);
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
 * A lazy batch: the returned function runs shellcheck over every script on its first call and
 * returns the findings of `name` ('' when clean).
 */
export function shellcheckBatch(scripts: readonly (readonly [name: string, script: string])[]): (name: string) => string {
  const names = new Set(scripts.map(([n]) => n));
  if (names.size !== scripts.length) throw new Error('shellcheckBatch: script names must be unique');
  let findings: Map<string, string> | undefined;
  return (name) => {
    if (findings === undefined) {
      const dir = mkdtempSync(join(tmpdir(), 'deepseek-shellcheck-'));
      try {
        const files = scripts.map(([, script], i) => {
          const f = join(dir, `${i}.sh`);
          writeFileSync(f, script);
          return f;
        });
        const byFile = shellcheckFiles(files);
        findings = new Map(scripts.map(([n], i) => [n, byFile.get(files[i]!)!]));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const f = findings.get(name);
    if (f === undefined) throw new Error(`no script named ${name} in this shellcheck batch`);
    return f;
  };
}
