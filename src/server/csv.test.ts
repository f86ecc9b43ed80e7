import { describe, expect, it } from 'vitest';
import { csvCell } from './csv.js';

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+1+cmd|" /C calc"!A0', `"'+1+cmd|"" /C calc""!A0"`],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['-5', "'-5"],
  ])('neutralises %j as text', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('keeps numbers numbers, and plain text plain', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(1.5e-7)).toBe('1.5e-7');
    expect(csvCell(true)).toBe('true');
    expect(csvCell('running')).toBe('running');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(undefined)).toBe('');
  });
});
