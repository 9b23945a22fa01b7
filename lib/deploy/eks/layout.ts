/**
 * `eksLayout(plan, options)`: everything the EKS adapter builds for one plan, as plain data — the
 * Karpenter NodePool and EC2NodeClass, the pinned Helm charts with their values, the model cache,
 * the namespace, the Mountpoint PersistentVolume and the serving workload — with the decisions and
 * warnings. The CDK construct maps it to resources and decides nothing itself.
 *
 * Choices and their sources:
 * - AMI family: EKS-optimized Amazon Linux 2023 through Karpenter's `al2023@…` alias, which selects
 *   the NVIDIA variant (driver, container toolkit) for GPU instance types
 *   (https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-optimized-ami.html;
 *   Karpenter nodeclasses.md "alias"). Bottlerocket's NVIDIA variant would run its own device plugin
 *   on the host, so the pinned NVIDIA device-plugin chart would double it; AL2023 keeps the device
 *   plugin a pinned, visible chart like the other controllers.
 * - Node labels/taints: `nvidia.com/gpu:NoSchedule` keeps other pods off the GPU nodes (the
 *   workload and the NVIDIA chart tolerate it); `nvidia.com/gpu.present=true` is the label the
 *   NVIDIA chart's default affinity accepts without Node Feature Discovery (chart values.yaml v0.20.0).
 * - EFA: pods request `vpc.amazonaws.com/efa`; Karpenter attaches that many EFA interfaces when a
 *   NodeClaim requests the resource (Karpenter ResourceEFA, labels.go v1.13.0) and the EFA device
 *   plugin advertises them. The EKS cluster security group admits all traffic from itself, which
 *   EFA requires.
 * - Disruption: `WhenEmpty` consolidation and `expireAfter: Never`: Karpenter never evicts a
 *   serving engine to repack or age out a node; an empty node goes after 10 minutes.
 */
import { PlanError } from '../../errors';
import type { Plan } from '../../plan/types';
import type { Decision, Issue } from '../../types';
import { notice, type Notice } from '../../notices';
import { fallbackCandidates, MAX_FALLBACK_INSTANCE_TYPES } from '../capacity';
import { deploymentEnv } from '../container-run';
import { modelSourceIssues, parseModelSource, type ModelSource } from '../model-source';
import { validateClusterName } from '../naming';
import {
  API_KEY_SECRET_KEY, CONTAINER_MODELS_DIR, apiKeySecretName, imagePinningWarnings, kubernetesApiFrontSpec, kubernetesObjects, resourceName, weightsClaimName,
  workloadLabels, type KubernetesOptions, type ObjectMeta, type WorkloadObject,
} from '../kubernetes';
import { API_FRONT_IMAGE, apiFrontOpenPaths, type ApiFrontSpec } from '../api-front';
import { modelCacheSpec, type ModelCacheChoice, type ModelCacheSpec } from './cache';
import type { EC2NodeClass, NodePool } from './karpenter';
import {
  EFA_DEVICE_PLUGIN_CHART, KARPENTER_CHART, LWS_CHART, MOUNTPOINT_S3_CSI_CHART, MOUNTPOINT_S3_DRIVER, NVIDIA_DEVICE_PLUGIN_CHART, type PinnedChart,
} from './versions';

/** Default AMI alias (pin a release, e.g. `al2023@v20260801`, through `amiAlias`). */
export const DEFAULT_AMI_ALIAS = 'al2023@latest';
/** Root device of the EKS AL2023 AMIs. */
export const AL2023_ROOT_DEVICE = '/dev/xvda';
/** Default namespace of the serving objects. */
export const DEFAULT_NAMESPACE = 'deepseek';
/** Key of the Hugging Face token inside its Kubernetes Secret. */
export const HF_TOKEN_SECRET_KEY = 'token';
/** Minutes an empty GPU node stays before Karpenter removes it. */
export const EMPTY_NODE_MINUTES = 10;

