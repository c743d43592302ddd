import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../encoding/json.ts';
import { type ClaimPath, formatClaimPath, isClaimPath, pathsOverlap, selectClaims } from './claim-path.ts';

const CLAIMS: JsonValue = JSON.parse(
  JSON.stringify({
    given_name: 'Erika',
    address: { locality: 'Köln', street_address: 'Heidestr. 17' },
    nationalities: ['DE', 'FR'],
    degrees: [{ type: 'BSc', name: 'Physics' }, { type: 'MSc', name: 'Maths' }, { name: 'no type' }],
    empty: [],
    nothing: null,
  }),
);

describe('isClaimPath', () => {
  it.each<[string, unknown]>([
    ['one name', ['a']],
    ['names, positions and null', ['degrees', 0, 'type']],
    ['null for every element', ['degrees', null]],
    ['an empty name', ['']],
    ['position 0', [0]],
  ])('accepts %s', (_, path) => {
    expect(isClaimPath(path)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['an empty path', []],
    ['a string', 'a'],
    ['null', null],
    ['a negative position', ['a', -1]],
    ['a fractional position', ['a', 1.5]],
    ['NaN', ['a', Number.NaN]],
    ['an unsafe integer', ['a', 2 ** 53]],
    ['a boolean step', ['a', true]],
    ['an object step', ['a', {}]],
    ['a nested path', [['a']]],
    ['undefined as a step', ['a', undefined]],
  ])('rejects %s', (_, path) => {
    expect(isClaimPath(path)).toBe(false);
  });
});

describe('formatClaimPath', () => {
  it('names steps without any claim value', () => {
    expect(formatClaimPath(['degrees', null, 'type'])).toBe('"degrees".[*]."type"');
    expect(formatClaimPath(['nationalities', 1])).toBe('"nationalities".[1]');
  });
});

describe('selectClaims', () => {
  it.each<[string, ClaimPath, JsonValue[]]>([
    ['a top-level claim', ['given_name'], ['Erika']],
    ['a nested claim', ['address', 'locality'], ['Köln']],
    ['an object claim', ['address'], [{ locality: 'Köln', street_address: 'Heidestr. 17' }]],
    ['one array position', ['nationalities', 1], ['FR']],
    ['every array element', ['nationalities', null], ['DE', 'FR']],
    ['a member of every element, skipping elements without it', ['degrees', null, 'type'], ['BSc', 'MSc']],
    ['a null claim', ['nothing'], [null]],
  ])('selects %s', (_, path, expected) => {
    expect(selectClaims(CLAIMS, path)).toEqual(expected);
  });

  it.each<[string, ClaimPath]>([
    ['an unknown claim', ['missing']],
    ['a position past the end', ['nationalities', 2]],
    ['a position in an object', ['address', 0]],
    ['a name in an array', ['nationalities', 'length']],
    ['every element of an object', ['address', null]],
    ['every element of an empty array', ['empty', null]],
    ['a member of a string', ['given_name', 'length']],
    ['a member of null', ['nothing', 'x']],
    ['an inherited name', ['constructor']],
    ['an inherited name inside an object', ['address', 'toString']],
    ['__proto__ that is not an own claim', ['__proto__']],
  ])('selects nothing for %s', (_, path) => {
    expect(selectClaims(CLAIMS, path)).toEqual([]);
  });

  it('selects an own __proto__ claim without touching the prototype', () => {
    const claims = JSON.parse('{"__proto__":{"x":1}}') as JsonValue;
    expect(selectClaims(claims, ['__proto__', 'x'])).toEqual([1]);
  });
});

describe('pathsOverlap', () => {
  it.each<[ClaimPath, ClaimPath, boolean]>([
    [['address'], ['address', 'locality'], true],
    [['address', 'locality'], ['address'], true],
    [['address', 'locality'], ['address', 'locality'], true],
    [['address', 'locality'], ['address', 'street_address'], false],
    [['degrees', null, 'type'], ['degrees', 3], true],
    [['degrees', null, 'type'], ['degrees', 3, 'name'], false],
    [['degrees', 1], ['degrees', 0], false],
    [['degrees', null], ['degrees', 'x'], false],
    [['a'], ['b'], false],
  ])('%j and %j overlap: %s', (pattern, concrete, expected) => {
    expect(pathsOverlap(pattern, concrete)).toBe(expected);
  });
});
