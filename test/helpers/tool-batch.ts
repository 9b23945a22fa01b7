/**
 * One tool process per test file instead of one per case, with each case's own result.
 *
 * A table of cases registers what it will check (a name and how to render it) when the file is collected; the
 * first test that asks for a result renders every case and runs the tool once over all of them; each test then
 * asserts on its own case's result, so a failure still names its case. A case whose rendering throws fails in
 * its own test with that error. Gating (skip or require) stays with test/helpers/tools.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from './tools';

/** Cases registered at collection time and run together on first use. */
class Batch<Input, Result> {
  private readonly cases = new Map<string, () => Input>();
  /** Each case's result, or the error that stands in for it (its rendering, or the run, threw). */
  private results: Map<string, Result | { readonly renderError: unknown }> | undefined;

  constructor(private readonly run: (inputs: ReadonlyMap<string, Input>) => Map<string, Result>) {}

  /** Register a case; its name must be unique in the batch. */
  add(name: string, render: () => Input): void {
    if (this.cases.has(name)) throw new Error(`tool batch: case "${name}" registered twice`);
    if (this.results !== undefined) throw new Error(`tool batch: case "${name}" registered after the batch ran`);
    this.cases.set(name, render);
  }

  /** The result of a case (the batch runs on the first call). */
  resultOf(name: string): Result {
    if (this.results === undefined) {
      const inputs = new Map<string, Input>();
      const failed = new Map<string, { readonly renderError: unknown }>();
      for (const [n, render] of this.cases) {
        try {
          inputs.set(n, render());
        } catch (renderError) {
          failed.set(n, { renderError });
        }
      }
      try {
        this.results = new Map<string, Result | { readonly renderError: unknown }>([...this.run(inputs), ...failed]);
      } catch (runError) {
        // The run itself failed: every case fails with its error, and the tool is not run again per case.
        this.results = new Map([...this.cases.keys()].map((n) => [n, { renderError: runError }]));
      }
    }
    const r = this.results.get(name);
    if (r === undefined) throw new Error(`tool batch: no case "${name}"`);
    if (typeof r === 'object' && r !== null && 'renderError' in r) throw r.renderError;
    return r as Result;
  }
}

// ---- shellcheck -----------------------------------------------------------------------------------------

/** shellcheck's findings for one script: its gcc-format lines, plus a line for a run that named no file. */
export interface ShellcheckResult {
  readonly problems: string[];
}

/**
 * shellcheck over every registered script in one run (`shellcheck <options> --format=gcc a.sh b.sh …`). Each
 * script gets the lines naming its file (findings, or a file shellcheck could not read); a run that fails
 * without naming any file (bad options) is a problem of every script, so no case can pass on it.
 */
export function shellcheckBatch(options: readonly string[]): Batch<string, ShellcheckResult> {
  return new Batch((scripts) => {
    const dir = mkdtempSync(join(tmpdir(), 'shellcheck-batch-'));
    try {
      const files = new Map([...scripts.keys()].map((name, i) => [name, join(dir, `case-${i}.sh`)]));
      for (const [name, script] of scripts) writeFileSync(files.get(name)!, script);
      const r = files.size === 0 ? { status: 0, stdout: '', stderr: '' } : runTool('shellcheck', [...options, '--format=gcc', ...files.values()]);
      const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.trim() !== '');
      const named = (file: string) => lines.filter((l) => l.startsWith(`${file}:`) || l.includes(`${file}: `));
      const unexplained = r.status !== 0 && [...files.values()].every((f) => named(f).length === 0) ? [`shellcheck exited ${r.status} without naming a file: ${lines.join(' | ')}`] : [];
      return new Map([...files].map(([name, file]) => [name, { problems: [...named(file).map((l) => l.replace(file, `<${name}>`)), ...unexplained] }]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

// ---- docker-compose config -----------------------------------------------------------------------------

/** A compose file and the environment `docker-compose config` runs with. */
export interface ComposeInput {
  readonly yaml: string;
  readonly env: Readonly<Record<string, string>>;
}

/** How `docker-compose -f compose.yaml config -q` ended for one file. */
export interface ComposeResult {
  readonly status: number | null;
  readonly stderr: string;
}

const COMPOSE_DRIVER = join(__dirname, 'compose-batch.py');

/** The interpreter of a Python entry script (docker-compose v1 is one), or undefined. */
function pythonOf(tool: string): string | undefined {
  const which = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  const path = which.stdout.trim();
  if (which.status !== 0 || path === '') return undefined;
  let head: string;
  try {
    head = readFileSync(path, 'utf8').slice(0, 200);
  } catch {
    return undefined;
  }
  const m = /^#!\s*(\S*python[0-9.]*)\s*\n/.exec(head);
  return m?.[1];
}

/**
 * `docker-compose -f compose.yaml config -q` for every registered file, each in its own folder with its own
 * environment (PATH added). docker-compose v1 is a Python program whose start (importing compose) is nearly
 * all of its cost, so its own command line runs for every file in one Python process (helpers/compose-batch.py:
 * fresh argv, environment, folder, logging, stderr and exit status per file). Any other docker-compose (v2 is
 * a Go binary that starts fast) runs once per file.
 */
export function composeConfigBatch(): Batch<ComposeInput, ComposeResult> {
  return new Batch((inputs) => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-batch-'));
    try {
      const jobs = [...inputs].map(([, input], i) => {
        const cwd = join(dir, `case-${i}`);
        mkdirSync(cwd);
        writeFileSync(join(cwd, 'compose.yaml'), input.yaml);
        return { args: ['-f', join(cwd, 'compose.yaml'), 'config', '-q'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...input.env }, cwd };
      });
      const names = [...inputs.keys()];
      const python = jobs.length > 0 ? pythonOf('docker-compose') : undefined;
      if (python !== undefined) {
        writeFileSync(join(dir, 'jobs.json'), JSON.stringify(jobs));
        const r = spawnSync(python, [COMPOSE_DRIVER, join(dir, 'jobs.json'), join(dir, 'results.json')], { encoding: 'utf8' });
        if (r.status === 0) {
          const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ComposeResult[];
          return new Map(names.map((name, i) => [name, results[i]]));
        }
        if (r.status !== 3) throw new Error(`docker-compose batch failed (exit ${r.status}): ${r.stderr}`);
      }
      return new Map(names.map((name, i) => {
        const r = runTool('docker-compose', jobs[i].args, { cwd: jobs[i].cwd, env: jobs[i].env });
        return [name, { status: r.status, stderr: r.stderr }];
      }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
