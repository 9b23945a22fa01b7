/**
 * The Azure reference stacks for cdktf (examples/azure/stacks.ts): `npm run synth:azure` writes
 * `cdktf.out/stacks/<name>/cdk.tf.json` offline (no terraform binary, no cdktf CLI, no credentials)
 * and prints each stack's plan to stderr. Deploy one with
 * `cd cdktf.out/stacks/deepseek-r1-mi300x && terraform init && terraform apply` (or `cdktf deploy`
 * from a cdktf project), after `az login`.
 */
import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { DeepSeekAzureInferenceCluster } from '../constructs/cdktf/azure';
import { AZURE_REFERENCE_STACKS, referencePlacement } from '../examples/azure/stacks';

/** Build (and synthesize) every reference stack into `outdir`. */
export function buildAzureApp(outdir: string, env: NodeJS.ProcessEnv = process.env, synth = true): App {
  const app = new App({ outdir });
  for (const [name, inputs] of Object.entries(AZURE_REFERENCE_STACKS)) {
    const stack = new TerraformStack(app, name);
    // A relative state path: the default local backend would write this machine's absolute path into the JSON.
    new LocalBackend(stack, { path: 'terraform.tfstate' });
    new AzurermProvider(stack, 'azurerm', { features: [{}], ...(env.ARM_SUBSCRIPTION_ID ? { subscriptionId: env.ARM_SUBSCRIPTION_ID } : {}) });
    const cluster = new DeepSeekAzureInferenceCluster(stack, 'Cluster', { ...inputs, ...referencePlacement(env) });
    const bp = cluster.blueprint;
    new TerraformOutput(stack, 'api_url', { value: cluster.endpoint.url, description: 'OpenAI-compatible base URL (internal load balancer)' });
    new TerraformOutput(stack, 'key_vault', { value: bp.keyVault.name, description: `Store the API key: az keyvault secret set --vault-name ${bp.keyVault.name} --name ${bp.keyVault.apiKeySecretName} --value <key>` });
    new TerraformOutput(stack, 'plan', { value: bp.summary });
    new TerraformOutput(stack, 'hourly_cost_usd', { value: cluster.hourlyCostUsd, description: bp.cost.description });
    process.stderr.write(`${name}: ${bp.summary}\n`);
    for (const w of bp.warnings) process.stderr.write(`  warning ${w.id}: ${w.message}\n`);
  }
  if (synth) app.synth();
  return app;
}

if (require.main === module) buildAzureApp(process.env.CDKTF_OUTDIR ?? 'cdktf.out');
