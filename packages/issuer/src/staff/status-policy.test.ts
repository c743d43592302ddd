import { describe, expect, it } from 'vitest';
import { credentialStatus, recordStatus, statusTransition } from './status-policy.ts';

describe('statusTransition', () => {
  it('revokes a valid or suspended credential', () => {
    expect(statusTransition(0, 'revoked', 2)).toEqual({ outcome: 'change', value: 1 });
    expect(statusTransition(2, 'revoked', 2)).toEqual({ outcome: 'change', value: 1 });
    expect(statusTransition(0, 'revoked', 1)).toEqual({ outcome: 'change', value: 1 });
  });

  it('suspends and reinstates back and forth on a 2-bit list', () => {
    expect(statusTransition(0, 'suspended', 2)).toEqual({ outcome: 'change', value: 2 });
    expect(statusTransition(2, 'valid', 2)).toEqual({ outcome: 'change', value: 0 });
  });

  it('never changes a revoked credential again (draft-ietf-oauth-status-list §7.1)', () => {
    expect(statusTransition(1, 'valid', 2)).toEqual({ outcome: 'final' });
    expect(statusTransition(1, 'suspended', 2)).toEqual({ outcome: 'final' });
  });

  it('treats the status a credential already has as no change, revoked included', () => {
    expect(statusTransition(1, 'revoked', 2)).toEqual({ outcome: 'unchanged' });
    expect(statusTransition(0, 'valid', 1)).toEqual({ outcome: 'unchanged' });
  });

  it('refuses to suspend on a 1-bit list, which has no SUSPENDED value', () => {
    expect(statusTransition(0, 'suspended', 1)).toEqual({ outcome: 'unsupported' });
  });

  it('names application-specific values "other"', () => {
    expect([0, 1, 2, 3, 15].map(recordStatus)).toEqual(['valid', 'revoked', 'suspended', 'other', 'other']);
  });
});

describe('credentialStatus', () => {
  it('is the status all instances share', () => {
    expect(credentialStatus([0, 0, 0])).toBe('valid');
    expect(credentialStatus([2, 2])).toBe('suspended');
    expect(credentialStatus([1, 1, 1])).toBe('revoked');
    expect(credentialStatus([3])).toBe('other');
  });

  it('is revoked only when no instance is left that the holder could still present', () => {
    expect(credentialStatus([1, 0, 1])).toBe('valid');
    expect(credentialStatus([1, 2])).toBe('suspended');
    expect(credentialStatus([2, 0])).toBe('valid');
    expect(credentialStatus([1, 5])).toBe('other');
  });

  it('refuses a credential without instances', () => {
    expect(() => credentialStatus([])).toThrow(TypeError);
  });
});
