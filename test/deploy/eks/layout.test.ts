/**
 * eksLayout: the Karpenter objects, charts, model cache and workload for a plan, and every object
 * it renders validated against the pinned Kubernetes and CRD schemas (test/fixtures/crds).
 */
import { PlanError } from '../../../lib/errors';
import { planWithOverrides } from '../../../lib/plan/overrides';
import {
  EFA_DEVICE_PLUGIN_CHART, KARPENTER_CHART, LWS_CHART, MOUNTPOINT_S3_CSI_CHART, NVIDIA_DEVICE_PLUGIN_CHART, eksLayout, eksLayoutIssues,
  type EksLayout, type EksLayoutOptions,
} from '../../../lib/deploy/eks';
import { kubernetesObjects, type Container, type Deployment, type LeaderWorkerSet, type PodSpec } from '../../../lib/deploy/kubernetes';
import { API_FRONT_IMAGE, apiFrontSpec, bindBehindFront } from '../../../lib/deploy/api-front';
import { entrypointOverride } from '../../../lib/serving';
import type { Plan } from '../../../lib/plan/types';
import type { DeploymentSpec } from '../../../lib/input/types';
import { kubernetesValidator } from './schemas';

const validate = kubernetesValidator();
const BASE: EksLayoutOptions = {
  clusterName: 'platform', subnetIds: ['subnet-0a1', 'subnet-0b2'], securityGroupIds: ['sg-0c3'], nodeRoleName: 'gpu-nodes', interruptionQueueName: 'platform',
};

const SPECS = {
  distill: { target: 'aws', model: 'deepseek-r1-distill-llama-70b' },
  r1TwoP5: { target: 'aws', model: 'deepseek-r1', precision: 'fp8', instanceType: 'p5.48xlarge', nodes: 2, dataParallelSize: 1 },
  distillSmall: { target: 'aws', model: 'deepseek-r1-distill-qwen-1.5b' },
} satisfies Record<string, DeploymentSpec>;
const plans = Object.fromEntries(Object.entries(SPECS).map(([k, s]) => [k, planWithOverrides(s)])) as Record<keyof typeof SPECS, Plan>;

function allObjects(l: EksLayout): unknown[] {
  return [l.namespaceObject, l.nodeClass, l.nodePool, ...(l.persistentVolume ? [l.persistentVolume] : []), ...l.workload];
}

function pods(l: { workload: readonly unknown[] } | readonly unknown[]): { role: 'single' | 'head' | 'worker'; spec: PodSpec }[] {
  const objs = Array.isArray(l) ? l : (l as { workload: readonly unknown[] }).workload;
  const out: { role: 'single' | 'head' | 'worker'; spec: PodSpec }[] = [];
  for (const o of objs as { kind: string }[]) {
    if (o.kind === 'Deployment') out.push({ role: 'single', spec: (o as Deployment).spec.template.spec });
    if (o.kind === 'LeaderWorkerSet') {
      const t = (o as LeaderWorkerSet).spec.leaderWorkerTemplate;
      out.push({ role: 'head', spec: t.leaderTemplate.spec }, { role: 'worker', spec: t.workerTemplate.spec });
    }
  }
  return out;
}

const engine = (spec: PodSpec): Container => spec.containers[0];

const LAYOUTS: readonly [string, Plan, Partial<EksLayoutOptions>][] = [
  ['distill, defaults', plans.distill, {}],
  ['distill, two fallback types, internal NLB, HF token, pinned AMI', plans.distill, { fallbackInstanceTypes: 2, service: 'internal-nlb', huggingFaceTokenSecretName: 'hf', amiAlias: 'al2023@v20260801' }],
  ['distill from S3 (Mountpoint)', plans.distill, { modelSource: 's3://weights-bucket/deepseek/r1-distill-70b' }],
  ['small distill on the node volume', plans.distillSmall, { modelCache: 'node-volume', namespace: 'serving', tags: { team: 'ml' } }],
  ['R1 FP8 on 2 × p5.48xlarge', plans.r1TwoP5, {}],
  ['R1 FP8 on 2 × p5.48xlarge from S3', plans.r1TwoP5, { modelSource: 's3://weights-bucket/r1' }],
];

