// The house rules of ../shared/docs/architecture.md, enforced by the linter rather than by memory.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const importPlugin = require('eslint-plugin-import');
const checkFile = require('eslint-plugin-check-file');
const comments = require('@eslint-community/eslint-plugin-eslint-comments/configs');
const prettier = require('eslint-config-prettier');
const globals = require('globals');

// Feature folders, lowest first: a folder may import only folders before it (and itself), so no two
// folders can import each other. `shared/` and `scoring/` import no feature.
const LAYERS = [
  'shared',
  'scoring',
  'db',
  'audit',
  'auth',
  'assessments',
  'responses',
  'results',
  'invitations',
  'surveys',
  'analytics',
  'review',
  'exports',
  'mail',
  'overview',
  'demo',
  'cli',
];
const layerZones = LAYERS.flatMap((target, i) =>
  LAYERS.slice(i + 1).map((from) => ({
    target: `./src/${target}`,
    from: `./src/${from}`,
    message: `src/${target} sits below src/${from} and may not import it (see README, Layout).`,
  })),
);

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', 'data/', 'coverage/', 'public/vendor/'] },
  js.configs.recommended,
  comments.recommended,
  {
    rules: {
      // An eslint-disable needs its reason on the same line: `// eslint-disable-line rule -- why`.
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: [] }],
      '@eslint-community/eslint-comments/no-unused-disable': 'error',
    },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    plugins: { import: importPlugin, 'check-file': checkFile },
    settings: {
      'import/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false } },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'import/no-cycle': ['error', { ignoreExternal: true }],
      'import/no-restricted-paths': ['error', { zones: layerZones }],
      'check-file/filename-naming-convention': [
        'error',
        { '**/*.{ts,js}': 'KEBAB_CASE' },
        { ignoreMiddleExtensions: true },
      ],
      'check-file/folder-naming-convention': ['error', { '{src,test,scripts}/**/': 'KEBAB_CASE' }],
    },
  },
  {
    // The scoring core is pure: it imports nothing outside its own folder (no express, no mongoose,
    // no other feature), so every number can be checked against methodology.md in isolation.
    files: ['src/scoring/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./)', message: 'src/scoring imports only its own files.' }] },
      ],
    },
  },
  {
    // Locale files are named by their BCP 47 tag (zh-Hant), which has capitals by definition.
    files: ['**/*.d.ts', 'src/shared/locales/zh-*.ts'],
    rules: { 'check-file/filename-naming-convention': 'off' },
  },
  {
    // supertest and exceljs hand tests untyped bodies; asserting on them is the point of a test.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['public/js/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, echarts: 'readonly' } },
  },
  {
    files: ['*.js', 'scripts/**/*.js', 'test/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  prettier,
);
