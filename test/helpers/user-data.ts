/**
 * Reads a node boot script whether its body ships as text or gzip-packed (lib/deploy/user-data.ts
 * packedBody): returns the script with the packed block replaced by the body it unpacks to, so
 * content assertions see the same text either way.
 */
import { gunzipSync } from 'node:zlib';
import { PACKED_BODY_DELIMITER } from '../../lib/deploy/user-data';

export function unpackedUserData(script: string): string {
  const open = `<<'${PACKED_BODY_DELIMITER}'`;
  const start = script.indexOf(open);
  if (start < 0) return script;
  let lineStart = script.lastIndexOf('\n', start) + 1;
  // The comment line packedBody writes above the block goes with it.
  const commentStart = script.lastIndexOf('\n', lineStart - 2) + 1;
  if (script.slice(commentStart, lineStart).startsWith('# The script body, gzip-compressed')) lineStart = commentStart;
  const dataStart = script.indexOf('\n', start) + 1;
  const dataEnd = script.indexOf(`\n${PACKED_BODY_DELIMITER}\n`, dataStart);
  // The block ends with the `)"` line after the delimiter (the script's last line, or followed by more).
  const closeLine = dataEnd + PACKED_BODY_DELIMITER.length + 2;
  const next = script.indexOf('\n', closeLine);
  const rest = next < 0 ? '' : script.slice(next);
  const body = gunzipSync(Buffer.from(script.slice(dataStart, dataEnd).replace(/\n/g, ''), 'base64')).toString('utf8');
  return `${script.slice(0, lineStart)}${body}${rest}`;
}
