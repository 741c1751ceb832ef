// ESLint with typescript-eslint (type-aware) for correctness; Prettier formats (see
// "prettier" in package.json), so no stylistic rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const onlyTheShellImportsElectron = {
  paths: [
    {
      name: 'electron',
      message: "Only electron/main.ts and electron/preload.ts may import 'electron'; the services are plain Node.",
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', onlyTheShellImportsElectron],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      // A closure may read a variable before its one assignment (guarded), which const forbids.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'no-console': 'off',
    },
  },
  {
    files: ['electron/main.ts', 'electron/preload.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
