// Lint: TypeScript rules, no import cycles, and the architecture's boundaries (DESIGN.md, "Ports and adapters").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const ADAPTER_LIBRARIES = [
  'better-sqlite3',
  'pg',
  'nats',
  'mqtt',
  'aedes',
  'node-opcua',
  'fastify',
  '@fastify/*',
  'ws',
];
// What the web client may use without importing it (TypeScript checks names too; this keeps eslint's view right).
const BROWSER_GLOBALS = Object.fromEntries(
  [
    'window',
    'document',
    'location',
    'history',
    'localStorage',
    'fetch',
    'WebSocket',
    'requestAnimationFrame',
    'performance',
    'ResizeObserver',
    'CSS',
    'HTMLElement',
    'HTMLInputElement',
    'HTMLCanvasElement',
    'HTMLTableElement',
    'HTMLTableCellElement',
    'HTMLDivElement',
    'HTMLLIElement',
    'HTMLUListElement',
    'HTMLFormElement',
    'HTMLElementTagNameMap',
    'queueMicrotask',
    'setTimeout',
  ].map((name) => [name, 'readonly']),
);
const IO_MODULES = ['node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:child_process'];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', '.bench/', 'web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    settings: {
      // The cycle check parses every imported file: it needs the TypeScript parser and resolver.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['./tsconfig.json', './web/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The browser client: DOM globals, and from the server's code only the shared wire shapes (STYLE.md).
    files: ['web/src/**/*.ts'],
    languageOptions: { globals: BROWSER_GLOBALS },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)src/(?!core/(wire(-[a-z]+)?|i18n)\\.js$)',
              message:
                'The browser imports only the shared wire shapes (src/core/wire.ts, src/core/wire-*.ts) and the shared i18n module (src/core/i18n.ts) from the server code.',
            },
            { group: ['node:*'], message: 'The browser has no Node.js modules.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Domain code is pure: no storage, network or protocol libraries, and no reaching into the edges.
    files: [
      'src/core/**/*.ts',
      'src/access/**/*.ts',
      'src/model/**/*.ts',
      'src/twin/**/*.ts',
      'src/bus/**/*.ts',
      'src/ingest/**/*.ts',
      'src/history/**/*.ts',
      'src/sim/**/*.ts',
      'src/world/**/*.ts',
    ],
    ignores: [
      // Adapters: storage files and protocol connectors.
      'src/ingest/mqtt/**',
      'src/ingest/opcua/**',
      'src/**/*-store.ts',
      'src/**/sqlite-*.ts',
      'src/**/postgres-*.ts',
      'src/**/*.test.ts',
      'src/model/ontology/load.ts',
      'src/bus/*-bus.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: IO_MODULES.map((name) => ({
            name,
            message: 'Domain code does no I/O: put it in an adapter.',
          })),
          patterns: [
            { group: ADAPTER_LIBRARIES, message: 'Domain code imports no adapter library.' },
            {
              group: ['**/server/**', '**/cli/**', '**/*-store.js'],
              message: 'Domain code imports no adapter.',
            },
          ],
        },
      ],
    },
  },
);
