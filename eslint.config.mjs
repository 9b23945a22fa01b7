// Lint: typescript-eslint recommended, plus the architecture rule: lib/ is framework-free.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const IAC_FRAMEWORKS = ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdktf', 'cdktf/*', '@cdktf/*', '@pulumi/*', 'cdk8s', 'cdk8s-*'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'cdk.out/**', 'coverage/**', '**/*.js', '**/*.mjs', 'examples/**/cdktf.out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['lib/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: IAC_FRAMEWORKS, message: 'lib/ is the framework-free core: adapters live in constructs/' }] }],
    },
  },
);
