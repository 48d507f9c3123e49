import type { Models } from '../../store/models';
import type { UserDoc } from '../../store/models/user';
import type { RoleName } from '../../domain/roles';

/**
 * Fictional people, one per role the seed reports name, for demonstrations and development
 * login. They carry only a name, an email and roles.
 */
const PEOPLE: Record<string, [string, RoleName[]][]> = {
  fastighetskontoret: [
    ['Karin Lind', ['security-coordinator']],
    ['Per Ek', ['head-of-administration']],
    ['Sara Berg', ['it-coordinator']],
    ['Omar Nilsson', ['system-object-manager']],
    ['Lena Holm', ['procurement-officer']],
    ['Jonas Dahl', ['data-protection-officer']],
    ['Maria Sjö', ['information-owner']],
    ['Erik Strand', ['protective-security-coordinator']],
    ['Vera Ljung', ['viewer']],
    ['Anders Admin', ['admin']],
  ],
  sodermalm: [
    ['Fatima Ali', ['security-coordinator']],
    ['Johan Wikström', ['head-of-administration']],
    ['Elin Söder', ['it-coordinator', 'it-strategist']],
    ['Ali Hassan', ['system-object-manager']],
    ['Karl Ström', ['procurement-officer']],
    ['Sofia Björk', ['data-protection-officer']],
    ['Nils Åberg', ['information-owner']],
    ['Ida Lund', ['archivist']],
    ['Mats Falk', ['viewer']],
    ['Eva Admin', ['admin']],
  ],
};

export function demoUsers(): UserDoc[] {
  const users = Object.entries(PEOPLE).flatMap(([orgId, people]) =>
    people.map(([name, roles]) => ({
      _id: `demo-${slug(name)}`,
      name,
      email: `${slug(name).replace('-', '.')}@demo.lisplan.se`,
      memberships: [{ orgId, roles }],
      cityViewer: false,
      demo: true,
    })),
  );
  users.push({ _id: 'demo-stad', name: 'Stina Stad', email: 'stina.stad@demo.lisplan.se', memberships: [], cityViewer: true, demo: true });
  return users;
}

export async function upsertDemoUsers(models: Models): Promise<number> {
  const users = demoUsers();
  for (const { _id, ...user } of users) {
    await models.users.updateOne({ _id }, { $set: user }, { upsert: true });
  }
  return users.length;
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z]+/g, '-');
}
