/**
 * Issue 13 §5, "Hugging Face revision pinned (a prop, set in reference stacks)": before, every
 * reference stack loaded its checkpoint from the repository's main branch, so a later push changed
 * what (and, with remote code, which code) the next boot ran. The commits come from
 * docs/model-revisions.md, which names where each is published; this test reads that table, not the
 * code, and checks every reference stack against it. (The DSIAC-AWS2 warning for an unpinned
 * source is tested in test/deploy/notices.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REFERENCE_STACKS } from '../../bin/app';
import { resolveModel } from '../../lib/catalog';
import { parseModelSource } from '../../lib/deploy/model-source';

/** repository (lower case) → commit, or undefined for a row that says "not pinned". */
function documentedRevisions(): Map<string, string | undefined> {
  const text = readFileSync(join(__dirname, '..', '..', 'docs', 'model-revisions.md'), 'utf8');
  const rows = new Map<string, string | undefined>();
  for (const m of text.matchAll(/^\| (deepseek-ai\/[\w.-]+) \| (`([0-9a-f]{40})`|not pinned) \|/gm)) rows.set(m[1]!.toLowerCase(), m[3]);
  return rows;
}

const DOC = documentedRevisions();

/** The Hugging Face repository and revision a reference stack loads (its modelSource, else the catalog's id). */
function sourceOf(props: { model?: string; modelSource?: string }): { repo: string; revision?: string } {
  if (props.modelSource !== undefined) {
    const s = parseModelSource(props.modelSource);
    if (s.kind !== 'huggingface') throw new Error(`reference stack source ${props.modelSource} is not Hugging Face`);
    return { repo: s.repoId.toLowerCase(), revision: s.revision };
  }
  const hfId = resolveModel(props.model!).hfId;
  if (hfId === undefined) throw new Error(`no Hugging Face id for ${props.model}`);
  return { repo: hfId.toLowerCase() };
}

describe('reference stacks load the commits docs/model-revisions.md lists', () => {
  test('premise: the table lists commits (and the one repository without a public commit)', () => {
    expect([...DOC.values()].filter((c) => c !== undefined).length).toBeGreaterThanOrEqual(3);
    expect(DOC.has('deepseek-ai/deepseek-r1-distill-llama-70b')).toBe(true);
    expect(DOC.get('deepseek-ai/deepseek-r1-distill-llama-70b')).toBeUndefined();
  });

  test.each(Object.entries(REFERENCE_STACKS))('%s: pinned to the documented commit where one is documented', (_name, props) => {
    const { repo, revision } = sourceOf(props);
    if (revision !== undefined) expect(revision).toMatch(/^[0-9a-f]{40}$/);
    if (DOC.get(repo) !== undefined) expect(revision).toBe(DOC.get(repo));
    // A stack left unpinned is one the table accounts for (a row saying so) or a repository it does not list yet.
    if (revision === undefined && DOC.has(repo)) expect(DOC.get(repo)).toBeUndefined();
  });

  test('the R1 stacks and the 1.5B distill, whose commits are documented, are pinned', () => {
    const pinned = Object.entries(REFERENCE_STACKS).filter(([, p]) => sourceOf(p).revision !== undefined).map(([n]) => n).sort();
    expect(pinned).toEqual(expect.arrayContaining(['DeepSeekR1Distill1p5B', 'DeepSeekR1Fp8', 'DeepSeekR1Fp8MultiNode']));
  });
});
