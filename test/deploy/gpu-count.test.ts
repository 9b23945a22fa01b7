/**
 * Issue 13: boot and watchdog compare the GPUs the driver lists with the plan. Before, a node with
 * 7 of its 8 GPUs passed `nvidia-smi -L` at boot (the engine then crash-looped on a tensor-parallel
 * size it cannot place) and the watchdog never reported it, so a worker was never replaced.
 */
import { planDeployment } from '../../lib/plan/planner';
import { parseModelSource } from '../../lib/deploy/model-source';
import { renderNodeUserData, type NodeUserDataInput } from '../../lib/deploy/user-data';
import { node } from './boot-harness';

// DeepSeek-V3 BF16 on H200s: several nodes of 8 GPUs each.
const multi = planDeployment({ model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'] });
const NVME = '/dev/nvme1n1 3800000000000 Amazon EC2 NVMe Instance Storage';
const SELF = 'i-0123456789abcdef0';
const UNHEALTHY = `aws autoscaling set-instance-health --instance-id ${SELF} --health-status Unhealthy --no-should-respect-grace-period`;

function worker(): NodeUserDataInput {
  return {
    plan: multi, rank: 1, clusterName: 'gpus', modelSource: parseModelSource('deepseek-ai/DeepSeek-V3'),
    storage: { kind: 'instance-store' }, apiKeySecretId: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf',
    logGroupName: '/deepseek-iac/engine', summary: 'gpu count test', reportUnhealthy: true,
  };
}

describe('GPU count against the plan', () => {
  test('the plan puts 8 GPUs on each node (the premise of this test)', () => {
    expect(multi.topology.gpusPerNode).toBe(8);
    expect(multi.topology.nodes).toBeGreaterThan(1);
    expect(renderNodeUserData(worker())).toMatch(/^readonly GPUS_PER_NODE='?8'?$/m);
  });

  test('boot with 7 of 8 GPUs fails, names the count and reports the node unhealthy', () => {
    const n = node(renderNodeUserData(worker()), { STUB_DISKS: NVME, STUB_GPUS: '7' });
    const r = n.run();
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('nvidia-smi lists 7 GPU(s), the plan needs 8');
    expect(r.calls).toContainEqual(UNHEALTHY);
    expect(n.exists('etc/systemd/system/deepseek-engine.service')).toBe(false);
  });

  test('boot with all 8 GPUs succeeds', () => {
    const n = node(renderNodeUserData(worker()), { STUB_DISKS: NVME, STUB_GPUS: '8' });
    expect(n.run().status).toBe(0);
  });

  test('watchdog: a GPU lost after boot is reported on the third consecutive check', () => {
    const n = node(renderNodeUserData(worker()), { STUB_DISKS: NVME, STUB_GPUS: '8' });
    expect(n.run().status).toBe(0);
    const watch = (gpus: string) => n.run(['watchdog'], { STUB_GPUS: gpus, STUB_MEMBERS: '0 i-0aaaaaaaaaaaaaaaa' });
    expect(watch('7').calls).not.toContainEqual(UNHEALTHY);
    expect(watch('7').calls).not.toContainEqual(UNHEALTHY);
    const third = watch('7');
    expect(third.calls).toContainEqual(UNHEALTHY);
    expect(third.stderr).toContain('fewer than 8 GPUs 3 times in a row (last: 7)');
  });
});
