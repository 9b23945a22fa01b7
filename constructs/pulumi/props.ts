/**
 * Arguments of the Pulumi `DeepSeekInferenceCluster`: the Terraform-shaped props shared with the
 * cdktf adapter (lib/deploy/terraform-shape/props.ts), with Pulumi Inputs for the values known only
 * when resources exist (`vpc.id`, a secret's `arn`).
 */
import type * as pulumi from '@pulumi/pulumi';
import type { TerraformShapeClusterProps } from '../../lib/deploy/terraform-shape/props';

/** Arguments of {@link DeepSeekInferenceCluster}. Planning fields are plain values, never Outputs. */
export type DeepSeekInferenceClusterArgs = TerraformShapeClusterProps<pulumi.Input<string>>;
