/**
 * Props of the cdktf `DeepSeekInferenceCluster`: the Terraform-shaped props shared with the Pulumi
 * adapter (lib/deploy/terraform-shape/props.ts), with cdktf token strings for the values known only
 * at apply (`vpc.id`, a secret's `arn`).
 */
import type { TerraformShapeClusterProps } from '../../lib/deploy/terraform-shape/props';

/** Props of {@link DeepSeekInferenceCluster}. Planning fields must be plain values, never Terraform tokens. */
export type DeepSeekInferenceClusterProps = TerraformShapeClusterProps<string>;
