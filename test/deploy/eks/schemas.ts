/**
 * Offline validation of rendered Kubernetes objects against the schemas pinned in
 * test/fixtures/crds (see SOURCES.md there): core types (incl. ConfigMap and the networking.k8s.io/v1
 * NetworkPolicy) from the Kubernetes 1.35 OpenAPI v3 documents, Karpenter's and
 * LeaderWorkerSet's CRDs. Objects with properties get `additionalProperties: false` unless
 * the schema preserves unknown fields, so a misspelt or invented field fails (kubeconform's
 * -strict). CEL rules are not evaluated.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';

const DIR = join(__dirname, '..', '..', 'fixtures', 'crds');
const CORE_ID = 'k8s';

type Json = Record<string, unknown>;

/** Add additionalProperties: false where a schema lists properties and allows nothing else explicitly. */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema as Json)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Json).map(([p, s]) => [p, strict(s)])) : strict(v);
  if (out.properties && out.additionalProperties === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  return out;
}

function coreSchemas(): Json {
  const doc = JSON.parse(readFileSync(join(DIR, 'kubernetes-1.35.json'), 'utf8')) as { schemas: Json };
  const text = JSON.stringify(strict(doc.schemas)).replace(/"#\/components\/schemas\//g, `"${CORE_ID}#/definitions/`);
  return { $id: CORE_ID, definitions: JSON.parse(text) };
}

/** The served v1 schema of a CRD file. */
function crdSchema(file: string): Json {
  const crd = parse(readFileSync(join(DIR, file), 'utf8')) as { spec: { versions: { name: string; schema: { openAPIV3Schema: Json } }[] } };
  const v1 = crd.spec.versions.find((v) => v.name === 'v1');
  if (!v1) throw new Error(`${file}: no v1`);
  const schema = strict(v1.schema.openAPIV3Schema) as Json;
  // metadata is `type: object` in CRDs: check it against the core ObjectMeta instead.
  const props = schema.properties as Json;
  return { ...schema, properties: { ...props, metadata: { $ref: `${CORE_ID}#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` } } };
}

const CORE_KINDS: Readonly<Record<string, string>> = {
  'apps/v1/Deployment': 'io.k8s.api.apps.v1.Deployment',
  'v1/Service': 'io.k8s.api.core.v1.Service',
  'v1/PersistentVolumeClaim': 'io.k8s.api.core.v1.PersistentVolumeClaim',
  'v1/PersistentVolume': 'io.k8s.api.core.v1.PersistentVolume',
  'v1/Namespace': 'io.k8s.api.core.v1.Namespace',
  'networking.k8s.io/v1/NetworkPolicy': 'io.k8s.api.networking.v1.NetworkPolicy',
  'v1/ConfigMap': 'io.k8s.api.core.v1.ConfigMap',
};
const CRD_KINDS: Readonly<Record<string, string>> = {
  'karpenter.sh/v1/NodePool': 'karpenter.sh_nodepools.yaml',
  'karpenter.k8s.aws/v1/EC2NodeClass': 'karpenter.k8s.aws_ec2nodeclasses.yaml',
  'leaderworkerset.x-k8s.io/v1/LeaderWorkerSet': 'leaderworkerset.x-k8s.io_leaderworkersets.yaml',
};

/** A validator: the problems of one object (`[]` = valid), each `path: message`. */
export type KubernetesValidator = (object: unknown) => string[];

/** Build the validator (compiles the schemas once). */
export function kubernetesValidator(): KubernetesValidator {
  const ajv = new Ajv({ allErrors: true, unknownFormats: 'ignore', schemaId: 'auto', nullable: true, logger: false });
  ajv.addSchema(coreSchemas());
  const compiled = new Map<string, Ajv.ValidateFunction>();
  const validatorFor = (key: string): Ajv.ValidateFunction | undefined => {
    if (!compiled.has(key)) {
      if (CORE_KINDS[key]) compiled.set(key, ajv.compile({ $ref: `${CORE_ID}#/definitions/${CORE_KINDS[key]}` }));
      else if (CRD_KINDS[key]) compiled.set(key, ajv.compile(crdSchema(CRD_KINDS[key])));
      else return undefined;
    }
    return compiled.get(key);
  };
  return (object) => {
    const o = object as { apiVersion?: string; kind?: string };
    const key = `${o.apiVersion}/${o.kind}`;
    const validate = validatorFor(key);
    if (!validate) return [`no pinned schema for ${key}`];
    if (validate(object)) return [];
    return (validate.errors ?? []).map((e) => `${key}${e.dataPath}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : ''}`);
  };
}
