/**
 * Issue 13 §3 for Kubernetes (local `--k8s` and EKS): only the OpenAI-compatible paths (with the key)
 * and the health/readiness paths reach the engine. Before, the Service sent the plan's port straight
 * to the engine, which listened on the pod IP: vLLM's /metrics, /tokenize, /invocations, /pooling and
 * /score (and SGLang's native /generate) answered without the key. Asserted from the rendered
 * objects: the Service and every probe reach the nginx front, the front's ConfigMap routes only
 * those paths to the engine, and the engine's API socket is on the pod's loopback. Every object
 * validates against the pinned Kubernetes 1.35 / LWS 0.10.0 schemas; nginx -t and a live nginx check
 * the rendered ConfigMap where nginx is installed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planDeployment } from '../../../lib/plan/planner';
import { planWithOverrides } from '../../../lib/plan/overrides';
import type { Plan } from '../../../lib/plan/types';
import { API_FRONT_IMAGE, API_FRONT_KEY_MAP_PATH, API_FRONT_READ_ONLY_PID_PATH, bindBehindFront } from '../../../lib/deploy/api-front';
import {
  FRONT_CONFIG_HASH_ANNOTATION, apiFrontConfigHash, kubernetesInterpolated, kubernetesObjects, roleArgv, type ConfigMap, type Container, type LeaderWorkerSet, type PodSpec, type Service,
  type NetworkPolicy, type WorkloadObject, type Deployment,
} from '../../../lib/deploy/kubernetes';
import { eksLayout, type EksLayoutOptions } from '../../../lib/deploy/eks';
import { planCpuDeployment } from '../../../lib/plan/cpu';
import { entrypointOverride } from '../../../lib/serving';
import { describeWithTool, runTool } from '../../helpers/tools';
import { startLiveFront, type LiveFront } from '../../helpers/live-front';
import { kubernetesValidator } from '../eks/schemas';
import { route } from './nginx-route';

const validate = kubernetesValidator();
const KEY = 'sk-k8s_Test.key~+/=';
const EKS: EksLayoutOptions = { clusterName: 'platform', subnetIds: ['subnet-0a1'], securityGroupIds: ['sg-0c3'], nodeRoleName: 'gpu-nodes', interruptionQueueName: 'q' };
const twoH100 = [{ gpu: 'h100' as const, gpuCount: 8 }, { gpu: 'h100' as const, gpuCount: 8 }];

const local = (plan: Plan) => kubernetesObjects(plan);
const eks = (extra: Partial<EksLayoutOptions> = {}) => (plan: Plan) => [...eksLayout(plan, { ...EKS, ...extra }).workload];

/** Workloads under test: each engine, one node and a LeaderWorkerSet, local and EKS. */
const CASES: readonly [string, Plan, (plan: Plan) => WorkloadObject[]][] = [
  ['local vLLM, one node', planDeployment({ model: 'deepseek-r1-distill-llama-70b', target: 'local', localHosts: [{ gpu: 'h100', gpuCount: 8 }] }), local],
  ['local SGLang, one node', planDeployment({ model: 'deepseek-r1-distill-llama-70b', engine: 'sglang', target: 'local', localHosts: [{ gpu: 'h100', gpuCount: 8 }] }), local],
  ['local vLLM, LWS of 2', planDeployment({ model: 'deepseek-r1', precision: 'fp8', target: 'local', localHosts: twoH100 }), local],
  ['local SGLang, LWS of 2', planDeployment({ model: 'deepseek-r1', precision: 'fp8', engine: 'sglang', target: 'local', localHosts: twoH100 }), local],
  ['local vLLM on MI300X, LWS of 2', planDeployment({ model: 'deepseek-r1', precision: 'fp8', target: 'local', nodes: 2, localHosts: [{ gpu: 'mi300x', gpuCount: 8 }, { gpu: 'mi300x', gpuCount: 8 }] }), local],
  ['local llama.cpp on CPU, namespace and peer CIDRs', planCpuDeployment({ model: 'deepseek-r1', host: { ramGiB: 512 } }), (plan) => kubernetesObjects(plan, { namespace: 'llm', apiPeerCidrs: ['10.0.0.0/8'] })],
  ['EKS vLLM, one node, internal NLB', planWithOverrides({ target: 'aws', model: 'deepseek-r1-distill-llama-70b' }), eks({ service: 'internal-nlb' })],
  ['EKS SGLang, one node', planWithOverrides({ target: 'aws', model: 'deepseek-r1-distill-llama-70b', engine: 'sglang' }), eks()],
  ['EKS vLLM (AWS DLC), LWS of 2 × p5.48xlarge', planWithOverrides({ target: 'aws', model: 'deepseek-r1', precision: 'fp8', instanceType: 'p5.48xlarge', nodes: 2, dataParallelSize: 1 }), eks()],
  ['EKS SGLang, LWS of 2 × p5.48xlarge', planWithOverrides({ target: 'aws', model: 'deepseek-r1', precision: 'fp8', engine: 'sglang', instanceType: 'p5.48xlarge', nodes: 2 }), eks()],
];

