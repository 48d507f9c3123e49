import type { Actor } from '../../src/domain/activity';

/** The people of the tests, in the roles the seed reports name. */
export const owner: Actor = { userId: 'anna', name: 'Anna Ägare', roles: ['it-coordinator'], delegations: [] };
export const coordinator: Actor = { userId: 'cecilia', name: 'Cecilia Samordnare', roles: ['security-coordinator'], delegations: [] };
export const head: Actor = { userId: 'hans', name: 'Hans Förvaltningschef', roles: ['head-of-administration'], delegations: [] };
export const infoOwner: Actor = { userId: 'ingrid', name: 'Ingrid Informationsägare', roles: ['information-owner'], delegations: [] };
export const viewer: Actor = { userId: 'vera', name: 'Vera Läsare', roles: [], delegations: [] };
/** Signs for the förvaltningschef during June 2026 only. */
export const delegate: Actor = {
  userId: 'dina',
  name: 'Dina Ställföreträdare',
  roles: [],
  delegations: [
    { id: 'del-1', from: { userId: 'hans', name: 'Hans Förvaltningschef' }, role: 'head-of-administration', validFrom: '2026-06-01', validTo: '2026-06-30' },
  ],
};
