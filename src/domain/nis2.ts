/**
 * The ten cybersecurity risk-management measures of NIS2 Article 21(2), as the Swedish
 * cybersäkerhetslag carries them over. Ids match `PlanActivity.nis2Measures`.
 */
export const NIS2_MEASURES = [
  { id: '21.2.a', title: 'Riskanalys och säkerhetspolicyer för informationssystem' },
  { id: '21.2.b', title: 'Incidenthantering' },
  { id: '21.2.c', title: 'Kontinuitetshantering, säkerhetskopiering, katastrofåterställning och krishantering' },
  { id: '21.2.d', title: 'Säkerhet i leveranskedjan' },
  { id: '21.2.e', title: 'Säkerhet vid förvärv, utveckling och underhåll av nätverks- och informationssystem, inklusive hantering och rapportering av sårbarheter' },
  { id: '21.2.f', title: 'Strategier och förfaranden för att bedöma effektiviteten i åtgärderna för hantering av cybersäkerhetsrisker' },
  { id: '21.2.g', title: 'Grundläggande cyberhygien och utbildning i cybersäkerhet' },
  { id: '21.2.h', title: 'Strategier och förfaranden för användning av kryptografi och kryptering' },
  { id: '21.2.i', title: 'Personalsäkerhet, strategier för åtkomstkontroll och hantering av tillgångar' },
  { id: '21.2.j', title: 'Multifaktorautentisering, säkrad kommunikation och säkrade nödkommunikationssystem' },
] as const;

export type Nis2MeasureId = (typeof NIS2_MEASURES)[number]['id'];
