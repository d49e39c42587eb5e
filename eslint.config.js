// ESLint (flat config): the recommended JavaScript and typescript-eslint rules, and a reason on
// every line that turns a rule off. Formatting is Prettier's (.prettierrc.json), not ESLint's.
import js from '@eslint/js'
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', 'coverage/', 'demo-output/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  comments.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setImmediate: 'readonly', URL: 'readonly' }
    },
    rules: {
      // A disabled rule says why, on the same line (`-- reason`).
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: [] }],
      // A disable for the rest of a file (raw payloads mapped field by field) needs no enable.
      '@eslint-community/eslint-comments/disable-enable-pair': 'off',
      // `_name` marks a parameter or binding kept for its position or to leave a field out.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }]
    }
  },
  {
    files: ['__tests__/**/*.ts'],
    rules: {
      // Tests read raw JSON payloads as GitHub sends them, field by field.
      '@typescript-eslint/no-explicit-any': 'off',
      // Expected mermaid lines are indented by four literal spaces, as the summary writes them.
      'no-regex-spaces': 'off'
    }
  }
)
