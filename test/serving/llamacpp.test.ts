/**
 * llama.cpp argv per hardware. Expected argv written by hand from the llama.cpp server README and the
 * facts file's typical command (`-m <file.gguf> --host 0.0.0.0 --port 8080 -c <ctx> -t <threads>
 * -np <slots> --jinja`); arguments follow the image ENTRYPOINT /app/llama-server.
 */
import { renderLaunch } from '../../lib/serving';
import { IMAGES, launchInput } from './helpers';

const GGUF = '/models/DeepSeek-V3-Q4_K_M/DeepSeek-V3-Q4_K_M-00001-of-00009.gguf';

describe('llama.cpp', () => {
  test.each([
    {
      name: 'CPU, GGUF as modelPath, 96 threads',
      input: launchInput({ engine: 'llamacpp', gpuVendor: 'cpu', gpusPerNode: 0, tensorParallelSize: 1, modelPath: GGUF, precision: 'int4', contextTokens: 8192, concurrency: 4, cpuThreads: 96, port: 8080 }),
      image: IMAGES.llamacppCpu,
      // -c is the total over slots: 8192 tokens × 4 slots = 32768.
      command: ['-m', GGUF, '--alias', 'deepseek-v3', '--host', '0.0.0.0', '--port', '8080', '-c', '32768', '-np', '4', '-t', '96', '--jinja'],
      gpuRuntime: 'none',
      devices: [] as string[],
    },
    {
      name: 'NVIDIA, ggufFile given: all layers offloaded',
      input: launchInput({ engine: 'llamacpp', gpusPerNode: 8, ggufFile: GGUF, precision: 'int4', contextTokens: 4096, concurrency: 2, port: 8080 }),
      image: IMAGES.llamacppCuda,
      // 4096 × 2 = 8192.
      command: ['-m', GGUF, '--alias', 'deepseek-v3', '--host', '0.0.0.0', '--port', '8080', '-c', '8192', '-np', '2', '-ngl', '999', '--jinja'],
      gpuRuntime: 'nvidia',
      devices: [] as string[],
    },
    {
      name: 'MI300X, ggufFile given: ROCm image and devices',
      input: launchInput({ engine: 'llamacpp', gpuVendor: 'amd', gpusPerNode: 8, ggufFile: GGUF, precision: 'int4', contextTokens: 16384, concurrency: 1, port: 8081 }),
      image: IMAGES.llamacppRocm,
      command: ['-m', GGUF, '--alias', 'deepseek-v3', '--host', '0.0.0.0', '--port', '8081', '-c', '16384', '-np', '1', '-ngl', '999', '--jinja'],
      gpuRuntime: 'rocm',
      devices: ['/dev/kfd', '/dev/dri'],
    },
  ])('$name', ({ input, image, command, gpuRuntime, devices }) => {
    const launch = renderLaunch(input);
    expect(launch.image).toBe(image);
    expect(launch.command).toEqual(command);
    expect(launch.env).toEqual({});
    expect(launch.apiKeyEnv).toBe('LLAMA_API_KEY');
    expect(launch.healthPath).toBe('/health');
    expect(launch.readinessPath).toBe('/health');
    expect(launch.container.gpuRuntime).toBe(gpuRuntime);
    expect(launch.container.devices).toEqual(devices);
    expect(launch.container.ipcHost).toBe(false);
    expect(launch.multiNode).toBeUndefined();
  });
});