/** The Python the download init container runs (huggingface_hub ships in the vLLM and SGLang images): repo, revision ('' = default), target dir. */
const HF_DOWNLOAD_PY = [
  'import sys',
  'from huggingface_hub import snapshot_download',
  'snapshot_download(repo_id=sys.argv[1], revision=sys.argv[2] or None, local_dir=sys.argv[3], max_workers=16)',
].join('\n');

/** Options of {@link eksLayout}. Ids and names may be adapter tokens unless noted. */
export interface EksLayoutOptions {
  /** EKS cluster name, plain (Karpenter's IAM conditions and settings carry it). */
  readonly clusterName: string;
  /** Base name of the serving objects, NodePool and EC2NodeClass. @default derived from the model id */
  readonly name?: string;
  /** Namespace of the serving objects. @default deepseek */
  readonly namespace?: string;
  /** `s3://bucket/prefix`, `hf://org/name[@revision]` or `org/name[@revision]`. @default the model's Hugging Face repository */
  readonly modelSource?: string;
  /** How the weights reach the pods. @default 'auto' (see cache.ts) */
  readonly modelCache?: ModelCacheChoice;
  /** Subnets Karpenter launches nodes into (private; multi-node plans use the first only, one AZ for EFA). */
  readonly subnetIds: readonly string[];
  /** Security groups of the nodes (the cluster security group). */
  readonly securityGroupIds: readonly string[];
  /** Name of the node IAM role (EC2NodeClass `role`). */
  readonly nodeRoleName: string;
  /** Name of Karpenter's interruption queue (SQS). */
  readonly interruptionQueueName: string;
  /**
   * Single-node plans: also allow the planner's compatible alternatives (same GPU, GPUs per node
   * and parallelism): `true` = all, a number = at most that many.
   * @default false
   */
  readonly fallbackInstanceTypes?: boolean | number;
  /** Karpenter AMI alias of the AL2023 family. @default al2023@latest */
  readonly amiAlias?: string;
  /** Kubernetes Secret (key `token`) with a Hugging Face token for gated repositories. @default no token */
  readonly huggingFaceTokenSecretName?: string;
  /** Service in front of the engine. @default 'ClusterIP' */
  readonly service?: 'ClusterIP' | 'internal-nlb';
  /** Tags of the EC2 resources Karpenter creates. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A pinned chart and the values the deployment sets. */
export interface ChartSpec extends PinnedChart {
  readonly values: Readonly<Record<string, unknown>>;
  /** Why the deployment needs it. */
  readonly reason: string;
}

/** core/v1 Namespace. */
export interface NamespaceObject {
  readonly apiVersion: 'v1';
  readonly kind: 'Namespace';
  readonly metadata: ObjectMeta;
}

/** core/v1 PersistentVolume of the Mountpoint S3 CSI driver (static provisioning). */
export interface S3PersistentVolume {
  readonly apiVersion: 'v1';
  readonly kind: 'PersistentVolume';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly capacity: { readonly storage: string };
    readonly accessModes: readonly ['ReadOnlyMany'];
    readonly storageClassName: '';
    readonly persistentVolumeReclaimPolicy: 'Retain';
    readonly claimRef: { readonly namespace: string; readonly name: string };
    readonly mountOptions: readonly string[];
    readonly csi: { readonly driver: string; readonly volumeHandle: string; readonly volumeAttributes: { readonly bucketName: string } };
  };
}

