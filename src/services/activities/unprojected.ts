import type { Request } from 'express';
import { toActivityDoc } from './projection';
import type { ActivityDoc } from '../../store/models/activity';
import type { ActivityState } from '../../domain/activity';

/**
 * A change the read model did not show within the API's wait (a loaded or slow store): the
 * person's own pages show the workflow's answer to it until the projection catches up, so
 * what they just did never seems undone. Kept in their session, a few activities at most.
 */

declare module 'express-session' {
  interface SessionData {
    unprojected?: ActivityState[];
  }
}

/** Enough for a person clicking through several activities while the store lags; the oldest goes first. */
const KEPT = 5;

export function rememberUnprojected(req: Request, state: ActivityState): void {
  const kept = (req.session.unprojected ?? []).filter((s) => s.id !== state.id);
  req.session.unprojected = [...kept, state].slice(-KEPT);
}

/**
 * These read-model documents, each replaced by the remembered answer when that is newer. An
 * answer the read model has reached is forgotten. A list keeps its filter: a document whose
 * newer state no longer belongs to it (`belongs`) leaves the list.
 */
export function withUnprojected(req: Request, docs: ActivityDoc[], timeZone: string, belongs: (d: ActivityDoc) => boolean = () => true): ActivityDoc[] {
  const remembered = req.session?.unprojected;
  if (!remembered?.length) return docs;
  const reached = (s: ActivityState) => docs.some((d) => d._id === s.id && d.version >= s.version);
  const left = remembered.filter((s) => !reached(s));
  if (left.length !== remembered.length) {
    if (left.length) req.session.unprojected = left;
    else delete req.session.unprojected;
  }
  return docs
    .map((d) => {
      const newer = left.find((s) => s.id === d._id && s.version > d.version);
      return newer ? toActivityDoc(newer, timeZone) : d;
    })
    .filter(belongs);
}
