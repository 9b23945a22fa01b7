import { parseAllDocuments } from 'yaml';
import { kubernetesInterpolated, kubernetesObjects, renderKubernetes } from '../../../constructs/local/kubernetes';
import type { Container, Deployment, KubernetesObject, LeaderWorkerSet, PersistentVolumeClaim, PodSpec, Service } from '../../../constructs/local/k8s-types';
import { SHAPES, SHAPE_IDS, planOf, type ShapeId } from './shapes';

/**
 * Field names allowed at each place we emit, from the Kubernetes API reference
 * (https://kubernetes.io/docs/reference/kubernetes-api/: PersistentVolumeClaimSpec, DeploymentSpec,
 * PodSpec, Container, Probe, Volume, ServiceSpec) and the LWS CRD
 * (kubernetes-sigs/lws api/leaderworkerset/v1: LeaderWorkerSetSpec, LeaderWorkerTemplate).
 * These lists are written from the reference, not from the renderer, so a misspelt key that the
 * API server would silently drop fails here.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  object: ['apiVersion', 'kind', 'metadata', 'spec'],
  // core/v1 ConfigMap: data instead of spec.
  configMap: ['apiVersion', 'kind', 'metadata', 'data', 'binaryData', 'immutable'],
  metadata: ['name', 'namespace', 'labels', 'annotations'],
  pvcSpec: ['accessModes', 'storageClassName', 'resources', 'volumeMode', 'selector', 'volumeName', 'dataSource'],
  deploymentSpec: ['replicas', 'selector', 'template', 'strategy', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds'],
  lwsSpec: ['replicas', 'leaderWorkerTemplate', 'rolloutStrategy', 'startupPolicy', 'networkConfig'],
  leaderWorkerTemplate: ['size', 'restartPolicy', 'leaderTemplate', 'workerTemplate', 'subGroupPolicy', 'volumeClaimTemplates'],
  podTemplate: ['metadata', 'spec'],
  podSpec: ['containers', 'initContainers', 'volumes', 'hostNetwork', 'hostIPC', 'dnsPolicy', 'tolerations', 'nodeSelector', 'affinity', 'terminationGracePeriodSeconds', 'securityContext', 'serviceAccountName', 'runtimeClassName'],
  container: ['name', 'image', 'command', 'args', 'env', 'envFrom', 'ports', 'resources', 'startupProbe', 'readinessProbe', 'livenessProbe', 'volumeMounts', 'securityContext', 'workingDir', 'imagePullPolicy'],
  probe: ['httpGet', 'tcpSocket', 'exec', 'initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold'],
  volume: ['name', 'persistentVolumeClaim', 'emptyDir', 'hostPath', 'configMap', 'secret'],
  volumeMount: ['name', 'mountPath', 'readOnly', 'subPath', 'subPathExpr', 'mountPropagation', 'recursiveReadOnly'],
  serviceSpec: ['type', 'selector', 'ports', 'clusterIP', 'sessionAffinity'],
  servicePort: ['name', 'port', 'targetPort', 'protocol', 'nodePort', 'appProtocol'],
  // networking.k8s.io/v1 NetworkPolicySpec, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort.
  networkPolicySpec: ['podSelector', 'policyTypes', 'ingress', 'egress'],
  ingressRule: ['from', 'ports'],
  peer: ['podSelector', 'namespaceSelector', 'ipBlock'],
  policyPort: ['protocol', 'port', 'endPort'],
  // core/v1 SecurityContext.
  securityContext: ['privileged', 'allowPrivilegeEscalation', 'capabilities', 'seccompProfile', 'runAsNonRoot', 'runAsUser', 'runAsGroup', 'readOnlyRootFilesystem'],
};

function keysWithin(value: object, place: string): void {
  for (const key of Object.keys(value)) expect({ place, key, allowed: ALLOWED[place].includes(key) }).toEqual({ place, key, allowed: true });
}

function checkPod(spec: PodSpec): void {
  keysWithin(spec, 'podSpec');
  for (const c of spec.containers) {
    keysWithin(c, 'container');
    if (c.securityContext) keysWithin(c.securityContext, 'securityContext');
    for (const m of c.volumeMounts ?? []) keysWithin(m, 'volumeMount');
    for (const p of [c.startupProbe, c.readinessProbe, c.livenessProbe]) if (p) keysWithin(p, 'probe');
  }
  for (const v of spec.volumes ?? []) keysWithin(v, 'volume');
}

function checkFieldNames(o: KubernetesObject): void {
  keysWithin(o, o.kind === 'ConfigMap' ? 'configMap' : 'object');
  keysWithin(o.metadata, 'metadata');
  switch (o.kind) {
    case 'PersistentVolumeClaim':
      keysWithin(o.spec, 'pvcSpec');
      break;
    case 'Deployment':
      keysWithin(o.spec, 'deploymentSpec');
      keysWithin(o.spec.template, 'podTemplate');
      checkPod(o.spec.template.spec);
      break;
    case 'LeaderWorkerSet':
      keysWithin(o.spec, 'lwsSpec');
      keysWithin(o.spec.leaderWorkerTemplate, 'leaderWorkerTemplate');
      checkPod(o.spec.leaderWorkerTemplate.leaderTemplate.spec);
      checkPod(o.spec.leaderWorkerTemplate.workerTemplate.spec);
      break;
    case 'Service':
      keysWithin(o.spec, 'serviceSpec');
      for (const p of o.spec.ports) keysWithin(p, 'servicePort');
      break;
    case 'NetworkPolicy':
      keysWithin(o.spec, 'networkPolicySpec');
      for (const r of o.spec.ingress) {
        keysWithin(r, 'ingressRule');
        for (const p of r.from) keysWithin(p, 'peer');
        for (const p of r.ports ?? []) keysWithin(p, 'policyPort');
      }
      break;
  }
}

const byKind = <K extends KubernetesObject['kind']>(objs: KubernetesObject[], kind: K) => objs.find((o) => o.kind === kind) as Extract<KubernetesObject, { kind: K }>;

function servingPod(objs: KubernetesObject[]): PodSpec {
  const d = byKind(objs, 'Deployment') as Deployment | undefined;
  if (d) return d.spec.template.spec;
  return (byKind(objs, 'LeaderWorkerSet') as LeaderWorkerSet).spec.leaderWorkerTemplate.leaderTemplate.spec;
}

/** The engine container of the serving pod (the first; the API front follows it). */
function servingContainer(objs: KubernetesObject[]): Container {
  return servingPod(objs).containers[0];
}

