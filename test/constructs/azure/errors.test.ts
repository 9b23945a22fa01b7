/**
 * Both Azure adapters refuse bad input before creating anything, with every problem at once: the
 * cdktf construct throws DeepSeekInferenceClusterError, the Pulumi component Pulumi's input errors.
 */
import { Testing } from 'cdktf';
import { DeepSeekAzureInferenceCluster as CdktfCluster, DeepSeekInferenceClusterError } from '../../../constructs/cdktf/azure';
import { DeepSeekAzureInferenceCluster as PulumiCluster } from '../../../constructs/pulumi/azure';
import type { AzureClusterInputs } from '../../../lib/deploy/azure';
import { runPulumi } from '../../conformance-azure/pulumi-mocks';

const BAD: AzureClusterInputs = {
  model: 'deepseek-r1', gpus: ['mi300x'], resourceGroupName: 'rg', location: 'eastus', adminSshPublicKey: 'ssh-ed25519 AAAAC3Nza test',
  allowedCidrs: ['0.0.0.0/0'], vnetCidr: '10.0.0.0/28', modelSource: 's3://bucket/r1', logRetentionDays: 5,
};
const PATHS = ['allowedCidrs[0]', 'logRetentionDays', 'modelSource', 'vnetCidr'];

test('cdktf: every problem in one DeepSeekInferenceClusterError', () => {
  expect.assertions(4);
  try {
    Testing.synthScope((scope) => new CdktfCluster(scope, 'Bad', BAD));
  } catch (e) {
    expect(e).toBeInstanceOf(DeepSeekInferenceClusterError);
    expect((e as DeepSeekInferenceClusterError).issues.map((i) => i.path).sort()).toEqual(PATHS);
    expect((e as Error).message).toContain('opens the API to the whole Internet');
    expect((e as Error).message).toContain('invalid DeepSeekAzureInferenceCluster configuration');
  }
});

test('Pulumi: the same problems as input-property errors', async () => {
  let error: unknown;
  await runPulumi(() => {
    try {
      new PulumiCluster('bad', BAD);
    } catch (e) {
      error = e;
    }
  });
  const reasons = (error as { errors?: { propertyPath: string }[] }).errors?.map((d) => d.propertyPath).sort();
  expect(reasons).toEqual(PATHS);
  expect((error as Error).message).toContain('invalid DeepSeekAzureInferenceCluster arguments');
});

// A Grace (arm64) plan without a gallery image, a malformed alert address and a bad certificate name.
const GRACE: AzureClusterInputs = {
  model: 'deepseek-r1', precision: 'fp8', gpus: ['gb200'], maxNodes: 1, resourceGroupName: 'rg', location: 'eastus',
  adminSshPublicKey: 'ssh-ed25519 AAAAC3Nza test', allowedCidrs: ['10.0.0.0/8'], alertEmails: ['oncall'], tlsCertificateSecretName: 'tls cert',
};
const GRACE_PATHS = ['alertEmails[0]', 'osImageId', 'tlsCertificateSecretName'];

test('cdktf and Pulumi refuse a Grace plan without osImageId, with the other problems', async () => {
  let cdktfPaths: string[] = [];
  try {
    Testing.synthScope((scope) => new CdktfCluster(scope, 'Grace', GRACE));
  } catch (e) {
    cdktfPaths = (e as DeepSeekInferenceClusterError).issues.map((i) => i.path).sort();
  }
  expect(cdktfPaths).toEqual(GRACE_PATHS);
  let error: unknown;
  await runPulumi(() => {
    try {
      new PulumiCluster('grace', GRACE);
    } catch (e) {
      error = e;
    }
  });
  expect((error as { errors?: { propertyPath: string }[] }).errors?.map((d) => d.propertyPath).sort()).toEqual(GRACE_PATHS);
});
