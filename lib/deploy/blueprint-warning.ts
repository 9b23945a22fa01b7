/**
 * The warnings a deployment layout (AWS blueprint, capacity, EKS layout, Azure blueprint) hands its
 * adapter: notices from the registry (lib/notices.ts), so adapters annotate and users acknowledge them
 * by code.
 */
import { notice, type Notice, type NoticeCode } from '../notices';

/** A warning for the adapter to surface (CDK: Annotations), with its stable code. */
export interface BlueprintWarning extends Notice {
  /** The same as `code`: kept for adapters that read the `{ id, message }` shape. */
  readonly id: NoticeCode;
}

/** A blueprint warning of a registered code. */
export function blueprintWarning(code: NoticeCode, message: string): BlueprintWarning {
  return { id: code, ...notice(code, message) };
}