describe('Kubernetes manifests per shape', () => {
  test.each(SHAPE_IDS)('%s: kinds and API versions, field names from the API reference', (id) => {
    const objs = kubernetesObjects(planOf(id));
    const multi = SHAPES[id].nodes > 1;
    expect(objs.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual([
      'v1 PersistentVolumeClaim',
      'v1 ConfigMap',
      multi ? 'leaderworkerset.x-k8s.io/v1 LeaderWorkerSet' : 'apps/v1 Deployment',
      'v1 Service',
      'networking.k8s.io/v1 NetworkPolicy',
    ]);
    objs.forEach(checkFieldNames);
  });

  test.each(SHAPE_IDS)('%s: weights claim of the plan volume, mounted read-only at /models', (id) => {
    const plan = planOf(id);
    const objs = kubernetesObjects(plan);
    const pvc = byKind(objs, 'PersistentVolumeClaim') as PersistentVolumeClaim;
    expect(pvc.spec.resources.requests.storage).toBe(`${plan.storage.volumeGiB}Gi`);
    expect(pvc.spec.accessModes).toEqual([SHAPES[id].nodes > 1 ? 'ReadWriteMany' : 'ReadWriteOnce']);
    expect(servingContainer(objs).volumeMounts).toContainEqual({ name: 'weights', mountPath: '/models', readOnly: true });
  });

  test('R1 volume: 1.15 × 688.47 GB checkpoint = 737.3 GiB, rounded up to 740Gi', () => {
    const pvc = byKind(kubernetesObjects(planOf('amd-8gpu')), 'PersistentVolumeClaim') as PersistentVolumeClaim;
    expect(pvc.spec.resources.requests.storage).toBe('740Gi');
  });

  test.each(SHAPE_IDS)('%s: probes on the plan paths through the front\'s port, API key from the Secret, Service on the front', (id) => {
    const plan = planOf(id);
    const objs = kubernetesObjects(plan);
    const c = servingContainer(objs);
    const pod = servingPod(objs);
    const front = pod.containers.find((x) => x.name === 'api-front')!;
    // The engine's API socket is on loopback behind the front (issue 13): it declares no port; the front takes the plan's.
    expect(c.ports).toBeUndefined();
    expect(front.ports).toEqual([{ name: 'http', containerPort: plan.serving.port, protocol: 'TCP' }]);
    expect(c.livenessProbe?.httpGet).toEqual({ path: plan.serving.healthPath, port: plan.serving.port });
    expect(c.readinessProbe?.httpGet).toEqual({ path: plan.serving.readinessPath, port: plan.serving.port });
    expect(c.startupProbe?.httpGet).toEqual({ path: plan.serving.healthPath, port: plan.serving.port });
    for (const x of [c, front]) expect(x.env).toContainEqual({ name: plan.serving.apiKeyEnv, valueFrom: { secretKeyRef: { name: `${plan.model.id}-api-key`, key: 'api-key' } } });
    expect(JSON.stringify(objs)).not.toMatch(/"value":"[^"]*key[^"]*"/i);
    const svc = byKind(objs, 'Service') as Service;
    expect(svc.spec.ports).toEqual([{ name: 'http', port: plan.serving.port, targetPort: 'http', protocol: 'TCP' }]);
  });

  test('start-up probe allows the start-up budget: 4050 s at 10 s periods = 405 failures', () => {
    expect(servingContainer(kubernetesObjects(planOf('amd-8gpu'))).startupProbe?.failureThreshold).toBe(405);
  });

  test.each([
    ['nvidia-1gpu', 'nvidia.com/gpu', '1'],
    ['nvidia-8gpu', 'nvidia.com/gpu', '8'],
    ['nvidia-multi', 'nvidia.com/gpu', '8'],
    ['amd-1gpu', 'amd.com/gpu', '1'],
    ['amd-8gpu', 'amd.com/gpu', '8'],
    ['amd-multi', 'amd.com/gpu', '8'],
  ] as [ShapeId, string, string][])('%s: limits %s = %s per pod, and a toleration for that taint', (id, resource, count) => {
    const objs = kubernetesObjects(planOf(id));
    const pods: PodSpec[] = [];
    const d = byKind(objs, 'Deployment') as Deployment | undefined;
    if (d) pods.push(d.spec.template.spec);
    const lws = byKind(objs, 'LeaderWorkerSet') as LeaderWorkerSet | undefined;
    if (lws) pods.push(lws.spec.leaderWorkerTemplate.leaderTemplate.spec, lws.spec.leaderWorkerTemplate.workerTemplate.spec);
    for (const pod of pods) {
      expect(pod.containers[0].resources?.limits).toEqual({ [resource]: count, ...(SHAPES[id].nodes > 1 ? { 'rdma/rdma_shared_device_a': '1' } : {}) });
      expect(pod.tolerations).toEqual([{ key: resource, operator: 'Exists', effect: 'NoSchedule' }]);
    }
  });

  test.each(['amd-1gpu', 'amd-8gpu'] as ShapeId[])('%s: ROCm capability and seccomp option carried into the security context', (id) => {
    const c = servingContainer(kubernetesObjects(planOf(id)));
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { add: ['SYS_PTRACE'] }, seccompProfile: { type: 'Unconfined' } });
  });

  test.each(SHAPE_IDS.filter((id) => id !== 'cpu'))('%s: /dev/shm is an in-memory volume of the plan size instead of host IPC', (id) => {
    const plan = planOf(id);
    const objs = kubernetesObjects(plan);
    const pod = (byKind(objs, 'Deployment') as Deployment | undefined)?.spec.template.spec ?? (byKind(objs, 'LeaderWorkerSet') as LeaderWorkerSet).spec.leaderWorkerTemplate.leaderTemplate.spec;
    expect(pod.volumes).toContainEqual({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: `${plan.serving.container.shmSizeGiB}Gi` } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'dshm', mountPath: '/dev/shm' });
    expect(Object.keys(pod)).not.toContain('hostIPC');
  });

  test('CPU plan: requests the llama.cpp threads and the RAM it needs, no GPU resource', () => {
    const plan = planOf('cpu');
    const c = servingContainer(kubernetesObjects(plan));
    // 64 threads (default host cores); RAM 407.6 GiB (lib/plan/cpu test) → 408Gi.
    expect(c.resources).toEqual({ requests: { cpu: '64', memory: '408Gi' } });
  });
});

