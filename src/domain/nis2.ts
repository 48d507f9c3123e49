/**
 * The ten cybersecurity risk-management measures of NIS2 Article 21(2), as the Swedish
 * cybersäkerhetslag carries them over, with the directive's English wording for the English UI.
 * Ids match `PlanActivity.nis2Measures`.
 */
export const NIS2_MEASURES = [
  { id: '21.2.a', title: 'Riskanalys och säkerhetspolicyer för informationssystem', titleEn: 'Policies on risk analysis and information system security' },
  { id: '21.2.b', title: 'Incidenthantering', titleEn: 'Incident handling' },
  { id: '21.2.c', title: 'Kontinuitetshantering, säkerhetskopiering, katastrofåterställning och krishantering', titleEn: 'Business continuity, backup management, disaster recovery and crisis management' },
  { id: '21.2.d', title: 'Säkerhet i leveranskedjan', titleEn: 'Supply chain security' },
  { id: '21.2.e', title: 'Säkerhet vid förvärv, utveckling och underhåll av nätverks- och informationssystem, inklusive hantering och rapportering av sårbarheter', titleEn: 'Security in network and information systems acquisition, development and maintenance, including vulnerability handling and disclosure' },
  { id: '21.2.f', title: 'Strategier och förfaranden för att bedöma effektiviteten i åtgärderna för hantering av cybersäkerhetsrisker', titleEn: 'Policies and procedures to assess the effectiveness of cybersecurity risk-management measures' },
  { id: '21.2.g', title: 'Grundläggande cyberhygien och utbildning i cybersäkerhet', titleEn: 'Basic cyber hygiene practices and cybersecurity training' },
  { id: '21.2.h', title: 'Strategier och förfaranden för användning av kryptografi och kryptering', titleEn: 'Policies and procedures regarding the use of cryptography and encryption' },
  { id: '21.2.i', title: 'Personalsäkerhet, strategier för åtkomstkontroll och hantering av tillgångar', titleEn: 'Human resources security, access control policies and asset management' },
  { id: '21.2.j', title: 'Multifaktorautentisering, säkrad kommunikation och säkrade nödkommunikationssystem', titleEn: 'Multi-factor authentication, secured communications and secured emergency communication systems' },
] as const;

export type Nis2MeasureId = (typeof NIS2_MEASURES)[number]['id'];

/**
 * NIS2 Article 20(2): the members of the management body follow cybersecurity training (the
 * cybersäkerhetslag's duty for ledningen). It is not one of the ten Article 21(2) measures, so it
 * is not in NIS2_MEASURES, whose rows the review's NIS2 chapter and the nis2 template list; a plan
 * item may carry it as a tag, e.g. training for the board and management.
 */
export const NIS2_MANAGEMENT_TRAINING = { id: '20.2', title: 'Utbildning för ledningsorganet (artikel 20.2)' } as const;

/** A measure's id as Swedish legal text cites it: "21.2.a" is "21.2 a" (artikel 21.2 a). */
export function measureLabel(id: string): string {
  return id.replace(/^(\d+\.\d+)\.([a-j])$/, '$1 $2');
}

/** A measure's id as English legal text cites it: "21.2.a" is "21(2)(a)" (Article 21(2)(a)). */
export function measureLabelEn(id: string): string {
  return id.replace(/^(\d+)\.(\d+)\.([a-j])$/, '$1($2)($3)');
}

/** What `PlanActivity.nis2Measures` accepts: an Article 21(2) measure or Article 20(2). */
export const NIS2_TAG = /^(?:21\.2\.[a-j]|20\.2)$/;
