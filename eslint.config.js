import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { layers } from './scripts/layers.mjs';

const byName = new Map(layers.map((l) => [l.name, l]));

/** Turns the layer map into no-restricted-imports rules, one config block per layer, wider layers first. */
function layerBlocks() {
  return layers.map((layer) => {
    const bound = [...(layer.inherits ?? []).map((n) => byName.get(n)), layer];
    const patterns = bound.flatMap((l) => [
      ...l.forbidden.map((f) => ({ group: f.pattern, message: `[layer ${l.name}] ${f.message}` })),
      ...(l.typeOnly ?? []).map((group) => ({ group, allowTypeImports: true, message: `[layer ${l.name}] only \`import type\` from the AgentApi contract` })),
    ]);
    return {
      files: layer.files,
      ...(layer.ignores ? { ignores: layer.ignores } : {}),
      rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
    };
  });
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tmp/**', 'renderer/dist/**', 'coverage/**', 'installers/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.object.name='process'][object.property.name='env'][property.name='NODE_ENV']",
          message: 'production code never branches on NODE_ENV: inject what differs',
        },
      ],
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  ...layerBlocks(),
);
