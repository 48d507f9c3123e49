import { createHash } from 'node:crypto';
import type { Entry, EntryTextRef } from '../../domain/activity';
import type { Command } from '../../domain/commands';
import { isDuplicateKey } from '../../store/errors';
import type { Models } from '../../store/models';
import { orgOfActivity } from '../people/access';
import { Problem } from '../problem';

/**
 * The texts of comments and evidence live in the store, not in the activity's workflow: the
 * workflow carries its state in every task and across continue-as-new, where long texts once
 * bricked an activity. A change writes its text first and sends the workflow the reference
 * (id, sha256, length); whoever shows the state joins the text back (withEntryTexts).
 */

/** What a text that cannot be shown reads as, in the read model and in answers. */
export const MISSING_TEXT = '[Texten saknas i lagret och kan inte visas.]';
export const ALTERED_TEXT = '[Texten har ändrats i lagret efter att den skrevs (kontrollsumman stämmer inte) och visas inte.]';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The command the workflow gets for `command`: a comment's or evidence's text written to the
 * store, and referred to. The text's id comes from the request id, so a retry writes nothing
 * new. `stored` is set when this call wrote the text (and so may remove it if the change is refused).
 */
export async function storeEntryText(models: Models, activityId: string, requestId: string, command: Command): Promise<{ command: Command; stored?: string }> {
  if ((command.type !== 'add-comment' && command.type !== 'add-evidence') || command.text === undefined) return { command };
  const { text, ...rest } = command;
  const ref: EntryTextRef = { id: `text-${sha256(`${activityId}\u0000${requestId}`)}`, sha256: sha256(text), length: text.length };
  let inserted = false;
  try {
    const res = await models.entryTexts.updateOne(
      { _id: ref.id },
      { $setOnInsert: { orgId: orgOfActivity(activityId), activityId, sha256: ref.sha256, text, createdAt: new Date() } },
      { upsert: true },
    );
    inserted = res.upsertedCount === 1;
  } catch (err) {
    // The same request, retried at the same moment, inserted it first.
    if (!isDuplicateKey(err)) throw err;
  }
  if (!inserted) {
    const first = await models.entryTexts.findById(ref.id).select({ sha256: 1 }).lean();
    if (first?.sha256 !== ref.sha256) throw Problem.idempotencyKeyReused();
  }
  return { command: { ...rest, textRef: ref }, ...(inserted ? { stored: ref.id } : {}) };
}

/** Removes a text this change wrote when the workflow refused the change: nothing refers to it. */
export async function forgetEntryText(models: Models, id: string): Promise<void> {
  await models.entryTexts.deleteOne({ _id: id });
}

/**
 * `state` with the text of every entry that refers to the store: the one way the read model,
 * the API's answers and the pages get the texts. A text missing from the store, or not the one
 * its hash names, reads as a placeholder that says so.
 */
export async function withEntryTexts<S extends { entries: Entry[] }>(models: Models, state: S): Promise<S> {
  const ids = state.entries.flatMap((e) => (e.textRef ? [e.textRef.id] : []));
  if (ids.length === 0) return state;
  const docs = await models.entryTexts.find({ _id: { $in: ids } }).select({ text: 1 }).lean();
  const texts = new Map(docs.map((d) => [d._id, d.text]));
  const textOf = (ref: EntryTextRef) => {
    const text = texts.get(ref.id);
    if (text === undefined) return MISSING_TEXT;
    return sha256(text) === ref.sha256 ? text : ALTERED_TEXT;
  };
  return { ...state, entries: state.entries.map((e) => (e.textRef ? { ...e, text: textOf(e.textRef) } : e)) };
}
