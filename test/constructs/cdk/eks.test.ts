/**
 * DeepSeekEksInference through the EKS reference stacks (bin/eks-stacks.ts) and an imported
 * platform cluster: one app, cdk-nag AwsSolutions + NIST 800-53 R5, synthesized once. Expected
 * values come from the planner (planWithOverrides of the same props) and published instance facts,
 * never from the construct's own layout.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { addEksStacks, EKS_REFERENCE_STACKS } from '../../../bin/eks-stacks';
import { DeepSeekEksInference, DeepSeekInferenceClusterError } from '../../../constructs/cdk';
import { planWithOverrides } from '../../../lib/plan/overrides';
import { KARPENTER_CHART, LWS_CHART, NVIDIA_DEVICE_PLUGIN_CHART, EFA_DEVICE_PLUGIN_CHART } from '../../../lib/deploy/eks';
import { entrypointOverride } from '../../../lib/serving';
import { API_FRONT_IMAGE, apiFrontSpec, bindBehindFront } from '../../../lib/deploy/api-front';
import type { DeploymentSpec } from '../../../lib/input/types';
import { kubernetesValidator } from '../../deploy/eks/schemas';

type Obj = Record<string, any>;

/** A CloudFormation value as text: intrinsics become plausible literals (subnet/sg ids, names), so schemas with patterns apply. */
function literal(v: unknown): string {
  if (typeof v === 'string') return v;
  const o = v as Obj;
  if ('Fn::Join' in o) return (o['Fn::Join'][1] as unknown[]).map(literal).join(o['Fn::Join'][0]);
  const id = JSON.stringify(o);
  if (/Subnet/i.test(id)) return 'subnet-0f00';
  if (/SecurityGroup/i.test(id)) return 'sg-0f00';
  return 'resolved-at-deploy';
}

/** Every object of the stack's KubernetesManifest resources. */
function manifests(t: Template): Obj[] {
  return Object.values(t.findResources('Custom::AWSCDK-EKS-KubernetesResource')).flatMap((r) => JSON.parse(literal(r.Properties.Manifest)) as Obj[]);
}

/** Helm releases: release → { version, repository, values }. */
function charts(t: Template): Record<string, { version: string; repository: string; values: Obj }> {
  return Object.fromEntries(Object.values(t.findResources('Custom::AWSCDK-EKS-HelmChart')).map((r) => [r.Properties.Release, {
    version: r.Properties.Version, repository: r.Properties.Repository, values: r.Properties.Values ? JSON.parse(literal(r.Properties.Values)) : {},
  }]));
}

const SINGLE = 'DeepSeekEksR1Distill70B';
const MULTI = 'DeepSeekEksR1Fp8MultiNode';
const planOf = (name: string) => planWithOverrides({ target: 'aws', ...EKS_REFERENCE_STACKS[name] } as DeploymentSpec);

