import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as shared from './index.ts';

/**
 * `@tessera/shared`, `@tessera/wallet` and `@tessera/verifier` must run in browsers as well as in
 * Node. This test reads their sources (with the TypeScript parser, so comments and names such as
 * `BufferSource` do not count) and fails on any Node-only dependency outside the few files that
 * are Node-only by design and reachable only through the `@tessera/shared/node` subpath.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BROWSER_SAFE_SOURCES = ['packages/shared/src', 'packages/wallet/src', 'packages/verifier/src'];

/**
 * Node-only by design, reachable only through a package's `/node` subpath: the subpath entries
 * (`src/node.ts`), anything in a `src/node/` folder, node:crypto in shared, and node:zlib for
 * status lists. The wallet's command line (`src/cli/`) is Node-only too, reached only through
 * its `bin/tessera-wallet.mjs`, and so is the wallet app's build code (`src/app/node/`: Vite
 * plugins, run by the build, never bundled into the app).
 */
function isNodeOnlyFile(file: string): boolean {
  return (
    /^packages\/[^/]+\/src\/node\.ts$/.test(file) ||
    /^packages\/[^/]+\/src\/node\//.test(file) ||
    file.startsWith('packages/wallet/src/cli/') ||
    file.startsWith('packages/wallet/src/app/node/') ||
    file === 'packages/shared/src/crypto/node.ts' ||
    /(^|\/)status-list\/[^/]*node[^/]*\.ts$/.test(file)
  );
}

/** Tests and test-only helpers run in Node under vitest; they may use anything. */
function isTestFile(file: string): boolean {
  const name = file.slice(file.lastIndexOf('/') + 1);
  return (
    name.endsWith('.test.ts') ||
    name.startsWith('test-') ||
    /(^|\/)(test|tests|__tests__)\//.test(file) ||
    name === 'test-helpers.ts'
  );
}

/** Node's globals that do not exist in browsers. */
const NODE_GLOBALS = new Set(['Buffer', 'process', '__dirname', '__filename', 'require', 'global', 'module', 'exports']);
const NODE_BUILTINS = new Set(builtinModules.map((name) => name.replace(/^node:/, '')));

function isNodeModuleSpecifier(specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  if (specifier === '@tessera/shared/node') return true;
  return NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split('/')[0] as string);
}

