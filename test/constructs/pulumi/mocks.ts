/**
 * Run a Pulumi program against mocks (no CLI, no engine) and record every resource and invoke.
 * Each run installs fresh mocks, so recorded resources and URNs belong to that run only; it ends
 * with `runtime.disconnect()`, which waits until every pending registration has reached the mocks.
 *
 * Mocked state = the inputs plus what the components read back: `arn` (`mock-arn:<name>`),
 * `arnSuffix` (`<name>-suffix`), `bucket` (the input, else `<name>-bucket`), `name` (the input name, else the logical name), `dnsName`, `latestVersion`. Invokes answer the
 * partition (`aws`), the caller identity and region (MOCK_ACCOUNT, MOCK_REGION), the SSM parameter (a fixed AMI id) and a
 * subnet's route table (`rtb-of-<subnet>`).
 */
import * as pulumi from '@pulumi/pulumi';

/** A resource the program registered. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
}

export interface PulumiRun {
  readonly resources: readonly RecordedResource[];
  readonly invokes: readonly pulumi.runtime.MockCallArgs[];
  /** URN of every registered resource (they encode the parent's type). */
  readonly urns: readonly string[];
}

/** AMI id the mocked SSM parameter returns. */
export const MOCK_AMI = 'ami-0123456789abcdef0';

/** Account id the mocked caller identity returns. */
export const MOCK_ACCOUNT = '123456789012';
/** Region the mocked getRegion returns. */
export const MOCK_REGION = 'us-east-1';

/** Route table the mocked getRouteTable returns for a subnet. */
export const mockRouteTable = (subnetId: string): string => `rtb-of-${subnetId}`;

/** Mocked ARN of a resource: recognizable, so tests can normalize it. */
export const mockArn = (name: string): string => `mock-arn:${name}`;

export async function runPulumi(program: () => void | Promise<void>): Promise<PulumiRun> {
  const resources: RecordedResource[] = [];
  const invokes: pulumi.runtime.MockCallArgs[] = [];
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      resources.push({ type: args.type, name: args.name, inputs: args.inputs });
      return {
        id: `${args.name}-id`,
        state: { ...args.inputs, arn: mockArn(args.name), arnSuffix: `${args.name}-suffix`, bucket: args.inputs.bucket ?? `${args.name}-bucket`, name: args.inputs.name ?? args.name, dnsName: `${args.name}.elb.example`, latestVersion: 1 },
      };
    },
    call: (args) => {
      invokes.push(args);
      if (args.token === 'aws:index/getPartition:getPartition') return { partition: 'aws' };
      if (args.token === 'aws:index/getCallerIdentity:getCallerIdentity') return { accountId: MOCK_ACCOUNT, arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/test`, userId: 'test' };
      if (args.token === 'aws:index/getRegion:getRegion') return { region: MOCK_REGION, name: MOCK_REGION };
      if (args.token === 'aws:ssm/getParameter:getParameter') return { name: args.inputs.name, type: 'String', value: MOCK_AMI, insecureValue: MOCK_AMI };
      if (args.token === 'aws:ec2/getRouteTable:getRouteTable') return { routeTableId: mockRouteTable(args.inputs.subnetId), subnetId: args.inputs.subnetId };
      throw new Error(`unexpected invoke ${args.token}`);
    },
  }, 'deepseek-iac-test', 'test', false);
  const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
  await program();
  await pulumi.runtime.disconnect();
  return { resources, invokes, urns: [...monitor.resources.keys()] };
}

/** The value of an Output (mocks resolve every Output). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
