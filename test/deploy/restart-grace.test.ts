/**
 * Issue 13: a restarting engine is not a dead node. Auto Scaling used ELB health checks on the
 * serving rank, so an engine restart that reloads the model for longer than the load balancer's
 * 90 s of patience got the instance replaced. Now every group judges EC2 status only and the node's
 * watchdog reports the node only after the engine has failed its health check for longer than a
 * restart takes (restart delay + reload from the local disk + warm-up).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planDeployment } from '../../lib/plan/planner';
import { awsBlueprint } from '../../lib/deploy/blueprint';
import { engineRestartGraceSeconds } from '../../lib/deploy/health';
import { parseModelSource } from '../../lib/deploy/model-source';
import { renderNodeUserData } from '../../lib/deploy/user-data';
import { node } from './boot-harness';

const GiB = 2 ** 30;
const plan = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
const EBS_DISKS = [`/dev/nvme0n1 ${200 * GiB} Amazon Elastic Block Store`, `/dev/nvme1n1 ${500 * GiB} Amazon Elastic Block Store`].join('\n');
const SELF = 'i-0123456789abcdef0';
const UNHEALTHY = `aws autoscaling set-instance-health --instance-id ${SELF} --health-status Unhealthy --no-should-respect-grace-period`;

const script = renderNodeUserData({
  plan, rank: 0, clusterName: 'grace', modelSource: parseModelSource('deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B'),
  storage: { kind: 'ebs', volumeGiB: 500 }, apiKeySecretId: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf',
  logGroupName: '/deepseek-iac/engine', summary: 'restart grace test', reportUnhealthy: true,
});

describe('engine restart grace', () => {
  test('grace = 30 s restart delay + checkpoint at 500 MB/s + 900 s warm-up, whole minutes', () => {
    // DeepSeek-V3's BF16 checkpoint of 1.34 TB: 30 + 1.34e12 / 500e6 + 900 = 3610 s → 3660 s.
    expect(engineRestartGraceSeconds(1.34e12)).toBe(3660);
    // A 3.5 GB checkpoint: 30 + 7 + 900 = 937 s → 960 s.
    expect(engineRestartGraceSeconds(3.5e9)).toBe(960);
  });

  test('every Auto Scaling group judges EC2 status, the serving rank included', () => {
    const bp = awsBlueprint(plan, {
      clusterName: 'grace', partition: 'aws', apiKeySecret: { id: 'arn:x', policyArn: 'arn:x' }, logGroup: { name: '/g', arn: 'arn:g' },
    });
    expect(bp.nodeGroups.map((g) => [g.servesTraffic, g.healthCheckType])).toEqual([[true, 'EC2']]);
  });

  test('the watchdog tolerates a failing health check for the grace period, then reports the node', () => {
    const grace = engineRestartGraceSeconds(plan.storage.checkpointBytes);
    const n = node(script, { STUB_DISKS: EBS_DISKS });
    expect(n.run().status).toBe(0);
    const since = join(n.root, 'opt/deepseek-iac/state/unhealthy-since');
    const watch = () => n.run(['watchdog'], { STUB_FAIL: 'curl:-sf' });
    // First failure: the clock starts, nothing is reported.
    expect(watch().calls).not.toContainEqual(UNHEALTHY);
    // Failing for a minute less than a restart may take: still tolerated.
    writeFileSync(since, `${Math.floor(Date.now() / 1000) - grace + 60}\n`);
    expect(watch().calls).not.toContainEqual(UNHEALTHY);
    // Failing for longer than the grace: reported.
    writeFileSync(since, `${Math.floor(Date.now() / 1000) - grace - 1}\n`);
    const late = watch();
    expect(late.calls).toContainEqual(UNHEALTHY);
    expect(late.stderr).toContain(`a restart may take ${grace} s`);
  });

  test('a healthy answer resets the clock', () => {
    const grace = engineRestartGraceSeconds(plan.storage.checkpointBytes);
    const n = node(script, { STUB_DISKS: EBS_DISKS });
    expect(n.run().status).toBe(0);
    const since = join(n.root, 'opt/deepseek-iac/state/unhealthy-since');
    writeFileSync(since, `${Math.floor(Date.now() / 1000) - grace - 1}\n`);
    expect(n.run(['watchdog']).calls).not.toContainEqual(UNHEALTHY);
    expect(n.run(['watchdog'], { STUB_FAIL: 'curl:-sf' }).calls).not.toContainEqual(UNHEALTHY);
  });
});
