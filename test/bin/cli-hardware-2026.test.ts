import { runCli as cli } from './run-cli';

/* CLI views of the 2026 hardware and the `custom` grammar of --local-gpus (docs/hardware-2026.md). */
describe('gpus --json / instances --json list the 2026 hardware', () => {
  test('gpus --json: memory as the driver shows it, bandwidth, BF16/FP8/FP4 TFLOPS, link kind, nativeFp4', () => {
    const list = JSON.parse(cli('gpus', '--json').stdout);
    const ids = list.map((g: any) => g.id);
    expect(ids).toEqual(expect.arrayContaining(['b300', 'gb200', 'gb300', 'rtx-pro-6000', 'h20', 'h800', 'l20', 'mi325x', 'mi355x']));
    // RTX PRO 6000: CUDA total 97,250 MiB; 1,792 GB/s; FP4 2,000 dense (4,000 sparse ÷ 2); PCIe.
    expect(list.find((g: any) => g.id === 'rtx-pro-6000')).toMatchObject({
      visibleMemoryBytes: 97_250 * 2 ** 20, memoryBandwidthGBps: 1_792, fp4DenseTflops: 2_000, nativeFp4: true, interconnectKind: 'pcie',
    });
    expect(list.find((g: any) => g.id === 'h20')).toMatchObject({ nativeFp4: false, nativeFp8: true, interconnectKind: 'nvlink' });
    expect(list.find((g: any) => g.id === 'mi355x')).toMatchObject({ nativeFp4: true, interconnectKind: 'xgmi' });
  });

  test('instances --json: g7e prices and the arm64 Capacity-Block types', () => {
    const list = JSON.parse(cli('instances', '--json').stdout);
    const get = (t: string) => list.find((i: any) => i.instanceType === t);
    // Karpenter zz_generated.pricing_aws.go @1d92708 (generated 2026-07-20): "g7e.2xlarge": 3.363120.
    expect(get('g7e.2xlarge')).toMatchObject({ gpu: 'rtx-pro-6000', gpuCount: 1, hourlyUsd: 3.36312, cpuArchitecture: 'x86_64', purchase: 'on-demand' });
    expect(get('p6-b300.48xlarge')).toMatchObject({ gpu: 'b300', gpuCount: 8, hourlyUsd: 142.416 });
    expect(get('p6e-gb200.36xlarge')).toMatchObject({ gpu: 'gb200', gpuCount: 4, cpuArchitecture: 'arm64', purchase: 'capacity-block' });
    expect(get('p6e-gb200.36xlarge').hourlyUsd).toBeUndefined();
  });
});

describe('--local-gpus custom:…', () => {
  test('the count may stand anywhere: custom:mem=48:bw=864:fp8:4 = custom:4:mem=48:bw=864:fp8', () => {
    const a = JSON.parse(cli('plan', '--model', 'deepseek-r1-distill-qwen-32b', '--target', 'local', '--local-gpus', 'custom:mem=48:bw=864:fp8:4', '--json').stdout);
    const b = JSON.parse(cli('plan', '--model', 'deepseek-r1-distill-qwen-32b', '--target', 'local', '--local-gpus', 'custom:4:mem=48:bw=864:fp8', '--json').stdout);
    expect(a.topology).toEqual(b.topology);
    expect(a.topology).toMatchObject({ gpu: 'custom', gpusPerNode: 4 });
    expect(a.warnings.join(' ')).toMatch(/planned on a described GPU; assumed/);
  });

  test('errors name the field, the value and what is allowed', () => {
    const noMem = cli('plan', '--model', 'deepseek-r1-distill-qwen-32b', '--target', 'local', '--local-gpus', 'custom:4');
    expect(noMem.code).toBe(2);
    expect(noMem.stderr).toMatch(/localHosts\[0\]\.customGpu.*customGpu\.memoryGiB/);
    const badMem = cli('plan', '--model', 'deepseek-r1-distill-qwen-32b', '--target', 'local', '--local-gpus', 'custom:4:mem=lots');
    expect(badMem.stderr).toMatch(/localHosts\[0\]\.customGpu\.memoryGiB.*"lots"/);
    const badLink = cli('plan', '--model', 'deepseek-r1-distill-qwen-32b', '--target', 'local', '--local-gpus', 'custom:4:mem=48:link=ib');
    expect(badLink.stderr).toMatch(/link must be one of: pcie, nvlink, xgmi/);
    const misplaced = cli('plan', '--model', 'deepseek-r1-distill-qwen-32b', '--target', 'local', '--local-gpus', 'h100:8:mem=80,custom:2:mem=48:speed=9');
    expect(misplaced.stderr).toMatch(/localHosts\[0\].*"mem=80" describes a GPU that is not in the catalog; use it with custom/);
    expect(misplaced.stderr).toMatch(/localHosts\[1\].*unknown host attribute "speed=9"; allowed: .*mem=GiB, bw=GB\/s, fp8, fp4/);
    const twice = cli('plan', '--model', 'deepseek-r1-distill-qwen-32b', '--target', 'local', '--local-gpus', 'h100:8:4');
    expect(twice.stderr).toMatch(/two GPU counts \(8 and 4\)/);
  });
});

describe('--capacity-blocks', () => {
  test('lets a GB200 plan through, on arm64, with the Capacity Block note', () => {
    const refused = cli('plan', '--model', 'deepseek-r1', '--gpu', 'gb200');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--capacity-blocks/);
    const p = JSON.parse(cli('plan', '--model', 'deepseek-r1', '--gpu', 'gb200', '--capacity-blocks', '--json').stdout);
    expect(p.topology).toMatchObject({ instanceType: 'p6e-gb200.36xlarge', cpuArchitecture: 'arm64' });
    expect(p.warnings.join(' ')).toMatch(/Capacity Blocks/);
  });
});
