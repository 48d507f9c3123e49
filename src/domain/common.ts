import { z } from 'zod';

/** A lower-case identifier that is safe in workflow ids, URLs and document keys. */
export const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens')
  .max(80);

/** Free text from people: no NUL characters, which the store refuses. */
export const Text = (max: number) =>
  z
    .string()
    .regex(/\S/, 'must not be blank')
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

export const Year = z.number().int().min(2000).max(2100);

/** A calendar date, YYYY-MM-DD. Deadlines are end of that day in Europe/Stockholm. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}, 'must be a real calendar date');

/**
 * Unicode's bidirectional formatting characters (the Bidi_Control property: U+061C, U+200E,
 * U+200F, U+202A–U+202E, U+2066–U+2069). In a name they make the text display other than it
 * reads: "rapport\u202Efdp.exe" shows as "rapportexe.pdf". No real file or person needs one.
 */
const BIDI_CONTROL = /\p{Bidi_Control}/u;

/** A name people read and trust (a person, a file): free text without bidirectional controls. */
export const Name = (max: number) => Text(max).refine((s) => !BIDI_CONTROL.test(s), 'must not contain bidirectional control characters (such as U+202E)');

/** A person's name as an administrator or coordinator enters it. */
export const PersonName = Name(200);