describe('LeaderWorkerSet for several hosts', () => {
  test.each(['nvidia-multi', 'nvidia-multi-sglang', 'amd-multi'] as ShapeId[])('%s: size = nodes, group restart, leader-only Service, pod network, RDMA from the device plugin', (id) => {
    const plan = planOf(id);
    const objs = kubernetesObjects(plan);
    const lws = byKind(objs, 'LeaderWorkerSet') as LeaderWorkerSet;
    expect(lws.spec.replicas).toBe(1);
    expect(lws.spec.leaderWorkerTemplate.size).toBe(SHAPES[id].nodes);
    expect(lws.spec.leaderWorkerTemplate.restartPolicy).toBe('RecreateGroupOnPodRestart');
    const svc = byKind(objs, 'Service') as Service;
    // The vLLM LWS example selects the leader with these two labels.
    expect(svc.spec.selector).toEqual({ 'leaderworkerset.sigs.k8s.io/name': plan.model.id, role: 'leader' });
    expect(lws.spec.leaderWorkerTemplate.leaderTemplate.metadata?.labels?.role).toBe('leader');
    for (const pod of [lws.spec.leaderWorkerTemplate.leaderTemplate.spec, lws.spec.leaderWorkerTemplate.workerTemplate.spec]) {
      // Issue 13: no host network (a NetworkPolicy applies), not privileged, RDMA by device plugin + IPC_LOCK.
      expect(pod.hostNetwork).toBeUndefined();
      expect(pod.volumes?.some((v) => v.hostPath !== undefined)).toBe(false);
      expect(pod.containers[0].securityContext?.privileged).toBeUndefined();
      expect(pod.containers[0].securityContext?.allowPrivilegeEscalation).toBe(false);
      expect(pod.containers[0].securityContext?.capabilities?.add).toContain('IPC_LOCK');
      expect(pod.containers[0].resources?.limits?.['rdma/rdma_shared_device_a']).toBe('1');
    }
    const worker = lws.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0];
    const workerArgv = [...(worker.command ?? []), ...(worker.args ?? [])].join(' ');
    expect(workerArgv).toContain('$(LWS_LEADER_ADDRESS)');
    expect(workerArgv).not.toContain('${HEAD_ADDR}');
    expect(worker.ports).toBeUndefined();
    expect(worker.readinessProbe).toBeUndefined();
    expect(worker.env ?? []).not.toContainEqual(expect.objectContaining({ name: plan.serving.apiKeyEnv }));
  });

  test('SGLang workers take their rank from LWS_WORKER_INDEX', () => {
    const lws = byKind(kubernetesObjects(planOf('nvidia-multi-sglang')), 'LeaderWorkerSet') as LeaderWorkerSet;
    const worker = lws.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0];
    expect([...(worker.command ?? []), ...(worker.args ?? [])].join(' ')).toContain('--node-rank $(LWS_WORKER_INDEX)');
  });

  test.each([
    ['node variables map to the LWS variables', '--address=${HEAD_ADDR}:6379 --node-rank ${NODE_RANK}', '--address=$(LWS_LEADER_ADDRESS):6379 --node-rank $(LWS_WORKER_INDEX)'],
    ['a literal $(…) is escaped so Kubernetes leaves it alone', 'echo $(date)', 'echo $$(date)'],
  ])('kubernetesInterpolated: %s', (_n, input, expected) => {
    expect(kubernetesInterpolated(input)).toBe(expected);
  });
});

