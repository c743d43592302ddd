import { z } from 'zod';

/**
 * The staff API's request shapes. The route handlers validate with these schemas, and the OpenAPI
 * document is generated from the same ones (`z.toJSONSchema`), so the two cannot drift apart.
 */

/** Credential type ids (`credentialTypeSchema.id`). */
const TYPE_ID = /^[a-z][a-z0-9_]{0,63}$/;
/** Record and offer ids as the store makes them: RFC 3986 unreserved characters. */
export const RECORD_ID = /^[A-Za-z0-9._~-]{1,128}$/;

/** `POST /tenants/{tenant}/staff/offers`. */
export const createOfferRequestSchema = z
  .strictObject({
    type: z
      .string()
      .regex(TYPE_ID, 'must be a credential type id such as "residence_permit"')
      .describe('Id of a credential type this tenant issues (see GET /tenants).'),
    claims: z
      .record(z.string(), z.unknown())
      .describe("The holder's claims, checked against the credential type (its claims and their constraints)."),
    pin: z
      .boolean()
      .default(true)
      .describe('Protect the offer with a 6-digit PIN (tx_code) to hand over in person. Default true.'),
  })
  .meta({ title: 'CreateOfferRequest' });

/** The three statuses staff set; the Token Status List values are 0, 1 and 2 (draft-ietf-oauth-status-list §7.1). */
export const STAFF_STATUSES = ['valid', 'revoked', 'suspended'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];

/** `POST /tenants/{tenant}/staff/credentials/{recordId}/status`. */
export const setStatusRequestSchema = z
  .strictObject({
    status: z
      .enum(STAFF_STATUSES)
      .describe('revoked is final; suspended and valid may alternate (suspension needs a 2-bit status list).'),
  })
  .meta({ title: 'SetStatusRequest' });

/** `?limit=&cursor=` of the staff lists. Query values arrive as strings; a repeated one as an array, which fails. */
export const pageQuerySchema = z
  .strictObject({
    limit: z
      .string()
      .regex(/^(?:[1-9]\d?|100)$/, 'must be a whole number from 1 to 100')
      .transform(Number)
      .optional()
      .describe('Items per page, 1 to 100; default 50.'),
    cursor: z.string().min(1).max(400).optional().describe('nextCursor of the previous page.'),
  })
  .meta({ title: 'PageQuery' });

export type CreateOfferRequest = z.output<typeof createOfferRequestSchema>;
export type SetStatusRequest = z.output<typeof setStatusRequestSchema>;

/**
 * One line naming where the request is wrong and which rule it breaks, e.g.
 * `status: Invalid option: expected one of "valid"|"revoked"|"suspended"`. zod's messages name
 * expectations, never the value received, so no claim value can leak through here.
 */
export function describeRequestIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length === 0 ? '(body)' : issue.path.map(String).join('.')}: ${issue.message}`)
    .join('; ');
}
