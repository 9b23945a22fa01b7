/** Model source parsing: the accepted forms and a PlanError at `modelSource` for everything else. */
import { PlanError } from '../../lib/errors';
import { modelSourceIssues, parseModelSource } from '../../lib/deploy/model-source';

describe('parseModelSource', () => {
  test.each([
    ['s3://my-bucket/models/r1', { kind: 's3', bucket: 'my-bucket', prefix: 'models/r1', uri: 's3://my-bucket/models/r1/' }],
    ['s3://my-bucket/models/r1/', { kind: 's3', bucket: 'my-bucket', prefix: 'models/r1', uri: 's3://my-bucket/models/r1/' }],
    ['s3://my.bucket-1', { kind: 's3', bucket: 'my.bucket-1', prefix: '', uri: 's3://my.bucket-1/' }],
    ['hf://deepseek-ai/DeepSeek-R1', { kind: 'huggingface', repoId: 'deepseek-ai/DeepSeek-R1', uri: 'hf://deepseek-ai/DeepSeek-R1' }],
    ['deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B', { kind: 'huggingface', repoId: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B', uri: 'hf://deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B' }],
    ['hf://deepseek-ai/DeepSeek-V3@main', { kind: 'huggingface', repoId: 'deepseek-ai/DeepSeek-V3', revision: 'main', uri: 'hf://deepseek-ai/DeepSeek-V3@main' }],
    ['org/name@refs/pr/1', { kind: 'huggingface', repoId: 'org/name', revision: 'refs/pr/1', uri: 'hf://org/name@refs/pr/1' }],
  ])('%s', (input, expected) => {
    expect(parseModelSource(input)).toEqual(expected);
  });

  test.each([
    ['gs://bucket/prefix', 'unsupported scheme "gs://"'],
    ['https://huggingface.co/deepseek-ai/DeepSeek-R1', 'unsupported scheme "https://"'],
    ['file:///models/r1', 'unsupported scheme "file://"'],
    ['s3://Upper_Case/x', 'invalid bucket name "Upper_Case"'],
    ['s3://ab/x', 'invalid bucket name "ab"'],
    ['s3://bucket/a//b', 'unsupported key prefix'],
    ['s3://bucket/a/../b', 'unsupported key prefix'],
    ['DeepSeek-R1', 'org/name'],
    ['a/b/c', 'org/name'],
    ['org/na me', 'org/name'],
    ['org/name@', 'invalid revision'],
    ['', 'is empty'],
  ])('rejects %j', (input, why) => {
    let err: unknown;
    try {
      parseModelSource(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlanError);
    const issues = (err as PlanError).issues;
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('modelSource');
    expect(issues[0].message).toContain(why);
    // The message names the value and the allowed forms.
    expect(issues[0].message).toContain(JSON.stringify(input));
    expect(issues[0].message).toContain('s3://bucket/prefix');
  });

  test('modelSourceIssues collects instead of throwing and keeps the caller path', () => {
    expect(modelSourceIssues('s3://bucket/x')).toEqual([]);
    expect(modelSourceIssues('gs://x/y', 'props.modelSource')).toEqual([expect.objectContaining({ path: 'props.modelSource' })]);
  });
});
