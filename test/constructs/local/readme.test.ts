import { renderReadme } from '../../../constructs/local/readme';
import { planDeployment } from '../../../lib';
import { planOf } from './shapes';

describe('output README', () => {
  test('single host: the plan, the files and the compose/systemd steps with the API key variable', () => {
    const plan = planOf('amd-8gpu');
    const text = renderReadme(plan, { files: ['compose.yaml', 'deepseek-r1.service', 'preflight.sh'] });
    expect(text).toMatch(/^# DeepSeek-R1 on 8 × mi300x\n/);
    expect(text).toContain('- `compose.yaml`: Docker Compose file');
    expect(text).toContain('- `deepseek-r1.service`: systemd unit');
    expect(text).toContain('`hf download deepseek-ai/DeepSeek-R1 --local-dir /srv/models/deepseek-r1`');
    expect(text).toContain('echo "VLLM_API_KEY=$(openssl rand -hex 32)" > .env');
    expect(text).toContain('`docker compose up -d`');
    expect(text).toContain('/etc/deepseek-iac/deepseek-r1.env');
    expect(text).toContain('TP 8 × PP 1');
  });

  test('several hosts: head and worker commands with HEAD_ADDR and NODE_RANK', () => {
    const text = renderReadme(planOf('nvidia-multi'), { files: [] });
    expect(text).toContain('docker compose --profile head up -d');
    expect(text).toContain('HEAD_ADDR=<head address> NODE_RANK=<1..1> docker compose --profile worker up -d');
    expect(text).toContain('Weights (on every node)');
  });

  test('Kubernetes: Secret, LWS controller, apply, fill the claim, port-forward', () => {
    const text = renderReadme(planOf('nvidia-multi'), { kubernetes: true, files: ['kubernetes.yaml', 'preflight.sh'] });
    expect(text).toContain('kubectl create secret generic deepseek-r1-api-key --from-literal=api-key=');
    expect(text).toContain('Install the LeaderWorkerSet controller');
    expect(text).toContain('`hf download deepseek-ai/DeepSeek-R1 --local-dir /models/deepseek-r1`');
    expect(text).toContain('kubectl port-forward svc/deepseek-r1 8000:8000');
  });

  test('CPU: the GGUF file to provide and the llama.cpp port', () => {
    const text = renderReadme(planOf('cpu'), { files: [] });
    expect(text).toContain('/models/deepseek-r1/deepseek-r1-Q4_K_M.gguf');
    expect(text).toContain('curl -fsS http://127.0.0.1:8080/health');
    expect(text).toContain('LLAMA_API_KEY=');
  });

  test('a BF16 plan of an FP8 release says to convert, not to download as is', () => {
    // R1 ships FP8; bf16 on 8 × MI300X stores a 16-bit conversion (lib/sizing/storage checkpointFor).
    const plan = planDeployment({ model: 'deepseek-r1', precision: 'bf16', target: 'local', localHosts: [{ gpu: 'mi300x', gpuCount: 8 }] });
    expect(renderReadme(plan, { files: [] })).toContain('convert the FP8 release to bf16');
  });
});
