/**
 * Where adapters mount the weights volume inside the engine container. Its own file so that the GPU
 * planner (planner.ts) and the CPU planner (cpu.ts), which the GPU planner calls, share it without
 * importing each other.
 */
export const MODEL_MOUNT_PATH = '/models';
