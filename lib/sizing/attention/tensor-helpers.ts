/** Small constructors for tensor groups, shared by the attention strategies and the MLP inventory. */
import type { Sharding, TensorGroup, TensorRole } from '../tensors';

/** A 2-D weight (rows = out_features, cols = in_features), `count` identical copies. */
export function matrix(name: string, role: TensorRole, rows: number, cols: number, count: number, sharding: Sharding, quantizable: boolean): TensorGroup {
  return { name, role, rows, cols, count, sharding, quantizable };
}

/** A 1-D tensor (bias, score-correction bias, attention sink) kept unquantized. */
export function vector(name: string, role: TensorRole, length: number, sharding: Sharding): TensorGroup {
  return { name, role, rows: 1, cols: length, count: 1, sharding, quantizable: false };
}

/** A norm weight: replicated on every rank, never quantized. */
export function norm(name: string, length: number): TensorGroup {
  return vector(name, 'norm', length, 'replicated');
}
