/**
 * examples/pulumi/index.ts runs as a Pulumi program against mocks: it reads its stack config and
 * builds the cluster. The module creates resources when loaded, so it is required inside the run,
 * after the mocks are installed.
 */
import * as pulumi from '@pulumi/pulumi';
import { runPulumi, valueOf } from './mocks';

test('the Pulumi example builds a cluster from its stack config and exports the endpoint', async () => {
  jest.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
  // Config keys are `<project>:<key>`; the mocks' project is deepseek-iac-test.
  pulumi.runtime.setAllConfig({
    'deepseek-iac-test:vpcId': 'vpc-0example',
    'deepseek-iac-test:subnetIds': JSON.stringify(['subnet-a', 'subnet-b']),
    'deepseek-iac-test:allowedCidr': '10.1.0.0/16',
  });
  let exported: { apiUrl: pulumi.Output<string>; plan: string } | undefined;
  const run = await runPulumi(() => {
    exported = jest.requireActual<{ apiUrl: pulumi.Output<string>; plan: string }>('../../../examples/pulumi/index');
  });
  expect(run.resources.filter((r) => r.type === 'aws:lb/loadBalancer:LoadBalancer').map((r) => r.inputs.subnets)).toEqual([['subnet-a', 'subnet-b']]);
  expect(run.resources.filter((r) => r.type === 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule').map((r) => r.inputs.cidrIpv4)).toContain('10.1.0.0/16');
  expect(await valueOf(exported!.apiUrl)).toMatch(/^http:\/\/.+:8000\/v1$/);
  expect(exported!.plan).toMatch(/^deepseek-r1-distill-qwen-7b bf16: 1 × /);
});
