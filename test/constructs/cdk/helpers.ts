/** Shared helpers for the CDK construct tests. */
import type { Template } from 'aws-cdk-lib/assertions';

/**
 * The user data of a launch template as the shell script EC2 will receive: the Fn::Base64 /
 * Fn::Join parts joined, each intrinsic replaced by a plain stand-in (`REF_<id>`, `GETATT_<id>_<attr>`)
 * the way CloudFormation substitutes a value at deploy time.
 */
export function userDataOf(template: Template, logicalId: string): string {
  const lt = template.toJSON().Resources[logicalId];
  const b64 = lt.Properties.LaunchTemplateData.UserData['Fn::Base64'];
  const render = (v: unknown): string => {
    if (typeof v === 'string') return v;
    const o = v as Record<string, unknown>;
    if ('Ref' in o) return `REF_${String(o.Ref).replace(/[^A-Za-z0-9]/g, '_')}`;
    if ('Fn::GetAtt' in o) return `GETATT_${(o['Fn::GetAtt'] as string[]).join('_')}`;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(sep);
    }
    throw new Error(`unexpected intrinsic in user data: ${JSON.stringify(v)}`);
  };
  return render(b64);
}

/** Logical ids of the resources of one type, in template order. */
export function idsOf(template: Template, type: string): string[] {
  return Object.entries(template.toJSON().Resources as Record<string, { Type: string }>).filter(([, r]) => r.Type === type).map(([id]) => id);
}
