/**
 * Test-only helpers (`@tessera/shared/testing`) that run anywhere: no Node module, no Node global,
 * so suites that also drive a browser can use them. The Node-only fixtures live in
 * `@tessera/shared/node/testing`. Not exported from the package's main entry point.
 */
import { type ErrorCode, isTesseraError } from './errors/tessera-error.ts';

/** What the helpers below answer when something other than a `TesseraError` was thrown. */
export const NOT_A_TESSERA_ERROR = 'not a TesseraError';

/**
 * How a piece of code ended: the `TesseraError` code it failed with, `NOT_A_TESSERA_ERROR` when
 * it threw anything else, `undefined` when it threw nothing.
 */
export type ThrownCode = ErrorCode | typeof NOT_A_TESSERA_ERROR | undefined;

function codeOfThrown(error: unknown): ErrorCode | typeof NOT_A_TESSERA_ERROR {
  return isTesseraError(error) ? error.code : NOT_A_TESSERA_ERROR;
}

/**
 * Runs synchronous code and answers with the `TesseraError` code it threw, `NOT_A_TESSERA_ERROR`
 * when it threw something else, or `undefined` when it returned. Code that returns a promise is
 * refused with a TypeError (it cannot be judged here: use `errorCodeOfAsync`).
 */
export function errorCodeOf(run: () => unknown): ThrownCode {
  let result: unknown;
  try {
    result = run();
  } catch (error) {
    return codeOfThrown(error);
  }
  if (typeof (result as { then?: unknown } | null)?.then === 'function') {
    throw new TypeError('errorCodeOf ran code that returned a promise: use errorCodeOfAsync');
  }
  return undefined;
}

/**
 * Awaits a promise and answers with the `TesseraError` code it rejected with,
 * `NOT_A_TESSERA_ERROR` when it rejected with something else, or `undefined` when it resolved.
 */
export async function errorCodeOfAsync(promise: Promise<unknown>): Promise<ThrownCode> {
  try {
    await promise;
  } catch (error) {
    return codeOfThrown(error);
  }
  return undefined;
}
