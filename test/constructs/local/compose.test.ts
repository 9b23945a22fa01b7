import { parse } from 'yaml';
import { composeFile, composeInterpolated, renderCompose } from '../../../constructs/local/compose';
import { composeConfigBatch } from '../../helpers/tool-batch';
import { testWithTool } from '../../helpers/tools';
import { GPU_SHAPE_IDS, SHAPES, SHAPE_IDS, planOf, type ShapeId } from './shapes';

/**
 * Acceptance: Debian's docker-compose (v1.29, `apt-get install docker-compose`) validates a file
 * with `config -q` and needs no Docker engine for it. Without the binary these checks are skipped
 * with one visible line; CI installs it and requires it (test/helpers/tools.ts).
 */
const withCompose = testWithTool('docker-compose', 'docker-compose config of the generated compose files');

/** Every file below goes through one docker-compose process (helpers/tool-batch.ts); each test reads its own. */
const composeConfig = composeConfigBatch();
for (const id of SHAPE_IDS) {
  composeConfig.add(id, () => {
    const plan = planOf(id);
    return { yaml: renderCompose(plan), env: { [plan.serving.apiKeyEnv]: 'test-key', HEAD_ADDR: '10.0.0.1', NODE_RANK: '1' } };
  });
}
composeConfig.add('amd-8gpu without the API key', () => ({ yaml: renderCompose(planOf('amd-8gpu')), env: {} }));
composeConfig.add('nvidia-multi without HEAD_ADDR', () => ({ yaml: renderCompose(planOf('nvidia-multi')), env: { VLLM_API_KEY: 'k' } }));

