/**
 * Which images of a Kubernetes workload are pulled by a mutable reference (issue 13: "images are
 * pulled by mutable tag"). The API front is pinned by digest (lib/deploy/api-front.ts); the engine
 * image is pinned by digest where a public record has one (lib/serving/profiles). An engine image
 * without a digest is named in a warning, with the publisher's reason when its tag is documented as
 * rolling (the AWS vLLM container's minor tag), so the operator can resolve and pin it.
 */
import type { Plan } from '../../plan/types';
import { ENGINE_PROFILES, imageReference } from '../../serving';

/** True when the reference carries a content digest (`repo:tag@sha256:…`). */
export function pinnedByDigest(image: string): boolean {
  return /@sha256:[0-9a-f]{64}$/.test(image);
}

/** Warnings for the plan's engine image when it is pulled by tag only (none when a digest pins it). */
export function imagePinningWarnings(plan: Plan): string[] {
  const image = plan.serving.image;
  if (pinnedByDigest(image)) return [];
  const profiled = ENGINE_PROFILES.flatMap((p) => p.images).find((i) => imageReference(i) === image);
  const why = profiled?.mutableTag ?? 'no digest for it was found in a public record, and a registry can re-point any tag';
  return [
    `the engine image ${image} is pulled by tag, not digest: ${why}. Nodes that pull at different times may run different builds; ` +
      `resolve the digest (docker buildx imagetools inspect ${image}), check it, and pin repo@sha256:… through your registry or an admission policy`,
  ];
}
