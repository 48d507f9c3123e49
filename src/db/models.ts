import type { Connection } from 'mongoose';
import { smokeNoteModel } from './models/smoke-note';

/** Every model bound to one connection, handed to activities and routes as a dependency. */
export function createModels(conn: Connection) {
  return {
    smokeNotes: smokeNoteModel(conn),
  };
}

export type Models = ReturnType<typeof createModels>;
