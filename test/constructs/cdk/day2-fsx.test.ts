/**
 * `fsxLustre`: the FSx for Lustre file system in the template (PERSISTENT_2, KMS with the cluster
 * key, the nodes' subnet), the data repository association to the model store's prefix, the Lustre
 * ports between file system and nodes only, the mount in the user data, node groups after the link;
 * refused for single-node plans; off by default; both cdk-nag packs clean.
 */
import { unpackedUserData } from '../../helpers/user-data';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeepSeekInferenceCluster, DeepSeekInferenceClusterError } from '../../../constructs/cdk';
import { idsOf, userDataOf } from './helpers';

/** V3 FP8 on H100: 2 × p5.48xlarge, ~688 GB checkpoint. */
const MULTI = { model: 'deepseek-v3', gpus: ['h100'] } as const;
const PREFIX = 'deepseek-iac/models/deepseek-ai/DeepSeek-V3/default';

describe('fsxLustre on a multi-node cluster (both cdk-nag packs)', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'deepseek-cdk-fsx-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const app = new App({ outdir });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  const stack = new Stack(app, 'Fsx');
  const cluster = new DeepSeekInferenceCluster(stack, 'Cluster', { ...MULTI, fsxLustre: true });
  app.synth();
  const t = Template.fromStack(stack);
  const res = t.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] }>;
  const [fsId] = idsOf(t, 'AWS::FSx::FileSystem');
  const [draId] = idsOf(t, 'AWS::FSx::DataRepositoryAssociation');
  const [keyId] = idsOf(t, 'AWS::KMS::Key');
  const storeId = idsOf(t, 'AWS::S3::Bucket').find((id) => id.startsWith('ClusterBucketsModelStore'))!;
  const fsxSgId = idsOf(t, 'AWS::EC2::SecurityGroup').find((id) => id.startsWith('ClusterFileSystem'))!;
  const nodeSgId = idsOf(t, 'AWS::EC2::SecurityGroup').find((id) => id.startsWith('ClusterNodeSecurityGroup'))!;

  test('one Lustre PERSISTENT_2 file system: 1200 GiB (688 GB × 1.1 < 1200 GiB), 1000 MB/s/TiB, cluster key, one subnet, its own security group', () => {
    expect(res[fsId]!.Properties).toMatchObject({
      FileSystemType: 'LUSTRE', StorageCapacity: 1200, StorageType: 'SSD', FileSystemTypeVersion: '2.15',
      KmsKeyId: { Ref: keyId }, SecurityGroupIds: [{ 'Fn::GetAtt': [fsxSgId, 'GroupId'] }],
      LustreConfiguration: { DeploymentType: 'PERSISTENT_2', PerUnitStorageThroughput: 1000 },
    });
    expect(res[fsId]!.Properties.SubnetIds).toHaveLength(1);
    expect(cluster.fileSystem).toBeDefined();
  });

  test('the association links /model to the model store prefix with automatic import', () => {
    expect(res[draId]!.Properties).toMatchObject({
      FileSystemId: { Ref: fsId }, FileSystemPath: '/model', BatchImportMetaDataOnCreate: true,
      DataRepositoryPath: { 'Fn::Join': ['', ['s3://', { Ref: storeId }, `/${PREFIX}/`]] },
      S3: { AutoImportPolicy: { Events: ['NEW', 'CHANGED', 'DELETED'] } },
    });
  });

  test('Lustre ports 988 and 1018-1023 only, between the file system, itself and the nodes', () => {
    const sg = res[fsxSgId]!.Properties as { SecurityGroupIngress?: unknown[]; SecurityGroupEgress?: { CidrIp?: string }[] };
    // No CIDR rules at all: egress is not "all outbound".
    expect(sg.SecurityGroupIngress ?? []).toEqual([]);
    expect((sg.SecurityGroupEgress ?? []).filter((e) => e.CidrIp !== undefined && e.CidrIp !== '255.255.255.255/32')).toEqual([]);
    const rules = Object.values(res).filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress' || r.Type === 'AWS::EC2::SecurityGroupEgress').map((r) => r.Properties);
    const touching = rules.filter((p) => JSON.stringify(p).includes(fsxSgId));
    const ports = new Set(touching.map((p) => `${p.FromPort}-${p.ToPort}`));
    expect([...ports].sort()).toEqual(['1018-1023', '988-988']);
    for (const p of touching) expect(p.IpProtocol).toBe('tcp');
    const groupsOf = (p: Record<string, unknown>) => [p.GroupId, p.SourceSecurityGroupId, p.DestinationSecurityGroupId].filter(Boolean).map((g) => JSON.stringify(g));
    const allowed = [fsxSgId, nodeSgId].map((id) => JSON.stringify({ 'Fn::GetAtt': [id, 'GroupId'] }));
    for (const p of touching) for (const g of groupsOf(p)) expect(allowed).toContain(g);
    // nodes may send Lustre traffic to the file system (their group allows nothing out by default, issue 13 §5)
    expect(touching.some((p) => JSON.stringify(p.GroupId).includes(nodeSgId) && JSON.stringify(p.DestinationSecurityGroupId ?? '').includes(fsxSgId))).toBe(true);
    // nodes accept Lustre traffic from the file system
    expect(touching.some((p) => p.GroupId !== undefined && JSON.stringify(p.GroupId).includes(nodeSgId) && JSON.stringify(p.SourceSecurityGroupId ?? '').includes(fsxSgId))).toBe(true);
  });

  test('every rank mounts the fileset from the file system DNS name and mount name', () => {
    for (const ltId of idsOf(t, 'AWS::EC2::LaunchTemplate')) {
      const ud = unpackedUserData(userDataOf(t, ltId));
      expect(ud).toContain(`GETATT_${fsId}_DNSName@tcp:/GETATT_${fsId}_LustreMountName/model`);
      expect(ud).toContain('mount -t lustre -o relatime,flock "$FSX" "$1"');
    }
  });

  test('node groups start after the association exists', () => {
    for (const asgId of idsOf(t, 'AWS::AutoScaling::AutoScalingGroup')) expect(res[asgId]!.DependsOn).toContain(draId);
  });

  test('the blueprint reports the FSx load path; the grace period still covers the first (Hugging Face) boot', () => {
    const w = cluster.blueprint.weightLoad!;
    expect(w.fsxBoots?.source).toBe('fsx-lustre');
    expect(w.graceSeconds).toBeGreaterThanOrEqual(w.firstBoot.readySeconds);
    expect(w.graceSeconds).toBeGreaterThanOrEqual(w.fsxBoots!.readySeconds);
  });

  test('no cdk-nag finding left', () => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toHaveLength(2);
    for (const pack of report.pluginReports) expect([pack.pluginName, pack.conclusion, pack.violations]).toEqual([pack.pluginName, 'success', []]);
  });
});

