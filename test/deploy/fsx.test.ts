/**
 * FSx for Lustre decisions (capacity, throughput, ports, issues), its load path and grace period,
 * its place in the blueprint, and the boot script's mount step run against the stub commands.
 */
import { spawnSync } from 'node:child_process';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { planDeployment } from '../../lib/plan/planner';
import { isPlanError } from '../../lib/errors';
import { fsxLustreIssues, fsxLustreSpec, lustreCapacityGiB } from '../../lib/deploy/fsx';
import { awsBlueprint, type AwsBlueprintOptions } from '../../lib/deploy/blueprint';
import { parseModelSource } from '../../lib/deploy/model-source';
import { renderNodeUserData, USER_DATA_MAX_BYTES, type NodeUserDataInput } from '../../lib/deploy/user-data';
import { weightLoadEstimate } from '../../lib/deploy/weight-cache';
import { runTool, testWithTool } from '../helpers/tools';
import { at, node } from './boot-harness';

const GiB = 2 ** 30;
/** V3 FP8 on H100: 2 × p5.48xlarge. */
const multi = planDeployment({ model: 'deepseek-v3', gpus: ['h100'] });
const single = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
const MARKER = '.deepseek-iac-complete';
const FSX = { dnsName: 'fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com', mountName: 'abcdefgh', path: '/model' };

describe('capacity: smallest valid PERSISTENT_2 size (1200 GiB, then multiples of 2400 GiB) holding checkpoint × 1.1', () => {
  test.each<[string, number, number]>([
    // 500e9 × 1.1 / 2^30 = 512.2 GiB → the 1200 GiB minimum
    ['500 GB', 1200, 500e9],
    // exactly 1200 GiB after headroom stays 1200
    ['1200 GiB after headroom', 1200, (1200 * GiB) / 1.1],
    // 1.5e12 × 1.1 / 2^30 = 1536.7 GiB → 2400
    ['1.5 TB', 2400, 1.5e12],
    // 2.5e12 × 1.1 / 2^30 = 2561.2 GiB → 2 × 2400 = 4800
    ['2.5 TB', 4800, 2.5e12],
  ])('%s → %i GiB', (_n, gib, bytes) => {
    expect(lustreCapacityGiB(bytes)).toBe(gib);
  });
});

describe('spec for V3 FP8 on 2 nodes', () => {
  const spec = fsxLustreSpec(multi);
  test('PERSISTENT_2, 1000 MB/s/TiB, Lustre ports 988 and 1018-1023, auto import of new, changed and deleted objects', () => {
    expect(spec).toMatchObject({
      deploymentType: 'PERSISTENT_2', perUnitStorageThroughputMBpsPerTiB: 1000, fileSystemPath: '/model',
      ports: [{ fromPort: 988, toPort: 988 }, { fromPort: 1018, toPort: 1023 }], autoImportEvents: ['NEW', 'CHANGED', 'DELETED'],
    });
  });
  test('throughput = capacity in TiB × tier', () => {
    // ~688 GB checkpoint → 1200 GiB; 1200/1024 TiB × 1000 MB/s = 1171.875 MB/s
    expect(spec.storageCapacityGiB).toBe(1200);
    expect(spec.throughputBytesPerSecond).toBeCloseTo(1171.875e6, 0);
  });
});

describe('issues', () => {
  test('a single-node plan is refused, naming the prop', () => {
    const issues = fsxLustreIssues(single, { modelStore: true });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('fsxLustre');
    expect(issues[0]!.message).toMatch(/multi-node/);
  });
  test('no model store is refused; a multi-node plan with a store has no issue', () => {
    expect(fsxLustreIssues(multi, { modelStore: false }).map((i) => i.path)).toEqual(['fsxLustre']);
    expect(fsxLustreIssues(multi, { modelStore: true })).toEqual([]);
  });
});

describe('load time', () => {
  const base = { source: parseModelSource('deepseek-ai/DeepSeek-V3'), storage: { kind: 'instance-store' } as const, withModelStore: true, dataVolumeThroughputMiBps: 1000 };
  test('FSx path: no copy; each of 2 nodes gets half the throughput, capped at the 500 MB/s load assumption', () => {
    const e = weightLoadEstimate(multi, { ...base, fsxThroughputBytesPerSecond: 1171.875e6 });
    // 1171.875 / 2 = 585.9 MB/s > 500 → 500 MB/s
    expect(e.fsxBoots).toMatchObject({ source: 'fsx-lustre', downloadSeconds: 0, downloadBytesPerSecond: 500e6 });
    expect(e.fsxBoots!.readySeconds).toBeCloseTo(600 + multi.storage.checkpointBytes / 500e6 + 900, 6);
  });
  test('a slow file system sets the grace period when its path is the slowest', () => {
    // 10 MB/s shared by 2 → 5 MB/s: 688e9 / 5e6 ≈ 137,700 s, far above the Hugging Face path
    const e = weightLoadEstimate(multi, { ...base, fsxThroughputBytesPerSecond: 10e6 });
    expect(e.graceSeconds).toBe(Math.ceil((600 + multi.storage.checkpointBytes / 5e6 + 900) / 60) * 60);
    expect(weightLoadEstimate(multi, base).fsxBoots).toBeUndefined();
  });
});

