/** Model store prefix and expected load times per path; the grace period follows the slowest path a boot can take. */
import { planDeployment } from '../../lib/plan/planner';
import { parseModelSource } from '../../lib/deploy/model-source';
import { ASSUMED_S3_BYTES_PER_SECOND, modelStorePrefix, weightLoadEstimate } from '../../lib/deploy/weight-cache';
import { healthCheckGraceSeconds } from '../../lib/deploy/health';

const r1 = planDeployment({ model: 'deepseek-r1', precision: 'fp8', maxNodes: 1 });
const HF = parseModelSource('deepseek-ai/DeepSeek-R1');
const S3 = parseModelSource('s3://weights/deepseek-r1');
const NVME = { kind: 'instance-store' } as const;
const EBS = { kind: 'ebs', volumeGiB: 740 } as const;

describe('modelStorePrefix', () => {
  test.each([
    ['deepseek-ai/DeepSeek-R1', 'deepseek-iac/models/deepseek-ai/DeepSeek-R1/default'],
    ['hf://deepseek-ai/DeepSeek-V3@main', 'deepseek-iac/models/deepseek-ai/DeepSeek-V3/main'],
  ])('%s → %s', (source, prefix) => {
    const s = parseModelSource(source);
    if (s.kind !== 'huggingface') throw new Error('expected a Hugging Face source');
    expect(modelStorePrefix(s)).toBe(prefix);
  });
});

describe('weightLoadEstimate', () => {
  // R1 FP8 checkpoint: 688,472,073,792 bytes (plan.storage.checkpointBytes, from the model's tensor inventory).
  const bytes = r1.storage.checkpointBytes;

  test('Hugging Face with a model store: the first boot downloads at 100 MB/s, later boots read S3 at 500 MB/s', () => {
    const e = weightLoadEstimate(r1, { source: HF, storage: NVME, withModelStore: true, dataVolumeThroughputMiBps: 1000 });
    // 688.47 GB / 100 MB/s = 6,884.7 s; / 500 MB/s = 1,376.9 s (download from the store and load from NVMe alike).
    expect(e.firstBoot.source).toBe('huggingface');
    expect(e.firstBoot.downloadSeconds).toBeCloseTo(6884.7, 0);
    expect(e.laterBoots?.source).toBe('model-store');
    expect(e.laterBoots?.downloadSeconds).toBeCloseTo(1376.9, 0);
    // ready = 600 boot + download + 1,376.9 load + 900 warm-up.
    expect(e.firstBoot.readySeconds).toBeCloseTo(600 + 6884.7 + 1376.9 + 900, 0);
    expect(e.laterBoots!.readySeconds).toBeLessThan(e.firstBoot.readySeconds);
    // The grace period covers the first boot (the store may be empty): 9,761.6 s → 163 whole minutes.
    expect(e.graceSeconds).toBe(163 * 60);
    expect(e.graceSeconds).toBe(healthCheckGraceSeconds(bytes));
  });

  test('S3 source: one path at the S3 rate, and a shorter grace period', () => {
    const e = weightLoadEstimate(r1, { source: S3, storage: NVME, withModelStore: true, dataVolumeThroughputMiBps: 1000 });
    expect(e.firstBoot.source).toBe('s3');
    expect(e.laterBoots).toBeUndefined();
    // 600 + 1,376.9 + 1,376.9 + 900 = 4,253.9 s → 71 minutes.
    expect(e.graceSeconds).toBe(71 * 60);
    expect(e.graceSeconds).toBe(healthCheckGraceSeconds(bytes, ASSUMED_S3_BYTES_PER_SECOND));
  });

  test('downloads to EBS are capped by the volume\'s provisioned throughput', () => {
    // A 200 MiB/s volume (209.7 MB/s) is slower than the 500 MB/s S3 assumption and caps it.
    const e = weightLoadEstimate(r1, { source: S3, storage: EBS, withModelStore: false, dataVolumeThroughputMiBps: 200 });
    expect(e.firstBoot.downloadBytesPerSecond).toBe(200 * 2 ** 20);
  });

  test('no store, Hugging Face: one path only', () => {
    expect(weightLoadEstimate(r1, { source: HF, storage: NVME, withModelStore: false, dataVolumeThroughputMiBps: 1000 }).laterBoots).toBeUndefined();
  });
});
