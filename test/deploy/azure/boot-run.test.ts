/**
 * The Azure boot script run unprivileged with stub commands (test/fixtures/stubs-azure) under a
 * temporary root, for the R1-on-ND-H200-v5 reference plan: bootstrap checks the GPUs before it
 * touches a disk, formats and mounts the LUN-0 data disk, downloads once and starts the unit; a
 * wrong GPU count stops it; engine-env reads the key from Key Vault with the identity's token into a
 * mode-600 file (never onto a command line), stages the weights on local NVMe; run-engine starts the
 * plan's command; health reports GPU count, engine state and GPU metrics to syslog.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { planDeployment } from '../../../lib/plan/planner';
import { azureBlueprint } from '../../../lib/deploy/azure';
import { behindFront } from '../../conformance/observed';

const STUB = resolve(__dirname, '../../fixtures/stubs-azure/stub');
const COMMANDS = ['docker', 'curl', 'nvidia-smi', 'rocm-smi', 'lsblk', 'blkid', 'mkfs.ext4', 'mount', 'mountpoint', 'mdadm', 'systemctl', 'logger', 'uname', 'iptables'];
const KEY = 'sk-stub-0123456789abcdef';

const plan = planDeployment({ model: 'deepseek-r1', precision: 'fp8', target: 'azure', gpus: ['h200'], maxNodes: 1 });
const bp = azureBlueprint(plan, { clusterName: 'run-test', allowedCidrs: ['10.1.0.0/16'] });
const tlsBp = azureBlueprint(plan, { clusterName: 'run-test', allowedCidrs: ['10.1.0.0/16'], tlsCertificateSecretName: 'api-tls' });
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function newNode(lunPath = 'dev/disk/azure/scsi1/lun0', customData = bp.vms[0].customData) {
  const dir = mkdtempSync(join(tmpdir(), 'azure-boot-'));
  dirs.push(dir);
  const bin = join(dir, 'bin');
  const root = join(dir, 'root');
  mkdirSync(bin);
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(root, lunPath, '..'), { recursive: true });
  writeFileSync(join(root, 'etc/fstab'), '');
  writeFileSync(join(root, lunPath), '');
  for (const c of COMMANDS) symlinkSync(STUB, join(bin, c));
  const script = join(dir, 'custom-data.sh');
  writeFileSync(script, customData);
  let n = 0;
  const run = (args: string[] = [], env: Record<string, string> = {}) => {
    const log = join(dir, `calls-${n++}.log`);
    writeFileSync(log, '');
    const target = args.length > 0 ? join(root, 'opt/deepseek-iac/bin/node.sh') : script;
    const r = spawnSync('bash', [target, ...args], {
      encoding: 'utf8',
      env: { PATH: `${bin}:/usr/bin:/bin`, STUB_LOG: log, STUB_STATE: join(dir, 'state'), DEEPSEEK_IAC_ROOT: root, DEEPSEEK_IAC_POLL_SECONDS: '0', DEEPSEEK_IAC_WAIT_TRIES: '2', ...env },
    });
    return { status: r.status, stderr: r.stderr, calls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  };
  return { root, run };
}

const at = (calls: string[], prefix: string): number => {
  const i = calls.findIndex((c) => c.startsWith(prefix));
  if (i < 0) throw new Error(`no call starting with "${prefix}" in:\n${calls.join('\n')}`);
  return i;
};

describe('a node of the R1 / ND H200 v5 reference stack', () => {
  const node = newNode();
  const boot = node.run();

  test('bootstrap: GPU check, data disk, image, weights, unit, in that order', () => {
    expect(boot.stderr).toContain('GPU check: 8 nvidia GPUs, as planned');
    expect(boot.status).toBe(0);
    const c = boot.calls;
    const lun0 = join(node.root, 'dev/disk/azure/scsi1/lun0');
    expect(at(c, 'nvidia-smi -L')).toBeLessThan(at(c, `blkid -p ${lun0}`));
    expect(at(c, `blkid -p ${lun0}`)).toBeLessThan(at(c, `mkfs.ext4 -q -F -m 0 -L deepseek-data`));
    expect(at(c, 'mkfs.ext4')).toBeLessThan(at(c, 'mount -o noatime'));
    expect(at(c, 'mount -o noatime')).toBeLessThan(at(c, `docker pull --quiet ${plan.serving.image}`));
    expect(at(c, 'docker pull')).toBeLessThan(at(c, 'docker run --rm --entrypoint python3'));
    expect(at(c, 'docker run --rm --entrypoint python3')).toBeLessThan(at(c, 'systemctl enable --now --no-block deepseek-engine.service deepseek-health.timer'));
    expect(c.find((l) => l.startsWith('docker run --rm --entrypoint python3'))).toContain(`deepseek-ai/DeepSeek-R1  /download`);
    expect(readFileSync(join(node.root, 'etc/fstab'), 'utf8')).toMatch(/^UUID=\S+ \/mnt\/deepseek-data ext4 defaults,noatime,nofail 0 2$/m);
    expect(existsSync(join(node.root, 'mnt/deepseek-data/models/deepseek-r1/.deepseek-iac-complete'))).toBe(true);
    const unit = readFileSync(join(node.root, 'etc/systemd/system/deepseek-engine.service'), 'utf8');
    expect(unit).toContain(`ExecStartPre=${join(node.root, 'opt/deepseek-iac/bin/node.sh')} engine-env`);
    expect(unit).toContain('RuntimeDirectoryMode=0700');
  });

  test('engine-env: the key comes from Key Vault through the identity into a mode-600 tmpfs file, never a command line', () => {
    const r = node.run(['engine-env'], { STUB_API_KEY: KEY });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('no local NVMe: the engine reads the weights from the data disk');
    expect(r.stderr).not.toContain(KEY);
    expect(r.calls.join('\n')).not.toContain(KEY);
    expect(r.calls.join('\n')).not.toContain('stub-bearer-token');
    expect(at(r.calls, 'curl -sSf --retry 5 -H Metadata: true')).toBeLessThan(at(r.calls, 'curl -sSf --retry 5 -H @'));
    expect(r.calls.find((c) => c.startsWith('curl -sSf --retry 5 -H @'))).toContain(`${bp.keyVault.uri}/secrets/api-key?api-version=7.4`);
    const secretFile = join(node.root, 'run/deepseek-iac/secret.env');
    expect(readFileSync(secretFile, 'utf8')).toBe(`${plan.serving.apiKeyEnv}=${KEY}\n`);
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    // The bearer-token header file is gone.
    expect(readdirSync(join(node.root, 'run/deepseek-iac')).filter((f) => f.startsWith('auth.'))).toEqual([]);
    const runtime = readFileSync(join(node.root, 'run/deepseek-iac/runtime.env'), 'utf8');
    expect(runtime).toContain(`HEAD_ADDR=${bp.network.addresses.nodeIps[0]}\n`);
    // No local NVMe reported: the engine reads the data disk.
    expect(runtime).toContain(`MODELS_DIR=${join(node.root, 'mnt/deepseek-data/models')}\n`);
  });

  test('engine-env with two NVMe disks: RAID0, and the weights are staged there', () => {
    const r = node.run(['engine-env'], { STUB_API_KEY: KEY, STUB_DISKS: 'nvme0n1 Microsoft NVMe Direct Disk\nnvme1n1 Microsoft NVMe Direct Disk\nsda Virtual Disk' });
    expect(r.status).toBe(0);
    expect(r.calls).toContain('mdadm --create /dev/md/deepseek-cache --run --level=0 --raid-devices=2 /dev/nvme0n1 /dev/nvme1n1');
    expect(existsSync(join(node.root, 'mnt/deepseek-nvme/models/deepseek-r1/config.json'))).toBe(true);
    expect(readFileSync(join(node.root, 'run/deepseek-iac/runtime.env'), 'utf8')).toContain(`MODELS_DIR=${join(node.root, 'mnt/deepseek-nvme/models')}\n`);
  });

  test('run-engine: docker run with the env files, syslog logging and the plan\'s command', () => {
    const r = node.run(['run-engine']);
    expect(r.status).toBe(0);
    const run = r.calls.find((c) => c.startsWith('docker run --rm --name deepseek-engine'))!;
    expect(run).toContain(`--env-file ${join(node.root, 'run/deepseek-iac/secret.env')}`);
    expect(run).toContain('--log-driver syslog --log-opt syslog-facility=local0 --log-opt tag=deepseek-engine');
    expect(run).toContain(`-v ${join(node.root, 'mnt/deepseek-nvme/models')}:/models:ro`);
    // Behind the API front: loopback, one port up (the front holds the plan's port).
    expect(run.endsWith(`${plan.serving.image} ${behindFront(plan.serving.command, plan.serving.port).join(' ')}`)).toBe(true);
    expect(run).toContain('--network host');
    expect(run).not.toContain(KEY);
    // In the slice whose packets to instance metadata engine-env rejects.
    expect(run).toContain('--cgroup-parent deepseekengine.slice');
  });

  test('engine-env keeps the engine from the VM identity: the slice and bridged containers cannot reach instance metadata, before the key is read', () => {
    const r = node.run(['engine-env'], { STUB_API_KEY: KEY });
    expect(r.status).toBe(0);
    const slice = 'iptables -I OUTPUT -m cgroup --path deepseekengine.slice -d 169.254.169.254 -j REJECT';
    const bridged = 'iptables -I DOCKER-USER -d 169.254.169.254 -j REJECT';
    expect(r.calls).toContain('systemctl start deepseekengine.slice');
    expect(r.calls).toContain(slice);
    expect(r.calls).toContain(bridged);
    // Both rules stand before the identity's first token request.
    expect(at(r.calls, slice)).toBeLessThan(at(r.calls, 'curl -sSf --retry 5 -H Metadata: true'));
    expect(at(r.calls, bridged)).toBeLessThan(at(r.calls, 'curl -sSf --retry 5 -H Metadata: true'));
  });

  test('health: GPU count, engine state and one metrics line per GPU to syslog', () => {
    const ok = node.run(['health']);
    expect(ok.calls).toContain('logger -p local1.info -t deepseek-health gpus=8 expected=8 engine=healthy');
    expect(ok.calls.filter((c) => c.startsWith('logger -p local1.info -t deepseek-gpu '))).toHaveLength(8);
    const lost = node.run(['health'], { STUB_GPUS: '7', STUB_HEALTH: '7' });
    expect(lost.calls).toContain('logger -p local1.err -t deepseek-health gpus=7 expected=8 engine=unhealthy: GPU missing');
  });
});

test('a node showing 7 of 8 GPUs fails its boot before touching a disk, and says so in syslog', () => {
  const r = newNode().run([], { STUB_GPUS: '7' });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('GPU check: found 7 nvidia GPUs, the plan needs 8');
  // The line the gpu-missing log alert matches (lib/deploy/azure/alerts.ts).
  expect(r.calls).toContain('logger -p local1.err -t deepseek-health boot failed: GPU check: found 7 nvidia GPUs, the plan needs 8');
  expect(r.calls.some((c) => c.startsWith('blkid') || c.startsWith('mkfs') || c.startsWith('docker'))).toBe(false);
});

test('a data disk on an NVMe disk controller is found under data/by-lun', () => {
  const r = newNode('dev/disk/azure/data/by-lun/0').run();
  expect(r.status).toBe(0);
  expect(r.calls.some((c) => c.startsWith('mkfs.ext4') && c.endsWith('/dev/disk/azure/data/by-lun/0'))).toBe(true);
});

test('no data disk at the LUN stops the boot with the paths it looked at', () => {
  const r = newNode('dev/disk/azure/scsi1/lun7').run();
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('no data disk at LUN 0');
  expect(r.calls.some((c) => c.startsWith('docker'))).toBe(false);
});

test('a VM of another CPU architecture than the plan\'s fails its boot before the GPU check', () => {
  const r = newNode().run([], { STUB_MACHINE: 'aarch64' });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('CPU architecture: the VM is aarch64, the plan needs x86_64');
  expect(r.calls.some((c) => c.startsWith('nvidia-smi') || c.startsWith('blkid'))).toBe(false);
});

describe('the API front on the serving rank', () => {
  test('bootstrap pulls the front image and installs its unit, bound to the engine\'s', () => {
    const node = newNode();
    const boot = node.run();
    expect(boot.status).toBe(0);
    expect(at(boot.calls, `docker pull --quiet ${bp.front.image}`)).toBeLessThan(at(boot.calls, 'systemctl enable deepseek-front.service'));
    const unit = readFileSync(join(node.root, 'etc/systemd/system/deepseek-front.service'), 'utf8');
    expect(unit).toContain('BindsTo=deepseek-engine.service');
    expect(unit).toContain('--cgroup-parent deepseekengine.slice');
    expect(unit).toContain(`--env-file ${join(node.root, 'run/deepseek-iac/secret.env')}`);
    expect(unit).toContain(`:/etc/nginx/nginx.conf:ro`);
    expect(unit).not.toContain('tls.pem');
    expect(unit.trimEnd().split('\n').find((l) => l.startsWith('ExecStart=')))!.toMatch(new RegExp(`${bp.front.image.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    const conf = readFileSync(join(node.root, 'opt/deepseek-iac/etc/front.conf'), 'utf8');
    expect(conf).toContain(`listen ${plan.serving.port};`);
    expect(conf).toContain(`proxy_pass http://127.0.0.1:${plan.serving.port + 1};`);
  });

  test('an API key the front cannot compare verbatim stops the engine start', () => {
    const node = newNode();
    node.run();
    const r = node.run(['engine-env'], { STUB_API_KEY: 'has space' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the API key may hold only');
  });

  describe('with a Key Vault certificate', () => {
    const PEM = '-----BEGIN PRIVATE KEY-----\\nstub\\n-----END PRIVATE KEY-----\\n-----BEGIN CERTIFICATE-----\\nstub\\n-----END CERTIFICATE-----\\n';
    const node = newNode(undefined, tlsBp.vms[0].customData);
    const boot = node.run();

    test('the unit mounts the certificate, the front listens with ssl, health goes over https', () => {
      expect(boot.status).toBe(0);
      const unit = readFileSync(join(node.root, 'etc/systemd/system/deepseek-front.service'), 'utf8');
      expect(unit).toContain(`-v ${join(node.root, 'run/deepseek-iac/tls.pem')}:/etc/nginx/tls/tls.pem:ro`);
      expect(readFileSync(join(node.root, 'opt/deepseek-iac/etc/front.conf'), 'utf8')).toContain(`listen ${plan.serving.port} ssl;`);
      const h = node.run(['health']);
      expect(h.calls).toContain(`curl -sfk -o /dev/null --max-time 5 https://127.0.0.1:${plan.serving.port}${plan.serving.healthPath}`);
    });

    test('engine-env reads the certificate\'s secret into a mode-600 file next to the key', () => {
      const r = node.run(['engine-env'], { STUB_API_KEY: KEY, STUB_SECRET_api_tls: PEM });
      expect(r.status).toBe(0);
      expect(r.calls.find((c) => c.includes('/secrets/api-tls?'))).toContain(`${tlsBp.keyVault.uri}/secrets/api-tls?api-version=7.4`);
      const pem = join(node.root, 'run/deepseek-iac/tls.pem');
      expect(readFileSync(pem, 'utf8')).toContain('-----BEGIN CERTIFICATE-----\nstub\n');
      expect(statSync(pem).mode & 0o777).toBe(0o600);
    });

    test('a secret that is not a PEM with key and certificate stops the start', () => {
      const r = node.run(['engine-env'], { STUB_API_KEY: KEY, STUB_SECRET_api_tls: 'MIIPFXBASE64' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('certificate api-tls is not a PEM with key and certificate');
    });
  });
});

describe('self-repair: a node that keeps losing GPUs redeploys its own VM', () => {
  const VM_ID = '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/run-test-rank0';
  const node = newNode();
  node.run();
  const health = (gpus: number) => node.run(['health'], { STUB_GPUS: String(gpus), STUB_VM_ID: VM_ID, DEEPSEEK_IAC_ARM: 'https://arm.test' });
  const redeploy = `https://arm.test${VM_ID}/redeploy?api-version=2024-03-01`;
  const posts = (calls: string[]) => calls.filter((c) => c.startsWith('curl -sSf -X POST') && c.endsWith(redeploy));

  test('two bad checks do nothing; a good one resets the count; the third bad one in a row redeploys with a management token', () => {
    expect(posts(health(7).calls)).toEqual([]);
    expect(posts(health(7).calls)).toEqual([]);
    expect(posts(health(8).calls)).toEqual([]);
    expect(posts(health(7).calls)).toEqual([]);
    expect(posts(health(7).calls)).toEqual([]);
    const third = health(7);
    expect(posts(third.calls)).toHaveLength(1);
    expect(third.calls).toContain('curl -sSf --retry 5 -H Metadata: true http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F');
    expect(third.calls).toContain('logger -p local1.err -t deepseek-health gpus=7 expected=8: GPU missing for 3 checks; redeploying this VM to another host');
    expect(third.calls.join('\n')).not.toContain('stub-bearer-token');
  });

  test('after the second redeploy it only reports', () => {
    for (let i = 0; i < 3; i++) health(7);
    const counted = readFileSync(join(node.root, 'opt/deepseek-iac/state/redeploys'), 'utf8').trim().split('\n');
    expect(counted).toHaveLength(2);
    const calls = [0, 1, 2].flatMap(() => health(7).calls);
    expect(posts(calls)).toEqual([]);
    expect(calls).toContain('logger -p local1.err -t deepseek-health gpus=7 expected=8: GPU missing after 2 redeploys; not redeploying again, replace this VM');
  });
});

describe('boot heartbeat and failure report', () => {
  test('a failed boot says so in syslog with its exit status; the heartbeat stops', () => {
    const r = newNode('dev/disk/azure/scsi1/lun7').run();
    expect(r.status).toBe(1);
    expect(r.calls).toContain('logger -p local1.err -t deepseek-health boot failed: bootstrap exited with status 1');
  });

  test('a boot that completes reports no failure', () => {
    const r = newNode().run();
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => c.includes('boot failed'))).toEqual([]);
  });

  test('while the boot runs, a "booting" health line goes out on each beat', () => {
    // A slow image pull keeps the boot busy for a few beats of 0.1 s.
    const r = newNode().run([], { DEEPSEEK_IAC_HEARTBEAT_SECONDS: '0.1', STUB_PULL_SECONDS: '0.5' });
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => c === 'logger -p local1.info -t deepseek-health booting').length).toBeGreaterThanOrEqual(2);
  });
});
