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
