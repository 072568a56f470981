/**
 * Colours told apart also by those with a colour-vision deficiency (Okabe-Ito, then Tol's muted).
 * The HTML legend's swatches are the classes `.swatch.c0` .. `.swatch.c17` of dashboard.css, in
 * this order (a test compares the two): the CSP allows no style attribute to carry a colour.
 */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
  '#332288',
  '#88CCEE',
  '#44AA99',
  '#117733',
  '#999933',
  '#DDCC77',
  '#CC6677',
  '#882255',
  '#AA4499',
  '#DDDDDD',
] as const;

export const seriesColor = (index: number): string => PALETTE[index % PALETTE.length]!;
export const swatchClass = (index: number): string => `swatch c${index % PALETTE.length}`;
