// Lint: typescript-eslint's recommended type-aware-free rules plus the project's layering rules.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'bench/results/', 'release/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine knows nothing of live objects, Electron or React (ARCHITECTURE.md).
    files: ['src-main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/runtime/**', '**/objects/**', '**/host/**', '**/shell/**'],
              message: 'The engine must not import the runtime, objects, host or shells.',
            },
            {
              group: ['electron', 'react', 'react-dom', 'three', '@react-three/*'],
              message: 'The engine must not import Electron, React or Three.',
            },
          ],
        },
      ],
    },
  },
  {
    // src-shared is isomorphic: no node:* and no DOM-only modules.
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'dgram', 'crypto'],
              message: 'src-shared must stay isomorphic (no Node built-ins).',
            },
            {
              group: ['**/src-main/**', '**/src-renderer/**', '../../src-main/*', '../../src-renderer/*'],
              message: 'src-shared must not import main or renderer code.',
            },
          ],
        },
      ],
    },
  },
  {
    // Test plumbing for every suite and the benchmarks: it imports no product code, so the engine,
    // the renderer, e2e and bench code may all use it; wait.ts stays isomorphic (renderer tests).
    files: ['testing/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src-main/**', '**/src-shared/**', '**/src-renderer/**', '**/e2e/**', '**/bench/**'],
              message: 'testing/ must not import product, e2e or bench code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['testing/wait.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                '**/src-main/**',
                '**/src-shared/**',
                '**/src-renderer/**',
                '**/e2e/**',
                '**/bench/**',
              ],
              message: 'testing/wait.ts is isomorphic (renderer tests use it) and imports no product code.',
            },
          ],
        },
      ],
    },
  },
  {
    // The Rules of React: the hooks rules and the React Compiler's checks (v7's recommended).
    files: ['src-renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      // A warning would let a missing dependency in without failing the lint.
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src-main/**', 'node:*'],
              message: 'The renderer talks to the host only through the bridge.',
            },
          ],
        },
      ],
    },
  },
);
