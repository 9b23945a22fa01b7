/**
 * Container requirements per engine × vendor × node count, written out from the sources in
 * container.ts: vLLM Docker docs (--ipc=host), AMD ROCm docker options (/dev/kfd, /dev/dri, video and
 * render groups, SYS_PTRACE, seccomp=unconfined, 16 GiB shm), RDMA multi-node (host network,
 * memlock unlimited, /dev/infiniband), SGLang's compose (stack 67108864).
 */
import { containerRequirements } from '../../lib/serving';
import type { ContainerRequirements } from '../../lib/serving/types';

const none = { devices: [], groupAdd: [], capAdd: [], securityOpt: [] };

describe('containerRequirements', () => {
  test.each<{ name: string; args: Parameters<typeof containerRequirements>; expected: ContainerRequirements }>([
    {
      name: 'vLLM on NVIDIA, one node',
      args: ['vllm', 'nvidia', 1],
      expected: { ...none, ipcHost: true, shmSizeGiB: 16, hostNetwork: false, privileged: false, gpuRuntime: 'nvidia', ulimits: {} },
    },
    {
      name: 'vLLM on NVIDIA, two nodes',
      args: ['vllm', 'nvidia', 2],
      expected: { ...none, devices: ['/dev/infiniband'], ipcHost: true, shmSizeGiB: 16, hostNetwork: true, privileged: false, gpuRuntime: 'nvidia', ulimits: { memlock: '-1' } },
    },
    {
      name: 'SGLang on MI300X, one node',
      args: ['sglang', 'amd', 1],
      expected: {
        devices: ['/dev/kfd', '/dev/dri'], groupAdd: ['video', 'render'], capAdd: ['SYS_PTRACE'], securityOpt: ['seccomp=unconfined'],
        ipcHost: true, shmSizeGiB: 16, hostNetwork: false, privileged: false, gpuRuntime: 'rocm', ulimits: { stack: '67108864' },
      },
    },
    {
      name: 'SGLang on MI300X, two nodes',
      args: ['sglang', 'amd', 2],
      expected: {
        devices: ['/dev/kfd', '/dev/dri', '/dev/infiniband'], groupAdd: ['video', 'render'], capAdd: ['SYS_PTRACE'], securityOpt: ['seccomp=unconfined'],
        ipcHost: true, shmSizeGiB: 16, hostNetwork: true, privileged: false, gpuRuntime: 'rocm', ulimits: { memlock: '-1', stack: '67108864' },
      },
    },
    {
      name: 'llama.cpp on CPU: one process, no shared memory, no devices',
      args: ['llamacpp', 'cpu', 1],
      expected: { ...none, ipcHost: false, shmSizeGiB: 0, hostNetwork: false, privileged: false, gpuRuntime: 'none', ulimits: {} },
    },
  ])('$name', ({ args, expected }) => {
    expect(containerRequirements(...args)).toEqual(expected);
  });
});
