/** docker run options and argv per rank, from the plan's serving launch. */
import { planDeployment } from '../../lib/plan/planner';
import { deploymentEnv, engineContainer } from '../../lib/deploy/container-run';

describe('engineContainer', () => {
  test('single node vLLM: GPUs, host IPC, the port published, the plan command under the image entrypoint', () => {
    const plan = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
    const c = engineContainer(plan, 0);
    expect(c.image).toBe(plan.serving.image);
    expect(c.dockerOptions).toEqual(['--gpus', 'all', '--ipc', 'host', '-p', '8000:8000']);
    expect(c.argv).toEqual(plan.serving.command);
    expect(c.modelMountPath).toBe('/models');
    expect(c.servesApi).toBe(true);
    expect(c.hostIpEnv).toBeUndefined();
  });

  test('vLLM over Ray: host network, RDMA devices, memlock, EFA env, entrypoint cleared; head vs worker argv', () => {
    // TP × PP pinned: unpinned, the planner runs data-parallel attention (vLLM's own multi-node DP, no Ray).
    const plan = planDeployment({ model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'], dataParallelSize: 1 });
    const head = engineContainer(plan, 0);
    const worker = engineContainer(plan, 1);
    for (const c of [head, worker]) {
      expect(c.dockerOptions).toEqual(expect.arrayContaining(['--network', 'host', '--device', '/dev/infiniband', '--ulimit', 'memlock=-1', '-e', 'FI_PROVIDER=efa', '-e', 'NCCL_SOCKET_IFNAME=^lo,docker0', '--entrypoint=']));
      expect(c.dockerOptions).not.toContain('-p');
      expect(c.hostIpEnv).toBe('VLLM_HOST_IP');
    }
    expect(head.argv).toEqual(plan.serving.multiNode!.headCommand);
    expect(worker.argv).toEqual(plan.serving.multiNode!.workerCommand);
    expect(worker.argv.join(' ')).toContain('${HEAD_ADDR}');
    expect(head.servesApi).toBe(true);
    expect(worker.servesApi).toBe(false);
  });

  test('SGLang multi-node: worker argv carries both node variables, no VLLM_HOST_IP', () => {
    const plan = planDeployment({ model: 'deepseek-v3', engine: 'sglang', gpus: ['h100'] });
    expect(plan.topology.nodes).toBeGreaterThan(1);
    const worker = engineContainer(plan, 1);
    expect(worker.argv.join(' ')).toContain('--node-rank ${NODE_RANK}');
    expect(worker.argv.join(' ')).toContain('${HEAD_ADDR}:20000');
    expect(worker.hostIpEnv).toBeUndefined();
    // The SGLang image has no server entrypoint: the command is complete, nothing to clear.
    expect(worker.dockerOptions.some((o) => o.startsWith('--entrypoint'))).toBe(false);
  });

  test('deploymentEnv is empty for one node', () => {
    expect(deploymentEnv(planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' }))).toEqual({});
  });
});
