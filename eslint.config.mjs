// ESLint (flat config): JavaScript's and typescript-eslint's recommended rules over the engine, the
// Electron shell, the renderer, the tests and the scripts. The layer rules (who may import whom, no
// cycles) are dependency-cruiser's: .dependency-cruiser.cjs. Both run in `npm test` (test/unit/lint.test.ts).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'renderer/dist/**', 'node_modules/**', 'bench-output/**', 'test-output/**', 'coverage/**', '.stryker-tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      // Parameters and locals named with a leading underscore are unused on purpose (callback shapes).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // CommonJS modules load some commands lazily (start-up cost): require() is how they do it.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' } },
  },
);
