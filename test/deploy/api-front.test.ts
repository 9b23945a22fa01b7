/**
 * Issue 13 §3: only the OpenAI-compatible paths (with the key) and the health path (without it)
 * reach the engine. The rendered nginx configuration is parsed and its routing evaluated with
 * nginx's documented location rules (exact `=` match first, then the longest prefix:
 * https://nginx.org/en/docs/http/ngx_http_core_module.html#location); where nginx is installed,
 * `nginx -t` checks it and a real nginx serves it in front of a stand-in engine.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planDeployment } from '../../lib/plan/planner';
import {
  apiFrontKeyMap, apiFrontKeyTemplate, apiFrontOpenPaths, apiFrontSpec, bindBehindFront, probedApiFrontSpec, renderApiFrontConfig, type ApiFrontSpec,
} from '../../lib/deploy/api-front';
import { engineContainer } from '../../lib/deploy/container-run';
import { describeWithTool, runTool } from '../helpers/tools';
import { startLiveFront, type LiveFront } from '../helpers/live-front';
import { find, parse, route, type Outcome } from './kubernetes/nginx-route';

const single = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
const KEY = 'sk-test_Key.1~+/=';

describe('the rendered front admits the API with the key and the health path, nothing else', () => {
  const spec = apiFrontSpec(single);
  const config = renderApiFrontConfig(spec);
  // The envsubst of the image: the key variable replaced by its value.
  const keyMap = apiFrontKeyTemplate(spec).replace(`\${${single.serving.apiKeyEnv}}`, KEY);
  const engine = { proxy: 'http://127.0.0.1:8001' }; // the plan's port 8000 + 1, loopback

  test('the template renders to the key map the tests assume', () => {
    expect(keyMap).toBe(apiFrontKeyMap(KEY));
  });

  test.each([
    ['/v1/chat/completions', `Bearer ${KEY}`, engine],
    ['/v1/models', `Bearer ${KEY}`, engine],
    ['/health', undefined, engine],
    ['/v1/chat/completions', undefined, { status: 401 }],
    ['/v1/chat/completions', `Bearer ${KEY}x`, { status: 401 }],
    ['/v1/chat/completions', `bearer ${KEY}`, { status: 401 }],
    ['/v1/chat/completions', KEY, { status: 401 }],
    ['/invocations', `Bearer ${KEY}`, { status: 404 }],
    ['/metrics', undefined, { status: 404 }],
    ['/metrics', `Bearer ${KEY}`, { status: 404 }],
    ['/tokenize', `Bearer ${KEY}`, { status: 404 }],
    ['/pooling', undefined, { status: 404 }],
    ['/score', undefined, { status: 404 }],
    ['/healthz', undefined, { status: 404 }],
    ['/health/x', undefined, { status: 404 }],
    ['/v1', `Bearer ${KEY}`, { status: 404 }],
  ] as [string, string | undefined, Outcome][])('%s with %s → %j', (path, auth, outcome) => {
    expect(route(config, keyMap, path, auth)).toEqual(outcome);
  });

  test('listens on the plan\'s port; the engine behind it on loopback', () => {
    const server = find(find(parse(config), 'http')[0]!.block!, 'server')[0]!.block!;
    expect(find(server, 'listen')[0]!.args).toEqual([String(single.serving.port)]);
    expect(spec.engineHost).toBe('127.0.0.1');
  });

  test('keys outside RFC 6750\'s b64token are refused (they could break out of the quoted map key)', () => {
    for (const bad of ['a"b', 'a b', 'a;b', '', 'a\nb', '$x']) expect(() => apiFrontKeyMap(bad)).toThrow(/b64token/);
  });
});

describe('the probed front (Kubernetes) also opens the engine\'s readiness path, nothing more', () => {
  // SGLang's readiness check is /health_generate (lib/serving/sglang.ts; https://docs.sglang.io/basic_usage/native_api.html);
  // vLLM's is /health, the health path itself.
  const sglang = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b', engine: 'sglang' });
  const keyMap = apiFrontKeyMap(KEY);

  test('SGLang: /health_generate passes without the key; the plain front (EC2, compose) keeps it closed', () => {
    const probed = renderApiFrontConfig(probedApiFrontSpec(sglang), { keyMapPath: 'k' });
    const plain = renderApiFrontConfig(apiFrontSpec(sglang), { keyMapPath: 'k' });
    const engine = { proxy: `http://127.0.0.1:${sglang.serving.port + 1}` };
    expect(route(probed, keyMap, '/health_generate')).toEqual(engine);
    expect(route(probed, keyMap, '/health')).toEqual(engine);
    expect(route(plain, keyMap, '/health_generate')).toEqual({ status: 404 });
    for (const path of ['/metrics', '/get_server_info', '/generate', '/flush_cache', '/health_generate/x']) expect(route(probed, keyMap, path, `Bearer ${KEY}`)).toEqual({ status: 404 });
  });

  test('vLLM: readiness is the health path, so the probed front is the plain one', () => {
    expect(probedApiFrontSpec(single)).toEqual(apiFrontSpec(single));
    expect(apiFrontOpenPaths(probedApiFrontSpec(single))).toEqual(['/health']);
    expect(renderApiFrontConfig(probedApiFrontSpec(single))).toBe(renderApiFrontConfig(apiFrontSpec(single)));
  });

  test('pidPath sets the pid file first; without it the config has no pid directive', () => {
    expect(renderApiFrontConfig(apiFrontSpec(single), { pidPath: '/tmp/nginx.pid' }).split('\n')[0]).toBe('pid /tmp/nginx.pid;');
    expect(renderApiFrontConfig(apiFrontSpec(single))).not.toMatch(/^pid /m);
  });
});

describe('the engine binds loopback behind the front', () => {
  const plans = [
    ['vLLM single node', single],
    ['vLLM multi-node head', planDeployment({ model: 'deepseek-v3', engine: 'vllm', gpus: ['h100'] })],
    ['SGLang single node', planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b', engine: 'sglang' })],
    ['SGLang multi-node head', planDeployment({ model: 'deepseek-v3', engine: 'sglang', gpus: ['h100'] })],
  ] as const;

  test.each(plans)('%s: argv binds 127.0.0.1 on the port above the plan\'s, host network, nothing published', (_name, plan) => {
    const front = apiFrontSpec(plan);
    const c = engineContainer(plan, 0, { front });
    const text = c.argv.join(' ');
    expect(text).toContain(`--host 127.0.0.1`);
    expect(text).toContain(`--port ${plan.serving.port + 1}`);
    expect(text).not.toContain('0.0.0.0');
    expect(text).not.toMatch(new RegExp(`--port ${plan.serving.port}(\\D|$)`));
    expect(c.dockerOptions.join(' ')).toContain('--network host');
    expect(c.dockerOptions).not.toContain('-p');
  });

  test('without the front the engine keeps the plan\'s socket (other adapters)', () => {
    expect(engineContainer(single, 0).argv.join(' ')).toContain(`--host 0.0.0.0 --port ${single.serving.port}`);
  });

  test('llama-server style argv (lib/serving/llamacpp.ts passes --host and --port as words)', () => {
    expect(bindBehindFront(['-m', 'm.gguf', '--host', '0.0.0.0', '--port', '8080'], { ...apiFrontSpec(single), enginePort: 8081 })).toEqual(['-m', 'm.gguf', '--host', '127.0.0.1', '--port', '8081']);
  });

  test('an argv without --host is an error, not an open engine', () => {
    expect(() => bindBehindFront(['--port', '8000'], apiFrontSpec(single))).toThrow(/--host/);
  });
});

describeWithTool('nginx', 'nginx -t and a live run of the API front')('nginx accepts and enforces the rendered front', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepseek-front-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (spec: ApiFrontSpec): string => {
    writeFileSync(join(dir, 'api-key.map'), apiFrontKeyMap(KEY));
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, renderApiFrontConfig(spec, { keyMapPath: join(dir, 'api-key.map'), listenAddress: '127.0.0.1' }));
    return conf;
  };

  test('nginx -t', () => {
    const r = runTool('nginx', ['-t', '-p', dir, '-c', write(apiFrontSpec(single)), '-g', `pid ${join(dir, 'nginx.pid')};`]);
    expect(r.stderr).toContain('test is successful');
    expect(r.status).toBe(0);
  });

  describe('live', () => {
    let front: LiveFront;
    beforeAll(async () => {
      front = await startLiveFront({
        dir, globals: `pid ${join(dir, 'live.pid')};`,
        config: ({ listenPort, enginePort }) => write({ ...apiFrontSpec(single), listenPort, enginePort }),
      });
    });
    afterAll(() => front?.stop());

    test.each([
      ['/v1/chat/completions', `Bearer ${KEY}`, 200],
      ['/health', undefined, 200],
      ['/v1/chat/completions', undefined, 401],
      ['/v1/chat/completions', 'Bearer wrong', 401],
      ['/invocations', `Bearer ${KEY}`, 404],
      ['/metrics', `Bearer ${KEY}`, 404],
      ['/tokenize', undefined, 404],
      ['/v1/../metrics', `Bearer ${KEY}`, 404],
      ['/v1/%2e%2e/metrics', `Bearer ${KEY}`, 404],
    ] as [string, string | undefined, number][])('%s with %s → %d', async (path, auth, status) => {
      const r = await front.get(path, auth);
      expect(r.status).toBe(status);
      if (status === 200) expect(r.body).toBe(`engine ${path}`);
      else expect(r.body).not.toContain('engine');
    });
  });
});
