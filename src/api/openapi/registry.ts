import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export const PROBLEM_STATUSES = [400, 401, 403, 404, 409, 412, 413, 415, 422, 429, 503] as const;

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    limit: z.object({ name: z.string(), max: z.number().int() }).optional().openapi({ description: 'The bound that was reached (type limit-reached)' }),
    instance: z.string().optional(),
    requestId: z.string().optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details' });

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A personal API token (lp_…) or an access token from the OpenID provider.',
  });
  registry.register('Problem', ProblemSchema);
  return registry;
}

export function openApiDocument(registry: OpenAPIRegistry, serverUrl: string) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'lisplan API',
      version: '1',
      description:
        'Informationssäkerhetens förbättringsplan (Ledningens genomgång, ISO/IEC 27001:2022 9.3) som arbetsflöden. Alla ändringar av en aktivitet går genom dess arbetsflöde; svaret är det nya tillståndet.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
  });
}
