/**
 * Which adapter provisions a plan, by its target: the CLI names it under the plan (`Deploy:`), so a
 * user of `plan --target azure` knows to reach for `deepseek-iac/cdktf-azure` or
 * `deepseek-iac/pulumi-azure` rather than the AWS constructs.
 */
import type { Target } from '../types';

/** One way to stand a plan up. */
export interface AdapterChoice {
  /** Package subpath to import. */
  readonly importPath: string;
  /** Class (or command) that takes the plan's fields. */
  readonly entry: string;
  readonly framework: string;
}

/** The adapters that provision a plan of `target`, most direct first. */
export function adaptersForTarget(target: Target): AdapterChoice[] {
  switch (target) {
    case 'aws':
      return [
        { importPath: 'deepseek-iac/cdk', entry: 'DeepSeekInferenceCluster', framework: 'AWS CDK' },
        { importPath: 'deepseek-iac/cdktf', entry: 'DeepSeekInferenceCluster', framework: 'cdktf, Terraform AWS provider' },
        { importPath: 'deepseek-iac/pulumi', entry: 'DeepSeekInferenceCluster', framework: 'Pulumi, @pulumi/aws' },
      ];
    case 'azure':
      return [
        { importPath: 'deepseek-iac/cdktf-azure', entry: 'DeepSeekAzureInferenceCluster', framework: 'cdktf, Terraform azurerm provider' },
        { importPath: 'deepseek-iac/pulumi-azure', entry: 'DeepSeekAzureInferenceCluster', framework: 'Pulumi, @pulumi/azure-native' },
      ];
    case 'local':
    case 'cpu':
      return [{ importPath: 'deepseek-iac/local', entry: 'deepseek-iac local --out DIR', framework: 'compose / systemd / Kubernetes files' }];
  }
}

/** One line for the CLI: `deepseek-iac/cdktf-azure DeepSeekAzureInferenceCluster (cdktf …) or …`. */
export function adapterLine(target: Target): string {
  return adaptersForTarget(target).map((a) => `${a.importPath} ${a.entry} (${a.framework})`).join(' or ');
}
