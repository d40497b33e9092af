/**
 * The policy stays pure (STYLE.md: "policy/ PURE ... No I/O, no ORM, no GraphQL"): every
 * production file in src/policy may import only its siblings and the domain vocabulary, and may
 * not reach for the clock, randomness or the process. Test files and test-support/ are exempt.
 */
import { readdirSync, readFileSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

const POLICY_DIR = __dirname;
const VOCABULARY = resolve(POLICY_DIR, '../domain/vocabulary');

/** Things a pure decision over its arguments has no business touching. */
const FORBIDDEN_CALLS: readonly RegExp[] = [
  /\bDate\.now\b/,
  /\bnew Date\(\s*\)/,
  /\bMath\.random\b/,
  /\bprocess\./,
  /\bconsole\./,
  /\bsetTimeout\b|\bsetInterval\b/,
  /\brequire\(/,
  /\bimport\(/,
];

function productionFiles(dir = POLICY_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test-support' ? [] : productionFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** Module specifiers of every static import and re-export in a source text. */
function specifiersOf(source: string): string[] {
  const pattern = /\b(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]/g;
  return [...withoutComments(source).matchAll(pattern)].map((m) => m[1] ?? m[2] ?? '');
}

/** Why a specifier is not allowed from a file in `dir`, or null when it is. */
function disallowed(specifier: string, dir: string): string | null {
  if (!specifier.startsWith('.')) return `package "${specifier}"`;
  const target = resolve(dir, specifier);
  if (target === VOCABULARY) return null;
  const inside = relative(POLICY_DIR, target);
  if (inside.startsWith('..') || inside.startsWith('test-support')) return `"${specifier}" outside the policy`;
  return null;
}

function forbiddenCalls(source: string): string[] {
  const code = withoutComments(source);
  return FORBIDDEN_CALLS.filter((re) => re.test(code)).map((re) => re.source);
}

describe('src/policy is pure', () => {
  const files = productionFiles();

  it('has the policy files to check', () => {
    expect(files.map((f) => relative(POLICY_DIR, f))).toEqual(expect.arrayContaining(['decide.ts', 'index.ts', 'types.ts']));
  });

  it.each(files.map((f) => [relative(POLICY_DIR, f), f]))('%s imports only ./ siblings and ../domain/vocabulary', (_name, file) => {
    const problems = specifiersOf(readFileSync(file, 'utf8'))
      .map((s) => disallowed(s, dirname(file)))
      .filter((p): p is string => p !== null);
    expect(problems).toEqual([]);
  });

  it.each(files.map((f) => [relative(POLICY_DIR, f), f]))('%s uses no clock, randomness, process or console', (_name, file) => {
    expect(forbiddenCalls(readFileSync(file, 'utf8'))).toEqual([]);
  });

  describe('the checker itself', () => {
    it.each([
      ["import { DataSource } from 'typeorm';", 'package "typeorm"'],
      ["import type { GraphQLResolveInfo } from 'graphql';", 'package "graphql"'],
      ["import { readFileSync } from 'fs';", 'package "fs"'],
      ["import { Pool } from 'pg';", 'package "pg"'],
      ["export { loadFacts } from '../access/facts';", '"../access/facts" outside the policy'],
      ["import { consent } from './test-support/builders';", '"./test-support/builders" outside the policy'],
      ["import 'reflect-metadata';", 'package "reflect-metadata"'],
      ["import {\n  a,\n  b,\n} from 'typeorm';", 'package "typeorm"'],
    ])('rejects %j', (source, problem) => {
      expect(specifiersOf(source).map((s) => disallowed(s, POLICY_DIR))).toEqual([problem]);
    });

    it('accepts siblings and the vocabulary', () => {
      const source = "import { inForce } from './in-force';\nimport type { Role } from '../domain/vocabulary';\nexport * from './types';";
      expect(specifiersOf(source).map((s) => disallowed(s, POLICY_DIR))).toEqual([null, null, null]);
    });

    it('spots the clock and the process', () => {
      expect(forbiddenCalls('const t = Date.now(); const e = process.env.X;')).toHaveLength(2);
    });
  });
});
