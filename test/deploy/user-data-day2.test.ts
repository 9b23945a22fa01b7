/**
 * Day-2 behaviour of the node boot script, run with the stub commands under a temporary root:
 * the model store (read when complete, filled by rank 0 after a Hugging Face download, a failed
 * upload is not fatal), the CloudWatch agent, and one test per recovery failure mode documented in
 * constructs/cdk/README.md ("Operations"): failed boot, lost GPU, lost or replaced peer, missing API key.
 */
import { planDeployment } from '../../lib/plan/planner';
import { parseModelSource } from '../../lib/deploy/model-source';
import { renderNodeUserData, type NodeUserDataInput } from '../../lib/deploy/user-data';
import { stripComments } from '../../lib/deploy/boot';
import { at, node } from './boot-harness';

const GiB = 2 ** 30;
const single = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
const multi = planDeployment({ model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'] });
const STORE = { bucketName: 'model-store-bucket', prefix: 'deepseek-iac/models/deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B/default' };
const MARKER = '.deepseek-iac-complete';
const EBS_DISKS = [`/dev/nvme0n1 ${200 * GiB} Amazon Elastic Block Store`, `/dev/nvme1n1 ${500 * GiB} Amazon Elastic Block Store`].join('\n');
const NVME = '/dev/nvme1n1 3800000000000 Amazon EC2 NVMe Instance Storage';
/** The stub's instance id (IMDS instance-id). */
const SELF = 'i-0123456789abcdef0';
const UNHEALTHY = `aws autoscaling set-instance-health --instance-id ${SELF} --health-status Unhealthy --no-should-respect-grace-period`;

function input(overrides: Partial<NodeUserDataInput> = {}): NodeUserDataInput {
  return {
    plan: single, rank: 0, clusterName: 'day2', modelSource: parseModelSource('deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B'),
    storage: { kind: 'ebs', volumeGiB: 500 }, apiKeySecretId: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf',
    logGroupName: '/deepseek-iac/engine', summary: 'day-2 test', reportUnhealthy: true, ...overrides,
  };
}

// The day-2 variants (model store, agent, reporting, a worker with a store) are parsed and
// shellchecked with the other rendered scripts in test/deploy/user-data.test.ts (one shellcheck run).
describe('rendered body', () => {
  test('full-line comments are dropped from the rendered body; the section marker stays', () => {
    const script = renderNodeUserData(input({ modelStore: STORE, agentConfigParameter: '/deepseek-iac/day2/cloudwatch-agent' }));
    const body = script.slice(script.indexOf('# ---- host paths'));
    expect(body.split('\n').filter((l) => /^\s*#/.test(l) && !/^\s*# (shellcheck |---- )/.test(l))).toEqual([]);
    expect(body.startsWith('# ---- host paths and timings')).toBe(true);
  });

  test('stripping keeps shellcheck directives and section markers, drops other comments and indentation', () => {
    expect(stripComments('# a comment\n  # ---- part ----\n# shellcheck disable=SC2016\n  x=1 # kept\n\n')).toBe('# ---- part ----\n# shellcheck disable=SC2016\nx=1 # kept');
  });
});

describe('model store', () => {
  const script = renderNodeUserData(input({ modelStore: STORE }));

  test('empty store: download from Hugging Face, start the engine, then upload the checkpoint and the marker last', () => {
    const n = node(script, { STUB_DISKS: EBS_DISKS });
    const r = n.run();
    expect(r.status).toBe(0);
    const dir = `${n.root}/mnt/deepseek-iac/models/deepseek-r1-distill-qwen-1.5b`;
    const order = [
      at(r.calls, `aws s3api head-object --bucket model-store-bucket --key ${STORE.prefix}/${MARKER}`),
      at(r.calls, 'docker run --rm --entrypoint python3'),
      at(r.calls, 'systemctl enable --now --no-block deepseek-engine.service deepseek-watchdog.timer'),
      at(r.calls, `aws s3 sync ${dir} s3://model-store-bucket/${STORE.prefix}/ --only-show-errors --exclude ${MARKER}`),
      at(r.calls, `aws s3 cp ${dir}/${MARKER} s3://model-store-bucket/${STORE.prefix}/${MARKER} --only-show-errors`),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(r.stderr).toContain('weights published to s3://model-store-bucket/');
  });

  test('complete store: sync from S3, no Hugging Face download, no upload', () => {
    const n = node(script, { STUB_DISKS: EBS_DISKS, STUB_CACHE: 'complete' });
    const r = n.run();
    expect(r.status).toBe(0);
    expect(r.calls).toContainEqual(`aws s3 sync s3://model-store-bucket/${STORE.prefix}/ ${n.root}/mnt/deepseek-iac/models/deepseek-r1-distill-qwen-1.5b --only-show-errors --exclude ${MARKER} [env AWS_CONFIG_FILE]`);
    expect(r.calls.some((c) => c.startsWith('docker run --rm --entrypoint python3'))).toBe(false);
    expect(r.calls.some((c) => c.startsWith('aws s3 cp'))).toBe(false);
  });

  test('a failed upload is logged and the node still serves (the next boot downloads from Hugging Face)', () => {
    const n = node(script, { STUB_DISKS: EBS_DISKS, STUB_FAIL_UPLOAD: '1' });
    const r = n.run();
    expect(r.status).toBe(0);
    expect(r.calls).toContainEqual(expect.stringMatching(/^systemctl enable --now --no-block deepseek-engine\.service/));
    expect(r.calls.some((c) => c.startsWith('aws s3 cp'))).toBe(false);
    expect(r.calls.some((c) => c.startsWith('aws autoscaling'))).toBe(false);
    expect(r.stderr).toContain('WARNING: publishing the weights');
  });

  test('workers download but leave the upload to rank 0', () => {
    const n = node(renderNodeUserData(input({ plan: multi, rank: 1, storage: { kind: 'instance-store' }, modelStore: STORE })), { STUB_DISKS: NVME });
    const r = n.run();
    expect(r.status).toBe(0);
    expect(r.calls.some((c) => c.startsWith('docker run --rm --entrypoint python3'))).toBe(true);
    expect(r.calls.some((c) => c.startsWith('aws s3 sync /') || c.startsWith('aws s3 cp'))).toBe(false);
  });

  test('without a store the script never asks S3', () => {
    const n = node(renderNodeUserData(input()), { STUB_DISKS: EBS_DISKS });
    expect(n.run().calls.some((c) => c.startsWith('aws s3'))).toBe(false);
  });
});

describe('CloudWatch agent', () => {
  const script = renderNodeUserData(input({ agentConfigParameter: '/deepseek-iac/day2/cloudwatch-agent' }));

  test('started from its SSM parameter right after the GPU check, before the disks and the download', () => {
    const n = node(script, { STUB_DISKS: EBS_DISKS });
    const r = n.run();
    expect(r.status).toBe(0);
    const ctl = at(r.calls, 'amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c ssm:/deepseek-iac/day2/cloudwatch-agent');
    expect(ctl).toBeGreaterThan(at(r.calls, 'nvidia-smi -L'));
    expect(ctl).toBeLessThan(at(r.calls, 'lsblk'));
  });

  test('missing on the AMI: installed from the regional package bucket; an agent failure never stops the boot', () => {
    const n = node(script, { STUB_DISKS: EBS_DISKS, DEEPSEEK_IAC_CW_CTL: '/nonexistent/amazon-cloudwatch-agent-ctl' });
    const r = n.run();
    expect(r.status).toBe(0);
    expect(r.calls).toContainEqual(expect.stringMatching(/^curl .*https:\/\/amazoncloudwatch-agent-us-east-1\.s3\.us-east-1\.amazonaws\.com\/ubuntu\/amd64\/latest\/amazon-cloudwatch-agent\.deb$/));
    expect(r.calls).toContainEqual(expect.stringMatching(/^dpkg -i -E .*cwagent\.deb$/));
    expect(r.stderr).toContain('WARNING: the CloudWatch agent did not start');
  });

  test('no parameter, no agent', () => {
    const n = node(renderNodeUserData(input()), { STUB_DISKS: EBS_DISKS });
    expect(n.run().calls.some((c) => /cloudwatch-agent|^dpkg/.test(c))).toBe(false);
  });
});

describe('failure mode: the boot fails → the node reports itself unhealthy and is replaced', () => {
  test('a failed download: no engine unit, and the instance is marked unhealthy ignoring the grace period', () => {
    const n = node(renderNodeUserData(input()), { STUB_DISKS: EBS_DISKS, STUB_FAIL: 'docker:run' });
    const r = n.run();
    expect(r.status).not.toBe(0);
    expect(r.calls).toContainEqual(UNHEALTHY);
    expect(n.exists('etc/systemd/system/deepseek-engine.service')).toBe(false);
  });

  test('a failure before the instance id is known reports nothing (no call with an empty id)', () => {
    const n = node(renderNodeUserData(input()), { STUB_DISKS: EBS_DISKS, STUB_FAIL: 'curl:-sSf' });
    const r = n.run();
    expect(r.status).not.toBe(0);
    expect(r.calls.some((c) => c.startsWith('aws autoscaling'))).toBe(false);
  });

  test('with reporting off (the core\'s default) the failure is only logged', () => {
    const n = node(renderNodeUserData(input({ reportUnhealthy: false })), { STUB_DISKS: EBS_DISKS, STUB_FAIL: 'docker:run' });
    const r = n.run();
    expect(r.status).not.toBe(0);
    expect(r.calls.some((c) => c.startsWith('aws autoscaling'))).toBe(false);
    expect(r.stderr).toContain('unhealthy (reporting is off): boot failed');
  });

  test('a successful boot reports nothing', () => {
    const n = node(renderNodeUserData(input()), { STUB_DISKS: EBS_DISKS });
    expect(n.run().calls.some((c) => c.startsWith('aws autoscaling'))).toBe(false);
  });
});

describe('failure mode: the engine process dies → systemd restarts it; the watchdog runs every minute', () => {
  test('engine unit restarts on failure; watchdog service and timer are installed and enabled with it', () => {
    const n = node(renderNodeUserData(input()), { STUB_DISKS: EBS_DISKS });
    expect(n.run().status).toBe(0);
    expect(n.read('etc/systemd/system/deepseek-engine.service')).toMatch(/Restart=on-failure\nRestartSec=30/);
    expect(n.read('etc/systemd/system/deepseek-watchdog.service')).toContain(`ExecStart=${n.root}/opt/deepseek-iac/bin/node.sh watchdog`);
    expect(n.read('etc/systemd/system/deepseek-watchdog.timer')).toMatch(/OnUnitActiveSec=60\n[\s\S]*WantedBy=timers.target/);
  });
});

describe('failure mode: a GPU falls off the bus → after 3 failed checks the node reports itself unhealthy', () => {
  test('two failures are tolerated, a success resets the count, the third consecutive failure reports', () => {
    const n = node(renderNodeUserData(input()), { STUB_DISKS: EBS_DISKS });
    expect(n.run().status).toBe(0);
    const watch = (fail: boolean) => n.run(['watchdog'], fail ? { STUB_FAIL: 'nvidia-smi:-L' } : {}).calls;
    expect(watch(true)).not.toContainEqual(UNHEALTHY);
    expect(watch(true)).not.toContainEqual(UNHEALTHY);
    expect(watch(false)).not.toContainEqual(UNHEALTHY);
    expect(watch(true)).not.toContainEqual(UNHEALTHY);
    expect(watch(true)).not.toContainEqual(UNHEALTHY);
    expect(watch(true)).toContainEqual(UNHEALTHY);
  });

  test('a single node never asks for the cluster membership', () => {
    const n = node(renderNodeUserData(input()), { STUB_DISKS: EBS_DISKS });
    expect(n.run().status).toBe(0);
    expect(n.run(['engine-env']).status).toBe(0);
    expect(n.run(['watchdog']).calls.some((c) => c.startsWith('aws ec2'))).toBe(false);
  });
});

describe('failure mode: a peer of a multi-node cluster is lost or replaced → the engine restarts', () => {
  const script = renderNodeUserData(input({ plan: multi, rank: 1, storage: { kind: 'instance-store' } }));
  const START = '0 i-0aaaaaaaaaaaaaaaa;1 i-0bbbbbbbbbbbbbbbb;2 i-0cccccccccccccccc';
  const RESTART = 'systemctl restart --no-block deepseek-engine.service';

  /** A worker whose engine started with the membership START. */
  function started() {
    const n = node(script, { STUB_DISKS: NVME, STUB_MEMBERS: START });
    expect(n.run().status).toBe(0);
    expect(n.run(['engine-env']).status).toBe(0);
    expect(n.read('run/deepseek-iac/peers')).toBe('0\ti-0aaaaaaaaaaaaaaaa\n1\ti-0bbbbbbbbbbbbbbbb\n2\ti-0cccccccccccccccc\n');
    return n;
  }

  test.each([
    ['the head was replaced', '0 i-0dddddddddddddddd;1 i-0bbbbbbbbbbbbbbbb;2 i-0cccccccccccccccc'],
    ['a worker is gone', '0 i-0aaaaaaaaaaaaaaaa;1 i-0bbbbbbbbbbbbbbbb'],
    ['a worker was replaced', '0 i-0aaaaaaaaaaaaaaaa;1 i-0bbbbbbbbbbbbbbbb;2 i-0eeeeeeeeeeeeeeee'],
  ])('%s: restart', (_name, now) => {
    const r = started().run(['watchdog'], { STUB_MEMBERS: now });
    expect(r.calls).toContainEqual(RESTART);
    expect(r.stderr).toContain('cluster membership changed');
  });

  test('unchanged membership (listed in another order): no restart', () => {
    const r = started().run(['watchdog'], { STUB_MEMBERS: '2 i-0cccccccccccccccc;0 i-0aaaaaaaaaaaaaaaa;1 i-0bbbbbbbbbbbbbbbb' });
    expect(r.calls.some((c) => c.startsWith('aws ec2 describe-instances'))).toBe(true);
    expect(r.calls).not.toContainEqual(RESTART);
  });

  test('the EC2 API failing is not a membership change: no restart', () => {
    const r = started().run(['watchdog'], { STUB_FAIL: 'aws:ec2' });
    expect(r.calls).not.toContainEqual(RESTART);
    expect(r.stderr).toContain('cannot read the cluster membership');
  });

  test('an engine that is not running (restarting, waiting for its head) is left alone', () => {
    const r = started().run(['watchdog'], { STUB_FAIL: 'systemctl:is-active', STUB_MEMBERS: '0 i-0dddddddddddddddd' });
    expect(r.calls.some((c) => c.startsWith('aws ec2'))).toBe(false);
    expect(r.calls).not.toContainEqual(RESTART);
  });
});

describe('the API key is always enforced', () => {
  test('an empty API-key secret stops the engine start', () => {
    const n = node(renderNodeUserData(input()), { STUB_DISKS: EBS_DISKS });
    expect(n.run().status).toBe(0);
    const r = n.run(['engine-env'], { STUB_API_KEY: '' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('the API key secret is empty');
  });
});