describe('blueprint', () => {
  const options: AwsBlueprintOptions = {
    clusterName: 'fsx', apiKeySecret: { id: 'api', policyArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-??????' },
    logGroup: { name: '/engine', arn: 'arn:aws:logs:us-east-1:111122223333:log-group:/engine' }, partition: 'aws',
    modelStore: { bucketName: 'store', bucketArn: 'arn:aws:s3:::store' },
  };
  test('with fsxLustre: the spec is in the result and every rank mounts the fileset, under 16 KB', () => {
    const bp = awsBlueprint(multi, { ...options, fsxLustre: { dnsName: FSX.dnsName, mountName: FSX.mountName } });
    expect(bp.fsxLustre?.storageCapacityGiB).toBe(1200);
    expect(bp.weightLoad?.fsxBoots?.source).toBe('fsx-lustre');
    for (const g of bp.nodeGroups) {
      expect(g.userData).toContain(`${FSX.dnsName}@tcp:/${FSX.mountName}/model`);
      expect(Buffer.byteLength(g.userData)).toBeLessThan(USER_DATA_MAX_BYTES);
    }
  });
  test('without it: no FSx in the result or the scripts', () => {
    const bp = awsBlueprint(multi, options);
    expect(bp.fsxLustre).toBeUndefined();
    for (const g of bp.nodeGroups) expect(g.userData).not.toMatch(/lustre/i);
  });
  test('single node: PlanError at fsxLustre', () => {
    let err: unknown;
    try {
      awsBlueprint(single, { ...options, fsxLustre: { dnsName: FSX.dnsName, mountName: FSX.mountName } });
    } catch (e) {
      err = e;
    }
    expect(isPlanError(err) && err.issues.map((i) => i.path)).toEqual(['fsxLustre']);
  });
});

describe('boot script mount step (stub commands)', () => {
  const input: NodeUserDataInput = {
    plan: multi, rank: 1, clusterName: 'fsx', modelSource: parseModelSource('deepseek-ai/DeepSeek-V3'), storage: { kind: 'instance-store' },
    apiKeySecretId: 'api', logGroupName: '/engine', summary: 'fsx test', modelStore: { bucketName: 'store', prefix: 'p' }, fsxLustre: FSX,
  };
  const script = renderNodeUserData(input);
  const NVME = '/dev/nvme1n1 3800000000000 Amazon EC2 NVMe Instance Storage';
  const dir = (root: string) => `${root}/mnt/deepseek-iac/models/deepseek-v3`;

  test('bash -n', () => {
    expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
  });

  testWithTool('shellcheck', 'shellcheck of the FSx boot script')('shellcheck', () => {
    expect(runTool('shellcheck', ['-s', 'bash', '-'], { input: script }).stdout).toBe('');
  });

  test('checkpoint on Lustre: mount the fileset on the model directory, add it to fstab, copy nothing', () => {
    const n = node(script, { STUB_DISKS: NVME, STUB_FSX: 'complete' });
    const r = n.run();
    expect(r.status).toBe(0);
    const src = `${FSX.dnsName}@tcp:/${FSX.mountName}/model`;
    const mount = at(r.calls, `mount -t lustre -o relatime,flock ${src} ${dir(n.root)}`);
    expect(mount).toBeLessThan(at(r.calls, 'systemctl enable'));
    expect(r.calls.filter((c) => /^aws s3 sync|^aws s3api head-object|^docker run --rm --entrypoint python3/.test(c))).toEqual([]);
    expect(n.read('etc/fstab')).toContain(`${src} /mnt/deepseek-iac/models/deepseek-v3 lustre relatime,flock,_netdev,x-systemd.automount 0 0`);
    expect(n.exists(`mnt/deepseek-iac/models/deepseek-v3/${MARKER}`)).toBe(true);
  });

  test('marker not imported yet: unmount and copy from the store / Hugging Face as without FSx', () => {
    const n = node(script, { STUB_DISKS: NVME });
    const r = n.run();
    expect(r.status).toBe(0);
    expect(at(r.calls, `umount ${dir(n.root)}`)).toBeLessThan(at(r.calls, 'aws s3api head-object'));
    expect(n.read('etc/fstab')).not.toContain('lustre');
  });

  test('no Lustre client and none installable: the boot fails naming the package', () => {
    const n = node(script, { STUB_DISKS: NVME, STUB_FSX: 'complete', STUB_FAIL: 'apt-get:install' });
    unlinkSync(join(n.dir, 'bin', 'mount.lustre'));
    const r = n.run();
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/FATAL: no Lustre client on this AMI \(lustre-client-modules-/);
    expect(r.calls.some((c) => c.startsWith('mount -t lustre'))).toBe(false);
  });
});
