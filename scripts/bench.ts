/**
 * `npm run bench`: plans every catalog model × precision × context (4K, 32K, 128K) and prints plans per
 * second. Target: the full sweep well under a second. Not a test: timings vary by machine.
 * It also times `cdk synth` of every reference stack (bin/app.ts), offline; `npm run bench -- --no-synth` skips it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPlanError, MODELS, PRECISIONS, planDeployment } from '../lib';

function sweep(): { plans: number; noFit: number; invalid: number; ms: number } {
  let plans = 0;
  let noFit = 0;
  let invalid = 0;
  const t0 = performance.now();
  for (const m of MODELS) {
    for (const precision of PRECISIONS) {
      for (const contextTokens of [4096, 32768, 131072]) {
        try {
          planDeployment({ model: m.id, precision, contextTokens });
          plans++;
        } catch (e) {
          if (!isPlanError(e)) throw e;
          if (e.issues.some((i) => i.path === 'contextTokens')) invalid++;
          else noFit++;
        }
      }
    }
  }
  return { plans, noFit, invalid, ms: performance.now() - t0 };
}

sweep(); // warm-up: JIT and module caches
const runs = [sweep(), sweep(), sweep()];
const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
const total = best.plans + best.noFit + best.invalid;
console.log(`planner sweep: ${MODELS.length} models × ${PRECISIONS.length} precisions × 3 contexts = ${total} requests`);
console.log(`  ${best.plans} plans, ${best.noFit} no-fit, ${best.invalid} context above the model maximum`);
console.log(`  best of 3: ${best.ms.toFixed(0)} ms (${((total / best.ms) * 1000).toFixed(0)} requests/s); target: well under 1000 ms`);

if (!process.argv.includes('--no-synth') && existsSync(join(__dirname, '..', 'bin', 'app.ts'))) {
  const out = mkdtempSync(join(tmpdir(), 'cdk-bench-'));
  const t0 = performance.now();
  const r = spawnSync('npx', ['cdk', 'synth', '--quiet', '--output', out], { cwd: join(__dirname, '..'), encoding: 'utf8', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' } });
  const s = (performance.now() - t0) / 1000;
  rmSync(out, { recursive: true, force: true });
  console.log(`cdk synth (all reference stacks, offline): ${s.toFixed(1)} s, exit ${r.status}; target: well under 60 s${r.status ? `\n${r.stderr}` : ''}`);
}
