/**
 * The image table: every entry pinned (a tag, never `latest`), sourced, and the tags the facts file and
 * brief name (vLLM v0.11.x, rocm/vllm 0.11.2, SGLang v0.5.18 NVIDIA / rocm720-mi30x, llama.cpp b<build>).
 */
import { ENGINE_IMAGES, imageFor, type EngineImage } from '../../lib/serving';

const all: EngineImage[] = Object.values(ENGINE_IMAGES).flatMap((byTarget) => Object.values(byTarget));

describe('ENGINE_IMAGES', () => {
  test.each(all.map((i) => [i.image, i] as const))('%s is pinned and sourced', (_name, img) => {
    const tag = img.image.slice(img.image.lastIndexOf(':') + 1);
    expect(img.image).toContain(':');
    expect(tag).not.toBe('latest');
    expect(tag).not.toMatch(/^(server|server-cuda|server-rocm)$/); // llama.cpp floating tags
    expect(tag).toContain(img.engineVersion.replace(/^v/, ''));
    expect(img.sources.length).toBeGreaterThan(0);
    for (const s of img.sources) expect(s.url).not.toBe('');
  });

  test.each([
    ['vllm', 'nvidia', 'vllm/vllm-openai:v0.11.0'],
    ['vllm', 'amd', 'rocm/vllm:rocm7.0.0_vllm_0.11.2_20251210'],
    ['sglang', 'nvidia', 'lmsysorg/sglang:v0.5.18'],
    ['sglang', 'amd', 'lmsysorg/sglang:v0.5.18-rocm720-mi30x'],
    ['llamacpp', 'cpu', 'ghcr.io/ggml-org/llama.cpp:server-b9917'],
    ['llamacpp', 'nvidia', 'ghcr.io/ggml-org/llama.cpp:server-cuda-b9917'],
    ['llamacpp', 'amd', 'ghcr.io/ggml-org/llama.cpp:server-rocm-b9917'],
  ] as const)('%s on %s → %s', (engine, target, image) => {
    expect(imageFor(engine, target)?.image).toBe(image);
  });

  test('no GPU engine image for CPU', () => {
    expect(imageFor('vllm', 'cpu')).toBeUndefined();
    expect(imageFor('sglang', 'cpu')).toBeUndefined();
  });
});
