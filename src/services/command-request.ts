import { z } from 'zod';

/** How a feature's command table takes one command's fields apart from the domain's schema. */
export interface CommandInput {
  /** Fields validated more strictly on a new request than the domain accepts from old events. */
  newInput?: Record<string, z.ZodType>;
  /** Fields the service fills in and a client must not send (a submission's figures). */
  serverOnly?: readonly string[];
}

/**
 * The parts of a request for one command, derived from the command's domain schema so that a
 * route never re-declares a field: the ids its path names (`:taskId`) are the path's, every
 * other field is the body's, but those the service fills in.
 */
export function commandRequestParts(
  commands: readonly z.ZodObject[],
  type: string,
  path: string,
  input: CommandInput = {},
): { ids: Record<string, z.ZodType>; body: z.ZodObject } {
  const shape = commandShape(commands, type);
  const ids = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const fields = Object.keys(shape).filter((k) => k !== 'type' && !ids.includes(k) && !input.serverOnly?.includes(k));
  return {
    ids: Object.fromEntries(ids.map((k) => [k, shape[k]!])),
    body: z.object(Object.fromEntries(fields.map((k) => [k, input.newInput?.[k] ?? shape[k]!]))).strict(),
  };
}

function commandShape(commands: readonly z.ZodObject[], type: string): Record<string, z.ZodType> {
  const command = commands.find((c) => c.shape.type instanceof z.ZodLiteral && c.shape.type.value === type);
  if (!command) throw new Error(`no domain schema for the command ${type}`);
  return command.shape;
}
