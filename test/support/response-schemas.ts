import { $ZodType } from 'zod/v4/core';
import type { RegisteredRoute } from '../../src/app.js';

/**
 * What the API documentation test asks of every route's answers: a schema for each 2xx it
 * answers that is neither empty nor "any" (in the OpenAPI document and as the zod schema the
 * serializer validates with), and the one error shape for every refusal. Each problem found is
 * named `METHOD /path: what`, so a failing test says which route to fix.
 */

interface MediaType {
  schema?: unknown;
}
interface ResponseObject {
  description?: string;
  content?: Record<string, MediaType>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, ResponseObject> }>>;
}

const NOT_A_CONSTRAINT = new Set(['description', 'title', 'examples', 'example', 'deprecated']);

/** A JSON schema that accepts anything: {} (perhaps with only a description), or a union with such a branch. */
export function acceptsAnything(schema: unknown): boolean {
  if (schema === true) return true;
  if (typeof schema !== 'object' || schema === null) return false;
  const keys = Object.keys(schema).filter((k) => !NOT_A_CONSTRAINT.has(k));
  if (keys.length === 0) return true;
  const s = schema as { anyOf?: unknown[]; oneOf?: unknown[] };
  return [...(s.anyOf ?? []), ...(s.oneOf ?? [])].some(acceptsAnything);
}

/** A zod schema that lets any value through (any, unknown), also as a branch of a union or wrapped. */
export function zodAcceptsAnything(schema: $ZodType): boolean {
  const def = schema._zod.def as { type: string; options?: $ZodType[]; innerType?: $ZodType };
  if (def.type === 'any' || def.type === 'unknown') return true;
  if (def.type === 'union') return (def.options ?? []).some(zodAcceptsAnything);
  if (def.innerType) return zodAcceptsAnything(def.innerType);
  return false;
}

const isSuccess = (status: string) => /^2\d\d$/.test(status);
const isRefusal = (status: string) => /^[45]\d\d$/.test(status);

/** The documented answers of every operation. */
export function documentProblems(doc: OpenApiDocument): string[] {
  const problems: string[] = [];
  let errorShape: string | undefined;
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const name = `${method.toUpperCase()} ${path}`;
      const responses = operation.responses ?? {};
      const statuses = Object.keys(responses);
      if (!statuses.some(isSuccess)) problems.push(`${name}: no 2xx answer documented`);
      for (const status of statuses) {
        const content = Object.entries(responses[status]?.content ?? {});
        if (isSuccess(status)) {
          // 204 No Content is the one success without a body.
          if (status === '204') {
            if (content.length > 0) problems.push(`${name}: 204 documents a body`);
            continue;
          }
          if (content.length === 0) problems.push(`${name}: ${status} has no schema`);
          for (const [media, { schema }] of content) {
            if (schema === undefined || acceptsAnything(schema))
              problems.push(`${name}: ${status} ${media} accepts anything`);
          }
        } else if (isRefusal(status)) {
          const shape = JSON.stringify(content.map(([media, { schema }]) => [media, schema]));
          errorShape ??= shape;
          if (shape !== errorShape || !/"error".*"request_id"/.test(shape))
            problems.push(`${name}: ${status} is not the error schema`);
        }
      }
    }
  }
  return problems;
}

/** The zod schemas a route's serializer validates its 2xx answers with. */
export function routeProblems(routes: readonly RegisteredRoute[]): string[] {
  const problems: string[] = [];
  for (const route of routes) {
    if (route.hidden) continue;
    const name = `${route.method} ${route.url}`;
    const successes = Object.entries(route.response ?? {}).filter(([status]) => isSuccess(status));
    if (successes.length === 0) problems.push(`${name}: no 2xx response schema`);
    for (const [status, declared] of successes) {
      const content = (declared as { content?: Record<string, MediaType> }).content;
      const schemas = content ? Object.values(content).map((m) => m.schema) : [declared];
      for (const schema of schemas) {
        if (!(schema instanceof $ZodType)) problems.push(`${name}: ${status} is not a zod schema`);
        else if (zodAcceptsAnything(schema)) problems.push(`${name}: ${status} accepts anything`);
      }
    }
  }
  return problems;
}
