/**
 * The node boot script: it must parse (`bash -n`), pass shellcheck, and — run with stub commands
 * (test/fixtures/stubs/stub) under a temporary root — do its steps in order, stop before the
 * engine unit exists when a download fails, keep the API key out of argv and world-readable files,
 * and let workers find the head by tag.
 */
import { unpackedUserData } from '../helpers/user-data';
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { planDeployment } from '../../lib/plan/planner';
import { parseModelSource } from '../../lib/deploy/model-source';
import { PACKED_BODY_DELIMITER, renderNodeUserData, USER_DATA_MAX_BYTES, type NodeUserDataInput } from '../../lib/deploy/user-data';
import { testWithTool } from '../helpers/tools';
import { shellcheckInBackground } from '../helpers/shellcheck';
import { at, node } from './boot-harness';
const GiB = 2 ** 30;

const single = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
// TP × PP pinned (dataParallelSize 1): these check the Ray and torch-dist multi-node paths.
const multi = planDeployment({ model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'], dataParallelSize: 1 });
const sglangMulti = planDeployment({ model: 'deepseek-v3', engine: 'sglang', gpus: ['h100'], dataParallelSize: 1 });
const API_KEY_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf';
const HF_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:hf-token-123456';

function input(overrides: Partial<NodeUserDataInput> = {}): NodeUserDataInput {
  return {
    plan: single,
    rank: 0,
    clusterName: 'ud-test',
    modelSource: parseModelSource('deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B'),
    storage: { kind: 'ebs', volumeGiB: 500 },
    apiKeySecretId: API_KEY_ARN,
    logGroupName: '/deepseek-iac/engine',
    summary: 'test plan',
    ...overrides,
  };
}

/** The EBS data volume as lsblk shows it: bytes = volumeGiB × 2^30; the 200 GiB root is also EBS. */
const EBS_DISKS = [
  `/dev/nvme0n1 ${200 * GiB} Amazon Elastic Block Store`,
  `/dev/nvme1n1 ${500 * GiB} Amazon Elastic Block Store`,
].join('\n');

const FSX = { dnsName: 'fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com', mountName: 'abcdefgh', path: '/model' };
const STORE = { bucketName: 'model-store-bucket', prefix: 'deepseek-iac/models/deepseek-ai/DeepSeek-V3/default' };

// Every fragment choice (EBS / instance store × FSx or not), role (single node, head, worker),
// engine (vLLM, SGLang), source (Hugging Face, S3) and day-2 option (model store, agent, HF token,
// reporting) appears at least once; five scripts, because shellcheck takes ~0.5 s of CPU per script.
const inputs: [string, NodeUserDataInput][] = [
  ['vLLM single node, EBS, Hugging Face, model store, agent, HF token, reporting', input({ modelStore: STORE, agentConfigParameter: '/deepseek-iac/ud/cloudwatch-agent', huggingFaceTokenSecretId: HF_SECRET_ARN, reportUnhealthy: true })],
  ['vLLM head, instance store, S3', input({ plan: multi, rank: 0, storage: { kind: 'instance-store' }, modelSource: parseModelSource('s3://weights/v3') })],
  ['vLLM worker, instance store, FSx, model store', input({ plan: multi, rank: 1, storage: { kind: 'instance-store' }, modelStore: STORE, fsxLustre: FSX })],
  ['SGLang head, EBS, FSx, model store', input({ plan: sglangMulti, rank: 0, modelStore: STORE, fsxLustre: FSX })],
  ['SGLang worker, instance store, HF token', input({ plan: sglangMulti, rank: 1, storage: { kind: 'instance-store' }, huggingFaceTokenSecretId: HF_SECRET_ARN })],
];
const scripts: [string, string][] = inputs.map(([name, i]) => [name, renderNodeUserData(i)]);
// One shellcheck process for all of them, started now; its tests, last in this file, await it.
const shellcheckFindings = shellcheckInBackground(scripts);

describe('rendered script is valid shell', () => {

  test.each(scripts)('%s: bash -n', (_name, script) => {
    const r = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  // The blueprint ships the plain script when it fits and the gzip-packed body otherwise (packedBody).
  test.each(inputs)('%s: what the blueprint ships is under EC2\'s 16 KB user-data limit', (_name, i) => {
    const plain = renderNodeUserData(i);
    const shipped = Buffer.byteLength(plain) < USER_DATA_MAX_BYTES ? plain : renderNodeUserData({ ...i, packBody: true });
    expect(Buffer.byteLength(shipped)).toBeLessThan(USER_DATA_MAX_BYTES);
  });

  test('adapter tokens in ids stay single-quoted literals until the adapter resolves them', () => {
    const script = renderNodeUserData(input({ apiKeySecretId: '${Token[TOKEN.123]}', logGroupName: '${Token[TOKEN.456]}' }));
    expect(script).toContain("readonly API_KEY_SECRET_ID='${Token[TOKEN.123]}'");
    expect(spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' }).status).toBe(0);
  });

  test('carries secret ids only, never a value, and no leftover template text', () => {
    const script = renderNodeUserData(input({ huggingFaceTokenSecretId: HF_SECRET_ARN }));
    expect(script).toContain(`API_KEY_SECRET_ID=${API_KEY_ARN}`);
    expect(script).toContain(`HF_TOKEN_SECRET_ID=${HF_SECRET_ARN}`);
    expect(script).not.toMatch(/stub-api-key-value|hf_stub_token_value|\$\{Token/);
    expect(script).toMatch(/^#!\/bin\/bash\n/);
    expect(script).toContain('set -Eeuo pipefail');
  });

  test('rank outside the plan is refused', () => {
    expect(() => renderNodeUserData(input({ rank: 1 }))).toThrow(RangeError);
  });
});

describe('single node on EBS from Hugging Face', () => {
  const n = node(renderNodeUserData(input()), { STUB_DISKS: EBS_DISKS });
  const boot = n.run();

  test('boots successfully through its steps in order', () => {
    expect(boot.stderr).toContain('bootstrap complete');
    expect(boot.status).toBe(0);
    const c = boot.calls;
    const order = [
      at(c, 'curl -sSf --retry 5 -X PUT http://169.254.169.254/latest/api/token'), // IMDSv2 session first
      at(c, 'nvidia-smi -L'),
      at(c, 'lsblk -dbnpo NAME,SIZE,MODEL'),
      at(c, 'mkfs.ext4'),
      at(c, 'mount -o noatime'),
      at(c, 'docker pull'),
      at(c, 'docker run --rm --entrypoint python3'),
      at(c, 'systemctl daemon-reload'),
      at(c, 'systemctl enable --now --no-block deepseek-engine.service'),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test('formats the volume found by size (500 GiB), not the 200 GiB root, and mounts it from fstab by UUID', () => {
    expect(boot.calls.find((c) => c.startsWith('mkfs.ext4'))).toMatch(/ \/dev\/nvme1n1$/);
    expect(boot.calls.some((c) => c.includes('/dev/nvme0n1') && !c.startsWith('lsblk'))).toBe(false);
    expect(n.read('etc/fstab')).toBe('UUID=0a1b2c3d-1111-2222-3333-444455556666 /mnt/deepseek-iac ext4 defaults,noatime,nofail 0 2\n');
  });

  test('downloads the repository into the model directory with the engine image', () => {
    const dl = boot.calls.find((c) => c.startsWith('docker run --rm --entrypoint python3'))!;
    expect(dl).toContain(`-v ${n.root}/mnt/deepseek-iac/models/deepseek-r1-distill-qwen-1.5b:/download ${single.serving.image}`);
    expect(dl).toContain('snapshot_download');
    expect(dl).toContain('deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B');
    expect(n.exists('mnt/deepseek-iac/models/deepseek-r1-distill-qwen-1.5b/.deepseek-iac-complete')).toBe(true);
  });

  test('installs a systemd unit that restarts on failure and reads the key before each start', () => {
    const unit = n.read('etc/systemd/system/deepseek-engine.service');
    expect(unit).toContain('Restart=on-failure');
    expect(unit).toContain(`ExecStartPre=${n.root}/opt/deepseek-iac/bin/node.sh engine-env`);
    expect(unit).toContain(`ExecStart=${n.root}/opt/deepseek-iac/bin/node.sh run-engine`);
    expect(unit).toContain('RuntimeDirectoryMode=0700');
    expect(unit).toContain('WantedBy=multi-user.target');
  });

  test('engine-env writes the API key to a mode-600 file in a mode-700 directory', () => {
    const r = n.run(['engine-env']);
    expect(r.status).toBe(0);
    expect(r.calls).toContainEqual(`aws secretsmanager get-secret-value --secret-id ${API_KEY_ARN} --query SecretString --output text`);
    expect(n.read('run/deepseek-iac/secret.env')).toBe('VLLM_API_KEY=stub-api-key-value\n');
    expect(statSync(join(n.root, 'run/deepseek-iac/secret.env')).mode & 0o777).toBe(0o600);
    expect(statSync(join(n.root, 'run/deepseek-iac')).mode & 0o777).toBe(0o700);
    expect(n.read('run/deepseek-iac/runtime.env')).toBe('HEAD_ADDR=10.0.1.10\nNODE_RANK=0\nNODE_ADDR=10.0.1.10\n');
  });

  test('run-engine starts the plan\'s container with awslogs, the key only through --env-file', () => {
    const r = n.run(['run-engine']);
    expect(r.status).toBe(0);
    const run = r.calls.find((c) => c.startsWith('docker run --rm --name deepseek-engine'))!;
    expect(run).toContain('--log-driver awslogs --log-opt awslogs-region=us-east-1 --log-opt awslogs-group=/deepseek-iac/engine --log-opt awslogs-stream=i-0123456789abcdef0/rank-0');
    expect(run).toContain(`--env-file ${n.root}/run/deepseek-iac/secret.env`);
    expect(run).toContain(`-v ${n.root}/mnt/deepseek-iac/models:/models:ro`);
    // Issue 13 §3: the engine shares the host's network and binds loopback on the port above the plan's
    // (8000 + 1), which the API front on 8000 proxies to; nothing is published.
    const argv = single.serving.command.join(' ').replace('--host 0.0.0.0 --port 8000', '--host 127.0.0.1 --port 8001');
    expect(argv).not.toBe(single.serving.command.join(' '));
    expect(run).toContain(`--gpus all --ipc host --network host ${single.serving.image} ${argv}`);
    expect(run).not.toContain('-p 8000');
    expect(run).not.toContain('stub-api-key-value');
  });

  test('the API front (nginx) is a unit bound to the engine, on the plan\'s port, its key only from the root-only env file', () => {
    const unit = n.read('etc/systemd/system/deepseek-front.service');
    expect(unit).toContain('BindsTo=deepseek-engine.service');
    expect(unit).toContain('WantedBy=deepseek-engine.service');
    expect(unit).toContain(`--network host --cgroup-parent deepseekengine.slice --env-file ${n.root}/run/deepseek-iac/secret.env`);
    expect(unit).toContain(`-v ${n.root}/opt/deepseek-iac/etc/front.conf:/etc/nginx/nginx.conf:ro`);
    expect(unit).toMatch(/ nginx:[0-9.]+-alpine@sha256:[0-9a-f]{64}\n/);
    const conf = n.read('opt/deepseek-iac/etc/front.conf');
    expect(conf).toContain('listen 8000;');
    expect(conf).toContain('proxy_pass http://127.0.0.1:8001;');
    expect(n.read('opt/deepseek-iac/etc/key.template')).toBe('"Bearer ${VLLM_API_KEY}" 1;\n');
    expect(boot.calls).toContainEqual('systemctl enable deepseek-front.service');
    expect(boot.calls.filter((c) => c.startsWith('docker pull')).some((c) => c.includes('nginx:'))).toBe(true);
  });

  test('a key the front cannot compare safely (outside RFC 6750 b64token) stops engine-env', () => {
    const bad = node(renderNodeUserData(input()), { STUB_DISKS: EBS_DISKS, STUB_API_KEY: 'a"b' });
    bad.run();
    const r = bad.run(['engine-env']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('the API key may hold only');
  });

  test('a second boot finds the weights complete and does not download again', () => {
    const again = n.run();
    expect(again.status).toBe(0);
    expect(again.calls.some((c) => c.startsWith('docker run --rm --entrypoint python3'))).toBe(false);
    expect(again.calls.some((c) => c.startsWith('mkfs.ext4'))).toBe(false); // the filesystem is there now
  });
});

describe('a failed download stops the start', () => {
  test.each([
    ['S3', parseModelSource('s3://weights-bucket/r1-distill'), 'aws:s3', 'aws s3 sync s3://weights-bucket/r1-distill/'],
    ['Hugging Face', parseModelSource('deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B'), 'docker:run', 'docker run --rm --entrypoint python3'],
  ])('%s', (_name, modelSource, fail, downloadCall) => {
    const n = node(renderNodeUserData(input({ modelSource })), { STUB_DISKS: EBS_DISKS, STUB_FAIL: fail });
    const r = n.run();
    expect(r.status).not.toBe(0);
    expect(r.calls.some((c) => c.startsWith(downloadCall))).toBe(true);
    expect(r.calls.some((c) => c.startsWith('systemctl'))).toBe(false);
    expect(n.exists('etc/systemd/system/deepseek-engine.service')).toBe(false);
    expect(n.exists('mnt/deepseek-iac/models/deepseek-r1-distill-qwen-1.5b/.deepseek-iac-complete')).toBe(false);
    expect(r.stderr).toContain('failed (exit 1)');
  });

  test('S3 sync gets the parallel-transfer config file', () => {
    const n = node(renderNodeUserData(input({ modelSource: parseModelSource('s3://weights-bucket/r1-distill') })), { STUB_DISKS: EBS_DISKS });
    const r = n.run();
    expect(r.status).toBe(0);
    expect(r.calls).toContainEqual(`aws s3 sync s3://weights-bucket/r1-distill/ ${n.root}/mnt/deepseek-iac/models/deepseek-r1-distill-qwen-1.5b --only-show-errors --exclude .deepseek-iac-complete [env AWS_CONFIG_FILE]`);
    expect(n.read('opt/deepseek-iac/etc/aws-s3.conf')).toContain('max_concurrent_requests = 32');
  });

  test('no attached volume of the planned size: stops before any download', () => {
    const n = node(renderNodeUserData(input()), { STUB_DISKS: `/dev/nvme0n1 ${200 * GiB} Amazon Elastic Block Store` });
    const r = n.run();
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`no EBS volume of ${500 * GiB} bytes`);
    expect(r.calls.some((c) => c.startsWith('docker') || c.startsWith('mkfs'))).toBe(false);
  });
});

describe('instance-store NVMe', () => {
  const nvme = ['/dev/nvme1n1 3800000000000 Amazon EC2 NVMe Instance Storage', '/dev/nvme2n1 3800000000000 Amazon EC2 NVMe Instance Storage'].join('\n');
  const script = renderNodeUserData(input({ storage: { kind: 'instance-store' } }));

  test('several disks are striped into RAID0 and formatted once', () => {
    const n = node(script, { STUB_DISKS: nvme });
    const r = n.run();
    expect(r.status).toBe(0);
    const mdadm = at(r.calls, 'mdadm --create /dev/md/deepseek-iac --run --level=0 --raid-devices=2 /dev/nvme1n1 /dev/nvme2n1');
    expect(at(r.calls, 'mkfs.ext4')).toBeGreaterThan(mdadm);
    expect(r.calls.find((c) => c.startsWith('mkfs.ext4'))).toMatch(/ \/dev\/md\/deepseek-iac$/);
  });

  test('on the Deep Learning AMI the script uses its /opt/dlami/nvme mount and touches no disk', () => {
    const n = node(script, { STUB_DISKS: nvme });
    mkdirSync(join(n.root, 'opt/dlami/nvme'), { recursive: true });
    const r = n.run([], { STUB_MOUNTED: join(n.root, 'opt/dlami/nvme') });
    expect(r.status).toBe(0);
    expect(r.calls.some((c) => /^(mdadm|mkfs|mount )/.test(c))).toBe(false);
    expect(n.read('opt/deepseek-iac/state/data-dir')).toBe(`${n.root}/opt/dlami/nvme/deepseek-iac\n`);
  });
});

describe('multi-node worker', () => {
  const script = renderNodeUserData(input({ plan: multi, rank: 1, storage: { kind: 'instance-store' }, huggingFaceTokenSecretId: HF_SECRET_ARN }));
  const nvme = '/dev/nvme1n1 3800000000000 Amazon EC2 NVMe Instance Storage';

  test('downloads with the Hugging Face token passed through the environment, never argv', () => {
    const n = node(script, { STUB_DISKS: nvme });
    const r = n.run();
    expect(r.status).toBe(0);
    const dl = r.calls.find((c) => c.startsWith('docker run --rm --entrypoint python3'))!;
    expect(dl).toContain(' -e HF_TOKEN ');
    expect(dl).toMatch(/\[env HF_TOKEN=hf_stub_token_value\]$/);
    expect(dl.replace(/ \[env .*$/, '')).not.toContain('hf_stub_token_value');
  });

  test('finds the head by cluster and rank-0 tags and joins it; no API key on a worker', () => {
    const n = node(script, { STUB_DISKS: nvme, STUB_LOCAL_IP: '10.0.1.11', STUB_HEAD_IPS: '10.0.1.99' });
    expect(n.run().status).toBe(0);
    const env = n.run(['engine-env']);
    expect(env.status).toBe(0);
    expect(env.calls).toContainEqual(
      'aws ec2 describe-instances --filters Name=tag:deepseek-iac:cluster,Values=ud-test Name=tag:deepseek-iac:rank,Values=0 Name=instance-state-name,Values=running --query Reservations[].Instances[].PrivateIpAddress --output text',
    );
    expect(env.calls.some((c) => c.startsWith('aws secretsmanager'))).toBe(false);
    expect(n.read('run/deepseek-iac/runtime.env')).toBe('HEAD_ADDR=10.0.1.99\nNODE_RANK=1\nNODE_ADDR=10.0.1.11\nVLLM_HOST_IP=10.0.1.11\n');
    expect(n.read('run/deepseek-iac/secret.env')).toBe('');

    const run = n.run(['run-engine']).calls.find((c) => c.startsWith('docker run --rm --name deepseek-engine'))!;
    expect(run).toContain('--network host');
    expect(run).toContain('--device /dev/infiniband');
    expect(run).toContain('--ulimit memlock=-1');
    expect(run).toContain('--entrypoint= ');
    expect(run).toMatch(/ ray start --address=10\.0\.1\.99:6379 --block$/);
    expect(run).not.toContain('${HEAD_ADDR}');
  });

  test('no head (or two) keeps waiting, then fails the start so systemd retries', () => {
    const n = node(script, { STUB_DISKS: nvme });
    expect(n.run().status).toBe(0);
    for (const ips of ['', '10.0.1.98 10.0.1.99', 'None']) {
      const r = n.run(['engine-env'], { STUB_HEAD_IPS: ips });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('no head node of ud-test found');
      // DEEPSEEK_IAC_HEAD_WAIT_TRIES=3 in the test environment.
      expect(r.calls.filter((c) => c.startsWith('aws ec2 describe-instances'))).toHaveLength(3);
    }
  });

  test('SGLang worker gets its rank and the head address substituted', () => {
    const n = node(renderNodeUserData(input({ plan: sglangMulti, rank: 1, storage: { kind: 'instance-store' } })), { STUB_DISKS: nvme });
    expect(n.run().status).toBe(0);
    expect(n.run(['engine-env']).status).toBe(0);
    const run = n.run(['run-engine']).calls.find((c) => c.startsWith('docker run --rm --name deepseek-engine'))!;
    expect(run).toContain('--node-rank 1 --dist-init-addr 10.0.1.99:20000');
    expect(run).not.toMatch(/\$\{(HEAD_ADDR|NODE_RANK)\}/);
  });
});

describe('IMDSv2 only', () => {
  test('metadata reads carry the session token (the stub refuses reads without it)', () => {
    const n = node(renderNodeUserData(input()), { STUB_DISKS: EBS_DISKS });
    const r = n.run();
    expect(r.status).toBe(0);
    const reads = r.calls.filter((c) => c.startsWith('curl') && c.includes('/latest/meta-data/'));
    expect(reads.length).toBeGreaterThan(0);
    for (const c of reads) expect(c).toContain('X-aws-ec2-metadata-token: stub-imds-token');
  });
});

describe('a gzip-packed body (for scripts over 16 KB) boots exactly as the plain one', () => {
  const plain = renderNodeUserData(input());
  const packed = renderNodeUserData({ ...input(), packBody: true });

  test('packed is smaller, parses, and unpacks to the plain script', () => {
    expect(packed).toContain(PACKED_BODY_DELIMITER);
    expect(Buffer.byteLength(packed)).toBeLessThan(Buffer.byteLength(plain) * 0.75);
    expect(spawnSync('bash', ['-n'], { input: packed, encoding: 'utf8' }).status).toBe(0);
    expect(unpackedUserData(packed)).toBe(plain);
  });

  test('bootstrap under the stubs makes the same calls in the same order', () => {
    const runOf = (script: string) => node(script, { STUB_DISKS: EBS_DISKS }).run();
    const a = runOf(plain);
    const b = runOf(packed);
    expect(b.status).toBe(0);
    expect(b.stderr).toContain('bootstrap complete');
    // Temporary paths differ per node: compare the calls with each node's folder masked.
    const masked = (calls: string[]) => calls.map((c) => c.replace(/\/tmp\/deepseek-ud-[^/\s]+/g, '<node>'));
    expect(masked(b.calls)).toEqual(masked(a.calls));
  });
});

describe('shellcheck (the run started when this file loaded)', () => {
  testWithTool('shellcheck', 'shellcheck of the node boot scripts').each(scripts)('%s', async (name) => {
    expect(await shellcheckFindings(name)).toBe('');
  });
});
