/**
 * Tests that need a system tool (shellcheck, docker-compose, systemd-analyze, nginx, docker) run when it is on PATH,
 * and otherwise skip with one visible line naming the tool and how to install it. `.ci/run` installs the tools
 * and sets DEEPSEEK_IAC_REQUIRE_TOOLS=1, which turns a missing tool into a failing test instead of a skip, so CI
 * can never go green by skipping.
 */
import { spawnSync } from 'node:child_process';
import { writeSync } from 'node:fs';

/** The tools the suite knows, with the command that proves each runs and how to install it. */
export const TOOLS = {
  shellcheck: { probe: ['--version'], install: 'apt-get install -y shellcheck' },
  'docker-compose': { probe: ['version'], install: 'apt-get install -y docker-compose' },
  'systemd-analyze': { probe: ['--version'], install: 'apt-get install -y systemd' },
  nginx: { probe: ['-v'], install: 'apt-get install -y nginx' },
} as const;
export type ToolName = keyof typeof TOOLS;

const cache = new Map<ToolName, boolean>();

/** Whether `tool` runs on this machine (cached per test file). */
export function hasTool(tool: ToolName): boolean {
  let ok = cache.get(tool);
  if (ok === undefined) {
    const r = spawnSync(tool, [...TOOLS[tool].probe], { stdio: 'ignore' });
    ok = !r.error && r.status === 0;
    cache.set(tool, ok);
  }
  return ok;
}

/** True when CI demands every tool (a missing tool fails instead of skipping). */
export function toolsRequired(): boolean {
  return process.env.DEEPSEEK_IAC_REQUIRE_TOOLS === '1';
}

const announced = new Set<string>();

/** Print one line to stderr, once per test file: it shows even under `jest --silent`, unlike console output. */
function announce(line: string): void {
  if (announced.has(line)) return;
  announced.add(line);
  writeSync(2, `${line}\n`);
}

const demanded = new Set<ToolName>();

/**
 * The gate: `yes` runs the tests, `no` skips them with a visible line. When the tool is required but
 * missing, the tests run (and fail where they call it) and one extra test names the missing tool.
 */
function gate(tool: ToolName, what: string): boolean {
  if (hasTool(tool)) return true;
  if (toolsRequired()) {
    if (!demanded.has(tool)) {
      demanded.add(tool);
      test(`${tool} is installed (DEEPSEEK_IAC_REQUIRE_TOOLS=1)`, () => {
        throw new Error(`${tool} is required by DEEPSEEK_IAC_REQUIRE_TOOLS=1 but does not run here; install it: ${TOOLS[tool].install}`);
      });
    }
    return true;
  }
  announce(`SKIPPED (${tool} not found; ${TOOLS[tool].install}): ${what}`);
  return false;
}

/**
 * `test` when the tool is present (or required, so that its absence fails loudly), `test.skip` otherwise.
 * The skip reason goes straight to stderr, so it shows even under `jest --silent`.
 */
export function testWithTool(tool: ToolName, what: string): jest.It {
  return gate(tool, what) ? test : test.skip;
}

/** Like `testWithTool`, for a whole `describe` block. */
export function describeWithTool(tool: ToolName, what: string): jest.Describe {
  return gate(tool, what) ? describe : describe.skip;
}

/** What a tool printed and how it exited. */
export interface ToolRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a gated tool; a tool that does not start is an error naming it and how to install it. */
export function runTool(tool: ToolName, args: readonly string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): ToolRun {
  const r = spawnSync(tool, [...args], { ...options, encoding: 'utf8' });
  if (r.error) throw new Error(`${tool} did not start (${r.error.message}); install it: ${TOOLS[tool].install}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