describe('refusals and default', () => {
  test.each<[string, Record<string, unknown>]>([
    ['single-node plan', { model: 'deepseek-r1-distill-qwen-1.5b' }],
    ['no model store', { ...MULTI, modelStore: false }],
    ['s3:// source (no store to link)', { ...MULTI, modelSource: 's3://weights/v3' }],
  ])('%s: synth fails naming fsxLustre, before any resource', (_n, props) => {
    const stack = new Stack(new App(), 'Bad');
    let err: unknown;
    try {
      new DeepSeekInferenceCluster(stack, 'Cluster', { ...(props as { model: string }), fsxLustre: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DeepSeekInferenceClusterError);
    expect((err as DeepSeekInferenceClusterError).issues.map((i) => i.path)).toContain('fsxLustre');
    expect(stack.node.findAll().filter((c) => CfnResource.isCfnResource(c))).toEqual([]);
  });

  test('off by default: no file system, no association, no Lustre in the user data', () => {
    const stack = new Stack(new App(), 'Default');
    new DeepSeekInferenceCluster(stack, 'Cluster', { ...MULTI });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::FSx::FileSystem', 0);
    t.resourceCountIs('AWS::FSx::DataRepositoryAssociation', 0);
    for (const ltId of idsOf(t, 'AWS::EC2::LaunchTemplate')) expect(userDataOf(t, ltId)).not.toMatch(/lustre/i);
  });
});