function listTypeScript(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listTypeScript(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

interface Finding {
  file: string;
  line: number;
  what: string;
}

interface SourceFacts {
  /** Every module specifier the file imports or re-exports, statically or dynamically. */
  specifiers: { specifier: string; line: number }[];
  /** Uses of Node globals in value or type position. */
  globals: Finding[];
}

function readFacts(file: string): SourceFacts {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lineOf = (node: ts.Node): number => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const facts: SourceFacts = { specifiers: [], globals: [] };

  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      if (ts.isStringLiteral(node.moduleSpecifier)) {
        facts.specifiers.push({ specifier: node.moduleSpecifier.text, line: lineOf(node) });
      }
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument !== undefined && ts.isStringLiteralLike(argument))
        facts.specifiers.push({ specifier: argument.text, line: lineOf(node) });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      facts.specifiers.push({ specifier: node.argument.literal.text, line: lineOf(node) });
    } else if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text) && isFreeReference(node)) {
      facts.globals.push({ file, line: lineOf(node), what: `uses the Node global ${node.text}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return facts;
}

/** False where the identifier is a property or member name rather than a reference to a global. */
function isFreeReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (
    (ts.isPropertyAccessExpression(parent) || ts.isQualifiedName(parent)) &&
    node !== (ts.isQualifiedName(parent) ? parent.left : parent.expression)
  ) {
    return false;
  }
  if (
    (ts.isPropertyAssignment(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isMethodSignature(parent) ||
      ts.isGetAccessorDeclaration(parent) ||
      ts.isSetAccessorDeclaration(parent) ||
      ts.isEnumMember(parent)) &&
    parent.name === node
  ) {
    return false;
  }
  if (ts.isBindingElement(parent) && parent.propertyName === node) return false;
  return true;
}

const sourceFiles = BROWSER_SAFE_SOURCES.flatMap(listTypeScript).filter((file) => !isTestFile(file));
const browserSafeFiles = sourceFiles.filter((file) => !isNodeOnlyFile(file));

describe('browser safety of shared, wallet and verifier', () => {
  it('finds the sources it is meant to scan', () => {
    expect(browserSafeFiles).toContain('packages/shared/src/index.ts');
    expect(browserSafeFiles).toContain('packages/wallet/src/index.ts');
    expect(browserSafeFiles).toContain('packages/verifier/src/index.ts');
    expect(browserSafeFiles).not.toContain('packages/shared/src/crypto/node.ts');
  });

  it('imports no Node module and uses no Node global outside the Node-only files', () => {
    const findings: Finding[] = [];
    for (const file of browserSafeFiles) {
      const facts = readFacts(file);
      findings.push(...facts.globals);
      for (const { specifier, line } of facts.specifiers) {
        if (isNodeModuleSpecifier(specifier)) findings.push({ file, line, what: `imports ${specifier}` });
      }
    }
    expect(findings.map(({ file, line, what }) => `${file}:${line} ${what}`)).toEqual([]);
  });

  it('never reaches a Node-only file from a package entry point through relative imports', () => {
    const findings: string[] = [];
    const seen = new Set<string>();
    const queue = [
      'packages/shared/src/index.ts',
      'packages/wallet/src/index.ts',
      'packages/verifier/src/index.ts',
      'packages/verifier/src/w3c/index.ts',
    ];
    while (queue.length > 0) {
      const file = queue.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const { specifier, line } of readFacts(file).specifiers) {
        let target: string | undefined;
        if (specifier.startsWith('.'))
          target = relative(ROOT, resolve(ROOT, dirname(file), specifier))
            .split(sep)
            .join('/');
        else if (specifier === '@tessera/shared') target = 'packages/shared/src/index.ts';
        if (target === undefined) continue;
        if (isNodeOnlyFile(target)) findings.push(`${file}:${line} imports the Node-only ${target}`);
        else if (!isTestFile(target)) queue.push(target);
      }
    }
    expect(seen.size).toBeGreaterThan(10);
    expect(findings).toEqual([]);
  });

  it('serves the core API from the main entry point, without the node subpath', () => {
    const core = {
      issueSdJwtVc: shared.issueSdJwtVc,
      presentSdJwt: shared.presentSdJwt,
      verifySdJwtVc: shared.verifySdJwtVc,
      verifySdJwt: shared.verifySdJwt,
      generateKeyPair: shared.generateKeyPair,
      fail: shared.fail,
    };
    for (const [name, value] of Object.entries(core)) expect(typeof value, name).toBe('function');
    expect(shared.webCrypto).toMatchObject({ hash: expect.any(Function), randomBytes: expect.any(Function) });
    expect(shared.SD_JWT_VC_TYP).toBe('dc+sd-jwt');
    expect(shared.DEFAULT_LIMITS.maxLength).toBeGreaterThan(0);
    expect('nodeCrypto' in shared).toBe(false);
    expect('nodeSigningKey' in shared).toBe(false);
  });

  it('resolves the package name @tessera/shared to the same browser-safe entry point', async () => {
    const byName = await import('@tessera/shared');
    expect(byName.verifySdJwtVc).toBe(shared.verifySdJwtVc);
  });
});

describe('a browser bundle of each browser-safe package', () => {
  it.each([
    'packages/shared/src/index.ts',
    'packages/wallet/src/index.ts',
    'packages/verifier/src/index.ts',
    'packages/verifier/src/w3c/index.ts',
  ])('bundles %s for the browser platform with no Node built-in', async (entry) => {
    // esbuild's browser platform refuses to resolve Node built-ins, so a Node-only import that
    // the source scan missed (through a dependency, say) fails the build here.
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [join(ROOT, entry)],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles.map((file) => file.text).join('\n');
    expect(code).not.toMatch(/from\s*["']node:|require\(["']node:/);
  });
});