describe('EKS reference stacks and an imported cluster (one synth)', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'deepseek-eks-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const app = new App({ outdir });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  const lines: string[] = [];
  addEksStacks(app, (l) => lines.push(l));

  // A platform team's cluster, imported; its Karpenter and controllers already run; weights in S3.
  const imported = new Stack(app, 'PlatformImported');
  const vpc = ec2.Vpc.fromVpcAttributes(imported, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a', 'us-east-1b'],
    privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'], privateSubnetRouteTableIds: ['rtb-0a', 'rtb-0b'],
  });
  const kubectlProvider = eks.KubectlProvider.fromKubectlProviderAttributes(imported, 'Kubectl', {
    serviceToken: 'arn:aws:lambda:us-east-1:111111111111:function:platform-kubectl',
    role: iam.Role.fromRoleArn(imported, 'KubectlRole', 'arn:aws:iam::111111111111:role/platform-kubectl'),
  });
  const platform = eks.Cluster.fromClusterAttributes(imported, 'Platform', { clusterName: 'platform', vpc, clusterSecurityGroupId: 'sg-0123456789abcdef0', kubectlProvider });
  const onPlatform = new DeepSeekEksInference(imported, 'R1', {
    cluster: platform, model: 'deepseek-r1-distill-llama-70b', modelSource: 's3://weights-bucket/deepseek/r1-distill-70b', installKarpenter: false, installControllers: false,
  });

  app.synth();
  const t = {
    single: Template.fromStack(app.node.findChild(SINGLE) as Stack),
    multi: Template.fromStack(app.node.findChild(MULTI) as Stack),
    imported: Template.fromStack(imported),
  };
  const validate = kubernetesValidator();

  test.each(['AwsSolutions', 'NIST.800.53.R5'])('cdk-nag %s ran and left no violation; every accepted finding has a reason', (pack) => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    const nag = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === pack);
    expect(nag.conclusion).toBe('success');
    expect(nag.violations).toEqual([]);
    for (const v of nag.suppressedViolations as { reason: string }[]) expect(v.reason.length).toBeGreaterThan(40);
  });

  test('plan and layout notices are annotated with their registry code as the id', () => {
    const data = Annotations.fromStack(imported).findWarning('/PlatformImported/R1', Match.anyValue()).map((w) => String(w.entry.data));
    const expected = [...onPlatform.plan.notices, ...onPlatform.layout.notices];
    expect(expected.map((n) => n.code)).toEqual(expect.arrayContaining(['DSIAC-EKS1', 'DSIAC-EKS3']));
    expect(data.sort()).toEqual(expected.map((n) => `${n.message} [ack: ${n.code}]`).sort());
  });

  test('one plan line per EKS stack: a distill on one node, R1 FP8 on 2 × p5.48xlarge', () => {
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^DeepSeekEksR1Distill70B: DeepSeek-R1-Distill-Llama-70B .* on [a-z0-9]+\.\w+ \(/);
    expect(lines[1]).toMatch(/^DeepSeekEksR1Fp8MultiNode: DeepSeek-R1 fp8 on 2 × p5\.48xlarge \(8 × h100 per node\)/);
  });

  test.each([['single', SINGLE], ['multi', MULTI]] as const)('%s: the NodePool\'s instance types are the plan\'s', (key, name) => {
    const plan = planOf(name);
    const pool = manifests(t[key]).find((o) => o.kind === 'NodePool')!;
    const req = pool.spec.template.spec.requirements.find((r: Obj) => r.key === 'node.kubernetes.io/instance-type');
    expect(req.values).toEqual([plan.topology.instanceType]);
    expect(pool.spec.limits['nvidia.com/gpu']).toBe(String(plan.topology.nodes * plan.topology.gpusPerNode));
  });

  test('single node: a Deployment requesting the plan\'s GPUs and running the plan\'s command', () => {
    const plan = planOf(SINGLE);
    const objs = manifests(t.single);
    expect(objs.some((o) => o.kind === 'LeaderWorkerSet')).toBe(false);
    const c = objs.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0];
    expect(c.resources.limits).toEqual({ 'nvidia.com/gpu': String(plan.topology.gpusPerNode) });
    // The plan's command with its API socket behind the front (loopback, the plan's port + 1).
    expect([...(c.command ?? []), ...(c.args ?? [])]).toEqual([...(entrypointOverride(plan.serving) ?? []), ...bindBehindFront(plan.serving.command, apiFrontSpec(plan))]);
    expect(c.env).toEqual(expect.arrayContaining([{ name: plan.serving.apiKeyEnv, valueFrom: { secretKeyRef: { name: expect.stringMatching(/-api-key$/), key: 'api-key' } } }]));
  });

  test('multi-node: a LeaderWorkerSet of the plan\'s size; every pod requests 8 GPUs and p5.48xlarge\'s 32 EFA interfaces', () => {
    const plan = planOf(MULTI);
    const lws = manifests(t.multi).find((o) => o.kind === 'LeaderWorkerSet')!;
    expect(lws.spec.leaderWorkerTemplate.size).toBe(plan.topology.nodes);
    expect(lws.spec.leaderWorkerTemplate.size).toBe(2);
    for (const [tpl, planned] of [[lws.spec.leaderWorkerTemplate.leaderTemplate, plan.serving.multiNode!.headCommand], [lws.spec.leaderWorkerTemplate.workerTemplate, plan.serving.multiNode!.workerCommand]] as const) {
      const c = tpl.spec.containers[0];
      // p5.48xlarge: 8 × H100 and 32 EFA network cards (AWS EC2 accelerated-computing / EFA instance tables).
      expect(c.resources.limits).toEqual({ 'nvidia.com/gpu': '8', 'vpc.amazonaws.com/efa': '32' });
      expect(c.resources.limits['vpc.amazonaws.com/efa']).toBe(String(plan.topology.efaInterfacesPerNode));
      const launched = tpl === lws.spec.leaderWorkerTemplate.leaderTemplate ? bindBehindFront(planned, apiFrontSpec(plan)) : planned;
      const expected = [...(entrypointOverride(plan.serving) ?? []), ...launched]
        // Kubernetes expands $(VAR) in args, so a shell arithmetic $((…)) (vLLM's DP start rank) is escaped as $$((…)).
        .map((a) => a.split('$((').join('$$((').split('${HEAD_ADDR}').join('$(LWS_LEADER_ADDRESS)').split('${NODE_RANK}').join('$(LWS_WORKER_INDEX)'));
      expect([...(c.command ?? []), ...(c.args ?? [])]).toEqual(expected);
    }
  });

  test.each([['single', SINGLE], ['multi', MULTI], ['imported', 'PlatformImported']] as const)('%s (%s): the serving pod runs the API front; the Service and the probes reach only it', (key, _stack) => {
    const objs = manifests(t[key]);
    const plan = key === 'imported' ? onPlatform.plan : planOf(key === 'single' ? SINGLE : MULTI);
    const port = plan.serving.port;
    const workload = objs.find((o) => o.kind === 'Deployment' || o.kind === 'LeaderWorkerSet')!;
    const pod = workload.kind === 'Deployment' ? workload.spec.template.spec : workload.spec.leaderWorkerTemplate.leaderTemplate.spec;
    const front = pod.containers.find((c: Obj) => c.image === API_FRONT_IMAGE);
    expect(front.ports).toEqual([{ name: 'http', containerPort: port, protocol: 'TCP' }]);
    expect(front.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 101, readOnlyRootFilesystem: true });
    const engine = pod.containers[0];
    expect(engine.ports).toBeUndefined();
    expect([...(engine.command ?? []), ...(engine.args ?? [])].join(' ')).toContain(`--host 127.0.0.1 --port ${port + 1}`);
    for (const probe of [engine.startupProbe, engine.readinessProbe, engine.livenessProbe]) expect(probe.httpGet.port).toBe(port);
    expect(objs.find((o) => o.kind === 'Service')!.spec.ports).toEqual([{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }]);
    const cm = objs.find((o) => o.kind === 'ConfigMap')!;
    expect(cm.data['nginx.conf']).toContain(`location /v1/{`);
    expect(cm.data['nginx.conf']).toContain(`proxy_pass http://127.0.0.1:${port + 1};`);
    expect(cm.data['api-key.map.template']).toBe(`"Bearer \${${plan.serving.apiKeyEnv}}" 1;\n`);
    // The ConfigMap is applied with (and before) the pods that mount it, in the same manifest resource.
    expect(objs.indexOf(cm)).toBeLessThan(objs.indexOf(workload));
  });

  test('the DLC image of the multi-node stack is pulled by a rolling minor tag: the synth warns with AWS\'s reason; the single-node image is pinned', () => {
    const pinWarnings = (name: string) => Annotations.fromStack(app.node.findChild(name) as Stack)
      .findWarning('*', Match.stringLikeRegexp('.*is pulled by tag, not digest.*')).map((w) => String(w.entry.data));
    const multi = pinWarnings(MULTI);
    expect(multi).toHaveLength(1);
    expect(multi[0]).toContain('vllm:server-cuda-v2.3 is pulled by tag');
    // AWS's tag table: "Minor | server-cuda-v1.0 | Latest patch in v1.0.x series" (aws/deep-learning-containers docs/vllm/versioning.md).
    expect(multi[0]).toContain('Latest patch in v2.3.x series');
    expect(planOf(SINGLE).serving.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(pinWarnings(SINGLE)).toEqual([]);
  });

  test('controllers pinned by version: Karpenter and the NVIDIA plugin always; the EFA plugin and LWS for multi-node', () => {
    expect(Object.fromEntries(Object.entries(charts(t.single)).map(([k, v]) => [k, v.version]))).toEqual({
      karpenter: KARPENTER_CHART.version, 'nvidia-device-plugin': NVIDIA_DEVICE_PLUGIN_CHART.version,
    });
    expect(Object.fromEntries(Object.entries(charts(t.multi)).map(([k, v]) => [k, v.version]))).toEqual({
      karpenter: KARPENTER_CHART.version, 'nvidia-device-plugin': NVIDIA_DEVICE_PLUGIN_CHART.version,
      'aws-efa-k8s-device-plugin': EFA_DEVICE_PLUGIN_CHART.version, lws: LWS_CHART.version,
    });
    expect(charts(t.multi).karpenter.repository).toBe('oci://public.ecr.aws/karpenter/karpenter');
    expect(charts(t.multi).karpenter.values.settings.clusterName).toBe('deepseek-r1fp8multinode');
  });

  test.each([['single', SINGLE], ['multi', MULTI], ['imported', 'PlatformImported']] as const)('%s (%s): every manifest validates against the pinned Kubernetes / CRD schemas', (key, _stack) => {
    const objs = manifests(t[key]);
    expect(objs.length).toBeGreaterThanOrEqual(4);
    for (const o of objs) expect({ kind: o.kind, problems: validate(o) }).toEqual({ kind: o.kind, problems: [] });
  });

  test('Karpenter runs with its own role through EKS Pod Identity; its EC2 rights are conditioned on this cluster', () => {
    t.multi.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'kube-system', ServiceAccount: 'karpenter' });
    // The created cluster gets the Pod Identity agent add-on the association needs.
    t.multi.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent' });
    t.multi.hasResourceProperties('AWS::EKS::AccessEntry', { Type: 'EC2_LINUX' });
    const policy = JSON.stringify(t.multi.findResources('AWS::IAM::Policy'));
    expect(policy).toContain('aws:ResourceTag/kubernetes.io/cluster/deepseek-r1fp8multinode');
    t.multi.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 300, SqsManagedSseEnabled: true });
    t.multi.resourceCountIs('AWS::Events::Rule', 5);
  });

  test('imported cluster whose platform runs Karpenter and the controllers: only the node role, its access entry and the manifests', () => {
    expect(Object.keys(charts(t.imported))).toEqual([]);
    t.imported.resourceCountIs('AWS::SQS::Queue', 0);
    t.imported.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    t.imported.hasResourceProperties('AWS::EKS::AccessEntry', { ClusterName: 'platform', Type: 'EC2_LINUX' });
    const objs = manifests(t.imported);
    expect(objs.find((o) => o.kind === 'PersistentVolume')?.spec.csi.volumeAttributes).toEqual({ bucketName: 'weights-bucket' });
    expect(objs.find((o) => o.kind === 'EC2NodeClass')?.spec.subnetSelectorTerms).toEqual([{ id: 'subnet-0aaaaaaaaaaaaaaaa' }, { id: 'subnet-0bbbbbbbbbbbbbbbb' }]);
    expect(onPlatform.layout.cache.kind).toBe('mountpoint-s3');
    expect(onPlatform.serviceUrl).toBe(`http://${onPlatform.layout.name}.deepseek.svc.cluster.local:${onPlatform.plan.serving.port}/v1`);
  });

  test('stacks are environment-agnostic (synth needs no account, region or lookups)', () => {
    for (const s of app.synth().stacks) expect(s.environment.account).toBe('unknown-account');
  });
});

describe('DeepSeekEksInference errors', () => {
  const cluster = (stack: Stack) => new eks.Cluster(stack, 'C', { version: eks.KubernetesVersion.V1_35, clusterName: 'c1' });

  test('a created cluster without clusterName: the error names the prop', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new DeepSeekEksInference(stack, 'I', { cluster: cluster(stack), model: 'deepseek-r1-distill-llama-70b' })).toThrow(/clusterName: cluster\.clusterName is a CDK token/);
  });

  test('every problem at once: a non-AL2023 AMI alias and an impossible fallback count', () => {
    const stack = new Stack(new App(), 'S');
    try {
      new DeepSeekEksInference(stack, 'I', { cluster: cluster(stack), clusterName: 'c1', model: 'deepseek-r1-distill-llama-70b', amiAlias: 'ubuntu', fallbackInstanceTypes: -1 });
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(DeepSeekInferenceClusterError);
      expect((e as DeepSeekInferenceClusterError).issues.map((i) => i.path).sort()).toEqual(['amiAlias', 'fallbackInstanceTypes']);
    }
  });
});