interface Rendered {
  readonly objs: WorkloadObject[];
  readonly plan: Plan;
  readonly serving: PodSpec;
  readonly worker?: PodSpec;
  readonly engine: Container;
  readonly front: Container;
  readonly config: string;
  /** The key map as the image's envsubst renders the ConfigMap's template with the front's variables. */
  readonly keyMap: string;
}

function rendered(plan: Plan, make: (plan: Plan) => WorkloadObject[]): Rendered {
  const objs = make(plan);
  const d = objs.find((o): o is Deployment => o.kind === 'Deployment');
  const lws = objs.find((o): o is LeaderWorkerSet => o.kind === 'LeaderWorkerSet');
  const serving = d ? d.spec.template.spec : lws!.spec.leaderWorkerTemplate.leaderTemplate.spec;
  const worker = lws?.spec.leaderWorkerTemplate.workerTemplate.spec;
  // The front is the container running the pinned nginx image; the engine is the one running the plan's image.
  const front = serving.containers.find((c) => c.image === API_FRONT_IMAGE);
  const engine = serving.containers.find((c) => c.image === plan.serving.image)!;
  if (!front) throw new Error('no container runs the API front image in the serving pod');
  const cm = objs.find((o): o is ConfigMap => o.kind === 'ConfigMap');
  if (!cm) throw new Error('no ConfigMap');
  // What the front mounts at nginx.conf and at the template path, by ConfigMap key.
  const fileOf = (path: string): string => {
    const m = front.volumeMounts!.find((v) => v.mountPath === path)!;
    const vol = serving.volumes!.find((v) => v.name === m.name)!;
    expect(vol.configMap?.name).toBe(cm.metadata.name);
    return cm.data[m.subPath!]!;
  };
  const config = fileOf('/etc/nginx/nginx.conf');
  const template = fileOf('/etc/nginx/templates/api-key.map.template');
  // envsubst: every ${VAR} the front's environment defines is replaced; the key comes from the Secret.
  let keyMap = template;
  for (const e of front.env ?? []) keyMap = keyMap.split(`\${${e.name}}`).join(e.valueFrom?.secretKeyRef ? KEY : e.value ?? '');
  return { objs, plan, serving, worker, engine, front, config, keyMap };
}

const TABLE = CASES.map(([name, plan, make]) => [name, () => rendered(plan, make)] as const);

/** The engine behind the front: loopback, the port above the plan's (lib/deploy/api-front.ts). */
const engineUpstream = (plan: Plan) => `http://127.0.0.1:${plan.serving.port + 1}`;