/** Everything the EKS adapter builds for a plan. */
export interface EksLayout {
  readonly plan: Plan;
  readonly name: string;
  readonly namespace: string;
  readonly clusterName: string;
  /** One line: model, precision, hardware, engine. */
  readonly summary: string;
  readonly modelSource: ModelSource;
  /** NodePool instance types: the plan's first, then fallbacks. */
  readonly instanceTypes: readonly string[];
  readonly cache: ModelCacheSpec;
  /** Karpenter's chart and values (it needs IAM and a queue, so adapters install it separately). */
  readonly karpenter: ChartSpec;
  /** The other charts, in install order (device plugins, LWS, Mountpoint). */
  readonly charts: readonly ChartSpec[];
  readonly nodeClass: EC2NodeClass;
  readonly nodePool: NodePool;
  readonly namespaceObject: NamespaceObject;
  readonly persistentVolume?: S3PersistentVolume;
  /** The serving objects (claim, Deployment or LeaderWorkerSet, Service). */
  readonly workload: readonly WorkloadObject[];
  /** Kubernetes Secret the engine reads the API key from (`<name>-api-key`, key `api-key`), created by the operator. */
  readonly apiKeySecret: { readonly name: string; readonly key: string };
  /** The API port: the Service's and the front's (the plan's port). */
  readonly port: number;
  /**
   * The API front in the serving pod (lib/deploy/kubernetes/api-front.ts): nginx on `port` passes
   * `/v1/*` with the key and the health/readiness paths without it to the engine on the pod's loopback.
   */
  readonly apiFront: ApiFrontSpec;
  readonly decisions: readonly Decision[];
  /** The messages of `notices`, in the same order. */
  readonly warnings: readonly string[];
  /** The layout's warnings with their codes (DSIAC-EKS, README.md "Notice codes"). */
  readonly notices: readonly Notice[];
}

/** Every problem eksLayout would report, without building anything. */
export function eksLayoutIssues(plan: Plan, options: EksLayoutOptions): Issue[] {
  return check(plan, options).issues;
}

function check(plan: Plan, options: EksLayoutOptions) {
  const issues: Issue[] = [];
  try {
    validateClusterName(options.clusterName);
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    issues.push(...e.issues);
  }
  const t = plan.topology;
  if (t.target !== 'aws') issues.push({ path: 'target', message: `the plan targets ${t.target}; EKS needs target "aws"` });
  if (t.gpuVendor !== 'nvidia') {
    issues.push({ path: 'gpus', message: `the plan uses ${t.gpu} (${t.gpuVendor}); EC2 offers no such instance for EKS, so restrict gpus to NVIDIA models` });
  }
  if (!plan.serving.apiKeyEnv) issues.push({ path: 'engine', message: `the ${plan.engine} launch has no API-key variable; the EKS deployment always enforces an API key` });
  if (t.nodes > 1 && !plan.serving.multiNode) issues.push({ path: 'nodes', message: `the plan has ${t.nodes} nodes but no multi-node launch` });
  if (options.subnetIds.length === 0) issues.push({ path: 'subnetIds', message: 'at least one subnet is needed for the nodes' });
  if (options.securityGroupIds.length === 0) issues.push({ path: 'securityGroupIds', message: 'at least one security group is needed for the nodes' });
  if (options.amiAlias !== undefined && !/^al2023@(latest|v\d{8})$/.test(options.amiAlias)) {
    issues.push({ path: 'amiAlias', message: `"${options.amiAlias}" is not an AL2023 alias; use al2023@latest or al2023@vYYYYMMDD` });
  }
  const fb = options.fallbackInstanceTypes;
  if (typeof fb === 'number' && (!Number.isInteger(fb) || fb < 0 || fb > MAX_FALLBACK_INSTANCE_TYPES)) {
    issues.push({ path: 'fallbackInstanceTypes', message: `${fb} is not a whole number from 0 to ${MAX_FALLBACK_INSTANCE_TYPES}` });
  }
  if (fb !== undefined && fb !== false && fb !== 0 && t.nodes > 1) {
    issues.push({ path: 'fallbackInstanceTypes', message: `a ${t.nodes}-node plan cannot fall back to other instance types (one EFA layout for the group); remove fallbackInstanceTypes` });
  }
  let source: ModelSource | undefined;
  if (options.modelSource !== undefined) {
    const problems = modelSourceIssues(options.modelSource);
    issues.push(...problems);
    if (problems.length === 0) source = parseModelSource(options.modelSource);
  } else if (plan.model.hfId !== undefined) {
    source = parseModelSource(plan.model.hfId);
  } else {
    issues.push({ path: 'modelSource', message: `${plan.model.id} has no Hugging Face id to download from; give modelSource (s3://bucket/prefix or org/name)` });
  }
  const cache = source ? modelCacheSpec(plan, source, options.modelCache ?? 'auto', issues) : undefined;
  return { issues, source, cache };
}

