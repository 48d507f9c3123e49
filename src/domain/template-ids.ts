import { z } from 'zod';

/** The activity templates there are (their content is in templates.ts). */
export const TEMPLATE_IDS = ['nis2', 'ai-routines', 'delegation', 'risk-analysis', 'information-classification', 'training'] as const;
export const TemplateId = z.enum(TEMPLATE_IDS);
export type TemplateId = z.infer<typeof TemplateId>;