describe('eksLayout', () => {
  test.each(LAYOUTS)('%s: every object validates against the pinned Kubernetes / CRD schemas', (_, plan, extra) => {
    const l = eksLayout(plan, { ...BASE, ...extra });
    for (const o of allObjects(l)) expect({ kind: (o as { kind: string }).kind, problems: validate(o) }).toEqual({ kind: (o as { kind: string }).kind, problems: [] });
  });

  test.each(LAYOUTS)('%s: NodePool pinned to the plan\'s instance type first, capped at the plan\'s GPUs', (_, plan, extra) => {
    const l = eksLayout(plan, { ...BASE, ...extra });
    const req = l.nodePool.spec.template.spec.requirements.find((r) => r.key === 'node.kubernetes.io/instance-type');
    expect(req?.values[0]).toBe(plan.topology.instanceType);
    expect(req?.values).toEqual(l.instanceTypes);
    expect(l.nodePool.spec.limits['nvidia.com/gpu']).toBe(String(plan.topology.nodes * plan.topology.gpusPerNode));
    expect(l.nodePool.spec.template.spec.taints).toEqual([{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }]);
    expect(l.nodePool.spec.template.metadata.labels['nvidia.com/gpu.present']).toBe('true');
    expect(l.nodeClass.spec.amiSelectorTerms[0].alias).toMatch(/^al2023@/);
    expect(l.nodeClass.spec.metadataOptions.httpTokens).toBe('required');
    for (const p of pods(l)) expect(p.spec.nodeSelector).toEqual({ 'karpenter.sh/nodepool': l.name });
  });

  test.each(LAYOUTS)('%s: GPU (and EFA) requests equal the plan\'s per node; the command is the plan\'s (the serving rank\'s API socket behind the front)', (_, plan, extra) => {
    const l = eksLayout(plan, { ...BASE, ...extra });
    const t = plan.topology;
    for (const p of pods(l)) {
      const c = engine(p.spec);
      expect(c.resources?.limits?.['nvidia.com/gpu']).toBe(String(t.gpusPerNode));
      expect(c.resources?.limits?.['vpc.amazonaws.com/efa']).toBe(t.nodes > 1 ? String(t.efaInterfacesPerNode) : undefined);
      const argv = [...(c.command ?? []), ...(c.args ?? [])];
      const launched = p.role === 'single' ? plan.serving.command : p.role === 'head' ? plan.serving.multiNode!.headCommand : plan.serving.multiNode!.workerCommand;
      // The serving rank binds loopback on the port above the plan's (lib/deploy/api-front.ts); workers run the plan's argv.
      const planned = p.role === 'worker' ? launched : bindBehindFront(launched, apiFrontSpec(plan));
      // LWS injects the leader address and the worker index; Kubernetes expands $(VAR) in argv.
      const expected = [...(entrypointOverride(plan.serving) ?? []), ...planned]
        .map((a) => a.split('${HEAD_ADDR}').join('$(LWS_LEADER_ADDRESS)').split('${NODE_RANK}').join('$(LWS_WORKER_INDEX)'));
      expect(argv).toEqual(expected);
      // EFA comes from the device plugin: no privileged pod, no /dev/infiniband from the host.
      expect(c.securityContext?.privileged).toBeUndefined();
      expect(p.spec.volumes?.some((v) => v.hostPath)).toBe(false);
    }
  });

  test('one node: a Deployment; the multi-node plan: a LeaderWorkerSet of the plan\'s size', () => {
    expect(eksLayout(plans.distill, BASE).workload.map((o) => o.kind)).toEqual(['ConfigMap', 'Deployment', 'Service']);
    const multi = eksLayout(plans.r1TwoP5, BASE);
    const lws = multi.workload.find((o) => o.kind === 'LeaderWorkerSet') as LeaderWorkerSet;
    expect(lws.spec.leaderWorkerTemplate.size).toBe(2);
    expect(lws.spec.leaderWorkerTemplate.size).toBe(plans.r1TwoP5.topology.nodes);
  });

  test.each([
    // vLLM's readiness path is /health (lib/serving/vllm.ts); SGLang's is /health_generate (lib/serving/sglang.ts).
    ['vLLM', plans.distill, 8000, ['/health']],
    ['SGLang', planWithOverrides({ target: 'aws', model: 'deepseek-r1-distill-llama-70b', engine: 'sglang' }), 30000, ['/health', '/health_generate']],
  ] as const)('API front (%s): decision names the pinned nginx, the Service port and the engine on loopback one port up', (_, plan, port, open) => {
    const l = eksLayout(plan, BASE);
    expect(l.port).toBe(port);
    expect(l.apiFront).toMatchObject({ listenPort: port, engineHost: '127.0.0.1', enginePort: port + 1 });
    const d = l.decisions.find((x) => x.field === 'eks.apiFront');
    expect(d?.value).toBe(`${API_FRONT_IMAGE} :${port} → 127.0.0.1:${port + 1}`);
    expect(d?.reason).toContain(`/v1/* with the API key and ${open.join(', ')} without it`);
  });

  test.each([['ClusterIP', {}, ''], ['internal NLB', { service: 'internal-nlb' as const }, ' and the internal NLB forwards TCP to it']] as const)('%s: an explicit warning that the API is served without TLS', (_, extra, nlb) => {
    const l = eksLayout(plans.distill, { ...BASE, ...extra });
    expect(l.warnings).toContainEqual(expect.stringMatching(new RegExp(`^the API is served without TLS: the front speaks plain HTTP on port 8000${nlb}; terminate TLS`)));
  });

  test('images by digest: the upstream vLLM image is pinned (no warning); the AWS DLC on 2 × p5 is a rolling minor tag, named with AWS\'s reason', () => {
    const pinWarnings = (l: EksLayout) => l.warnings.filter((w) => w.includes('is pulled by tag, not digest'));
    expect(plans.distill.serving.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(pinWarnings(eksLayout(plans.distill, BASE))).toEqual([]);
    const multi = pinWarnings(eksLayout(plans.r1TwoP5, BASE));
    expect(multi).toHaveLength(1);
    // AWS: "Minor | server-cuda-v1.0 | Latest patch in v1.0.x series" (docs/vllm/versioning.md of aws/deep-learning-containers).
    expect(multi[0]).toContain('public.ecr.aws/deep-learning-containers/vllm:server-cuda-v2.3 is pulled by tag');
    expect(multi[0]).toContain('"Latest patch in v2.3.x series"');
    expect(multi[0]).toContain('https://github.com/aws/deep-learning-containers/blob/master/docs/vllm/versioning.md');
    expect(plans.r1TwoP5.decisions.find((d) => d.field === 'serving.image')?.reason).toContain('mutable tag');
  });

  test('p5.48xlarge has 32 EFA interfaces (AWS EFA-capable instance table: p5.48xlarge, 32 network cards), requested by every pod', () => {
    const multi = eksLayout(plans.r1TwoP5, BASE);
    for (const p of pods(multi)) expect(engine(p.spec).resources?.limits?.['vpc.amazonaws.com/efa']).toBe('32');
  });

  test('EFA warning follows the plan\'s image: none when it ships the EFA libraries, one when it does not', () => {
    const efaWarning = (l: EksLayout) => l.notices.filter((n) => n.code === 'DSIAC-EKS2');
    // R1 FP8 on 2 × p5.48xlarge runs the AWS vLLM container, which ships libfabric and aws-ofi-nccl.
    expect(plans.r1TwoP5.serving.efaLibraries).toBe(true);
    expect(efaWarning(eksLayout(plans.r1TwoP5, BASE))).toEqual([]);
    const stock: Plan = { ...plans.r1TwoP5, serving: { ...plans.r1TwoP5.serving, image: 'vllm/vllm-openai:v0.31.0', efaLibraries: false } };
    expect(efaWarning(eksLayout(stock, BASE))).toHaveLength(1);
  });

  test('charts: NVIDIA device plugin always; EFA plugin and LWS for multi-node; Mountpoint with S3 weights; Karpenter with the queue', () => {
    const releases = (l: EksLayout) => l.charts.map((c) => `${c.release}@${c.version}`);
    expect(releases(eksLayout(plans.distill, BASE))).toEqual([`nvidia-device-plugin@${NVIDIA_DEVICE_PLUGIN_CHART.version}`]);
    expect(releases(eksLayout(plans.r1TwoP5, { ...BASE, modelSource: 's3://weights-bucket/r1' }))).toEqual([
      `nvidia-device-plugin@${NVIDIA_DEVICE_PLUGIN_CHART.version}`, `aws-efa-k8s-device-plugin@${EFA_DEVICE_PLUGIN_CHART.version}`,
      `lws@${LWS_CHART.version}`, `aws-mountpoint-s3-csi-driver@${MOUNTPOINT_S3_CSI_CHART.version}`,
    ]);
    const k = eksLayout(plans.distill, BASE).karpenter;
    expect(k.version).toBe(KARPENTER_CHART.version);
    expect(k.values).toMatchObject({ settings: { clusterName: 'platform', interruptionQueue: 'platform' } });
    // Every pin is an exact version with a source URL.
    for (const c of [KARPENTER_CHART, LWS_CHART, NVIDIA_DEVICE_PLUGIN_CHART, EFA_DEVICE_PLUGIN_CHART, MOUNTPOINT_S3_CSI_CHART]) {
      expect(c.version).toMatch(/^v?\d+\.\d+\.\d+$/);
      expect(c.source).toMatch(/^https:\/\/github\.com\/.+\/(blob|tree)\/[^/]+\//);
    }
  });

  test.each([
    // p5.48xlarge: 8 × 3.84 TB NVMe (aws.amazon.com/ec2/instance-types/p5) = 30.7 TB, far above R1's ~0.7 TB FP8 checkpoint.
    ['R1 on p5 from Hugging Face', plans.r1TwoP5, {}, 'instance-store'],
    ['R1 on p5 from S3', plans.r1TwoP5, { modelSource: 's3://weights-bucket/r1' }, 'mountpoint-s3'],
    ['distill with the node volume chosen', plans.distill, { modelCache: 'node-volume' as const }, 'node-volume'],
  ])('model cache: %s', (_, plan, extra, kind) => {
    const l = eksLayout(plan, { ...BASE, ...extra });
    expect(l.cache.kind).toBe(kind);
    expect(l.decisions.find((d) => d.field === 'eks.modelCache')?.value).toBe(kind);
    const root = l.nodeClass.spec.blockDeviceMappings[0];
    expect(root.rootVolume).toBe(true);
    expect(root.ebs.encrypted).toBe(true);
    // Root: 200 GiB for OS and images (blueprint ROOT_VOLUME_GIB), plus the plan's weights volume when the weights live there.
    expect(root.ebs.volumeSize).toBe(`${kind === 'node-volume' ? 200 + plan.storage.volumeGiB : 200}Gi`);
    expect(l.nodeClass.spec.instanceStorePolicy).toBe(kind === 'instance-store' ? 'RAID0' : undefined);
  });

  test('node volume: at least 500 GiB of weights space on top of the root (plan volume ≥ 500 GiB)', () => {
    const l = eksLayout(plans.distillSmall, { ...BASE, modelCache: 'node-volume' });
    expect(Number(l.nodeClass.spec.blockDeviceMappings[0].ebs.volumeSize.replace('Gi', ''))).toBeGreaterThanOrEqual(200 + 500);
  });

  test('S3 weights: a read-only Mountpoint volume bound to the claim, mounted where the engine reads the model', () => {
    const l = eksLayout(plans.distill, { ...BASE, modelSource: 's3://weights-bucket/deepseek/r1-distill-70b' });
    expect(l.persistentVolume?.spec.csi).toEqual({ driver: 's3.csi.aws.com', volumeHandle: l.persistentVolume?.metadata.name, volumeAttributes: { bucketName: 'weights-bucket' } });
    expect(l.persistentVolume?.spec.mountOptions).toEqual(['read-only', 'prefix deepseek/r1-distill-70b/']);
    const claim = l.workload.find((o) => o.kind === 'PersistentVolumeClaim');
    expect(claim?.spec).toMatchObject({ storageClassName: '', volumeName: l.persistentVolume?.metadata.name, accessModes: ['ReadOnlyMany'] });
    const mount = engine(pods(l)[0].spec).volumeMounts?.find((m) => m.name === 'weights');
    expect(mount).toEqual({ name: 'weights', mountPath: `/models/${plans.distill.model.id}`, readOnly: true });
    expect(pods(l)[0].spec.initContainers).toBeUndefined();
  });

  test('Hugging Face weights: an init container downloads into the emptyDir, with the token from its Secret', () => {
    const l = eksLayout(plans.distill, { ...BASE, huggingFaceTokenSecretName: 'hf' });
    const init = pods(l)[0].spec.initContainers?.[0];
    expect(init?.command?.slice(-3)).toEqual([plans.distill.model.hfId, '', `/models/${plans.distill.model.id}`]);
    expect(init?.env).toEqual([{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } }]);
    expect(pods(l)[0].spec.volumes?.find((v) => v.name === 'weights')?.emptyDir).toEqual({ sizeLimit: `${plans.distill.storage.volumeGiB}Gi` });
  });

  test('multi-node: one subnet (one AZ for EFA), NCCL over EFA environment', () => {
    const l = eksLayout(plans.r1TwoP5, BASE);
    expect(l.nodeClass.spec.subnetSelectorTerms).toEqual([{ id: 'subnet-0a1' }]);
    const env = engine(pods(l)[0].spec).env ?? [];
    expect(env).toEqual(expect.arrayContaining([{ name: 'FI_PROVIDER', value: 'efa' }]));
    expect(eksLayout(plans.distill, BASE).nodeClass.spec.subnetSelectorTerms).toHaveLength(2);
  });

  test('every problem at once, each naming its field', () => {
    const issues = eksLayoutIssues(plans.r1TwoP5, {
      ...BASE, clusterName: 'Bad Name!', subnetIds: [], modelCache: 'mountpoint-s3', amiAlias: 'bottlerocket@latest', fallbackInstanceTypes: 2,
    });
    expect(issues.map((i) => i.path).sort()).toEqual(['amiAlias', 'clusterName', 'fallbackInstanceTypes', 'modelCache', 'subnetIds']);
    expect(() => eksLayout(plans.r1TwoP5, { ...BASE, modelCache: 'mountpoint-s3' })).toThrow(PlanError);
  });

  test('a plan for another target or GPU vendor is refused', () => {
    const azure = planWithOverrides({ target: 'azure', model: 'deepseek-r1', gpus: ['mi300x'] });
    expect(eksLayoutIssues(azure, BASE).map((i) => i.path).sort()).toEqual(['gpus', 'target']);
  });
});

describe('the local renderer\'s objects validate too (shared workload)', () => {
  test.each([['distill', plans.distill], ['R1 2 × p5', plans.r1TwoP5], ['small distill', plans.distillSmall]])('%s', (_, plan) => {
    for (const o of kubernetesObjects(plan, { storageClassName: 'fast' })) expect(validate(o)).toEqual([]);
  });

  test('the validator rejects an invented field and a wrong type', () => {
    const deployment = kubernetesObjects(plans.distill).find((o) => o.kind === 'Deployment');
    const broken = JSON.parse(JSON.stringify(deployment));
    broken.spec.template.spec.containers[0].gpus = 8;
    broken.spec.replicas = 'one';
    expect(validate(broken).join('\n')).toMatch(/gpus[\s\S]*replicas|replicas[\s\S]*gpus/);
  });

  test('the CRD schemas reject a misspelt NodePool field, a malformed volume size and a string LWS size', () => {
    const l = eksLayout(plans.r1TwoP5, BASE);
    const pool = JSON.parse(JSON.stringify(l.nodePool));
    pool.spec.template.spec.requirement = pool.spec.template.spec.requirements;
    expect(validate(pool).join('\n')).toMatch(/requirement\)/);
    const nodeClass = JSON.parse(JSON.stringify(l.nodeClass));
    nodeClass.spec.blockDeviceMappings[0].ebs.volumeSize = '700GB';
    expect(validate(nodeClass).join('\n')).toMatch(/volumeSize/);
    const lws = JSON.parse(JSON.stringify(l.workload.find((o) => o.kind === 'LeaderWorkerSet')));
    lws.spec.leaderWorkerTemplate.size = '2';
    expect(validate(lws).join('\n')).toMatch(/size/);
  });
});
