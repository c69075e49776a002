// The one way a route reads a form: the body within FORM_LIMIT (form-body.ts), then the fields
// through the feature's zod schema. Either the parsed values, or a refusal naming the field; in
// both cases what the reader typed, to give a refused form back.
import { z } from 'astro/zod';
import { refuse, type Refusal } from '../features/refusal.ts';
import { formOf, readForm, type FormResult } from './form-body.ts';

export type Typed = Record<string, string>;
export type ParsedForm<T> = { typed: Typed } & ({ ok: true; data: T } | { ok: false; refusal: Refusal });

/** A positive whole id, as path parameters and hidden fields carry them ("12"); anything else is refused. */
export const idField = (label = 'comment') =>
  z
    .string()
    .regex(/^[1-9]\d{0,15}$/, `That is not a ${label} number.`)
    .transform(Number)
    .refine(Number.isSafeInteger, `That is not a ${label} number.`);

// Made once: every like and permalink asks, and a zod schema costs more to make than to use.
const commentId = idField();

/** The same rule for a path parameter or query value: the id, or null. */
export function parseId(value: string | null | undefined): number | null {
  const parsed = commentId.safeParse(value ?? '');
  return parsed.success ? parsed.data : null;
}

/** Text of at most `max` characters (missing reads as ''). */
export const textField = (max: number, message = `At most ${max} characters.`) => z.string().max(max, message).default('');

/** A form's fields, or one of several forms a page shows, told apart by a field (its button's name). */
export type FormSchema = z.ZodObject | z.ZodDiscriminatedUnion<z.ZodObject[]>;

/** Reads the request's form and checks it against `schema` (an object of fields; array fields take every value). */
export async function parseForm<S extends FormSchema>(request: Request, schema: S): Promise<ParsedForm<z.output<S>>> {
  return checkForm(await readForm(request), schema);
}

/** The same for a form already read whole (features/discussion/direct-posts.ts). */
export async function parseFormBytes<S extends FormSchema>(bytes: Uint8Array, contentType: string, schema: S): Promise<ParsedForm<z.output<S>>> {
  return checkForm(await formOf(bytes, contentType), schema);
}

function checkForm<S extends FormSchema>(read: FormResult, schema: S): ParsedForm<z.output<S>> {
  if (!read.ok) return { ok: false, refusal: read, typed: {} };
  const typed = read.fields.values();
  const input: Record<string, unknown> = { ...typed };
  const shapes = schema instanceof z.ZodDiscriminatedUnion ? schema.options.map((option) => option.shape) : [schema.shape];
  for (const [name, field] of shapes.flatMap((shape) => Object.entries(shape))) {
    if (field instanceof z.ZodArray) input[name] = read.fields.all(name);
    else if (!(name in typed)) delete input[name];
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data as z.output<S>, typed };
  const issue = parsed.error.issues[0]!;
  const field = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
  return { ok: false, refusal: refuse('invalid', issue.message, { field }), typed };
}
