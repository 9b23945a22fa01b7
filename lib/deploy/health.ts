/**
 * Health checking: how long a new node may take before the Auto Scaling group judges it, and the
 * load balancer's probe of the engine.
 *
 * The grace period is derived from the checkpoint size with stated assumptions (they are design
 * assumptions, not measurements; a slower link than assumed only makes the node look unhealthy
 * until the download ends, a faster one changes nothing):
 * - boot, storage set-up and the engine image pull: 600 s (instance boot ~2 min; the vLLM/SGLang
 *   images are several GB compressed);
 * - download at 100 MB/s (decimal): below what `aws s3 sync` and the Hugging Face client usually
 *   reach from EC2, so the period errs long;
 * - load from the local disk at 500 MB/s: half of the data volume's provisioned 1000 MiB/s;
 * - engine warm-up (torch.compile, CUDA-graph capture, NCCL set-up): 900 s.
 * Rounded up to whole minutes.
 */
import type { Plan } from '../plan/types';

/** Boot, storage set-up and image pull, seconds. */
export const BOOT_SECONDS = 600;
/** Assumed weight download throughput, bytes per second. */
export const ASSUMED_DOWNLOAD_BYTES_PER_SECOND = 100e6;
/** Assumed weight load throughput from the local disk, bytes per second. */
export const ASSUMED_LOAD_BYTES_PER_SECOND = 500e6;
/** Engine warm-up after the weights are in GPU memory, seconds. */
export const ENGINE_WARMUP_SECONDS = 900;

/**
 * Seconds an Auto Scaling group waits before acting on a new node's health checks.
 * `downloadBytesPerSecond` is the slowest download path a boot may take (weight-cache.ts picks it
 * per model source); the default is the Hugging Face assumption above.
 */
export function healthCheckGraceSeconds(checkpointBytes: number, downloadBytesPerSecond: number = ASSUMED_DOWNLOAD_BYTES_PER_SECOND): number {
  const seconds = BOOT_SECONDS + checkpointBytes / downloadBytesPerSecond + checkpointBytes / ASSUMED_LOAD_BYTES_PER_SECOND + ENGINE_WARMUP_SECONDS;
  return Math.ceil(seconds / 60) * 60;
}

/** Seconds systemd waits before restarting a failed engine (the unit's RestartSec). */
export const ENGINE_RESTART_DELAY_SECONDS = 30;

/**
 * How long the node's watchdog lets the engine fail its health check before the node reports
 * itself unhealthy (and is replaced): a restart reloads the weights from the local disk, so it
 * needs the restart delay, the load at {@link ASSUMED_LOAD_BYTES_PER_SECOND} and the warm-up,
 * rounded up to whole minutes. Auto Scaling judges nodes by EC2 status only: with ELB health checks
 * the load balancer's 90 s of patience replaced a node whose engine was merely reloading.
 */
export function engineRestartGraceSeconds(checkpointBytes: number): number {
  return Math.ceil((ENGINE_RESTART_DELAY_SECONDS + checkpointBytes / ASSUMED_LOAD_BYTES_PER_SECOND + ENGINE_WARMUP_SECONDS) / 60) * 60;
}

/** The target group's probe of the engine (HTTP, on the engine port). */
export interface LoadBalancerHealthCheck {
  readonly protocol: 'HTTP';
  readonly path: string;
  readonly port: number;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

/**
 * Probe the plan's liveness path. The engines answer it without the API key (vLLM guards /v1/*
 * only, SGLang exempts /health*, llama-server's /health is public: docs/reference-keys.md, engines §5), and vLLM only
 * opens its HTTP port once the model is loaded, so a 200 means "serving". Interval 30 s and
 * 3 failures (90 s) before a node is taken out tolerate a GC pause; 2 successes bring it back.
 * These values are within the NLB limits (interval 5–300 s, timeout 2–120 s, thresholds 2–10:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html, confirmed).
 */
export function loadBalancerHealthCheck(plan: Plan): LoadBalancerHealthCheck {
  return {
    protocol: 'HTTP',
    path: plan.serving.healthPath,
    port: plan.serving.port,
    intervalSeconds: 30,
    timeoutSeconds: 10,
    healthyThreshold: 2,
    unhealthyThreshold: 3,
  };
}