describe.each(TABLE)('%s', (_name, get) => {
  const r = get();
  const { plan } = r;

  test('every object validates against the pinned Kubernetes 1.35 / LWS 0.10.0 schemas', () => {
    expect(r.objs.map((o) => o.kind)).toContain('ConfigMap');
    for (const o of r.objs) expect({ kind: o.kind, problems: validate(o) }).toEqual({ kind: o.kind, problems: [] });
  });

  test('the Service\'s target port is the front\'s; no other container of any pod declares a port', () => {
    const svc = r.objs.find((o): o is Service => o.kind === 'Service')!;
    expect(svc.spec.ports).toHaveLength(1);
    const target = svc.spec.ports[0]!.targetPort;
    const owners = r.serving.containers.filter((c) => (c.ports ?? []).some((p) => p.name === target || p.containerPort === target));
    expect(owners.map((c) => c.image)).toEqual([API_FRONT_IMAGE]);
    expect(r.front.ports).toEqual([{ name: 'http', containerPort: plan.serving.port, protocol: 'TCP' }]);
    for (const c of [...r.serving.containers, ...(r.worker?.containers ?? [])]) if (c !== r.front) expect(c.ports).toBeUndefined();
  });

  test('the engine\'s API socket is on loopback, the port above the plan\'s, where the front sends requests', () => {
    const argv = [...(r.engine.command ?? []), ...(r.engine.args ?? [])].join(' ');
    expect(argv).toContain('--host 127.0.0.1');
    expect(argv).toContain(`--port ${plan.serving.port + 1}`);
    expect(argv).not.toContain('0.0.0.0');
    expect(route(r.config, r.keyMap, '/v1/chat/completions', `Bearer ${KEY}`)).toEqual({ proxy: engineUpstream(plan) });
  });

  test.each([
    ['/v1/chat/completions', true, 'engine'],
    ['/v1/completions', true, 'engine'],
    ['/v1/models', true, 'engine'],
    ['/v1/chat/completions', false, 401],
    ['/metrics', true, 404],
    ['/metrics', false, 404],
    ['/tokenize', true, 404],
    ['/detokenize', true, 404],
    ['/invocations', true, 404],
    ['/pooling', true, 404],
    ['/score', true, 404],
    ['/version', false, 404],
    // SGLang's native API (https://docs.sglang.io/basic_usage/native_api.html).
    ['/generate', true, 404],
    ['/get_server_info', true, 404],
    ['/flush_cache', true, 404],
    ['/', false, 404],
  ] as const)('%s (key: %s) → %s', (path, withKey, outcome) => {
    const got = route(r.config, r.keyMap, path, withKey ? `Bearer ${KEY}` : undefined);
    expect(got).toEqual(outcome === 'engine' ? { proxy: engineUpstream(plan) } : { status: outcome });
  });

  test('every probe reaches the front\'s port on a path the front passes to the engine without the key', () => {
    const probes = r.serving.containers.flatMap((c) => [c.startupProbe, c.readinessProbe, c.livenessProbe]).filter((p) => p !== undefined);
    expect(probes.map((p) => p.httpGet.path).sort()).toEqual([plan.serving.healthPath, plan.serving.healthPath, plan.serving.readinessPath].sort());
    for (const p of probes) {
      expect(p.httpGet.port).toBe(r.front.ports![0]!.containerPort);
      expect(route(r.config, r.keyMap, p.httpGet.path)).toEqual({ proxy: engineUpstream(plan) });
    }
    for (const c of r.worker?.containers ?? []) expect([c.startupProbe, c.readinessProbe, c.livenessProbe]).toEqual([undefined, undefined, undefined]);
  });

  test('the NetworkPolicy (where rendered) admits only the front\'s port from the allowed peers', () => {
    const policy = r.objs.find((o): o is NetworkPolicy => o.kind === 'NetworkPolicy');
    if (!policy) return; // EKS leaves the policy to the platform (a layout warning says so).
    expect(policy.spec.ingress[0]!.ports).toEqual([{ protocol: 'TCP', port: r.front.ports![0]!.containerPort }]);
    // Within a multi-node group every port is open (NCCL, Ray, torch.distributed pick theirs at run time).
    expect(policy.spec.ingress.slice(1).every((rule) => rule.ports === undefined && rule.from.every((f) => 'podSelector' in f && f.podSelector.matchLabels))).toBe(true);
  });

  test('the front runs as nginx (uid 101), read-only root, writable emptyDirs where nginx writes, key from the Secret, resources set', () => {
    const f = r.front;
    expect(f.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    const volumeOf = (path: string) => r.serving.volumes!.find((v) => v.name === f.volumeMounts!.find((m) => m.mountPath === path)?.name);
    // The entrypoint writes the rendered key map to conf.d (in memory); temp files and the pid file need a writable place.
    expect(volumeOf('/etc/nginx/conf.d')?.emptyDir?.medium).toBe('Memory');
    expect(volumeOf('/var/cache/nginx')?.emptyDir).toBeDefined();
    expect(volumeOf('/tmp')?.emptyDir).toBeDefined();
    expect(r.config).toContain(`include ${API_FRONT_KEY_MAP_PATH};`);
    expect(API_FRONT_KEY_MAP_PATH.startsWith('/etc/nginx/conf.d/')).toBe(true);
    expect(r.config.split('\n')[0]).toBe(`pid ${API_FRONT_READ_ONLY_PID_PATH};`);
    expect(API_FRONT_READ_ONLY_PID_PATH.startsWith('/tmp/')).toBe(true);
    for (const m of f.volumeMounts!.filter((x) => x.subPath)) expect(m.readOnly).toBe(true);
    expect(f.env).toEqual([{ name: plan.serving.apiKeyEnv, valueFrom: { secretKeyRef: { name: expect.stringMatching(/-api-key$/), key: 'api-key' } } }]);
    expect(r.keyMap).toBe(`"Bearer ${KEY}" 1;\n`);
    expect(f.resources?.requests).toEqual({ cpu: '250m', memory: '64Mi' });
    expect(f.resources?.limits).toEqual({ memory: '256Mi' });
    // No secret value in the rendered objects: the template names the variable only.
    expect(JSON.stringify(r.objs)).not.toContain(KEY);
  });

  test('the serving pod template carries the hash of the front\'s ConfigMap (subPath mounts never update: a new config replaces the pod)', () => {
    const cm = r.objs.find((o): o is ConfigMap => o.kind === 'ConfigMap')!;
    const workload = r.objs.find((o): o is Deployment | LeaderWorkerSet => o.kind === 'Deployment' || o.kind === 'LeaderWorkerSet')!;
    const template = workload.kind === 'Deployment' ? workload.spec.template : workload.spec.leaderWorkerTemplate.leaderTemplate;
    expect(template.metadata?.annotations).toEqual({ [FRONT_CONFIG_HASH_ANNOTATION]: apiFrontConfigHash(cm) });
    expect(apiFrontConfigHash(cm)).toMatch(/^[0-9a-f]{8}$/);
  });

  test('multi-node: workers run the plan\'s command unchanged; the leader changes only its API host and port (cluster ports stay on the pod IP)', () => {
    const multi = plan.serving.multiNode;
    if (!multi || !r.worker) return;
    const k8s = (argv: readonly string[]) => [...(entrypointOverride(plan.serving) ?? []), ...argv].map(kubernetesInterpolated);
    const worker = r.worker.containers[0]!;
    expect(r.worker.containers).toHaveLength(1);
    expect([...(worker.command ?? []), ...(worker.args ?? [])]).toEqual(k8s(roleArgv(plan, 'worker')));
    const head = [...(r.engine.command ?? []), ...(r.engine.args ?? [])];
    const front = { listenPort: plan.serving.port, engineHost: '127.0.0.1', enginePort: plan.serving.port + 1, healthPath: plan.serving.healthPath, apiPrefix: '/v1/' as const, apiKeyEnv: plan.serving.apiKeyEnv, otherPathStatus: 404 as const, unauthorizedStatus: 401 as const };
    expect(head).toEqual(k8s(bindBehindFront(roleArgv(plan, 'head'), front)));
    for (const port of multi.clusterPorts) expect(head.join(' ')).toContain(String(port));
  });
});

describe('apiFrontConfigHash', () => {
  const cm = (data: Record<string, string>): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {}, data });
  test('FNV-1a: no data hashes to the 32-bit offset basis 0x811c9dc5 (http://www.isthe.com/chongo/tech/comp/fnv/)', () => {
    expect(apiFrontConfigHash(cm({}))).toBe('811c9dc5');
  });
  test('any changed key or value changes it; key order does not', () => {
    const base = apiFrontConfigHash(cm({ 'nginx.conf': 'listen 8000;', t: 'x' }));
    expect(apiFrontConfigHash(cm({ t: 'x', 'nginx.conf': 'listen 8000;' }))).toBe(base);
    const others: Record<string, string>[] = [{ 'nginx.conf': 'listen 8001;', t: 'x' }, { 'nginx.conf': 'listen 8000;', t: 'y' }, { 'nginx.conf': 'listen 8000;', u: 'x' }, { 'nginx.conf': 'listen 8000;t', '': 'x' }];
    for (const other of others) expect(apiFrontConfigHash(cm(other))).not.toBe(base);
  });
  test('two plans whose fronts differ (vLLM on 8000, SGLang on 30000 with /health_generate) annotate differently', () => {
    const hashOf = (objs: WorkloadObject[]) => apiFrontConfigHash(objs.find((o): o is ConfigMap => o.kind === 'ConfigMap')!);
    expect(hashOf(local(CASES[0]![1]))).not.toBe(hashOf(local(CASES[1]![1])));
  });
});

