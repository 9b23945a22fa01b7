/**
 * Tests that need a system tool (shellcheck, docker-compose, systemd-analyze, docker) run when it is on PATH,
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

/**
 * `test` when the tool is present (or required, so that its absence fails loudly), `test.skip` otherwise.
 * The skip reason goes straight to stderr, so it shows even under `jest --silent`.
 */
export function testWithTool(tool: ToolName, what: string): jest.It {
  if (hasTool(tool) || toolsRequired()) return test;
  const line = `SKIPPED (${tool} not found; ${TOOLS[tool].install}): ${what}`;
  if (!announced.has(line)) {
    announced.add(line);
    writeSync(2, `${line}\n`);
  }
  return test.skip;
}

/** Like `testWithTool`, for a whole `describe` block. */
export function describeWithTool(tool: ToolName, what: string): jest.Describe {
  if (hasTool(tool) || toolsRequired()) return describe;
  const line = `SKIPPED (${tool} not found; ${TOOLS[tool].install}): ${what}`;
  if (!announced.has(line)) {
    announced.add(line);
    writeSync(2, `${line}\n`);
  }
  return describe.skip;
}