describe('kubernetes.yaml text', () => {
  test.each(SHAPE_IDS)('%s: parses back to the same objects, without YAML anchors', (id) => {
    const plan = planOf(id);
    const text = renderKubernetes(plan);
    const docs = parseAllDocuments(text);
    expect(docs.map((d) => d.errors)).toEqual(docs.map(() => []));
    expect(docs.map((d) => d.toJS())).toEqual(JSON.parse(JSON.stringify(kubernetesObjects(plan))));
    expect(text).not.toMatch(/[&*]a\d/);
    expect(text).toContain(`kubectl create secret generic ${plan.model.id}-api-key`);
  });

  test.each(SHAPE_IDS)('%s: the header says what the API front serves and warns about an engine image without a digest', (id) => {
    const plan = planOf(id);
    const header = renderKubernetes(plan).split('\n').filter((l) => l.startsWith('#')).join('\n');
    const open = plan.serving.readinessPath === plan.serving.healthPath ? plan.serving.healthPath : `${plan.serving.healthPath}, ${plan.serving.readinessPath}`;
    expect(header).toContain(`# API front: nginx on port ${plan.serving.port} passes /v1/* with "Authorization: Bearer <key>" and ${open} without it`);
    expect(header).toContain(`(127.0.0.1:${plan.serving.port + 1}); every other path is 404.`);
    const pinned = /@sha256:[0-9a-f]{64}$/.test(plan.serving.image);
    expect(header.includes(`# WARNING: the engine image ${plan.serving.image} is pulled by tag, not digest`)).toBe(!pinned);
  });

  test('llama.cpp\'s CPU image has no digest in a public record (lib/serving/profiles/llamacpp-b9917.ts): the header names it', () => {
    const plan = planOf('cpu');
    expect(plan.serving.image).not.toContain('@sha256:');
    expect(renderKubernetes(plan)).toMatch(/# WARNING: the engine image \S+ is pulled by tag, not digest: no digest for it was found in a public record/);
  });
});
