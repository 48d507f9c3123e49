/**
 * Categories of reported information-security incidents, as the reports count them. The
 * review compares each year with the year before.
 */
export const INCIDENT_CATEGORIES = [
  { id: 'forlorad-utrustning', label: 'Förlorad eller stulen utrustning' },
  { id: 'obehorig-atkomst', label: 'Obehörig åtkomst eller intrång' },
  { id: 'felskickad-information', label: 'Felskickad eller röjd information' },
  { id: 'skadlig-kod', label: 'Skadlig kod och nätfiske' },
  { id: 'driftstorning', label: 'Driftstörning och otillgänglighet' },
  { id: 'personuppgiftsincident', label: 'Personuppgiftsincident' },
  { id: 'ovrigt', label: 'Övrigt' },
] as const;

export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number]['id'];
export const INCIDENT_CATEGORY_IDS = INCIDENT_CATEGORIES.map((c) => c.id) as [IncidentCategory, ...IncidentCategory[]];
