/**
 * EC2 user data for a Terraform launch template, which takes it base64-encoded.
 *
 * The boot script is bash full of `${...}`, which Terraform would read as its own interpolation if
 * the script went into the JSON as text. So:
 * - a script without tokens is base64-encoded here: the JSON holds only base64 characters;
 * - a script with tokens (a secret ARN that is another resource's attribute) becomes
 *   `base64encode(join("", [base64decode("<literal part>"), <reference>, ...]))`: every literal part
 *   travels as base64, so no quote, backslash or `${` of the script is ever parsed by Terraform,
 *   and only the references are evaluated.
 * Terraform's base64decode needs valid UTF-8; the literal parts are split at token boundaries,
 * which are ASCII, so each part is valid UTF-8 on its own.
 */
import { Fn, Token, Tokenization } from 'cdktf';

/** `script` as a Terraform value of its base64 encoding. */
export function userDataBase64(script: string): string {
  const pieces = stringPieces(script);
  if (pieces.every((p) => !Token.isUnresolved(p))) return Buffer.from(script, 'utf8').toString('base64');
  return Fn.base64encode(Fn.join('', pieces.map((p) => (Token.isUnresolved(p) ? p : Fn.base64decode(Buffer.from(p, 'utf8').toString('base64'))))));
}

/** The literal and token parts of a string, in order (each token as its string encoding). */
export function stringPieces(s: string): string[] {
  const fragments = Tokenization.reverseString(s);
  if (fragments.length <= 1) return [s];
  const pieces: string[] = [];
  // join() folds left to right: the first call gets fragments 0 and 1, later calls (accumulator, next).
  fragments.join({
    join: (left: string, right: string) => {
      if (pieces.length === 0) pieces.push(left);
      pieces.push(right);
      return '';
    },
  });
  return pieces;
}
