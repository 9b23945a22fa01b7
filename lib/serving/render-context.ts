/**
 * What every engine renderer receives besides the LaunchInput: the chosen profile and image, the
 * checkpoint flags, the batch cap, and the fields that identify the release in the launch.
 */
import type { BatchCap } from './batch';
import type { CheckpointArgs } from './checkpoint';
import type { ProfileChoice } from './profiles';
import type { ServingLaunch } from './types';

/**
 * A ServingLaunch that may also replace the image's ENTRYPOINT. It is needed where the image's
 * entrypoint is the engine itself but the container must run something else first (vLLM over Ray:
 * `ray start` before `vllm serve`), or where the entrypoint is not verified (the launch then names the program).
 */
export interface RenderedLaunch extends ServingLaunch {
  /**
   * Replaces the image's ENTRYPOINT for head and worker containers; `[]` clears it so `command` /
   * `workerCommand` are complete argv (docker `--entrypoint ''`, compose `entrypoint: []`, k8s `command:`).
   * Absent: keep the image's ENTRYPOINT.
   */
  readonly entrypoint?: readonly string[];
}

/** Fields of the launch that name the release and image. */
export interface LaunchIdentity {
  readonly image: string;
  readonly engineVersion: string;
  readonly profile: string;
  readonly efaLibraries: boolean;
}

export interface RenderContext {
  readonly choice: ProfileChoice;
  readonly ckpt: CheckpointArgs;
  readonly batch: BatchCap;
  readonly identity: LaunchIdentity;
}
