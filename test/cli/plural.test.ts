import { describe, expect, it } from 'vitest';
import { counted } from '../../src/cli/plural.js';

describe('counted', () => {
  it('takes the singular for one and the plural otherwise', () => {
    expect(counted(1, 'line')).toBe('1 line');
    expect(counted(0, 'line')).toBe('0 lines');
    expect(counted(2, 'chain')).toBe('2 chains');
    expect(counted(1, 'entry', 'entries')).toBe('1 entry');
    expect(counted(12_345, 'entry', 'entries')).toBe('12,345 entries');
  });
});
