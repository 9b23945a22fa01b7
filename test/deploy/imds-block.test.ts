/**
 * Issue 13: with host networking (multi-node) the metadata hop limit of 1 does not keep the engine
 * container from 169.254.169.254, so engine code (remote code from Hugging Face) could read the
 * node role's credentials. The engine now runs in its own systemd slice and an iptables rule
 * rejects everything from that cgroup to the metadata address, inserted before every engine start.
 */
import { planDeployment } from '../../lib/plan/planner';
import { parseModelSource } from '../../lib/deploy/model-source';
import { ENGINE_SLICE, renderNodeUserData } from '../../lib/deploy/user-data';
import { at, node } from './boot-harness';

const multi = planDeployment({ model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'] });
const NVME = '/dev/nvme1n1 3800000000000 Amazon EC2 NVMe Instance Storage';
const RULE = `OUTPUT -m cgroup --path ${ENGINE_SLICE} -d 169.254.169.254 -j REJECT`;

const script = renderNodeUserData({
  plan: multi, rank: 1, clusterName: 'imds', modelSource: parseModelSource('deepseek-ai/DeepSeek-V3'),
  storage: { kind: 'instance-store' }, apiKeySecretId: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf',
  logGroupName: '/deepseek-iac/engine', summary: 'imds test', reportUnhealthy: true,
});

describe('engine cut off from instance metadata', () => {
  test('the premise: multi-node engines share the host network', () => {
    expect(multi.serving.container.hostNetwork).toBe(true);
  });

  test('engine-env starts the slice and inserts the reject rule before anything else', () => {
    const n = node(script, { STUB_DISKS: NVME });
    expect(n.run().status).toBe(0);
    const r = n.run(['engine-env']);
    expect(r.status).toBe(0);
    const insert = at(r.calls, `iptables -I ${RULE}`);
    expect(at(r.calls, `systemctl start ${ENGINE_SLICE}`)).toBeLessThan(insert);
    expect(at(r.calls, `iptables -C ${RULE}`)).toBeLessThan(insert);
    // Before the head lookup or the secret read: no engine starts without the rule.
    expect(insert).toBeLessThan(at(r.calls, 'aws ec2 describe-instances'));
  });

  test('the engine container runs in that slice, and its unit wants the slice', () => {
    const n = node(script, { STUB_DISKS: NVME });
    expect(n.run().status).toBe(0);
    expect(n.run(['engine-env']).status).toBe(0);
    const r = n.run(['run-engine']);
    expect(r.status).toBe(0);
    expect(r.calls.find((c) => c.startsWith('docker run --rm --name'))).toContain(`--cgroup-parent ${ENGINE_SLICE}`);
    expect(n.read('etc/systemd/system/deepseek-engine.service')).toContain(`Wants=${ENGINE_SLICE}`);
  });

  test('a rule that cannot be inserted stops the engine start', () => {
    const n = node(script, { STUB_DISKS: NVME });
    expect(n.run().status).toBe(0);
    const r = n.run(['engine-env'], { STUB_FAIL: 'iptables:-I' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('cannot block IMDS for the engine');
  });
});
