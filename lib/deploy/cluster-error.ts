import type { Issue } from '../types';

/**
 * Thrown by the CDK and cdktf clusters (`DeepSeekInferenceCluster`, and on Azure
 * `DeepSeekAzureInferenceCluster`) when their props are invalid or no plan fits: the construct path,
 * the class, then one line per problem (`path: message`), all of them at once. Nothing has been
 * created when it is thrown.
 */
export class DeepSeekInferenceClusterError extends Error {
  readonly issues: readonly Issue[];

  constructor(constructPath: string, issues: readonly Issue[], className = 'DeepSeekInferenceCluster') {
    super(`${constructPath}: invalid ${className} configuration:\n${issues.map((i) => `  - ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n')}`);
    this.name = 'DeepSeekInferenceClusterError';
    this.issues = issues;
  }
}

/** The API endpoint of a CDK or cdktf cluster: an internal NLB (Pulumi's holds Outputs instead). */
export interface ClusterEndpoint {
  /** DNS name of the load balancer (a token until deploy/apply). */
  readonly dnsName: string;
  readonly port: number;
  /** `http://<dns>:<port>/v1`, or `https://` with a TLS listener (OpenAI-compatible base URL). */
  readonly url: string;
}
