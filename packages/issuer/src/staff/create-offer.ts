import { isTesseraError, type JsonObject } from '@tessera/shared';
import type { RequestHandler } from 'express';
import QRCode from 'qrcode';
import type { IssuerContext } from '../app/issuer-context.ts';
import { sendError, sendJson } from '../http/responses.ts';
import { createCredentialOffer } from '../oid4vci/credential-offer.ts';
import { callerOf } from './staff-auth.ts';
import { createOfferRequestSchema, describeRequestIssues } from './staff-schemas.ts';

/**
 * `POST /tenants/{tenant}/staff/offers`: a credential offer for the pre-authorized code flow
 * (OpenID4VCI 1.0 §4.1) with the claims staff entered. Answers 201 with the offer's links, its
 * QR code as an SVG document (level M), the PIN to hand over in person and when it expires.
 * `invalid_request` for a malformed body, `unsupported_credential_type` for a type the tenant does
 * not issue, `claims_invalid` (naming the claim and the rule, never the value) for claims that do
 * not fit the type, or whose `validity.untilClaim` day (a permit's `valid_until`) is already over,
 * so the credential would be born expired. Audited as `offer.create` with the type, never the claims.
 */
export function createOfferHandler(context: IssuerContext): RequestHandler {
  return async (request, response) => {
    const { tenantId, key } = callerOf(response);
    const parsed = createOfferRequestSchema.safeParse(request.body);
    if (!parsed.success) return sendError(response, 400, 'invalid_request', describeRequestIssues(parsed.error));
    const { type, claims, pin } = parsed.data;
    if (!(context.tenants.get(tenantId)?.credentialTypes.includes(type) ?? false) || !context.types.has(type)) {
      return sendError(response, 400, 'unsupported_credential_type', 'This issuer does not issue that credential type');
    }
    let created: Awaited<ReturnType<typeof createCredentialOffer>>;
    try {
      created = await createCredentialOffer(context, { tenantId, typeId: type, claims, pin, createdBy: key.id });
    } catch (error) {
      // validateClaims' messages name the claim path and the rule broken, never the value. Its
      // double quotes become single ones: error_description may not hold '"' (RFC 6749 §5.2).
      if (isTesseraError(error, 'claims_invalid')) {
        return sendError(response, 400, 'claims_invalid', error.message.replaceAll('"', "'"));
      }
      throw error;
    }
    await context.store.appendAudit(tenantId, {
      actor: key.id,
      action: 'offer.create',
      target: created.offerId,
      details: { type, pin: created.pin !== undefined },
    });
    // ISO/IEC 18004 level M: survives a scratched phone screen or glare without a much denser code.
    const qrSvg = await QRCode.toString(created.link, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
    const body: JsonObject = {
      offerId: created.offerId,
      type,
      link: created.link,
      linkByValue: created.linkByValue,
      qrSvg,
      expiresAt: created.expiresAt,
      ...(created.pin === undefined ? {} : { pin: created.pin }),
    };
    sendJson(response, 201, body);
  };
}
