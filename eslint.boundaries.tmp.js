import tseslint from 'typescript-eslint';
import boundaries from './eslint-rules/module-boundaries.js';
export default [{ files: ['src/**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { kyoyu: boundaries }, rules: { 'kyoyu/module-boundaries': 'error' } }];
