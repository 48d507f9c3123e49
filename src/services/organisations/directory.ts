import type { Models } from '../../store/models';
import type { OrganisationDoc } from '../../store/models/organisation';
import { isDuplicateKey } from '../../store/errors';
import { withoutUndefined } from '../../domain/defined';
import { Problem } from '../problem';

/** The city's organisations as the pages, the API, the CLI and the review steps look them up. */

/** Every organisation, in id order. */
export function allOrganisations(models: Models): Promise<OrganisationDoc[]> {
  return models.organisations.find({}).sort({ _id: 1 }).lean<OrganisationDoc[]>().exec();
}

/** Every organisation's id, in order. */
export async function organisationIds(models: Models): Promise<string[]> {
  return (await models.organisations.find().select({ _id: 1 }).sort({ _id: 1 }).lean()).map((o) => o._id);
}

/** Every organisation's name by its id. */
export async function organisationNames(models: Models): Promise<Record<string, string>> {
  const orgs = await models.organisations.find({}, { name: 1 }).lean();
  return Object.fromEntries(orgs.map((o) => [o._id, o.name]));
}

export function findOrganisation(models: Models, orgId: string): Promise<OrganisationDoc | null> {
  return models.organisations.findById(orgId).lean<OrganisationDoc>().exec();
}

/** The organisation, or a 404 problem. */
export async function organisationOr404(models: Models, orgId: string): Promise<OrganisationDoc> {
  const org = await findOrganisation(models, orgId);
  if (!org) throw Problem.notFound(`Organisationen ${orgId} finns inte.`);
  return org;
}

type OrganisationFields = Pick<OrganisationDoc, 'name' | 'board' | 'plan' | 'areas' | 'goals'>;

/** A new, empty organisation; 409 when the id is taken. */
export async function createOrganisation(models: Models, id: string, fields: OrganisationFields): Promise<void> {
  try {
    await models.organisations.create({ _id: id, ...fields, updatedAt: new Date() });
  } catch (err) {
    if (isDuplicateKey(err)) throw new Problem(409, 'conflict', 'Finns redan', `Organisationen ${id} finns redan.`);
    throw err;
  }
}

/** Sets the fields given; the others stay. */
export async function updateOrganisation(models: Models, orgId: string, fields: Partial<OrganisationFields>): Promise<void> {
  await models.organisations.updateOne({ _id: orgId }, { $set: { ...withoutUndefined(fields), updatedAt: new Date() } });
}

/** A 404 problem unless the organisation exists. */
export async function requireOrganisation(models: Models, orgId: string): Promise<void> {
  if (!(await models.organisations.exists({ _id: orgId }))) throw Problem.notFound(`Organisationen ${orgId} finns inte.`);
}

/** The organisation's focus areas; none when it does not exist. */
export async function areasOf(models: Models, orgId: string): Promise<OrganisationDoc['areas']> {
  return (await models.organisations.findById(orgId).select({ areas: 1 }).lean())?.areas ?? [];
}

/** The plan window moves on: the adopted review of `year` plans the three years after it. */
export async function advancePlanWindow(models: Models, orgId: string, year: number): Promise<void> {
  // One atomic update: a coordinator's PATCH of the plan at the same moment is not undone.
  await models.organisations.updateOne({ _id: orgId }, { $max: { 'plan.startYear': year + 1, 'plan.endYear': year + 3 }, $set: { updatedAt: new Date() } });
}
