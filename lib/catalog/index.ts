/** The catalog: models (architecture configs), GPUs, instances and prices, each fact with its source. */
export { GPUS, getGpu } from './gpus';
export { GPU_VISIBLE_MEMORY } from './gpu-visible-memory';
export { INSTANCES, getInstance, instancesForTarget, withPriceOverrides } from './instances';
export { ON_DEMAND_PRICES, priceFor, findPriceSource, AWS_PRICE_REGION, AWS_PRICE_DATE, type PriceEntry } from './prices';
export { MODELS, findModel, resolveModel } from './models';
export { parseHfConfig, SUPPORTED_MODEL_TYPES } from './hf-config';
