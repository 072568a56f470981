import { z } from 'zod';
import { text } from '../../domain/report-line.js';

/**
 * TAXII 2.1 resources (OASIS Standard, 10 June 2021), the only source of the server's answer
 * shapes and of what the client accepts. STIX objects pass through as they are (loose objects).
 */

/** §3.1 (media types): every TAXII resource; the envelope's objects are STIX 2.1 content. */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

/** A STIX object as stored and served: at least its type and id; the rest is the producer's. */
export const stixObject = z.looseObject({
  type: z.string(),
  id: z.string(),
  spec_version: z.string().optional(),
  created: z.string().optional(),
  modified: z.string().optional(),
});
export type StixObject = z.infer<typeof stixObject>;

/** §4.1.1 Discovery Resource. */
export const discoveryResource = z.object({
  title: z.string(),
  description: z.string().optional(),
  contact: z.string().optional(),
  default: z.string().optional(),
  api_roots: z.array(z.string()),
});

/** §4.2.1 API Root Resource: max_content_length is what POST accepts (larger: 413). */
export const apiRootResource = z.object({
  title: z.string(),
  description: z.string().optional(),
  versions: z.array(z.string()),
  max_content_length: z.number().int(),
});

/** §5.2.1 Collection Resource: can_read / can_write tell the truth for the caller. */
export const collectionResource = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().optional(),
  alias: z.string().optional(),
  can_read: z.boolean(),
  can_write: z.boolean(),
  media_types: z.array(z.string()).optional(),
});
export type CollectionResource = z.infer<typeof collectionResource>;

/** §5.1.1 Collections Resource (`collections` is left out when there are none). */
export const collectionsResource = z.object({ collections: z.array(collectionResource).optional() });

/** §3.7 Envelope: one page of objects; `next` is present when `more` is true. */
export const envelope = z.object({
  more: z.boolean().optional(),
  next: z.string().optional(),
  objects: z.array(stixObject).optional(),
});
export type Envelope = z.infer<typeof envelope>;

/** §5.3.1 Manifest Resource. */
export const manifestRecord = z.object({
  id: z.string(),
  date_added: z.string(),
  version: z.string(),
  media_type: z.string().optional(),
});
export const manifestResource = z.object({
  more: z.boolean().optional(),
  next: z.string().optional(),
  objects: z.array(manifestRecord).optional(),
});

/** §5.8.1 Versions Resource. */
export const versionsResource = z.object({
  more: z.boolean().optional(),
  next: z.string().optional(),
  versions: z.array(z.string()).optional(),
});

/** §4.3.1 Status Resource and its details. */
export const statusDetails = z.object({
  id: z.string(),
  version: z.string(),
  message: z.string().optional(),
});
export type StatusDetails = z.infer<typeof statusDetails>;
export const statusResource = z.object({
  id: z.string(),
  status: z.enum(['complete', 'pending']),
  request_timestamp: z.string().optional(),
  total_count: z.number().int(),
  success_count: z.number().int(),
  successes: z.array(statusDetails).optional(),
  failure_count: z.number().int(),
  failures: z.array(statusDetails).optional(),
  pending_count: z.number().int(),
  pendings: z.array(statusDetails).optional(),
});
export type StatusResource = z.infer<typeof statusResource>;

/** §3.6.1 Error Message: every refusal under /taxii2/, the gate's included. */
export const errorResource = z.object({
  title: z.string(),
  description: z.string().optional(),
  error_id: z.string().optional(),
  error_code: z.string().optional(),
  http_status: z.string().optional(),
  external_details: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/**
 * The query of the objects, manifest and versions endpoints (§3.4 paging, §3.5 filtering). Ids and
 * filter values of the URL follow the one text rule of every input: a NUL or another control
 * character is a 400 here, not a PostgreSQL error.
 */
export const objectsQuery = z.object({
  added_after: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).optional(),
  next: text(200).optional(),
  'match[id]': text(10_000).optional(),
  'match[type]': text(2_000).optional(),
  'match[version]': text(2_000).optional(),
  'match[spec_version]': text(200).optional(),
});
export type ObjectsQuery = z.infer<typeof objectsQuery>;

export const collectionParams = z.object({ collection: text(100) });
export const objectParams = collectionParams.extend({ object: text(300) });
export const statusParams = z.object({ status: text(100) });
