import { runCli as cli } from './run-cli';

describe('--local-gpus inventory: GPU:COUNT[:ram=GiB][:disk=GB][:ib|:eth] per host', () => {
  test('two InfiniBand 8×H100 hosts run R1 FP8 as TP 8 × PP 2 (SGLang docs: 2×8 H100)', () => {
    const r = cli('plan', '--model', 'deepseek-r1', '--target', 'local', '--local-gpus', 'h100:8:ib,h100:8:ib', '--data-parallel-size', '1', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).topology).toMatchObject({ nodes: 2, tensorParallelSize: 8, pipelineParallelSize: 2, interconnect: 'infiniband' });
  });

  test('hosts on plain Ethernet are not combined for tensor/pipeline traffic', () => {
    const r = cli('plan', '--model', 'deepseek-r1', '--target', 'local', '--local-gpus', 'h100:8:eth,h100:8:eth');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/multi-node needs EFA or InfiniBand/);
  });

  test('a host whose free disk cannot hold the checkpoint is refused: R1 FP8 needs 688.5 GB × 1.15 = 792 GB', () => {
    const r = cli('plan', '--model', 'deepseek-r1', '--target', 'local', '--local-gpus', 'mi300x:8:disk=300');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has 300 GB of free disk; the checkpoint needs 792 GB/);
  });

  test('a count is required and unknown attributes are named', () => {
    expect(cli('plan', '--model', 'deepseek-r1', '--target', 'local', '--local-gpus', 'mi300x').stderr).toMatch(/localHosts\[0\]\.gpuCount.*write GPU:COUNT/);
    expect(cli('plan', '--model', 'deepseek-r1', '--target', 'local', '--local-gpus', 'mi300x:8:fast').stderr).toMatch(/unknown host attribute "fast".*allowed: ram=GiB, disk=GB, ib, eth/);
  });

  test('assumed host facts are stated as warnings', () => {
    const p = JSON.parse(cli('plan', '--model', 'deepseek-r1-distill-llama-8b', '--target', 'local', '--local-gpus', 'l40s:1', '--json').stdout);
    expect(p.warnings.join(' ')).toMatch(/assumed 2000 GB of free disk, 1024 GiB of RAM/);
  });
});
