/**
 * The CDK construct's warnings are acknowledged by notice code (constructs/cdk/README.md "Acknowledging
 * warnings"): the annotation id is the registry code, an acknowledgement on the stack removes every
 * warning of that code whether it comes before or after the construct, and leaves the others. Read from
 * the construct's metadata: no template synthesis needed.
 */
import { Annotations, App, Stack, Validations } from 'aws-cdk-lib';
import { acknowledgeNotice, DeepSeekInferenceCluster } from '../../../constructs/cdk';

const WARN = 'aws:cdk:warning';
const PROPS = { model: 'deepseek-r1-distill-qwen-1.5b', modelSource: 's3://model-bucket/deepseek/qwen-1.5b' } as const;
const warningsOf = (c: DeepSeekInferenceCluster) => c.node.metadata.filter((m) => m.type === WARN).map((m) => String(m.data));

describe('acknowledging warnings by code', () => {
  const app = new App();
  const plain = new DeepSeekInferenceCluster(new Stack(app, 'Plain'), 'Cluster', PROPS);
  const before = new Stack(app, 'AckBefore');
  acknowledgeNotice(before, 'DSIAC-AWS1', 'TLS ends at a proxy in front of the NLB');
  const ackedBefore = new DeepSeekInferenceCluster(before, 'Cluster', PROPS);
  const after = new Stack(app, 'AckAfter');
  const ackedAfter = new DeepSeekInferenceCluster(after, 'Cluster', PROPS);
  acknowledgeNotice(after, 'DSIAC-AWS1', 'TLS ends at a proxy in front of the NLB');

  test('without an acknowledgement every notice is a warning whose ack id is its code', () => {
    // No certificateArn: the blueprint raises DSIAC-AWS1 (README.md "Notice codes").
    const notices = [...plain.plan.notices, ...plain.blueprint.warnings];
    expect(notices.map((n) => n.code)).toContain('DSIAC-AWS1');
    expect(warningsOf(plain).sort()).toEqual(notices.map((n) => `${n.message} [ack: ${n.code}]`).sort());
  });

  test.each([['before', () => ackedBefore], ['after', () => ackedAfter]])('acknowledged on the stack %s the construct: that code is gone, the others stay', (_when, cluster) => {
    const c = cluster();
    const left = warningsOf(c);
    expect(left.some((w) => w.endsWith('[ack: DSIAC-AWS1]'))).toBe(false);
    const others = [...c.plan.notices, ...c.blueprint.warnings].filter((n) => n.code !== 'DSIAC-AWS1');
    expect(others.length).toBeGreaterThan(0);
    expect(left.sort()).toEqual(others.map((n) => `${n.message} [ack: ${n.code}]`).sort());
  });

  test('the reason is recorded in the assembly under the id cdk synth names (Annotation::<code>)', () => {
    // (Stack itself records CDK's own CloudFormation-Validate acknowledgements beside ours.)
    const acked = before.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data);
    expect(acked).toContainEqual({ 'Annotation::DSIAC-AWS1': 'TLS ends at a proxy in front of the NLB' });
    expect(plain.node.scope!.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => Object.keys(m.data as object)[0]))
      .not.toContain('Annotation::DSIAC-AWS1');
  });

  test('Annotations.acknowledgeWarning(code) removes it too', () => {
    const stack = new Stack(app, 'AckAnnotations');
    const c = new DeepSeekInferenceCluster(stack, 'Cluster', PROPS);
    Annotations.of(stack).acknowledgeWarning('DSIAC-AWS1');
    expect(warningsOf(c).some((w) => w.endsWith('[ack: DSIAC-AWS1]'))).toBe(false);
    expect(warningsOf(c).length).toBe([...c.plan.notices, ...c.blueprint.warnings].length - 1);
  });

  test('the acknowledgement holds whatever the message says: the id is the code, not the text', () => {
    // Two clusters whose DSIAC-AWS1 messages differ (the engine's unauthenticated paths are named per engine).
    const stack = new Stack(app, 'Reworded');
    acknowledgeNotice(stack, 'DSIAC-AWS1', 'TLS ends at a proxy in front of the NLB');
    const vllm = new DeepSeekInferenceCluster(stack, 'Vllm', PROPS);
    const sglang = new DeepSeekInferenceCluster(stack, 'Sglang', { ...PROPS, engine: 'sglang', clusterName: 'sglang-one' });
    const messages = [vllm, sglang].map((c) => c.blueprint.warnings.find((w) => w.code === 'DSIAC-AWS1')!.message);
    expect(messages[0]).not.toBe(messages[1]);
    for (const c of [vllm, sglang]) expect(warningsOf(c).some((w) => w.includes('[ack: DSIAC-AWS1]'))).toBe(false);
  });
});
