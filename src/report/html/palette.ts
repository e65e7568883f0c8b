// Colours for tenants in charts: the Okabe-Ito palette (distinguishable with colour blindness and in
// greyscale print thanks to differing lightness), then grey for "other tenants".
export const TENANT_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
export const OTHER_COLOUR = '#9e9e9e';
