/**
 * Signature verification of W3C VC/VP JWTs through Veramo (`@veramo/credential-w3c` with the JWT
 * provider of `@veramo/credential-jwt`), the signer's key found through a `did-resolver`
 * `Resolvable` the caller supplies. Veramo reports failures as `{ verified: false, error }` with a
 * message prefix; they are mapped here onto Tessera's error codes. Only the signature, the DID and
 * key lookup are taken from Veramo: every claim is checked again by Tessera (see `w3c/vc-jwt.ts` of
 * @tessera/shared, and `vc-jwt.ts` here).
 */
import { type ErrorCode, fail, isTesseraError, TesseraError } from '@tessera/shared';
import { createAgent, type ICredentialVerifier, type IResolver, type IVerifyResult } from '@veramo/core';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { type DIDResolutionResult, parse, type Resolvable } from 'did-resolver';
import { PASSED_ON } from '../keys/did.ts';

export interface VeramoCheckOptions {
  resolver: Resolvable;
  /** The verifier's clock in whole seconds, so Veramo's time checks agree with Tessera's. */
  nowSeconds: number;
  toleranceSeconds: number;
  audience?: string;
}

type VerifierAgent = ReturnType<typeof createAgent<IResolver & ICredentialVerifier>>;

/**
 * One agent per verification, with a resolver wrapper that remembers the first resolution failure:
 * Veramo keeps only the message of an error, and a failure of our DID drivers (`did_invalid`,
 * `fetch_blocked`…, reported in the resolution metadata's `code` or thrown) must surface with its
 * own code. The wrapper also refuses what did-jwt does not check: a document whose `id` is not the
 * DID, and a deactivated DID (DID Core §7.1.3).
 */
function verifierAgent(resolver: Resolvable): { agent: VerifierAgent; resolverError: () => unknown } {
  let resolverError: unknown;
  const capturing: Resolvable = {
    resolve: async (didUrl, options) => {
      let result: DIDResolutionResult;
      try {
        result = await resolver.resolve(didUrl, options);
      } catch (error) {
        resolverError ??= error;
        throw error;
      }
      const failure = resolutionFailure(result, parse(didUrl)?.did);
      if (failure === undefined) return result;
      resolverError ??= failure;
      return { didResolutionMetadata: { error: 'notFound' }, didDocument: null, didDocumentMetadata: {} };
    },
  };
  const agent = createAgent<IResolver & ICredentialVerifier>({
    plugins: [new DIDResolverPlugin({ resolver: capturing }), new CredentialPlugin([new CredentialProviderJWT()])],
  });
  return { agent, resolverError: () => resolverError };
}

function resolutionFailure(result: DIDResolutionResult, did: string | undefined): TesseraError | undefined {
  const metadata = result?.didResolutionMetadata ?? {};
  if (metadata.error !== undefined) {
    const message = typeof metadata.message === 'string' ? metadata.message : 'DID resolution failed';
    if (typeof metadata.code === 'string' && PASSED_ON.has(metadata.code))
      return new TesseraError(metadata.code as ErrorCode, message);
    const invalid = metadata.error === 'invalidDid' || metadata.error === 'unsupportedDidMethod';
    return new TesseraError(invalid ? 'did_invalid' : 'did_resolution_failed', message);
  }
  if (result.didDocument == null || result.didDocument.id !== did) {
    return new TesseraError('did_resolution_failed', 'The resolved DID document is missing or its id is not the DID');
  }
  if (result.didDocumentMetadata?.deactivated === true)
    return new TesseraError('did_resolution_failed', 'The DID is deactivated');
  return undefined;
}

/**
 * Verifies a VC JWT's signature with a key from the `assertionMethod` relationship of the `iss`
 * DID (DID Core §5.3.2: the relationship for issuing credentials). Returns the id of the
 * verification method that verified it.
 */
export async function veramoVerifyCredential(jwt: string, options: VeramoCheckOptions): Promise<string> {
  const { agent, resolverError } = verifierAgent(options.resolver);
  let result: IVerifyResult;
  try {
    result = await agent.verifyCredential({
      credential: jwt,
      policies: { now: options.nowSeconds },
      skewTime: options.toleranceSeconds,
      proofPurpose: 'assertionMethod',
      ...(options.audience !== undefined ? { audience: options.audience } : {}),
    });
  } catch (error) {
    failFromVeramo(undefined, resolverError(), error, 'credential');
  }
  if (result.verified !== true) failFromVeramo(result.error, resolverError(), result.error, 'credential');
  return signerId(result.signer);
}

/**
 * Verifies a VP JWT's signature with a key from the `authentication` relationship of the `iss`
 * DID (DID Core §5.3.1: proving control of the DID), with Veramo's own `challenge` (nonce) and
 * `domain` (aud) checks on. It does not verify the credentials inside; the caller does.
 */
export async function veramoVerifyPresentation(jwt: string, options: VeramoCheckOptions & { nonce: string }): Promise<string> {
  const { agent, resolverError } = verifierAgent(options.resolver);
  let result: IVerifyResult;
  try {
    result = await agent.verifyPresentation({
      presentation: jwt,
      challenge: options.nonce,
      ...(options.audience !== undefined ? { domain: options.audience } : {}),
      policies: { now: options.nowSeconds },
      skewTime: options.toleranceSeconds,
      proofPurpose: 'authentication',
    });
  } catch (error) {
    failFromVeramo(undefined, resolverError(), error, 'presentation');
  }
  if (result.verified !== true) failFromVeramo(result.error, resolverError(), result.error, 'presentation');
  return signerId((result.verifiablePresentation as { signer?: unknown } | undefined)?.signer);
}

function signerId(signer: unknown): string {
  const id = typeof signer === 'object' && signer !== null ? (signer as { id?: unknown }).id : undefined;
  if (typeof id !== 'string') fail('invalid_signature', 'Veramo reported no verification method for the signature');
  return id;
}

/**
 * Veramo's error codes are the prefixes of did-jwt and did-jwt-vc messages. The message itself
 * may quote DIDs and claim values, so it travels only as the `cause`.
 */
function failFromVeramo(
  error: { errorCode?: string; message?: string } | undefined,
  resolverError: unknown,
  cause: unknown,
  what: 'credential' | 'presentation',
): never {
  if (isTesseraError(resolverError)) throw resolverError;
  if (resolverError !== undefined) fail('did_resolution_failed', 'The DID of the signer could not be resolved', resolverError);
  const code = error?.errorCode ?? (typeof error?.message === 'string' ? error.message.split(':')[0] : undefined);
  switch (code) {
    case 'invalid_signature':
      fail('invalid_signature', `The ${what} signature does not verify with a key of the signer's DID`, cause);
      break;
    case 'no_suitable_keys':
      fail('issuer_key_not_found', `The signer's DID document has no key for this algorithm and purpose`, cause);
      break;
    case 'resolver_error':
      fail('did_resolution_failed', 'The DID of the signer could not be resolved', cause);
      break;
    case 'not_supported':
      fail('unsupported_algorithm', `Veramo cannot verify this ${what}'s algorithm`, cause);
      break;
    default:
      fail('w3c_invalid', `Veramo rejected the ${what}`, cause);
  }
}
