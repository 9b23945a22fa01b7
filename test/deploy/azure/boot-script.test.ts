/**
 * The Azure boot script: it parses (`bash -n`), passes shellcheck, starts exactly the plan's engine
 * command (read back by bash), carries no secret value, and its GPU check accepts the planned GPU
 * count and refuses any other (run in bash with a fake KFD topology / a stub nvidia-smi).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planDeployment } from '../../../lib/plan/planner';
import { azureBlueprint, CUSTOM_DATA_MAX_BYTES } from '../../../lib/deploy/azure';
import { behindFront, engineRun, planArgv } from '../../conformance/observed';
import { testWithTool } from '../../helpers/tools';
import { shellcheckInBackground } from '../../helpers/shellcheck';

const mi300x = planDeployment({ model: 'deepseek-r1', precision: 'fp8', target: 'azure', gpus: ['mi300x'], engine: 'sglang', maxNodes: 1 });
const h200 = planDeployment({ model: 'deepseek-r1', precision: 'fp8', target: 'azure', gpus: ['h200'], maxNodes: 1 });
const multi = planDeployment({ model: 'deepseek-v3', precision: 'bf16', target: 'azure', gpus: ['h200'] });
// V4-Pro on two Grace (arm64) ND GB200 v6 VMs, with a gallery image and a TLS certificate.
const gb200 = planDeployment({ model: 'deepseek-v4-pro', target: 'azure', gpus: ['gb200'] });
const OPTIONS = { clusterName: 'boot-test', allowedCidrs: ['10.1.0.0/16'] };
const GB200_OPTIONS = {
  ...OPTIONS, tlsCertificateSecretName: 'api-tls',
  osImageId: '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/hpc/images/ubuntu-2404-gb200',
};
const scripts = ([[mi300x, OPTIONS], [h200, OPTIONS], [multi, OPTIONS], [gb200, GB200_OPTIONS]] as const)
  .flatMap(([plan, options]) => azureBlueprint(plan, options).vms.map((vm) => ({ plan, rank: vm.rank, script: vm.customData, options })));
const label = (s: (typeof scripts)[number]): string => `${s.plan.topology.instanceType} ${s.plan.engine} rank ${s.rank}/${s.plan.topology.nodes}`;
// One shellcheck process for every script, started now; its tests, last in this file, await it.
const shellcheckFindings = shellcheckInBackground(scripts.map((s) => [label(s), s.script] as const));

test('the custom-data limit is Azure\'s: "the maximum length of the binary array is 65535 bytes" (docs/azure-facts.md §5)', () => {
  expect(CUSTOM_DATA_MAX_BYTES).toBe(65535);
});

describe.each(scripts.map((s) => [label(s), s] as const))('%s', (_name, { plan, rank, script, options }) => {
  test('bash -n accepts it; it fits Azure custom data', () => {
    const r = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(Buffer.byteLength(script)).toBeLessThan(CUSTOM_DATA_MAX_BYTES);
  });
  test('the engine argv is the plan\'s command for this rank (behind the API front on the serving rank), and the image the plan\'s', () => {
    const run = engineRun(script);
    expect(run.argv).toEqual(rank === 0 ? behindFront(planArgv(plan, rank), plan.serving.port) : planArgv(plan, rank));
    expect(run.image).toBe(plan.serving.image);
    expect(run.nodes).toBe(plan.topology.nodes);
  });
  test('the key is read from Key Vault at start, never written into the script', () => {
    expect(script).toContain(`readonly KEY_VAULT_URI=https://${azureBlueprint(plan, options).keyVault.name}.vault.azure.net`);
    expect(script).toContain('readonly API_KEY_SECRET=api-key');
    // The engine gets the key from an env file written at start; no argv word carries a key value.
    expect(engineRun(script).argv.join(' ')).not.toMatch(/--api-key(=|\s+)(?!"?\$)/);
    expect(script).toContain(`readonly EXPECTED_GPUS=${plan.topology.gpusPerNode}`);
  });
});

/** Run the script's check_gpus with the subcommand dispatch cut off. */
function checkGpus(script: string, vendor: 'amd' | 'nvidia', gpusOnHost: number): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'azure-gpu-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  if (vendor === 'amd') {
    // KFD: node 0 is the CPU (gpu_id 0), then one node per GPU.
    for (let i = 0; i <= gpusOnHost; i++) {
      const node = join(dir, 'sys/class/kfd/kfd/topology/nodes', String(i));
      mkdirSync(node, { recursive: true });
      writeFileSync(join(node, 'gpu_id'), i === 0 ? '0\n' : `${1000 + i}\n`);
    }
  } else {
    writeFileSync(join(bin, 'nvidia-smi'), `#!/bin/bash\nfor ((i = 0; i < ${gpusOnHost}; i++)); do echo "GPU $i: NVIDIA H200 (UUID: GPU-$i)"; done\n`);
    chmodSync(join(bin, 'nvidia-smi'), 0o755);
  }
  const body = script.slice(0, script.lastIndexOf('case "${1:-bootstrap}"'));
  const r = spawnSync('bash', ['-c', `${body}\ncheck_gpus`], {
    encoding: 'utf8',
    env: { PATH: `${bin}:${process.env.PATH}`, DEEPSEEK_IAC_ROOT: dir, DEEPSEEK_IAC_POLL_SECONDS: '0', DEEPSEEK_IAC_WAIT_TRIES: '2' },
  });
  return { status: r.status, stderr: r.stderr };
}

describe('GPU check', () => {
  const amd = scripts.find((s) => s.plan === mi300x)!.script;
  const nvidia = scripts.find((s) => s.plan === h200)!.script;
  test.each([['amd', amd], ['nvidia', nvidia]] as const)('%s: 8 GPUs as planned pass', (vendor, script) => {
    const r = checkGpus(script, vendor, 8);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`GPU check: 8 ${vendor} GPUs, as planned`);
  });
  test.each([['amd', 7, amd], ['nvidia', 7, nvidia], ['nvidia', 0, nvidia]] as const)('%s: %i GPUs fail the boot', (vendor, n, script) => {
    const r = checkGpus(script, vendor, n);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`GPU check: found ${n} ${vendor} GPUs, the plan needs 8`);
  });
});

describe('shellcheck (the run started when this file loaded)', () => {
  testWithTool('shellcheck', 'Azure boot script').each(scripts.map((s) => label(s)))('%s: shellcheck finds nothing', async (name) => {
    expect(await shellcheckFindings(name)).toBe('');
  });
});
