/** The catalog: models (architecture configs), GPUs, instances and prices, each fact with its source. */
export { GPUS, getGpu, gpuOf } from './gpus';
export { GPU_VISIBLE_MEMORY, visibleBytesOf } from './gpu-visible-memory';
export { customGpu, type CustomGpu } from './custom-gpu';
export { AWS_EC2_ROWS, KARPENTER_COMMIT, KARPENTER_PRICING_GENERATED_AT } from './aws-ec2.generated';
export type { AwsGeneratedRow } from './aws-ec2-row';
export { INSTANCES, getInstance, instancesForTarget, withPriceOverrides } from './instances';
export { ON_DEMAND_PRICES, priceFor, findPriceSource, AWS_PRICE_REGION, AWS_PRICE_DATE, type PriceEntry } from './prices';
export { MODELS, findModel, resolveModel } from './models';
export { parseHfConfig, SUPPORTED_MODEL_TYPES } from './hf-config';