describe('compose.yaml accepted by docker-compose config', () => {
  withCompose.each(SHAPE_IDS)('%s: valid with the API key (and, multi-node, HEAD_ADDR/NODE_RANK) set', (id) => {
    const r = composeConfig.resultOf(id);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  withCompose('without the API key compose refuses to start (an empty key would disable auth)', () => {
    const r = composeConfig.resultOf('amd-8gpu without the API key');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('set VLLM_API_KEY in .env');
  });

  withCompose('a multi-node worker without HEAD_ADDR is refused', () => {
    const r = composeConfig.resultOf('nvidia-multi without HEAD_ADDR');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('HEAD_ADDR');
  });
});

/** The engine services (the API fronts, `<service>-front`, run nginx: see the front tests below). */
const engines = (file: ReturnType<typeof composeFile>) => Object.entries(file.services).filter(([k]) => !k.endsWith('-front')).map(([, v]) => v);

/**
 * The serving argv behind the API front, written out independently of lib/deploy/api-front.ts:
 * `--host 0.0.0.0 --port <p>` becomes loopback one port up (issue 13 §3).
 */
const behindFront = (argv: readonly string[], port: number): string[] =>
  argv.map((a, i) => (argv[i - 1] === '--host' ? '127.0.0.1' : argv[i - 1] === '--port' && a === String(port) ? String(port + 1) : a.replace(`--host 0.0.0.0 --port ${port}`, `--host 127.0.0.1 --port ${port + 1}`)));

describe('compose services per vendor and shape', () => {
  test.each(GPU_SHAPE_IDS.filter((id) => SHAPES[id].vendor === 'nvidia'))('%s: NVIDIA device reservation for every GPU of the node, CUDA image', (id) => {
    const plan = planOf(id);
    const file = composeFile(plan);
    for (const svc of engines(file)) {
      expect(svc.deploy?.resources.reservations.devices).toEqual([{ driver: 'nvidia', count: SHAPES[id].gpusPerNode, capabilities: ['gpu'] }]);
      // CUDA images (lib/serving/profiles): vllm/vllm-openai or lmsysorg/sglang without a -rocm tag, pinned by digest.
      expect(svc.image).toMatch(/^(vllm\/vllm-openai|lmsysorg\/sglang):v[0-9.]+@sha256:[0-9a-f]{64}$/);
      expect(svc.devices ?? []).not.toContain('/dev/kfd');
    }
  });

  test.each(GPU_SHAPE_IDS.filter((id) => SHAPES[id].vendor === 'amd'))('%s: ROCm devices, groups, capability, seccomp and image (docs/reference-keys.md, engines §4)', (id) => {
    const file = composeFile(planOf(id));
    for (const svc of engines(file)) {
      expect(svc.image).toMatch(/^vllm\/vllm-openai-rocm:v[0-9.]+/);
      expect(svc.devices).toEqual(expect.arrayContaining(['/dev/kfd', '/dev/dri']));
      // `render` may be missing from the image's /etc/group: a host GID can replace the name.
      expect(svc.group_add).toEqual(['video', '${RENDER_GID:-render}']);
      expect(svc.cap_add).toContain('SYS_PTRACE');
      expect(svc.security_opt).toContain('seccomp=unconfined');
      expect(svc.ipc).toBe('host');
      expect(svc.deploy).toBeUndefined();
    }
  });

  test('CPU plan: llama.cpp CPU image, no GPU access, no host IPC', () => {
    const svc = composeFile(planOf('cpu')).services.engine;
    expect(svc.image).toMatch(/^ghcr\.io\/ggml-org\/llama\.cpp:server-b\d+$/);
    expect(svc.deploy).toBeUndefined();
    expect(svc.devices).toBeUndefined();
    expect(svc.ipc).toBeUndefined();
    // The engine itself, behind its front: port 8080 + 1.
    expect(svc.healthcheck?.test).toEqual(['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:8081/health']);
  });

  test.each(SHAPE_IDS.filter((id) => SHAPES[id].nodes === 1))('%s: one service with the weights, key, port, health check and restart policy', (id) => {
    const plan = planOf(id);
    const file = composeFile(plan);
    expect(Object.keys(file.services)).toEqual(['engine', 'engine-front']);
    const svc = file.services.engine;
    expect(svc.volumes).toEqual(['${MODELS_DIR:-/srv/models}:/models:ro']);
    expect(svc.environment[plan.serving.apiKeyEnv]).toMatch(new RegExp(`^\\$\\{${plan.serving.apiKeyEnv}:\\?`));
    // Published on this host only by default (issue 13): every interface needs --listen 0.0.0.0.
    expect(svc.ports).toEqual([`127.0.0.1:${plan.serving.port}:${plan.serving.port}`]);
    expect(svc.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${plan.serving.port + 1}/health`);
    expect(svc.restart).toBe('unless-stopped');
    // The argv is the plan's launch bound behind the front (no `$` in these commands to escape).
    expect([...(svc.entrypoint ?? []), ...svc.command]).toEqual(behindFront(plan.serving.command, plan.serving.port));
    expect(svc.command.join(' ')).toContain('--host 127.0.0.1');
    // Issue 13 §3: the front shares the engine's network namespace, where the published port lands.
    const front = file.services['engine-front']!;
    expect(front.network_mode).toBe('service:engine');
    expect(front.image).toMatch(/^nginx:[0-9.]+-alpine@sha256:[0-9a-f]{64}$/);
    expect(front.volumes).toEqual(['./api-front/nginx.conf:/etc/nginx/nginx.conf:ro', './api-front/api-key.map.template:/etc/nginx/templates/api-key.map.template:ro']);
    expect(front.environment[plan.serving.apiKeyEnv]).toBe(svc.environment[plan.serving.apiKeyEnv]);
  });

  test('start period: 600 s + R1 checkpoint (688.5 GB) read at 200 MB/s = 4042 s, rounded up to 4050 s', () => {
    expect(composeFile(planOf('amd-8gpu')).services.engine.healthcheck?.start_period).toBe('4050s');
  });

  test.each(['nvidia-multi', 'nvidia-multi-sglang', 'amd-multi'] as ShapeId[])('%s: head and worker under profiles, host network, RDMA devices, unlimited memlock', (id) => {
    const plan = planOf(id);
    const file = composeFile(plan);
    expect(Object.keys(file.services)).toEqual(['head', 'head-front', 'worker']);
    const { head, worker } = file.services as Record<string, NonNullable<(typeof file.services)[string]>>;
    const front = file.services['head-front']!;
    expect(front.network_mode).toBe('host');
    expect(front.profiles).toEqual(['head']);
    expect([...(head.entrypoint ?? []), ...head.command].join(' ')).toContain(`--host 127.0.0.1 --port ${plan.serving.port + 1}`);
    expect(head.profiles).toEqual(['head']);
    expect(worker.profiles).toEqual(['worker']);
    for (const svc of [head, worker]) {
      expect(svc.network_mode).toBe('host');
      expect(svc.ports).toBeUndefined();
      expect(svc.devices).toContain('/dev/infiniband');
      expect(svc.ulimits?.memlock).toEqual({ soft: -1, hard: -1 });
    }
    // Only the head serves the API and holds the key; the worker joins the head's cluster.
    expect(Object.keys(head.environment)).toContain(plan.serving.apiKeyEnv);
    expect(Object.keys(worker.environment)).not.toContain(plan.serving.apiKeyEnv);
    expect(worker.healthcheck).toBeUndefined();
    expect([...(worker.entrypoint ?? []), ...worker.command].join(' ')).toContain('${HEAD_ADDR:?');
  });

  test('SGLang workers get their rank from NODE_RANK', () => {
    const worker = composeFile(planOf('nvidia-multi-sglang')).services.worker;
    expect(worker.command.join(' ')).toContain('--node-rank ${NODE_RANK:?');
  });
});

describe('compose text', () => {
  test('YAML parses back to the same document and starts with how to run it', () => {
    const plan = planOf('nvidia-multi');
    const text = renderCompose(plan);
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(composeFile(plan))));
    expect(text).toMatch(/^# /);
    expect(text).toContain('docker compose --profile head up -d');
  });

  test('strings YAML 1.1 would read as booleans or numbers stay quoted (docker-compose v1 uses PyYAML)', () => {
    const text = renderCompose(planOf('amd-8gpu'));
    expect(text).toContain('VLLM_ROCM_USE_AITER: "1"');
    expect(text).toMatch(/- "8"\n/);
  });

  test.each([
    ['a literal $ is doubled', 'echo $HOME', 'echo $$HOME'],
    ['the head address node variable becomes a required variable', '--address=${HEAD_ADDR}:6379', '--address=${HEAD_ADDR:?set HEAD_ADDR to the head node address}:6379'],
    ['the rank node variable becomes a required variable', '--node-rank ${NODE_RANK}', '--node-rank ${NODE_RANK:?set NODE_RANK to this worker rank, 1 to nodes-1}'],
    ['other ${VAR} forms are escaped, not interpolated', '${OTHER}', '$${OTHER}'],
  ])('composeInterpolated: %s', (_name, input, expected) => {
    expect(composeInterpolated(input)).toBe(expected);
  });
});
