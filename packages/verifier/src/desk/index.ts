/**
 * `@tessera/verifier/desk`: the service-desk page for express 5 (Node only: it serves its script
 * and styles from files). The view and template helpers are plain TypeScript.
 */
export { createDeskRouter, type DeskErrorCode, type DeskRouterOptions, isLoopbackRequest } from './desk-router.ts';
export { DESK_CATALOGS, type DeskMessageKey, errorMessageKey } from './messages.ts';
export {
  createDeskTemplates,
  DEFAULT_CREDENTIAL_TYPES,
  type DeskCredentialTypes,
  type DeskTemplate,
  type DeskTemplateId,
  findDeskTemplate,
  presentationRequest,
} from './templates.ts';
export {
  type DeskClaimView,
  type DeskCredentialView,
  type DeskOutcome,
  type DeskStatusCode,
  type DeskStatusView,
  type DeskText,
  type DeskTransactionView,
  type RenderViewOptions,
  renderTransactionView,
} from './view.ts';