/**
 * The EKS layout of a plan.
 * @throws PlanError with every problem at once.
 */
export function eksLayout(plan: Plan, options: EksLayoutOptions): EksLayout {
  const { issues, source, cache } = check(plan, options);
  if (issues.length > 0 || !source || !cache) throw new PlanError(issues);
  const t = plan.topology;
  const name = resourceName(plan, options.name);
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const multi = t.nodes > 1;
  const efa = multi && t.efaInterfacesPerNode > 0;
  const decisions: Decision[] = [];
  const notices: Notice[] = [];

  // Instance types: the plan's, then the compatible alternatives when asked (single node only).
  const fb = options.fallbackInstanceTypes ?? false;
  const storage = cache.kind === 'instance-store' ? { kind: 'instance-store' as const } : { kind: 'ebs' as const, volumeGiB: plan.storage.volumeGiB };
  const candidates = fb === false || multi ? [] : fallbackCandidates(plan, storage);
  const fallbacks = fb === true ? candidates : candidates.slice(0, fb === false ? 0 : fb);
  const instanceTypes = [t.instanceType, ...fallbacks.map((f) => f.instanceType)];
  decisions.push({
    field: 'eks.nodePool.instanceTypes',
    value: instanceTypes.join(','),
    reason: fallbacks.length > 0
      ? `the plan's ${t.instanceType}, then alternatives that run the identical launch (${t.gpusPerNode} × ${t.gpu}, TP ${t.tensorParallelSize})`
      : `the plan's instance type (${t.gpusPerNode} × ${t.gpu} per node)`,
  });
  decisions.push({ field: 'eks.modelCache', value: cache.kind, reason: cache.reason });
  const amiAlias = options.amiAlias ?? DEFAULT_AMI_ALIAS;
  decisions.push({
    field: 'eks.ami',
    value: amiAlias,
    reason: 'EKS-optimized AL2023; Karpenter selects its NVIDIA variant for GPU instance types' + (amiAlias.endsWith('@latest') ? ' (pin a release with amiAlias for reproducible nodes)' : ''),
  });

  const gpuResource = 'nvidia.com/gpu';
  const nodeClass: EC2NodeClass = {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name, labels: workloadLabels(name) },
    spec: {
      amiSelectorTerms: [{ alias: amiAlias }],
      role: options.nodeRoleName,
      // EFA traffic and the placement of a multi-node group want one AZ: the first subnet only.
      subnetSelectorTerms: (multi ? options.subnetIds.slice(0, 1) : options.subnetIds).map((id) => ({ id })),
      securityGroupSelectorTerms: options.securityGroupIds.map((id) => ({ id })),
      blockDeviceMappings: [{
        deviceName: AL2023_ROOT_DEVICE,
        rootVolume: true,
        ebs: {
          volumeSize: `${cache.rootVolumeGiB}Gi`, volumeType: 'gp3', iops: cache.rootVolumeIops, throughput: cache.rootVolumeThroughputMiBps,
          encrypted: true, deleteOnTermination: true,
        },
      }],
      ...(cache.instanceStoreRaid0 ? { instanceStorePolicy: 'RAID0' as const } : {}),
      metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
      ...(options.tags && Object.keys(options.tags).length > 0 ? { tags: options.tags } : {}),
    },
  };

  const nodePool: NodePool = {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name, labels: workloadLabels(name) },
    spec: {
      template: {
        metadata: { labels: { 'nvidia.com/gpu.present': 'true', ...workloadLabels(name) } },
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name },
          requirements: [
            { key: 'node.kubernetes.io/instance-type', operator: 'In', values: instanceTypes },
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
          ],
          taints: [{ key: gpuResource, effect: 'NoSchedule' }],
          expireAfter: 'Never',
        },
      },
      // At most the plan's nodes: GPUs of the pool ≤ nodes × GPUs per node.
      limits: { [gpuResource]: String(t.nodes * t.gpusPerNode) },
      disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: `${EMPTY_NODE_MINUTES}m` },
    },
  };

  // Weights: a Mountpoint volume, or an emptyDir filled by a download init container.
  let persistentVolume: S3PersistentVolume | undefined;
  let weights: KubernetesOptions['weights'];
  let download: KubernetesOptions['download'];
  if (cache.kind === 'mountpoint-s3' && cache.s3) {
    const pvName = `${namespace}-${name}-weights`;
    persistentVolume = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: pvName, labels: workloadLabels(name) },
      spec: {
        capacity: { storage: `${plan.storage.volumeGiB}Gi` },
        accessModes: ['ReadOnlyMany'],
        storageClassName: '',
        persistentVolumeReclaimPolicy: 'Retain',
        claimRef: { namespace, name: weightsClaimName(name) },
        mountOptions: ['read-only', ...(cache.s3.prefix ? [`prefix ${cache.s3.prefix}/`] : [])],
        csi: { driver: MOUNTPOINT_S3_DRIVER, volumeHandle: pvName, volumeAttributes: { bucketName: cache.s3.bucket } },
      },
    };
    // The prefix is the checkpoint directory: mount it where the engine reads `<models>/<model id>`.
    weights = { kind: 'claim', storageClassName: '', volumeName: pvName, accessMode: 'ReadOnlyMany', mountPath: `${CONTAINER_MODELS_DIR}/${plan.model.id}` };
  } else {
    weights = { kind: 'emptyDir', sizeGiB: cache.emptyDirGiB ?? plan.storage.volumeGiB };
    const hf = source.kind === 'huggingface' ? source : undefined;
    if (hf) {
      download = {
        command: ['python3', '-c', HF_DOWNLOAD_PY, hf.repoId, hf.revision ?? '', `${CONTAINER_MODELS_DIR}/${plan.model.id}`],
        ...(options.huggingFaceTokenSecretName
          ? { secretEnv: [{ name: 'HF_TOKEN', secretName: options.huggingFaceTokenSecretName, key: HF_TOKEN_SECRET_KEY }] }
          : {}),
      };
    }
  }

  const workload = kubernetesObjects(plan, {
    name,
    namespace,
    weights,
    ...(download ? { download } : {}),
    nodeSelector: { 'karpenter.sh/nodepool': name },
    efa,
    extraEnv: deploymentEnv(plan),
    service: options.service ?? 'ClusterIP',
    // A namespace-only policy would cut off the internal NLB's IP targets, and the VPC CNI enforces
    // NetworkPolicies only when its policy agent is enabled: left to the platform (a warning says so).
    networkPolicy: false,
  });
  notices.push(notice('DSIAC-EKS1', 'no NetworkPolicy is applied on EKS: restrict the API port to your callers with the platform\'s policy (VPC CNI network policies or security groups for pods)'));
  const apiFront = kubernetesApiFrontSpec(plan);
  decisions.push({
    field: 'eks.apiFront',
    value: `${API_FRONT_IMAGE} :${apiFront.listenPort} → ${apiFront.engineHost}:${apiFront.enginePort}`,
    reason: `only ${apiFront.apiPrefix}* with the API key and ${apiFrontOpenPaths(apiFront).join(', ')} without it reach the ${plan.engine} engine, which listens on the pod's loopback; ` +
      'the Service, the internal NLB\'s IP targets and the probes reach the front (non-root, read-only root filesystem)',
  });
  // The front serves plain HTTP (no certificate reaches the pod), as the EC2 adapters do without certificateArn.
  notices.push(notice('DSIAC-EKS4',
    `the API is served without TLS: the front speaks plain HTTP on port ${apiFront.listenPort}` +
      `${options.service === 'internal-nlb' ? ' and the internal NLB forwards TCP to it' : ''}; terminate TLS in front of it (an ingress, a service mesh or a TLS load balancer) before the key crosses an untrusted network`,
  ));
  // Images pulled by tag only (the front is pinned by digest).
  notices.push(...imagePinningWarnings(plan).map((w) => notice('DSIAC-EKS5', w)));
  decisions.push({
    field: 'eks.workload',
    value: multi ? `LeaderWorkerSet size ${t.nodes}` : 'Deployment',
    reason: multi ? `${t.nodes} nodes serve one model: LeaderWorkerSet starts and restarts them as one group` : 'one node serves the model',
  });

  const charts: ChartSpec[] = [
    {
      ...NVIDIA_DEVICE_PLUGIN_CHART,
      values: {},
      reason: 'advertises nvidia.com/gpu on the GPU nodes (the default affinity matches the NodePool label nvidia.com/gpu.present=true)',
    },
  ];
  if (efa) {
    charts.push({
      ...EFA_DEVICE_PLUGIN_CHART,
      values: { tolerations: [{ key: gpuResource, operator: 'Exists', effect: 'NoSchedule' }] },
      reason: `advertises vpc.amazonaws.com/efa (${t.efaInterfacesPerNode} per ${t.instanceType}); tolerates the GPU taint`,
    });
  }
  if (multi) charts.push({ ...LWS_CHART, values: {}, reason: 'runs the LeaderWorkerSet of the multi-node group' });
  if (cache.kind === 'mountpoint-s3') charts.push({ ...MOUNTPOINT_S3_CSI_CHART, values: {}, reason: 'mounts the S3 weights prefix read-only' });
  for (const c of charts) decisions.push({ field: `eks.chart.${c.release}`, value: c.version, reason: c.reason });

  const karpenter: ChartSpec = {
    ...KARPENTER_CHART,
    values: {
      settings: { clusterName: options.clusterName, interruptionQueue: options.interruptionQueueName },
      controller: { resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } },
    },
    reason: 'launches the GPU nodes the NodePool allows',
  };

  // The image was chosen in lib/serving (an EFA-capable one where it is new enough for the model); warn only
  // when the plan's own image lacks the libraries.
  if (efa && !plan.serving.efaLibraries) {
    notices.push(notice('DSIAC-EKS2', `the ${plan.engine} image ${plan.serving.image} does not ship the EFA libraries (libfabric, aws-ofi-nccl); without them NCCL runs over TCP between the ${t.nodes} nodes`));
  }
  notices.push(notice('DSIAC-EKS3', `create the Kubernetes Secret ${apiKeySecretName(name)} (key ${API_KEY_SECRET_KEY}) in namespace ${namespace} before the pods can start`));

  return {
    plan,
    name,
    namespace,
    clusterName: options.clusterName,
    summary: `${plan.model.displayName} ${plan.precision.weights} on ${multi ? `${t.nodes} × ` : ''}${t.instanceType} (${t.gpusPerNode} × ${t.gpu}${multi ? ' per node' : ''}), ${plan.engine}, EKS`,
    modelSource: source,
    instanceTypes,
    cache,
    karpenter,
    charts,
    nodeClass,
    nodePool,
    namespaceObject: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'app.kubernetes.io/managed-by': 'deepseek-iac' } } },
    ...(persistentVolume ? { persistentVolume } : {}),
    workload,
    apiKeySecret: { name: apiKeySecretName(name), key: API_KEY_SECRET_KEY },
    port: plan.serving.port,
    apiFront,
    decisions,
    warnings: notices.map((n) => n.message),
    notices,
  };
}
