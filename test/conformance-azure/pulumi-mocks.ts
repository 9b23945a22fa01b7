/**
 * Run a Pulumi program against mocks (no CLI, no engine) and record every resource. Mocked state =
 * the inputs plus `id` (`<name>-id`), `name` (the logical name) and `principalId` (`<name>-principal`);
 * the client-config invoke answers a fixed subscription and tenant.
 */
import * as pulumi from '@pulumi/pulumi';

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
}

export const MOCK_SUBSCRIPTION = '00000000-0000-4000-8000-000000000001';
export const MOCK_TENANT = '00000000-0000-4000-8000-000000000002';

export async function runPulumi(program: () => void | Promise<void>): Promise<RecordedResource[]> {
  const resources: RecordedResource[] = [];
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      resources.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: { ...args.inputs, name: args.name, principalId: `${args.name}-principal` } };
    },
    call: (args) => {
      if (args.token.endsWith('getClientConfig')) return { subscriptionId: MOCK_SUBSCRIPTION, tenantId: MOCK_TENANT, clientId: 'c', objectId: 'o' };
      throw new Error(`unexpected invoke ${args.token}`);
    },
  }, 'deepseek-iac-azure-test', 'test', false);
  await program();
  await pulumi.runtime.disconnect();
  return resources;
}
