/**
 * Issue 13 §7: local Kubernetes manifests. Before, multi-node pods were privileged with host
 * networking (every port, Ray's included, open on the node) and no pod had CPU/memory requests or
 * a NetworkPolicy.
 */
import { kubernetesObjects, renderKubernetes } from '../../../constructs/local';
import type { Container, KubernetesObject, NetworkPolicy, PodSpec } from '../../../constructs/local/k8s-types';
import { SHAPES, type ShapeId } from './shapes';

const SHAPE_IDS = Object.keys(SHAPES) as ShapeId[];
const planOf = (id: ShapeId) => SHAPES[id].make();

function pods(objs: readonly KubernetesObject[]): PodSpec[] {
  return objs.flatMap((o) => (o.kind === 'Deployment' ? [o.spec.template.spec]
    : o.kind === 'LeaderWorkerSet' ? [o.spec.leaderWorkerTemplate.leaderTemplate.spec, o.spec.leaderWorkerTemplate.workerTemplate.spec] : []));
}
const containers = (objs: readonly KubernetesObject[]): Container[] => pods(objs).flatMap((p) => [...p.containers]);
/** The engine containers (the API front, lib/deploy/kubernetes/api-front.ts, has its own sizing). */
const engines = (objs: readonly KubernetesObject[]): Container[] => containers(objs).filter((c) => c.name !== 'api-front');
const policyOf = (objs: readonly KubernetesObject[]) => objs.find((o) => o.kind === 'NetworkPolicy') as NetworkPolicy;

describe('Kubernetes hardening', () => {
  test.each(SHAPE_IDS)('%s: no privileged container, no host network, no privilege escalation', (id) => {
    const objs = kubernetesObjects(planOf(id));
    for (const p of pods(objs)) expect(p.hostNetwork).toBeUndefined();
    for (const c of containers(objs)) {
      expect(c.securityContext?.privileged).toBeUndefined();
      expect(c.securityContext?.allowPrivilegeEscalation).toBe(false);
    }
    // The API front is non-root on a read-only root filesystem; the engines' images need root (see workload.ts).
    const fronts = containers(objs).filter((c) => c.name === 'api-front');
    expect(fronts).toHaveLength(1);
    expect(fronts[0].securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(renderKubernetes(planOf(id))).not.toMatch(/privileged: true|hostNetwork: true/);
  });

  test.each(SHAPE_IDS.filter((id) => id !== 'cpu'))('%s: CPU and memory requests (2 CPUs per GPU; /dev/shm + 16 GiB)', (id) => {
    const plan = planOf(id);
    const shm = plan.serving.container.shmSizeGiB;
    const objs = kubernetesObjects(plan);
    for (const c of engines(objs)) {
      expect(c.resources?.requests).toEqual({ cpu: String(2 * plan.topology.gpusPerNode), memory: `${shm + 16}Gi` });
    }
    // Serving pod: engine + front; every container has requests.
    for (const c of containers(objs)) expect(c.resources?.requests?.memory).toMatch(/^\d+(Mi|Gi)$/);
  });

  test.each(SHAPE_IDS)('%s: the NetworkPolicy admits the API port from the namespace and, multi-node, the group to itself', (id) => {
    const plan = planOf(id);
    const policy = policyOf(kubernetesObjects(plan));
    const group = { 'app.kubernetes.io/name': plan.model.id };
    expect(policy.spec.podSelector).toEqual({ matchLabels: group });
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress[0]).toEqual({ from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: plan.serving.port }] });
    expect(policy.spec.ingress.slice(1)).toEqual(SHAPES[id].nodes > 1 ? [{ from: [{ podSelector: { matchLabels: group } }] }] : []);
  });

  test('apiPeerCidrs narrow the API port to those blocks; bad blocks are refused', () => {
    const plan = planOf('nvidia-1gpu');
    expect(policyOf(kubernetesObjects(plan, { apiPeerCidrs: ['10.1.0.0/16'] })).spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '10.1.0.0/16' } }]);
    expect(() => kubernetesObjects(plan, { apiPeerCidrs: ['10.1.0.0/33', 'x'] })).toThrow(/apiPeerCidrs\[0\][\s\S]*apiPeerCidrs\[1\]/);
    expect(() => kubernetesObjects(plan, { rdmaResource: 'rdma\nx' })).toThrow(/rdmaResource/);
  });
});
