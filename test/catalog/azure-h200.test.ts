/** The ND H200 v5 row: 8 × H200 141 GB with InfiniBand, unpriced until a price is given. */
import { getInstance, withPriceOverrides, INSTANCES } from '../../lib/catalog/instances';
import { planDeployment } from '../../lib/plan/planner';

test('Standard_ND96isr_H200_v5: 8 × h200, 141 GiB each (= 144,384 MiB, as EC2 reports H200), InfiniBand, no price', () => {
  const i = getInstance('Standard_ND96isr_H200_v5');
  expect(i).toMatchObject({ target: 'azure', gpu: 'h200', gpuCount: 8, gpuMemoryMiB: 141 * 1024, vcpus: 96, interconnect: 'infiniband' });
  expect(i?.hourlyUsd).toBeUndefined();
});

test('an R1 FP8 plan on it says it is unpriced until --price / priceOverrides is given', () => {
  const plan = planDeployment({ model: 'deepseek-r1', precision: 'fp8', target: 'azure', gpus: ['h200'] });
  expect(plan.topology.instanceType).toBe('Standard_ND96isr_H200_v5');
  expect(plan.cost.hourlyUsd).toBeUndefined();
  expect(plan.warnings.join('\n')).toContain('Standard_ND96isr_H200_v5 has no confirmed on-demand price');
  const priced = planDeployment({ model: 'deepseek-r1', precision: 'fp8', target: 'azure', gpus: ['h200'], priceOverrides: { Standard_ND96isr_H200_v5: 100 } });
  expect(priced.cost.hourlyUsd).toBe(100);
  expect(withPriceOverrides(INSTANCES, { Standard_ND96isr_H200_v5: 100 }).find((r) => r.instanceType === 'Standard_ND96isr_H200_v5')?.priceRegion).toBe('caller');
});