describeWithTool('nginx', 'nginx -t and a live run of the Kubernetes front\'s ConfigMap')('nginx runs the rendered ConfigMap', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepseek-k8s-front-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // SGLang on one node: the config with the extra readiness location.
  const r = TABLE[1]![1]();

  /** The ConfigMap's nginx.conf with only machine-local paths (and, live, the ports) replaced. */
  const localConfig = (listen?: number, upstream?: number): string => {
    writeFileSync(join(dir, 'api-key.map'), r.keyMap);
    let text = r.config.split(API_FRONT_KEY_MAP_PATH).join(join(dir, 'api-key.map')).split(API_FRONT_READ_ONLY_PID_PATH).join(join(dir, 'nginx.pid'));
    if (listen !== undefined) text = text.replace(`listen ${r.plan.serving.port};`, `listen 127.0.0.1:${listen};`).split(`127.0.0.1:${r.plan.serving.port + 1}`).join(`127.0.0.1:${upstream}`);
    const conf = join(dir, `nginx-${listen ?? 'check'}.conf`);
    writeFileSync(conf, text);
    return conf;
  };

  test('nginx -t', () => {
    const t = runTool('nginx', ['-t', '-p', dir, '-c', localConfig()]);
    expect(t.stderr).toContain('test is successful');
    expect(t.status).toBe(0);
  });

  describe('live', () => {
    let front: LiveFront;
    beforeAll(async () => {
      front = await startLiveFront({ dir, config: ({ listenPort, enginePort }) => localConfig(listenPort, enginePort) });
    });
    afterAll(() => front?.stop());

    test.each([
      ['/health', undefined, 200],
      ['/health_generate', undefined, 200],
      ['/v1/chat/completions', `Bearer ${KEY}`, 200],
      ['/v1/chat/completions', undefined, 401],
      ['/generate', `Bearer ${KEY}`, 404],
      ['/metrics', undefined, 404],
      ['/v1/../metrics', `Bearer ${KEY}`, 404],
    ] as [string, string | undefined, number][])('%s with %s → %d', async (path, auth, status) => {
      const got = await front.get(path, auth);
      expect(got.status).toBe(status);
      if (status === 200) expect(got.body).toBe(`engine ${path}`);
      else expect(got.body).not.toContain('engine');
    });
  });
});
